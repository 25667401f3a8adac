/*
 * Copyright (c) 2026 The mailtrail authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


/*
 * test_bulk.c: the indexes a load into a new database leaves until its
 * end (collector/bulk.c) are indexes of the schema that no statement of
 * the writer reads but those that call bulk_need() first: every other
 * plan of the store's and the life writer's statements is the same
 * without them.  bulk_end() makes them as the schema does, a new
 * database only is loaded so, bulk_need() makes them in the open
 * transaction, and a writer that opens a database missing one makes it.
 * And no plan of the writer reads a whole table (test_bulk_scans()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_NPLANS	(STMT_MAX + LS_MAX)

/*
 * The statements that find a session's events by event_s: each runs
 * after store_need_events() (reload.c, prune.c), or, for the
 * lives, only for a refused MAIL FROM whose command was not stored,
 * which join_refused() asks it for.
 */
static const int test_bulk_guarded[] = {
	STMT_FIND_EVENT, STMT_FIND_FILTER, STMT_PRUNE_DEL_RARE,
	STMT_PRUNE_DEL_EVENTS, STMT_PRUNE_DEL_HOUR, STMT_PRUNE_DEL_RAW,
	STMT_MAX + LS_OC_REFUSAL, STMT_MAX + LS_REFUSED,
};

static void	 test_bulk_plans(struct db *, struct life_writer *, char **);
static char	*test_bulk_schema(sqlite3 *);
static int	 test_bulk_count(sqlite3 *, const char *);
static int	 test_bulk_is_guarded(int);
static void	 test_bulk_scans(char **);
static void	 test_bulk_need(struct db *, int);

/* The plans of every statement of the writer, into plan[]. */
static void
test_bulk_plans(struct db *db, struct life_writer *lw, char **plan)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < STMT_MAX; i++)
		plan[i] = test_db_plan(db->h, store_sql[i]);
	for (i = 0; i < LS_MAX; i++) {
		s = life_stmt(lw, i);
		CHECK_MSG(s != NULL, "life statement %d: %s", i,
		    sqlite3_errmsg(db->h));
		plan[STMT_MAX + i] = test_db_plan(db->h, s != NULL ?
		    sqlite3_sql(s) : "");
	}
}

/*
 * No statement of the writer reads a whole table or index: it runs for
 * a line, a life or a maillog line, and such a read grows with the
 * database.  But for the build of an older database's state, once
 * (LS_BUILD_RCPTS, LS_BUILD_REFUSED), and EXISTS on outcome, which
 * stops at its first row.
 */
static void
test_bulk_scans(char **plan)
{
	int	i;

	for (i = 0; i < TEST_NPLANS; i++)
		if (i != STMT_MAX + LS_BUILD_RCPTS &&
		    i != STMT_MAX + LS_BUILD_REFUSED &&
		    i != STMT_MAX + LS_ANY_OUTCOME)
			CHECK_MSG(test_db_scan(plan[i]) == NULL, "statement %d "
			    "reads all of it: %s", i, plan[i]);
}

/* Every index and table of the database, as created. */
static char *
test_bulk_schema(sqlite3 *h)
{
	struct buf	 b = { NULL, 0, 0 };
	sqlite3_stmt	*s;

	buf_set(&b, "", 0);
	CHECK(sqlite3_prepare_v2(h, "SELECT name, sql FROM sqlite_master "
	    "WHERE sql IS NOT NULL ORDER BY name", -1, &s, NULL) == SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		buf_append(&b, (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_bytes(s, 0));
		buf_append(&b, (const char *)sqlite3_column_text(s, 1),
		    sqlite3_column_bytes(s, 1));
	}
	sqlite3_finalize(s);
	return b.p;
}

/* The number of the readers' indexes the database has. */
static int
test_bulk_count(sqlite3 *h, const char *cond)
{
	sqlite3_stmt	*s;
	size_t		 i;
	int		 n = 0;
	char		*q;

	for (i = 0; i < bulk_nindexes; i++) {
		q = sqlite3_mprintf("SELECT 1 FROM sqlite_master WHERE type = "
		    "'index' AND name = %Q AND %s", bulk_indexes[i], cond);
		CHECK(sqlite3_prepare_v2(h, q, -1, &s, NULL) == SQLITE_OK);
		n += sqlite3_step(s) == SQLITE_ROW;
		sqlite3_finalize(s);
		sqlite3_free(q);
	}
	return n;
}

int
main(void)
{
	char			 dir[] = "/tmp/test_bulk.XXXXXX";
	char			 path[64], *before[TEST_NPLANS];
	char			*after[TEST_NPLANS], *schema, *cause;
	struct db		 db;
	struct life_writer	 lw;
	struct hour_tab		 ht;
	struct store		*st;
	int			 i, n = (int)bulk_nindexes;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_writer(path, &db, &ht, &lw) == 0);

	/* Each is an index of the schema, none a unique one. */
	CHECK_MSG(test_bulk_count(db.h, "substr(sql, 1, 13) = "
	    "'CREATE INDEX '") == n, "%d of %d", test_bulk_count(db.h, "1"),
	    n);
	schema = test_bulk_schema(db.h);
	test_bulk_plans(&db, &lw, before);
	test_bulk_scans(before);

	/*
	 * Dropped in a new database; the writer's plans are the same but
	 * for the guarded ones, which did find events by event_s.
	 */
	CHECK(bulk_begin(&db, 0) == 1);
	CHECK(test_bulk_count(db.h, "1") == 0);
	test_bulk_plans(&db, &lw, after);
	for (i = 0; i < TEST_NPLANS; i++) {
		if (test_bulk_is_guarded(i))
			CHECK_MSG(strstr(before[i], "INDEX event_s ") != NULL &&
			    strcmp(before[i], after[i]) != 0, "statement %d: "
			    "%s", i, before[i]);
		else
			CHECK_MSG(strcmp(before[i], after[i]) == 0,
			    "statement %d: %s\nwithout them: %s", i,
			    before[i], after[i]);
		free(before[i]);
		free(after[i]);
	}
	test_bulk_need(&db, n);

	/* Made again as the schema makes them; once. */
	CHECK_MSG(bulk_end(&db, 0) == n, "%s", db_error(&db));
	CHECK(test_bulk_count(db.h, "1") == n);
	after[0] = test_bulk_schema(db.h);
	CHECK(strcmp(schema, after[0]) == 0);
	free(after[0]);
	CHECK(bulk_end(&db, 0) == 0);

	/* A database with an event keeps them. */
	CHECK(db_exec(&db, "INSERT INTO event(t_off, k_off) "
	    "VALUES (1, -128)") == 0);
	CHECK(bulk_begin(&db, 0) == 0);
	CHECK(test_bulk_count(db.h, "1") == n);

	/* One missing (a load killed): the next writer makes it. */
	CHECK(db_exec(&db, "DROP INDEX tx_from") == 0);
	life_close(&lw);
	hour_close(&ht);
	db_close(&db);
	CHECK_MSG((st = store_open(path, 0, &cause)) != NULL, "%s",
	    st == NULL ? cause : "");
	if (st != NULL)
		store_close(st);
	memset(&db, 0, sizeof(db));
	CHECK(db_open(&db, path, 0, 0) == 0);
	CHECK(test_bulk_count(db.h, "1") == n);
	after[0] = test_bulk_schema(db.h);
	CHECK(strcmp(schema, after[0]) == 0);
	free(after[0]);
	db_close(&db);

	free(schema);
	test_db_remove(dir);
	TEST_END();
}

static int
test_bulk_is_guarded(int i)
{
	size_t	j;

	for (j = 0; j < sizeof(test_bulk_guarded) /
	    sizeof(test_bulk_guarded[0]); j++)
		if (test_bulk_guarded[j] == i)
			return 1;
	return 0;
}

/*
 * bulk_need() with the n indexes dropped: event_s alone made inside the
 * open transaction, which a rollback then takes back; made for good
 * outside one (on a connection of its own), and nothing to do then.
 */
static void
test_bulk_need(struct db *db, int n)
{
	const char	*es = "name = 'event_s'";

	CHECK(db_exec(db, "BEGIN IMMEDIATE") == 0);
	CHECK_MSG(bulk_need(db) == 0, "%s", db_error(db));
	CHECK(test_bulk_count(db->h, "1") == 1);
	CHECK(test_bulk_count(db->h, es) == 1);
	CHECK(db_exec(db, "ROLLBACK") == 0);
	CHECK(test_bulk_count(db->h, "1") == 0);
	CHECK_MSG(bulk_need(db) == 0, "%s", db_error(db));
	CHECK(sqlite3_get_autocommit(db->h));
	CHECK(test_bulk_count(db->h, es) == 1);
	CHECK(bulk_need(db) == 0);
	CHECK(test_bulk_count(db->h, "1") == 1);
	CHECK_MSG(bulk_end(db, 0) == n - 1, "%s", db_error(db));
	CHECK(test_bulk_count(db->h, "1") == n);
	/* A refused MAIL FROM with no event: not a new database. */
	CHECK(db_exec(db, "INSERT INTO out_refusal(session, t) "
	    "VALUES (1, 1)") == 0);
	CHECK(bulk_begin(db, 0) == 0);
	CHECK(db_exec(db, "DELETE FROM out_refusal") == 0);
	CHECK(bulk_begin(db, 0) == 1);
	CHECK(test_bulk_count(db->h, "1") == 0);
}
