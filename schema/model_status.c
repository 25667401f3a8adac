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
 * model_status.c: what the reader says of a life's state, which the
 * writer decided (collector/life_status.c): when its steps happened,
 * the attempt to show as decisive, when it waited, what ended an
 * attempt with no reply (its session's outcome, the writer's), and
 * the names of results, sources, outcomes and AUTH results.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"

const char *
model_source_name(enum model_source s)
{
	switch (s) {
	case MODEL_SRC_REFUSAL:
		return "refusal";
	case MODEL_SRC_MAILLOG:
		return "maillog";
	default:
		return "report";
	}
}

const char *
model_outcome_name(enum model_outcome_kind k)
{
	switch (k) {
	case MODEL_OC_MDA:
		return "mda";
	case MODEL_OC_EXPIRE:
		return "expire";
	default:
		return "remove";
	}
}

const char *
model_result_name(enum model_result r)
{
	switch (r) {
	case MODEL_OK:
		return "ok";
	case MODEL_TEMPFAIL:
		return "tempfail";
	case MODEL_PERMFAIL:
		return "permfail";
	default:
		return NULL;
	}
}

/*
 * The attempt that decides a life: the latest settled one (an inferred
 * one, from a refused MAIL FROM, has its place by time).  n if none.
 */
size_t
model_attempt_decisive(const struct model_attempt *a, size_t n)
{
	size_t	i, last = n;

	for (i = 0; i < n; i++)
		if (a[i].result != MODEL_PENDING &&
		    (last == n || a[i].t >= a[last].t))
			last = i;
	return last;
}

/*
 * The attempt that decided the life, as the writer recorded it (a
 * reported attempt, a refused MAIL FROM, an mta line of its own):
 * its index, nattempts if none.
 */
size_t
model_life_decisive(const struct model_life *l)
{
	const struct model_attempt *a;
	size_t			 i;

	for (i = 0; i < l->nattempts; i++) {
		a = &l->attempts[i];
		if ((l->decisive != 0 && a->source == MODEL_SRC_REPORT &&
		    a->id == l->decisive) || (l->decisive_refusal != 0 &&
		    a->refusal == l->decisive_refusal) ||
		    (l->decisive_outcome != 0 &&
		    a->outcome == l->decisive_outcome))
			return i;
	}
	return l->nattempts;
}

/* Is the time of the fact that decided life l an estimate? */
int
model_life_estimated(const struct model_life *l)
{
	size_t	i;

	if ((i = model_life_decisive(l)) < l->nattempts)
		return l->attempts[i].estimated;
	for (i = 0; l->decisive_outcome != 0 && i < l->noutcomes; i++)
		if (l->outcomes[i].id == l->decisive_outcome)
			return l->outcomes[i].estimated;
	return 0;
}

/*
 * The steps of a life in time: accept is accepted - start, queue wait
 * first_attempt - accepted, total final - start (final: the fact that
 * decided a delivered, failed, expired or removed life).  A life not seen on
 * smtp-in starts with its first attempt.
 */
void
model_timings(const struct model_life *l, struct model_timings *tm)
{
	size_t	i;

	memset(tm, 0, sizeof(*tm));
	for (i = 0; i < l->nattempts; i++)
		if (tm->first_attempt == 0 || l->attempts[i].t <
		    tm->first_attempt) {
			tm->first_attempt = l->attempts[i].t;
			tm->first_estimated = l->attempts[i].estimated &&
			    l->attempts[i].source == MODEL_SRC_MAILLOG;
		}
	tm->start = l->has_received ? l->t_begin : tm->first_attempt;
	if (l->status == LIFE_REJECTED || l->status == LIFE_ABORTED)
		return;
	tm->accepted = l->t_received;
	if (l->status == LIFE_DELIVERED || l->status == LIFE_FAILED ||
	    l->status == LIFE_EXPIRED || l->status == LIFE_REMOVED) {
		tm->final = l->t_final;
		tm->final_estimated = model_life_estimated(l);
	}
}

/* A link-auth result (session.auth_result), as v_session names it. */
const char *
model_auth_name(int r)
{
	switch (r) {
	case RES_OK:
		return "pass";
	case RES_PERMFAIL:
		return "fail";
	case RES_ERROR:
		return "error";
	default:
		return NULL;
	}
}

const char *
model_wait_link_name(enum model_wait_link k)
{
	switch (k) {
	case MODEL_WAIT_MAILLOG:
		return "maillog";
	case MODEL_WAIT_RELAY:
		return "relay";
	default:
		return "any";
	}
}

/*
 * What ended an attempt that got no reply: the outcome the writer gave
 * its session (aborted, timeout, ...), once the session has ended.
 * NULL when it has a reply, succeeded, is still going on, or when its
 * session committed a message (outcome mail says nothing of this one).
 */
const char *
model_attempt_failure(const struct model_attempt *a)
{
	const char	*o = a->session.outcome;

	if (a->reply != NULL || a->result == MODEL_OK ||
	    a->source != MODEL_SRC_REPORT || o == NULL ||
	    strcmp(o, "mail") == 0)
		return NULL;
	if (a->result == MODEL_PENDING && a->session.t_end == 0)
		return NULL;
	return o;
}

/*
 * Whether life l waits, at `at' (0: now), or waited until it was
 * removed or expired, and for how long: [*from, *until], from its
 * commit (or when first seen) on.
 */
int
model_life_waits(const struct model_life *l, int64_t at, int64_t *from,
    int64_t *until)
{
	*from = l->t_received != 0 ? l->t_received : l->t;
	*until = at != 0 ? at : INT64_MAX;
	if (l->status == LIFE_EXPIRED || l->status == LIFE_REMOVED) {
		if (l->t_final == 0)
			return 0;
		*until = l->t_final;
	} else if (l->status != LIFE_QUEUED && l->status != LIFE_DEFERRED)
		return 0;
	return *from <= *until;
}
