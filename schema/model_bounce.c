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
 * model_bounce.c: both sides of a life's bounce links, as the writer
 * made them (collector/life_bounce.c): the bounce a failed envelope
 * caused, and the failed envelopes a bounce is for, each with the
 * other life's state.  docs/bounces.md tells the rule.
 */
#include <stdint.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define BOUNCE_CAUSES	16			/* causes shown */

static int	model_bounce_other(struct model_iter *, uint64_t,
		    struct model_link *);
static int	model_bounce_causes(struct model_iter *);
static struct model_link *model_bounce_link_add(struct model_iter *);

/* Another life's state into k: 1 found, 0 not, -1 error. */
static int
model_bounce_other(struct model_iter *it, uint64_t evpid,
    struct model_link *k)
{
	sqlite3_stmt	*s;
	int		 rc, st;

	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_LIFE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)evpid);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	st = sqlite3_column_int(s, 0);
	k->status = st >= 0 && st < LIFE_NSTATUS ? st : LIFE_QUEUED;
	k->msgid = (uint32_t)sqlite3_column_int64(s, 1);
	k->reply = model_sql_text(&it->arena, s, 2);
	k->t = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	return 1;
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

/* The failed envelopes whose bounce this life is, in their order. */
static int
model_bounce_causes(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct model_link	*k;
	sqlite3_stmt		*s;
	int			 rc, st;

	if ((s = model_sql_stmt(it->m, MQ_BOUNCE_CAUSES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)l->evpid);
	while (l->nbounce_of < BOUNCE_CAUSES &&
	    (rc = sqlite3_step(s)) == SQLITE_ROW) {
		k = model_bounce_link_add(it);
		memset(k, 0, sizeof(*k));
		k->evpid = (uint64_t)sqlite3_column_int64(s, 0);
		k->exact = sqlite3_column_int(s, 1);
		k->queue_evpid = (uint64_t)db_col_int(s, 2, 0);
		st = sqlite3_column_int(s, 3);
		k->status = st >= 0 && st < LIFE_NSTATUS ? st : LIFE_QUEUED;
		k->msgid = (uint32_t)sqlite3_column_int64(s, 4);
		k->reply = model_sql_text(&it->arena, s, 5);
		k->t = sqlite3_column_int64(s, 6);
	}
	if (l->nbounce_of < BOUNCE_CAUSES && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	sqlite3_reset(s);
	return 0;
}

/*
 * Both sides of a life's bounce links: a failed envelope's bounce (its
 * evpid 0 when the bounce message was not seen), a bounce's causes.
 */
int
model_bounce_links(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	struct model_link	*k = &l->bounce;
	int			 rc;

	if (!l->has_evpid || (it->flags & MODEL_NOLINKS))
		return 0;
	if (l->mail_from != NULL && *l->mail_from == '\0')
		return l->local ? model_bounce_causes(it) : 0;
	if (l->link_bounce == 0 && !l->link_exact)
		return 0;
	memset(k, 0, sizeof(*k));
	k->exact = l->link_exact;
	k->queue_evpid = l->link_queue;
	if (l->link_bounce != 0 && (rc = model_bounce_other(it,
	    l->link_bounce, k)) != 0) {
		if (rc == -1)
			return -1;
		k->evpid = l->link_bounce;
	}
	l->has_bounce = 1;
	return 0;
}
