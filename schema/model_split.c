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
 * model_split.c: the lives of a database cut by time into parts of
 * about the same number of lives, and an iterator that keeps one part
 * in n.  Each process of export -j reads the parts it was dealt; the
 * parts, in order, are the lives in time order.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/*
 * Cut the lives of m into parts for n processes (s->i is the caller's
 * to set): about per lives a part, and at least 8 parts a process so
 * that each has several turns.  1, or 0 when there are fewer than min
 * lives (no cut), or -1 on a database error.
 */
int
model_split_plan(struct model *m, int64_t per, int64_t min, int n,
    struct model_split *s)
{
	sqlite3_stmt	*st;
	int64_t		 t0, t1, lives, parts;
	uint64_t	 span;

	memset(s, 0, sizeof(*s));
	if ((st = model_sql_stmt(m, MQ_SPAN)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		return model_sql_error(m);
	t0 = sqlite3_column_int64(st, 0);
	t1 = sqlite3_column_int64(st, 1);
	lives = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	if (lives < min || lives == 0 || n < 2 || t1 < t0)
		return 0;
	parts = lives / (per < 1 ? 1 : per);
	if (parts < 8 * (int64_t)n)
		parts = 8 * (int64_t)n;
	/* the difference in unsigned: a hostile line's time may be huge */
	span = (uint64_t)t1 - (uint64_t)t0;
	s->t0 = t0;
	s->width = (int64_t)(span / (uint64_t)parts + 1);
	s->last = (int64_t)(span / (uint64_t)s->width);
	s->end = (int64_t)((uint64_t)t0 + (uint64_t)s->last * s->width);
	s->n = n;
	return 1;
}

/* The part of a life first seen at t: earlier ones in the first. */
int64_t
model_split_part(const struct model_split *s, int64_t t)
{
	uint64_t	p;

	if (t <= s->t0)
		return 0;
	p = ((uint64_t)t - (uint64_t)s->t0) / (uint64_t)s->width;
	return p >= (uint64_t)s->last ? s->last : (int64_t)p;
}

/* Is the life of row (first seen in column 2) one it keeps? */
int
model_split_keeps(const struct model_iter *it, sqlite3_stmt *row)
{
	const struct model_split *s = &it->q->split;

	if (s->n < 2)
		return 1;
	return model_split_part(s, sqlite3_column_int64(row, 2)) % s->n ==
	    s->i;
}
