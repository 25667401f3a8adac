/*
 * model.c: the envelope life read model: the database handle, its
 * statements, and iterating lives in time order from two cursors
 * (envelopes, recipients refused at smtp-in) composed for a query.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static const char *const model_sql[MQ_MAX] = {
	[MQ_SESSION] = "SELECT id, sid, dir, t_start, t_end, end_reason, "
	    "rdns, fcrdns, src, dest, helo, tls, auth_user FROM session "
	    "WHERE id = ?",
	[MQ_ATTEMPTS] = "SELECT a.id, coalesce(o.t_begin, a.t), a.t_end, "
	    "a.address, a.result, a.reply, a.session, a.remote_id "
	    "FROM attempt a "
	    "LEFT JOIN tx o ON o.id = a.tx WHERE a.evpid = ? ORDER BY a.id",
	[MQ_EVENTS] = "SELECT id, t, k, m, x, raw FROM event WHERE s = ? "
	    "ORDER BY id",
	/* A session id, or one only maillog names (mta lines). */
	[MQ_SID] = "SELECT EXISTS (SELECT 1 FROM session WHERE sid = ?1) OR "
	    "EXISTS (SELECT 1 FROM outcome WHERE sid = ?1)",
	[MQ_LAST] = "SELECT coalesce(max(id), 0) FROM event",
	[MQ_LAST_OUTCOME] = "SELECT coalesce(max(id), 0) FROM outcome",
	[MQ_ANY_OUTCOME] = "SELECT EXISTS (SELECT 1 FROM outcome)",
	/* The envelopes from ?1 committed in [?2, ?3]. */
	[MQ_BOUNCE_LATER] = "SELECT x.evpid FROM tx t JOIN envelope x ON "
	    "x.msgid = t.msgid AND x.tx = t.id WHERE t.mail_from = ?1 COLLATE "
	    "NOCASE AND t.t_commit >= ?2 AND t.t_commit <= ?3 ORDER BY x.t, "
	    "x.evpid LIMIT 16",
	[MQ_NEW_OUTCOMES] = "SELECT evpid, bounce_evpid, msgid FROM outcome "
	    "WHERE id > ? AND id <= ? ORDER BY id",
	[MQ_MSG_LIVES] = "SELECT evpid FROM envelope WHERE msgid = ? "
	    "ORDER BY t",
	[MQ_VERSION] = "PRAGMA data_version",
	[MQ_REFUSED] = "SELECT coalesce(f.id, 0), coalesce(f.t, r.t), r.t, "
	    "r.reply, r.session FROM out_refusal r JOIN session s "
	    "ON s.id = r.session LEFT JOIN event f ON f.id = coalesce(r.event, "
	    "(SELECT max(e.id) FROM event e WHERE e.s = r.session AND "
	    "e.t <= r.t AND e.k % 64 = 47 AND e.x LIKE 'MAIL FROM:%')) WHERE "
	    "r.mail_from = ?4 AND r.t > ?3 AND r.t <= ?2 AND s.dir = 1 AND "
	    "s.t_start >= ?1 AND s.t_start <= ?2 AND (s.t_end IS NULL OR "
	    "s.t_end >= ?3) ORDER BY r.t",
	[MQ_OTHERS] = "SELECT t.msgid FROM tx t JOIN session s "
	    "ON s.id = t.session WHERE t.mail_from = ?1 COLLATE NOCASE AND "
	    "t.mail_from = ?1 AND s.dir = 0 AND t.t_commit >= ?2 AND "
	    "t.t_commit < ?3 AND t.msgid != ?4 AND EXISTS (SELECT 1 FROM "
	    "envelope x WHERE x.msgid = t.msgid AND x.tx = t.id AND NOT "
	    "EXISTS (SELECT 1 FROM attempt a WHERE a.evpid = x.evpid AND "
	    "a.result IN (0, 2) AND a.t_end <= ?5)) LIMIT 1",
	[MQ_DOMAINS] = "SELECT 1 FROM envelope x LEFT JOIN rcpt r "
	    "ON r.id = x.rcpt WHERE x.msgid = ?1 AND x.evpid != ?2 AND "
	    "(r.address IS NULL OR lower(substr(r.address, instr(r.address, "
	    "'@'))) != lower(?3)) AND NOT EXISTS (SELECT 1 FROM attempt a "
	    "WHERE a.evpid = x.evpid AND a.result IN (0, 2) AND "
	    "a.t_end <= ?4) LIMIT 1",
	[MQ_REFUSED_AT] = "SELECT t, mail_from FROM v_mail_refused "
	    "WHERE session_id = ? AND reply_id = ?",
	[MQ_CHANGES] = "SELECT id, t, k, s, m, x FROM event WHERE id > ? AND "
	    "id <= ? AND k % 64 IN (7, 10, 34, 48) ORDER BY id",
	[MQ_TX_LIVES] = "SELECT evpid_n FROM v_life WHERE tx_in = (SELECT id "
	    "FROM tx WHERE session = ? AND msgid = ? ORDER BY id DESC "
	    "LIMIT 1) ORDER BY t",
	[MQ_TX_REJ] = "SELECT rcpt_id FROM v_life_rejected WHERE tx_in = "
	    "(SELECT id FROM tx WHERE session = ? AND msgid = ? ORDER BY id "
	    "DESC LIMIT 1) AND t = ?",
	[MQ_SETTLED] = "SELECT DISTINCT evpid FROM attempt WHERE session = ? "
	    "AND t_end = ? AND result IS NOT NULL",
	[MQ_LIFE_EVPID] = "SELECT " MODEL_LIFE_COLS " FROM v_life "
	    "WHERE evpid_n = ?",
	[MQ_LIFE_REJ] = "SELECT " MODEL_REJ_COLS " FROM v_life_rejected "
	    "WHERE rcpt_id = ?",
	[MQ_WAITING] = "SELECT x.evpid FROM tx t JOIN session s "
	    "ON s.id = t.session JOIN envelope x ON x.msgid = t.msgid AND "
	    "x.tx = t.id WHERE t.mail_from = ?1 COLLATE NOCASE AND "
	    "t.mail_from = ?1 AND s.dir = 0 AND t.t_commit >= ?2 AND "
	    "t.t_commit < ?3 AND NOT EXISTS (SELECT 1 FROM attempt a WHERE "
	    "a.evpid = x.evpid AND a.result IN (0, 2) AND a.t_end <= ?3) "
	    "ORDER BY x.t",
	[MQ_BEGIN] = "BEGIN",
	[MQ_END] = "COMMIT",
	[MQ_OUTCOMES] = "SELECT kind, t, sid, result, stat, relay, mda_user, "
	    "agent FROM outcome WHERE evpid = ? AND kind IN ('mta', 'mda', "
	    "'expire', 'remove') ORDER BY t IS NULL, t, id",
	[MQ_OC_REFUSAL] = "SELECT f.id, f.t, r.t, r.reply, r.result, "
	    "r.session FROM out_refusal r JOIN session s ON s.id = r.session "
	    "LEFT JOIN event f ON f.id = (SELECT max(e.id) FROM event e "
	    "WHERE e.s = r.session AND e.t <= r.t AND e.k % 64 = 47 AND "
	    "e.x LIKE 'MAIL FROM:%') WHERE s.sid = ?1 AND s.dir = 1 "
	    "ORDER BY abs(r.t - ?2) LIMIT 1",
	[MQ_BOUNCE_LINE] = "SELECT t, bounce_evpid FROM outcome WHERE "
	    "kind = 'bounce' AND evpid = ? ORDER BY t IS NULL, t, id LIMIT 1",
	/*
	 * By address and time (rcpt_address): an address may have a great
	 * many bounces, and a busy server many sessions in the window.
	 */
	[MQ_BOUNCE_MSG] = "SELECT e.evpid FROM rcpt r JOIN tx t "
	    "ON t.id = r.tx JOIN session s ON s.id = t.session JOIN envelope e "
	    "ON e.rcpt = r.id WHERE r.address = ?1 COLLATE NOCASE AND "
	    "r.t >= ?2 - 60000000 AND r.t <= ?3 AND s.t_start >= ?2 - 60000000 "
	    "AND s.t_start <= ?3 AND s.dir = 0 AND s.src LIKE 'unix:%' AND "
	    "t.mail_from = '' AND t.t_commit >= ?2 AND t.t_commit <= ?3 AND "
	    "r.result = 0 ORDER BY s.t_start, e.evpid LIMIT 1",
	/* The last bounce message to ?1 committed in [?2, ?3). */
	[MQ_BOUNCE_PREV] = "SELECT t.t_commit FROM rcpt r JOIN tx t "
	    "ON t.id = r.tx JOIN session s ON s.id = t.session WHERE "
	    "r.address = ?1 COLLATE NOCASE AND r.t >= ?2 - 60000000 AND "
	    "r.t < ?3 AND s.t_start >= ?2 - 60000000 AND s.t_start < ?3 AND "
	    "s.dir = 0 AND s.src LIKE 'unix:%' AND t.mail_from = '' AND "
	    "t.t_commit >= ?2 AND t.t_commit < ?3 AND r.result = 0 "
	    "ORDER BY s.t_start DESC LIMIT 1",
	/*
	 * The failures in [?4, ?3] whose sender is ?1, with their times:
	 * bounce lines, maillog failures and expiries, permanent attempts,
	 * and the envelopes of the sender committed shortly before a
	 * refused MAIL FROM (the inferred refusal's own window).
	 */
	[MQ_BOUNCE_CAUSES] = "SELECT DISTINCT c.evpid, c.t FROM (SELECT "
	    "o.evpid AS evpid, o.t AS t FROM outcome o WHERE o.t >= ?4 AND "
	    "o.t <= ?3 AND (o.kind IN ('bounce', 'expire') OR (o.kind IN "
	    "('mta', 'mda') AND o.result = 2)) UNION ALL SELECT a.evpid, "
	    "a.t_end FROM attempt a WHERE a.t >= ?4 - 60000000 AND "
	    "a.t <= ?3 AND a.result = 2 AND a.t_end >= ?4 UNION ALL SELECT "
	    "x.evpid, f.t FROM out_refusal f JOIN tx u ON u.mail_from = ?1 "
	    "COLLATE NOCASE AND u.t_commit >= f.t - 600000000 AND "
	    "u.t_commit <= f.t + 60000000 JOIN envelope x ON x.msgid = u.msgid "
	    "AND x.tx = u.id AND "
	    "x.t >= f.t - 600000000 AND x.t <= f.t WHERE f.mail_from = ?1 AND "
	    "f.result = 2 AND f.t >= ?4 AND f.t <= ?3) c "
	    "JOIN envelope e ON e.evpid = c.evpid "
	    "JOIN tx t ON t.id = e.tx WHERE t.mail_from = ?1 COLLATE NOCASE "
	    "ORDER BY c.t DESC LIMIT 64",
};

static struct model_iter *model_iter_new(struct model *,
		    const struct model_query *, int);
static sqlite3_stmt *model_next_row(struct model_iter *, int *);
static int	model_step_cursor(struct model_iter *, sqlite3_stmt *, int *);

/*
 * The database read-only; NULL with *cause (the caller frees it) saying
 * why not.
 */
struct model *
model_open(const char *path, char **cause)
{
	struct model	*m;

	m = xcalloc(1, sizeof(*m));
	if (db_open(&m->db, path, 0, 0) == -1) {
		*cause = xstrdup(db_error(&m->db));
		model_close(m);
		return NULL;
	}
	db_statements(&m->db, model_sql, MQ_MAX);
	return m;
}

void
model_close(struct model *m)
{
	if (m == NULL)
		return;
	db_close(&m->db);
	free(m);
}

/* Why the last call failed. */
const char *
model_error(const struct model *m)
{
	return db_error(&m->db);
}

/* A fixed statement, prepared on first use and reset for reuse. */
sqlite3_stmt *
model_stmt(struct model *m, enum model_stmt n)
{
	return db_stmt(&m->db, n);
}

const char *
model_col_text(struct arena *a, sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	return arena_strndup(a, (const char *)sqlite3_column_text(s, i),
	    sqlite3_column_bytes(s, i));
}

int64_t
model_col_int(sqlite3_stmt *s, int i, int64_t dflt)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return dflt;
	return sqlite3_column_int64(s, i);
}

int64_t
model_last_event(struct model *m)
{
	sqlite3_stmt	*s;
	int64_t		 id;

	if ((s = model_stmt(m, MQ_LAST)) == NULL ||
	    sqlite3_step(s) != SQLITE_ROW)
		return -1;
	id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

/* The last event and maillog line stored: 0 on success. */
int
model_last(struct model *m, struct model_pos *pos)
{
	sqlite3_stmt	*s;

	if ((pos->event = model_last_event(m)) == -1 ||
	    (s = model_stmt(m, MQ_LAST_OUTCOME)) == NULL ||
	    sqlite3_step(s) != SQLITE_ROW)
		return -1;
	pos->outcome = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/*
 * The next range after from, up to hi, at most chunk rows of each
 * kind, into to: 1 if there is one, 0 when from has reached hi.
 */
int
model_pos_step(const struct model_pos *from, const struct model_pos *hi,
    int64_t chunk, struct model_pos *to)
{
	to->event = hi->event - from->event > chunk ? from->event + chunk :
	    hi->event;
	to->outcome = hi->outcome - from->outcome > chunk ?
	    from->outcome + chunk : hi->outcome;
	return from->event < hi->event || from->outcome < hi->outcome;
}

/* Changes whenever another connection commits: cheap to poll. */
int
model_data_version(struct model *m)
{
	sqlite3_stmt	*s;

	int		 v;

	if ((s = model_stmt(m, MQ_VERSION)) == NULL ||
	    sqlite3_step(s) != SQLITE_ROW)
		return -1;
	v = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return v;
}

/* One read transaction: what follows sees one snapshot. */
int
model_begin(struct model *m)
{
	sqlite3_stmt	*s;

	if ((s = model_stmt(m, MQ_BEGIN)) == NULL)
		return -1;
	return sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
}

/* End the read transaction, and any a statement left open. */
void
model_end(struct model *m)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < MQ_MAX; i++)
		if (m->db.stmt[i] != NULL)
			sqlite3_reset(m->db.stmt[i]);
	if (!sqlite3_get_autocommit(m->db.h) &&
	    (s = model_stmt(m, MQ_END)) != NULL) {
		sqlite3_step(s);
		sqlite3_reset(s);
	}
}

static struct model_iter *
model_iter_new(struct model *m, const struct model_query *q, int flags)
{
	struct model_iter	*it;

	it = xcalloc(1, sizeof(*it));
	it->m = m;
	it->q = q;
	it->flags = flags;
	it->maillog = -1;
	return it;
}

/* Every life matching q, in time order. */
struct model_iter *
model_lives(struct model *m, const struct model_query *q, int flags)
{
	struct model_iter	*it = model_iter_new(m, q, flags);
	struct buf		 sql = { NULL, 0, 0 };
	sqlite3_stmt		*s;
	size_t			 i;
	int			 rej, rc = SQLITE_OK;

	/* Every life: originals come before their bounces. */
	it->complete = q->n == 0;
	for (i = 0; i < q->n; i++) {
		if (q->terms[i].kind != TERM_ID16 ||
		    (s = model_stmt(m, MQ_SID)) == NULL)
			continue;
		sqlite3_bind_int64(s, 1, (int64_t)q->terms[i].id);
		it->is_sid[i] = sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_int(s, 0);
	}
	for (rej = 0; rej < 2 && rc == SQLITE_OK; rej++) {
		model_sql_compose(it, rej, &sql);
		rc = sqlite3_prepare_v2(m->db.h, sql.p, -1,
		    rej ? &it->rej : &it->env, NULL);
	}
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		db_fail(&m->db, "%s", sqlite3_errmsg(m->db.h));
		model_iter_free(it);
		return NULL;
	}
	model_sql_bind(it->env, q);
	model_sql_bind(it->rej, q);
	if (model_step_cursor(it, it->env, &it->env_row) == -1 ||
	    model_step_cursor(it, it->rej, &it->rej_row) == -1)
		it->failed = 1;
	return it;
}

/*
 * The lives that events and maillog lines in (from, to] changed:
 * queued or aborted (smtp-in tx-reset), rejected (smtp-in tx-rcpt),
 * settled attempts, a refused MAIL FROM, then the envelopes the maillog
 * lines name.  Each life once, in the order of the rows; the caller
 * keeps the ranges small (export reads 1024 rows of each at a time).
 */
struct model_iter *
model_changes(struct model *m, const struct model_query *q, int flags,
    const struct model_pos *from, const struct model_pos *to)
{
	struct model_iter	*it = model_iter_new(m, q, flags);

	it->changes = 1;
	if (model_changes_collect(it, from->event, to->event) == -1 ||
	    model_changes_outcomes(it, from->outcome, to->outcome) == -1)
		it->failed = 1;
	return it;
}

static int
model_step_cursor(struct model_iter *it, sqlite3_stmt *s, int *row)
{
	int	rc;

	rc = sqlite3_step(s);
	*row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(&it->m->db, "%s", sqlite3_errmsg(it->m->db.h));
		return -1;
	}
	return 0;
}

/* The next row of the lives mode: the earlier of the two cursors. */
static sqlite3_stmt *
model_next_row(struct model_iter *it, int *which)
{
	if (!it->env_row && !it->rej_row)
		return NULL;
	if (it->env_row && (!it->rej_row || sqlite3_column_int64(it->env, 2)
	    <= sqlite3_column_int64(it->rej, 2))) {
		*which = 0;
		return it->env;
	}
	*which = 1;
	return it->rej;
}

/* The next matching life, or NULL at the end (or on error). */
const struct model_life *
model_next(struct model_iter *it)
{
	sqlite3_stmt	*row;
	int		 which = 0, rc;

	while (!it->failed) {
		arena_reset(&it->arena);
		if (it->changes)
			row = model_changes_row(it);
		else
			row = model_next_row(it, &which);
		if (row == NULL)
			return NULL;
		rc = model_life_build(it, row);
		if (!it->changes && model_step_cursor(it, row,
		    which ? &it->rej_row : &it->env_row) == -1)
			it->failed = 1;
		if (rc == -1) {
			it->failed = 1;
			break;
		}
		if (rc == 0 || !model_matches(it->q, &it->life))
			continue;
		if (model_bounce_links(it) == -1) {
			it->failed = 1;
			break;
		}
		if ((it->flags & MODEL_EVENTS) && model_life_events(it) == -1) {
			it->failed = 1;
			break;
		}
		return &it->life;
	}
	return NULL;
}

int
model_iter_failed(const struct model_iter *it)
{
	return it == NULL || it->failed;
}

void
model_iter_free(struct model_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->env);
	sqlite3_finalize(it->rej);
	arena_free(&it->arena);
	free(it->refs);
	free(it->attempts);
	free(it->events);
	free(it->outcomes);
	free(it->links);
	model_iter_free(it->sub);
	model_bounce_free(it);
	model_cache_free(it);
	free(it->keep);
	free(it->keep2);
	free(it);
}
