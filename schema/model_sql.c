/*
 * model_sql.c: the SQL of a query: one fixed fragment per term, with
 * only the term's parameter number put in (values are always bound),
 * over the life views.
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/*
 * status: narrows envelopes down by the views' status; a refused MAIL
 * FROM (model_refuse.c) can still make queued mail deferred or failed,
 * and any maillog line about the envelope can change it.
 */
#define SQL_OUTCOME	"EXISTS (SELECT 1 FROM outcome o WHERE " \
	"o.evpid = v.evpid_n)"

static const char *const sql_status[MODEL_NSTATUS] = {
	[MODEL_QUEUED] = "(v.status = 'queued' OR " SQL_OUTCOME ")",
	[MODEL_DELIVERED] = "(v.status = 'delivered' OR " SQL_OUTCOME ")",
	[MODEL_DEFERRED] = "(v.status IN ('queued', 'deferred') OR "
	    SQL_OUTCOME ")",
	[MODEL_FAILED] = "(v.status IN ('queued', 'deferred', 'failed') OR "
	    SQL_OUTCOME ")",
	[MODEL_REJECTED] = "0",
	[MODEL_ABORTED] = "v.status = 'aborted'",
	[MODEL_EXPIRED] = SQL_OUTCOME,
	[MODEL_REMOVED] = SQL_OUTCOME,
};

/*
 * A session id: the lives of its transactions, of its attempts (report
 * or maillog), and of the sender it refused (model_refuse.c gives the
 * refusal to one of the sender's waiting envelopes).  Each branch by
 * index, so that the view is built only for those lives.  The window
 * is MODEL_EXPIRE + MODEL_REFUSE_WINDOW.
 */
#define SQL_SID "v.evpid_n IN (SELECT ?# UNION ALL SELECT x.evpid FROM " \
	"session s JOIN tx t ON t.session = s.id JOIN envelope x ON " \
	"x.msgid = t.msgid AND x.tx = t.id WHERE s.sid = ?# UNION ALL " \
	"SELECT a.evpid FROM session s JOIN attempt a ON a.session = s.id " \
	"WHERE s.sid = ?# UNION ALL SELECT o.evpid FROM outcome o WHERE " \
	"o.sid = ?# AND o.evpid IS NOT NULL UNION ALL SELECT x.evpid FROM " \
	"session s JOIN out_refusal f ON f.session = s.id JOIN tx t ON " \
	"t.mail_from = f.mail_from COLLATE NOCASE AND t.t_commit >= f.t - " \
	"346200000000 AND t.t_commit <= f.t JOIN envelope x ON x.msgid = " \
	"t.msgid AND x.tx = t.id WHERE s.sid = ?#)"

/*
 * An address: by the rcpt or tx row (rcpt_address, tx_from); the few
 * envelopes seen only on smtp-out take it from their first attempt.
 */
#define SQL_ORPHAN "SELECT x.evpid FROM envelope x WHERE (x.tx IS NULL " \
	"OR x.rcpt IS NULL) AND "
#define SQL_TO "v.evpid_n IN (SELECT x.evpid FROM rcpt r JOIN envelope x " \
	"ON x.rcpt = r.id WHERE r.address = ?# COLLATE NOCASE UNION ALL " \
	SQL_ORPHAN "(SELECT a.address FROM attempt a WHERE a.evpid = " \
	"x.evpid ORDER BY a.id LIMIT 1) = ?# COLLATE NOCASE)"
#define SQL_FROM "v.evpid_n IN (SELECT x.evpid FROM tx t JOIN envelope x " \
	"ON x.msgid = t.msgid AND x.tx = t.id WHERE t.mail_from = ?# " \
	"COLLATE NOCASE UNION ALL " SQL_ORPHAN "x.tx IS NULL AND (SELECT " \
	"o.mail_from FROM attempt a JOIN tx o ON o.id = a.tx WHERE " \
	"a.evpid = x.evpid ORDER BY a.id LIMIT 1) = ?# COLLATE NOCASE)"

static const char *sql_fragment(const struct model_iter *, size_t, int);
static void	sql_append(struct buf *, const char *, size_t);

/* The SQL condition of term i on a life view row v. */
static const char *
sql_fragment(const struct model_iter *it, size_t i, int rej)
{
	const struct model_term *t = &it->q->terms[i];

	switch (t->kind) {
	case TERM_ID16:
		if (!it->is_sid[i])
			return rej ? "0" : "v.evpid_n = ?#";
		return rej ? "v.session_in IN (SELECT id FROM session WHERE "
		    "sid = ?#)" : SQL_SID;
	case TERM_MSGID:
		return "v.msgid_n = ?#";
	case TERM_FROM:
		return t->domain ? "v.mail_from LIKE ?# ESCAPE '\\'" :
		    rej ? "v.mail_from = ?# COLLATE NOCASE" : SQL_FROM;
	case TERM_TO:
		return t->domain ? "v.rcpt_to LIKE ?# ESCAPE '\\'" :
		    rej ? "v.rcpt_to = ?# COLLATE NOCASE" : SQL_TO;
	case TERM_IP:
		return rej ? "EXISTS (SELECT 1 FROM session s WHERE s.id = "
		    "v.session_in AND (s.src LIKE ?# || ':%' OR s.src LIKE "
		    "'[' || ?# || ']:%'))" : "(EXISTS (SELECT 1 FROM "
		    "session s WHERE s.id = v.session_in AND (s.src LIKE ?# "
		    "|| ':%' OR s.src LIKE '[' || ?# || ']:%')) OR EXISTS "
		    "(SELECT 1 FROM attempt a JOIN session s ON s.id = a.session "
		    "WHERE a.evpid = v.evpid_n AND (s.dest LIKE ?# || ':%' "
		    "OR s.dest LIKE '[' || ?# || ']:%')))";
	case TERM_HELO:
		return "EXISTS (SELECT 1 FROM session s WHERE s.id = "
		    "v.session_in AND s.helo = ?# COLLATE NOCASE)";
	case TERM_STATUS:
		if (rej)
			return t->status == MODEL_REJECTED ? "1" : "0";
		return sql_status[t->status];
	case TERM_SINCE:
		return "v.t >= ?#";
	case TERM_UNTIL:
		return "v.t <= ?#";
	}
	return "0";
}

/* Append fragment f to sql, its '#' replaced by parameter number pn. */
static void
sql_append(struct buf *sql, const char *f, size_t pn)
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

int
model_sql_compose(struct model_iter *it, int rej, struct buf *sql)
{
	size_t	i;

	const char	*head;

	head = rej ? "SELECT " MODEL_REJ_COLS " FROM v_life_rejected v WHERE 1" :
	    "SELECT " MODEL_LIFE_COLS " FROM v_life v WHERE 1";
	buf_set(sql, head, strlen(head));
	for (i = 0; i < it->q->n; i++)
		sql_append(sql, sql_fragment(it, i, rej), i + 1);
	buf_append(sql, " ORDER BY v.t", strlen(" ORDER BY v.t"));
	return 0;
}

/* Bind each term's value to its parameter number. */
void
model_sql_bind(sqlite3_stmt *s, const struct model_query *q)
{
	const struct model_term *t;
	struct buf	 pat = { NULL, 0, 0 };
	const char	*c;
	size_t		 i;
	int		 pn;

	for (i = 0; i < q->n; i++) {
		t = &q->terms[i];
		pn = (int)i + 1;
		if (t->kind == TERM_ID16)
			sqlite3_bind_int64(s, pn, (int64_t)t->id);
		else if (t->kind == TERM_MSGID)
			sqlite3_bind_int64(s, pn, (int32_t)(uint32_t)t->id);
		else if (t->kind == TERM_SINCE || t->kind == TERM_UNTIL)
			sqlite3_bind_int64(s, pn, t->t);
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
		} else if (t->s != NULL)
			sqlite3_bind_text(s, pn, t->s, -1, SQLITE_STATIC);
	}
	buf_free(&pat);
}
