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
 * store_sql.c: the text of each prepared statement of the writer, by
 * its number (enum store_stmt).  store.c prepares them all at open and
 * runs them; every value is a bound parameter.
 */
#include <sys/types.h>

#include <stdint.h>

#include "mailtrail.h"
#include "collector.h"

const char *const store_sql[STMT_MAX] = {
	/*
	 * A refusal on smtp-in (k 16) with the command it answered (c, the
	 * session's last protocol-client event before it) and the filter
	 * decision between the two, if one (f, 1 reject, 2 disconnect):
	 * schema/016-stored-keys.sql, v_refusal.  The writer keeps both as
	 * the lines come (sess_seen()).
	 */
	[STMT_EVENT_RARE] = "INSERT INTO event_rare(id, k, t, c, f) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SESSION_NEW] = "INSERT INTO session(sid, dir, t_start) "
	    "VALUES (?, ?, ?)",
	/* A session's first line, its link-connect: one insert, no update. */
	[STMT_SESSION_NEW_CONNECT] = "INSERT INTO session(sid, dir, t_start, "
	    "rdns, fcrdns, src, dest) VALUES (?, ?, ?, ?, ?, ?, ?)",
	[STMT_SESSION_CONNECT] = "UPDATE session SET rdns = ?, fcrdns = ?, "
	    "src = ?, dest = ? WHERE id = ?",
	/*
	 * The HELO, and the greeting the session held (join_held.c), each
	 * written if its flag says so; before a commit, the greeting only.
	 */
	[STMT_SESSION_HELD] = "UPDATE session SET greeting = iif(?1, ?2, "
	    "greeting), helo_method = iif(?3, ?4, helo_method), "
	    "helo = iif(?3, ?5, helo) WHERE id = ?6",
	[STMT_SESSION_TLS] = "UPDATE session SET tls = ?1, "
	    "reason = iif(outcome IS 'tls-failed', NULL, reason), "
	    "outcome = iif(outcome IS 'tls-failed', NULL, outcome) "
	    "WHERE id = ?2",
	[STMT_SESSION_AUTH] = "UPDATE session SET auth_user = ?, "
	    "auth_result = ? WHERE id = ?",
	[STMT_SESSION_END] = "UPDATE session SET t_end = ?1, end_reason = ?2, "
	    "outcome = coalesce(outcome, ?3), greeting = iif(?5, ?6, "
	    "greeting) WHERE id = ?4",
	/* 'mail' is for good: a failure after it leaves the row be. */
	[STMT_SESSION_FAIL] = "UPDATE session SET outcome = ?1, reason = ?2, "
	    "mail_from = coalesce(?3, mail_from) WHERE id = ?5 AND "
	    "outcome IS NOT 'mail' AND NOT (?4 AND outcome IS ?1)",
	[STMT_SESSION_MAIL] = "UPDATE session SET outcome = ?1, reason = NULL "
	    "WHERE id = ?2 AND outcome IS NOT ?1",
	[STMT_TX_NEW] = "INSERT INTO tx(session, msgid, t_begin) "
	    "VALUES (?, ?, ?)",
	/*
	 * MAIL FROM, before the commit as smtpd sends them, or after it:
	 * that one moves the message's counts per sender, which the writer
	 * takes out before it and puts in after (store_tx()).
	 */
	[STMT_TX_MAIL] = "UPDATE tx SET mail_from = ?1, mail_result = ?2 "
	    "WHERE id = ?3 AND t_commit IS NULL",
	[STMT_TX_MAIL_LATE] = "UPDATE tx SET mail_from = ?1, "
	    "mail_result = ?2 WHERE id = ?3 AND t_commit IS NOT NULL",
	/*
	 * tx-data's result is held for the tx's commit or end (join.c);
	 * this writes one still held before a batch commits.
	 */
	[STMT_TX_DATA] = "UPDATE tx SET data_result = ? WHERE id = ?",
	/*
	 * The commit: a message counts per sender from it on, so a second
	 * commit of the same tx (a line sent twice) moves its counts as a
	 * late MAIL FROM does (store_tx()).
	 */
	[STMT_TX_COMMIT] = "UPDATE tx SET t_commit = ?1, size = ?2, "
	    "data_result = iif(?4, ?5, data_result) "
	    "WHERE id = ?3 AND t_commit IS NULL",
	[STMT_TX_RECOMMIT] = "UPDATE tx SET t_commit = ?1, size = ?2, "
	    "data_result = iif(?4, ?5, data_result) "
	    "WHERE id = ?3 AND t_commit IS NOT NULL",
	[STMT_TX_ROLLBACK] = "UPDATE tx SET rolled_back = 1 WHERE id = ?",
	[STMT_TX_END] = "UPDATE tx SET t_end = ?1, "
	    "data_result = iif(?3, ?4, data_result) WHERE id = ?2",
	[STMT_RCPT_NEW] = "INSERT INTO rcpt(tx, t, address, result, reply) "
	    "VALUES (?, ?, ?, ?, ?)",
	[STMT_RCPT_REPLY] = "UPDATE rcpt SET reply = ? WHERE id = ?",
	[STMT_ENVELOPE_NEW] = "INSERT OR IGNORE INTO "
	    "envelope(evpid, msgid, tx, t, rcpt) VALUES (?, ?, ?, ?, ?)",
	[STMT_ENVELOPE_RCPT] = "UPDATE envelope SET rcpt = ? WHERE evpid = ?",
	/* With its domain (?6, domain.c) and its smtp-in commit. */
	[STMT_ATTEMPT_NEW] = "INSERT INTO attempt(evpid, session, tx, t, "
	    "address, domain, t_received) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "(SELECT ti.t_commit "
	    "FROM envelope e JOIN tx ti ON ti.id = e.tx WHERE e.evpid = ?1))",
	/* An attempt's recipient when smtp-out did not say it. */
	[STMT_ATTEMPT_RCPT] = "SELECT 0, 0, r.address FROM envelope e "
	    "JOIN rcpt r ON r.id = e.rcpt WHERE e.evpid = ? AND ?",
	[STMT_ATTEMPT_END] = "UPDATE attempt SET t_end = ?, result = ?, "
	    "reply = ?, remote_id = ? WHERE id = ? AND result IS NULL",
	[STMT_CONFIG] = "INSERT INTO config(t, key, value) VALUES (?, ?, ?)",
	[STMT_COUNTER] = "INSERT INTO counter(name, value) VALUES (?, ?) "
	    "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
	[STMT_COUNTER_GET] = "SELECT value FROM counter WHERE name = ?",
	[STMT_FIND_SESSION] = "SELECT id FROM session WHERE sid = ? AND "
	    "dir = ? AND t_end IS NULL ORDER BY id DESC LIMIT 1",
	[STMT_FIND_TX] = "SELECT id, msgid FROM tx WHERE session = ? AND "
	    "t_end IS NULL AND ? ORDER BY id DESC LIMIT 1",
	[STMT_FIND_ATTEMPTS] = "SELECT id FROM attempt WHERE session = ? AND "
	    "result IS NULL AND ? ORDER BY id",
	[STMT_FIND_ENVELOPES] = "SELECT evpid FROM envelope WHERE tx = ? AND "
	    "rcpt IS NULL AND ? ORDER BY evpid",
	[STMT_FIND_EVENT] = "SELECT id, t, x FROM event WHERE s = ? AND "
	    "k % 32 = ? ORDER BY id DESC LIMIT 1",
	/* smtp-in session ?1's first filter response after event ?2. */
	[STMT_FIND_FILTER] = "SELECT id, t, x FROM event WHERE s = ? AND "
	    "id > ? AND k % 64 = 18 ORDER BY id LIMIT 1",
	[STMT_FIND_HELO] = "SELECT 0, 0, helo_method FROM session WHERE "
	    "id = ? AND ?",
	[STMT_FIND_ATTEMPT_T] = "SELECT t FROM attempt WHERE id = ? AND ?",
	/* The lives of smtp-in tx ?1 of msgid ?2 (store_mark_tx). */
	[STMT_TX_ENVELOPES] = "SELECT evpid FROM envelope WHERE msgid = ?2 "
	    "AND tx = ?1",
	[STMT_TX_REFUSED] = "SELECT id FROM rcpt WHERE tx = ?1 AND "
	    "result != 0 AND ?2 = ?2",
	/* maillog (outcome.c): a line already stored is ignored. */
	[STMT_OUTCOME_NEW] = "INSERT OR IGNORE INTO outcome(t, host, kind, "
	    "sid, evpid, msgid, mail_from, rcpt_to, orig_rcpt, source, relay, "
	    "mda_user, agent, delay, result, stat, size, nrcpt, proto, "
	    "bounce_evpid, line, t_estimated) VALUES (?, coalesce(?, ''), ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE ? WHEN 0 THEN NULL ELSE ? END, "
	    "NULLIF(?, -1), ?, NULLIF(?, -1), NULLIF(?, -1), ?, ?, ?, ?)",
	/*
	 * The report time of an evpid (?1) and session id (?2), and where
	 * it comes from (outcome.c): 0 the attempt on that session, 1 a
	 * permanent failure (no ?2: a bounce), 2 the envelope queued, 3 the
	 * session, 4 the last attempt.
	 */
	[STMT_OUTCOME_REF] = "SELECT t, o FROM ("
	    "SELECT coalesce(a.t_end, a.t) AS t, 0 AS o FROM attempt a "
	    "JOIN session s ON s.id = a.session "
	    "WHERE a.evpid = ?1 AND s.sid = ?2 "
	    "UNION ALL SELECT coalesce(t_end, t), 1 FROM attempt "
	    "WHERE evpid = ?1 AND result = 2 AND ?2 = 0 "
	    "UNION ALL SELECT t, 2 FROM envelope WHERE evpid = ?1 "
	    "UNION ALL SELECT t_start, 3 FROM session "
	    "WHERE sid = ?2 AND ?2 != 0 "
	    "UNION ALL SELECT coalesce(t_end, t), 4 FROM attempt "
	    "WHERE evpid = ?1) WHERE t IS NOT NULL ORDER BY o, t DESC LIMIT 1",
	/*
	 * The attempt of evpid ?1 on session ?2 that an mta line written
	 * from ?3 on confirms: the first to end then, else the last.
	 */
	[STMT_OUTCOME_ATTEMPT] = "SELECT e, 0 FROM (SELECT coalesce(a.t_end, "
	    "a.t) AS e FROM attempt a JOIN session s ON s.id = a.session "
	    "WHERE a.evpid = ?1 AND s.sid = ?2) WHERE e IS NOT NULL "
	    "ORDER BY e < ?3, CASE WHEN e < ?3 THEN -e ELSE e END LIMIT 1",
	/* When envelope ?1 was created (its tx-envelope). */
	[STMT_OUTCOME_CREATED] = "SELECT t, 0 FROM envelope WHERE evpid = ?1 "
	    "AND ?2 = ?2",
	/*
	 * The latest fact of evpid ?1 before ?2 that a line of its life
	 * after the queue follows: its commit, its attempts, its lines.
	 */
	[STMT_OUTCOME_AFTER] = "SELECT max(t), 0 FROM ("
	    "SELECT x.t_commit AS t FROM envelope e JOIN tx x ON x.id = e.tx "
	    "WHERE e.evpid = ?1 UNION ALL SELECT coalesce(t_end, t) FROM "
	    "attempt WHERE evpid = ?1 UNION ALL SELECT t FROM outcome WHERE "
	    "evpid = ?1 AND kind NOT IN ('smtp-message', 'smtp-envelope')) "
	    "WHERE t < ?2",
	/*
	 * smtpd -v's removal of evpid ?1 ("scheduler: evp:X removed", agent
	 * NULL) counts as its removal only without a "Remove for" line.
	 */
	[STMT_OUTCOME_UNQUEUED] = "UPDATE outcome SET kind = CASE WHEN "
	    "EXISTS (SELECT 1 FROM outcome r WHERE r.evpid = ?1 AND "
	    "r.kind = 'remove' AND r.agent IS NOT NULL) THEN "
	    "'scheduler-remove' ELSE 'remove' END WHERE evpid = ?1 AND "
	    "kind IN ('remove', 'scheduler-remove') AND agent IS NULL",
	/* Two look-ups of max(): as arms of a UNION each read its index. */
	[STMT_OUTCOME_NEWEST] = "SELECT max(coalesce(s, e), coalesce(e, s)), 0 "
	    "FROM (SELECT (SELECT max(t_start) FROM session) AS s, "
	    "(SELECT max(t) FROM envelope) AS e) WHERE ? AND ?",
	[STMT_COUNTER_ADD] = "INSERT INTO counter(name, value) VALUES (?, ?) "
	    "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
	/* prune.c: whole traces, see prune_step(). */
	[STMT_PRUNE_SEED] = "SELECT id, t_end FROM session WHERE id > ?1 AND "
	    "t_end < ?2 ORDER BY id LIMIT 1",
	[STMT_PRUNE_SESS_EVP] = "SELECT e.evpid FROM tx t JOIN envelope e "
	    "ON e.msgid = t.msgid AND e.tx = t.id WHERE t.session = ?1 AND ?2 "
	    "UNION SELECT evpid FROM attempt WHERE session = ?1",
	[STMT_PRUNE_EVP_SESS] = "SELECT t.session FROM envelope e JOIN tx t "
	    "ON t.id = e.tx WHERE e.evpid = ?1 AND ?2 UNION "
	    "SELECT session FROM attempt WHERE evpid = ?1",
	[STMT_PRUNE_SESS_OLD] = "SELECT coalesce(t_end, 9223372036854775807), "
	    "dir FROM session WHERE id = ?1 AND ?2",
	/* What the read model gives a waiting envelope: out_refusal. */
	[STMT_PRUNE_SESS_REFUSED] = "SELECT 1, 0 FROM out_refusal "
	    "WHERE session = ?1 AND ?2 LIMIT 1",
	/* Delivered or failed, or first seen before ?2. */
	[STMT_PRUNE_ENV_OLD] = "SELECT EXISTS (SELECT 1 FROM attempt WHERE "
	    "evpid = ?1 AND result IN (0, 2)) OR (SELECT t FROM envelope "
	    "WHERE evpid = ?1) < ?2, 0",
	[STMT_PRUNE_DEL_RARE] = "DELETE FROM event_rare WHERE id IN "
	    "(SELECT id FROM event WHERE s = ?)",
	[STMT_PRUNE_DEL_EVENTS] = "DELETE FROM event WHERE s = ?",
	[STMT_PRUNE_DEL_RCPT] = "DELETE FROM rcpt WHERE tx IN "
	    "(SELECT id FROM tx WHERE session = ?)",
	[STMT_PRUNE_DEL_ATTEMPTS] = "DELETE FROM attempt WHERE session = ?",
	[STMT_PRUNE_DEL_TX] = "DELETE FROM tx WHERE session = ?",
	[STMT_PRUNE_DEL_SESSION] = "DELETE FROM session WHERE id = ?",
	[STMT_PRUNE_DEL_ENVELOPE] = "DELETE FROM envelope WHERE evpid = ?",
	/*
	 * The filter responses of a session going: out of the counts per
	 * hour (schema/009-hour.sql), the session at its first of each.
	 */
	[STMT_PRUNE_DEL_HOUR] = "UPDATE hour SET n = hour.n - d.n FROM "
	    "(SELECT h, kind, key, count(*) AS n FROM (SELECT t / 3600000000 "
	    "AS h, 3 + (k / 32) % 2 AS kind, CASE WHEN instr(rest, '|') > 0 "
	    "THEN substr(x, 1, instr(x, '|') + instr(rest, '|') - 1) ELSE x "
	    "END AS key FROM (SELECT t, k, x, substr(x, instr(x, '|') + 1) "
	    "AS rest FROM event WHERE s = ?1 AND k % 32 = 18 AND "
	    "instr(x, '|') > 0)) GROUP BY 1, 2, 3 UNION ALL "
	    "SELECT min(t) / 3600000000, 5 + (k / 32) % 2, CASE WHEN "
	    "instr(rest, '|') > 0 THEN substr(x, 1, instr(x, '|') + "
	    "instr(rest, '|') - 1) ELSE x END, 1 FROM (SELECT t, k, x, "
	    "substr(x, instr(x, '|') + 1) AS rest FROM event WHERE s = ?1 "
	    "AND k % 32 = 18 AND instr(x, '|') > 0) GROUP BY 2, 3) d "
	    "WHERE hour.kind = d.kind AND hour.key = d.key AND "
	    "hour.hour = d.h",
	[STMT_PRUNE_DEL_RAW] = "DELETE FROM event WHERE id IN (SELECT id "
	    "FROM event WHERE s IS NULL AND t < ? LIMIT ?)",
	[STMT_PRUNE_SIZE] = "SELECT p.page_count * z.page_size, "
	    "f.freelist_count * z.page_size FROM pragma_page_count() p, "
	    "pragma_page_size() z, pragma_freelist_count() f WHERE ?1 AND ?2",
	[STMT_PRUNE_AUTOVAC] = "SELECT auto_vacuum, 0 FROM "
	    "pragma_auto_vacuum() WHERE ?1 AND ?2",
	[STMT_PRUNE_VACUUM] = "VACUUM",
	[STMT_PRUNE_INCR] = "PRAGMA incremental_vacuum(1024)",
	[STMT_REFUSAL_NEW] = "INSERT INTO out_refusal(session, t, mail_from, "
	    "result, reply, event) VALUES (?, ?, ?, ?, ?, ?)",
	/*
	 * prune.c: a removed session's refused MAIL FROM, and what maillog
	 * said of a removed envelope (?1), or of its message before ?2.
	 */
	[STMT_PRUNE_DEL_REFUSALS] = "DELETE FROM out_refusal WHERE session = ?",
	[STMT_PRUNE_DEL_OUTCOME] = "DELETE FROM outcome WHERE evpid = ?1 OR "
	    "(kind = 'smtp-message' AND msgid = (?1 >> 32) AND t < ?2)",
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
};
