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
 * query.c: the TUI's own read-only connection and every statement it
 * runs (each bound by parameters, each on an index: see
 * tests/test_tui_query.c), and one list row read by its key: a life as
 * the writer keeps it (status, reply, attempts, the deciding attempt),
 * or a session that ended before MAIL FROM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

struct query {
	struct db	 db;		/* statements: query_sqls */
};

/*
 * A row of life, its smtp-in session, and the smtp-out session of what
 * decided it: its deciding attempt, else the refused MAIL FROM the
 * writer gave it last, else (none decided yet) its latest attempt.
 */
#define QUERY_ROW_LIFE	"SELECT l.msgid, l.t, l.t_begin, l.status, " \
	"l.t_status, l.t_final, l.mail_from, l.rcpt_to, l.reply, " \
	"l.attempts, s.id, s.sid, s.src, s.helo, o.sid, o.dest, s.outcome, " \
	"s.id IS NOT NULL AND s.t_end IS NULL FROM life l " \
	"LEFT JOIN tx t ON t.id = l.tx LEFT JOIN session s ON " \
	"s.id = t.session LEFT JOIN session o ON o.id = coalesce((SELECT " \
	"a.session FROM attempt a WHERE a.id = l.decisive), (SELECT " \
	"r.session FROM life_refusal g JOIN out_refusal r ON r.id = " \
	"g.refusal WHERE g.evpid = l.evpid ORDER BY g.refusal DESC LIMIT 1), " \
	"(SELECT a.session FROM attempt a WHERE a.evpid = l.evpid ORDER BY " \
	"a.id DESC LIMIT 1)) "

/*
 * A row of the session list: its facts, the outcome the writer keeps
 * and the text of the line that decided it (as v_session's reason).
 */
#define QUERY_ROW_SES	"SELECT s.id, s.sid, s.dir, s.t_start, s.t_end, " \
	"s.end_reason, s.rdns, s.fcrdns, s.src, s.dest, s.helo, s.tls, " \
	"s.auth_user, (SELECT count(*) FROM tx WHERE tx.session = s.id), " \
	"s.outcome, (SELECT e.x FROM event e WHERE e.id = s.reason) " \
	"FROM session s "

static const char *const query_sqls[Q_MAX] = {
	[Q_VERSION] = "PRAGMA data_version",
	[Q_LAST] = "SELECT max(id) FROM event",
	[Q_LAST_OUTCOME] = "SELECT max(id) FROM outcome",
	[Q_EVENT_T] = "SELECT t FROM event WHERE id = ?1",
	[Q_NEWEST] = "SELECT max(coalesce((SELECT max(t) FROM envelope), 0), "
	    "coalesce((SELECT max(t_start) FROM session), 0), "
	    "coalesce((SELECT max(t) FROM attempt), 0))",
	[Q_WIN_T0] = "SELECT t FROM life WHERE t <= ?1 ORDER BY t DESC "
	    "LIMIT 1 OFFSET ?2",
	[Q_WIN_LIFE] = "SELECT evpid, rcpt FROM life WHERE t >= ?1 AND "
	    "t <= ?2 ORDER BY t DESC LIMIT ?3",
	/*
	 * By time (session_t holds dir and t_end too): "+s.dir", or SQLite
	 * takes session_dir_outcome and reads every smtp-in session.
	 */
	[Q_WIN_SES] = "SELECT s.id FROM session s WHERE s.t_start >= ?1 AND "
	    "s.t_start <= ?2 AND +s.dir = 0 AND s.t_end IS NOT NULL AND NOT "
	    "EXISTS (SELECT 1 FROM tx WHERE tx.session = s.id) "
	    "ORDER BY s.t_start DESC LIMIT ?3",
	[Q_ROW_ENV] = QUERY_ROW_LIFE "WHERE l.evpid = ?1",
	[Q_ROW_REJ] = QUERY_ROW_LIFE "WHERE l.rcpt = ?1 AND l.evpid IS NULL",
	[Q_ROW_SES] = "SELECT s.sid, s.t_start, s.t_end, s.src, s.helo, "
	    "s.outcome "
	    "FROM session s WHERE s.id = ?1 AND s.dir = 0 AND s.t_end IS NOT "
	    "NULL AND NOT EXISTS (SELECT 1 FROM tx WHERE tx.session = s.id)",
	[Q_DELTA] = "SELECT id, t, k, s, m, x FROM event WHERE id > ?1 AND "
	    "id <= ?2 ORDER BY id",
	[Q_REJ_AT] = "SELECT r.id FROM tx t JOIN rcpt r ON r.tx = t.id WHERE "
	    "t.session = ?1 AND t.msgid = ?2 AND r.t = ?3 AND r.result != 0",
	[Q_ENV_MSGID] = DB_MSGID_EVPIDS("?1"),
	/* Its attempts, and the envelopes given its refused MAIL FROM. */
	[Q_ATT_SES] = "SELECT evpid FROM attempt WHERE session = ?1 "
	    "AND (t_end IS NULL OR t_end >= ?2 OR t >= ?2) UNION SELECT "
	    "g.evpid FROM out_refusal r JOIN life_refusal g ON g.refusal = "
	    "r.id WHERE r.session = ?1 AND r.t >= ?2",
	[Q_OUTCOMES] = "SELECT DISTINCT evpid FROM outcome WHERE id > ?1 AND "
	    "id <= ?2 AND evpid IS NOT NULL",
	/*
	 * A sender's newest messages in the order of the index tx_from:
	 * committed by time of commit, the others by id.
	 */
	[Q_IX_FROM_ENV] = "SELECT e.evpid FROM tx t JOIN envelope e ON "
	    "e.msgid = t.msgid WHERE t.mail_from = ?1 COLLATE NOCASE AND "
	    "t.t_commit IS NOT NULL AND e.tx = t.id ORDER BY t.t_commit DESC "
	    "LIMIT ?2",
	[Q_IX_FROM_OPEN] = "SELECT e.evpid FROM tx t JOIN envelope e ON "
	    "e.msgid = t.msgid WHERE t.mail_from = ?1 COLLATE NOCASE AND "
	    "t.t_commit IS NULL AND e.tx = t.id ORDER BY t.id DESC LIMIT ?2",
	[Q_IX_FROM_REJ] = "SELECT r.id FROM tx t JOIN rcpt r ON r.tx = t.id "
	    "WHERE t.mail_from = ?1 COLLATE NOCASE AND t.t_commit IS NOT NULL "
	    "AND r.result != 0 ORDER BY t.t_commit DESC LIMIT ?2",
	[Q_IX_FROM_REJ_OPEN] = "SELECT r.id FROM tx t JOIN rcpt r ON "
	    "r.tx = t.id WHERE t.mail_from = ?1 COLLATE NOCASE AND "
	    "t.t_commit IS NULL AND r.result != 0 ORDER BY t.id DESC LIMIT ?2",
	[Q_IX_TO_ENV] = "SELECT e.evpid FROM rcpt r JOIN envelope e ON "
	    "e.rcpt = r.id WHERE r.address = ?1 COLLATE NOCASE "
	    "ORDER BY r.id DESC LIMIT ?2",
	[Q_IX_TO_REJ] = "SELECT r.id FROM rcpt r WHERE r.address = ?1 COLLATE "
	    "NOCASE AND r.result != 0 ORDER BY r.id DESC LIMIT ?2",
	[Q_IX_MSGID_REJ] = "SELECT r.id FROM tx t JOIN rcpt r ON r.tx = t.id "
	    "WHERE t.msgid = ?1 AND r.result != 0",
	[Q_IX_SID_ENV] = "SELECT e.evpid FROM session s JOIN tx t ON "
	    "t.session = s.id JOIN envelope e ON e.msgid = t.msgid "
	    "WHERE s.sid = ?1 AND e.tx = t.id",
	[Q_IX_SID_REJ] = "SELECT r.id FROM session s JOIN tx t ON t.session = "
	    "s.id JOIN rcpt r ON r.tx = t.id WHERE s.sid = ?1 AND "
	    "r.result != 0",
	[Q_IX_SID_OUT] = "SELECT DISTINCT a.evpid FROM session s JOIN "
	    "attempt a ON a.session = s.id WHERE s.sid = ?1",
	[Q_IX_SID_SES] = "SELECT id FROM session WHERE sid = ?1",
	[Q_SES_MAX] = "SELECT max(id) FROM session",
	[Q_SES_RANGE] = QUERY_ROW_SES "WHERE s.id > ?1 AND s.id <= ?2 "
	    "ORDER BY s.id",
	[Q_SES_ONE] = QUERY_ROW_SES "WHERE s.id = ?1",
	[Q_SES_SID] = "SELECT id FROM session WHERE sid = ?1 ORDER BY id DESC "
	    "LIMIT 1",
	/* The newest sessions of one outcome, on the index session_outcome. */
	[Q_SES_OUTCOME] = "SELECT id, t_start FROM session WHERE outcome = ?1 "
	    "AND " DB_OUTCOME_INDEXED("outcome") " ORDER BY t_start DESC "
	    "LIMIT ?2",
	[Q_EVENTS] = "SELECT " MODEL_EVENT_COLS " FROM event WHERE s = ?1 AND "
	    "id > ?2 ORDER BY id LIMIT ?3",
	[Q_M_OPEN] = "SELECT dir, count(*) FROM session WHERE t_start >= ?1 "
	    "AND t_start <= ?2 AND t_end IS NULL GROUP BY dir",
	[Q_M_MSGS] = "SELECT t / 60000000, count(DISTINCT msgid) FROM envelope "
	    "WHERE t >= ?1 AND t < ?2 GROUP BY 1",
	/* Every status of enum life_status, for the index. */
	[Q_M_LIFE] = "SELECT status, count(*) FROM life WHERE status IN "
	    "(0, 1, 2, 3, 4, 5, 6, 7) AND t_status >= ?1 AND t_status < ?2 "
	    "GROUP BY status",
	[Q_M_RATE] = "SELECT count(DISTINCT msgid) FROM envelope WHERE "
	    "t > ?1 AND t <= ?2",
};

static int64_t	 query_last(struct query *, enum query_stmt);
static int	 query_row_life(struct query *, enum query_stmt,
		    struct query_row *);
static int	 query_row_ses(struct query *, struct query_row *);

/* NULL with *cause (the caller frees it) saying why. */
struct query *
query_open(const char *path, char **cause)
{
	struct query	*q;

	q = xcalloc(1, sizeof(*q));
	if (db_open(&q->db, path, 0, 0) == -1) {
		*cause = xstrdup(db_error(&q->db));
		query_close(q);
		return NULL;
	}
	db_statements(&q->db, query_sqls, Q_MAX);
	return q;
}

void
query_close(struct query *q)
{
	if (q == NULL)
		return;
	db_close(&q->db);
	free(q);
}

/*
 * Statement n, prepared once, reset and unbound for reuse.  NULL on
 * failure, with query_error() saying why (stderr is the screen's).
 */
sqlite3_stmt *
query_stmt(struct query *q, enum query_stmt n)
{
	return db_stmt(&q->db, n);
}

/* Why the last call failed. */
const char *
query_error(struct query *q)
{
	return db_error(&q->db);
}

/* A text column as a new string (NULL for NULL); the caller frees it. */
char *
query_text(sqlite3_stmt *s, int i)
{
	const unsigned char	*p;
	char			*r;
	int			 len;

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	p = sqlite3_column_text(s, i);
	len = sqlite3_column_bytes(s, i);
	r = xmalloc(len + 1);
	memcpy(r, p, len);
	r[len] = '\0';
	return r;
}

/* Every statement's plan on fp, as EXPLAIN QUERY PLAN gives it. */
int
query_explain(struct query *q, FILE *fp)
{
	sqlite3_stmt	*s;
	char		 sql[2048];
	int		 i;

	for (i = 0; i < Q_MAX; i++) {
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s",
		    query_sqls[i]);
		if (sqlite3_prepare_v2(q->db.h, sql, -1, &s, NULL) != SQLITE_OK)
			return -1;
		fprintf(fp, "%2d %.60s%s\n", i, query_sqls[i],
		    strlen(query_sqls[i]) > 60 ? "..." : "");
		while (sqlite3_step(s) == SQLITE_ROW)
			fprintf(fp, "     %s\n", sqlite3_column_text(s, 3));
		sqlite3_finalize(s);
	}
	return 0;
}

/* Changes when another connection commits; -1 on error. */
int
query_data_version(struct query *q)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	if ((s = query_stmt(q, Q_VERSION)) != NULL &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	if (s != NULL)
		sqlite3_reset(s);
	return v;
}

/* The newest rowid statement n gives (0: none, -1: error). */
static int64_t
query_last(struct query *q, enum query_stmt n)
{
	sqlite3_stmt	*s;
	int64_t		 id = -1;

	if ((s = query_stmt(q, n)) != NULL &&
	    sqlite3_step(s) == SQLITE_ROW)
		id = db_col_int(s, 0, 0);
	if (s != NULL)
		sqlite3_reset(s);
	return id;
}

/* The newest event's rowid (0: none, -1: error). */
int64_t
query_last_event(struct query *q)
{
	return query_last(q, Q_LAST);
}

/* The newest maillog line's rowid (outcome.id; 0: none, -1: error). */
int64_t
query_last_outcome(struct query *q)
{
	return query_last(q, Q_LAST_OUTCOME);
}

/* When event id happened (microseconds), 0 if unknown. */
int64_t
query_event_time(struct query *q, int64_t id)
{
	sqlite3_stmt	*s;
	int64_t		 t = 0;

	if ((s = query_stmt(q, Q_EVENT_T)) == NULL)
		return 0;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		t = db_col_int(s, 0, 0);
	sqlite3_reset(s);
	return t;
}

/* A life in this status waits for what comes next: it can change. */
int
query_waiting(enum life_status status)
{
	return status == LIFE_QUEUED || status == LIFE_DEFERRED;
}

/* Row r (kind and key set): 1 read, 0 no such row, -1 error. */
int
query_row(struct query *q, const struct query_key *k, struct query_row *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = k->kind;
	r->key = k->key;
	switch (k->kind) {
	case QUERY_ENVELOPE:
		return query_row_life(q, Q_ROW_ENV, r);
	case QUERY_REJECTED:
		return query_row_life(q, Q_ROW_REJ, r);
	case QUERY_SESSION:
		return query_row_ses(q, r);
	}
	return 0;
}

/* The row of life of r's key (statement n: by evpid or by rcpt.id). */
static int
query_row_life(struct query *q, enum query_stmt n, struct query_row *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = query_stmt(q, n)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->key);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	if (r->kind == QUERY_ENVELOPE)
		r->evpid = (uint64_t)r->key;
	r->msgid = (uint32_t)sqlite3_column_int64(s, 0);
	r->t = sqlite3_column_int64(s, 1);
	r->t_start = db_col_int(s, 2, r->t);
	r->status = (enum life_status)sqlite3_column_int(s, 3);
	/* Settled: when it ended, or took its status (aborted, rejected). */
	if (!query_waiting(r->status))
		r->t_end = db_col_int(s, 5, db_col_int(s, 4, r->t));
	r->from = query_text(s, 6);
	r->to = query_text(s, 7);
	r->reply = query_text(s, 8);
	r->nattempts = sqlite3_column_int(s, 9);
	r->session = db_col_int(s, 10, 0);
	r->in_sid = (uint64_t)db_col_int(s, 11, 0);
	r->client = query_text(s, 12);
	r->helo = query_text(s, 13);
	r->out_sid = (uint64_t)db_col_int(s, 14, 0);
	r->relay = query_text(s, 15);
	r->outcome = query_text(s, 16);
	r->in_open = sqlite3_column_int(s, 17);
	sqlite3_reset(s);
	return 1;
}

static int
query_row_ses(struct query *q, struct query_row *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = query_stmt(q, Q_ROW_SES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->key);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	r->session = r->key;
	r->in_sid = (uint64_t)sqlite3_column_int64(s, 0);
	r->t = r->t_start = sqlite3_column_int64(s, 1);
	r->t_end = db_col_int(s, 2, 0);
	r->client = query_text(s, 3);
	r->helo = query_text(s, 4);
	r->outcome = query_text(s, 5);
	sqlite3_reset(s);
	return 1;
}

/*
 * The destinations of [since, until] by domain or next hop, most
 * troubled first (schema/dest.h): dest_free() frees them.
 */
int
query_dest(struct query *q, enum dest_by by, int64_t since, int64_t until,
    struct dest_set *set)
{
	if (dest_load(q->db.h, by, since, until, set) == -1)
		return db_fail(&q->db, "%s", sqlite3_errmsg(q->db.h));
	return 0;
}

void
query_row_free(struct query_row *r)
{
	free(r->from);
	free(r->to);
	free(r->client);
	free(r->relay);
	free(r->helo);
	free(r->reply);
	free(r->outcome);
	memset(r, 0, sizeof(*r));
}

/* Rows in time order; ties by kind, then key. */
int
query_row_cmp(const struct query_row *a, const struct query_row *b)
{
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return 0;
}

/*
 * Every term of q holds for row r (q NULL: no filter): the read model's
 * rule, on what the row shows; and the outcome: term (outcome, "" none)
 * for its smtp-in session.
 */
int
query_row_match(const struct model_query *q, const char *outcome,
    const struct query_row *r)
{
	struct model_facts	 f;
	struct model_session	 in;
	struct model_attempt	 out;

	if (q == NULL)
		return 1;
	if (!query_session_outcome_holds(outcome, r->outcome, r->in_open))
		return 0;
	memset(&f, 0, sizeof(f));
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	f.has_evpid = r->kind == QUERY_ENVELOPE;
	f.evpid = r->evpid;
	f.has_msgid = r->kind != QUERY_SESSION;
	f.msgid = r->msgid;
	f.mail_from = r->from;
	f.rcpt_to = r->to;
	if (r->session != 0) {
		in.sid = r->in_sid;
		in.src = r->client;
		in.helo = r->helo;
		f.in = &in;
	}
	if (r->out_sid != 0 || r->relay != NULL) {
		out.session.sid = r->out_sid;	/* the deciding attempt's */
		out.session.dest = r->relay;
		f.attempts = &out;
		f.nattempts = 1;
	}
	f.status = r->kind == QUERY_SESSION ? -1 : (int)r->status;
	f.t = r->t;
	return model_query_match(q, &f);
}
