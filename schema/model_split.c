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
 * model_split.c: the lives of a database, or of a time window of it, cut
 * by the time each was first seen into parts of about the same number,
 * for export -j: the parts, each the window narrowed to a since: and an
 * until:, in order, are the lives in time order.
 */
#include <stdlib.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/* The lives first seen in [lo, hi] of m, how many, into *n: 0 or -1. */
static int
model_split_count(struct model *m, int64_t lo, int64_t hi, int64_t *n)
{
	sqlite3_stmt	*st;

	if ((st = model_sql_stmt(m, MQ_SPLIT_COUNT)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	if (sqlite3_step(st) != SQLITE_ROW)
		return model_sql_error(m);
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/*
 * Cut the lives of m that q's since: and until: leave for n processes
 * into parts of about per lives, or fewer so that each process has 8
 * parts: the first time of each part after the first, rising, into
 * *bound (the caller frees it), *nbound of them.  Lives first seen at
 * the same time are in the same part.  Only a time window is cut: most
 * other terms find their lives by an index of their own (a sender, a
 * recipient, a status) that no part's since: and until: bound, so each
 * part would read all of them again.  1, or 0 when q has another term,
 * there are fewer than min lives or no second part (no cut), or -1 on a
 * database error.
 */
int
model_split(struct model *m, const struct model_query *q, int64_t per,
    int64_t min, int n, int64_t **bound, size_t *nbound)
{
	sqlite3_stmt	*st;
	int64_t		 lives = 0, i, t, last = 0;
	int64_t		 lo, hi;
	size_t		 cap = 0;
	int		 rc, cut = 0;

	*bound = NULL;
	*nbound = 0;
	if (n < 2 || !model_query_window(q, &lo, &hi))
		return 0;
	if (model_split_count(m, lo, hi, &lives) == -1)
		return -1;
	if (lives < min || lives < 2)
		return 0;
	if (per > lives / (8 * (int64_t)n))
		per = lives / (8 * (int64_t)n);
	if (per < 1)
		per = 1;
	if ((st = model_sql_stmt(m, MQ_SPLIT_TIMES)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	for (i = 0; (rc = sqlite3_step(st)) == SQLITE_ROW; i++) {
		t = sqlite3_column_int64(st, 0);
		if (i == 0)
			last = t;
		cut |= i > 0 && i % per == 0;	/* at the next new time */
		if (!cut || t <= last)
			continue;
		*bound = xgrow(*bound, *nbound, &cap, 64, sizeof(**bound));
		(*bound)[(*nbound)++] = last = t;
		cut = 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(*bound);
		*bound = NULL;
		*nbound = 0;
		return model_sql_error(m);
	}
	return *nbound > 0;
}
