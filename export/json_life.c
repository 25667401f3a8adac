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
 * json_life.c: a life as one JSON object (docs/json.md, "kind": "life"),
 * with its smtp-in session, attempts, failed sessions, maillog outcomes,
 * bounce links and timings, written with json.c's values.
 */
#include <stdio.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static void	json_life_received(const struct model_life *,
		    struct json_ctx *);
static void	json_life_attempt(const struct model_attempt *,
		    struct json_ctx *);
static void	json_life_failed(const struct model_life *,
		    struct json_ctx *);
static void	json_life_outcome(const struct model_outcome *,
		    struct json_ctx *);
static void	json_life_link(const char *, const struct model_link *,
		    struct json_ctx *);
static void	json_life_fate(const struct model_life *, struct json_ctx *);
static void	json_life_timings(const struct model_life *,
		    struct json_ctx *);

static void
json_life_received(const struct model_life *l, struct json_ctx *c)
{
	if (!l->has_received) {
		jw_str(&c->w, "received", NULL);
		return;
	}
	jw_open(&c->w, "received", '{');
	json_hex(c, "session", l->in.sid, 16);
	json_at(c, "time", l->t_received);
	json_str(c, "client", l->in.src);
	json_str(c, "rdns", l->in.rdns);
	json_str(c, "fcrdns", l->in.fcrdns);
	json_str(c, "helo", l->in.helo);
	json_str(c, "tls", l->in.tls);
	json_str(c, "auth_user", l->in.auth_user);
	if (l->size >= 0 && l->status != LIFE_REJECTED)
		json_int(c, "size", l->size);
	else
		jw_str(&c->w, "size", NULL);
	jw_close(&c->w, '}');
}

static void
json_life_attempt(const struct model_attempt *a, struct json_ctx *c)
{
	jw_open(&c->w, NULL, '{');
	json_hex(c, "session", a->session.sid, 16);
	if (a->estimated && a->source == MODEL_SRC_MAILLOG)
		json_at_estimate(c, "time", a->t);
	else
		json_at(c, "time", a->t);
	if (a->estimated) {
		json_at_estimate(c, "end_time", a->t_end);
		jw_str(&c->w, "duration", NULL);
	} else {
		json_at(c, "end_time", a->t_end);
		json_secs(c, "duration", a->t, a->t_end);
	}
	json_str(c, "relay", a->session.dest);
	json_str(c, "tls", a->session.tls);
	json_str(c, "result", model_result_name(a->result));
	json_str(c, "response", a->reply);
	json_str(c, "failure", model_attempt_failure(a));
	json_str(c, "class", class_attempt(a));
	jw_bool(&c->w, "inferred", a->inferred);
	json_str(c, "remote_id", a->remote_id);
	jw_lit(&c->w, "source", model_source_name(a->source));
	jw_bool(&c->w, "confirmed", a->confirmed);
	if (a->session.auth_user != NULL || a->session.has_auth) {
		jw_open(&c->w, "auth", '{');
		json_str(c, "user", a->session.auth_user);
		json_str(c, "result", a->session.has_auth ?
		    model_auth_name(a->session.auth_result) : NULL);
		jw_close(&c->w, '}');
	} else
		jw_str(&c->w, "auth", NULL);
	jw_bool(&c->w, "time_estimated", a->estimated);
	jw_close(&c->w, '}');
}

/* The smtp-out sessions that failed while the life waited. */
static void
json_life_failed(const struct model_life *l, struct json_ctx *c)
{
	const struct model_failed *f;
	size_t			 i;

	jw_open(&c->w, "failed_sessions", '[');
	for (i = 0; i < l->nfailed; i++) {
		f = &l->failed[i];
		jw_open(&c->w, NULL, '{');
		json_str(c, "relay", f->relay);
		json_str(c, "outcome", f->outcome);
		json_str(c, "reply", f->reply);
		json_int(c, "count", f->count);
		json_at(c, "first", f->first);
		json_at(c, "last", f->last);
		jw_lit(&c->w, "link", model_wait_link_name(f->link));
		jw_close(&c->w, '}');
	}
	jw_close(&c->w, ']');
}

static void
json_life_outcome(const struct model_outcome *oc, struct json_ctx *c)
{
	jw_open(&c->w, NULL, '{');
	jw_lit(&c->w, "kind", model_outcome_name(oc->kind));
	if (oc->estimated)
		json_at_estimate(c, "time", oc->t);
	else
		json_at(c, "time", oc->t);
	if (oc->kind == MODEL_OC_MDA)
		json_hex(c, "session", oc->sid, 16);
	else
		jw_str(&c->w, "session", NULL);
	json_str(c, "result", model_result_name(oc->result));
	json_str(c, "stat", oc->stat);
	json_str(c, "class", class_outcome(oc));
	json_str(c, "user", oc->user);
	json_str(c, "agent", oc->agent);
	jw_bool(&c->w, "time_estimated", oc->estimated);
	jw_close(&c->w, '}');
}

/* One side of a bounce link; the other life's envelope and status. */
static void
json_life_link(const char *key, const struct model_link *k, struct json_ctx *c)
{
	jw_open(&c->w, key, '{');
	if (k->evpid != 0) {
		json_hex(c, "evpid", k->evpid, 16);
		json_hex(c, "msgid", k->msgid, 8);
		jw_lit(&c->w, "status", status_to_text(k->status));
	} else {
		jw_str(&c->w, "evpid", NULL);
		jw_str(&c->w, "msgid", NULL);
		jw_str(&c->w, "status", NULL);
	}
	jw_lit(&c->w, "link", k->exact ? "exact" : "inferred");
	if (k->queue_evpid != 0)
		json_hex(c, "queue_evpid", k->queue_evpid, 16);
	else
		jw_str(&c->w, "queue_evpid", NULL);
	json_str(c, "reply", k->evpid != 0 ? k->reply : NULL);
	jw_close(&c->w, '}');
}

/* The maillog outcomes and the bounce links of a life. */
static void
json_life_fate(const struct model_life *l, struct json_ctx *c)
{
	size_t	i;

	jw_open(&c->w, "outcomes", '[');
	for (i = 0; i < l->noutcomes; i++)
		json_life_outcome(&l->outcomes[i], c);
	jw_close(&c->w, ']');
	if (l->has_bounce)
		json_life_link("bounce", &l->bounce, c);
	else
		jw_str(&c->w, "bounce", NULL);
	jw_open(&c->w, "bounce_of", '[');
	for (i = 0; i < l->nbounce_of; i++)
		json_life_link(NULL, &l->bounce_of[i], c);
	jw_close(&c->w, ']');
}

static void
json_life_timings(const struct model_life *l, struct json_ctx *c)
{
	struct model_timings	 tm;

	model_timings(l, &tm);
	jw_open(&c->w, "timings", '{');
	json_secs(c, "accept", tm.start, tm.accepted);
	json_secs(c, "queue_wait", tm.accepted, tm.first_attempt);
	json_secs(c, "total", tm.start, tm.final);
	jw_bool(&c->w, "time_estimated", (tm.first_estimated &&
	    tm.accepted != 0) || (tm.final_estimated && tm.final != 0));
	jw_close(&c->w, '}');
}

/* One life as one line; with_events 0 leaves out "events". */
int
json_life_print(const struct model_life *l, int with_events, FILE *fp)
{
	struct json_ctx	*c = json_begin("life");
	size_t		 i;

	if (l->has_evpid)
		json_hex(c, "evpid", l->evpid, 16);
	else
		jw_str(&c->w, "evpid", NULL);
	json_hex(c, "msgid", l->msgid, 8);
	json_str(c, "mail_from", l->mail_from);
	json_str(c, "rcpt_to", l->rcpt_to);
	jw_lit(&c->w, "status", status_to_text(l->status));
	json_str(c, "reply", l->reply);
	json_at(c, "as_of", l->as_of);
	json_str(c, "class", class_life(l));
	json_life_received(l, c);
	jw_open(&c->w, "attempts", '[');
	for (i = 0; i < l->nattempts; i++)
		json_life_attempt(&l->attempts[i], c);
	jw_close(&c->w, ']');
	json_life_failed(l, c);
	json_life_fate(l, c);
	json_life_timings(l, c);
	if (with_events)
		json_events(l->events, l->nevents, c);
	return jw_end(&c->w, fp);
}
