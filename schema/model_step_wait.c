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
 * model_step_wait.c: what the steps say of a life that waits: the
 * smtp-out sessions that failed while it waited (model_wait.c), under
 * where it stands now; and of an attempt, its session's AUTH and what
 * ended it when no reply did.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static const char *model_step_wait_link(enum model_wait_link);

/*
 * More of an attempt's line, at line (sz bytes): its session's AUTH
 * (link-auth on smtp-out), and what ended it with no reply.  The
 * length written.
 */
size_t
model_step_wait_attempt(const struct model_attempt *a, char *line,
    size_t sz)
{
	const char	*f, *r;
	int		 n = 0, k;

	if (a->session.auth_user != NULL || a->session.has_auth) {
		r = a->session.has_auth ?
		    model_auth_name(a->session.auth_result) : NULL;
		n = snprintf(line, sz, ", AUTH %s: %s", a->session.auth_user ?
		    a->session.auth_user : "?", r ? r : "?");
		if (n < 0 || (size_t)n >= sz)
			return 0;
	}
	if ((f = model_attempt_failure(a)) != NULL) {
		k = snprintf(line + n, sz - n, ", no reply: %s",
		    model_step_wait_failure(f));
		if (k < 0 || (size_t)k >= sz - n)
			return n;
		n += k;
	}
	return n;
}

/* An attempt's end with no reply, from its session's outcome. */
const char *
model_step_wait_failure(const char *outcome)
{
	if (strcmp(outcome, "aborted") == 0)
		return "the next hop stopped answering (aborted)";
	if (strcmp(outcome, "timeout") == 0)
		return "smtpd timed out (timeout)";
	if (strcmp(outcome, "connect-failed") == 0)
		return "the connection failed (connect-failed)";
	return outcome;
}

/*
 * Where a waiting life stands, into what: queued, and no attempt yet.
 * Its failed sessions follow (model_step_wait()).
 */
void
model_step_wait_queued(const struct model_life *l, char *what, size_t sz)
{
	if (l->nfailed > 0)
		snprintf(what, sz, "no delivery attempt %s (local deliveries: "
		    "see mailtrail maillog); smtp-out sessions that failed "
		    "before any transaction since it was queued:",
		    l->nattempts ? "settled" : "yet");
	else
		snprintf(what, sz, "waiting for %s delivery attempt (local "
		    "deliveries: see mailtrail maillog)", l->nattempts ?
		    "a settled" : "a first");
}

/* A deferral with no reply: what ended its decisive attempt. */
const char *
model_step_wait_noreply(const struct model_life *l, char *buf, size_t sz)
{
	const char	*f = NULL;
	size_t		 i;

	if ((i = model_life_decisive(l)) == l->nattempts)	/* --at */
		i = model_attempt_decisive(l->attempts, l->nattempts);
	if (i < l->nattempts)
		f = model_attempt_failure(&l->attempts[i]);
	if (f == NULL)
		return "no reply (connection lost or timeout)";
	snprintf(buf, sz, "no reply: %s", model_step_wait_failure(f));
	return buf;
}

static const char *
model_step_wait_link(enum model_wait_link k)
{
	switch (k) {
	case MODEL_WAIT_MAILLOG:
		return "named by the maillog";
	case MODEL_WAIT_RELAY:
		return "to its next hop";
	default:
		return "any mail's: not necessarily its own";
	}
}

/*
 * One line per kind of failed session, under the step of now, in time
 * (the model keeps the latest first).
 */
void
model_step_wait(struct model_steps *st, const struct model_life *l)
{
	const struct model_failed *f;
	char			 d[32];
	size_t			 i;

	if (l->nfailed > 0 && l->status != LIFE_QUEUED)
		model_step_str(st, "; smtp-out sessions that failed before "
		    "any transaction while it waited:");
	for (i = l->nfailed; i > 0; i--) {
		f = &l->failed[i - 1];
		model_step_add(st, MODEL_STEP_LINE, MODEL_TONE_WARN, f->last,
		    NULL);
		model_step_printf(st, 1024, "smtp-out to %s: %s%s%s, ",
		    f->relay ? f->relay : "? (no connection)", f->outcome,
		    f->reply ? ": " : "", f->reply ? f->reply : "");
		if (f->count > 1) {
			offset_to_text(f->first - st->t0, d, sizeof(d));
			model_step_printf(st, 128, "%lld sessions since %s, ",
			    (long long)f->count, d);
		} else
			model_step_str(st, "1 session, ");
		model_step_str(st, model_step_wait_link(f->link));
	}
}
