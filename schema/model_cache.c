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

/*
 * The events of session ss, cached.  An entry the current life uses is
 * never evicted (its text is in the life); with all in use, the cache
 * grows by one.  NULL on a database error.
 */
const struct model_cached *
model_cache_events(struct model_iter *it, const struct model_session *ss)
{
	struct model_cached	*c = NULL;
	size_t			 i;

	it->tick++;
	for (i = 0; i < it->ncache; i++)
		if (it->cache[i].session == ss->id) {
			c = &it->cache[i];
			c->tick = it->tick;
			c->lifeno = it->lifeno;
			return c;
		}
	for (i = 0; i < it->ncache; i++)
		if (it->cache[i].lifeno != it->lifeno &&
		    (c == NULL || it->cache[i].tick < c->tick))
			c = &it->cache[i];
	if (c == NULL || it->ncache < MODEL_CACHE) {
		it->cache = xreallocarray(it->cache, it->ncache + 1,
		    sizeof(*it->cache));
		c = &it->cache[it->ncache++];
		memset(c, 0, sizeof(*c));
	}
	c->tick = it->tick;
	c->lifeno = it->lifeno;
	return model_cache_load(it, c, ss) == -1 ? NULL : c;
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
	free(it->srows);
	it->cache = NULL;
	it->srows = NULL;
	it->ncache = it->nsrows = 0;
}
