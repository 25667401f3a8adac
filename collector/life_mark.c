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
 * life_mark.c: the lives marked for building again before the commit.
 * The writer marks in C where it knows the key (join.c: an envelope
 * new or given its recipient, an attempt new or settled, a recipient
 * refused or given its reply, a transaction's times); the triggers of
 * schema/writer.sql mark in the tables temp.life_dirty and
 * temp.life_dirty_rcpt what other paths change (maillog, prune).
 * life_mark_take() takes the smallest of both, a batch at a time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

static int	life_mark_cmp(const void *, const void *);
static int	life_mark_merge(struct life_writer *, enum life_mark_kind);

/* Mark a life: an envelope's evpid, or a refused recipient's rcpt.id. */
void
life_mark(struct life_writer *lw, enum life_mark_kind k, int64_t id)
{
	struct life_marks	*m = &lw->marks[k];

	m->v = xgrow(m->v, m->n, &m->cap, 256, sizeof(*m->v));
	m->v[m->n++] = id;
}

/* The transaction rolled back: so do its marks. */
void
life_mark_discard(struct life_writer *lw)
{
	size_t	k;

	for (k = 0; k < LIFE_MARK_MAX; k++)
		lw->marks[k].n = 0;
}

void
life_mark_free(struct life_writer *lw)
{
	size_t	k;

	for (k = 0; k < LIFE_MARK_MAX; k++)
		free(lw->marks[k].v);
}

static int
life_mark_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The marks of the triggers (and of life*.c's SQL) join those of C. */
static int
life_mark_merge(struct life_writer *lw, enum life_mark_kind k)
{
	sqlite3_stmt	*s;
	int		 rc, any = 0;

	if ((s = life_stmt(lw, k == LIFE_MARK_ENVELOPE ? LS_DIRTY :
	    LS_DIRTY_RCPT)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		life_mark(lw, k, sqlite3_column_int64(s, 0));
		any = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	if (!any)
		return 0;
	if ((s = life_stmt(lw, k == LIFE_MARK_ENVELOPE ? LS_DIRTY_CLEAR :
	    LS_DIRTY_CLEAR_RCPT)) == NULL)
		return -1;
	return life_exec(lw, s);
}

/*
 * Up to LIFE_IDS marked ids of one kind into lw->ids, smallest
 * first, and unmark them.  The number taken, or -1.
 */
int
life_mark_take(struct life_writer *lw, enum life_mark_kind k)
{
	struct life_marks	*m = &lw->marks[k];
	size_t			 i, j, n;

	lw->nids = 0;
	if (life_mark_merge(lw, k) == -1)
		return -1;
	if (m->n == 0)
		return 0;
	qsort(m->v, m->n, sizeof(*m->v), life_mark_cmp);
	for (i = j = 1; i < m->n; i++)
		if (m->v[i] != m->v[j - 1])
			m->v[j++] = m->v[i];
	m->n = j;
	n = m->n < LIFE_IDS ? m->n : LIFE_IDS;
	if (lw->ids_cap < LIFE_IDS) {
		lw->ids = xreallocarray(lw->ids, LIFE_IDS, sizeof(*lw->ids));
		lw->ids_cap = LIFE_IDS;
	}
	memcpy(lw->ids, m->v, n * sizeof(*m->v));
	memmove(m->v, m->v + n, (m->n - n) * sizeof(*m->v));
	m->n -= n;
	lw->nids = n;
	return (int)n;
}
