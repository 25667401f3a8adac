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
 * model_refuse.c: a MAIL FROM refused on smtp-out leaves no tx-* line,
 * so no attempt row, only an out_refusal row: without a maillog line
 * naming the envelope (model_outcome.c), give the refusal to a waiting
 * envelope only when no other message from that sender can have been
 * the one refused.  docs/json.md states the rule and its limits.
 */
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

struct refusal {
	int64_t		 id, t, t_reply, session;
	const char	*reply;
};

static int	model_refuse_others(struct model_iter *, int64_t, int64_t,
		    int64_t);
static int	model_refuse_domains(struct model_iter *, int64_t);
static int	model_refuse_find(struct model_iter *, int64_t,
		    struct refusal *, size_t *);
static int	model_refuse_had(const struct model_iter *,
		    const struct refusal *);
static int	model_refuse_add(struct model_iter *, const struct refusal *);

/*
 * Is another message from the life's sender, committed in [lo, hi),
 * not finished (delivered or failed) by settled?
 */
static int
model_refuse_others(struct model_iter *it, int64_t lo, int64_t hi,
    int64_t settled)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = model_sql_stmt(it->m, MQ_OTHERS)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, it->life.mail_from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	sqlite3_bind_int64(s, 4, (int32_t)it->life.msgid);
	sqlite3_bind_int64(s, 5, settled);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return rc == SQLITE_ROW;
}

/*
 * Does the life's message have another unfinished envelope for another
 * domain at t?  It may be in another task, to another relay.
 */
static int
model_refuse_domains(struct model_iter *it, int64_t t)
{
	sqlite3_stmt	*s;
	const char	*to = it->life.rcpt_to, *at;
	int		 rc;

	if (to == NULL)
		return 1;
	if ((at = strchr(to, '@')) == NULL)
		at = to;
	if ((s = model_sql_stmt(it->m, MQ_DOMAINS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int32_t)it->life.msgid);
	sqlite3_bind_int64(s, 2, (int64_t)it->life.evpid);
	sqlite3_bind_text(s, 3, at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, t);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return rc == SQLITE_ROW;
}

/* The refusals of the sender's MAIL FROM in the window after p. */
static int
model_refuse_find(struct model_iter *it, int64_t p, struct refusal *r,
    size_t *n)
{
	sqlite3_stmt	*s;
	int		 rc;

	*n = 0;
	if ((s = model_sql_stmt(it->m, MQ_REFUSED)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p - MODEL_SESSION_SPAN);
	sqlite3_bind_int64(s, 2, p + MODEL_REFUSE_WINDOW);
	sqlite3_bind_int64(s, 3, p);
	sqlite3_bind_text(s, 4, it->life.mail_from, -1, SQLITE_STATIC);
	while (*n < MODEL_REFUSALS_MAX &&
	    (rc = sqlite3_step(s)) == SQLITE_ROW) {
		r[*n].id = sqlite3_column_int64(s, 0);
		r[*n].t = sqlite3_column_int64(s, 1);
		r[*n].t_reply = sqlite3_column_int64(s, 2);
		r[*n].reply = model_sql_text(&it->arena, s, 3);
		r[*n].session = sqlite3_column_int64(s, 4);
		(*n)++;
	}
	if (*n < MODEL_REFUSALS_MAX && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return 0;
}

/* Was the refusal given to the life already (a maillog line named it)? */
static int
model_refuse_had(const struct model_iter *it, const struct refusal *r)
{
	size_t	i;

	for (i = 0; i < it->life.nattempts; i++)
		if (it->life.attempts[i].source == MODEL_SRC_REFUSAL &&
		    it->life.attempts[i].session.id == r->session &&
		    it->life.attempts[i].t_end == r->t_reply)
			return 1;
	return 0;
}

static int
model_refuse_add(struct model_iter *it, const struct refusal *r)
{
	struct model_attempt	*a = model_attempt_add(it);

	a->t = r->t;
	a->t_end = r->t_reply;
	a->reply = r->reply;
	a->result = r->reply[0] == '5' ? MODEL_PERMFAIL : MODEL_TEMPFAIL;
	a->inferred = 1;
	a->source = MODEL_SRC_REFUSAL;
	a->event_from = r->id;
	return model_cache_session(it, r->session, &a->session) == -1 ? -1 : 0;
}

/*
 * Give the life the refused MAIL FROM that were its own: those in the
 * window after it last waited whose sender is its sender, when no
 * other message of that sender was waiting then and its message has
 * no waiting envelope for another domain.  Stops at a permanent one.
 */
int
model_refuse_infer(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct refusal		 r[MODEL_REFUSALS_MAX];
	size_t			 i, n;
	int64_t			 p = l->t_received;
	int			 rc;

	if (!l->has_evpid || !l->has_received || l->mail_from == NULL ||
	    p == 0)
		return 0;
	for (i = 0; i < l->nattempts; i++)
		if (l->attempts[i].t_end > p)
			p = l->attempts[i].t_end;
	/* Cheap first: refusals are rare, and found by sender and time. */
	if (model_refuse_find(it, p, r, &n) == -1)
		return -1;
	if (n == 0)
		return 0;
	/* Another message waiting all through the window. */
	if ((rc = model_refuse_others(it, p - MODEL_EXPIRE, p,
	    p + MODEL_REFUSE_WINDOW)) != 0)
		return rc == -1 ? -1 : 0;
	for (i = 0; i < n; i++) {
		if ((rc = model_refuse_others(it, r[i].t - MODEL_EXPIRE, r[i].t,
		    r[i].t)) == 0)
			rc = model_refuse_domains(it, r[i].t);
		if (rc == -1)
			return -1;
		if (rc == 1 || r[i].reply == NULL ||
		    model_refuse_had(it, &r[i]))
			continue;
		if (model_refuse_add(it, &r[i]) == -1)
			return -1;
		if (r[i].reply[0] == '5')
			break;
	}
	return 0;
}
