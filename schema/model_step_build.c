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
 * model_step_build.c: a life as steps (model_step.c): the head (status,
 * the reply that decided it, ids, timings), then one step per fact:
 * received with its smtp-in dialogue, queued, each attempt with its
 * part of the smtp-out dialogue, the maillog's outcomes, where it
 * stands now and why, and its bounce links.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static void	model_step_build_head(struct model_steps *,
		    const struct model_life *);
static void	model_step_build_timings(struct model_steps *,
		    const struct model_life *);
static void	model_step_build_received(struct model_steps *,
		    const struct model_life *);
static int64_t	model_step_build_mail_from(const struct model_life *,
		    uint64_t, int64_t);
static void	model_step_build_attempt(const struct model_attempt *, size_t,
		    char *, size_t);
static void	model_step_build_attempts(struct model_steps *,
		    const struct model_life *);
static void	model_step_build_outcomes(struct model_steps *,
		    const struct model_life *);
static void	model_step_build_abort(const struct model_life *, char *,
		    size_t);
static void	model_step_build_as_of(struct model_steps *, int64_t);
static void	model_step_build_fate(struct model_steps *,
		    const struct model_life *);
static void	model_step_build_link(struct model_steps *, const char *,
		    const struct model_link *);
static void	model_step_build_class(struct model_steps *, const char *);

/* Status first, the reply that decided it, then what and when. */
static void
model_step_build_head(struct model_steps *st, const struct model_life *l)
{
	char	iso[40];

	model_step_add(st, MODEL_STEP_TITLE, model_step_status_tone(l->status),
	    MODEL_STEP_NOTIME, status_to_text(l->status));
	model_step_str(st, l->mail_from == NULL ? "?" : *l->mail_from ==
	    '\0' ? "<>" : l->mail_from);
	model_step_str(st, " -> ");
	model_step_str(st, l->rcpt_to == NULL ? "?" : l->rcpt_to);
	if (l->reply != NULL) {
		model_step_add(st, MODEL_STEP_REPLY,
		    model_step_reply_tone(l->reply), MODEL_STEP_NOTIME, NULL);
		model_step_str(st, l->reply);
		model_step_build_class(st, class_life(l));
	}
	model_step_add(st, MODEL_STEP_FACTS, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
	if (l->has_evpid)
		model_step_printf(st, 64, "envelope %016llx, ",
		    (unsigned long long)l->evpid);
	else
		model_step_str(st, "no envelope, ");
	model_step_printf(st, 64, "message %08x", l->msgid);
	if (l->size >= 0 && l->status != LIFE_REJECTED)
		model_step_printf(st, 64, ", %lld bytes", (long long)l->size);
	time_to_text(st->t0, TO_ISO_US, iso, sizeof(iso));
	model_step_printf(st, 64, ", %s %s", l->has_received ? "connected" :
	    "first seen", iso);
	model_step_build_timings(st, l);
	model_step_add(st, MODEL_STEP_BLANK, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
}

/* How long each part took, and how many attempts. */
static void
model_step_build_timings(struct model_steps *st, const struct model_life *l)
{
	struct model_timings	tm;
	char			d[32];

	model_timings(l, &tm);
	model_step_add(st, MODEL_STEP_FACTS, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
	if (tm.accepted != 0 && tm.start != 0) {
		duration_to_text(tm.accepted - tm.start, d, sizeof(d));
		model_step_printf(st, 64, "accepted in %s, ", d);
	}
	if (tm.first_attempt != 0 && tm.accepted != 0) {
		if (tm.first_estimated)
			estimate_to_text(tm.first_attempt - tm.accepted, 0, d,
			    sizeof(d));
		else
			duration_to_text(tm.first_attempt - tm.accepted, d,
			    sizeof(d));
		model_step_printf(st, 64, "%s in the queue, ", d);
	}
	model_step_printf(st, 64, "%zu attempt%s", l->nattempts,
	    l->nattempts == 1 ? "" : "s");
	if (tm.final != 0 && tm.start != 0) {
		if (tm.final_estimated)
			estimate_to_text(tm.final - tm.start, 0, d, sizeof(d));
		else
			duration_to_text(tm.final - tm.start, d, sizeof(d));
		model_step_printf(st, 64, ", %s after %s",
		    status_to_text(l->status), d);
	}
}

/* The smtp-in session: who connected, then its dialogue. */
static void
model_step_build_received(struct model_steps *st, const struct model_life *l)
{
	const struct model_session *s = &l->in;

	if (!l->has_received) {
		model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_BOLD, st->t0,
		    "received");
		model_step_str(st, "not seen on smtp-in (not reported to "
		    "mailtrail)");
		return;
	}
	model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_BOLD, s->t_start,
	    "received");
	st->v[st->n - 1].sid = s->sid;
	model_step_printf(st, 1024, "smtp-in %016llx from %s",
	    (unsigned long long)s->sid, s->src ? s->src : "?");
	model_step_printf(st, 1024, " (rdns %s", s->rdns ? s->rdns : "-");
	model_step_printf(st, 1024, ", fcrdns %s), helo %s",
	    s->fcrdns ? s->fcrdns : "-", s->helo ? s->helo : "-");
	model_step_printf(st, 1024, ", %s%s, %s%s", s->tls ? "TLS " :
	    "no TLS", s->tls ? s->tls : "", s->auth_user ? "AUTH " :
	    "no AUTH", s->auth_user ? s->auth_user : "");
	model_step_dialogue(st, l, s->sid, DIR_IN, 0, INT64_MAX);
}

/* The id of the MAIL FROM that began an attempt at t on session sid. */
static int64_t
model_step_build_mail_from(const struct model_life *l, uint64_t sid, int64_t t)
{
	const struct model_event *e;
	int64_t			 id = 0;
	size_t			 i;

	for (i = 0; i < l->nevents; i++) {
		e = &l->events[i];
		if (e->session == sid && e->dir == DIR_OUT && e->t <= t &&
		    e->event == EVT_PROTOCOL_CLIENT && e->len >= 9 &&
		    strncasecmp(e->text, "MAIL FROM", 9) == 0)
			id = e->id;
	}
	return id;
}

/*
 * What an attempt says: where, the result, the next hop's queue id,
 * and where the fact comes from when not the report stream alone.
 */
static void
model_step_build_attempt(const struct model_attempt *a, size_t i, char *line,
    size_t sz)
{
	char	d[32];
	int	n;

	if (a->t_end != 0)
		duration_to_text(a->t_end - a->t, d, sizeof(d));
	if (a->source == MODEL_SRC_MAILLOG && a->session.id == 0)
		n = snprintf(line, sz, "%zu to %s, %s: %s (maillog): %s", i + 1,
		    a->session.dest ? a->session.dest : "?", a->session.sid ?
		    "session not reported" : "no session", a->result ==
		    MODEL_PENDING ? "?" : model_result_name(a->result),
		    a->reply ? a->reply : "-");
	else
		n = snprintf(line, sz, "%zu via %s on smtp-out %016llx, "
		    "%s%s: %s%s%s%s", i + 1, a->session.dest ?
		    a->session.dest : "?", (unsigned long long)a->session.sid,
		    a->session.tls ? "TLS " : "no TLS",
		    a->session.tls ? a->session.tls : "",
		    a->result == MODEL_PENDING ? "in progress" :
		    model_result_name(a->result), a->t_end ? " in " : "",
		    a->t_end ? d : "", a->source == MODEL_SRC_REFUSAL ?
		    " (MAIL FROM refused)" : "");
	if (n < 0 || (size_t)n >= sz)
		return;
	n += model_step_wait_attempt(a, line + n, sz - n);
	if (a->remote_id != NULL)
		n += snprintf(line + n, sz - n, ", next hop id %s",
		    a->remote_id);
	if ((size_t)n < sz && a->source == MODEL_SRC_REFUSAL)
		snprintf(line + n, sz - n, a->inferred ? ", inferred" :
		    ", named by the maillog");
	else if ((size_t)n < sz && a->confirmed &&
	    a->source == MODEL_SRC_REPORT)
		snprintf(line + n, sz - n, ", maillog agrees");
}

/*
 * Each attempt with its part of its session's dialogue: from its MAIL
 * FROM to the next attempt's on the same session (the first also has
 * the connection's opening lines, the last its closing ones).
 */
static void
model_step_build_attempts(struct model_steps *st, const struct model_life *l)
{
	static const enum model_tone tone[] = {
		[MODEL_OK] = MODEL_TONE_GOOD,
		[MODEL_TEMPFAIL] = MODEL_TONE_WARN,
		[MODEL_PERMFAIL] = MODEL_TONE_BAD,
	};
	const struct model_attempt *a;
	char			 line[2048];
	size_t			 i, j;
	int64_t			 lo, hi;

	for (i = 0; i < l->nattempts; i++) {
		a = &l->attempts[i];
		model_step_build_attempt(a, i, line, sizeof(line));
		model_step_add(st, MODEL_STEP_STEP, a->result == MODEL_PENDING ?
		    MODEL_TONE_INFO : tone[a->result], a->t, "attempt");
		if (a->estimated && a->source == MODEL_SRC_MAILLOG)
			model_step_estimated(st);
		model_step_str(st, line);
		model_step_build_class(st, class_attempt(a));
		if (a->source == MODEL_SRC_MAILLOG && a->session.id == 0)
			continue;
		st->v[st->n - 1].sid = a->session.sid;
		for (j = 0; j < i; j++)
			if (l->attempts[j].session.id == a->session.id)
				break;
		lo = j < i ? model_step_build_mail_from(l, a->session.sid,
		    a->t) : 0;
		for (j = i + 1; j < l->nattempts; j++)
			if (l->attempts[j].session.id == a->session.id)
				break;
		hi = j < l->nattempts ? model_step_build_mail_from(l,
		    a->session.sid, l->attempts[j].t) : INT64_MAX;
		model_step_dialogue(st, l, a->session.sid, DIR_OUT, lo, hi);
	}
}

/* One step per maillog outcome. */
static void
model_step_build_outcomes(struct model_steps *st, const struct model_life *l)
{
	const struct model_outcome *o;
	size_t			 i;

	for (i = 0; i < l->noutcomes; i++) {
		o = &l->outcomes[i];
		model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_PLAIN, o->t,
		    model_outcome_name(o->kind));
		if (o->estimated)
			model_step_estimated(st);
		if (o->kind == MODEL_OC_MDA)
			model_step_printf(st, 1024, "local delivery %016llx "
			    "as user %s: %s: %s (maillog)",
			    (unsigned long long)o->sid, o->user ? o->user : "?",
			    o->result == MODEL_PENDING ? "?" :
			    model_result_name(o->result), o->stat ? o->stat :
			    "-");
		else
			model_step_printf(st, 1024, "%s: %s (maillog, %s)",
			    o->kind == MODEL_OC_EXPIRE ?
			    "expired in the queue" : "removed from the queue",
			    o->stat ? o->stat : "-", o->agent ? o->agent : "-");
		model_step_build_class(st, class_outcome(o));
	}
}

/* Why an smtp-in transaction ended without a commit. */
static void
model_step_build_abort(const struct model_life *l, char *out, size_t sz)
{
	const struct model_event *last = NULL;
	size_t			 i;

	for (i = 0; i < l->nevents; i++)
		if (l->events[i].dir == DIR_IN &&
		    l->events[i].event == EVT_PROTOCOL_CLIENT)
			last = &l->events[i];
	if (last != NULL && last->len >= 4 &&
	    strncasecmp(last->text, "RSET", 4) == 0)
		snprintf(out, sz, "the client reset the transaction (RSET)");
	else if (last != NULL && last->len >= 4 &&
	    strncasecmp(last->text, "QUIT", 4) == 0)
		snprintf(out, sz, "the client quit before the message was "
		    "accepted");
	else if (l->in.end_reason && strcmp(l->in.end_reason, "timeout") == 0)
		snprintf(out, sz, "the session timed out");
	else
		snprintf(out, sz, "the connection was lost%s%.*s",
		    last != NULL ? " after " : "", last != NULL ?
		    (int)(last->len > 16 ? 16 : last->len) : 0,
		    last != NULL ? last->text : "");
	strlcat(out, "; never queued", sz);
}

/*
 * A waiting life in a database that is not live (model_life.as_of):
 * where it stood at the last event, not now.
 */
static void
model_step_build_as_of(struct model_steps *st, int64_t as_of)
{
	char	iso[40];

	time_to_text(as_of, TO_ISO, iso, sizeof(iso));
	model_step_printf(st, 128, "as of the last event (%s): ", iso);
}

/* Where the life stands now, and why. */
static void
model_step_build_fate(struct model_steps *st, const struct model_life *l)
{
	const struct model_outcome *dec = NULL;
	const char	*reply = l->reply ? l->reply : "-";
	char		 what[1024], nr[256];
	size_t		 i;

	/* The outcome that decided it, if no attempt did. */
	for (i = l->noutcomes; i > 0 && dec == NULL; i--)
		if (l->decisive_outcome != 0 &&
		    l->outcomes[i - 1].id == l->decisive_outcome)
			dec = &l->outcomes[i - 1];
	/* A waiting life stands so now, or as of the last event. */
	model_step_add(st, MODEL_STEP_FATE, model_step_status_tone(l->status),
	    l->status == LIFE_QUEUED || l->status == LIFE_DEFERRED ? l->as_of :
	    l->t_final ? l->t_final : l->t_received,
	    status_to_text(l->status));
	if (l->as_of != 0 && (l->status == LIFE_QUEUED ||
	    l->status == LIFE_DEFERRED))
		model_step_build_as_of(st, l->as_of);
	if (l->status != LIFE_QUEUED && l->t_final != 0 &&
	    model_life_estimated(l))
		model_step_estimated(st);
	if (l->status == LIFE_QUEUED)
		model_step_wait_queued(l, what, sizeof(what));
	else if (l->status == LIFE_DELIVERED && dec != NULL)
		snprintf(what, sizeof(what), "delivered locally by the mda as "
		    "user %s: %s", dec->user ? dec->user : "?", reply);
	else if (l->status == LIFE_DELIVERED)
		snprintf(what, sizeof(what), "the next hop took it: %s", reply);
	else if (l->status == LIFE_DEFERRED)
		snprintf(what, sizeof(what), "%s; smtpd will try again",
		    l->reply ? l->reply : model_step_wait_noreply(l, nr,
		    sizeof(nr)));
	else if (l->status == LIFE_FAILED || l->status == LIFE_EXPIRED)
		snprintf(what, sizeof(what), "%s%s; %s", l->status ==
		    LIFE_EXPIRED ? "smtpd gave up: " : "", reply,
		    l->mail_from && *l->mail_from ? "smtpd bounces it to "
		    "the sender" : "null sender: no bounce");
	else if (l->status == LIFE_REMOVED)
		snprintf(what, sizeof(what), "removed from the queue: %s; "
		    "no bounce", reply);
	else if (l->status == LIFE_REJECTED)
		snprintf(what, sizeof(what), "at RCPT TO, no envelope: %s",
		    reply);
	else
		model_step_build_abort(l, what, sizeof(what));
	model_step_str(st, what);
	model_step_wait(st, l);
}

/* A bounce link: the bounce a life caused, or what a bounce reports. */
static void
model_step_build_link(struct model_steps *st, const char *name,
    const struct model_link *k)
{
	char	what[1024];
	int	n;

	if (k->evpid != 0)
		n = snprintf(what, sizeof(what), "%s %016llx (message %08x), "
		    "%s: %s%s%s", name, (unsigned long long)k->evpid, k->msgid,
		    k->exact ? "exact" : "inferred",
		    status_to_text(k->status),
		    k->reply ? ": " : "", k->reply ? k->reply : "");
	else
		n = snprintf(what, sizeof(what), "%s not seen on smtp-in, "
		    "%s", name, k->exact ? "exact" : "inferred");
	if (n >= 0 && (size_t)n < sizeof(what) && k->queue_evpid != 0)
		snprintf(what + n, sizeof(what) - n, " (bounce envelope "
		    "%016llx)", (unsigned long long)k->queue_evpid);
	model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, "bounce");
	model_step_str(st, what);
}

/* The class of the reply that ends a step's text, if it has one. */
static void
model_step_build_class(struct model_steps *st, const char *class)
{
	if (class != NULL)
		model_step_printf(st, 64, " [%s]", class);
}

/* The steps of life l into st (emptied first, its memory reused). */
void
model_step_build(struct model_steps *st, const struct model_life *l)
{
	size_t	i;

	st->n = st->buflen = 0;
	st->t0 = l->has_received ? l->in.t_start : l->nevents ?
	    l->events[0].t : l->nattempts ? l->attempts[0].t : l->t;
	model_step_build_head(st, l);
	model_step_build_received(st, l);
	if (l->status != LIFE_REJECTED && l->status != LIFE_ABORTED &&
	    l->t_received != 0 && l->has_received) {
		model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_INFO,
		    l->t_received, "queued");
		model_step_printf(st, 64, "msgid %08x", l->msgid);
	}
	model_step_build_attempts(st, l);
	model_step_build_outcomes(st, l);
	model_step_build_fate(st, l);
	if (l->has_bounce)
		model_step_build_link(st, "its bounce", &l->bounce);
	for (i = 0; i < l->nbounce_of; i++)
		model_step_build_link(st, "bounce of", &l->bounce_of[i]);
	model_step_add(st, MODEL_STEP_BLANK, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
	model_step_end(st);
}
