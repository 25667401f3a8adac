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
 * dest_sql.c: the queries of destination health, each one pass over an
 * index or a table, and what each of their rows adds (dest_row.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "mailtrail.h"
#include "model.h"
#include "dest.h"
#include "dest_int.h"


/*
 * Each envelope received in the window (its smtp-in commit in it, as
 * report summary counts them: an envelope aborted before the commit
 * was never received): its address (its domain is
 * util_domain()'s, which costs less than SQL's), the next hop of
 * what decided it (an attempt, or a refused MAIL FROM; NULL: none),
 * status, attempts, time to delivery.  A window that starts before
 * every life reads them all (a scan); any other is read by index,
 * bounded by the window: first seen in it (life_t), as nearly all are,
 * since first seen comes before the commit; or first seen before it
 * and committed in it (a transaction open across since), found among
 * the lives whose status was taken since (life_status: a status is
 * taken at the commit or later) or at a time not known.
 */
#define DEST_SQL_LIVES_1(hop, join) \
	"SELECT l.rcpt_to, " hop ", l.status," \
	" l.attempts, CASE WHEN l.status = 1 THEN l.t_final - l.t_accepted" \
	" END FROM life l " join " WHERE +l.evpid IS NOT NULL AND "
#define DEST_SQL_LIVES_LATE(hop, join, status) \
	DEST_SQL_LIVES_1(hop, join) "l.status IN (0, 1, 2, 3, 4, 5, 6, 7)" \
	" AND l.t_status " status " AND +l.t < ?1 AND l.t_accepted BETWEEN" \
	" ?1 AND ?2"
#define DEST_SQL_LIVES(hop, join) { \
	DEST_SQL_LIVES_1(hop, join) "l.t_accepted BETWEEN ?1 AND ?2", \
	DEST_SQL_LIVES_1(hop, join) "l.t BETWEEN ?1 AND ?2 AND" \
	" l.t_accepted <= ?2 UNION ALL " \
	DEST_SQL_LIVES_LATE(hop, join, ">= ?1") " UNION ALL " \
	DEST_SQL_LIVES_LATE(hop, join, "IS NULL") }
#define DEST_SQL_LIVES_HOP DEST_SQL_LIVES("s.dest, s.rdns", \
	"LEFT JOIN attempt a ON a.id = l.decisive" \
	" LEFT JOIN out_refusal r ON r.id = l.refusal" \
	" LEFT JOIN session s ON s.id = coalesce(a.session, r.session)")
#define DEST_SQL_LIVES_DOMAIN DEST_SQL_LIVES("NULL, NULL", "")

/* [by][since after the first life]: by index, else a scan. */
static const char *const dest_sql_lives_sql[2][2] = {
	DEST_SQL_LIVES_DOMAIN,
	DEST_SQL_LIVES_HOP
};

/*
 * The smtp-out sessions started in the window, by time (session_t):
 * "+s.dir", or SQLite takes session_dir_outcome and reads every smtp-out
 * session there is, whatever the window.
 */
#define DEST_SQL_WINDOW "+s.dir = 1 AND s.t_start BETWEEN ?1 AND ?2"

/*
 * Each smtp-out session started in the window (index session_t) with
 * each of its settled attempts (attempt_session); with none, whether it
 * failed before any transaction (a refused MAIL FROM aside: the
 * refusals count it) and the reply or outcome that says why.  The
 * class is reply_class()'s, the rule of every reader.
 */
#define DEST_SQL_TRIES \
	"SELECT s.id, coalesce(s.dest, ''), s.rdns, s.tls, a.id, a.result," \
	" coalesce(a.t_end, s.t_end, s.t_start), CASE WHEN a.id IS NOT NULL" \
	" THEN a.reply ELSE (SELECT e.x FROM event e WHERE e.id = s.reason)" \
	" END, CASE WHEN a.result > 0 THEN reply_class(a.reply, CASE WHEN" \
	" a.reply IS NULL THEN s.outcome END) WHEN a.id IS NULL THEN" \
	" reply_class((SELECT e.x FROM event e WHERE e.id = s.reason)," \
	" s.outcome) END, coalesce(a.address, (SELECT l.rcpt_to FROM life l" \
	" WHERE l.evpid = a.evpid)), CASE WHEN a.id IS NULL THEN" \
	" s.outcome <> 'refused-mail' AND " MODEL_FAILED_SQL("s") " END" \
	" FROM session s LEFT JOIN attempt a ON a.session = s.id AND" \
	" a.result IS NOT NULL WHERE " DEST_SQL_WINDOW

/*
 * Each MAIL FROM the next hop refused in a session started in the
 * window: by next hop once, by domain once per envelope it was given to.
 */
#define DEST_SQL_REFUSALS_HOP \
	"SELECT coalesce(s.dest, ''), s.rdns, r.result, r.t, r.reply," \
	" reply_class(r.reply) FROM session s JOIN out_refusal r" \
	" ON r.session = s.id WHERE " DEST_SQL_WINDOW
#define DEST_SQL_REFUSALS_DOMAIN \
	"SELECT l.rcpt_to, NULL, r.result, r.t," \
	" r.reply, reply_class(r.reply) FROM session s JOIN out_refusal r" \
	" ON r.session = s.id JOIN life_refusal f ON f.refusal = r.id" \
	" JOIN life l ON l.evpid = f.evpid WHERE " DEST_SQL_WINDOW

/* The statements over the window's sessions, for their plans' test. */
const char *const dest_sql_windowed[DEST_SQL_NWINDOWED] = {
	DEST_SQL_TRIES, DEST_SQL_REFUSALS_HOP, DEST_SQL_REFUSALS_DOMAIN
};

static sqlite3_stmt *dest_sql_prepare(sqlite3 *, const char *, int64_t,
		    int64_t);
static int	dest_sql_end(sqlite3_stmt *, int);
static const char *dest_sql_text(sqlite3_stmt *, int);
static int64_t	dest_sql_first(sqlite3 *);
static void	dest_sql_life(struct dest_set *, sqlite3_stmt *,
		    struct buf *);
static void	dest_sql_try(struct dest_set *, sqlite3_stmt *,
		    struct buf *);

static sqlite3_stmt *
dest_sql_prepare(sqlite3 *db, const char *sql, int64_t since, int64_t until)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_bind_int64(s, 1, since) != SQLITE_OK ||
	    sqlite3_bind_int64(s, 2, until) != SQLITE_OK) {
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

/* Finalized; 0 if the steps ended well (rc SQLITE_DONE), else -1. */
static int
dest_sql_end(sqlite3_stmt *s, int rc)
{
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *
dest_sql_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

/* When the first life was seen (INT64_MAX: none); -1: error. */
static int64_t
dest_sql_first(sqlite3 *db)
{
	sqlite3_stmt	*s;
	int64_t		 t = INT64_MAX;
	int		 rc;

	if (sqlite3_prepare_v2(db, "SELECT min(t) FROM life", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		t = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? t : -1;
}

/* A row of DEST_SQL_LIVES; b: room for its domain. */
static void
dest_sql_life(struct dest_set *set, sqlite3_stmt *s, struct buf *b)
{
	struct dest_row	*r;

	if (set->by == DEST_DOMAIN)
		r = dest_row_get(set, util_domain(b, dest_sql_text(s, 0)),
		    NULL);
	else if (sqlite3_column_type(s, 1) == SQLITE_NULL)
		return;		/* no next hop decided it yet */
	else
		r = dest_row_get(set, dest_sql_text(s, 1),
		    dest_sql_text(s, 2));
	r->envelopes++;
	switch (sqlite3_column_int(s, 3)) {
	case LIFE_QUEUED:
		r->queued++;
		break;
	case LIFE_DELIVERED:
		r->delivered++;
		if (sqlite3_column_int64(s, 4) == 1)
			r->first++;
		if (sqlite3_column_type(s, 5) != SQLITE_NULL)
			dest_row_ttd(r, sqlite3_column_int64(s, 5));
		break;
	case LIFE_DEFERRED:
		r->deferred++;
		break;
	case LIFE_FAILED:
		r->failed++;
		break;
	case LIFE_EXPIRED:
		r->expired++;
		break;
	case LIFE_REMOVED:
		r->removed++;
		break;
	}
}

/* Into set[DEST_DOMAIN] and set[DEST_HOP], those not NULL. */
int
dest_sql_lives(sqlite3 *db, int64_t since, int64_t until,
    struct dest_set **set)
{
	sqlite3_stmt	*s;
	struct buf	 b = { NULL, 0, 0 };
	int64_t		 first;
	int		 rc, i;

	if ((first = dest_sql_first(db)) == -1 || (s = dest_sql_prepare(db,
	    dest_sql_lives_sql[set[DEST_HOP] != NULL ? DEST_HOP : DEST_DOMAIN]
	    [since > first], since, until)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (i = 0; i < 2; i++)
			if (set[i] != NULL)
				dest_sql_life(set[i], s, &b);
	buf_free(&b);
	return dest_sql_end(s, rc);
}

/* A row of DEST_SQL_TRIES; b: room for its domain. */
static void
dest_sql_try(struct dest_set *set, sqlite3_stmt *s, struct buf *b)
{
	struct dest_row	*r;
	enum dest_try	 what;
	int		 attempt, failed;

	attempt = sqlite3_column_type(s, 4) != SQLITE_NULL;
	failed = sqlite3_column_int(s, 10);
	if (set->by == DEST_DOMAIN && !attempt)
		return;		/* no envelope: no domain */
	if (set->by == DEST_DOMAIN)
		r = dest_row_get(set, util_domain(b, dest_sql_text(s, 9)),
		    NULL);
	else
		r = dest_row_get(set, dest_sql_text(s, 1),
		    dest_sql_text(s, 2));
	dest_row_session(r, sqlite3_column_int64(s, 0), dest_sql_text(s, 3));
	if (!attempt && !failed)
		return;
	if (!attempt)
		what = DEST_DEFERRAL;	/* smtpd tries again */
	else if (sqlite3_column_int(s, 5) == 0)
		what = DEST_OK;
	else
		what = sqlite3_column_int(s, 5) == 1 ? DEST_DEFERRAL :
		    DEST_FAILURE;
	dest_row_try(r, what, sqlite3_column_int64(s, 6),
	    dest_sql_text(s, 8), dest_sql_text(s, 7));
}

int
dest_sql_tries(sqlite3 *db, int64_t since, int64_t until,
    struct dest_set **set)
{
	sqlite3_stmt	*s;
	struct buf	 b = { NULL, 0, 0 };
	int		 rc, i;

	if ((s = dest_sql_prepare(db, DEST_SQL_TRIES, since, until)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (i = 0; i < 2; i++)
			if (set[i] != NULL)
				dest_sql_try(set[i], s, &b);
	buf_free(&b);
	return dest_sql_end(s, rc);
}

/* The refusals of one set. */
int
dest_sql_refusals(sqlite3 *db, int64_t since, int64_t until,
    struct dest_set *set)
{
	struct dest_row	*r;
	sqlite3_stmt	*s;
	struct buf	 b = { NULL, 0, 0 };
	const char	*key;
	int		 rc;

	if ((s = dest_sql_prepare(db, set->by == DEST_DOMAIN ?
	    DEST_SQL_REFUSALS_DOMAIN : DEST_SQL_REFUSALS_HOP, since,
	    until)) == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		key = dest_sql_text(s, 0);
		if (set->by == DEST_DOMAIN)
			key = util_domain(&b, key);
		r = dest_row_get(set, key, dest_sql_text(s, 1));
		dest_row_try(r, sqlite3_column_int(s, 2) == 2 ? DEST_FAILURE :
		    DEST_DEFERRAL, sqlite3_column_int64(s, 3),
		    dest_sql_text(s, 5), dest_sql_text(s, 4));
	}
	buf_free(&b);
	return dest_sql_end(s, rc);
}
