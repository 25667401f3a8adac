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
 * model_cache.c: the rows and events of the last few sessions read,
 * kept by the iterator: lives next to each other in time share their
 * smtp-in session (one message, several recipients) and smtp-out
 * sessions (a reused connection), so each session is read about once.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static int	model_cache_load(struct model_iter *, struct model_cached *,
		    const struct model_session *);
static int	model_cache_session_load(struct model *, struct arena *,
		    int64_t, struct model_session *);

/* Read a session's events into entry c. */
static int
model_cache_load(struct model_iter *it, struct model_cached *c,
    const struct model_session *ss)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = model_sql_stmt(it->m, MQ_EVENTS)) == NULL)
		return -1;
	arena_reset(&c->arena);
	c->session = 0;
	c->n = 0;
	sqlite3_bind_int64(s, 1, ss->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->ev = xgrow(c->ev, c->n, &c->cap, 256, sizeof(*c->ev));
		model_sql_event(s, &c->arena, &c->ev[c->n]);
		c->ev[c->n++].session = ss->sid;
	}
	if (rc != SQLITE_DONE)
		return model_sql_error(it->m);
	sqlite3_reset(s);
	c->session = ss->id;
	return 0;
}

/* The chain of session id. */
static size_t
model_cache_bucket(int64_t id)
{
	return ((uint64_t)id * 0x9e3779b97f4a7c15ULL) >>
	    (64 - MODEL_CACHE_BITS);
}

/* The entry of session id, index + 1, or 0. */
static size_t
model_cache_find(const struct model_iter *it, int64_t id)
{
	size_t	i;

	if (it->chain == NULL)
		return 0;
	for (i = it->chain[model_cache_bucket(id)]; i != 0;
	    i = it->cache[i - 1].hnext)
		if (it->cache[i - 1].session == id)
			return i;
	return 0;
}

/* Take entry i (index + 1) out of its chain and of the use order. */
static void
model_cache_unlink(struct model_iter *it, size_t i)
{
	struct model_cached	*c = &it->cache[i - 1];
	size_t			*p;

	if (c->session != 0) {
		p = &it->chain[model_cache_bucket(c->session)];
		while (*p != i)
			p = &it->cache[*p - 1].hnext;
		*p = c->hnext;
	}
	if (c->older != 0)
		it->cache[c->older - 1].newer = c->newer;
	else if (it->oldest == i)
		it->oldest = c->newer;
	if (c->newer != 0)
		it->cache[c->newer - 1].older = c->older;
	else if (it->newest == i)
		it->newest = c->older;
	c->older = c->newer = c->hnext = 0;
}

/* Entry i (index + 1) is the newest; its session is in the chains. */
static void
model_cache_link(struct model_iter *it, size_t i)
{
	struct model_cached	*c = &it->cache[i - 1];
	size_t			*head;

	c->older = it->newest;
	c->newer = 0;
	if (it->newest != 0)
		it->cache[it->newest - 1].newer = i;
	else
		it->oldest = i;
	it->newest = i;
	if (c->session != 0) {
		head = &it->chain[model_cache_bucket(c->session)];
		c->hnext = *head;
		*head = i;
	}
}

/*
 * An entry for a session not kept, index + 1: a new one while there is
 * room, or the one unused longest, but never one the current life uses
 * (its text is in the life): with all in use, the cache grows by one.
 */
static size_t
model_cache_slot(struct model_iter *it)
{
	size_t	i = 0;

	if (it->chain == NULL)
		it->chain = xcalloc((size_t)1 << MODEL_CACHE_BITS,
		    sizeof(*it->chain));
	if (it->cache_cap == 0)
		it->cache_cap = MODEL_CACHE_MIN;
	if (it->ncache >= it->cache_cap)
		for (i = it->oldest; i != 0 &&
		    it->cache[i - 1].lifeno == it->lifeno;
		    i = it->cache[i - 1].newer)
			;
	if (i != 0) {
		model_cache_unlink(it, i);
		return i;
	}
	it->cache = xreallocarray(it->cache, it->ncache + 1,
	    sizeof(*it->cache));
	memset(&it->cache[it->ncache], 0, sizeof(*it->cache));
	return ++it->ncache;
}

/*
 * Was session id read before (and let go, since it is not kept)?  It
 * is marked read now.  The bits are a ring of the MODEL_SEEN_BITS ids
 * up to the highest read; an older id is never told apart.
 */
static int
model_cache_seen(struct model_iter *it, int64_t id)
{
	uint64_t	i;

	if (it->seen == NULL) {
		it->seen = xcalloc(MODEL_SEEN_BITS / 8, 1);
		it->seen_hi = id;
	}
	if (id > it->seen_hi) {
		/* clear the bits of the ids the ring now passes */
		if ((uint64_t)id - (uint64_t)it->seen_hi >= MODEL_SEEN_BITS)
			memset(it->seen, 0, MODEL_SEEN_BITS / 8);
		else
			for (i = it->seen_hi + 1; i <= (uint64_t)id; i++)
				it->seen[i % MODEL_SEEN_BITS / 8] &=
				    ~(1 << (i % 8));
		it->seen_hi = id;
	} else if ((uint64_t)it->seen_hi - (uint64_t)id >= MODEL_SEEN_BITS)
		return 0;
	i = (uint64_t)id % MODEL_SEEN_BITS;
	if (it->seen[i / 8] & (1 << (i % 8)))
		return 1;
	it->seen[i / 8] |= 1 << (i % 8);
	return 0;
}

/*
 * The events of session ss, cached; one read again makes room for more.
 * NULL on a database error.
 */
const struct model_cached *
model_cache_events(struct model_iter *it, const struct model_session *ss)
{
	struct model_cached	*c;
	size_t			 i;

	if ((i = model_cache_find(it, ss->id)) != 0)
		model_cache_unlink(it, i);
	else {
		if (model_cache_seen(it, ss->id) &&
		    it->cache_cap < MODEL_CACHE_MAX)
			it->cache_cap += MODEL_CACHE_MIN;
		i = model_cache_slot(it);
		if (model_cache_load(it, &it->cache[i - 1], ss) == -1) {
			model_cache_link(it, i);
			return NULL;
		}
	}
	c = &it->cache[i - 1];
	c->lifeno = it->lifeno;
	model_cache_link(it, i);
	return c;
}

/* Session id's row into *s, its strings in arena a.  1, 0 none, -1. */
static int
model_cache_session_load(struct model *m, struct arena *a, int64_t id,
    struct model_session *s)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if ((st = model_sql_stmt(m, MQ_SESSION)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(m);
	return model_sql_session(st, 0, a, s);
}

/*
 * Session id's row into *s (strings valid until the next life), cached
 * the same way.  1 found, 0 not found, -1 on a database error.
 */
int
model_cache_session(struct model_iter *it, int64_t id, struct model_session *s)
{
	struct model_srow	*c = NULL;
	size_t			 i;
	int			 rc;

	it->tick++;
	for (i = 0; i < it->nsrows && c == NULL; i++)
		if (it->srows[i].id == id)
			c = &it->srows[i];
	for (i = 0; i < it->nsrows && c == NULL; i++)
		if (it->srows[i].lifeno != it->lifeno &&
		    (c == NULL || it->srows[i].tick < c->tick))
			c = &it->srows[i];
	if (c == NULL || (c->id != id && it->nsrows < MODEL_SROWS)) {
		it->srows = xreallocarray(it->srows, it->nsrows + 1,
		    sizeof(*it->srows));
		c = &it->srows[it->nsrows++];
		memset(c, 0, sizeof(*c));
	}
	if (c->id != id) {
		arena_reset(&c->arena);
		c->id = 0;
		rc = model_cache_session_load(it->m, &c->arena, id, &c->s);
		if (rc == -1)
			return -1;
		c->id = id;
		c->found = rc;
	}
	c->tick = it->tick;
	c->lifeno = it->lifeno;
	*s = c->s;
	return c->found;
}

void
model_cache_free(struct model_iter *it)
{
	size_t	i;

	for (i = 0; i < it->ncache; i++) {
		arena_free(&it->cache[i].arena);
		free(it->cache[i].ev);
	}
	for (i = 0; i < it->nsrows; i++)
		arena_free(&it->srows[i].arena);
	free(it->cache);
	free(it->chain);
	free(it->seen);
	free(it->srows);
	it->cache = NULL;
	it->chain = NULL;
	it->seen = NULL;
	it->cache_cap = 0;
	it->srows = NULL;
	it->ncache = it->nsrows = 0;
	it->newest = it->oldest = 0;
}
