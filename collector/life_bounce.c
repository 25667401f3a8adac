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
 * life_bounce.c: the link between a failed envelope and the bounce
 * smtpd sent for it, made by the writer once, when the second of the
 * two arrives: the bounce is the first bounce message to the failed
 * envelope's sender queued from a little before the failure on.  Both
 * look-ups are one index probe, bounded by address and time, whatever
 * the sender's traffic.  docs/bounces.md tells the rule.
 */
#include <stdint.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define LIFE_BOUNCE_SLACK	(2 * US_PER_SEC)	/* two logs' clocks */
#define LIFE_BOUNCE_WINDOW	(300 * US_PER_SEC)	/* failure to bounce */

static int	life_bounce_line(struct life_writer *, int64_t *);
static int	life_bounce_probe(struct life_writer *, enum life_stmt,
		    const char *, int64_t, int64_t, int64_t *);

/* The "bouncing" line of maillog about the life: 1, with its time. */
static int
life_bounce_line(struct life_writer *lw, int64_t *t)
{
	struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	int			 rc;

	if ((s = life_stmt(lw, LS_BOUNCE_LINE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)f->evpid);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*t = db_col_int(s, 0, 0);
		f->bounce_queue = db_col_int(s, 1, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return rc == SQLITE_ROW;
}

/* One value from statement n over (address, a, b): 1 found, 0, -1. */
static int
life_bounce_probe(struct life_writer *lw, enum life_stmt n, const char *addr,
    int64_t a, int64_t b, int64_t *v)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = life_stmt(lw, n)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, addr, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, a);
	sqlite3_bind_int64(s, 3, b);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		*v = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return rc == SQLITE_ROW;
}

/*
 * The bounce of the life, if it is an original: when it failed (a
 * "bouncing" line, else its failure or expiry), and the first bounce
 * message to its sender queued in [failure - slack, failure + window].
 */
int
life_bounce_find(struct life_writer *lw, const struct life_state *st)
{
	struct life_facts	*f = &lw->f;
	int64_t			 t = 0, b;
	int			 rc;

	f->t_fail = f->bounce = f->bounce_queue = 0;
	f->bounce_exact = 0;
	if (f->base != LIFE_QUEUED || f->mail_from == NULL ||
	    *f->mail_from == '\0')
		return 0;
	if ((rc = lw->maillog == 0 ? 0 : life_bounce_line(lw, &t)) == -1)
		return -1;
	if (rc == 1) {
		f->bounce_exact = 1;
		if (t == 0)
			t = st->t_status ? st->t_status : f->t;
	} else if ((st->status == LIFE_FAILED || st->status ==
	    LIFE_EXPIRED) && st->t_status != 0)
		t = st->t_status;
	else
		return 0;
	f->t_fail = t;
	if ((rc = life_bounce_probe(lw, LS_BOUNCE_MSG, f->mail_from,
	    t - LIFE_BOUNCE_SLACK, t + LIFE_BOUNCE_WINDOW, &b)) == 1)
		f->bounce = b;
	return rc == -1 ? -1 : 0;
}

/*
 * A bounce message newly queued: the failures of its recipient it is
 * now the first bounce for are built again.  Those are the ones after
 * the previous bounce to the address (less the slack), in the window.
 */
int
life_bounce_mark(struct life_writer *lw)
{
	struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	int64_t			 tb = f->t_accepted, lo, prev = 0;
	int			 rc;

	if (!f->local || f->mail_from == NULL || *f->mail_from != '\0' ||
	    f->rcpt_to == NULL || tb == 0)
		return 0;
	lo = tb - LIFE_BOUNCE_WINDOW - 1;
	if ((rc = life_bounce_probe(lw, LS_BOUNCE_PREV, f->rcpt_to, tb, 0,
	    &prev)) == -1)
		return -1;
	if (rc == 1 && prev + LIFE_BOUNCE_SLACK > lo)
		lo = prev + LIFE_BOUNCE_SLACK;
	if ((s = life_stmt(lw, LS_BOUNCE_MARK)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, f->rcpt_to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, lo);
	sqlite3_bind_int64(s, 3, tb + LIFE_BOUNCE_SLACK);
	return life_exec(lw, s);
}
