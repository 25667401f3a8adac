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
 * life_write.c: one life built again and written: its row of life,
 * its changes of state (life_change, rewritten from the first that
 * differs) and the refusals given to it (life_refusal).
 */
#include <stdint.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

static int	life_write_row(struct life_writer *, const struct life_state *);
static int	life_write_changes(struct life_writer *, int);
static int	life_write_kept(struct life_writer *, size_t *);
static int	life_write_given(struct life_writer *, int);
static int	life_write_remove(struct life_writer *, enum life_stmt,
		    int64_t);
static int	life_write_find(struct life_writer *, enum life_stmt, int64_t);
static void	life_write_bind_text(sqlite3_stmt *, int, const char *);
static void	life_write_bounce(const struct life_facts *, sqlite3_stmt *);

/* The columns of the bounce link (life_bounce.c), 23 to 27. */
static void
life_write_bounce(const struct life_facts *f, sqlite3_stmt *s)
{
	sqlite3_bind_int(s, 23, f->local);
	if (f->t_fail != 0)
		sqlite3_bind_int64(s, 24, f->t_fail);
	if (f->bounce != 0)
		sqlite3_bind_int64(s, 25, f->bounce);
	if (f->t_fail != 0)
		sqlite3_bind_int(s, 26, f->bounce_exact);
	if (f->bounce_queue != 0)
		sqlite3_bind_int64(s, 27, f->bounce_queue);
}

static void
life_write_bind_text(sqlite3_stmt *s, int i, const char *p)
{
	if (p != NULL)
		sqlite3_bind_text(s, i, p, -1, SQLITE_STATIC);
}

/* life.id of evpid (or of refused rcpt.id) into lw->f.id: 0 if none. */
static int
life_write_find(struct life_writer *lw, enum life_stmt n, int64_t key)
{
	sqlite3_stmt	*s;
	int		 rc;

	lw->f.id = 0;
	if ((s = life_stmt(lw, n)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, key);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		lw->f.id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return 0;
}

/* The life of a key that has none any more (pruned): gone. */
static int
life_write_remove(struct life_writer *lw, enum life_stmt find, int64_t key)
{
	sqlite3_stmt	*s;

	if (life_write_find(lw, find, key) == -1)
		return -1;
	if (find == LS_FIND) {
		/* Without it, a bounce's causes link again, or to none. */
		if ((s = life_stmt(lw, LS_BOUNCE_UNLINK)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, key);
		if (life_exec(lw, s) == -1 ||
		    (s = life_stmt(lw, LS_REMOVE_GIVEN)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, key);
		if (life_exec(lw, s) == -1)
			return -1;
	}
	if (lw->f.id == 0)
		return 0;
	if ((s = life_stmt(lw, LS_REMOVE_CHANGES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, lw->f.id);
	if (life_exec(lw, s) == -1 ||
	    (s = life_stmt(lw, LS_REMOVE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, lw->f.id);
	return life_exec(lw, s);
}

/* Build and write the life of envelope evpid. */
int
life_write_envelope(struct life_writer *lw, uint64_t evpid)
{
	struct life_state	 st;
	int			 rc, isnew;

	life_reset(&lw->f);
	if ((rc = life_load_envelope(lw, evpid)) != 1)
		return rc == -1 ? -1 : life_write_remove(lw, LS_FIND,
		    (int64_t)evpid);
	life_status_settle(&lw->f, INT64_MAX, &st);
	if ((st.status == LIFE_QUEUED || st.status == LIFE_DEFERRED) &&
	    life_refuse_infer(lw) == -1)
		return -1;
	life_status_settle(&lw->f, INT64_MAX, &st);
	if (life_bounce_find(lw, &st) == -1 ||
	    life_write_find(lw, LS_FIND, (int64_t)evpid) == -1)
		return -1;
	isnew = lw->f.id == 0;
	if (life_write_row(lw, &st) == -1 ||
	    life_write_given(lw, isnew) == -1 ||
	    (isnew && life_bounce_mark(lw) == -1))
		return -1;
	life_status_history(&lw->f);
	return life_write_changes(lw, isnew);
}

/* Build and write the life of a recipient refused at smtp-in. */
int
life_write_rejected(struct life_writer *lw, int64_t id)
{
	struct life_state	 st;
	int			 rc, isnew;

	life_reset(&lw->f);
	if ((rc = life_load_rejected(lw, id)) != 1)
		return rc == -1 ? -1 : life_write_remove(lw, LS_FIND_RCPT, id);
	life_status_settle(&lw->f, INT64_MAX, &st);
	if (life_write_find(lw, LS_FIND_RCPT, id) == -1)
		return -1;
	isnew = lw->f.id == 0;
	if (life_write_row(lw, &st) == -1)
		return -1;
	life_status_history(&lw->f);
	return life_write_changes(lw, isnew);
}

/* The row of life: inserted, or updated in place (lw->f.id). */
static int
life_write_row(struct life_writer *lw, const struct life_state *st)
{
	const struct life_facts	*f = &lw->f;
	const struct life_try	*d = NULL;
	sqlite3_stmt		*s;
	int64_t			 first = 0, done = 0;
	size_t			 i;

	if ((s = life_stmt(lw, f->id ? LS_UPDATE : LS_INSERT)) == NULL)
		return -1;
	if (st->decisive != SIZE_MAX)
		d = &f->tries[st->decisive];
	for (i = 0; i < f->ntries; i++)
		if (first == 0 || f->tries[i].t < first)
			first = f->tries[i].t;
	if (f->base != LIFE_REJECTED)
		sqlite3_bind_int64(s, 1, (int64_t)f->evpid);
	if (f->rcpt != 0)
		sqlite3_bind_int64(s, 2, f->rcpt);
	sqlite3_bind_int64(s, 3, (int32_t)f->msgid);
	if (f->tx != 0)
		sqlite3_bind_int64(s, 4, f->tx);
	sqlite3_bind_int64(s, 5, f->t);
	life_write_bind_text(s, 6, f->mail_from);
	life_write_bind_text(s, 7, f->rcpt_to);
	sqlite3_bind_int(s, 8, st->status);
	if (st->t_status != 0)
		sqlite3_bind_int64(s, 9, st->t_status);
	life_write_bind_text(s, 10, st->reply);
	sqlite3_bind_int64(s, 11, (int64_t)f->ntries);
	if (d != NULL && d->id != 0)
		sqlite3_bind_int64(s, 12, d->id);
	life_write_bind_text(s, 13, d == NULL ? NULL : d->remote_id);
	if (f->t_begin != 0)
		sqlite3_bind_int64(s, 14, f->t_begin);
	if (f->t_accepted != 0)
		sqlite3_bind_int64(s, 15, f->t_accepted);
	if (first != 0)
		sqlite3_bind_int64(s, 16, first);
	if ((st->status == LIFE_DELIVERED || st->status == LIFE_FAILED ||
	    st->status == LIFE_EXPIRED || st->status == LIFE_REMOVED) &&
	    st->t_status != 0)
		sqlite3_bind_int64(s, 17, st->t_status);
	life_write_bind_text(s, 18, f->host);
	if (st->end != SIZE_MAX)
		sqlite3_bind_int64(s, 19, f->ends[st->end].id);
	else if (d != NULL && d->outcome != 0)
		sqlite3_bind_int64(s, 19, d->outcome);
	if (d != NULL && d->refusal != 0)
		sqlite3_bind_int64(s, 20, d->refusal);
	if (f->id != 0)
		sqlite3_bind_int64(s, 21, f->id);
	for (i = 0; i < f->ntries; i++)
		if (f->tries[i].id != 0 && !f->tries[i].by_line &&
		    f->tries[i].t_end != 0 &&
		    (f->tries[i].result == RES_OK ||
		    f->tries[i].result == RES_PERMFAIL) &&
		    (done == 0 || f->tries[i].t_end < done))
			done = f->tries[i].t_end;
	if (done != 0)
		sqlite3_bind_int64(s, 22, done);
	life_write_bounce(f, s);
	/* Its counts per hour out before an update, in after (hour.c). */
	if ((f->id != 0 && hour_new(lw->hours, HOUR_LIFE, f->id, -1,
	    NULL) == -1) || life_exec(lw, s) == -1)
		return -1;
	if (lw->f.id == 0)
		lw->f.id = sqlite3_last_insert_rowid(lw->db->h);
	return hour_new(lw->hours, HOUR_LIFE, lw->f.id, 1, NULL);
}

/*
 * The refusals the writer gave the life, as life_refuse_infer found.
 * A new life has none yet: they go with the life they were given to.
 */
static int
life_write_given(struct life_writer *lw, int isnew)
{
	sqlite3_stmt	*s;
	size_t		 i;

	if (!isnew) {
		if ((s = life_stmt(lw, LS_REMOVE_GIVEN)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, (int64_t)lw->f.evpid);
		if (life_exec(lw, s) == -1)
			return -1;
	}
	for (i = 0; i < lw->f.ntries; i++) {
		if (!lw->f.tries[i].given)
			continue;
		if ((s = life_stmt(lw, LS_GIVEN_ADD)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, (int64_t)lw->f.evpid);
		sqlite3_bind_int64(s, 2, lw->f.tries[i].refusal);
		if (life_exec(lw, s) == -1)
			return -1;
	}
	return 0;
}

/*
 * The life's changes of state stored that still hold are kept, the
 * rest deleted from the first that differs: 1 if all hold and none is
 * missing, else 0 with the number kept in *kept; -1.
 */
static int
life_write_kept(struct life_writer *lw, size_t *kept)
{
	const struct life_facts	*f = &lw->f;
	const struct life_change *c;
	sqlite3_stmt		*s;
	const char		*reply;
	int64_t			 prev = 0, from = 0;
	size_t			 i = 0;
	int			 rc;

	if ((s = life_stmt(lw, LS_CHANGES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, f->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		reply = (const char *)sqlite3_column_text(s, 3);
		c = i < f->nchanges ? &f->changes[i] : NULL;
		if (c == NULL || c->t != sqlite3_column_int64(s, 1) ||
		    c->status != sqlite3_column_int(s, 2) ||
		    (c->reply == NULL) != (reply == NULL) ||
		    (reply != NULL && strcmp(reply, c->reply) != 0)) {
			from = sqlite3_column_int64(s, 0);
			break;
		}
		prev = sqlite3_column_int64(s, 0);
		i++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	if (i == f->nchanges && from == 0)
		return 1;	/* as it was */
	*kept = i;
	if (from != 0) {
		if ((s = life_stmt(lw, LS_CHANGE_DEL)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, f->id);
		sqlite3_bind_int64(s, 2, from);
		if (life_exec(lw, s) == -1)
			return -1;
	}
	if (prev == 0)
		return 0;
	/* The last kept: until the first new one, or current. */
	if ((s = life_stmt(lw, LS_CHANGE_UNTIL)) == NULL)
		return -1;
	if (i < f->nchanges)
		sqlite3_bind_int64(s, 1, f->changes[i].t);
	sqlite3_bind_int64(s, 2, prev);
	return life_exec(lw, s);
}

/*
 * The life's changes of state: those stored that still hold are kept,
 * the rest written again from the first that differs.  A new life has
 * none stored.
 */
static int
life_write_changes(struct life_writer *lw, int isnew)
{
	const struct life_facts	*f = &lw->f;
	sqlite3_stmt		*s;
	size_t			 j = 0;
	int			 rc;

	if (!isnew && (rc = life_write_kept(lw, &j)) != 0)
		return rc == 1 ? 0 : -1;
	for (; j < f->nchanges; j++) {
		if ((s = life_stmt(lw, LS_CHANGE_ADD)) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, f->id);
		sqlite3_bind_int64(s, 2, f->changes[j].t);
		if (j + 1 < f->nchanges)
			sqlite3_bind_int64(s, 3, f->changes[j + 1].t);
		sqlite3_bind_int(s, 4, f->changes[j].status);
		life_write_bind_text(s, 5, f->changes[j].reply);
		if (life_exec(lw, s) == -1)
			return -1;
	}
	return 0;
}
