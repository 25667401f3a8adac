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
 * model_sql.c: the read model's SQL: its fixed statements, prepared
 * once, and a query's, one fixed fragment per term with only the
 * term's parameter number put in (values are always bound), over the
 * table life and what it names, by index (MODEL_LIFE_FROM).
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/*
 * The first failed session of outcome ?3 in [?1, ?2], one index seek:
 * model_wait_first() asks each outcome in turn.  The index
 * session_outcome is partial: the query names its condition.
 */
#define SQL_WAIT_FIRST "SELECT s.t_start FROM session s WHERE " \
	DB_OUTCOME_INDEXED("s.outcome") " AND s.outcome = ?3 AND " \
	"s.t_start >= ?1 AND s.t_start <= ?2 AND " MODEL_FAILED_REST("s") \
	" ORDER BY s.t_start LIMIT 1"

static const char *const model_sql_stmts[MQ_MAX] = {
	[MQ_SESSION] = "SELECT " MODEL_SESSION_COLS("s") " FROM session s "
	    "WHERE s.id = ?",
	[MQ_ATTEMPTS] = "SELECT a.id, coalesce(o.t_begin, a.t), a.t_end, "
	    "a.address, a.result, a.reply, a.remote_id, a.session "
	    "FROM attempt a "
	    "LEFT JOIN tx o ON o.id = a.tx WHERE a.evpid = ? ORDER BY a.id",
	[MQ_EVENTS] = "SELECT " MODEL_EVENT_COLS " FROM event "
	    "WHERE s = ? ORDER BY id",
	/* A session id, or one only maillog names (mta lines). */
	[MQ_SID] = "SELECT EXISTS (SELECT 1 FROM session WHERE sid = ?1) OR "
	    "EXISTS (SELECT 1 FROM outcome WHERE sid = ?1)",
	[MQ_LAST] = "SELECT coalesce(max(id), 0) FROM event",
	[MQ_LAST_OUTCOME] = "SELECT coalesce(max(id), 0) FROM outcome",
	[MQ_LAST_TIME] = "SELECT coalesce((SELECT t FROM event WHERE t IS NOT "
	    "NULL ORDER BY id DESC LIMIT 1), 0)",
	[MQ_ANY_OUTCOME] = "SELECT EXISTS (SELECT 1 FROM outcome)",
	/* The envelopes from ?1 committed in [?2, ?3]. */
	[MQ_NEW_OUTCOMES] = "SELECT evpid, bounce_evpid, msgid FROM outcome "
	    "WHERE id > ? AND id <= ? ORDER BY id",
	[MQ_MSG_LIVES] = "SELECT evpid FROM envelope WHERE evpid IN ("
	    DB_MSGID_EVPIDS("?1") ") ORDER BY t",
	[MQ_VERSION] = "PRAGMA data_version",
	[MQ_LIFE_EVPID] = "SELECT " MODEL_LIFE_COLS " " MODEL_LIFE_FROM
	    " AND v.evpid = ?",
	[MQ_LIFE_REJ] = "SELECT " MODEL_REJ_COLS " " MODEL_REJ_FROM
	    " AND v.rcpt = ?",
	[MQ_BEGIN] = "BEGIN",
	[MQ_END] = "COMMIT",
	[MQ_OUTCOMES] = "SELECT kind, t, sid, result, stat, relay, mda_user, "
	    "agent, attempt, refusal, id, t_estimated FROM outcome WHERE "
	    "evpid = ? AND kind IN ('mta', 'mda', 'expire', 'remove') "
	    "ORDER BY t IS NULL, t, id",
	/* A refused MAIL FROM, by its id, with the command it answered. */
	[MQ_OC_REFUSAL] = "SELECT coalesce(f.id, 0), coalesce(f.t, r.t), r.t, "
	    "r.reply, r.result, r.session FROM out_refusal r "
	    "LEFT JOIN event f ON f.id = coalesce(r.event, (SELECT max(e.id) "
	    "FROM event e WHERE e.s = r.session AND e.t <= r.t AND "
	    "e.k % 64 = 47 AND e.x LIKE 'MAIL FROM:%')) WHERE r.id = ?",
	/* The refusals the writer gave the life (life_refusal). */
	[MQ_BOUNCE_LIFE] = "SELECT status, msgid, reply, t FROM life "
	    "WHERE evpid = ?",
	[MQ_BOUNCE_CAUSES] = "SELECT evpid, bounce_exact, bounce_queue, "
	    "status, msgid, reply, t FROM life WHERE bounce = ? ORDER BY t, "
	    "evpid",
	[MQ_CHANGES] = "SELECT l.evpid, l.rcpt FROM life_change c JOIN life l "
	    "ON l.id = c.life WHERE c.id > ? AND c.id <= ? ORDER BY c.t, c.id",
	[MQ_LAST_CHANGE] = "SELECT coalesce(max(id), 0) FROM life_change",
	[MQ_SPLIT_COUNT] = "SELECT count(*) FROM life WHERE t >= ?1 AND "
	    "t <= ?2",
	[MQ_SPLIT_TIMES] = "SELECT t FROM life WHERE t >= ?1 AND t <= ?2 "
	    "ORDER BY t",
	/* The state a life took last at or before ?2 (trace --at). */
	[MQ_STATE_AT] = "SELECT c.status, c.reply, c.t FROM life l JOIN "
	    "life_change c ON c.life = l.id WHERE l.evpid = ?1 AND c.t <= ?2 "
	    "ORDER BY c.t DESC, c.id DESC LIMIT 1",
	[MQ_STATE_AT_REJ] = "SELECT c.status, c.reply, c.t FROM life l JOIN "
	    "life_change c ON c.life = l.id WHERE l.rcpt = ?1 AND l.evpid IS "
	    "NULL AND c.t <= ?2 ORDER BY c.t DESC, c.id DESC LIMIT 1",
	/*
	 * The smtp-out sessions that failed before a transaction in
	 * [?2, ?3] (model_wait.c), grouped, the latest first: whether an
	 * mta line names them with envelope ?1, whether a refused MAIL
	 * FROM of theirs was given to it.
	 */
	[MQ_WAIT_FAILED] = "SELECT s.dest, s.outcome, (SELECT coalesce(e.x, "
	    "CAST(e.raw AS TEXT)) FROM event e WHERE e.id = s.reason), "
	    "count(*), min(s.t_start), max(s.t_start), s.sid IN (SELECT o.sid "
	    "FROM outcome o WHERE o.evpid = ?1 AND o.kind = 'mta'), s.id IN "
	    "(SELECT r.session FROM life_refusal g JOIN out_refusal r ON "
	    "r.id = g.refusal WHERE g.evpid = ?1) FROM session s WHERE "
	    MODEL_FAILED_SQL("s") " AND s.t_start >= ?2 AND s.t_start <= ?3 "
	    "GROUP BY 1, 2, 3, 7, 8 ORDER BY 6 DESC",
	[MQ_WAIT_FIRST] = SQL_WAIT_FIRST,
	[MQ_GIVEN] = "SELECT g.refusal FROM life_refusal g JOIN out_refusal r "
	    "ON r.id = g.refusal WHERE g.evpid = ? ORDER BY r.t, r.id",
};

/*
 * A session id: the lives of its transactions, of its attempts (report
 * or maillog), and of the refused MAIL FROM the writer gave to a
 * waiting envelope (life_refusal).  Each branch by index, so that the
 * view is built only for those lives.
 */
#define SQL_SID "v.evpid IN (SELECT ?# UNION ALL SELECT x.evpid FROM " \
	"session s JOIN tx t ON t.session = s.id JOIN envelope x ON " \
	"x.msgid = t.msgid AND x.tx = t.id WHERE s.sid = ?# UNION ALL " \
	"SELECT a.evpid FROM session s JOIN attempt a ON a.session = s.id " \
	"WHERE s.sid = ?# UNION ALL SELECT o.evpid FROM outcome o WHERE " \
	"o.sid = ?# AND o.evpid IS NOT NULL UNION ALL SELECT g.evpid FROM " \
	"session s JOIN out_refusal f ON f.session = s.id JOIN " \
	"life_refusal g ON g.refusal = f.id WHERE s.sid = ?#)"

/*
 * An address: by the rcpt or tx row (rcpt_address, tx_from); the few
 * envelopes seen only on smtp-out take it from their first attempt.
 */
#define SQL_ORPHAN "SELECT x.evpid FROM envelope x WHERE (x.tx IS NULL " \
	"OR x.rcpt IS NULL) AND "
#define SQL_TO "v.evpid IN (SELECT x.evpid FROM rcpt r JOIN envelope x " \
	"ON x.rcpt = r.id WHERE r.address = ?# COLLATE NOCASE UNION ALL " \
	SQL_ORPHAN "(SELECT a.address FROM attempt a WHERE a.evpid = " \
	"x.evpid ORDER BY a.id LIMIT 1) = ?# COLLATE NOCASE)"
#define SQL_FROM "v.evpid IN (SELECT x.evpid FROM tx t JOIN envelope x " \
	"ON x.msgid = t.msgid AND x.tx = t.id WHERE t.mail_from = ?# " \
	"COLLATE NOCASE UNION ALL " SQL_ORPHAN "x.tx IS NULL AND (SELECT " \
	"o.mail_from FROM attempt a JOIN tx o ON o.id = a.tx WHERE " \
	"a.evpid = x.evpid ORDER BY a.id LIMIT 1) = ?# COLLATE NOCASE)"

/*
 * ip: the client's or a relay's address on the term's host, with any
 * port or none, IPv6 in brackets or not: more than the term may match
 * (its port, a longer address); model_query_match() decides.
 */
#define SQL_HOST(a)	"(" a " LIKE ?# || '%' OR " a " LIKE '[' || ?# || ']%')"
#define SQL_CLIENT	"EXISTS (SELECT 1 FROM session s WHERE s.id = " \
	"vt.session AND " SQL_HOST("s.src") ")"
#define SQL_RELAY	"EXISTS (SELECT 1 FROM attempt a JOIN session s ON " \
	"s.id = a.session WHERE a.evpid = v.evpid AND " SQL_HOST("s.dest") ")"

/* A session's outcome, a life's by its sessions (outcome:). */
#define SQL_OUTCOME_IN	"EXISTS (SELECT 1 FROM session s WHERE s.id = " \
	"vt.session AND s.outcome LIKE ?#)"
#define SQL_OUTCOME_OUT	"EXISTS (SELECT 1 FROM attempt a JOIN session s ON " \
	"s.id = a.session WHERE a.evpid = v.evpid AND s.outcome LIKE ?#)"

/*
 * A session s with no life of its own: no envelope of its transactions
 * has a life, nor a recipient it refused, nor is it an attempt's, nor
 * was a MAIL FROM it had refused given to a life (life_refusal).
 */
#define SQL_ALONE "SELECT " MODEL_SESSION_COLS("s") " FROM session s " \
	"WHERE NOT EXISTS (SELECT 1 FROM tx t JOIN envelope x ON x.msgid = " \
	"t.msgid AND x.tx = t.id JOIN life v ON v.evpid = x.evpid WHERE " \
	"t.session = s.id) AND NOT EXISTS (SELECT 1 FROM tx t JOIN rcpt r " \
	"ON r.tx = t.id JOIN life v ON v.rcpt = r.id AND v.evpid IS NULL " \
	"WHERE t.session = s.id) AND NOT EXISTS (SELECT 1 FROM attempt a " \
	"WHERE a.session = s.id) AND NOT EXISTS (SELECT 1 FROM out_refusal " \
	"f JOIN life_refusal g ON g.refusal = f.id WHERE f.session = s.id)"

static const char *model_sql_fragment(const struct model_iter *, size_t, int);
static const char *model_sql_alone_fragment(const struct model_term *);

/* The fixed statements, prepared on first use (model_sql_stmt()). */
void
model_sql_init(struct model *m)
{
	db_statements(&m->db, model_sql_stmts, MQ_MAX);
}

/* Fixed statement n, reset and unbound; NULL with the reason kept. */
sqlite3_stmt *
model_sql_stmt(struct model *m, enum model_stmt n)
{
	return db_stmt(&m->db, n);
}

/*
 * Whether id names a session, or one only maillog names: 1 or 0, -1 on
 * an error (kept).
 */
int
model_sql_sid(struct model *m, uint64_t id)
{
	sqlite3_stmt	*s;

	if ((s = model_sql_stmt(m, MQ_SID)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)id);
	if (sqlite3_step(s) != SQLITE_ROW)
		return model_sql_error(m);
	return sqlite3_column_int(s, 0);
}

/* Keep the database's last error as the reason the model failed: -1. */
int
model_sql_error(struct model *m)
{
	return db_fail(&m->db, "%s", sqlite3_errmsg(m->db.h));
}

/* The one value of fixed statement n into *v: 0, or -1 with the reason. */
int
model_sql_value(struct model *m, enum model_stmt n, int64_t *v)
{
	sqlite3_stmt	*s;

	if ((s = model_sql_stmt(m, n)) == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_ROW)
		return model_sql_error(m);
	*v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/*
 * An event row (MODEL_EVENT_COLS from column 0) into e, its text in
 * the row (until the next step); the session is the caller's to fill
 * in.  The stored offsets are read, not the columns t and k computed
 * from them: the computation cost each row of a life's events 2.8% of
 * an export's instructions.  A line without a time keeps t 0.
 */
void
model_sql_event_row(sqlite3_stmt *s, struct model_event *e)
{
	sqlite3_value	*v;
	int64_t		 k;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(s, 0);
	v = sqlite3_column_value(s, 1);
	if (sqlite3_value_type(v) != SQLITE_NULL)
		e->t = sqlite3_value_int64(v) + DB_T_OFF;
	k = sqlite3_column_int64(s, 2) + DB_K_OFF;
	proto_kind_split(k, &e->event, &e->dir, &e->minor);
	v = sqlite3_column_value(s, 3);
	e->has_msgid = sqlite3_value_type(v) != SQLITE_NULL;
	e->msgid = (uint32_t)sqlite3_value_int64(v);
	v = sqlite3_column_value(s, 4);
	if (sqlite3_value_type(v) == SQLITE_NULL)
		v = sqlite3_column_value(s, 5);
	e->text = (const char *)sqlite3_value_blob(v);
	e->len = sqlite3_value_bytes(v);
}

/* The same, its text in arena a. */
void
model_sql_event(sqlite3_stmt *s, struct arena *a, struct model_event *e)
{
	model_sql_event_row(s, e);
	e->text = arena_strndup(a, e->text, e->len);
	if (e->text == NULL)
		e->text = "";
}

/*
 * The session of MODEL_SESSION_COLS() from column i of row st into *s,
 * its strings in arena a: 1, or 0 (zeroed) when there is none.
 */
int
model_sql_session(sqlite3_stmt *st, int i, struct arena *a,
    struct model_session *s)
{
	memset(s, 0, sizeof(*s));
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return 0;
	s->id = sqlite3_column_int64(st, i);
	s->sid = (uint64_t)sqlite3_column_int64(st, i + 1);
	s->dir = sqlite3_column_int(st, i + 2);
	s->t_start = sqlite3_column_int64(st, i + 3);
	s->t_end = db_col_int(st, i + 4, 0);
	s->end_reason = model_sql_text(a, st, i + 5);
	s->rdns = model_sql_text(a, st, i + 6);
	s->fcrdns = model_sql_text(a, st, i + 7);
	s->src = model_sql_text(a, st, i + 8);
	s->dest = model_sql_text(a, st, i + 9);
	s->helo = model_sql_text(a, st, i + 10);
	s->tls = model_sql_text(a, st, i + 11);
	s->auth_user = model_sql_text(a, st, i + 12);
	s->has_auth = sqlite3_column_type(st, i + 13) != SQLITE_NULL;
	s->auth_result = sqlite3_column_int(st, i + 13);
	s->outcome = model_sql_text(a, st, i + 14);
	s->reason = db_col_int(st, i + 15, 0);
	s->mail_from = model_sql_text(a, st, i + 16);
	return 1;
}

/* Column i copied into arena a; NULL for NULL. */
const char *
model_sql_text(struct arena *a, sqlite3_stmt *s, int i)
{
	const char	*p;

	if ((p = (const char *)sqlite3_column_text(s, i)) == NULL)
		return NULL;
	return arena_strndup(a, p, sqlite3_column_bytes(s, i));
}


/*
 * The SQL condition of term i on a life v (MODEL_LIFE_FROM): "0" when
 * no life of the kind (rej: refused at smtp-in) can hold it.  A refused
 * recipient's addresses are those the writer copied from its rcpt and
 * tx rows: matched there, by their indexes.
 */
static const char *
model_sql_fragment(const struct model_iter *it, size_t i, int rej)
{
	const struct model_term *t = &it->q->terms[i];

	switch (t->kind) {
	case TERM_ID16:
		if (!it->is_sid[i])
			return rej ? "0" : "v.evpid = ?#";
		/* By the refused recipient's tx: its index, not a scan. */
		return rej ? "vr.tx IN (SELECT t.id FROM session s JOIN tx t "
		    "ON t.session = s.id WHERE s.sid = ?#)" : SQL_SID;
	case TERM_MSGID:
		/* By the message's envelopes, or the refused one's tx. */
		return rej ? "v.msgid = ?# AND vr.tx IN (SELECT id FROM tx "
		    "WHERE msgid = ?#)" : "v.msgid = ?# AND v.evpid IN ("
		    DB_MSGID_EVPIDS("?#") ")";
	case TERM_FROM:
		return t->domain ? "v.mail_from LIKE ?# ESCAPE '\\'" :
		    rej ? "vt.mail_from = ?# COLLATE NOCASE" : SQL_FROM;
	case TERM_TO:
		return t->domain ? "v.rcpt_to LIKE ?# ESCAPE '\\'" :
		    rej ? "vr.address = ?# COLLATE NOCASE" : SQL_TO;
	case TERM_IP:
		return rej ? SQL_CLIENT : "(" SQL_CLIENT " OR " SQL_RELAY ")";
	case TERM_HELO:
		return "EXISTS (SELECT 1 FROM session s WHERE s.id = "
		    "vt.session AND s.helo = ?# COLLATE NOCASE)";
	case TERM_STATUS:
		if (rej)
			return t->status == LIFE_REJECTED ? "1" : "0";
		return "v.status = ?#";	/* the life's, as kept */
	case TERM_SINCE:
		return "v.t >= ?#";
	case TERM_UNTIL:
		return "v.t <= ?#";
	case TERM_OUTCOME:
		return rej ? SQL_OUTCOME_IN : "(" SQL_OUTCOME_IN " OR "
		    SQL_OUTCOME_OUT ")";
	}
	return "0";
}

/*
 * The SQL condition of term t on a session s with no life of its own
 * (SQL_ALONE): "0" when no such session can hold it.  Its client, HELO
 * and refused sender on smtp-in, its relay on smtp-out.
 */
static const char *
model_sql_alone_fragment(const struct model_term *t)
{
	switch (t->kind) {
	case TERM_ID16:
		return "s.sid = ?#";
	case TERM_FROM:
		return t->domain ? "s.mail_from IS NOT NULL AND s.mail_from "
		    "LIKE ?# ESCAPE '\\'" : "s.mail_from = ?# COLLATE NOCASE";
	case TERM_IP:
		return "((s.dir = 0 AND " SQL_HOST("s.src") ") OR (s.dir = 1 "
		    "AND " SQL_HOST("s.dest") "))";
	case TERM_HELO:
		return "s.dir = 0 AND s.helo = ?# COLLATE NOCASE";
	case TERM_STATUS:
		return t->refused ? "s.outcome IS NOT NULL AND "
		    DB_OUTCOME_INDEXED("s.outcome") " AND s.outcome LIKE "
		    "'refused-%'" : "0";
	case TERM_OUTCOME:
		return "s.outcome LIKE ?#";
	case TERM_SINCE:
		return "s.t_start >= ?#";
	case TERM_UNTIL:
		return "s.t_start <= ?#";
	default:		/* a msgid, a recipient: no session alone */
		return "0";
	}
}

/*
 * The query of the sessions with no life of their own matching q's
 * terms into sql, in time order: 1, or 0 when a term rules out every
 * one of them.
 */
int
model_sql_alone(const struct model_query *q, struct buf *sql)
{
	const char	*f;
	size_t		 i;

	buf_set(sql, SQL_ALONE, strlen(SQL_ALONE));
	for (i = 0; i < q->n; i++) {
		f = model_sql_alone_fragment(&q->terms[i]);
		if (strcmp(f, "0") == 0)
			return 0;
		model_sql_append(sql, f, i + 1);
	}
	if (q->at != 0)		/* trace --at: the sessions begun then */
		buf_append(sql, " AND s.t_start <= ?100",
		    strlen(" AND s.t_start <= ?100"));
	buf_append(sql, " ORDER BY s.t_start, s.id",
	    strlen(" ORDER BY s.t_start, s.id"));
	return 1;
}

/* Append fragment f to sql, its '#' replaced by parameter number pn. */
void
model_sql_append(struct buf *sql, const char *f, size_t pn)
{
	char	num[24];
	int	n;

	buf_append(sql, " AND ", 5);
	for (; *f != '\0'; f++) {
		if (*f != '#') {
			buf_append(sql, f, 1);
			continue;
		}
		/* Only the term's parameter number goes in: no values. */
		n = snprintf(num, sizeof(num), "%zu", pn);
		buf_append(sql, num, n);
	}
}

/*
 * The query of the lives of a kind (rej: refused at smtp-in) matching
 * its terms into sql, in time order: 1, or 0 when a term rules out
 * every life of the kind (nothing to ask).
 */
int
model_sql_compose(struct model_iter *it, int rej, struct buf *sql)
{
	const char	*head, *f;
	size_t		 i;

	head = rej ? "SELECT " MODEL_REJ_COLS " " MODEL_REJ_FROM :
	    "SELECT " MODEL_LIFE_COLS " " MODEL_LIFE_FROM;
	buf_set(sql, head, strlen(head));
	for (i = 0; i < it->q->n; i++) {
		f = model_sql_fragment(it, i, rej);
		if (strcmp(f, "0") == 0)
			return 0;
		model_sql_append(sql, f, i + 1);
	}
	/* the id too: lives first seen at once, in one order any plan */
	buf_append(sql, " ORDER BY v.t, v.id", strlen(" ORDER BY v.t, v.id"));
	return 1;
}

/* Bind each term's value to its parameter number (s NULL: none). */
void
model_sql_bind(sqlite3_stmt *s, const struct model_query *q)
{
	const struct model_term *t;
	struct buf	 pat = { NULL, 0, 0 };
	const char	*c, *h, *port;
	size_t		 i, len;
	int		 pn;

	if (s == NULL)
		return;
	for (i = 0; i < q->n; i++) {
		t = &q->terms[i];
		pn = (int)i + 1;
		if (t->kind == TERM_ID16)
			sqlite3_bind_int64(s, pn, (int64_t)t->id);
		else if (t->kind == TERM_MSGID)
			sqlite3_bind_int64(s, pn, (int32_t)(uint32_t)t->id);
		else if (t->kind == TERM_SINCE || t->kind == TERM_UNTIL)
			sqlite3_bind_int64(s, pn, t->t);
		else if (t->kind == TERM_STATUS)
			sqlite3_bind_int(s, pn, t->status);
		else if (t->kind == TERM_OUTCOME)
			sqlite3_bind_text(s, pn, t->refused ? "refused-%" :
			    t->s, -1, SQLITE_STATIC);
		else if ((t->kind == TERM_FROM || t->kind == TERM_TO) &&
		    t->domain) {
			/* "%@domain", with LIKE's own characters escaped */
			buf_set(&pat, "%", 1);
			for (c = t->s; *c != '\0'; c++) {
				if (*c == '%' || *c == '_' || *c == '\\')
					buf_append(&pat, "\\", 1);
				buf_append(&pat, c, 1);
			}
			sqlite3_bind_text(s, pn, pat.p, pat.len,
			    SQLITE_TRANSIENT);
		} else if (t->kind == TERM_IP &&
		    (h = model_query_host(t->s, &len, &port)) != NULL)
			sqlite3_bind_text(s, pn, h, len, SQLITE_STATIC);
		else if (t->s != NULL)
			sqlite3_bind_text(s, pn, t->s, -1, SQLITE_STATIC);
	}
	buf_free(&pat);
}
