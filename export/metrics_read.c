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
 * metrics_read.c: the samples of mailtrail metrics that count lives
 * (schema/008-life.sql), from the status the writer keeps in each:
 * envelopes by final status, the queue now (by the reply class of the
 * last deferral, and its oldest), the time to delivery of each
 * delivered envelope, and with --top-domains, the busiest recipient
 * domains.  Each is one pass over an index (schema/014-metrics.sql).
 * Run after metrics_sess(), whose table of reply classes it reads.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define METRICS_READ_NCLASS	64	/* reply classes told apart */

/* The upper bounds of the buckets of time to delivery, in seconds. */
static const int64_t metrics_read_le[] = {
	1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600
};
#define METRICS_READ_NLE \
	(sizeof(metrics_read_le) / sizeof(metrics_read_le[0]))

const char *const metrics_read_sql[METRICS_READ_NSQL] = {
	/* Past the queue: delivered is counted with its histogram. */
	"SELECT status, count(*) FROM life WHERE status > 2 GROUP BY status",
	/*
	 * The queue, per status and reply: the class of each distinct
	 * reply, as the attempts had it (metrics_sess.c), else its own.
	 */
	"SELECT q.status, coalesce(k.c, reply_class(q.reply, '')), sum(q.n),"
	" min(q.t0) FROM (SELECT status, reply, count(*) AS n,"
	" min(coalesce(t_accepted, t)) AS t0 FROM life"
	" WHERE status IN (0, 2) AND evpid IS NOT NULL GROUP BY status,"
	" reply) q LEFT JOIN temp." METRICS_CLASS_TABLE " k ON"
	" k.reply = q.reply GROUP BY 1, 2",
	/*
	 * Every delivered life's time to delivery (NULL: not seen
	 * committed), put in buckets here: cheaper than a sum per bucket.
	 */
	"SELECT t_final - t_accepted FROM life INDEXED BY life_delivered"
	" WHERE status = 1",
	/* The ?1 busiest recipient domains, by lives. */
	"WITH d AS (SELECT CASE WHEN instr(rcpt_to, '@') > 0 THEN"
	" lower(substr(rcpt_to, instr(rcpt_to, '@') + 1)) ELSE '' END"
	" AS domain, status FROM life WHERE evpid IS NOT NULL OR"
	" status NOT IN (0, 2)), top AS (SELECT domain FROM d GROUP BY"
	" domain ORDER BY count(*) DESC, domain LIMIT ?1)"
	" SELECT domain, status, count(*) FROM d WHERE domain IN top"
	" GROUP BY 1, 2 ORDER BY 1, 2"
};

static int	metrics_read_final(int);
static int	metrics_read_status(struct metrics *, int64_t);
static int	metrics_read_queue(struct metrics *);
static int	metrics_read_delivery(struct metrics *, int64_t *);
static int	metrics_read_domains(struct metrics *);

/* A statement on the database being read; NULL after saying why. */
sqlite3_stmt *
metrics_read_prepare(struct metrics *m, const char *sql)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(m->h->db.h, sql, -1, &s, NULL) != SQLITE_OK) {
		log_error("%s: %s", m->h->path, sqlite3_errmsg(m->h->db.h));
		return NULL;
	}
	return s;
}

/* Statements without rows on the database being read; 1 after saying why. */
int
metrics_read_exec(struct metrics *m, const char *sql)
{
	if (db_exec(&m->h->db, sql) == 0)
		return 0;
	return log_error("%s: %s", m->h->path, sqlite3_errmsg(m->h->db.h));
}

/* 1: a row, 0: done (finalized), -1: failed (said, finalized). */
int
metrics_read_step(struct metrics *m, sqlite3_stmt *s)
{
	int	rc;

	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		return 1;
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	log_error("%s: %s", m->h->path, sqlite3_errmsg(m->h->db.h));
	return -1;
}

/* Every sample of the lives of the database being read. */
int
metrics_read(struct metrics *m)
{
	int64_t	delivered = 0;

	if (metrics_read_delivery(m, &delivered) == -1 ||
	    metrics_read_status(m, delivered) == -1 ||
	    metrics_read_queue(m) == -1)
		return -1;
	return m->top > 0 ? metrics_read_domains(m) : 0;
}

/* A status no life leaves. */
static int
metrics_read_final(int status)
{
	return status > LIFE_QUEUED && status < LIFE_NSTATUS &&
	    status != LIFE_DEFERRED;
}

static int
metrics_read_status(struct metrics *m, int64_t delivered)
{
	sqlite3_stmt	*s;
	int64_t		 n[LIFE_NSTATUS];
	int		 i, rc;

	memset(n, 0, sizeof(n));
	n[LIFE_DELIVERED] = delivered;
	if ((s = metrics_read_prepare(m, metrics_read_sql[0])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1)
		if ((i = sqlite3_column_int(s, 0)) >= 0 && i < LIFE_NSTATUS)
			n[i] = sqlite3_column_int64(s, 1);
	if (rc == -1)
		return -1;
	for (i = 0; i < LIFE_NSTATUS; i++)
		if (metrics_read_final(i))
			metrics_out_add(m, MF_ENVELOPES, "", n[i], "status",
			    status_to_text(i), NULL);
	return 0;
}

/* Queued and deferred, deferred by class, the oldest's age. */
static int
metrics_read_queue(struct metrics *m)
{
	sqlite3_stmt	*s;
	int64_t		 n[2] = { 0, 0 }, t0 = INT64_MAX;
	int		 rc, deferred;
	const char	*c;

	if ((s = metrics_read_prepare(m, metrics_read_sql[1])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		deferred = sqlite3_column_int(s, 0) == LIFE_DEFERRED;
		n[deferred] += sqlite3_column_int64(s, 2);
		if (sqlite3_column_int64(s, 3) < t0)
			t0 = sqlite3_column_int64(s, 3);
		c = (const char *)sqlite3_column_text(s, 1);
		if (deferred)
			metrics_out_add(m, MF_QUEUE_DEFERRED, "",
			    sqlite3_column_int64(s, 2), "class",
			    c != NULL ? c : "other", NULL);
	}
	if (rc == -1)
		return -1;
	metrics_out_add(m, MF_QUEUE, "", n[0], "status",
	    status_to_text(LIFE_QUEUED), NULL);
	metrics_out_add(m, MF_QUEUE, "", n[1], "status",
	    status_to_text(LIFE_DEFERRED), NULL);
	metrics_out_add(m, MF_QUEUE_OLDEST, "", t0 == INT64_MAX ||
	    t0 > m->now ? 0 : (double)(m->now - t0) / US_PER_SEC, NULL);
	return 0;
}

/* The histogram: cumulative buckets, the sum and the count. */
static int
metrics_read_delivery(struct metrics *m, int64_t *delivered)
{
	sqlite3_stmt	*s;
	int64_t		 n[METRICS_READ_NLE + 1], d, sum = 0, count = 0;
	char		 le[32];
	size_t		 i;
	int		 rc;

	memset(n, 0, sizeof(n));
	if ((s = metrics_read_prepare(m, metrics_read_sql[2])) == NULL)
		return -1;
	while ((rc = metrics_read_step(m, s)) == 1) {
		(*delivered)++;
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			continue;
		d = sqlite3_column_int64(s, 0);
		for (i = 0; i < METRICS_READ_NLE &&
		    d > metrics_read_le[i] * US_PER_SEC; i++)
			;
		n[i]++;
		sum += d;
		count++;
	}
	if (rc == -1)
		return -1;
	for (i = 0; i < METRICS_READ_NLE; i++) {
		if (i > 0)
			n[i] += n[i - 1];
		snprintf(le, sizeof(le), "%lld",
		    (long long)metrics_read_le[i]);
		metrics_out_add(m, MF_DELIVERY, "_bucket", n[i], "le", le,
		    NULL);
	}
	metrics_out_add(m, MF_DELIVERY, "_bucket", count, "le", "+Inf", NULL);
	metrics_out_add(m, MF_DELIVERY, "_sum", (double)sum / US_PER_SEC, NULL);
	metrics_out_add(m, MF_DELIVERY, "_count", count, NULL);
	return 0;
}

/* --top-domains: each domain's final statuses and its queue. */
static int
metrics_read_domains(struct metrics *m)
{
	sqlite3_stmt	*s;
	const char	*d;
	int		 rc, st;

	if ((s = metrics_read_prepare(m, metrics_read_sql[3])) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->top);
	while ((rc = metrics_read_step(m, s)) == 1) {
		d = (const char *)sqlite3_column_text(s, 0);
		st = sqlite3_column_int(s, 1);
		if (metrics_read_final(st))
			metrics_out_add(m, MF_DOMAIN_ENVELOPES, "",
			    sqlite3_column_int64(s, 2), "domain", d != NULL ?
			    d : "", "status", status_to_text(st), NULL);
		else if (st == LIFE_QUEUED || st == LIFE_DEFERRED)
			metrics_out_add(m, MF_DOMAIN_QUEUE, "",
			    sqlite3_column_int64(s, 2), "domain", d != NULL ?
			    d : "", "status", status_to_text(st), NULL);
	}
	return rc;
}
