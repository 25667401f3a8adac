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
 * evq.c: the event rows of a transaction on their way to table event,
 * written EVQ_ROWS to a statement.  A statement that inserts one row
 * opens a cursor, finds the end of the table from its root and closes
 * the cursor again; one that inserts EVQ_ROWS does so once.  Each row's
 * id is known when it is queued: an event's id is its rowid, and SQLite
 * gives a new row the largest rowid plus one, so the rows this
 * connection writes in its transaction get the ids that follow the
 * largest one there was, in order.  Each write checks that they did.
 * Whatever reads or deletes events in the writer's transaction calls
 * evq_sync() first (store_need_events(), hour.c, the commit): the rows
 * are written, and the largest id is asked again before the next row.
 */
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "collector.h"

#define EVQ_INSERT	"INSERT INTO event(t_off, k_off, s, m, x, raw) " \
			"VALUES "
#define EVQ_VALUES	"(? - " DB_STR(DB_T_OFF) ", ? - " DB_STR(DB_K_OFF) \
			", ?, ?, ?, ?)"
#define EVQ_NONE	SIZE_MAX	/* an offset in text: NULL */

static int	evq_write(struct evq *, sqlite3_stmt *, int, size_t,
		    int64_t);
static int	evq_bind(sqlite3_stmt *, int, const struct evq_row *,
		    const char *, const char *);
static size_t	evq_copy(struct evq *, const char *, size_t);
static int	evq_last(struct evq *);

/*
 * The statements, prepared now: a batch never fails for want of one.
 * 0, or -1 with the reason in db.
 */
int
evq_open(struct evq *q, struct db *db)
{
	char	 sql[sizeof(EVQ_INSERT) + EVQ_ROWS * sizeof(EVQ_VALUES)];
	size_t	 i;

	memset(q, 0, sizeof(*q));
	q->db = db;
	strlcpy(sql, EVQ_INSERT, sizeof(sql));
	for (i = 0; i < EVQ_ROWS; i++) {
		if (i > 0)
			strlcat(sql, ",", sizeof(sql));
		strlcat(sql, EVQ_VALUES, sizeof(sql));
	}
	if (db_prepare(db, &q->one, EVQ_INSERT EVQ_VALUES) == NULL ||
	    db_prepare(db, &q->all, sql) == NULL ||
	    db_prepare(db, &q->last, "SELECT coalesce(max(id), 0) + 1 "
	    "FROM event") == NULL)
		return -1;
	return 0;
}

void
evq_close(struct evq *q)
{
	sqlite3_finalize(q->one);
	sqlite3_finalize(q->all);
	sqlite3_finalize(q->last);
	q->one = q->all = q->last = NULL;
}

/*
 * Queue an event: time *t and msgid *m (NULL: none), kind k, session s
 * (0: none: a line that did not parse), the parameters x and the raw
 * line (either may be NULL; both are copied).  Returns the id the row
 * will have, or -1 with the reason in db.
 */
int64_t
evq_add(struct evq *q, const int64_t *t, int64_t k, int64_t s,
    const int64_t *m, const struct proto_str *x, const char *raw,
    size_t rawlen)
{
	struct evq_row	*r;
	const char	*xp = x != NULL ? x->p : NULL;
	size_t		 xlen = xp != NULL ? x->len : 0;

	if ((q->n == EVQ_ROWS || q->used + xlen + rawlen > EVQ_TEXT) &&
	    evq_flush(q) == -1)
		return -1;
	if (q->next == 0 && evq_last(q) == -1)
		return -1;
	r = &q->row[q->n];
	r->t = t != NULL ? *t : 0;
	r->has_t = t != NULL;
	r->k = k;
	r->s = s;
	r->m = m != NULL ? *m : 0;
	r->has_m = m != NULL;
	r->xlen = xlen;
	r->rawlen = rawlen;
	if (xlen + rawlen > EVQ_TEXT) {
		/* Longer than the queue's room (the queue is empty). */
		r->x = xp != NULL ? 0 : EVQ_NONE;
		r->raw = raw != NULL ? 0 : EVQ_NONE;
		if (evq_write(q, q->one, evq_bind(q->one, 1, r, xp, raw), 1,
		    q->next) == -1) {
			q->next = 0;
			return -1;
		}
		return q->next++;
	}
	r->x = xp != NULL ? evq_copy(q, xp, xlen) : EVQ_NONE;
	r->raw = raw != NULL ? evq_copy(q, raw, rawlen) : EVQ_NONE;
	q->n++;
	return q->next++;
}

/* Write the rows queued: 0, or -1 with the reason in db. */
int
evq_flush(struct evq *q)
{
	int64_t	id = q->next - (int64_t)q->n;
	size_t	i;
	int	rc = 0, bound = SQLITE_OK;

	if (q->n == EVQ_ROWS) {
		for (i = 0; i < q->n && bound == SQLITE_OK; i++)
			bound = evq_bind(q->all, 1 + 6 * i, &q->row[i],
			    q->text, q->text);
		rc = evq_write(q, q->all, bound, q->n, id);
	} else
		for (i = 0; i < q->n && rc == 0; i++)
			rc = evq_write(q, q->one, evq_bind(q->one, 1,
			    &q->row[i], q->text, q->text), 1, id + (int64_t)i);
	q->n = q->used = 0;
	if (rc == -1)
		q->next = 0;
	return rc;
}

/*
 * Before a statement that reads or deletes events: the rows written,
 * and the next id asked of the table again.
 */
int
evq_sync(struct evq *q)
{
	int	rc = evq_flush(q);

	q->next = 0;
	return rc;
}

/* The transaction is rolled back: its rows with it. */
void
evq_forget(struct evq *q)
{
	q->n = q->used = 0;
	q->next = 0;
}

/*
 * Run s, whose parameters were bound with result bound, inserting n
 * rows that must get the ids from first on, in the writer's open
 * transaction.
 */
static int
evq_write(struct evq *q, sqlite3_stmt *s, int bound, size_t n,
    int64_t first)
{
	int64_t	last;
	int	rc;

	if (bound != SQLITE_OK)
		return db_fail(q->db, "event: %s", sqlite3_errstr(bound));
	if (sqlite3_get_autocommit(q->db->h))
		return db_fail(q->db, "event rows outside a transaction");
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(q->db, "%s", sqlite3_errmsg(q->db->h));
	last = sqlite3_last_insert_rowid(q->db->h);
	if (last != first + (int64_t)n - 1)
		return db_fail(q->db, "event ids: %lld expected, %lld given",
		    (long long)(first + (int64_t)n - 1), (long long)last);
	return 0;
}

/*
 * Bind row r's six values from parameter i on; its text at x + r->x and
 * raw + r->raw.  SQLITE_OK, or the first error.
 */
static int
evq_bind(sqlite3_stmt *s, int i, const struct evq_row *r, const char *x,
    const char *raw)
{
	int	rc[6], j;

	rc[0] = r->has_t ? sqlite3_bind_int64(s, i, r->t) :
	    sqlite3_bind_null(s, i);
	rc[1] = sqlite3_bind_int64(s, i + 1, r->k);
	rc[2] = r->s != 0 ? sqlite3_bind_int64(s, i + 2, r->s) :
	    sqlite3_bind_null(s, i + 2);
	rc[3] = r->has_m ? sqlite3_bind_int64(s, i + 3, r->m) :
	    sqlite3_bind_null(s, i + 3);
	rc[4] = r->x != EVQ_NONE ? sqlite3_bind_text(s, i + 4, x + r->x,
	    r->xlen, SQLITE_STATIC) : sqlite3_bind_null(s, i + 4);
	rc[5] = r->raw != EVQ_NONE ? sqlite3_bind_blob64(s, i + 5,
	    raw + r->raw, r->rawlen, SQLITE_STATIC) :
	    sqlite3_bind_null(s, i + 5);
	for (j = 0; j < 6; j++)
		if (rc[j] != SQLITE_OK)
			return rc[j];
	return SQLITE_OK;
}

/* Copy len bytes into the queue's text; their offset there. */
static size_t
evq_copy(struct evq *q, const char *p, size_t len)
{
	size_t	off = q->used;

	memcpy(q->text + off, p, len);
	q->used += len;
	return off;
}

/* The id the next row gets: the table's largest plus one. */
static int
evq_last(struct evq *q)
{
	int	rc;

	if ((rc = sqlite3_step(q->last)) == SQLITE_ROW)
		q->next = sqlite3_column_int64(q->last, 0);
	sqlite3_reset(q->last);
	if (rc != SQLITE_ROW)
		return db_fail(q->db, "%s", sqlite3_errmsg(q->db->h));
	return 0;
}
