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
 * model_outcome.c: smtpd's maillog in a life (the outcome table): an
 * mta line confirms the attempt of its session, or is a step of its
 * own (a refused MAIL FROM, or no session at all: no MX reachable), as
 * the writer matched it (collector/life_load.c); local deliveries,
 * expiry and removal are the life's outcomes.  A time the writer
 * estimated (the line had none: collector/outcome.c) stays marked as
 * such.  docs/json.md has the rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

struct oc_row {
	const char	*kind, *stat, *relay, *user, *agent;
	int64_t		 id, t, attempt, refusal;
	int		 estimated;	/* t: the line had none */
	uint64_t	 sid;
	enum model_result result;
};

static int	model_outcome_mta(struct model_iter *, const struct oc_row *);
static void	model_outcome_add(struct model_iter *, const struct oc_row *,
		    enum model_outcome_kind);

/*
 * An mta line, as the writer matched it: it confirms an attempt of its
 * session, or it is that session's refused MAIL FROM, or a step of its
 * own (no session at all: no MX reachable).
 */
static int
model_outcome_mta(struct model_iter *it, const struct oc_row *r)
{
	struct model_life	*l = &it->life;
	struct model_attempt	*a;
	size_t			 i;
	int			 rc;

	for (i = 0; r->attempt != 0 && i < l->nattempts; i++) {
		a = &l->attempts[i];
		if (a->source != MODEL_SRC_REPORT || a->id != r->attempt)
			continue;
		a->confirmed = 1;
		if (a->result == MODEL_PENDING && r->result != MODEL_PENDING) {
			a->result = r->result;
			a->t_end = r->t;
			a->estimated = r->estimated;
			a->reply = r->stat;
		}
		return 0;
	}
	a = model_attempt_add(it);
	a->confirmed = 1;
	if (r->refusal != 0 &&
	    (rc = model_attempt_refusal(it, r->refusal, a)) != 0)
		return rc == -1 ? -1 : 0;
	a->source = MODEL_SRC_MAILLOG;
	a->outcome = r->id;
	a->t = a->t_end = r->t;
	a->estimated = r->estimated;
	a->result = r->result;
	a->reply = r->stat;
	a->session.sid = r->sid;
	a->session.dir = 1;
	a->session.dest = r->relay;
	return 0;
}

static void
model_outcome_add(struct model_iter *it, const struct oc_row *r,
    enum model_outcome_kind kind)
{
	struct model_life	*l = &it->life;
	struct model_outcome	*o;

	it->outcomes = xgrow(it->outcomes, l->noutcomes, &it->outcomes_cap, 4,
	    sizeof(*it->outcomes));
	l->outcomes = it->outcomes;
	o = &it->outcomes[l->noutcomes++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->id = r->id;
	o->t = r->t;
	o->estimated = r->estimated;
	o->sid = r->sid;
	o->result = kind == MODEL_OC_MDA ? r->result : MODEL_PENDING;
	o->stat = r->stat;
	o->user = r->user;
	o->agent = r->agent;
}

/*
 * Has any maillog line been imported?  Asked once per iterator (one
 * snapshot): without, no life needs to look for its own.  -1 on error.
 */
int
model_outcome_maillog(struct model_iter *it)
{
	sqlite3_stmt	*s;

	if (it->maillog != -1)
		return it->maillog;
	if ((s = model_sql_stmt(it->m, MQ_ANY_OUTCOME)) == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW)
		return model_sql_error(it->m);
	it->maillog = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return it->maillog;
}

/* Read the life's maillog lines (its evpid's), in time order. */
int
model_outcome_load(struct model_iter *it)
{
	struct oc_row	 r;
	sqlite3_stmt	*s;
	int		 rc;

	it->life.noutcomes = 0;
	if (!it->life.has_evpid || (rc = model_outcome_maillog(it)) == 0)
		return 0;
	if (rc == -1)
		return -1;
	if ((s = model_sql_stmt(it->m, MQ_OUTCOMES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)it->life.evpid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.kind = (const char *)sqlite3_column_text(s, 0);
		r.t = db_col_int(s, 1, 0);
		r.sid = (uint64_t)sqlite3_column_int64(s, 2);
		r.result = db_col_int(s, 3, MODEL_PENDING);
		if (r.result > MODEL_PERMFAIL)
			r.result = MODEL_PERMFAIL;
		r.stat = model_sql_text(&it->arena, s, 4);
		r.relay = model_sql_text(&it->arena, s, 5);
		r.user = model_sql_text(&it->arena, s, 6);
		r.agent = model_sql_text(&it->arena, s, 7);
		r.attempt = db_col_int(s, 8, 0);
		r.refusal = db_col_int(s, 9, 0);
		r.id = sqlite3_column_int64(s, 10);
		r.estimated = r.t != 0 && sqlite3_column_int(s, 11) != 0;
		if (strcmp(r.kind, "mda") == 0)
			model_outcome_add(it, &r, MODEL_OC_MDA);
		else if (strcmp(r.kind, "expire") == 0)
			model_outcome_add(it, &r, MODEL_OC_EXPIRE);
		else if (strcmp(r.kind, "remove") == 0)
			model_outcome_add(it, &r, MODEL_OC_REMOVE);
		else if (model_outcome_mta(it, &r) == -1)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
}
