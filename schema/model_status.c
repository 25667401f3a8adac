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
 * model_status.c: a life's status from its attempts and maillog
 * outcomes (the latest settled fact decides), when its steps happened,
 * and the names of statuses, results, sources and outcomes.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"

#define MODEL_STATUS_LAST	INT64_MAX	/* an unknown expiry's time */

static int64_t	model_status_outcome_key(const struct model_outcome *);
static enum life_status model_status_of(enum model_result);

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

/* When an outcome happened, for ordering: expiry and removal end all. */
static int64_t
model_status_outcome_key(const struct model_outcome *o)
{
	if (o->t != 0)
		return o->t;
	return o->kind == MODEL_OC_MDA ? MODEL_STATUS_LAST - 1 :
	    MODEL_STATUS_LAST;
}

static enum life_status
model_status_of(enum model_result r)
{
	switch (r) {
	case MODEL_OK:
		return LIFE_DELIVERED;
	case MODEL_PERMFAIL:
		return LIFE_FAILED;
	default:
		return LIFE_DEFERRED;
	}
}

/*
 * The status, reply and t_final of a life from its attempts and
 * outcomes: the latest settled fact wins; an outcome wins a tie.
 */
void
model_status_settle(struct model_life *l, enum life_status base)
{
	const struct model_outcome *o;
	size_t			 d, i;
	int64_t			 key = INT64_MIN, k;

	l->t_final = 0;
	if (base == LIFE_REJECTED || base == LIFE_ABORTED) {
		l->status = base;
		return;
	}
	l->status = LIFE_QUEUED;
	l->reply = NULL;
	if ((d = model_attempt_decisive(l->attempts, l->nattempts)) <
	    l->nattempts) {
		l->status = model_status_of(l->attempts[d].result);
		l->reply = l->attempts[d].reply;
		l->t_final = key = l->attempts[d].t_end ? l->attempts[d].t_end :
		    l->attempts[d].t;
	}
	for (i = 0; i < l->noutcomes; i++) {
		o = &l->outcomes[i];
		if (o->kind == MODEL_OC_MDA && o->result == MODEL_PENDING)
			continue;
		if ((k = model_status_outcome_key(o)) < key)
			continue;
		key = k;
		l->t_final = o->t;
		l->reply = o->stat;
		l->status = o->kind == MODEL_OC_EXPIRE ? LIFE_EXPIRED :
		    o->kind == MODEL_OC_REMOVE ? LIFE_REMOVED :
		    model_status_of(o->result);
	}
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
	size_t	i, d;

	memset(tm, 0, sizeof(*tm));
	for (i = 0; i < l->nattempts; i++)
		if (tm->first_attempt == 0 || l->attempts[i].t <
		    tm->first_attempt)
			tm->first_attempt = l->attempts[i].t;
	tm->start = l->has_received ? l->t_begin : tm->first_attempt;
	if (l->status == LIFE_REJECTED || l->status == LIFE_ABORTED)
		return;
	tm->accepted = l->t_received;
	if (l->status == LIFE_DELIVERED || l->status == LIFE_FAILED ||
	    l->status == LIFE_EXPIRED || l->status == LIFE_REMOVED) {
		tm->final = l->t_final;
		d = model_attempt_decisive(l->attempts, l->nattempts);
		if (tm->final == 0 && d < l->nattempts)
			tm->final = l->attempts[d].t_end;
	}
}
