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
 * dest.c: destination health (dest.h): the rows of one database or of
 * several, their shares, and the order of trouble.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "dest.h"
#include "dest_int.h"

static int	dest_cmp(const void *, const void *);

void
dest_init(struct dest_set *set, enum dest_by by)
{
	memset(set, 0, sizeof(*set));
	set->by = by;
}

/* One database's figures for [since, until], added to set. */
int
dest_add(sqlite3 *db, int64_t since, int64_t until, struct dest_set *set)
{
	return set->by == DEST_DOMAIN ? dest_add_both(db, since, until, set,
	    NULL) : dest_add_both(db, since, until, NULL, set);
}

/*
 * The same into a set by domain and one by next hop, either NULL: one
 * pass over the database for both.
 */
int
dest_add_both(sqlite3 *db, int64_t since, int64_t until,
    struct dest_set *domains, struct dest_set *hops)
{
	struct dest_set	*set[2];
	size_t		 i;
	int		 k;

	set[DEST_DOMAIN] = domains;
	set[DEST_HOP] = hops;
	/* A new database: its sessions are counted anew. */
	for (k = 0; k < 2; k++)
		for (i = 0; set[k] != NULL && i < set[k]->n; i++)
			set[k]->rows[i].last_session = -1;
	if (dest_sql_lives(db, since, until, set) == -1 ||
	    dest_sql_tries(db, since, until, set) == -1)
		return -1;
	for (k = 0; k < 2; k++)
		if (set[k] != NULL &&
		    dest_sql_refusals(db, since, until, set[k]) == -1)
			return -1;
	return 0;
}

int
dest_load(sqlite3 *db, enum dest_by by, int64_t since, int64_t until,
    struct dest_set *set)
{
	dest_init(set, by);
	if (dest_add(db, since, until, set) == -1) {
		dest_free(set);
		dest_init(set, by);
		return -1;
	}
	dest_sort(set);
	return 0;
}

double
dest_share(int64_t n, int64_t of)
{
	return of > 0 ? 100.0 * (double)n / (double)of : 0.0;
}

/* The share of tries that failed, temporarily or for good. */
double
dest_trouble(const struct dest_row *r)
{
	return dest_share(r->deferrals + r->failures, r->tries);
}

double
dest_deferral_share(const struct dest_row *r)
{
	return dest_share(r->deferrals, r->tries);
}

/* Of the envelopes received: delivered at the first attempt. */
double
dest_first_share(const struct dest_row *r)
{
	return dest_share(r->first, r->envelopes);
}

double
dest_tls_share(const struct dest_row *r)
{
	return dest_share(r->sessions_tls, r->sessions);
}

/* Trouble first, then the most tries, envelopes, then by key. */
static int
dest_cmp(const void *a, const void *b)
{
	const struct dest_row	*x = a, *y = b;
	double			 tx = dest_trouble(x), ty = dest_trouble(y);

	if (tx != ty)
		return tx > ty ? -1 : 1;
	if (x->tries != y->tries)
		return x->tries > y->tries ? -1 : 1;
	if (x->envelopes != y->envelopes)
		return x->envelopes > y->envelopes ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Every row complete, in the order of trouble; found by key still. */
void
dest_sort(struct dest_set *set)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		dest_row_done(&set->rows[i]);
	if (set->n > 0)
		qsort(set->rows, set->n, sizeof(*set->rows), dest_cmp);
	dest_row_index(set);
}

/* The row of key (a domain in lower case, a next hop); NULL if none. */
const struct dest_row *
dest_find(const struct dest_set *set, const char *key)
{
	return dest_row_find(set, key);
}

void
dest_free(struct dest_set *set)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		dest_row_free(&set->rows[i]);
	free(set->rows);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}
