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
 * life.c: each life's state, kept by the writer.  The lives whose
 * facts a transaction changed are marked (life_mark.c); before it
 * commits, life_flush() builds each again from its facts
 * (its envelope and smtp-in transaction, its attempts, the lines of
 * smtpd's maillog about it, a refused MAIL FROM given to it) and
 * writes its row of life and its changes of state.  life_status.c
 * decides the status; life_refuse.c gives refusals.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

static const char *const life_sql[LS_MAX] = {
	/* life_mark.c: the marks of the triggers. */
	[LS_DIRTY] = "SELECT evpid FROM temp.life_dirty",
	[LS_DIRTY_RCPT] = "SELECT id FROM temp.life_dirty_rcpt",
	[LS_DIRTY_CLEAR] = "DELETE FROM temp.life_dirty",
	[LS_DIRTY_CLEAR_RCPT] = "DELETE FROM temp.life_dirty_rcpt",
	[LS_ENVELOPE] = "SELECT e.msgid, e.t, e.tx, e.rcpt, t.t_begin, "
	    "t.t_commit, t.t_end, CASE WHEN e.tx IS NOT NULL THEN t.mail_from "
	    "ELSE (SELECT o.mail_from FROM attempt a JOIN tx o ON o.id = a.tx "
	    "WHERE a.evpid = e.evpid ORDER BY a.id LIMIT 1) END, "
	    "coalesce(r.address, (SELECT a.address FROM attempt a WHERE "
	    "a.evpid = e.evpid ORDER BY a.id LIMIT 1)), (SELECT s.src LIKE "
	    "'unix:%' FROM session s WHERE s.id = t.session) FROM envelope e "
	    "LEFT JOIN tx t ON t.id = e.tx LEFT JOIN rcpt r ON r.id = e.rcpt "
	    "WHERE e.evpid = ?",
	[LS_REJECTED] = "SELECT t.msgid, r.t, t.id, t.t_begin, t.mail_from, "
	    "r.address, r.reply FROM rcpt r JOIN tx t ON t.id = r.tx "
	    "WHERE r.id = ? AND r.result != 0",
	[LS_ATTEMPTS] = "SELECT a.id, coalesce(o.t_begin, a.t), a.t_end, "
	    "a.result, a.reply, a.remote_id, s.sid FROM attempt a "
	    "JOIN session s ON s.id = a.session LEFT JOIN tx o ON o.id = a.tx "
	    "WHERE a.evpid = ? ORDER BY a.id",
	[LS_OUTCOMES] = "SELECT id, kind, t, sid, result, stat, host, "
	    "attempt, refusal FROM outcome WHERE evpid = ? AND kind IN "
	    "('mta', 'mda', 'expire', 'remove') ORDER BY t IS NULL, t, id",
	/* The refused MAIL FROM of smtp-out session ?1 nearest ?2. */
	[LS_OC_REFUSAL] = "SELECT r.id, coalesce(f.t, r.t), r.t, r.reply, "
	    "r.result FROM out_refusal r JOIN session s ON s.id = r.session "
	    "LEFT JOIN event f ON f.id = coalesce(r.event, (SELECT max(e.id) "
	    "FROM event e WHERE e.s = r.session AND e.t <= r.t AND "
	    "e.k % 64 = 47 AND e.x LIKE 'MAIL FROM:%')) WHERE s.sid = ?1 AND "
	    "s.dir = 1 ORDER BY abs(r.t - ?2) LIMIT 1",
	[LS_OC_LINK] = "UPDATE outcome SET attempt = ?2, refusal = ?3 "
	    "WHERE id = ?1",
	[LS_FIND] = "SELECT id FROM life WHERE evpid = ?",
	[LS_FIND_RCPT] = "SELECT id FROM life WHERE rcpt = ? AND "
	    "evpid IS NULL",
	[LS_INSERT] = "INSERT INTO life(evpid, rcpt, msgid, tx, t, mail_from, "
	    "rcpt_to, status, t_status, reply, attempts, decisive, remote_id, "
	    "t_begin, t_accepted, t_first, t_final, host, outcome, refusal, "
	    "t_done, local, t_fail, bounce, bounce_exact, bounce_queue) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?22, ?23, ?24, ?25, ?26, ?27)",
	/* Written only if a column changes: a row's indexes cost most. */
	[LS_UPDATE] = "UPDATE life SET evpid = ?1, rcpt = ?2, msgid = ?3, "
	    "tx = ?4, t = ?5, mail_from = ?6, rcpt_to = ?7, status = ?8, "
	    "t_status = ?9, reply = ?10, attempts = ?11, decisive = ?12, "
	    "remote_id = ?13, t_begin = ?14, t_accepted = ?15, t_first = ?16, "
	    "t_final = ?17, host = ?18, outcome = ?19, refusal = ?20, "
	    "t_done = ?22, local = ?23, t_fail = ?24, bounce = ?25, "
	    "bounce_exact = ?26, bounce_queue = ?27 WHERE id = ?21 AND "
	    "(evpid, rcpt, msgid, tx, t, mail_from, rcpt_to, status, "
	    "t_status, reply, attempts, decisive, remote_id, t_begin, "
	    "t_accepted, t_first, t_final, host, outcome, refusal, t_done, "
	    "local, t_fail, bounce, bounce_exact, bounce_queue) IS NOT "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	    "?15, ?16, ?17, ?18, ?19, ?20, ?22, ?23, ?24, ?25, ?26, ?27)",
	[LS_REMOVE_CHANGES] = "DELETE FROM life_change WHERE life = ?",
	[LS_REMOVE_GIVEN] = "DELETE FROM life_refusal WHERE evpid = ?",
	[LS_REMOVE] = "DELETE FROM life WHERE id = ?",
	[LS_CHANGES] = "SELECT id, t, status, reply FROM life_change "
	    "WHERE life = ? ORDER BY id",
	[LS_CHANGE_DEL] = "DELETE FROM life_change WHERE life = ? AND id >= ?",
	[LS_CHANGE_ADD] = "INSERT INTO life_change(life, t, t_until, status, "
	    "reply) VALUES (?, ?, ?, ?, ?)",
	[LS_CHANGE_UNTIL] = "UPDATE life_change SET t_until = ? WHERE id = ?",
	[LS_GIVEN] = "SELECT refusal FROM life_refusal WHERE evpid = ? "
	    "ORDER BY refusal",
	[LS_GIVEN_ADD] = "INSERT OR IGNORE INTO life_refusal(evpid, refusal) "
	    "VALUES (?, ?)",
	/* life_refuse.c: see there. */
	[LS_REFUSED] = "SELECT r.id, coalesce(f.t, r.t), r.t, r.reply, "
	    "r.result, s.sid FROM out_refusal r JOIN session s "
	    "ON s.id = r.session LEFT JOIN event f ON f.id = coalesce(r.event, "
	    "(SELECT max(e.id) FROM event e WHERE e.s = r.session AND "
	    "e.t <= r.t AND e.k % 64 = 47 AND e.x LIKE 'MAIL FROM:%')) WHERE "
	    "r.mail_from = ?4 AND r.t > ?3 AND r.t <= ?2 AND s.dir = 1 AND "
	    "s.t_start >= ?1 AND s.t_start <= ?2 AND (s.t_end IS NULL OR "
	    "s.t_end >= ?3) ORDER BY r.t",
	/* Was a MAIL FROM of sender ?3 refused in (?1, ?2]? By its index. */
	[LS_REFUSED_ANY] = "SELECT EXISTS (SELECT 1 FROM out_refusal WHERE "
	    "mail_from = ?3 AND t > ?1 AND t <= ?2)",
	/*
	 * Another message of sender ?1, accepted in [?2, ?3), not finished
	 * by ?5: by life_sender, the still open and those finished after.
	 * A sender is compared with +?1 in the queries on life: a bare ?1
	 * sqlite weighs against the partial index life_bounces (mail_from
	 * = ''), and prepares the statement again at each new sender.
	 */
	[LS_OTHERS] = "SELECT EXISTS (SELECT 1 FROM life WHERE mail_from = "
	    "+?1 COLLATE NOCASE AND mail_from = +?1 AND evpid IS NOT NULL AND "
	    "t_done IS NULL AND t_accepted >= ?2 AND t_accepted < ?3 AND "
	    "msgid != ?4) OR EXISTS (SELECT 1 FROM life WHERE mail_from = "
	    "+?1 COLLATE NOCASE AND mail_from = +?1 AND evpid IS NOT NULL AND "
	    "t_done > ?5 AND t_accepted >= ?2 AND t_accepted < ?3 AND "
	    "msgid != ?4)",
	[LS_DOMAINS] = "SELECT 1 FROM envelope x LEFT JOIN rcpt r "
	    "ON r.id = x.rcpt WHERE x.evpid IN (" DB_MSGID_EVPIDS("?1") ") "
	    "AND x.evpid != ?2 AND "
	    "(r.address IS NULL OR lower(substr(r.address, instr(r.address, "
	    "'@'))) != lower(?3)) AND NOT EXISTS (SELECT 1 FROM attempt a "
	    "WHERE a.evpid = x.evpid AND a.result IN (0, 2) AND "
	    "a.t_end <= ?4) LIMIT 1",
	/* life_bounce.c: see there. */
	[LS_BOUNCE_LINE] = "SELECT t, bounce_evpid FROM outcome WHERE "
	    "kind = 'bounce' AND evpid = ? ORDER BY t IS NULL, t, id LIMIT 1",
	[LS_BOUNCE_MSG] = "SELECT evpid FROM life WHERE rcpt_to = ?1 COLLATE "
	    "NOCASE AND mail_from = '' AND local = 1 AND t_accepted >= ?2 AND "
	    "t_accepted <= ?3 ORDER BY t_accepted LIMIT 1",
	[LS_BOUNCE_PREV] = "SELECT max(t_accepted) FROM life WHERE rcpt_to = "
	    "?1 COLLATE NOCASE AND mail_from = '' AND local = 1 AND "
	    "t_accepted < ?2 AND ?3 = 0",
	[LS_BOUNCE_MARK] = "INSERT OR IGNORE INTO temp.life_dirty SELECT evpid "
	    "FROM life WHERE mail_from = +?1 COLLATE NOCASE AND t_fail > ?2 AND "
	    "t_fail <= ?3",
	[LS_BOUNCE_UNLINK] = "INSERT OR IGNORE INTO temp.life_dirty "
	    "SELECT evpid FROM life WHERE bounce = ?",
	[LS_ANY_OUTCOME] = "SELECT EXISTS (SELECT 1 FROM outcome)",
	[LS_BUILD_TODO] = "SELECT value FROM counter WHERE name = "
	    "'life_build' AND value != 0",
	[LS_BUILD_ENVELOPES] = "INSERT INTO temp.life_dirty SELECT evpid "
	    "FROM envelope WHERE evpid > ? ORDER BY evpid LIMIT ?",
	[LS_BUILD_RCPTS] = "INSERT INTO temp.life_dirty_rcpt SELECT id "
	    "FROM rcpt WHERE result != 0",
	[LS_BUILD_REFUSED] = "INSERT OR IGNORE INTO temp.life_dirty SELECT "
	    "evpid FROM life WHERE evpid IS NOT NULL AND (status IN (0, 2) OR "
	    "evpid IN (SELECT evpid FROM life_refusal)) AND mail_from IN "
	    "(SELECT mail_from FROM out_refusal)",
	[LS_DIRTY_MAX] = "SELECT max(evpid) FROM temp.life_dirty",
	[LS_REFUSAL_TAKE] = "SELECT f.mail_from, f.t FROM "
	    "temp.life_dirty_refusal d JOIN out_refusal f ON f.id = d.id "
	    "WHERE f.mail_from IS NOT NULL",
	[LS_REFUSAL_CLEAR] = "DELETE FROM temp.life_dirty_refusal",
	/*
	 * The waiting lives of sender ?1 queued since ?2, if of one
	 * message: by life_waiting, named, as life_sender would read the
	 * sender's finished lives too, all of a newsletter's.  The count
	 * (of at most two messages) is the outer loop, so that with two
	 * messages waiting no life is read beyond them.
	 */
	[LS_REFUSAL_LIVES] = "SELECT l.evpid FROM (SELECT count(*) AS n FROM "
	    "(SELECT DISTINCT msgid FROM life INDEXED BY life_waiting WHERE "
	    "mail_from = +?1 COLLATE NOCASE AND status IN (0, 2) AND evpid IS "
	    "NOT NULL AND t_accepted >= ?2 LIMIT 2)) AS w CROSS JOIN life l "
	    "INDEXED BY life_waiting WHERE w.n = 1 AND l.mail_from = +?1 "
	    "COLLATE NOCASE AND l.status IN (0, 2) AND l.evpid IS NOT NULL AND "
	    "l.t_accepted >= ?2",
	[LS_BUILD_DONE] = "DELETE FROM counter WHERE name = 'life_build'",
};

static int	life_any_outcome(struct life_writer *);

void
life_open(struct life_writer *lw, struct db *db, struct hour_tab *ht)
{
	memset(lw, 0, sizeof(*lw));
	lw->db = db;
	lw->hours = ht;
	lw->maillog = -1;
}

void
life_close(struct life_writer *lw)
{
	size_t	i;

	for (i = 0; i < LS_MAX; i++)
		sqlite3_finalize(lw->stmt[i]);
	life_reset(&lw->f);
	free(lw->f.tries);
	free(lw->f.ends);
	free(lw->f.changes);
	free(lw->f.strs);
	free(lw->ids);
	life_refuse_forget(lw);
	free(lw->again);
	life_mark_free(lw);
	memset(lw, 0, sizeof(*lw));
}

sqlite3_stmt *
life_stmt(struct life_writer *lw, enum life_stmt n)
{
	return db_prepare(lw->db, &lw->stmt[n], life_sql[n]);
}

/* Run a statement to its first row or end: 0, or -1 with the reason. */
int
life_exec(struct life_writer *lw, sqlite3_stmt *s)
{
	int	rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
}

/*
 * Run a statement of one row (an EXISTS, a count): its first column,
 * or -1 with the reason.
 */
int
life_int(struct life_writer *lw, sqlite3_stmt *s)
{
	int	rc;

	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		rc = sqlite3_column_int(s, 0);
	else
		rc = db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	sqlite3_reset(s);
	return rc;
}

/* Forget the last life's facts, keeping the arrays. */
void
life_reset(struct life_facts *f)
{
	size_t	i;

	for (i = 0; i < f->nstrs; i++)
		free(f->strs[i]);
	f->nstrs = f->ntries = f->nends = f->nchanges = 0;
	f->id = f->rcpt = f->tx = f->t = f->t0 = f->t_begin =
	    f->t_accepted = f->t_fail = f->bounce = f->bounce_queue = 0;
	f->local = f->bounce_exact = 0;
	f->evpid = 0;
	f->msgid = 0;
	f->reply0 = f->mail_from = f->rcpt_to = f->host = NULL;
}

/* Column c of s, the writer's own copy until the next life (NULL). */
const char *
life_keep(struct life_facts *f, sqlite3_stmt *s, int c)
{
	const char	*p = (const char *)sqlite3_column_text(s, c);

	if (p == NULL)
		return NULL;
	f->strs = xgrow(f->strs, f->nstrs, &f->strs_cap, 16,
	    sizeof(*f->strs));
	return f->strs[f->nstrs++] = xstrdup(p);
}

struct life_try *
life_try_add(struct life_facts *f)
{
	struct life_try	*a;

	f->tries = xgrow(f->tries, f->ntries, &f->tries_cap, 8,
	    sizeof(*f->tries));
	a = &f->tries[f->ntries++];
	memset(a, 0, sizeof(*a));
	a->result = RES_NONE;
	return a;
}

/*
 * Has any line of maillog been imported?  Asked once a transaction:
 * without, no life looks for its own.  1, 0 or -1.
 */
static int
life_any_outcome(struct life_writer *lw)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = life_stmt(lw, LS_ANY_OUTCOME)) == NULL ||
	    (rc = life_int(lw, s)) == -1)
		return -1;
	return lw->maillog = rc;
}

/*
 * Build every marked life again, in the caller's transaction.  -1 with
 * the reason in the database handle: the caller rolls back.
 */
int
life_flush(struct life_writer *lw)
{
	size_t	i;
	int	n;

	life_refuse_forget(lw);
	if ((n = life_any_outcome(lw)) == -1)
		return -1;

	while ((n = life_mark_take(lw, LIFE_MARK_ENVELOPE)) > 0)
		for (i = 0; i < (size_t)n; i++)
			if (life_write_envelope(lw, (uint64_t)lw->ids[i]) == -1)
				return -1;
	if (n == -1)
		return -1;
	while ((n = life_mark_take(lw, LIFE_MARK_RCPT)) > 0)
		for (i = 0; i < (size_t)n; i++)
			if (life_write_rejected(lw, lw->ids[i]) == -1)
				return -1;
	if (n == -1 || life_refuse_marked(lw) == -1)
		return -1;
	/* Those a refusal may concern, now that the others are written. */
	n = life_refuse_again(lw);
	life_refuse_forget(lw);
	return n;
}

/* Is the state of an older database still to be built?  1, 0 or -1. */
int
life_build_needed(struct life_writer *lw)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = life_stmt(lw, LS_BUILD_TODO)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(lw->db, "life: %s", sqlite3_errmsg(lw->db->h));
	return rc == SQLITE_ROW;
}

/*
 * Build the lives of the next envelopes after *last (INT64_MIN first),
 * at most max, in the caller's transaction; *n is how many.  With none
 * left, the refused recipients, and the build is over.
 */
int
life_build_step(struct life_writer *lw, int64_t *last, size_t max, size_t *n)
{
	sqlite3_stmt	*s;
	size_t		 i;

	*n = 0;
	if (max > LIFE_IDS)
		max = LIFE_IDS;
	if (life_any_outcome(lw) == -1)
		return -1;
	if ((s = life_stmt(lw, LS_BUILD_ENVELOPES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, *last);
	sqlite3_bind_int64(s, 2, (int64_t)max);
	if (life_exec(lw, s) == -1)
		return -1;
	*n = sqlite3_changes(lw->db->h);
	if (*n != 0) {
		if ((s = life_stmt(lw, LS_DIRTY_MAX)) == NULL)
			return -1;
		if (sqlite3_step(s) == SQLITE_ROW)
			*last = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return life_flush(lw);
	}
	/*
	 * Every envelope has its life: the refused recipients, then the
	 * lives a refused MAIL FROM may concern, built again now that the
	 * other lives of their senders are there to be read.
	 */
	for (i = LS_BUILD_RCPTS; i <= LS_BUILD_REFUSED; i++)
		if ((s = life_stmt(lw, (enum life_stmt)i)) == NULL ||
		    life_exec(lw, s) == -1 ||
		    life_flush(lw) == -1)
			return -1;
	if ((s = life_stmt(lw, LS_BUILD_DONE)) == NULL)
		return -1;
	return life_exec(lw, s);
}
