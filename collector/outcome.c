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
 * outcome.c: maillog lines into the outcome table.  It gives each line
 * its time (a syslog time has no year: the reports of the same envelope
 * or session say which one; a line without a time gets an estimate,
 * marked as such), stores each line once (the line itself is the
 * unique key), and counts what it read.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mailtrail.h"
#include "collector.h"

#define OUTCOME_SLACK		86400	/* seconds a line may be past mtime */
#define OUTCOME_REF_ATTEMPT	0	/* STMT_OUTCOME_REF: its attempt */

const char *const outcome_counter_names[OCNT_MAX] = {
	[OCNT_LINES] = "maillog_lines",
	[OCNT_TAKEN] = "maillog_taken",
	[OCNT_SKIPPED] = "maillog_skipped",
	[OCNT_MALFORMED] = "maillog_malformed",
	[OCNT_DUPLICATES] = "maillog_duplicates",
};

static int64_t	outcome_time(struct outcome *, const struct maillog *);
static int64_t	outcome_ref(struct outcome *, const struct maillog *);
static int64_t	outcome_second(struct outcome *, const struct maillog *);
static int64_t	outcome_attempt(struct outcome *, const struct maillog *,
		    int64_t);
static int64_t	outcome_after(struct outcome *, const struct maillog *,
		    int64_t);
static int64_t	outcome_store(struct outcome *, const struct maillog *,
		    int64_t);
static void	outcome_unqueued(struct outcome *, const struct maillog *);
static void	outcome_malformed(struct outcome *, const struct maillog *,
		    int);

void
outcome_init(struct outcome *o, struct store *st)
{
	memset(o, 0, sizeof(*o));
	o->st = st;
}

/*
 * The modification time of the file being read (microseconds); while
 * it is followed, now.
 */
void
outcome_file(struct outcome *o, int64_t mtime)
{
	o->mtime = mtime;
}

void
outcome_line(struct outcome *o, const char *line, size_t len)
{
	struct maillog	m;
	int		rv;

	o->count[OCNT_LINES]++;
	if ((rv = maillog_parse(&m, line, len)) == MAILLOG_SKIP) {
		o->count[OCNT_SKIPPED]++;
		return;
	}
	if (rv != MAILLOG_OK) {
		outcome_malformed(o, &m, rv);
		return;
	}
	o->count[OCNT_TAKEN]++;
	if (outcome_store(o, &m, outcome_time(o, &m)) == 0)
		o->count[OCNT_DUPLICATES]++;
	else if (m.kind == MAILLOG_REMOVE || m.kind == MAILLOG_UNQUEUED)
		outcome_unqueued(o, &m);
}

static void
outcome_malformed(struct outcome *o, const struct maillog *m, int rv)
{
	char	quoted[ESCAPE_QUOTE_SIZE];

	o->count[OCNT_MALFORMED]++;
	log_limited(&o->limit, "maillog: %s, skipped: %s",
	    maillog_strerror(rv), escape_quote(quoted, m->line, m->len));
}

/*
 * Microseconds, or 0 if unknown.  A line without a time gets an
 * estimate from the report events of its envelope or session (stored
 * as such: outcome.t_estimated).  A syslog time gets
 * the year that puts it nearest to them, else nearest to the newest
 * report stored, else the last year that does not put it after the
 * file was written.
 */
static int64_t
outcome_time(struct outcome *o, const struct maillog *m)
{
	int64_t	ref;

	if (m->stamp == MAILLOG_STAMP_ABS)
		return m->time;
	ref = outcome_ref(o, m);
	if (m->stamp == MAILLOG_STAMP_NONE)
		return ref;
	if (ref != 0)
		return outcome_year(m, ref, 0);
	/* The collector may be adding reports: asked each time, it is cheap. */
	if (store_find(o->st, STMT_OUTCOME_NEWEST, 1, 1, &ref, NULL) &&
	    ref != 0)
		return outcome_year(m, ref, 0);
	return outcome_year(m, o->mtime, 1);
}

/*
 * The time of the report events of the line's envelope or session,
 * most specific first (see STMT_OUTCOME_REF); 0 if there are none.  A
 * line without a time of the envelope's life after the queue (a
 * delivery, an expiry, a removal, a bounce) is placed by its delay:
 * outcome_attempt() when its attempt was reported, outcome_after()
 * otherwise.  An mda session id is smtpd's own, not a report session's.
 */
static int64_t
outcome_ref(struct outcome *o, const struct maillog *m)
{
	int64_t	t, from, sid = 0;

	if (m->kind == MAILLOG_MTA || m->kind == MAILLOG_MESSAGE ||
	    m->kind == MAILLOG_ENVELOPE)
		sid = (int64_t)m->sid;
	if (m->evpid == 0 && sid == 0)
		return 0;
	if (!store_find(o->st, STMT_OUTCOME_REF, (int64_t)m->evpid, sid, &t,
	    &from))
		return 0;
	if (m->stamp != MAILLOG_STAMP_NONE || m->evpid == 0 ||
	    m->kind == MAILLOG_MESSAGE || m->kind == MAILLOG_ENVELOPE)
		return t;	/* a syslog time's year: near is enough */
	if (from == OUTCOME_REF_ATTEMPT)
		return outcome_attempt(o, m, t);
	return outcome_after(o, m, t);
}

/*
 * smtpd counts delay in whole seconds from the second the envelope was
 * created (its tx-envelope): the line was written in the second that
 * starts delay seconds after that one.  0 if unknown.
 */
static int64_t
outcome_second(struct outcome *o, const struct maillog *m)
{
	int64_t	created;

	if (!m->has_delay || !store_find(o->st, STMT_OUTCOME_CREATED,
	    (int64_t)m->evpid, 0, &created, NULL) || created <= 0)
		return 0;
	return (created / US_PER_SEC + m->delay) * US_PER_SEC;
}

/*
 * An mta line of a session the reports know: the end of the attempt
 * it closes, the first of that session to end in or after the line's
 * second (t: the last one's).
 */
static int64_t
outcome_attempt(struct outcome *o, const struct maillog *m, int64_t t)
{
	int64_t	s, end;

	if ((s = outcome_second(o, m)) != 0 && store_find3(o->st,
	    STMT_OUTCOME_ATTEMPT, (int64_t)m->evpid, (int64_t)m->sid, s, &end))
		return end;
	return t;
}

/*
 * Any other line of the envelope's life after the queue: in its second
 * (or at t, without a delay), and not before the latest fact it
 * follows there (the commit, the envelope's attempts, its lines read
 * before).
 */
static int64_t
outcome_after(struct outcome *o, const struct maillog *m, int64_t t)
{
	int64_t	lo, hi = INT64_MAX, last;

	if ((lo = outcome_second(o, m)) != 0)
		hi = lo + US_PER_SEC;
	else
		lo = t;
	if (store_find(o->st, STMT_OUTCOME_AFTER, (int64_t)m->evpid, hi,
	    &last, NULL) && last > lo)
		lo = last;
	return lo;
}

/*
 * The local time of the syslog stamp in the year before, of or after
 * that of ref: the nearest to ref, or with notafter the latest not
 * (much) after it.  0 if none fits (Feb 29 in no leap year near ref).
 */
int64_t
outcome_year(const struct maillog *m, int64_t ref, int notafter)
{
	struct tm	tm;
	time_t		r = ref / US_PER_SEC, c, best = 0;
	int		y, y0, found = 0;

	if (localtime_r(&r, &tm) == NULL)
		return 0;
	y0 = tm.tm_year;
	for (y = y0 - 1; y <= y0 + 1; y++) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y;
		tm.tm_mon = m->mon;
		tm.tm_mday = m->mday;
		tm.tm_hour = m->hour;
		tm.tm_min = m->min;
		tm.tm_sec = m->sec;
		tm.tm_isdst = -1;
		if ((c = mktime(&tm)) == (time_t)-1 || tm.tm_mon != m->mon)
			continue;
		if (notafter && c > r + OUTCOME_SLACK)
			continue;
		if (!found || llabs((long long)(c - r)) <
		    llabs((long long)(best - r)))
			best = c;
		found = 1;
	}
	return found ? best * US_PER_SEC : 0;
}

/* Returns the new row's id, 0 if the line was there already, or -1. */
static int64_t
outcome_store(struct outcome *o, const struct maillog *m, int64_t t)
{
	struct proto_str line = { m->line, m->len };
	int64_t		 msgid;

	msgid = m->kind == MAILLOG_MESSAGE ? (int32_t)m->msgid :
	    (int32_t)(m->evpid >> 32);
	return store_run(o->st, STMT_OUTCOME_NEW,
	    "ztsizzttttttsiiitiitzti", t, &m->f[MLF_HOST],
	    maillog_kind_name(m->kind), (int64_t)m->sid, (int64_t)m->evpid,
	    msgid, &m->f[MLF_FROM], &m->f[MLF_TO], &m->f[MLF_RCPT],
	    &m->f[MLF_SOURCE], &m->f[MLF_RELAY], &m->f[MLF_USER], m->agent,
	    (int64_t)m->has_delay, m->delay, (int64_t)m->result,
	    &m->f[MLF_STAT], m->size, m->nrcpt, &m->f[MLF_PROTO],
	    (int64_t)m->bounce, &line,
	    (int64_t)(t != 0 && m->stamp == MAILLOG_STAMP_NONE));
}

/*
 * A removal line: which of the envelope's counts (STMT_OUTCOME_UNQUEUED).
 * A failure fails the batch's commit.
 */
static void
outcome_unqueued(struct outcome *o, const struct maillog *m)
{
	store_run(o->st, STMT_OUTCOME_UNQUEUED, "i", (int64_t)m->evpid);
}

/* Add the counts since the last commit, in the open transaction. */
int
outcome_save(struct outcome *o)
{
	int	i;

	for (i = 0; i < OCNT_MAX; i++)
		if (store_run(o->st, STMT_COUNTER_ADD, "si",
		    outcome_counter_names[i], o->count[i]) == -1)
			return -1;
	return 0;
}

void
outcome_committed(struct outcome *o)
{
	int	i;

	for (i = 0; i < OCNT_MAX; i++) {
		o->total[i] += o->count[i];
		o->count[i] = 0;
	}
}

/* The transaction was rolled back: its lines will be read again. */
void
outcome_discard(struct outcome *o)
{
	memset(o->count, 0, sizeof(o->count));
}
