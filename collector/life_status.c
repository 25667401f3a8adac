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
 * life_status.c: the one rule that decides a life's status, from the
 * facts the writer gathered (life.c): the latest settled fact wins, an
 * outcome of smtpd's maillog wins a tie; and the changes of state the
 * same rule gives over time.  Pure: no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define LIFE_LAST	INT64_MAX	/* an expiry or removal of no time */

static int64_t	life_status_try_key(const struct life_try *);
static int64_t	life_status_end_key(const struct life_end *);
static int	life_status_of(int);
static int	life_status_cmp64(const void *, const void *);
static int	life_status_same(const struct life_state *,
		    const struct life_state *);

static int64_t
life_status_try_key(const struct life_try *a)
{
	return a->t_end ? a->t_end : a->t;
}

/* When an outcome happened, for ordering: expiry and removal end all. */
static int64_t
life_status_end_key(const struct life_end *o)
{
	if (o->t != 0)
		return o->t;
	return o->status == LIFE_EXPIRED || o->status == LIFE_REMOVED ?
	    LIFE_LAST : LIFE_LAST - 1;
}

static int
life_status_of(int result)
{
	switch (result) {
	case RES_OK:
		return LIFE_DELIVERED;
	case RES_PERMFAIL:
		return LIFE_FAILED;
	default:
		return LIFE_DEFERRED;
	}
}

/*
 * The attempt that decides: the latest settled one by its start (an
 * inferred one has its place by time) among those settled by upto.
 * SIZE_MAX if none.
 */
size_t
life_status_decisive(const struct life_facts *f, int64_t upto)
{
	size_t	i, last = SIZE_MAX;

	for (i = 0; i < f->ntries; i++) {
		if (f->tries[i].result == RES_NONE ||
		    life_status_try_key(&f->tries[i]) > upto)
			continue;
		if (last == SIZE_MAX || f->tries[i].t >= f->tries[last].t)
			last = i;
	}
	return last;
}

/*
 * The state of the life from the facts known by upto (LIFE_LAST: all
 * of them): the status, when it was taken, the reply that decided it.
 */
void
life_status_settle(const struct life_facts *f, int64_t upto, struct life_state *s)
{
	const struct life_end	*o;
	size_t			 i;
	int64_t			 key = INT64_MIN, k;

	memset(s, 0, sizeof(*s));
	s->status = f->base;
	s->t_status = f->t0;
	s->decisive = s->end = SIZE_MAX;
	if (f->base == LIFE_REJECTED || f->base == LIFE_ABORTED) {
		s->reply = f->reply0;
		return;
	}
	if ((i = life_status_decisive(f, upto)) != SIZE_MAX) {
		s->decisive = i;
		s->status = life_status_of(f->tries[i].result);
		s->reply = f->tries[i].reply;
		s->t_status = key = life_status_try_key(&f->tries[i]);
	}
	for (i = 0; i < f->nends; i++) {
		o = &f->ends[i];
		if ((k = life_status_end_key(o)) < key || k > upto)
			continue;
		key = k;
		s->decisive = SIZE_MAX;
		s->end = i;
		s->t_status = o->t;	/* 0: not known */
		s->reply = o->stat;
		s->status = o->status;
	}
}

static int
life_status_cmp64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
life_status_same(const struct life_state *a, const struct life_state *b)
{
	if (a->status != b->status || a->decisive != b->decisive ||
	    a->end != b->end)
		return 0;
	if (a->reply == NULL || b->reply == NULL)
		return a->reply == b->reply;
	return strcmp(a->reply, b->reply) == 0;
}

/*
 * The changes of state in time, into f->changes: the first state, then
 * one at each fact that changed what the rule says.
 */
void
life_status_history(struct life_facts *f)
{
	struct life_state	 prev, s;
	int64_t			*keys;
	size_t			 i, n = 0;

	f->nchanges = 0;
	keys = xcalloc(f->ntries + f->nends + 1, sizeof(*keys));
	for (i = 0; i < f->ntries; i++)
		if (f->tries[i].result != RES_NONE)
			keys[n++] = life_status_try_key(&f->tries[i]);
	for (i = 0; i < f->nends; i++)
		keys[n++] = life_status_end_key(&f->ends[i]);
	qsort(keys, n, sizeof(*keys), life_status_cmp64);
	life_status_settle(f, INT64_MIN, &prev);
	life_status_change(f, f->t0, &prev);
	for (i = 0; i < n; i++) {
		if (i > 0 && keys[i] == keys[i - 1])
			continue;
		life_status_settle(f, keys[i], &s);
		if (life_status_same(&s, &prev))
			continue;
		/* An end of no time comes last, at the last time known. */
		life_status_change(f, keys[i] >= LIFE_LAST - 1 ?
		    f->changes[f->nchanges - 1].t : keys[i], &s);
		prev = s;
	}
	free(keys);
}

void
life_status_change(struct life_facts *f, int64_t t,
    const struct life_state *s)
{
	struct life_change	*c;

	f->changes = xgrow(f->changes, f->nchanges, &f->changes_cap, 4,
	    sizeof(*f->changes));
	c = &f->changes[f->nchanges++];
	c->t = t;
	c->status = s->status;
	c->reply = s->reply;
}
