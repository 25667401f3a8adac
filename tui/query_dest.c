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
 * query_dest.c: the health of each destination (recipient domain, or
 * next hop) over a window: the settled smtp-out attempts of the window
 * (index attempt_t), added up per destination, most troubled first.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

static void	query_dest_add(struct query_dest *, sqlite3_stmt *,
		    int64_t **, size_t *, size_t *);
static void	query_dest_class(struct query_dest *, const char *,
		    int, const char *, int64_t);
static void	query_dest_close(struct query_dest *, int64_t *, size_t);
static int	query_dest_i64cmp(const void *, const void *);
static int	query_dest_classcmp(const void *, const void *);
static int	query_dest_cmp(const void *, const void *);

static int
query_dest_i64cmp(const void *a, const void *b)
{
	const int64_t	*x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

/* Most deferrals and failures first. */
static int
query_dest_classcmp(const void *a, const void *b)
{
	const struct query_dest_class	*x = a, *y = b;
	int				 nx, ny;

	nx = x->deferrals + x->failures;
	ny = y->deferrals + y->failures;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Most troubled first: failures, then deferrals, then by name. */
static int
query_dest_cmp(const void *a, const void *b)
{
	const struct query_dest	*x = a, *y = b;

	if (x->failed != y->failed)
		return x->failed > y->failed ? -1 : 1;
	if (x->deferred != y->deferred)
		return x->deferred > y->deferred ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* One more deferral or failure of class name, its reply at t. */
static void
query_dest_class(struct query_dest *d, const char *name, int failed,
    const char *reply, int64_t t)
{
	struct query_dest_class	*c = NULL;
	size_t			 i;

	for (i = 0; i < d->nclasses; i++)
		if (strcmp(d->classes[i].name, name) == 0)
			c = &d->classes[i];
	if (c == NULL) {
		d->classes = xreallocarray(d->classes, d->nclasses + 1,
		    sizeof(*d->classes));
		c = &d->classes[d->nclasses++];
		memset(c, 0, sizeof(*c));
		c->name = xstrdup(name);
	}
	if (failed)
		c->failures++;
	else
		c->deferrals++;
	if (t >= c->t) {
		free(c->reply);
		c->reply = reply ? xstrdup(reply) : NULL;
		c->t = t;
	}
}

/*
 * One settled attempt of row s into d: 0 destination, 1 evpid, 2
 * result, 3 t_end, 4 accepted, 5 the first attempt, 6 reply, 7 class.
 * The deliveries' times into *del.
 */
static void
query_dest_add(struct query_dest *d, sqlite3_stmt *s, int64_t **del,
    size_t *ndel, size_t *cap)
{
	int		 result = sqlite3_column_int(s, 2);
	int64_t		 t = sqlite3_column_int64(s, 3);
	const char	*reply = (const char *)sqlite3_column_text(s, 6);
	const char	*cls = (const char *)sqlite3_column_text(s, 7);

	if (result == MODEL_OK) {
		d->delivered++;
		d->first += sqlite3_column_int(s, 5);
		if (t > d->last_ok)
			d->last_ok = t;
		*del = xgrow(*del, *ndel, cap, 64, sizeof(**del));
		(*del)[(*ndel)++] = t - sqlite3_column_int64(s, 4);
		return;
	}
	if (result == MODEL_PERMFAIL)
		d->failed++;
	else
		d->deferred++;
	if (t > d->last_fail)
		d->last_fail = t;
	if (cls != NULL)
		query_dest_class(d, cls, result == MODEL_PERMFAIL, reply, t);
}

/* The group is whole: its percentiles, its classes in order. */
static void
query_dest_close(struct query_dest *d, int64_t *del, size_t ndel)
{
	d->p50 = d->p95 = -1;
	if (ndel > 0) {
		qsort(del, ndel, sizeof(*del), query_dest_i64cmp);
		d->p50 = del[(ndel - 1) * 50 / 100];
		d->p95 = del[(ndel - 1) * 95 / 100];
	}
	if (d->nclasses > 0)
		qsort(d->classes, d->nclasses, sizeof(*d->classes),
		    query_dest_classcmp);
}

/*
 * The destinations of the attempts settled in [since, until], by
 * recipient domain or by next hop, most troubled first: *out (n of
 * them; query_dest_free() frees them).  -1 on error.
 */
int
query_dest_list(struct query *q, enum query_dest_by by, int64_t since,
    int64_t until, struct query_dest **out, size_t *n)
{
	sqlite3_stmt		*s;
	struct query_dest	*v = NULL, *d = NULL;
	int64_t			*del = NULL;
	size_t			 nv = 0, cap = 0, ndel = 0, dcap = 0;
	const char		*name;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((s = query_stmt(q, Q_DEST)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	sqlite3_bind_int64(s, 2, until);
	sqlite3_bind_int(s, 3, by == QUERY_DEST_HOP);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((name = (const char *)sqlite3_column_text(s, 0)) == NULL)
			name = "";
		if (d == NULL || strcmp(d->name, name) != 0) {
			if (d != NULL)
				query_dest_close(d, del, ndel);
			v = xgrow(v, nv, &cap, 16, sizeof(*v));
			d = &v[nv++];
			memset(d, 0, sizeof(*d));
			d->name = xstrdup(name);
			ndel = 0;
		}
		query_dest_add(d, s, &del, &ndel, &dcap);
	}
	if (d != NULL)
		query_dest_close(d, del, ndel);
	sqlite3_reset(s);
	free(del);
	if (nv > 0)
		qsort(v, nv, sizeof(*v), query_dest_cmp);
	*out = v;
	*n = nv;
	if (rc != SQLITE_DONE) {
		query_dest_free(v, nv);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
query_dest_free(struct query_dest *v, size_t n)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < v[i].nclasses; k++) {
			free(v[i].classes[k].name);
			free(v[i].classes[k].reply);
		}
		free(v[i].classes);
		free(v[i].name);
	}
	free(v);
}
