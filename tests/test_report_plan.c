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
 * test_report_plan.c: the plans of the reports' statements (each
 * section's, and the one each database runs when there are several; the
 * destinations' are test_model_plan.c's) on a database replayed from the
 * real captures (tests/test_db.h): none reads every session of a
 * direction by session_dir_outcome, which a window's edges then cost
 * whatever the window; the filter decisions of a window read by event_s
 * the events of the sessions that reach into a cut hour of it or are
 * open at its start (their counts: tests/t-hour.sh).  The statements
 * of metrics count by the indexes made for them, without naming them
 * (a replay makes those only at its end).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export/export.h"
#include "test.h"
#include "test_db.h"

static void	test_report_plans(const char *);
static int	test_report_plan(sqlite3 *, const char *, const char *,
		    const char *);
static void	test_report_metrics(const char *);
static char	*test_report_explain(sqlite3 *, const char *);

/* Each statement of metrics and the indexes its plan must name. */
struct test_report_want {
	const char *const	*sql;
	int			 i;
	const char		*index[2];
};
static const struct test_report_want test_report_metrics_want[] = {
	{ metrics_sess_sql, 0, { "COVERING INDEX session_dir_outcome" } },
	{ metrics_sess_sql, 1, { "COVERING INDEX session_auth" } },
	{ metrics_sess_sql, 4, { "COVERING INDEX attempt_result" } },
	{ metrics_sess_sql, 5, { "COVERING INDEX attempt_ok",
	    "INDEX attempt_result" } },
	{ metrics_read_sql, 1, { "INDEX life_queue" } },
	{ hosts_sql, HQ_UP, { "INDEX attempt_remote (remote_id=?)" } },
};

static void
test_report_plans(const char *path)
{
	const struct report_def		*r;
	const struct report_section	*s;
	struct db			 db;
	char				 err[CLASS_ERR + 64];
	int				 by_sessions = 0;

	CHECK(class_rules("/dev/null", err, sizeof(err)) == 0);
	CHECK(db_open(&db, path, 0, 0) == 0);
	CHECK(db_views(&db) == 0);
	for (r = report_tab_list; r->name != NULL; r++)
		for (s = r->sections; s->key != NULL; s++) {
			if (s->sql != NULL)
				by_sessions += test_report_plan(db.h, r->name,
				    s->key, s->sql);
			if (s->part != NULL)
				test_report_plan(db.h, r->name, s->key,
				    s->part);
		}
	CHECK_MSG(by_sessions == 1, "filters: the events of a window's "
	    "sessions, by event_s: %d plans", by_sessions);
	db_close(&db);
}

/*
 * The plan of statement text of report name's section key: no line names
 * session_dir_outcome.  1 if it reads events by event_s after the
 * sessions by session_t, else 0.
 */
static int
test_report_plan(sqlite3 *h, const char *name, const char *key,
    const char *text)
{
	struct buf	 sql = { NULL, 0, 0 };
	sqlite3_stmt	*st = NULL;
	const char	*d;
	int		 sessions = 0, events = 0;

	buf_set(&sql, "EXPLAIN QUERY PLAN ", 19);
	buf_append(&sql, text, strlen(text));
	CHECK_MSG(sqlite3_prepare_v2(h, sql.p, (int)sql.len, &st, NULL) ==
	    SQLITE_OK, "%s/%s: %s", name, key, sqlite3_errmsg(h));
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW) {
		d = (const char *)sqlite3_column_text(st, 3);
		CHECK_MSG(strstr(d, "session_dir_outcome") == NULL,
		    "%s/%s: %s", name, key, d);
		if (strstr(d, "COVERING INDEX session_t (t_start<?)") != NULL)
			sessions = 1;
		else if (sessions && strstr(d, "INDEX event_s (s=?)") != NULL)
			events = 1;
	}
	sqlite3_finalize(st);
	buf_free(&sql);
	return events;
}

/* The plan of the last statement of text, its lines one string. */
static char *
test_report_explain(sqlite3 *h, const char *text)
{
	const char	*last;

	if ((last = strrchr(text, ';')) != NULL) {
		/* The temporary table it fills, made first. */
		CHECK(sqlite3_exec(h, text, NULL, NULL, NULL) == SQLITE_OK);
		text = last + 1;
	}
	return test_db_plan(h, text);
}

static void
test_report_metrics(const char *path)
{
	const struct test_report_want *w;
	struct db	 db;
	char		 err[CLASS_ERR + 64], *plan;
	size_t		 i, j;

	CHECK(class_rules("/dev/null", err, sizeof(err)) == 0);
	CHECK(db_open(&db, path, 0, 0) == 0);
	for (i = 0; i < sizeof(test_report_metrics_want) /
	    sizeof(test_report_metrics_want[0]); i++) {
		w = &test_report_metrics_want[i];
		plan = test_report_explain(db.h, w->sql[w->i]);
		for (j = 0; j < 2 && w->index[j] != NULL; j++)
			CHECK_MSG(strstr(plan, w->index[j]) != NULL, "%zu: %s",
			    i, plan);
		free(plan);
	}
	db_close(&db);
}

int
main(void)
{
	char	dir[] = "/tmp/test_report_plan.XXXXXX", path[64];

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_mixed(path) == 0);
	test_report_plans(path);
	test_report_metrics(path);
	test_db_remove(dir);
	TEST_END();
}
