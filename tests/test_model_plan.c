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
 * test_model_plan.c: the read model's queries on a database replayed
 * from the real captures (tests/test_db.h): the probes for the failed
 * sessions of a waiting life seek the partial index session_outcome,
 * and the life queries of a session id, msgid, evpid, from: or to:
 * term read by index, not in time order; and no statement of the model
 * reads a whole table (test_model_scans()).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/model_int.h"
#include "schema/dest.h"
#include "schema/dest_int.h"
#include "test.h"
#include "test_db.h"

static void	test_model_plans(const char *);
static void	test_dest_plans(const char *);
static void	test_model_terms(const char *);
static void	test_model_scans(const char *);
static void	test_model_term(struct model *, const char *, int);

/*
 * The read model's probes for the failed sessions of a waiting life
 * seek the partial index session_outcome: a query that does not name
 * its condition reads every session of the window instead.
 */
static void
test_model_plans(const char *path)
{
	static const enum model_stmt	 n[] = { MQ_WAIT_FIRST, MQ_WAIT_FAILED };
	struct model			*m;
	sqlite3_stmt			*s, *st;
	char				 sql[8192], *cause = NULL;
	const char			*d;
	size_t				 i;
	int				 seeks;

	CHECK((m = model_open(path, &cause)) != NULL);
	if (m == NULL) {
		free(cause);
		return;
	}
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		CHECK((st = model_sql_stmt(m, n[i])) != NULL);
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    st != NULL ? sqlite3_sql(st) : "");
		CHECK(sqlite3_prepare_v2(m->db.h, sql, -1, &s,
		    NULL) == SQLITE_OK);
		seeks = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(s, 3);
			CHECK_MSG(strncmp(d, "SCAN s", 6) != 0 &&
			    strstr(d, "session_t ") == NULL,
			    "model statement %d: %s", (int)n[i], d);
			seeks += strstr(d, "INDEX session_outcome") != NULL;
		}
		CHECK_MSG(seeks > 0, "model statement %d: no session_outcome",
		    (int)n[i]);
		sqlite3_finalize(s);
	}
	model_close(m);
}

/*
 * No statement of the read model reads a whole table or index: most
 * run for a life or a session.  But the newest event's time (it reads
 * back from the last row to the first with a time) and EXISTS on
 * outcome (its first row), once a command.
 */
static void
test_model_scans(const char *path)
{
	struct model	*m;
	sqlite3_stmt	*st;
	char		*cause = NULL, *plan;
	int		 i;

	CHECK((m = model_open(path, &cause)) != NULL);
	if (m == NULL) {
		free(cause);
		return;
	}
	for (i = 0; i < MQ_MAX; i++) {
		if (i == MQ_LAST_TIME || i == MQ_ANY_OUTCOME)
			continue;
		CHECK((st = model_sql_stmt(m, i)) != NULL);
		if (st == NULL)
			continue;
		plan = test_db_plan(m->db.h, sqlite3_sql(st));
		/* a SELECT has a plan: none, it did not prepare */
		CHECK_MSG((*plan != '\0' || strncmp(sqlite3_sql(st), "SELECT",
		    6) != 0) && test_db_scan(plan) == NULL, "model statement %d "
		    "reads all of it: %s", i, plan);
		free(plan);
	}
	model_close(m);
}

/*
 * A trace by a session id or a msgid finds the lives by index, of both
 * kinds (envelopes, recipients refused at smtp-in): no scan of life
 * in time order, which a busy day's 228k lives made 0.2 to 0.3 s.
 */
static void
test_model_terms(const char *path)
{
	struct model	*m;
	char		*cause = NULL;

	CHECK((m = model_open(path, &cause)) != NULL);
	if (m == NULL) {
		free(cause);
		return;
	}
	test_model_term(m, "2777bcbfb5f90c13", 1);
	test_model_term(m, "949aa28f", 0);
	test_model_term(m, "949aa28f5e4e5821", 0);
	test_model_term(m, "from:alice@sink.test", 0);
	test_model_term(m, "to:alice@sink.test", 0);
	model_close(m);
}

/* The plans of the life queries of one term (a session id: is_sid). */
static void
test_model_term(struct model *m, const char *term, int is_sid)
{
	struct model_query	 q;
	struct model_iter	 it;
	struct buf		 sql = { NULL, 0, 0 };
	char			*argv[1], *plan;
	const char		*bad;
	int			 rej;

	argv[0] = (char *)(uintptr_t)term;
	CHECK(model_query_parse(&q, 1, argv, 0, &bad) == 0);
	memset(&it, 0, sizeof(it));
	it.m = m;
	it.q = &q;
	it.is_sid[0] = is_sid;
	for (rej = 0; rej < 2; rej++) {
		/* 0: no life of the kind can match (an evpid, refused). */
		if (model_sql_compose(&it, rej, &sql) == 0)
			continue;
		plan = test_db_plan(m->db.h, sql.p);
		CHECK_MSG(*plan != '\0' && test_db_scan(plan) == NULL,
		    "%s (%s): %s", term, rej ? "refused" : "envelopes", plan);
		free(plan);
	}
	buf_free(&sql);
}

/*
 * The destinations' statements find the window's smtp-out sessions by
 * time (session_t), not every smtp-out session by direction.
 */
static void
test_dest_plans(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	char		 sql[8192], err[CLASS_ERR];
	const char	*d;
	size_t		 i;
	int		 seen;

	/* reply_class(), as every reader has it: before the open. */
	CHECK(class_rules(NULL, err, sizeof(err)) == 0);
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK);
	for (i = 0; i < DEST_SQL_NWINDOWED; i++) {
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    dest_sql_windowed[i]);
		CHECK_MSG(sqlite3_prepare_v2(db, sql, -1, &s, NULL) ==
		    SQLITE_OK, "%zu: %s", i, sqlite3_errmsg(db));
		seen = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(s, 3);
			if (strncmp(d, "SEARCH s ", 9) != 0)
				continue;
			seen = 1;
			CHECK_MSG(strstr(d, "INDEX session_t (t_start>? AND "
			    "t_start<?)") != NULL, "%zu: %s", i, d);
		}
		CHECK_MSG(seen, "%zu: no search of session", i);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
}

int
main(void)
{
	char	dir[] = "/tmp/test_model_plan.XXXXXX", path[64];

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_mixed(path) == 0);
	test_model_plans(path);
	test_dest_plans(path);
	test_model_terms(path);
	test_model_scans(path);
	test_db_remove(dir);
	TEST_END();
}
