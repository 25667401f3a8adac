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
 * multi_export.c: owns "export" over several databases (one per mail
 * host) and "export --format ecs": the lives (or events) of every host
 * merged in time order, each with its host, as mailtrail's JSON (with
 * "host" and "upstream") or as ECS documents; --follow then polls each
 * database and prints what its collector commits.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define MULTI_EXPORT_POLL_US	200000	/* --follow: data_version polls */
#define MULTI_EXPORT_CHUNK	1024	/* --follow: events read at a time */

/* One host's cursor: a life or an event, whichever is exported. */
struct multi_export_src {
	struct model_answers		*an;	/* lives (and sessions) */
	const struct model_alone	*a;
	struct model_iter		*it;
	struct model_stream		*st;
	const struct model_life		*l;
	const struct model_event	*e;
	struct model_pos		 hi;	/* last row read */
	int				 version;
};

struct multi_export_ctx {
	struct hosts		*hs;
	const struct multi_opts	*o;
	struct multi_export_src	 src[HOSTS_MAX];
	int			 failed;
};

static int	multi_export_fail(struct multi_export_ctx *, size_t);
static int	multi_export_open(struct multi_export_ctx *, size_t,
		    const struct model_pos *, const struct model_pos *);
static void	multi_export_next(struct multi_export_ctx *, size_t);
static void	multi_export_close(struct multi_export_ctx *, size_t);
static int64_t	multi_export_time(const struct multi_export_src *);
static void	multi_export_life(struct multi_export_ctx *, size_t,
		    const struct model_life *);
static void	multi_export_session(struct multi_export_ctx *, size_t,
		    const struct model_alone *);
static void	multi_export_event(struct multi_export_ctx *, size_t,
		    const struct model_event *);
static void	multi_export_merge(struct multi_export_ctx *);
static void	multi_export_follow(struct multi_export_ctx *);

/* A read of host i failed: say why, once; the export ends.  -1. */
static int
multi_export_fail(struct multi_export_ctx *me, size_t i)
{
	log_warnx("%s: %s", me->hs->h[i].path, model_error(me->hs->h[i].top));
	me->failed = 1;
	return -1;
}

/* Host i's lives or events (from, to] (from NULL: all that match). */
static int
multi_export_open(struct multi_export_ctx *me, size_t i,
    const struct model_pos *from, const struct model_pos *to)
{
	struct multi_export_src	*s = &me->src[i];
	struct model	*m = me->hs->h[i].top;
	const char	*bad;
	int		 flags = me->o->summary ? 0 : MODEL_EVENTS;

	if (me->o->events) {
		s->st = model_stream_open(m, me->o->q, from == NULL ? 0 :
		    from->event, to->event, &bad);
		if (s->st == NULL && bad != NULL) {
			me->failed = log_error("--events takes only since:, "
			    "until: and session ids");
			return -1;
		}
		if (s->st == NULL)
			return multi_export_fail(me, i);
	} else if (from == NULL) {
		if ((s->an = model_answer_open(m, me->o->q, flags,
		    me->o->sessions)) == NULL)
			return multi_export_fail(me, i);
	} else if ((s->it = model_changes(m, me->o->q, flags, from,
	    to)) == NULL)
		return multi_export_fail(me, i);
	multi_export_next(me, i);
	return 0;
}

static void
multi_export_next(struct multi_export_ctx *me, size_t i)
{
	struct multi_export_src	*s = &me->src[i];

	if (s->st != NULL)
		s->e = model_stream_next(s->st);
	else if (s->an != NULL)
		model_answer_next(s->an, &s->l, &s->a);
	else
		s->l = model_next(s->it);
}

static void
multi_export_close(struct multi_export_ctx *me, size_t i)
{
	struct multi_export_src	*s = &me->src[i];

	if (s->st != NULL) {
		if (!me->failed && model_stream_failed(s->st))
			multi_export_fail(me, i);
		model_stream_close(s->st);
	}
	if (s->it != NULL) {
		if (!me->failed && model_iter_failed(s->it))
			multi_export_fail(me, i);
		model_iter_free(s->it);
	}
	if (s->an != NULL) {
		if (!me->failed && model_answer_failed(s->an))
			multi_export_fail(me, i);
		model_answer_close(s->an);
	}
	s->st = NULL;
	s->it = NULL;
	s->an = NULL;
	s->l = NULL;
	s->a = NULL;
	s->e = NULL;
}

/* The time of the cursor's current item; -1 when it is done. */
static int64_t
multi_export_time(const struct multi_export_src *s)
{
	if (s->st != NULL)
		return s->e != NULL ? s->e->t : -1;
	if (s->a != NULL)
		return s->a->s.t_start;
	return s->l != NULL ? s->l->t : -1;
}

static void
multi_export_life(struct multi_export_ctx *me, size_t i,
    const struct model_life *l)
{
	struct ecs_extra	 x;
	struct hosts_up		 up;
	struct host		*h = &me->hs->h[i];
	char			 rid[64];
	size_t			 k;
	int			 has_up = 0, rc, rv;

	if (me->hs->n > 1 && l->has_evpid && l->has_received)
		if ((has_up = hosts_up(me->hs, i, l->msgid, l->rcpt_to,
		    l->t_received, &up)) == -1)
			me->failed = 1;
	if (!me->o->ecs) {
		rv = hosts_print_json(l, !me->o->summary, h->name, me->hs,
		    has_up == 1 ? &up : NULL, stdout);
	} else {
		memset(&x, 0, sizeof(x));
		x.host = h->name;
		for (k = l->nattempts; k > 0 && x.remote_id == NULL; k--) {
			if (l->attempts[k - 1].id == 0 ||
			    l->attempts[k - 1].result != MODEL_OK)
				continue;
			if ((rc = hosts_remote_id(h, l->attempts[k - 1].id,
			    rid, sizeof(rid))) == -1)
				me->failed = 1;
			else if (rc == 1)
				x.remote_id = rid;
		}
		if (has_up == 1) {
			x.up_host = me->hs->h[up.host].name;
			x.up_evpid = up.evpid;
		}
		rv = ecs_life_print(l, &x, stdout);
	}
	if (rv == -1)
		me->failed = log_error("write error");
}

/* A session with no life of its own (--sessions). */
static void
multi_export_session(struct multi_export_ctx *me, size_t i,
    const struct model_alone *a)
{
	const char	*name = me->hs->h[i].name;
	int		 rv;

	if (me->o->ecs)
		rv = ecs_session_print(a, name, stdout);
	else
		rv = hosts_print_session(a, !me->o->summary, name, stdout);
	if (rv == -1)
		me->failed = log_error("write error");
}

static void
multi_export_event(struct multi_export_ctx *me, size_t i,
    const struct model_event *e)
{
	const char	*name = me->hs->h[i].name;
	int		 rv;

	rv = me->o->ecs ? ecs_event_print(e, name, stdout) :
	    hosts_print_event(e, name, stdout);
	if (rv == -1)
		me->failed = log_error("write error");
}

/* Print the open cursors' items in time order, then close them. */
static void
multi_export_merge(struct multi_export_ctx *me)
{
	size_t	i, best;
	int64_t	t, bt;

	for (;;) {
		best = me->hs->n;
		bt = -1;
		for (i = 0; i < me->hs->n; i++)
			if ((t = multi_export_time(&me->src[i])) != -1 &&
			    (best == me->hs->n || t < bt)) {
				best = i;
				bt = t;
			}
		if (best == me->hs->n || me->failed)
			break;
		if (me->src[best].st != NULL)
			multi_export_event(me, best, me->src[best].e);
		else if (me->src[best].a != NULL)
			multi_export_session(me, best, me->src[best].a);
		else
			multi_export_life(me, best, me->src[best].l);
		multi_export_next(me, best);
	}
	for (i = 0; i < me->hs->n; i++)
		multi_export_close(me, i);
}

/*
 * Poll each database's PRAGMA data_version (it changes when its
 * collector commits); then read only its new events, a chunk at a time.
 * Ends on a write error (the reader went away) or a database error.
 */
static void
multi_export_follow(struct multi_export_ctx *me)
{
	struct multi_export_src	*s;
	struct model		*m;
	struct model_pos	 hi, to;
	size_t			 i;
	int			 v;

	for (i = 0; i < me->hs->n; i++)
		if ((me->src[i].version =
		    model_data_version(me->hs->h[i].top)) == -1) {
			multi_export_fail(me, i);
			return;
		}
	while (!me->failed) {
		usleep(MULTI_EXPORT_POLL_US);
		for (i = 0; i < me->hs->n && !me->failed; i++) {
			s = &me->src[i];
			m = me->hs->h[i].top;
			if ((v = model_data_version(m)) == -1 ||
			    (v != s->version && model_last(m, &hi) == -1)) {
				multi_export_fail(me, i);
				break;
			}
			if (v == s->version)
				continue;
			s->version = v;
			for (; !me->failed && model_pos_step(&s->hi, &hi,
			    MULTI_EXPORT_CHUNK, &to); s->hi = to) {
				multi_export_open(me, i, &s->hi, &to);
				multi_export_merge(me);
				model_end(m);
			}
		}
		if (!me->failed && fflush(stdout) == EOF)
			me->failed = log_error("write error");
	}
}

/* export with several -d, or --format ecs: up to now, then --follow. */
int
multi_export(struct hosts *hs, const struct multi_opts *o)
{
	struct multi_export_ctx	 me;
	size_t		 i;

	memset(&me, 0, sizeof(me));
	me.hs = hs;
	me.o = o;
	if (hosts_open(hs, 0) == -1)
		me.failed = 1;
	/* One snapshot of each: --follow goes on from where it ends. */
	for (i = 0; i < hs->n && !me.failed; i++)
		if (model_begin(hs->h[i].top) == -1 ||
		    model_last(hs->h[i].top, &me.src[i].hi) == -1)
			multi_export_fail(&me, i);
		else
			multi_export_open(&me, i, NULL, &me.src[i].hi);
	if (!me.failed)
		multi_export_merge(&me);
	for (i = 0; i < hs->n && hs->h[i].top != NULL; i++)
		model_end(hs->h[i].top);
	if (!me.failed && fflush(stdout) == EOF)
		me.failed = log_error("write error");
	if (!me.failed && o->follow)
		multi_export_follow(&me);
	for (i = 0; i < hs->n; i++)
		multi_export_close(&me, i);
	hosts_close(hs);
	return me.failed;
}
