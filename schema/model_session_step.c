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
 * model_session_step.c: a session with no life of its own as steps
 * (model_step.c), as every printer shows them: the head (its outcome,
 * the line that decided it, a filter's refusal, ids and times), the
 * session with its whole dialogue, and what it came to.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/* What each outcome says, after the outcome's own name. */
static const struct {
	const char	*outcome;
	const char	*what;
} model_session_step_says[] = {
	{ "mail", "a message was committed" },
	{ "refused-connect", "refused at connect" },
	{ "refused-helo", "HELO refused" },
	{ "refused-mail", "MAIL FROM refused" },
	{ "refused-rcpt", "RCPT TO refused" },
	{ "refused-data", "DATA or the message refused" },
	{ "auth-failed", "authentication failed" },
	{ "tls-failed", "TLS never established" },
	{ "timeout", "smtpd timed the session out" },
	{ "connect-failed", "the connection failed" },
	{ "aborted", "the link closed inside a transaction" },
	{ "no-mail", "the session ended without mail" },
};

static const char *model_session_step_what(const char *);
static void	model_session_step_line(struct model_steps *,
		    const struct model_event *);
static void	model_session_step_filter(struct model_steps *,
		    const struct model_event *);
static void	model_session_step_head(struct model_steps *,
		    const struct model_alone *);
static void	model_session_step_session(struct model_steps *,
		    const struct model_alone *);
static void	model_session_step_fate(struct model_steps *,
		    const struct model_alone *);

/* How an outcome looks: mail good, failures bad, the rest between. */
enum model_tone
model_session_step_tone(const char *outcome)
{
	if (outcome == NULL)
		return MODEL_TONE_INFO;
	if (strcmp(outcome, "mail") == 0)
		return MODEL_TONE_GOOD;
	if (strcmp(outcome, "no-mail") == 0)
		return MODEL_TONE_PLAIN;
	if (strcmp(outcome, "aborted") == 0 || strcmp(outcome, "timeout") == 0)
		return MODEL_TONE_ODD;
	return MODEL_TONE_BAD;
}

static const char *
model_session_step_what(const char *outcome)
{
	size_t	i;

	for (i = 0; outcome != NULL && i < sizeof(model_session_step_says) /
	    sizeof(model_session_step_says[0]); i++)
		if (strcmp(outcome, model_session_step_says[i].outcome) == 0)
			return model_session_step_says[i].what;
	return outcome == NULL ? "in progress" : outcome;
}

/* An event's words: a reply as it came, another line by its name. */
static void
model_session_step_line(struct model_steps *st, const struct model_event *e)
{
	if (e->event != EVT_PROTOCOL_SERVER) {
		model_step_str(st, proto_event_name(e->event));
		model_step_str(st, e->len > 0 ? " " : "");
	}
	model_step_printf(st, 2048, "%.*s", (int)e->len, e->text);
}

/* A filter's decision, phase|response[|param], as words. */
static void
model_session_step_filter(struct model_steps *st, const struct model_event *e)
{
	const char	*bar = memchr(e->text, '|', e->len), *rest;
	size_t		 n;

	if (bar == NULL) {
		model_step_printf(st, 2048, "a filter: %.*s", (int)e->len,
		    e->text);
		return;
	}
	n = e->len - (bar + 1 - e->text);
	rest = memchr(bar + 1, '|', n);
	model_step_printf(st, 2048, "a filter at %.*s: %.*s%s%.*s",
	    (int)(bar - e->text), e->text,
	    (int)(rest != NULL ? (size_t)(rest - bar - 1) : n), bar + 1,
	    rest != NULL ? ", " : "",
	    (int)(rest != NULL ? e->len - (rest + 1 - e->text) : 0),
	    rest != NULL ? rest + 1 : "");
}

/* Its outcome and where, the line that decided it, then what, when. */
static void
model_session_step_head(struct model_steps *st, const struct model_alone *a)
{
	const struct model_session *s = &a->s;
	char	iso[40], d[32];

	model_step_add(st, MODEL_STEP_TITLE, model_session_step_tone(
	    s->outcome), MODEL_STEP_NOTIME, s->outcome ? s->outcome :
	    "open");
	model_step_printf(st, 1024, "%s session %016llx %s %s: %s",
	    s->dir == DIR_IN ? "smtp-in" : "smtp-out",
	    (unsigned long long)s->sid, s->dir == DIR_IN ? "from" : "to",
	    (s->dir == DIR_IN ? s->src : s->dest) ? (s->dir == DIR_IN ?
	    s->src : s->dest) : "?", model_session_step_what(s->outcome));
	if (a->reason != NULL) {
		model_step_add(st, MODEL_STEP_REPLY, a->reason->event ==
		    EVT_PROTOCOL_SERVER ? model_step_reply_tone(a->reason->text) :
		    MODEL_TONE_BAD, MODEL_STEP_NOTIME, NULL);
		model_session_step_line(st, a->reason);
	}
	if (a->filter != NULL) {
		model_step_add(st, MODEL_STEP_FACTS, MODEL_TONE_ODD,
		    MODEL_STEP_NOTIME, NULL);
		model_session_step_filter(st, a->filter);
	}
	model_step_add(st, MODEL_STEP_FACTS, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
	model_step_str(st, "no envelope");
	if (s->mail_from != NULL)
		model_step_printf(st, 1024, ", refused sender %s",
		    *s->mail_from == '\0' ? "<>" : s->mail_from);
	time_to_text(s->t_start, TO_ISO_US, iso, sizeof(iso));
	model_step_printf(st, 64, ", %s %s", s->src != NULL || s->dest !=
	    NULL ? "connected" : "began", iso);
	if (s->t_end != 0) {
		duration_to_text(s->t_end - s->t_start, d, sizeof(d));
		model_step_printf(st, 64, ", ended after %s", d);
	}
	model_step_add(st, MODEL_STEP_BLANK, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
}

/* The session, and its whole dialogue. */
static void
model_session_step_session(struct model_steps *st,
    const struct model_alone *a)
{
	const struct model_session *s = &a->s;
	struct model_life	 l;

	model_step_add(st, MODEL_STEP_STEP, MODEL_TONE_BOLD, s->t_start,
	    "session");
	st->v[st->n - 1].sid = s->sid;
	model_step_printf(st, 1024, "%s %016llx %s %s",
	    s->dir == DIR_IN ? "smtp-in" : "smtp-out",
	    (unsigned long long)s->sid, s->dir == DIR_IN ? "from" : "to",
	    (s->dir == DIR_IN ? s->src : s->dest) ? (s->dir == DIR_IN ?
	    s->src : s->dest) : "?");
	if (s->dir == DIR_IN)
		model_step_printf(st, 1024, " (rdns %s, fcrdns %s), helo %s",
		    s->rdns ? s->rdns : "-", s->fcrdns ? s->fcrdns : "-",
		    s->helo ? s->helo : "-");
	model_step_printf(st, 1024, ", %s%s, %s%s", s->tls ? "TLS " :
	    "no TLS", s->tls ? s->tls : "", s->auth_user ? "AUTH " :
	    "no AUTH", s->auth_user ? s->auth_user : "");
	/* The dialogue of a life, of this session's events alone. */
	memset(&l, 0, sizeof(l));
	l.events = a->events;
	l.nevents = a->nevents;
	model_step_dialogue(st, &l, s->sid, s->dir, 0, INT64_MAX);
}

/* What it came to, when, and why. */
static void
model_session_step_fate(struct model_steps *st, const struct model_alone *a)
{
	const struct model_session *s = &a->s;

	model_step_add(st, MODEL_STEP_FATE, model_session_step_tone(
	    s->outcome), s->outcome == NULL ? 0 : a->reason != NULL ?
	    a->reason->t : s->t_end != 0 ? s->t_end : MODEL_STEP_NOTIME,
	    s->outcome ? s->outcome : "open");
	model_step_str(st, model_session_step_what(s->outcome));
	if (a->filter != NULL)
		model_step_str(st, " by a filter");
	if (a->reason != NULL) {
		model_step_str(st, ": ");
		model_session_step_line(st, a->reason);
	}
	if (s->outcome != NULL && strcmp(s->outcome, "mail") != 0)
		model_step_str(st, "; no mail");
}

/* The steps of session a into st (emptied first, its memory reused). */
void
model_session_step_build(struct model_steps *st, const struct model_alone *a)
{
	st->n = st->buflen = 0;
	st->t0 = a->s.t_start;
	model_session_step_head(st, a);
	model_session_step_session(st, a);
	model_session_step_fate(st, a);
	model_step_add(st, MODEL_STEP_BLANK, MODEL_TONE_PLAIN,
	    MODEL_STEP_NOTIME, NULL);
	model_step_end(st);
}
