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
 * hour.c: the counts per hour of table hour (schema/009-hour.sql and
 * 015-summary.sql), added up in memory for the transaction and written
 * once per hour, kind and key before it commits (store.c).  The
 * triggers of schema/writer.sql find what a change of the rows moves
 * and count it with the SQL function hour_count(), whoever writes
 * (ingest, maillog, prune): an upsert of hour at each row cost several
 * times more.  The writer counts the rows it inserts into session,
 * envelope and life, and its own updates of attempt and tx, itself
 * (hour_new()): a trigger there made each of those statements keep a
 * copy of the pages it changed (schema/writer.sql).  Filter responses
 * are counted here directly: a response is an event, and a trigger on
 * event would cost every line.  A session is counted once per phase
 * and decision, at its first such response: the session remembers
 * those it saw (a bit each); one taken back from the database
 * (restart, rollback), or a name outside the table, asks the session's
 * stored events instead.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "collector.h"

#define HOUR_US		3600000000LL
#define HOUR_N(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const hour_phases[] = {
	"connect", "connected", "helo", "ehlo", "starttls", "tls", "auth",
	"mail-from", "rcpt-to", "data", "data-line", "commit", "rset",
	"quit", "noop", "help", "wiz"
};
static const char *const hour_decisions[] = {
	"proceed", "junk", "rewrite", "reject", "disconnect", "report"
};

static const char *const hour_sql[] = {
	"INSERT INTO hour(hour, kind, key, n) VALUES (?1, ?2, ?3, ?4) "
	    "ON CONFLICT DO UPDATE SET n = n + excluded.n",
	/* The first response of this phase and decision of the session. */
	"INSERT INTO hour(hour, kind, key, n) "
	    "SELECT ?1, ?2, ?3, 1 WHERE NOT EXISTS (SELECT 1 FROM event "
	    "WHERE s = ?4 AND id < ?5 AND k % 32 = 18 AND (x = ?3 OR "
	    "substr(x, 1, length(?3) + 1) = ?3 || '|')) "
	    "ON CONFLICT DO UPDATE SET n = n + 1",
	/*
	 * By enum hour_row: a new session, the new envelope of msgid ?2 of
	 * tx ?1 when committed, a new life; then the rest.  One step each.
	 */
	"SELECT count(hour_count(hour, kind, key, ?2)) FROM hour_session "
	    "WHERE id = ?1",
	"SELECT count(hour_count(hour, kind + 1, key, 1)) FROM hour_message "
	    "WHERE tx = ?1 AND msgid = ?2",
	"SELECT count(hour_count(hour, kind, key, ?2)) FROM hour_life "
	    "WHERE id = ?1",
	/* An attempt settled: its envelope, for its life to be marked. */
	"SELECT evpid, (SELECT count(hour_count(hour, kind, key, 1)) FROM "
	    "hour_delivery WHERE id = ?1) FROM attempt WHERE id = ?1",
	/* A tx's counts, out (?2 -1) before an update, in (1) after. */
	"SELECT count(hour_count(hour, kind, key, ?2, ?2 * envelopes, "
	    "?2 * size)) FROM hour_message WHERE tx = ?1"
};

static void	hour_add(struct hour_tab *, int64_t, int,
		    const struct proto_str *, int64_t);
static size_t	*hour_slot(struct hour_tab *, int64_t, int,
		    const struct proto_str *);
static void	hour_grow(struct hour_tab *);
static void	hour_sql_count(sqlite3_context *, int, sqlite3_value **);
static int	hour_first(struct sess *, const struct proto_str *, size_t);
static int	hour_index(const char *const *, size_t, const char *, size_t);

/*
 * Also makes hour_count(hour, kind, key, n) an SQL function of the
 * writer's connection, and hour_count(hour, kind, key, n, n1, n2) for
 * three kinds of one key: the triggers of schema/writer.sql count with
 * it, into the batch's cells.  -1 with the reason in db.
 */
int
hour_open(struct hour_tab *ht, struct db *db, struct evq *q)
{
	int	nargs;

	memset(ht, 0, sizeof(*ht));
	ht->db = db;
	ht->evq = q;
	for (nargs = 4; nargs <= 6; nargs += 2)
		if (sqlite3_create_function(db->h, "hour_count", nargs,
		    SQLITE_UTF8 | SQLITE_DIRECTONLY, ht, hour_sql_count, NULL,
		    NULL) != SQLITE_OK)
			return db_fail(db, "%s", sqlite3_errmsg(db->h));
	return 0;
}

/*
 * hour_count(hour, kind, key, n[, n1, n2]): n more of (hour, kind,
 * key), and n1 and n2 more of kind + 1 and kind + 2 if given.
 */
static void
hour_sql_count(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct hour_tab		*ht = sqlite3_user_data(ctx);
	struct proto_str	 key;
	int64_t			 h = sqlite3_value_int64(argv[0]);
	int			 i, kind = sqlite3_value_int(argv[1]);

	key.p = (const char *)sqlite3_value_text(argv[2]);
	key.len = sqlite3_value_bytes(argv[2]);
	if (key.p == NULL)
		key.p = "";
	for (i = 3; i < argc; i++)
		hour_add(ht, h, kind + i - 3, &key,
		    sqlite3_value_int64(argv[i]));
}

void
hour_close(struct hour_tab *ht)
{
	size_t	i;

	for (i = 0; i < HOUR_N(ht->stmt); i++)
		sqlite3_finalize(ht->stmt[i]);
	hour_discard(ht);
	free(ht->cells);
	free(ht->slot);
	memset(ht, 0, sizeof(*ht));
}

/* The batch was rolled back, or is written: forget its counts. */
void
hour_discard(struct hour_tab *ht)
{
	size_t	i;

	for (i = 0; i < ht->n; i++)
		free(ht->cells[i].key);
	ht->n = 0;
	if (ht->slot != NULL)
		memset(ht->slot, 0, ht->nslot * sizeof(*ht->slot));
}

/* Write the counts of the batch, before it commits.  -1 on failure. */
int
hour_flush(struct hour_tab *ht)
{
	struct hour_cell *c;
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < ht->n; i++) {
		c = &ht->cells[i];
		if (c->n == 0)
			continue;
		if ((s = db_prepare(ht->db, &ht->stmt[0], hour_sql[0])) == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, c->hour);
		sqlite3_bind_int(s, 2, c->kind);
		sqlite3_bind_text(s, 3, c->key, c->keylen, SQLITE_STATIC);
		sqlite3_bind_int64(s, 4, c->n);
		if (sqlite3_step(s) != SQLITE_DONE)
			return db_fail(ht->db, "%s", sqlite3_errmsg(ht->db->h));
	}
	hour_discard(ht);
	return 0;
}

/*
 * The counts of a row the writer changed (enum hour_row): attempt id
 * k, the envelope of msgid m of tx k, or session, life or tx k's taken
 * out (m -1) or put in (m 1); the statement's first column into *v if
 * not NULL (an attempt's evpid).
 * -1 if the database failed (the batch is then rolled back).
 */
int
hour_new(struct hour_tab *ht, enum hour_row n, int64_t k, int64_t m,
    int64_t *v)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_prepare(ht->db, &ht->stmt[2 + n], hour_sql[2 + n])) ==
	    NULL)
		return -1;
	sqlite3_bind_int64(s, 1, k);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_int64(s, 2, m);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && v != NULL)
		*v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(ht->db, "%s", sqlite3_errmsg(ht->db->h));
	return 0;
}

/*
 * A filter response of session s, stored as event id at time t, with
 * parameters x ("phase|decision[|param]", as v_filter splits them).
 * -1 if the database failed (the batch is then rolled back).
 */
int
hour_filter(struct hour_tab *ht, struct sess *s, int64_t id, int64_t t,
    const struct proto_str *x)
{
	struct proto_str key;
	sqlite3_stmt	*st;
	const char	*bar, *end;
	size_t		 plen;
	int64_t		 h = t / HOUR_US;
	int		 kind = 3 + (s->dir == DIR_OUT);

	if (x->p == NULL || (bar = memchr(x->p, '|', x->len)) == NULL)
		return 0;
	plen = bar - x->p;
	end = memchr(bar + 1, '|', x->len - plen - 1);
	key.p = x->p;
	key.len = end != NULL ? (size_t)(end - x->p) : x->len;
	hour_add(ht, h, kind, &key, 1);
	switch (hour_first(s, &key, plen)) {
	case 1:
		hour_add(ht, h, kind + 2, &key, 1);
		return 0;
	case 0:
		return 0;
	}
	if ((ht->evq != NULL && evq_sync(ht->evq) == -1) ||
	    bulk_need(ht->db) == -1 ||
	    (st = db_prepare(ht->db, &ht->stmt[1], hour_sql[1])) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, h);
	sqlite3_bind_int(st, 2, kind + 2);
	sqlite3_bind_text(st, 3, key.p, key.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, s->id);
	sqlite3_bind_int64(st, 5, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return db_fail(ht->db, "%s", sqlite3_errmsg(ht->db->h));
	return 0;
}

/* The slot of (hour, kind, key): its cell's, or the free one for it. */
static size_t *
hour_slot(struct hour_tab *ht, int64_t h, int kind, const struct proto_str *k)
{
	const struct hour_cell	*c;
	uint64_t		 x;
	size_t			 i;

	x = util_hash(UTIL_HASH_INIT, k->p, k->len);
	x = util_hash(x, &h, sizeof(h));
	x = util_hash(x, &kind, sizeof(kind));
	for (i = x & (ht->nslot - 1);; i = (i + 1) & (ht->nslot - 1)) {
		if (ht->slot[i] == 0)
			return &ht->slot[i];
		c = &ht->cells[ht->slot[i] - 1];
		if (c->hour == h && c->kind == kind && c->keylen == k->len &&
		    memcmp(c->key, k->p, k->len) == 0)
			return &ht->slot[i];
	}
}

/* Twice the slots, for as many cells again: each cell slotted anew. */
static void
hour_grow(struct hour_tab *ht)
{
	struct proto_str	 k;
	size_t			 i;

	free(ht->slot);
	ht->nslot = ht->nslot == 0 ? 256 : ht->nslot * 2;
	ht->slot = xcalloc(ht->nslot, sizeof(*ht->slot));
	for (i = 0; i < ht->n; i++) {
		k.p = ht->cells[i].key;
		k.len = ht->cells[i].keylen;
		*hour_slot(ht, ht->cells[i].hour, ht->cells[i].kind, &k) = i + 1;
	}
}

/* n more of (hour, kind, key) in the batch. */
static void
hour_add(struct hour_tab *ht, int64_t h, int kind, const struct proto_str *k,
    int64_t n)
{
	struct hour_cell	*c;
	size_t			*sl;

	if ((ht->n + 1) * 2 > ht->nslot)
		hour_grow(ht);
	sl = hour_slot(ht, h, kind, k);
	if (*sl != 0) {
		ht->cells[*sl - 1].n += n;
		return;
	}
	ht->cells = xgrow(ht->cells, ht->n, &ht->cap, 64, sizeof(*ht->cells));
	c = &ht->cells[ht->n++];
	c->hour = h;
	c->kind = kind;
	c->keylen = k->len;
	c->key = xmalloc(k->len + 1);
	memcpy(c->key, k->p, k->len);
	c->n = n;
	*sl = ht->n;
}

/*
 * 1 if the session had no response of this phase and decision yet, 0
 * if it had, -1 if only its stored events can say.
 */
static int
hour_first(struct sess *s, const struct proto_str *key, size_t plen)
{
	size_t		 i;
	int		 p, d;
	uint64_t	 bit;

	p = hour_index(hour_phases, HOUR_N(hour_phases), key->p, plen);
	d = hour_index(hour_decisions, HOUR_N(hour_decisions),
	    key->p + plen + 1, key->len - plen - 1);
	if (p == -1 || d == -1 || s->events_unknown)
		return -1;
	i = p * HOUR_N(hour_decisions) + d;
	bit = 1ULL << (i % 64);
	if (s->filters[i / 64] & bit)
		return 0;
	s->filters[i / 64] |= bit;
	return 1;
}

static int
hour_index(const char *const *names, size_t n, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0)
			return i;
	return -1;
}
