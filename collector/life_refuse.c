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
 * life_refuse.c: a MAIL FROM refused on smtp-out leaves no tx-* line,
 * so no attempt row, only an out_refusal row.  Without a maillog line
 * naming the envelope (life_load.c), the writer gives the refusal to a
 * waiting envelope only when no other message from that sender can
 * have been the one refused; docs/json.md states the rule and its
 * limits.  The refusal marks the sender's waiting lives (schema/
 * writer.sql), so the rule runs when either half arrives.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define LIFE_REFUSE_EXPIRE	(4 * 86400 * US_PER_SEC) /* smtpd's default */
#define LIFE_REFUSE_WINDOW	(600 * US_PER_SEC)
#define LIFE_REFUSE_SPAN	(3600 * US_PER_SEC)	/* a session, at most */
#define LIFE_REFUSE_MAX		16	/* refusals looked at */

static int	life_refuse_others(struct life_writer *, const char *,
		    int64_t, int64_t, int64_t, int64_t);
static void	life_refuse_queue(struct life_writer *, int64_t, int64_t);
static int	life_refuse_any(struct life_writer *, int64_t);
static int	life_refuse_domains(struct life_writer *, int64_t);
static int	life_refuse_had(const struct life_facts *, int64_t);
static int	life_refuse_find(struct life_writer *, int64_t,
		    struct life_try *, size_t *);

/*
 * Is another message than msgid from sender from, accepted in [lo,
 * hi), that no reported attempt had delivered or failed by settled?
 * Its life says (t_done, by life_sender).  1, 0 or -1.
 */
static int
life_refuse_others(struct life_writer *lw, const char *from, int64_t msgid,
    int64_t lo, int64_t hi, int64_t settled)
{
	sqlite3_stmt	*s;

	if ((s = life_stmt(lw, LS_OTHERS)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, hi);
	sqlite3_bind_int64(s, 4, msgid);
	sqlite3_bind_int64(s, 5, settled);
	return life_int(lw, s);
}

/*
 * Life evpid to build again once every marked life is written (struct
 * life_again): with p if another message waited all through the
 * window after p, which the second build asks first.
 */
static void
life_refuse_queue(struct life_writer *lw, int64_t evpid, int64_t p)
{
	struct life_again	*a;

	lw->again = xgrow(lw->again, lw->nagain, &lw->again_cap, 16,
	    sizeof(*lw->again));
	a = &lw->again[lw->nagain++];
	a->evpid = evpid;
	a->p = p;
	a->msgid = (int32_t)lw->f.msgid;
	a->mail_from = p != 0 ? xstrdup(lw->f.mail_from) : NULL;
}

/*
 * Was a MAIL FROM of the life's sender refused in the window after p?
 * Only the index of out_refusal is read.  1, 0 or -1.
 */
static int
life_refuse_any(struct life_writer *lw, int64_t p)
{
	sqlite3_stmt	*s;

	if ((s = life_stmt(lw, LS_REFUSED_ANY)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p);
	sqlite3_bind_int64(s, 2, p + LIFE_REFUSE_WINDOW);
	sqlite3_bind_text(s, 3, lw->f.mail_from, -1, SQLITE_STATIC);
	return life_int(lw, s);
}

/*
 * Does the life's message have another unfinished envelope for another
 * domain at t?  It may be in another task, to another relay.
 */
static int
life_refuse_domains(struct life_writer *lw, int64_t t)
{
	sqlite3_stmt	*s;
	const char	*to = lw->f.rcpt_to, *at;
	int		 rc;

	if (to == NULL)
		return 1;
	if ((at = strchr(to, '@')) == NULL)
		at = to;
	if ((s = life_stmt(lw, LS_DOMAINS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int32_t)lw->f.msgid);
	sqlite3_bind_int64(s, 2, (int64_t)lw->f.evpid);
	sqlite3_bind_text(s, 3, at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, t);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return rc == SQLITE_ROW;
}

/* Was the refusal the life's already (a maillog line named it)? */
static int
life_refuse_had(const struct life_facts *f, int64_t refusal)
{
	size_t	i;

	for (i = 0; i < f->ntries; i++)
		if (f->tries[i].refusal == refusal)
			return 1;
	return 0;
}

/* The refusals of the sender's MAIL FROM in the window after p. */
static int
life_refuse_find(struct life_writer *lw, int64_t p, struct life_try *r,
    size_t *n)
{
	sqlite3_stmt	*s;
	int		 rc = SQLITE_DONE;

	*n = 0;
	if ((s = life_stmt(lw, LS_REFUSED)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p - LIFE_REFUSE_SPAN);
	sqlite3_bind_int64(s, 2, p + LIFE_REFUSE_WINDOW);
	sqlite3_bind_int64(s, 3, p);
	sqlite3_bind_text(s, 4, lw->f.mail_from, -1, SQLITE_STATIC);
	while (*n < LIFE_REFUSE_MAX && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r[*n], 0, sizeof(r[*n]));
		r[*n].refusal = sqlite3_column_int64(s, 0);
		r[*n].t = sqlite3_column_int64(s, 1);
		r[*n].t_end = sqlite3_column_int64(s, 2);
		r[*n].reply = life_keep(&lw->f, s, 3);
		r[*n].result = db_col_int(s, 4, 1) == 2 ? RES_PERMFAIL :
		    RES_TEMPFAIL;
		r[*n].sid = (uint64_t)sqlite3_column_int64(s, 5);
		r[*n].given = 1;
		(*n)++;
	}
	sqlite3_reset(s);
	if (*n < LIFE_REFUSE_MAX && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return 0;
}

/*
 * Give the waiting life the refused MAIL FROM that were its own: those
 * in the window after it last waited whose sender is its sender, when
 * no other message of that sender was waiting then and its message has
 * no waiting envelope for another domain.  Stops at a permanent one.
 */
int
life_refuse_infer(struct life_writer *lw)
{
	struct life_facts	*f = &lw->f;
	struct life_try		 r[LIFE_REFUSE_MAX];
	size_t			 i, n;
	int64_t			 p = f->t_accepted;
	int			 rc;

	if (f->tx == 0 || f->mail_from == NULL || p == 0)
		return 0;
	for (i = 0; i < f->ntries; i++)
		if (f->tries[i].t_end > p)
			p = f->tries[i].t_end;
	/*
	 * Cheap first: refusals are rare, and found by sender and time.
	 * Each is read with its session and command only if no other
	 * message waited all through the window (never in a newsletter's
	 * blast, where the sender's refusals are many).
	 */
	if ((rc = life_refuse_any(lw, p)) != 1)
		return rc;
	/* Another message waiting all through the window. */
	if ((rc = life_refuse_others(lw, f->mail_from, (int32_t)f->msgid,
	    p - LIFE_REFUSE_EXPIRE, p, p + LIFE_REFUSE_WINDOW)) == -1)
		return -1;
	/*
	 * The rule reads the other lives of the sender: once every marked
	 * life is written, this one is built again (life_flush).
	 */
	if (!lw->second)
		life_refuse_queue(lw, (int64_t)f->evpid, rc == 1 ? p : 0);
	if (rc == 1)
		return 0;
	if (life_refuse_find(lw, p, r, &n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = life_refuse_others(lw, f->mail_from,
		    (int32_t)f->msgid, r[i].t - LIFE_REFUSE_EXPIRE, r[i].t,
		    r[i].t)) == 0)
			rc = life_refuse_domains(lw, r[i].t);
		if (rc == -1)
			return -1;
		if (rc == 1 || r[i].reply == NULL ||
		    life_refuse_had(f, r[i].refusal))
			continue;
		*life_try_add(f) = r[i];
		if (r[i].reply[0] == '5')
			break;
	}
	return 0;
}

/*
 * The refused MAIL FROM stored in this transaction, now that every
 * marked life is written: when one message of the sender waits (queued
 * in smtpd's expiry before it), its waiting lives are built again.
 */
int
life_refuse_marked(struct life_writer *lw)
{
	sqlite3_stmt	*s;
	int64_t		*t = NULL;
	char		**who = NULL;
	size_t		 i, n = 0, cap = 0, cap2 = 0;
	int		 rc, rv = 0;

	if ((s = life_stmt(lw, LS_REFUSAL_TAKE)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		t = xgrow(t, n, &cap, 8, sizeof(*t));
		who = xgrow(who, n, &cap2, 8, sizeof(*who));
		who[n] = xstrdup((const char *)sqlite3_column_text(s, 0));
		t[n++] = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		rv = db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	for (i = 0; rv == 0 && i < n; i++) {
		if ((s = life_stmt(lw, LS_REFUSAL_LIVES)) == NULL) {
			rv = -1;
			break;
		}
		sqlite3_bind_text(s, 1, who[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, t[i] - LIFE_REFUSE_EXPIRE);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			life_refuse_queue(lw, sqlite3_column_int64(s, 0), 0);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			rv = db_fail(lw->db, "life: %s",
			    sqlite3_errmsg(lw->db->h));
	}
	for (i = 0; i < n; i++)
		free(who[i]);
	free(who);
	free(t);
	if (rv == 0 && ((s = life_stmt(lw, LS_REFUSAL_CLEAR)) == NULL ||
	    life_exec(lw, s) == -1))
		rv = -1;
	return rv;
}

/*
 * Build again the lives queued (life_refuse_queue()), now that the
 * others are written, but those of which another message of the
 * sender still waited all through the window: for them the rule gives
 * nothing again, and nothing else they read has changed (a change of
 * their own facts marks them).  -1 with the reason in the database
 * handle.
 */
int
life_refuse_again(struct life_writer *lw)
{
	const struct life_again	*a;
	size_t			 i;
	int			 rc = 0;

	lw->second = 1;
	for (i = 0; i < lw->nagain && rc != -1; i++) {
		a = &lw->again[i];
		if (a->p == 0 || (rc = life_refuse_others(lw, a->mail_from,
		    a->msgid, a->p - LIFE_REFUSE_EXPIRE, a->p,
		    a->p + LIFE_REFUSE_WINDOW)) == 0)
			rc = life_write_envelope(lw, (uint64_t)a->evpid);
	}
	lw->second = 0;
	return rc == -1 ? -1 : 0;
}

/* The lives queued to build again, forgotten. */
void
life_refuse_forget(struct life_writer *lw)
{
	size_t	i;

	for (i = 0; i < lw->nagain; i++)
		free(lw->again[i].mail_from);
	lw->nagain = 0;
}
