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
 * test_evq.c: the event rows the writer queues (collector/evq.c) are
 * written with the ids it gave them, NULLs and bytes as they came, a
 * row longer than the queue's room too; after a delete, a rollback or
 * another writer's rows, the next id is asked again; a row written
 * behind the queue's back is caught, not given a wrong id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_T0		1800000000000000LL	/* 2027-01-15, us */
#define TEST_ROWS	(3 * EVQ_ROWS + 5)

static int64_t	test_evq_int(struct db *, const char *);
static void	test_evq_sql(struct db *, const char *);
static int64_t	test_evq_add(struct evq *, int);
static void	test_evq_row(struct db *, int);
static void	test_evq_long(struct db *, struct evq *);
static void	test_evq_again(struct db *, struct evq *, const char *);

/* The first column of the first row of sql, -1 if none. */
static int64_t
test_evq_int(struct db *db, const char *sql)
{
	sqlite3_stmt	*s;
	int64_t		 v = -1;

	CHECK_MSG(sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db->h));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void
test_evq_sql(struct db *db, const char *sql)
{
	CHECK_MSG(db_exec(db, sql) == 0, "%s: %s", sql,
	    sqlite3_errmsg(db->h));
}

/*
 * Event i: at TEST_T0 + i, kind 128 + i % 20, session i % 7 (0: none),
 * msgid i only if i is even, text "p<i>|x" but none if i % 5 == 1, and
 * the raw line "raw <i>" if i % 3 == 0.
 */
static int64_t
test_evq_add(struct evq *q, int i)
{
	char			 x[32], raw[32];
	struct proto_str	 p = { x, 0 };
	int64_t			 m = i;

	p.len = snprintf(x, sizeof(x), "p%d|x", i);
	if (i % 5 == 1)
		p.p = NULL;
	snprintf(raw, sizeof(raw), "raw %d", i);
	return evq_add(q, TEST_T0 + i, 128 + i % 20, i % 7, i % 2 == 0 ?
	    &m : NULL, &p, i % 3 == 0 ? raw : NULL, strlen(raw));
}

/* Row i + 1 holds event i, as test_evq_add() queued it. */
static void
test_evq_row(struct db *db, int i)
{
	sqlite3_stmt	*s;
	char		 x[32], raw[32];

	snprintf(x, sizeof(x), "p%d|x", i);
	snprintf(raw, sizeof(raw), "raw %d", i);
	CHECK(sqlite3_prepare_v2(db->h, "SELECT t, k, s, m, x, raw FROM "
	    "event WHERE id = ?", -1, &s, NULL) == SQLITE_OK);
	sqlite3_bind_int(s, 1, i + 1);
	CHECK_MSG(sqlite3_step(s) == SQLITE_ROW, "row %d", i + 1);
	CHECK(sqlite3_column_int64(s, 0) == TEST_T0 + i);
	CHECK(sqlite3_column_int(s, 1) == 128 + i % 20);
	CHECK(i % 7 == 0 ? sqlite3_column_type(s, 2) == SQLITE_NULL :
	    sqlite3_column_int(s, 2) == i % 7);
	CHECK(i % 2 != 0 ? sqlite3_column_type(s, 3) == SQLITE_NULL :
	    sqlite3_column_int(s, 3) == i);
	CHECK_MSG(i % 5 == 1 ? sqlite3_column_type(s, 4) == SQLITE_NULL :
	    sqlite3_column_type(s, 4) == SQLITE_TEXT &&
	    strcmp((const char *)sqlite3_column_text(s, 4), x) == 0,
	    "row %d: x", i + 1);
	CHECK_MSG(i % 3 != 0 ? sqlite3_column_type(s, 5) == SQLITE_NULL :
	    sqlite3_column_type(s, 5) == SQLITE_BLOB &&
	    sqlite3_column_bytes(s, 5) == (int)strlen(raw) &&
	    memcmp(sqlite3_column_blob(s, 5), raw, strlen(raw)) == 0,
	    "row %d: raw", i + 1);
	sqlite3_finalize(s);
}

/* A line longer than the queue's room, between two short ones. */
static void
test_evq_long(struct db *db, struct evq *q)
{
	struct proto_str	 p;
	char			*big;
	int64_t			 id, last;

	big = xmalloc(EVQ_TEXT + 100);
	memset(big, 'a', EVQ_TEXT + 100);
	p.p = big;
	p.len = EVQ_TEXT + 100;
	last = test_evq_int(db, "SELECT max(id) FROM event");
	CHECK(test_evq_add(q, 1) == last + 1);
	id = evq_add(q, TEST_T0, 130, 0, NULL, &p, NULL, 0);
	CHECK_MSG(id == last + 2, "%lld", (long long)id);
	CHECK(test_evq_add(q, 2) == last + 3);
	CHECK_MSG(evq_sync(q) == 0, "%s", db_error(db));
	CHECK(test_evq_int(db, "SELECT length(x) FROM event WHERE id = "
	    "(SELECT max(id) - 1 FROM event)") == EVQ_TEXT + 100);
	CHECK(test_evq_int(db, "SELECT x = 'p2|x' FROM event WHERE id = "
	    "(SELECT max(id) FROM event)") == 1);
	free(big);
}

/* After what ran (with the rows synced before it), ids follow on. */
static void
test_evq_again(struct db *db, struct evq *q, const char *sql)
{
	int64_t	id;

	test_evq_sql(db, sql);
	id = test_evq_add(q, 4);
	CHECK_MSG(id == test_evq_int(db, "SELECT max(id) FROM event") + 1,
	    "%s: id %lld", sql, (long long)id);
	CHECK_MSG(evq_sync(q) == 0, "%s: %s", sql, db_error(db));
}

int
main(void)
{
	char			 dir[] = "/tmp/test_evq.XXXXXX", path[64];
	struct db		 db;
	struct life_writer	 lw;
	struct hour_tab		 ht;
	struct evq		*q = xcalloc(1, sizeof(*q));
	int			 i, ok = 1;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_writer(path, &db, &ht, &lw) == 0);
	CHECK(evq_open(q, &db) == 0);

	/* Three statements of EVQ_ROWS, then five on their own. */
	test_evq_sql(&db, "BEGIN");
	for (i = 0; i < TEST_ROWS; i++)
		ok &= test_evq_add(q, i) == i + 1;
	CHECK(ok);
	CHECK(test_evq_int(&db, "SELECT count(*) FROM event") ==
	    3 * EVQ_ROWS);
	CHECK_MSG(evq_sync(q) == 0, "%s", db_error(&db));
	CHECK(test_evq_int(&db, "SELECT count(*) FROM event") == TEST_ROWS);
	for (i = 0; i < TEST_ROWS; i++)
		test_evq_row(&db, i);
	test_evq_long(&db, q);

	/* A delete of the last rows (prune's), then a rollback. */
	test_evq_again(&db, q, "DELETE FROM event WHERE id > 90");
	CHECK(test_evq_int(&db, "SELECT max(id) FROM event") == 91);
	CHECK(test_evq_add(q, 5) == 92);
	evq_forget(q);
	test_evq_sql(&db, "ROLLBACK");
	test_evq_sql(&db, "BEGIN");
	CHECK(test_evq_add(q, 6) == 1);
	CHECK(evq_sync(q) == 0);
	test_evq_sql(&db, "COMMIT");
	/* Another writer's rows between two transactions. */
	test_evq_again(&db, q, "INSERT INTO event(t_off, k_off) VALUES "
	    "(1, 1), (2, 2)");

	/* A row written behind the queue: the write fails, says why. */
	test_evq_sql(&db, "BEGIN");
	CHECK(test_evq_add(q, 7) == 5);
	test_evq_sql(&db, "INSERT INTO event(t_off, k_off) VALUES (3, 3)");
	CHECK(evq_sync(q) == -1);
	CHECK_MSG(strstr(db_error(&db), "event ids") != NULL, "%s",
	    db_error(&db));
	test_evq_sql(&db, "ROLLBACK");

	evq_close(q);
	free(q);
	life_close(&lw);
	hour_close(&ht);
	db_close(&db);
	test_db_remove(dir);
	TEST_END();
}
