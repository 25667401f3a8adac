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
 * model_life.c: one life built from its view row: its state as the
 * writer keeps it (status, the reply that decided it), the smtp-in
 * session, the attempts with their smtp-out sessions, the sessions
 * that failed while it waited (model_wait.c), and the events of those
 * sessions that concern it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static int	model_life_session_events(struct model_iter *, size_t);
static int	model_life_at(struct model_iter *, int64_t);
static void	model_life_append(struct model_iter *,
		    const struct model_cached *, const char *);
static void	model_life_merge(struct model_iter *, size_t);

/* Fill it->life from a row of MODEL_LIFE_COLS.  1 built, -1 error. */
int
model_life_build(struct model_iter *it, sqlite3_stmt *row)
{
	struct model_life	*l = &it->life;
	int			 st, tries;

	memset(l, 0, sizeof(*l));
	it->lifeno++;		/* what the caches keep for this life */
	l->has_evpid = sqlite3_column_type(row, 0) != SQLITE_NULL;
	l->evpid = (uint64_t)sqlite3_column_int64(row, 0);
	l->msgid = (uint32_t)sqlite3_column_int64(row, 1);
	l->t = sqlite3_column_int64(row, 2);
	l->t_begin = db_col_int(row, 6, 0);
	l->size = db_col_int(row, 9, -1);
	l->mail_from = model_sql_text(&it->arena, row, 10);
	l->rcpt_to = model_sql_text(&it->arena, row, 11);
	st = sqlite3_column_int(row, 12);
	l->status = st >= 0 && st < LIFE_NSTATUS ? st : LIFE_QUEUED;
	l->reply = model_sql_text(&it->arena, row, 13);
	l->t_final = db_col_int(row, 14, 0);
	l->decisive = db_col_int(row, 15, 0);
	l->decisive_outcome = db_col_int(row, 16, 0);
	l->decisive_refusal = db_col_int(row, 17, 0);
	l->local = db_col_int(row, 18, 0) == 1;
	l->link_bounce = (uint64_t)db_col_int(row, 19, 0);
	l->link_exact = db_col_int(row, 20, 0) == 1;
	l->link_queue = (uint64_t)db_col_int(row, 21, 0);
	if (sqlite3_column_type(row, 5) != SQLITE_NULL)
		l->has_received = model_sql_session(row, MODEL_LIFE_SI,
		    &it->arena, &l->in);
	if (l->status == LIFE_REJECTED)
		l->t_received = l->rcpt_t = l->t;
	else if (l->status == LIFE_ABORTED)
		l->t_received = db_col_int(row, 8, 0);
	else
		l->t_received = db_col_int(row, 7, 0);
	/*
	 * No attempt row for a life the writer counted none for; but an
	 * aborted one counts none (collector/life_load.c) and a relay may
	 * still have followed, its commit recorded elsewhere.
	 */
	tries = sqlite3_column_int(row, MODEL_LIFE_ATTEMPTS) > 0 ||
	    l->status == LIFE_ABORTED;
	if (l->has_evpid && tries && model_attempt_load(it) == -1)
		return -1;
	if (l->has_evpid && model_outcome_load(it) == -1)
		return -1;
	if (sqlite3_column_int(row, MODEL_LIFE_GIVEN) &&
	    model_attempt_given(it) == -1)
		return -1;
	if (it->q != NULL && it->q->at != 0 &&
	    (st = model_life_at(it, sqlite3_column_int64(row, 4))) != 1)
		return st;
	return model_wait_load(it) == -1 ? -1 : 1;
}

/*
 * trace --at: the life as it stood at that instant, from the changes
 * of state the writer recorded (life_change): its status and reply
 * then, and only the attempts and maillog lines before.  0 if it did
 * not exist yet.
 */
static int
model_life_at(struct model_iter *it, int64_t rcpt)
{
	struct model_life	*l = &it->life;
	sqlite3_stmt		*s;
	int64_t			 at = it->q->at;
	size_t			 i, n;
	int			 rc, st;

	if ((s = model_sql_stmt(it->m, l->has_evpid ? MQ_STATE_AT :
	    MQ_STATE_AT_REJ)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, l->has_evpid ? (int64_t)l->evpid : rcpt);
	sqlite3_bind_int64(s, 2, at);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	st = sqlite3_column_int(s, 0);
	l->status = st >= 0 && st < LIFE_NSTATUS ? st : LIFE_QUEUED;
	l->reply = model_sql_text(&it->arena, s, 1);
	l->t_final = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	l->decisive = l->decisive_outcome = l->decisive_refusal = 0;
	for (i = n = 0; i < l->nattempts; i++) {
		if (l->attempts[i].t > at)
			continue;
		l->attempts[n] = l->attempts[i];
		if (l->attempts[n].t_end > at) {	/* still going on */
			l->attempts[n].result = MODEL_PENDING;
			l->attempts[n].t_end = 0;
			l->attempts[n].reply = NULL;
		}
		n++;
	}
	l->nattempts = n;
	for (i = n = 0; i < l->noutcomes; i++)
		if (l->outcomes[i].t != 0 && l->outcomes[i].t <= at)
			l->outcomes[n++] = l->outcomes[i];
	l->noutcomes = n;
	return 1;
}

static void
model_life_append(struct model_iter *it, const struct model_cached *c,
    const char *keep)
{
	size_t	i;

	for (i = 0; i < c->n; i++) {
		if (!keep[i])
			continue;
		it->events = xgrow(it->events, it->life.nevents,
		    &it->events_cap, 256, sizeof(*it->events));
		it->events[it->life.nevents] = c->ev[i];
		it->events[it->life.nevents++].others =
		    keep[i] == MODEL_KEEP_OTHERS;
	}
	it->life.events = it->events;
}

/*
 * The events of attempt i's smtp-out session (SIZE_MAX: the smtp-in
 * session): its connection's lines and this life's transactions.
 */
static int
model_life_session_events(struct model_iter *it, size_t i)
{
	struct model_life	*l = &it->life;
	const struct model_session *ss;
	const struct model_cached *c;
	size_t			 j, k;

	ss = i == SIZE_MAX ? &l->in : &l->attempts[i].session;
	if ((c = model_cache_events(it, ss)) == NULL)
		return -1;
	if (c->n == 0)
		return 0;
	if (c->n > it->keep_cap) {
		it->keep_cap = c->n;
		it->keep = xreallocarray(it->keep, c->n, 1);
		it->keep2 = xreallocarray(it->keep2, c->n, 1);
	}
	if (i == SIZE_MAX) {
		model_events_select(c->ev, c->n, DIR_IN, l->msgid,
		    l->has_evpid ? l->evpid : 0, l->rcpt_t, 0, it->keep);
		model_life_append(it, c, it->keep);
		return 0;
	}
	memset(it->keep, 0, c->n);
	for (j = i; j < l->nattempts; j++) {
		if (l->attempts[j].session.id != ss->id)
			continue;
		model_events_select(c->ev, c->n, DIR_OUT, l->msgid, l->evpid,
		    0, l->attempts[j].event_from, it->keep2);
		for (k = 0; k < c->n; k++)	/* the life's wins */
			if (it->keep2[k] != 0 && it->keep[k] != MODEL_KEEP_MINE)
				it->keep[k] = it->keep2[k];
	}
	model_life_append(it, c, it->keep);
	return 0;
}

/*
 * Merge the events from start on (one session's, in id order) into
 * those before (in id order too): usually they follow already.
 */
static void
model_life_merge(struct model_iter *it, size_t start)
{
	struct model_event	*e = it->events;
	size_t			 n = it->life.nevents, i = 0, j = start, k = 0;

	if (start == 0 || start == n || e[start - 1].id < e[start].id)
		return;
	if (it->merge_cap < n) {
		it->merge = xreallocarray(it->merge, n, sizeof(*it->merge));
		it->merge_cap = n;
	}
	while (i < start && j < n)
		it->merge[k++] = e[j].id < e[i].id ? e[j++] : e[i++];
	while (i < start)
		it->merge[k++] = e[i++];
	while (j < n)
		it->merge[k++] = e[j++];
	memcpy(e, it->merge, n * sizeof(*e));
}

/* The events of every session of the life that concern it, in order. */
int
model_life_events(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	size_t			 i, j, start;

	l->nevents = 0;
	l->events = it->events;
	if (l->has_received && model_life_session_events(it, SIZE_MAX) == -1)
		return -1;
	for (i = 0; i < l->nattempts; i++) {
		for (j = 0; j < i; j++)
			if (l->attempts[j].session.id ==
			    l->attempts[i].session.id)
				break;
		if (j < i)
			continue;
		start = l->nevents;
		if (model_life_session_events(it, i) == -1)
			return -1;
		model_life_merge(it, start);
	}
	if (it->q != NULL && it->q->at != 0) {	/* trace --at */
		for (i = j = 0; i < l->nevents; i++)
			if (it->events[i].t <= it->q->at)
				it->events[j++] = it->events[i];
		l->nevents = j;
	}
	return 0;
}
