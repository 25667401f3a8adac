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
 * metrics_sess.c: the samples of mailtrail metrics that count sessions,
 * attempts and the collector: sessions by direction and outcome (as
 * the writer keeps it, collector/sess_outcome.c), smtp-in sessions
 * refused by phase, AUTH and TLS by direction, filter responses (the
 * hour table of schema/009-hour.sql), attempts by result and reply
 * class (schema/class.c: each distinct reply once, kept in a temporary
 * table that metrics_read.c reads too), and the counters the collector
 * saves with each commit (collector/stats.c prints them).
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define METRICS_SESS_REFUSED	"refused-"	/* session.outcome prefix */

const char *const metrics_sess_sql[METRICS_SESS_NSQL] = {
	"SELECT dir, outcome, count(*) FROM session GROUP BY dir, outcome",
	"SELECT dir, auth_result, count(*) FROM session WHERE"
	" auth_result IS NOT NULL GROUP BY 1, 2",
	/* Sessions started, by the version before the first ':'. */
	"SELECT kind - 1, CASE WHEN key = '' THEN 'none' WHEN"
	" instr(key, ':') > 0 THEN substr(key, 1, instr(key, ':') - 1)"
	" ELSE key END, sum(n) FROM hour WHERE kind IN (1, 2)"
	" GROUP BY 1, 2",
	"SELECT kind - 3, substr(key, 1, instr(key, '|') - 1),"
	" substr(key, instr(key, '|') + 1), sum(n) FROM hour WHERE"
	" kind IN (3, 4) AND instr(key, '|') > 0 GROUP BY 1, 2, 3",
	/*
	 * The class of each distinct reply of a failed attempt, kept from
	 * one scrape to the next (--listen): only new replies are matched.
	 */
	"CREATE TEMP TABLE IF NOT EXISTS " METRICS_CLASS_TABLE " (reply TEXT"
	" PRIMARY KEY, c TEXT) WITHOUT ROWID; INSERT INTO temp."
	METRICS_CLASS_TABLE " SELECT reply, reply_class(reply) FROM (SELECT"
	" DISTINCT reply FROM attempt WHERE result > 0 AND reply IS NOT"
	" NULL) WHERE reply NOT IN (SELECT reply FROM temp."
	METRICS_CLASS_TABLE ")",
	/*
	 * By result; a failure by its reply's class, or with no reply by
	 * how its session ended, as class_attempt() says.  A delivery's
	 * reply (each a queue id) is never looked at.
	 */
	"SELECT 0, NULL, count(*) FROM attempt WHERE result = 0"
	" UNION ALL SELECT result, coalesce(c, 'other'), sum(n) FROM"
	" (SELECT a.result AS result, k.c AS c, a.n AS n FROM"
	" (SELECT result, reply, count(*) AS n FROM attempt"
	" WHERE result > 0 AND reply IS NOT NULL"
	" GROUP BY 1, 2) a LEFT JOIN temp." METRICS_CLASS_TABLE " k ON"
	" k.reply = a.reply UNION ALL SELECT a.result,"
	" reply_class(NULL, s.outcome), count(*) FROM attempt a"
	" JOIN session s ON s.id = a.session WHERE"
	" a.result > 0 AND a.reply IS NULL GROUP BY 1, 2) GROUP BY 1, 2",
	"SELECT name, value FROM counter"
};

/* The collector's counters (enum counter) and their families. */
static const struct {
	enum counter		 cnt;
	enum metrics_fam	 fam;
} metrics_sess_counters[] = {
	{ CNT_LINES, MF_LINES },
	{ CNT_REJECTED, MF_MALFORMED },
	{ CNT_SPILLED, MF_SPILLED },
	{ CNT_LOST, MF_LOST },
	{ CNT_COMMITS, MF_COMMITS },
	{ CNT_LAST_COMMIT, MF_LAST_COMMIT }
};
#define METRICS_SESS_NCOUNTERS \
	(sizeof(metrics_sess_counters) / sizeof(metrics_sess_counters[0]))

static const char	*metrics_sess_dir(sqlite3_stmt *, int);
static int		 metrics_sess_outcomes(struct metrics *);
static int		 metrics_sess_auth(struct metrics *);
static int		 metrics_sess_hour(struct metrics *);
static int		 metrics_sess_attempts(struct metrics *);
static int		 metrics_sess_collector(struct metrics *);

int
metrics_sess(struct metrics *m)
{
	if (metrics_sess_outcomes(m) == -1 || metrics_sess_auth(m) == -1 ||
	    metrics_sess_hour(m) == -1 || metrics_sess_attempts(m) == -1)
		return -1;
	return metrics_sess_collector(m);
}

/* Column i, a direction (0 smtp-in), as a label value. */
static const char *
metrics_sess_dir(sqlite3_stmt *s, int i)
{
	return sqlite3_column_int(s, i) == 0 ? "in" : "out";
}

/* Sessions by outcome; smtp-in's refusals by phase, each phase shown. */
static int
metrics_sess_outcomes(struct metrics *m)
{
	sqlite3_stmt	*s;
	const char	*o;
	int64_t		 refused[SO_N];
	size_t		 len = strlen(METRICS_SESS_REFUSED);
	int		 i, rc;

	memset(refused, 0, sizeof(refused));
	if ((s = metrics_read_prepare(m, metrics_sess_sql[0])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		o = (const char *)sqlite3_column_text(s, 1);
		metrics_out_add(m, MF_SESSIONS, "", sqlite3_column_int64(s, 2),
		    "direction", metrics_sess_dir(s, 0), "outcome",
		    o != NULL ? o : "none", NULL);
		if (o != NULL && sqlite3_column_int(s, 0) == 0 &&
		    (i = text_to_session_outcome(o)) != -1)
			refused[i] += sqlite3_column_int64(s, 2);
	}
	if (rc == -1)
		return -1;
	for (i = 0; i < SO_N; i++) {
		o = session_outcome_to_text(i);
		if (strncmp(o, METRICS_SESS_REFUSED, len) == 0)
			metrics_out_add(m, MF_REFUSED, "", refused[i],
			    "phase", o + len, NULL);
	}
	return 0;
}

static int
metrics_sess_auth(struct metrics *m)
{
	sqlite3_stmt	*s;
	const char	*r;
	int		 rc;

	if ((s = metrics_read_prepare(m, metrics_sess_sql[1])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		r = model_auth_name(sqlite3_column_int(s, 1));
		metrics_out_add(m, MF_AUTH, "", sqlite3_column_int64(s, 2),
		    "direction", metrics_sess_dir(s, 0), "result",
		    r != NULL ? r : "other", NULL);
	}
	return rc;
}

/* TLS versions and filter responses, from the counts per hour. */
static int
metrics_sess_hour(struct metrics *m)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = metrics_read_prepare(m, metrics_sess_sql[2])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1)
		metrics_out_add(m, MF_TLS, "", sqlite3_column_int64(s, 2),
		    "direction", metrics_sess_dir(s, 0), "version",
		    (const char *)sqlite3_column_text(s, 1), NULL);
	if (rc == -1 ||
	    (s = metrics_read_prepare(m, metrics_sess_sql[3])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1)
		metrics_out_add(m, MF_FILTER, "", sqlite3_column_int64(s, 3),
		    "direction", metrics_sess_dir(s, 0), "phase",
		    (const char *)sqlite3_column_text(s, 1), "decision",
		    (const char *)sqlite3_column_text(s, 2), NULL);
	return rc;
}

/* By result; a failure by its class ("other" when it has none). */
static int
metrics_sess_attempts(struct metrics *m)
{
	sqlite3_stmt	*s;
	const char	*c;
	int		 rc, r;

	if (metrics_read_exec(m, metrics_sess_sql[4]) != 0 ||
	    (s = metrics_read_prepare(m, metrics_sess_sql[5])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		r = sqlite3_column_int(s, 0);
		c = (const char *)sqlite3_column_text(s, 1);
		metrics_out_add(m, MF_ATTEMPTS, "", sqlite3_column_int64(s, 2),
		    "result", proto_result_name(r) != NULL ?
		    proto_result_name(r) : "other", "class", c, NULL);
	}
	return rc;
}

/* Each counter, 0 before the collector first saved it. */
static int
metrics_sess_collector(struct metrics *m)
{
	sqlite3_stmt	*s;
	const char	*name;
	int64_t		 v[METRICS_SESS_NCOUNTERS];
	size_t		 i;
	int		 c, rc;

	memset(v, 0, sizeof(v));
	if ((s = metrics_read_prepare(m, metrics_sess_sql[6])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		name = (const char *)sqlite3_column_text(s, 0);
		c = name != NULL ? text_to_counter(name) : -1;
		for (i = 0; i < METRICS_SESS_NCOUNTERS; i++)
			if (c == (int)metrics_sess_counters[i].cnt)
				v[i] = sqlite3_column_int64(s, 1);
	}
	if (rc == -1)
		return -1;
	for (i = 0; i < METRICS_SESS_NCOUNTERS; i++)
		metrics_out_add(m, metrics_sess_counters[i].fam, "",
		    metrics_sess_counters[i].fam == MF_LAST_COMMIT ?
		    (double)v[i] / US_PER_SEC : (double)v[i], NULL);
	return 0;
}
