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
 * prune.c: retention.  A trace (sessions and the envelopes they
 * received or tried, closed both ways) goes as a whole once old, with
 * all rows of its sessions: what stays is never half a trace.
 * prune_old() says what is old; prune_step() and prune_tick() remove in
 * small steps.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define PRUNE_TICK_ROWS		500	/* rows per collect step */
#define PRUNE_PASS_EVERY	(3600 * US_PER_SEC)	/* collect: a pass */
#define PRUNE_LIST_MAX		4096	/* ids of one node looked at */
#define PRUNE_NODES_MAX		200000	/* a larger trace waits */
#define PRUNE_WAITING		(5 * 86400 * US_PER_SEC) /* see prune_old() */

struct prune_list {
	int64_t		*v;
	size_t		 n, cap;
};

/* One trace being gathered: its sessions and envelopes, in order. */
struct prune_trace {
	struct idset		 seen_s, seen_e;
	struct prune_list	 s, e;
	int			 young;		/* a session not old enough */
	int			 big;		/* past PRUNE_NODES_MAX */
};

static void	prune_list_push(struct prune_list *, int64_t);
static void	prune_trace_free(struct prune_trace *);
static int	prune_old(struct prune *, struct store *, int, int64_t);
static int	prune_trace_gather(struct prune *, struct store *, int64_t,
		    struct prune_trace *);
static int	prune_trace_node(struct prune *, struct store *,
		    struct prune_trace *, int, int64_t);
static int64_t	prune_trace_delete(struct store *, const struct prune_trace *,
		    int64_t);
static int64_t	prune_del(struct store *, enum store_stmt, int64_t);
static int64_t	prune_raw(struct prune *, struct store *, int64_t);

static void
prune_list_push(struct prune_list *l, int64_t v)
{
	l->v = xgrow(l->v, l->n, &l->cap, 16, sizeof(*l->v));
	l->v[l->n++] = v;
}

static void
prune_trace_free(struct prune_trace *tr)
{
	idset_free(&tr->seen_s);
	idset_free(&tr->seen_e);
	free(tr->s.v);
	free(tr->e.v);
	memset(tr, 0, sizeof(*tr));
}

void
prune_init(struct prune *p, int64_t cutoff)
{
	memset(p, 0, sizeof(*p));
	p->cutoff = cutoff;
}

void
prune_free(struct prune *p)
{
	idset_free(&p->kept);
}

/*
 * A session is old once it ended before the cutoff; an envelope once
 * delivered or failed, or first seen PRUNE_WAITING before the cutoff
 * (smtpd gives up after 4 days by default).  An smtp-out session where
 * the next hop refused a MAIL FROM waits as long: the read model may
 * give that refusal to a waiting envelope (docs/json.md), which must
 * not lose it.
 */
static int
prune_old(struct prune *p, struct store *st, int is_s, int64_t id)
{
	int64_t	t_end = 0, dir = 0, x;

	if (!is_s)
		return store_find(st, STMT_PRUNE_ENV_OLD, id,
		    p->cutoff - PRUNE_WAITING, &x, NULL) && x;
	if (!store_find(st, STMT_PRUNE_SESS_OLD, id, 1, &t_end, &dir) ||
	    t_end >= p->cutoff)
		return 0;
	if (dir == 0 || t_end < p->cutoff - PRUNE_WAITING)
		return 1;
	return !store_find(st, STMT_PRUNE_SESS_REFUSED, id, 1, &x, NULL);
}

/*
 * Add the neighbours of one node: a session's envelopes (is_s), or an
 * envelope's sessions; note a node too young to go.
 */
static int
prune_trace_node(struct prune *p, struct store *st, struct prune_trace *tr,
    int is_s, int64_t id)
{
	int64_t	ids[PRUNE_LIST_MAX];
	size_t	i, n;

	if (!prune_old(p, st, is_s, id))
		tr->young = 1;
	n = store_list(st, is_s ? STMT_PRUNE_SESS_EVP : STMT_PRUNE_EVP_SESS,
	    id, ids, PRUNE_LIST_MAX);
	if (store_failed(st))
		return -1;
	if (n == PRUNE_LIST_MAX)
		tr->big = 1;
	for (i = 0; i < n && !tr->big; i++) {
		if (is_s && idset_add(&tr->seen_e, ids[i]))
			prune_list_push(&tr->e, ids[i]);
		else if (!is_s && idset_add(&tr->seen_s, ids[i]))
			prune_list_push(&tr->s, ids[i]);
	}
	if (tr->s.n + tr->e.n > PRUNE_NODES_MAX)
		tr->big = 1;
	return 0;
}

/*
 * The trace of session seed, breadth first.  1: it can go; 0: it stays
 * (young, or too big to look at whole); -1: a database error.
 */
static int
prune_trace_gather(struct prune *p, struct store *st, int64_t seed,
    struct prune_trace *tr)
{
	size_t	si = 0, ei = 0;

	idset_add(&tr->seen_s, seed);
	prune_list_push(&tr->s, seed);
	while (!tr->big && (si < tr->s.n || ei < tr->e.n)) {
		if (si < tr->s.n) {
			if (prune_trace_node(p, st, tr, 1, tr->s.v[si++]) == -1)
				return -1;
		} else if (prune_trace_node(p, st, tr, 0, tr->e.v[ei++]) == -1)
			return -1;
	}
	return !tr->young && !tr->big;
}

static int64_t
prune_del(struct store *st, enum store_stmt n, int64_t id)
{
	if (store_run(st, n, "i", id) == -1)
		return -1;
	return store_changes(st);
}

/*
 * Every row of the trace, with the out_refusal rows of its sessions and
 * the outcome rows (maillog) of its envelopes and their messages; the
 * number of rows, -1 on failure.
 */
static int64_t
prune_trace_delete(struct store *st, const struct prune_trace *tr,
    int64_t cutoff)
{
	static const enum store_stmt per_session[] = {
		STMT_PRUNE_DEL_EVENTS, STMT_PRUNE_DEL_RCPT,
		STMT_PRUNE_DEL_ATTEMPTS, STMT_PRUNE_DEL_TX,
		STMT_PRUNE_DEL_REFUSALS, STMT_PRUNE_DEL_SESSION
	};
	int64_t	rows = 0, n;
	size_t	i, j;

	if (tr->s.n > 0)
		store_need_events(st);	/* it deletes events by session */
	for (i = 0; i < tr->s.n; i++) {
		/* Not counted: event_rare and hour only point at events. */
		if (prune_del(st, STMT_PRUNE_DEL_RARE, tr->s.v[i]) == -1 ||
		    prune_del(st, STMT_PRUNE_DEL_HOUR, tr->s.v[i]) == -1)
			return -1;
		for (j = 0; j < sizeof(per_session) / sizeof(*per_session);
		    j++) {
			if ((n = prune_del(st, per_session[j], tr->s.v[i])) ==
			    -1)
				return -1;
			rows += n;
		}
	}
	for (i = 0; i < tr->e.n; i++) {
		if (store_run(st, STMT_PRUNE_DEL_OUTCOME, "ii", tr->e.v[i],
		    cutoff) == -1)
			return -1;
		rows += store_changes(st);
		if ((n = prune_del(st, STMT_PRUNE_DEL_ENVELOPE, tr->e.v[i])) ==
		    -1)
			return -1;
		rows += n;
	}
	return rows;
}

/* Sessionless events (lines kept raw) before the cutoff: up to max. */
static int64_t
prune_raw(struct prune *p, struct store *st, int64_t max)
{
	store_need_events(st);
	if (store_run(st, STMT_PRUNE_DEL_RAW, "ii", p->cutoff, max) == -1)
		return -1;
	return store_changes(st);
}

/*
 * One transaction: traces removed, oldest sessions first, until about
 * budget rows went or as many nodes were looked at (a trace is never
 * split, so a step may remove more).  Returns the rows removed, -1 if
 * the transaction failed (nothing changed; try again later).
 */
int64_t
prune_step(struct prune *p, struct store *st, size_t budget)
{
	struct prune_trace	 tr;
	int64_t			 cursor = p->cursor, seed, t, rows = 0, n;
	int64_t			 nsess = 0, nenv = 0, ntr = 0, looked = 0;
	int			 rc;

	if (p->done)
		return 0;
	if (store_begin(st) == -1)
		return -1;
	while (rows < (int64_t)budget && looked < (int64_t)budget) {
		if (!store_find(st, STMT_PRUNE_SEED, p->cursor, p->cutoff,
		    &seed, &t)) {
			if ((n = prune_raw(p, st, budget - rows)) == -1)
				goto fail;
			rows += n;
			if (n < (int64_t)budget - (rows - n))
				p->done = 1;
			break;
		}
		p->cursor = seed;
		if (idset_has(&p->kept, seed))
			continue;
		memset(&tr, 0, sizeof(tr));
		if ((rc = prune_trace_gather(p, st, seed, &tr)) == 1 &&
		    (n = prune_trace_delete(st, &tr, p->cutoff)) != -1) {
			rows += n;
			nsess += tr.s.n;
			nenv += tr.e.n;
			ntr++;
		} else if (rc == 0) {
			for (n = 0; n < (int64_t)tr.s.n; n++)
				idset_add(&p->kept, tr.s.v[n]);
		}
		looked += tr.s.n + tr.e.n;
		prune_trace_free(&tr);
		if (rc == -1 || n == -1 || store_failed(st))
			goto fail;
	}
	if (store_commit(st) == -1)
		goto fail;
	p->rows += rows;
	p->sessions += nsess;
	p->envelopes += nenv;
	p->traces += ntr;
	return rows;
 fail:
	store_rollback(st);
	p->cursor = cursor;
	p->done = 0;
	return -1;
}

/*
 * collect --retain: when the collector has nothing to commit.  A pass
 * goes through the database in steps of PRUNE_TICK_ROWS; the next one
 * starts PRUNE_PASS_EVERY later with a new cutoff.
 */
void
prune_tick(struct prune *p, struct store *st, int64_t now)
{
	int64_t	retain = p->retain, next = p->next_pass;
	struct prune keep = *p;

	if (retain <= 0 || (p->done && now < next))
		return;
	if (p->done) {
		prune_free(p);
		prune_init(p, now - retain);
		p->retain = retain;
		p->next_pass = now + PRUNE_PASS_EVERY;
		p->rows = keep.rows;
		p->sessions = keep.sessions;
		p->envelopes = keep.envelopes;
		p->traces = keep.traces;
	}
	if (prune_step(p, st, PRUNE_TICK_ROWS) > 0)
		store_exec_stmt(st, STMT_PRUNE_INCR);
}

/*
 * Give the freed pages back to the file system, if vacuum: incremental
 * vacuum if the database was made with auto_vacuum = INCREMENTAL, else
 * VACUUM.  *before and *after are the sizes in bytes.  Returns 2
 * (incremental), 1 (VACUUM), 0 (nothing done), -1 on failure.
 */
int
prune_vacuum(struct store *st, int vacuum, int64_t *before, int64_t *after)
{
	int64_t	mode = 0, free_b = 0, x;
	int	how = 0;

	store_find(st, STMT_PRUNE_SIZE, 1, 1, before, &free_b);
	store_find(st, STMT_PRUNE_AUTOVAC, 1, 1, &mode, &x);
	if (vacuum && mode == 2) {
		how = 2;
		do {
			if (store_exec_stmt(st, STMT_PRUNE_INCR) == -1)
				return -1;
			store_find(st, STMT_PRUNE_SIZE, 1, 1, after, &free_b);
		} while (free_b > 0);
	} else if (vacuum) {
		how = 1;
		if (store_exec_stmt(st, STMT_PRUNE_VACUUM) == -1)
			return -1;
	}
	store_find(st, STMT_PRUNE_SIZE, 1, 1, after, &free_b);
	return how;
}
