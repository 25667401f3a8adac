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
 * dest_row.c: the rows of a destination set, found by key (open
 * addressing over the row numbers), and what each try, session and
 * delivery adds to its row.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "dest.h"
#include "dest_int.h"

#define DEST_ROW_EMPTY	((size_t)-1)

static size_t	dest_row_hash(const char *);
static void	dest_row_rehash(struct dest_set *, int);
static const char *dest_row_name(const char *);
static struct dest_class *dest_row_class(struct dest_row *, const char *);
static int	dest_row_cmp_ttd(const void *, const void *);
static int	dest_row_cmp_class(const void *, const void *);
static int	dest_row_cmp_tls(const void *, const void *);

static size_t
dest_row_hash(const char *s)
{
	return util_hash(UTIL_HASH_INIT, s, strlen(s));
}

/* Twice as many slots as rows, at least; grow: twice as many again. */
static void
dest_row_rehash(struct dest_set *set, int grow)
{
	size_t	i, h;

	free(set->slot);
	if (set->nslot == 0)
		set->nslot = 256;
	while (set->nslot <= set->n * 2 || grow-- > 0)
		set->nslot *= 2;
	set->slot = xcalloc(set->nslot, sizeof(*set->slot));
	for (i = 0; i < set->nslot; i++)
		set->slot[i] = DEST_ROW_EMPTY;
	for (i = 0; i < set->n; i++) {
		h = dest_row_hash(set->rows[i].key) % set->nslot;
		while (set->slot[h] != DEST_ROW_EMPTY)
			h = (h + 1) % set->nslot;
		set->slot[h] = i;
	}
}

/* The rows found by key again, after they moved (dest_sort()). */
void
dest_row_index(struct dest_set *set)
{
	dest_row_rehash(set, 0);
}

/* The row of key; NULL if none. */
struct dest_row *
dest_row_find(const struct dest_set *set, const char *key)
{
	struct dest_row	*r;
	size_t		 h;

	if (set->nslot == 0)
		return NULL;
	h = dest_row_hash(key) % set->nslot;
	for (; set->slot[h] != DEST_ROW_EMPTY; h = (h + 1) % set->nslot) {
		r = &set->rows[set->slot[h]];
		if (strcmp(r->key, key) == 0)
			return r;
	}
	return NULL;
}

/* The row of key, made if new; name, when given, is kept first seen. */
struct dest_row *
dest_row_get(struct dest_set *set, const char *key, const char *name)
{
	struct dest_row	*r;
	size_t		 h;

	if (key == NULL)
		key = "";
	if ((r = dest_row_find(set, key)) != NULL) {
		if (r->name == NULL && name != NULL)
			r->name = xstrdup(name);
		return r;
	}
	if (set->n * 2 + 2 >= set->nslot)
		dest_row_rehash(set, 1);
	h = dest_row_hash(key) % set->nslot;
	while (set->slot[h] != DEST_ROW_EMPTY)
		h = (h + 1) % set->nslot;
	set->rows = xgrow(set->rows, set->n, &set->cap, 64,
	    sizeof(*set->rows));
	r = &set->rows[set->n];
	memset(r, 0, sizeof(*r));
	r->key = xstrdup(key);
	r->name = name != NULL ? xstrdup(name) : NULL;
	r->p50 = r->p95 = -1;
	r->last_session = -1;
	set->slot[h] = set->n++;
	return r;
}

/* class.c's own name for a class read from SQL; "other" if none. */
static const char *
dest_row_name(const char *cls)
{
	const char	*n;
	int		 i;

	if (cls == NULL)
		return "other";
	for (i = 0; (n = class_name(i)) != NULL; i++)
		if (strcmp(n, cls) == 0)
			return n;
	return "other";
}

/* The class's slot in the row; the last one ("other" then) when full. */
static struct dest_class *
dest_row_class(struct dest_row *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nclasses; i++)
		if (strcmp(r->classes[i].name, name) == 0)
			return &r->classes[i];
	if (r->nclasses == DEST_CLASSES)
		return &r->classes[DEST_CLASSES - 1];
	r->classes[r->nclasses].name = name;
	return &r->classes[r->nclasses++];
}

/*
 * A try at t: a success, or a deferral or failure of class cls (as
 * reply_class() gives it) with its reply (NULL: none).
 */
void
dest_row_try(struct dest_row *r, enum dest_try what, int64_t t,
    const char *cls, const char *reply)
{
	struct dest_class	*c;

	r->tries++;
	if (what == DEST_OK) {
		if (t > r->t_ok)
			r->t_ok = t;
		return;
	}
	if (what == DEST_DEFERRAL)
		r->deferrals++;
	else
		r->failures++;
	c = dest_row_class(r, dest_row_name(cls));
	if (what == DEST_DEFERRAL)
		c->deferrals++;
	else
		c->failures++;
	if (c->t_last == 0 || t >= c->t_last) {
		c->t_last = t;
		free(c->reply);
		c->reply = reply != NULL ? xstrdup(reply) : NULL;
	}
	if (r->t_fail == 0 || t >= r->t_fail) {
		r->t_fail = t;
		r->fail_class = c->name;
		free(r->fail_reply);
		r->fail_reply = reply != NULL ? xstrdup(reply) : NULL;
	}
}

/*
 * A session (session.id) that carried tries of the row, once: the rows
 * of one session come together, so the last one counted is enough.
 * tls: session.tls ("version:cipher:bits"), NULL in plain text.
 */
void
dest_row_session(struct dest_row *r, int64_t id, const char *tls)
{
	size_t	i, len;

	if (r->last_session == id)
		return;
	r->last_session = id;
	r->sessions++;
	if (tls == NULL)
		return;
	r->sessions_tls++;
	len = strcspn(tls, ":");
	for (i = 0; i < r->nversions; i++)
		if (strlen(r->versions[i].version) == len &&
		    strncmp(r->versions[i].version, tls, len) == 0)
			break;
	if (i == r->nversions) {
		if (r->nversions == DEST_VERSIONS) {
			i = DEST_VERSIONS - 1;
			free(r->versions[i].version);
			r->versions[i].version = xstrdup("other");
		} else {
			r->versions[i].version = xmalloc(len + 1);
			memcpy(r->versions[i].version, tls, len);
			r->versions[i].version[len] = '\0';
			r->nversions++;
		}
	}
	r->versions[i].sessions++;
}

/* A delivery's time from accept to delivery. */
void
dest_row_ttd(struct dest_row *r, int64_t us)
{
	r->ttd = xgrow(r->ttd, r->nttd, &r->capttd, 16, sizeof(*r->ttd));
	r->ttd[r->nttd++] = us;
}

static int
dest_row_cmp_ttd(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Most deferrals and failures first, then the latest, then by name. */
static int
dest_row_cmp_class(const void *a, const void *b)
{
	const struct dest_class	*x = a, *y = b;
	int64_t			 nx, ny;

	nx = x->deferrals + x->failures;
	ny = y->deferrals + y->failures;
	if (nx != ny)
		return nx > ny ? -1 : 1;
	if (x->t_last != y->t_last)
		return x->t_last > y->t_last ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
dest_row_cmp_tls(const void *a, const void *b)
{
	const struct dest_tls	*x = a, *y = b;

	if (x->sessions != y->sessions)
		return x->sessions > y->sessions ? -1 : 1;
	return strcmp(x->version, y->version);
}

/*
 * The row complete: p50 and p95 of its times to delivery (util_pctl()),
 * its classes and versions in order.
 */
void
dest_row_done(struct dest_row *r)
{
	qsort(r->classes, r->nclasses, sizeof(*r->classes),
	    dest_row_cmp_class);
	qsort(r->versions, r->nversions, sizeof(*r->versions),
	    dest_row_cmp_tls);
	if (r->nttd == 0) {
		r->p50 = r->p95 = -1;
		return;
	}
	qsort(r->ttd, r->nttd, sizeof(*r->ttd), dest_row_cmp_ttd);
	r->p50 = util_pctl(r->ttd, r->nttd, 50);
	r->p95 = util_pctl(r->ttd, r->nttd, 95);
}

void
dest_row_free(struct dest_row *r)
{
	size_t	i;

	for (i = 0; i < r->nclasses; i++)
		free(r->classes[i].reply);
	for (i = 0; i < r->nversions; i++)
		free(r->versions[i].version);
	free(r->fail_reply);
	free(r->ttd);
	free(r->name);
	free(r->key);
}
