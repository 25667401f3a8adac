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
 * life_load.c: the facts of one life, as the writer reads them back:
 * its envelope and smtp-in transaction (or its refused recipient), its
 * attempts, and smtpd's maillog lines about it.  An mta line confirms
 * the attempt of its session nearest in time (or copies the line that
 * did), or is the refused MAIL FROM of its session, or a step of its
 * own; the match is written on
 * the line (outcome.attempt, outcome.refusal) for the readers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

static int	life_load_attempts(struct life_writer *);
static int	life_load_outcomes(struct life_writer *);
static int	life_load_mta(struct life_writer *, sqlite3_stmt *);
static size_t	life_load_match(const struct life_facts *, uint64_t, int64_t);
static size_t	life_load_copy(const struct life_facts *, uint64_t, int64_t,
		    int);
static int	life_load_refusal(struct life_writer *, uint64_t, int64_t,
		    struct life_try *);
static int	life_load_link(struct life_writer *, int64_t, int64_t,
		    int64_t);
static void	life_load_end(struct life_facts *, sqlite3_stmt *, int);

/*
 * The facts of envelope evpid into lw->f: 1, or 0 if it has no life
 * (none, or its smtp-in transaction still open), or -1.
 */
int
life_load_envelope(struct life_writer *lw, uint64_t evpid)
{
	struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	int			 rc;

	if ((s = life_stmt(lw, LS_ENVELOPE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)evpid);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : db_fail(lw->db, "life: %s",
		    sqlite3_errmsg(lw->db->h));
	}
	f->evpid = evpid;
	f->msgid = (uint32_t)sqlite3_column_int64(s, 0);
	f->t = sqlite3_column_int64(s, 1);
	f->tx = db_col_int(s, 2, 0);
	f->rcpt = db_col_int(s, 3, 0);
	f->t_begin = db_col_int(s, 4, 0);
	f->t_accepted = db_col_int(s, 5, 0);
	f->mail_from = life_keep(f, s, 7);
	f->rcpt_to = life_keep(f, s, 8);
	f->local = db_col_int(s, 9, 0) == 1;
	f->base = LIFE_QUEUED;
	f->t0 = f->t_accepted ? f->t_accepted : f->t;
	if (f->tx != 0 && f->t_accepted == 0) {
		f->base = LIFE_ABORTED;
		f->t0 = db_col_int(s, 6, 0);
	}
	sqlite3_reset(s);
	if (f->base == LIFE_ABORTED && f->t0 == 0)
		return 0;	/* still open */
	if (f->base == LIFE_ABORTED)
		return 1;
	if (life_load_attempts(lw) == -1)
		return -1;
	return lw->maillog == 0 || life_load_outcomes(lw) != -1 ? 1 : -1;
}

/* The refused recipient rcpt.id into lw->f: 1, 0 if none, or -1. */
int
life_load_rejected(struct life_writer *lw, int64_t id)
{
	struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	int			 rc;

	if ((s = life_stmt(lw, LS_REJECTED)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : db_fail(lw->db, "life: %s",
		    sqlite3_errmsg(lw->db->h));
	}
	f->rcpt = id;
	f->msgid = (uint32_t)sqlite3_column_int64(s, 0);
	f->t = f->t0 = sqlite3_column_int64(s, 1);
	f->tx = sqlite3_column_int64(s, 2);
	f->t_begin = db_col_int(s, 3, 0);
	f->mail_from = life_keep(f, s, 4);
	f->rcpt_to = life_keep(f, s, 5);
	f->reply0 = life_keep(f, s, 6);
	f->base = LIFE_REJECTED;
	sqlite3_reset(s);
	return 1;
}

static int
life_load_attempts(struct life_writer *lw)
{
	struct life_try	*a;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = life_stmt(lw, LS_ATTEMPTS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)lw->f.evpid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a = life_try_add(&lw->f);
		a->id = sqlite3_column_int64(s, 0);
		a->t = sqlite3_column_int64(s, 1);
		a->t_end = db_col_int(s, 2, 0);
		a->result = db_col_int(s, 3, RES_NONE);
		a->reply = life_keep(&lw->f, s, 4);
		a->remote_id = life_keep(&lw->f, s, 5);
		a->sid = (uint64_t)sqlite3_column_int64(s, 6);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_fail(lw->db, "life: %s",
	    sqlite3_errmsg(lw->db->h));
}

/* An mda, expire or remove line: an end of the life. */
static void
life_load_end(struct life_facts *f, sqlite3_stmt *s, int status)
{
	struct life_end	*o;

	f->ends = xgrow(f->ends, f->nends, &f->ends_cap, 4,
	    sizeof(*f->ends));
	o = &f->ends[f->nends++];
	o->status = status;
	o->id = sqlite3_column_int64(s, 0);
	o->t = db_col_int(s, 2, 0);
	o->stat = life_keep(f, s, 5);
}

/* The life's maillog lines, in time order. */
static int
life_load_outcomes(struct life_writer *lw)
{
	struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	const char		*kind;
	int			 rc, res;

	if ((s = life_stmt(lw, LS_OUTCOMES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)f->evpid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(s, 1);
		if (sqlite3_column_type(s, 6) != SQLITE_NULL &&
		    sqlite3_column_bytes(s, 6) > 0)
			f->host = life_keep(f, s, 6);
		res = db_col_int(s, 4, RES_NONE);
		if (strcmp(kind, "expire") == 0)
			life_load_end(f, s, LIFE_EXPIRED);
		else if (strcmp(kind, "remove") == 0)
			life_load_end(f, s, LIFE_REMOVED);
		else if (strcmp(kind, "mda") != 0) {
			if (life_load_mta(lw, s) == -1)
				break;
		} else if (res != RES_NONE)
			life_load_end(f, s, res == RES_OK ? LIFE_DELIVERED :
			    res == RES_TEMPFAIL ? LIFE_DEFERRED : LIFE_FAILED);
	}
	if (rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : db_fail(lw->db, "life: %s",
	    sqlite3_errmsg(lw->db->h));
}

/*
 * The attempt of session sid that an mta line at t confirms: the
 * nearest in time among the reported ones not confirmed yet.
 */
static size_t
life_load_match(const struct life_facts *f, uint64_t sid, int64_t t)
{
	size_t	i, best = SIZE_MAX;
	int64_t	d, bd = 0;

	for (i = 0; i < f->ntries; i++) {
		if (f->tries[i].id == 0 || f->tries[i].confirmed ||
		    f->tries[i].sid != sid)
			continue;
		d = llabs((long long)(f->tries[i].t_end - t));
		if (best == SIZE_MAX || d < bd) {
			best = i;
			bd = d;
		}
	}
	return best;
}

/*
 * An mta line that copies one read before: the reported attempt of
 * session sid a line confirmed, with the same result, ended less than
 * a second from this line's time (the same log kept twice: syslog's,
 * to the second, and smtpd -d's with its microseconds).  smtpd waits
 * longer than that before it tries again.
 */
static size_t
life_load_copy(const struct life_facts *f, uint64_t sid, int64_t t,
    int res)
{
	size_t	i;

	for (i = 0; sid != 0 && i < f->ntries; i++)
		if (f->tries[i].id != 0 && f->tries[i].confirmed &&
		    f->tries[i].sid == sid && f->tries[i].result == res &&
		    llabs((long long)(f->tries[i].t_end - t)) < US_PER_SEC)
			return i;
	return SIZE_MAX;
}

/* The refused MAIL FROM of session sid nearest t, into a: 1 found. */
static int
life_load_refusal(struct life_writer *lw, uint64_t sid, int64_t t,
    struct life_try *a)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = life_stmt(lw, LS_OC_REFUSAL)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)sid);
	sqlite3_bind_int64(s, 2, t);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a->refusal = sqlite3_column_int64(s, 0);
		a->t = sqlite3_column_int64(s, 1);
		a->t_end = sqlite3_column_int64(s, 2);
		a->reply = life_keep(&lw->f, s, 3);
		a->result = db_col_int(s, 4, 1) == 2 ? RES_PERMFAIL :
		    RES_TEMPFAIL;
		a->sid = sid;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return rc == SQLITE_ROW;
}

/* Write what an mta line was matched with, when it changed. */
static int
life_load_link(struct life_writer *lw, int64_t id, int64_t attempt,
    int64_t refusal)
{
	sqlite3_stmt	*s;

	if ((s = life_stmt(lw, LS_OC_LINK)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (attempt != 0)
		sqlite3_bind_int64(s, 2, attempt);
	if (refusal != 0)
		sqlite3_bind_int64(s, 3, refusal);
	return life_exec(lw, s);
}

/* An mta line: confirm its attempt, or add it as an attempt. */
static int
life_load_mta(struct life_writer *lw, sqlite3_stmt *row)
{
	struct life_facts	*f = &lw->f;
	struct life_try		*a;
	uint64_t		 sid = (uint64_t)sqlite3_column_int64(row, 3);
	int64_t			 t = db_col_int(row, 2, 0), link, refusal;
	size_t			 i;
	int			 rc, res = db_col_int(row, 4, RES_NONE);

	link = db_col_int(row, 7, 0);
	refusal = db_col_int(row, 8, 0);
	if (res > RES_PERMFAIL)
		res = RES_PERMFAIL;
	if ((i = life_load_match(f, sid, t)) == SIZE_MAX)
		i = life_load_copy(f, sid, t, res);
	if (i != SIZE_MAX) {
		a = &f->tries[i];
		a->confirmed = 1;
		if (a->result == RES_NONE && res != RES_NONE) {
			a->by_line = 1;
			a->result = res;
			a->t_end = t;
			a->reply = life_keep(f, row, 5);
		}
		return a->id == link && refusal == 0 ? 0 :
		    life_load_link(lw, sqlite3_column_int64(row, 0), a->id, 0);
	}
	a = life_try_add(f);
	a->confirmed = 1;
	if (sid != 0 && (rc = life_load_refusal(lw, sid, t, a)) != 0) {
		if (rc == -1)
			return -1;
		return link == 0 && refusal == a->refusal ? 0 :
		    life_load_link(lw, sqlite3_column_int64(row, 0), 0,
		    a->refusal);
	}
	a->sid = sid;
	a->outcome = sqlite3_column_int64(row, 0);
	a->t = a->t_end = t;
	a->result = res;
	a->reply = life_keep(f, row, 5);
	return link == 0 && refusal == 0 ? 0 :
	    life_load_link(lw, sqlite3_column_int64(row, 0), 0, 0);
}
