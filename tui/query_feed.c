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
 * query_feed.c: which list rows to read: the newest window (by the
 * time indexes of life and session), the rows a filter names (by the
 * address, id and msgid indexes), and the rows that events (from, to]
 * or maillog lines (from, to] touched (a rowid range of event or of
 * outcome: never the whole database).
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

/* The smtp-out sessions a range touched. */
struct query_feed_out {
	int64_t		 session;
	int64_t		 t;		/* its first event in the range */
};

struct query_feed_outs {
	struct query_feed_out	*v;
	size_t			 n, cap;
};

static void	query_feed_key(struct query_delta *, enum query_kind, int64_t);
static void	query_feed_session(struct query_delta *, int64_t);
static void	query_feed_clear(struct query_delta *);
static int	query_feed_run(struct query *, enum query_stmt, enum query_kind,
		    struct query_delta *, int64_t, const char *, int64_t);
static void	query_feed_finish(struct query_delta *);
static int	query_feed_key_cmp(const void *, const void *);
static int	query_feed_id_cmp(const void *, const void *);
static int	query_feed_event(struct query *, sqlite3_stmt *,
		    struct query_delta *, struct query_feed_outs *);
static void	query_feed_out_add(struct query_feed_outs *, int64_t,
		    int64_t);
static int	query_feed_rej_at(struct query *, struct query_delta *, int64_t,
		    int64_t, int64_t);

static void
query_feed_key(struct query_delta *d, enum query_kind kind, int64_t key)
{
	d->keys = xgrow(d->keys, d->nkeys, &d->kcap, 64, sizeof(*d->keys));
	d->keys[d->nkeys].kind = kind;
	d->keys[d->nkeys++].key = key;
}

static void
query_feed_session(struct query_delta *d, int64_t id)
{
	if (d->nsessions > 0 && d->sessions[d->nsessions - 1] == id)
		return;
	d->sessions = xgrow(d->sessions, d->nsessions, &d->scap, 64,
	    sizeof(*d->sessions));
	d->sessions[d->nsessions++] = id;
}

static void
query_feed_clear(struct query_delta *d)
{
	d->from = d->to = 0;
	d->reload = 0;
	d->nkeys = d->nsessions = 0;
}

void
query_feed_free(struct query_delta *d)
{
	free(d->keys);
	free(d->sessions);
	memset(d, 0, sizeof(*d));
}

static int
query_feed_key_cmp(const void *a, const void *b)
{
	const struct query_key	*x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static int
query_feed_id_cmp(const void *a, const void *b)
{
	const int64_t	*x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* Sort and make unique, for the binary searches below. */
static void
query_feed_finish(struct query_delta *d)
{
	size_t	i, n;

	if (d->nkeys > 0)
		qsort(d->keys, d->nkeys, sizeof(*d->keys), query_feed_key_cmp);
	for (i = n = 0; i < d->nkeys; i++)
		if (n == 0 || query_feed_key_cmp(&d->keys[n - 1],
		    &d->keys[i]) != 0)
			d->keys[n++] = d->keys[i];
	d->nkeys = n;
	if (d->nsessions > 0)
		qsort(d->sessions, d->nsessions, sizeof(*d->sessions),
		    query_feed_id_cmp);
	for (i = n = 0; i < d->nsessions; i++)
		if (n == 0 || d->sessions[n - 1] != d->sessions[i])
			d->sessions[n++] = d->sessions[i];
	d->nsessions = n;
}

int
query_feed_has(const struct query_delta *d, enum query_kind kind,
    int64_t key)
{
	struct query_key	k;

	k.kind = kind;
	k.key = key;
	return d->nkeys > 0 && bsearch(&k, d->keys, d->nkeys,
	    sizeof(*d->keys), query_feed_key_cmp) != NULL;
}

int
query_feed_has_session(const struct query_delta *d, int64_t id)
{
	return d->nsessions > 0 && bsearch(&id, d->sessions, d->nsessions,
	    sizeof(*d->sessions), query_feed_id_cmp) != NULL;
}

/*
 * Add the first column of statement n's rows as keys: ?1 is a (or the
 * text s), ?2, when the statement has one, is b.
 */
static int
query_feed_run(struct query *q, enum query_stmt n, enum query_kind kind,
    struct query_delta *d, int64_t a, const char *s, int64_t b)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = query_stmt(q, n)) == NULL)
		return -1;
	if (s != NULL)
		sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, a);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, b);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		query_feed_key(d, kind, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The keys of the newest n rows: the lives (envelopes and refused
 * recipients) from the time of the n-th newest on, and the sessions
 * ended before MAIL of that time too (at most n of each: the caller
 * keeps the newest n).
 */
int
query_feed_window(struct query *q, size_t n, int64_t upto,
    struct query_delta *d)
{
	sqlite3_stmt	*s;
	int64_t		 t0 = 0;
	int		 rc;

	query_feed_clear(d);
	if ((s = query_stmt(q, Q_WIN_T0)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, upto);
	sqlite3_bind_int64(s, 2, n > 0 ? (int64_t)n - 1 : 0);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		t0 = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	if ((s = query_stmt(q, Q_WIN_LIFE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, t0);
	sqlite3_bind_int64(s, 2, upto);
	sqlite3_bind_int64(s, 3, (int64_t)n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			query_feed_key(d, QUERY_ENVELOPE,
			    sqlite3_column_int64(s, 0));
		else
			query_feed_key(d, QUERY_REJECTED,
			    sqlite3_column_int64(s, 1));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || (s = query_stmt(q, Q_WIN_SES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, t0);
	sqlite3_bind_int64(s, 2, upto);
	sqlite3_bind_int64(s, 3, (int64_t)n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		query_feed_key(d, QUERY_SESSION, sqlite3_column_int64(s, 0));
	sqlite3_reset(s);
	query_feed_finish(d);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The term of q an index can answer (an id, a msgid, an exact sender
 * or recipient), or -1: then only the window is filtered.
 */
int
query_feed_indexed(const struct model_query *q)
{
	size_t	i;
	int	best = -1, rank, best_rank = 0;

	for (i = 0; q != NULL && i < q->n; i++) {
		switch (q->terms[i].kind) {
		case TERM_ID16:
			rank = 4;
			break;
		case TERM_MSGID:
			rank = 3;
			break;
		case TERM_FROM:
		case TERM_TO:
			rank = q->terms[i].domain ? 0 : 2;
			break;
		default:
			rank = 0;
		}
		if (rank > best_rank) {
			best_rank = rank;
			best = (int)i;
		}
	}
	return best;
}

/* The keys of the newest n rows the indexed term of q names. */
int
query_feed_index(struct query *q, const struct model_query *mq, size_t n,
    struct query_delta *d)
{
	const struct model_term	*t;
	int64_t			 id;
	int			 i, r = 0;

	query_feed_clear(d);
	if ((i = query_feed_indexed(mq)) == -1)
		return -1;
	t = &mq->terms[i];
	switch (t->kind) {
	case TERM_ID16:
		/* An envelope, or every row of a session. */
		id = (int64_t)t->id;
		query_feed_key(d, QUERY_ENVELOPE, id);
		r |= query_feed_run(q, Q_IX_SID_ENV, QUERY_ENVELOPE, d, id,
		    NULL, 0);
		r |= query_feed_run(q, Q_IX_SID_REJ, QUERY_REJECTED, d, id,
		    NULL, 0);
		r |= query_feed_run(q, Q_IX_SID_OUT, QUERY_ENVELOPE, d, id,
		    NULL, 0);
		r |= query_feed_run(q, Q_IX_SID_SES, QUERY_SESSION, d, id, NULL,
		    0);
		break;
	case TERM_MSGID:
		r |= query_feed_run(q, Q_ENV_MSGID, QUERY_ENVELOPE, d,
		    (int32_t)(uint32_t)t->id, NULL, 0);
		r |= query_feed_run(q, Q_IX_MSGID_REJ, QUERY_REJECTED, d,
		    (int32_t)(uint32_t)t->id, NULL, 0);
		break;
	case TERM_FROM:
		r |= query_feed_run(q, Q_IX_FROM_ENV, QUERY_ENVELOPE, d, 0,
		    t->s, n);
		r |= query_feed_run(q, Q_IX_FROM_OPEN, QUERY_ENVELOPE, d, 0,
		    t->s, n);
		r |= query_feed_run(q, Q_IX_FROM_REJ, QUERY_REJECTED, d, 0,
		    t->s, n);
		r |= query_feed_run(q, Q_IX_FROM_REJ_OPEN, QUERY_REJECTED, d,
		    0, t->s, n);
		break;
	case TERM_TO:
		r |= query_feed_run(q, Q_IX_TO_ENV, QUERY_ENVELOPE, d, 0, t->s,
		    n);
		r |= query_feed_run(q, Q_IX_TO_REJ, QUERY_REJECTED, d, 0, t->s,
		    n);
		break;
	default:
		break;
	}
	query_feed_finish(d);
	return r == 0 ? 0 : -1;
}

static void
query_feed_out_add(struct query_feed_outs *o, int64_t session, int64_t t)
{
	size_t	i;

	for (i = 0; i < o->n; i++)
		if (o->v[i].session == session) {
			if (t < o->v[i].t)
				o->v[i].t = t;
			return;
		}
	o->v = xgrow(o->v, o->n, &o->cap, 16, sizeof(*o->v));
	o->v[o->n].session = session;
	o->v[o->n++].t = t;
}

/* The recipient session s refused in transaction m at t. */
static int
query_feed_rej_at(struct query *q, struct query_delta *d, int64_t s, int64_t m,
    int64_t t)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = query_stmt(q, Q_REJ_AT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, s);
	sqlite3_bind_int64(st, 2, m);
	sqlite3_bind_int64(st, 3, t);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		query_feed_key(d, QUERY_REJECTED, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* What one event of the range touches (a row of Q_DELTA). */
static int
query_feed_event(struct query *q, sqlite3_stmt *e, struct query_delta *d,
    struct query_feed_outs *out)
{
	const char	*x;
	uint64_t	 evpid;
	int64_t		 t, s, m, k;
	int		 ev, dir;

	t = sqlite3_column_int64(e, 1);
	k = sqlite3_column_int64(e, 2);
	proto_kind_split(k, &ev, &dir, NULL);
	if (sqlite3_column_type(e, 3) == SQLITE_NULL)
		return 0;
	s = sqlite3_column_int64(e, 3);
	m = sqlite3_column_int64(e, 4);
	x = (const char *)sqlite3_column_text(e, 5);
	query_feed_session(d, s);
	if (ev == EVT_TX_ENVELOPE && x != NULL && strlen(x) == 16 &&
	    text_to_id(x, 16, &evpid) == 0)
		query_feed_key(d, QUERY_ENVELOPE, (int64_t)evpid);
	/* A reply too: a refused MAIL FROM has no tx-* line. */
	if (dir == DIR_OUT) {
		if (ev == EVT_TX_RCPT || ev == EVT_TX_COMMIT ||
		    ev == EVT_TX_ROLLBACK || ev == EVT_TX_RESET ||
		    ev == EVT_LINK_DISCONNECT || ev == EVT_TIMEOUT ||
		    ev == EVT_PROTOCOL_SERVER)
			query_feed_out_add(out, s, t);
		return 0;
	}
	switch (ev) {
	case EVT_TX_RCPT:
		if (x != NULL && strncmp(x, "ok|", 3) == 0)
			return 0;
		return query_feed_rej_at(q, d, s, m, t);
	case EVT_TX_RESET:
	case EVT_TX_COMMIT:
	case EVT_TX_ROLLBACK:
		return query_feed_run(q, Q_ENV_MSGID, QUERY_ENVELOPE, d, m,
		    NULL, 0);
	case EVT_LINK_DISCONNECT:
		query_feed_key(d, QUERY_SESSION, s);
		return 0;
	default:
		return 0;
	}
}

/*
 * The rows and sessions events (from, to] touched.  More than
 * QUERY_DELTA_MAX events: reload is set, read the window again.
 */
int
query_feed_delta(struct query *q, int64_t from, int64_t to,
    struct query_delta *d)
{
	struct query_feed_outs	 out;
	sqlite3_stmt		*e;
	size_t			 i;
	int			 rc, r = 0;

	query_feed_clear(d);
	d->from = from;
	d->to = to;
	if (to - from > QUERY_DELTA_MAX) {
		d->reload = 1;
		return 0;
	}
	if (to <= from || (e = query_stmt(q, Q_DELTA)) == NULL)
		return to <= from ? 0 : -1;
	sqlite3_bind_int64(e, 1, from);
	sqlite3_bind_int64(e, 2, to);
	memset(&out, 0, sizeof(out));
	while (r == 0 && (rc = sqlite3_step(e)) == SQLITE_ROW)
		r = query_feed_event(q, e, d, &out);
	sqlite3_reset(e);
	if (r == 0 && rc != SQLITE_DONE)
		r = -1;
	/* An attempt settled late: from a second before its first event. */
	for (i = 0; r == 0 && i < out.n; i++)
		r = query_feed_run(q, Q_ATT_SES, QUERY_ENVELOPE, d,
		    out.v[i].session, NULL, out.v[i].t - US_PER_SEC);
	free(out.v);
	query_feed_finish(d);
	return r;
}

/*
 * Add the envelopes that maillog lines (from, to] name to the rows d
 * holds: their lives changed though no event came.  More than
 * QUERY_DELTA_MAX lines: reload is set.
 */
int
query_feed_outcomes(struct query *q, int64_t from, int64_t to,
    struct query_delta *d)
{
	if (to - from > QUERY_DELTA_MAX) {
		d->reload = 1;
		return 0;
	}
	if (to <= from)
		return 0;
	if (query_feed_run(q, Q_OUTCOMES, QUERY_ENVELOPE, d, from, NULL,
	    to) == -1)
		return -1;
	query_feed_finish(d);
	return 0;
}
