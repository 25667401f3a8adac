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
 * model_bounce.c: the link between a failed envelope and the bounce
 * smtpd sent for it, by one rule from the failed envelope forward,
 * checked from both sides.  docs/bounces.md tells how.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define BOUNCE_SLACK	(2 * US_PER_SEC)	/* clocks of two logs */
#define BOUNCE_WINDOW	(300 * US_PER_SEC)	/* failure to bounce */
#define BOUNCE_CAUSES	16			/* causes checked fully */
#define BOUNCE_PENDING	65536			/* originals kept, at most */

/* What the forward rule needs of an original life. */
struct bounce_orig {
	uint64_t		 evpid;
	const char		*mail_from;
	enum life_status	 status;
	int64_t			 t_final, t;
};

static int	model_bounce_forward(struct model_iter *,
		    const struct bounce_orig *, struct model_link *, int64_t *);
static int	model_bounce_message(struct model_iter *, const char *, int64_t,
		    uint64_t *);
static int	model_bounce_other(struct model_iter *, uint64_t,
		    struct bounce_orig *, struct model_link *);
static int	model_bounce_candidates(struct model_iter *, uint64_t *,
		    size_t *);
static int	model_bounce_later(struct model_iter *, uint64_t *, size_t *);
static void	model_bounce_pend_add(struct model_iter *, uint64_t,
		    const struct model_link *, int64_t);
static int	model_bounce_pend_cmp(const void *, const void *);
static void	model_bounce_pend_take(struct model_iter *);
static struct model_link *model_bounce_link_add(struct model_iter *);
static int	model_bounce_link_cmp(const void *, const void *);

/* The first bounce message to rcpt committed in [t - slack, t + window]. */
static int
model_bounce_message(struct model_iter *it, const char *rcpt, int64_t t,
    uint64_t *evpid)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_MSG)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, rcpt, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, t - BOUNCE_SLACK);
	sqlite3_bind_int64(s, 3, t + BOUNCE_WINDOW);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	*evpid = (uint64_t)sqlite3_column_int64(s, 0);
	return 1;
}

/*
 * The bounce of o, into k (evpid 0: its message not seen), and when o
 * failed into *failed: 1 linked, 0 none, -1 error.
 */
static int
model_bounce_forward(struct model_iter *it, const struct bounce_orig *o,
    struct model_link *k, int64_t *failed)
{
	sqlite3_stmt	*s;
	int64_t		 t;
	int		 rc;

	memset(k, 0, sizeof(*k));
	if (o->mail_from == NULL || *o->mail_from == '\0')
		return 0;
	if ((rc = model_outcome_maillog(it)) == -1)
		return -1;
	if (rc == 0)
		rc = SQLITE_DONE;	/* no "bouncing" line, surely */
	else if ((s = model_sql_stmt(it->m, MQ_BOUNCE_LINE)) == NULL)
		return -1;
	else {
		sqlite3_bind_int64(s, 1, (int64_t)o->evpid);
		rc = sqlite3_step(s);
	}
	if (rc == SQLITE_ROW) {
		k->exact = 1;
		t = db_col_int(s, 0, 0);
		k->queue_evpid = (uint64_t)sqlite3_column_int64(s, 1);
		if (t == 0)
			t = o->t_final ? o->t_final : o->t;
	} else if (rc != SQLITE_DONE)
		return model_sql_error(it->m);
	else if ((o->status == LIFE_FAILED || o->status == LIFE_EXPIRED) &&
	    o->t_final != 0)
		t = o->t_final;
	else
		return 0;
	*failed = t;
	if ((rc = model_bounce_message(it, o->mail_from, t, &k->evpid)) == -1)
		return -1;
	return k->exact || rc == 1;
}

/*
 * Another life's facts, built by a second iterator kept for this (no
 * links, no events): its status and reply into k, what the rule needs
 * into o.  1 found.
 */
static int
model_bounce_other(struct model_iter *it, uint64_t evpid, struct bounce_orig *o,
    struct model_link *k)
{
	struct model_iter	*sub;
	const struct model_life	*l;
	sqlite3_stmt		*s;
	int			 rc;

	sub = it->sub;
	arena_reset(&sub->arena);
	if ((s = model_sql_stmt(it->m, MQ_LIFE_EVPID)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)evpid);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	rc = model_life_build(sub, s);
	sqlite3_reset(s);
	if (rc != 1)
		return rc;
	l = &sub->life;
	k->status = l->status;
	k->msgid = l->msgid;
	k->t = l->t;
	k->reply = l->reply == NULL ? NULL :
	    arena_strndup(&it->arena, l->reply, strlen(l->reply));
	o->evpid = evpid;
	o->mail_from = l->mail_from == NULL ? NULL :
	    arena_strndup(&it->arena, l->mail_from, strlen(l->mail_from));
	o->status = l->status;
	o->t_final = l->t_final;
	o->t = l->t;
	return 1;
}

/* The bounce the life caused, with the bounce's own status. */
static int
model_bounce_of_original(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct bounce_orig	 o, dummy;
	struct model_link	 k;
	int64_t			 failed = 0;
	int			 rc;

	o.evpid = l->evpid;
	o.mail_from = l->mail_from;
	o.status = l->status;
	o.t_final = l->t_final;
	o.t = l->t;
	if ((rc = model_bounce_forward(it, &o, &k, &failed)) != 1)
		return rc;
	if (k.evpid != 0 &&
	    model_bounce_other(it, k.evpid, &dummy, &k) == -1)
		return -1;
	l->bounce = k;
	l->has_bounce = 1;
	/*
	 * A bounce that came first (a bounce to the sender just before)
	 * looks for this life itself (model_bounce_later).
	 */
	if (it->complete && k.evpid != 0 && k.t > l->t) {
		k.evpid = l->evpid;
		k.msgid = l->msgid;
		k.status = l->status;
		k.reply = l->reply;
		k.t = l->t;
		model_bounce_pend_add(it, l->bounce.evpid, &k, failed);
	}
	return 0;
}

/* Keep original k, a cause of bounce, for the bounce's life. */
static void
model_bounce_pend_add(struct model_iter *it, uint64_t bounce,
    const struct model_link *k, int64_t failed)
{
	struct model_pend	*p;
	size_t			 i;

	if (it->npend == BOUNCE_PENDING) {
		/* Never seen so many: search back for the rest instead. */
		for (i = 0; i < it->npend; i++)
			free(it->pend[i].reply);
		it->npend = 0;
		it->complete = 0;
		return;
	}
	it->pend = xgrow(it->pend, it->npend, &it->pend_cap, 64,
	    sizeof(*it->pend));
	p = &it->pend[it->npend++];
	p->bounce = bounce;
	p->failed = failed;
	p->k = *k;
	p->reply = k->reply == NULL ? NULL : xstrdup(k->reply);
	p->k.reply = NULL;
}

/* The latest failure first, as the search back takes them. */
static int
model_bounce_pend_cmp(const void *a, const void *b)
{
	const struct model_pend	*x = a, *y = b;

	if (x->bounce != y->bounce)
		return x->bounce < y->bounce ? -1 : 1;
	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	return x->k.evpid < y->k.evpid ? -1 : x->k.evpid > y->k.evpid;
}

/*
 * The life's causes kept for it, into its links: the BOUNCE_CAUSES
 * that failed last, like the search back.
 */
static void
model_bounce_pend_take(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct model_pend	*p;
	struct model_link	*k;
	size_t			 i, first = 0, n = 0;

	if (it->npend == 0)
		return;		/* none kept, it->pend may be NULL */
	qsort(it->pend, it->npend, sizeof(*it->pend), model_bounce_pend_cmp);
	while (first < it->npend && it->pend[first].bounce < l->evpid)
		first++;
	while (first + n < it->npend && it->pend[first + n].bounce == l->evpid)
		n++;
	for (i = first; i < first + n; i++) {
		p = &it->pend[i];
		if (l->nbounce_of < BOUNCE_CAUSES) {
			k = model_bounce_link_add(it);
			*k = p->k;
			k->reply = p->reply == NULL ? NULL :
			    arena_strndup(&it->arena, p->reply,
			    strlen(p->reply));
		}
		free(p->reply);
	}
	memmove(it->pend + first, it->pend + first + n,
	    (it->npend - first - n) * sizeof(*it->pend));
	it->npend -= n;
}

static struct model_link *
model_bounce_link_add(struct model_iter *it)
{
	struct model_life	*l = &it->life;

	it->links = xgrow(it->links, l->nbounce_of, &it->links_cap, 4,
	    sizeof(*it->links));
	l->bounce_of = it->links;
	return &it->links[l->nbounce_of++];
}

/* Causes in the order of their lives. */
static int
model_bounce_link_cmp(const void *a, const void *b)
{
	const struct model_link	*x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->evpid < y->evpid ? -1 : x->evpid > y->evpid;
}

void
model_bounce_free(struct model_iter *it)
{
	size_t	i;

	for (i = 0; i < it->npend; i++)
		free(it->pend[i].reply);
	free(it->pend);
	it->pend = NULL;
	it->npend = it->pend_cap = 0;
}

/*
 * Over every life: the envelopes of the bounce's recipient not before
 * the bounce, that may have failed before it all the same (within the
 * slack of two logs' clocks).  Nearly always none.
 */
static int
model_bounce_later(struct model_iter *it, uint64_t *ev, size_t *n)
{
	struct model_life	*l = &it->life;
	sqlite3_stmt		*s;
	int			 rc;

	*n = 0;
	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_LATER)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, l->rcpt_to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, l->t);
	sqlite3_bind_int64(s, 3, l->t_received + BOUNCE_SLACK);
	while (*n < BOUNCE_CAUSES && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ev[(*n)++] = (uint64_t)sqlite3_column_int64(s, 0);
	if (*n < BOUNCE_CAUSES && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return 0;
}

/*
 * The failures of the bounce's recipient shortly before it for which
 * it is the first bounce message after them: after the previous one
 * (less the slack), within the window.  The causes to check fully.
 */
static int
model_bounce_candidates(struct model_iter *it, uint64_t *ev, size_t *n)
{
	struct model_life	*l = &it->life;
	sqlite3_stmt		*s;
	int64_t			 lo;
	uint64_t		 e;
	size_t			 j;
	int			 rc;

	*n = 0;
	lo = l->t_received - BOUNCE_WINDOW - BOUNCE_SLACK;
	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_PREV)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, l->rcpt_to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, l->t_received);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_int64(s, 0) + BOUNCE_SLACK >= lo)
		lo = sqlite3_column_int64(s, 0) + BOUNCE_SLACK + 1;
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_CAUSES)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, l->rcpt_to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, l->t_received + BOUNCE_SLACK);
	sqlite3_bind_int64(s, 4, lo);
	while (*n < BOUNCE_CAUSES && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		e = (uint64_t)sqlite3_column_int64(s, 0);
		for (j = 0; j < *n && ev[j] != e; j++)
			;
		if (j == *n)
			ev[(*n)++] = e;
	}
	if (*n < BOUNCE_CAUSES && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return 0;
}

/*
 * The envelopes whose bounce this life is, by the forward rule.  Over
 * every life, those before it were kept for it; only those not before
 * it (from its own time on) are searched for.
 */
static int
model_bounce_causes(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct model_link	 k, back;
	struct bounce_orig	 o;
	uint64_t		 ev[BOUNCE_CAUSES];
	int64_t			 failed;
	size_t			 i, n;
	int			 rc;

	if (it->complete)
		model_bounce_pend_take(it);
	if ((it->complete ? model_bounce_later(it, ev, &n) :
	    model_bounce_candidates(it, ev, &n)) == -1)
		return -1;
	for (i = 0; i < n && l->nbounce_of < BOUNCE_CAUSES; i++) {
		memset(&k, 0, sizeof(k));
		if ((rc = model_bounce_other(it, ev[i], &o, &k)) != 1 ||
		    (it->complete && k.t < l->t) ||
		    (rc = model_bounce_forward(it, &o, &back, &failed)) != 1) {
			if (rc == -1)
				return -1;
			continue;
		}
		if (back.evpid != l->evpid)
			continue;
		k.evpid = ev[i];
		k.exact = back.exact;
		k.queue_evpid = back.queue_evpid;
		*model_bounce_link_add(it) = k;
	}
	if (l->nbounce_of > 1)
		qsort(l->bounce_of, l->nbounce_of, sizeof(*l->bounce_of),
		    model_bounce_link_cmp);
	return 0;
}

/*
 * Both sides of a life's bounce links: a bounce message (null sender,
 * on the local socket) looks for its causes, any other for its bounce.
 */
int
model_bounce_links(struct model_iter *it)
{
	struct model_life	*l = &it->life;

	if (!l->has_evpid || (it->flags & MODEL_NOLINKS))
		return 0;
	if (l->mail_from != NULL && *l->mail_from == '\0') {
		if (!l->has_received || l->in.src == NULL ||
		    strncmp(l->in.src, "unix:", 5) != 0 || l->rcpt_to == NULL)
			return 0;
		return model_bounce_causes(it);
	}
	return model_bounce_of_original(it);
}
