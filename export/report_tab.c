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
 * report_tab.c: the reports and their sections, as data: each section
 * is one query over the views of schema/views.sql, and with several
 * databases a query that merges every host's rows (docs/reports.md).
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"
#include "report_hour.h"

/*
 * The messages (v_message), the envelopes received (life), the
 * deferrals and all settled attempts (v_delivery) in the cut hours at
 * the edges of the window, by the indexes of schema 15.
 */
#define REPORT_TAB_EDGE_MSG \
	" FROM (" REPORT_HOUR_EDGE_ID("tx", "t_commit IS NOT NULL", \
	"t_commit") ") x CROSS JOIN v_message m ON m.tx_id = x.id"
#define REPORT_TAB_EDGE_RECEIVED \
	REPORT_HOUR_EDGE_ID("life", "evpid IS NOT NULL", "t_accepted")
#define REPORT_TAB_EDGE_TEMP \
	" FROM v_delivery WHERE result = 'tempfail' AND id IN (" \
	REPORT_HOUR_EDGE_ID("attempt", "result = 1", "t_end") ")"
#define REPORT_TAB_EDGE_SETTLED \
	" FROM v_delivery WHERE id IN (" REPORT_HOUR_EDGE_ID("attempt", \
	"result IS NOT NULL", "t_end") ")"

static const struct report_section report_tab_summary[] = {
	{ "totals", "Totals", RK_RECORD, 1,
	    /*
	     * One pass over each view, not one per column.  Each envelope
	     * received (committed) in the window, by then, in its state at
	     * ?3: its one change of state that covers ?3 (they follow each
	     * other from the commit on).  The six add up to e.n.  When
	     * no life changed after ?3, that state is its status now, and
	     * the whole hours are counted by status (schema 15).
	     */
	    "WITH w(a) AS (SELECT " REPORT_HOUR_ALL_STATES ")"
	    " SELECT m.n, e.n, m.bytes, e.q, e.d, e.w, e.f, e.x, e.r,"
	    " e.q + e.w, d.temps,"
	    " (SELECT count(*) FROM life WHERE status = 5"
	    "  AND t_status BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM life WHERE evpid IS NULL"
	    "  AND t BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM v_refusal_row WHERE t BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM v_mail_refused WHERE t BETWEEN ?1 AND ?2),"
	    " s.sin, s.sout FROM"
	    " (SELECT coalesce(sum(n), 0) AS n, coalesce(sum(b), 0) AS bytes"
	    "  FROM (SELECT CASE kind WHEN 7 THEN n ELSE 0 END AS n,"
	    "  CASE kind WHEN 9 THEN n ELSE 0 END AS b FROM hour"
	    "  WHERE kind IN (7, 9) AND " REPORT_HOUR_WHOLE("hour")
	    "  UNION ALL SELECT 1, size" REPORT_TAB_EDGE_MSG ")) m,"
	    " (SELECT coalesce(sum(n), 0) AS n, coalesce(sum(n * (s = 0)), 0)"
	    "  AS q, coalesce(sum(n * (s = 1)), 0) AS d,"
	    "  coalesce(sum(n * (s = 2)), 0) AS w,"
	    "  coalesce(sum(n * (s = 3)), 0) AS f,"
	    "  coalesce(sum(n * (s = 6)), 0) AS x,"
	    "  coalesce(sum(n * (s = 7)), 0) AS r FROM"
	    "  (SELECT CAST(key AS INTEGER) AS s, n FROM w CROSS JOIN hour"
	    "  WHERE a AND kind = 16 AND " REPORT_HOUR_WHOLE("hour")
	    "  UNION ALL SELECT status, 1 FROM w CROSS JOIN life WHERE a AND"
	    "  id IN (" REPORT_TAB_EDGE_RECEIVED ")"
	    "  UNION ALL SELECT c.status, 1 FROM w CROSS JOIN life_change c"
	    "  JOIN life l ON l.id = c.life WHERE NOT a"
	    "  AND c.t <= ?3 AND (c.t_until IS NULL OR c.t_until > ?3)"
	    "  AND l.evpid IS NOT NULL AND l.t_accepted BETWEEN ?1 AND ?2"
	    "  AND l.t_accepted <= ?3)) e,"
	    " (SELECT coalesce(sum(n), 0) AS temps FROM (SELECT n FROM hour"
	    "  WHERE kind = 14 AND " REPORT_HOUR_WHOLE("hour") " UNION ALL"
	    "  SELECT 1" REPORT_TAB_EDGE_TEMP ")) d,"
	    " (SELECT coalesce(sum(CASE k WHEN 1 THEN n END), 0) AS sin,"
	    "  coalesce(sum(CASE k WHEN 2 THEN n END), 0) AS sout FROM"
	    "  (SELECT kind AS k, n FROM hour WHERE kind IN (1, 2) AND "
	    REPORT_HOUR_WHOLE("hour") " UNION ALL SELECT 1 + dir, 1"
	    "  FROM session WHERE " REPORT_HOUR_EDGE("t_start") ")) s",
	    { { "received_messages", RT_INT, 0 },
	      { "received_envelopes", RT_INT, 0 },
	      { "received_bytes", RT_BYTES, 0 },
	      { "queued", RT_INT, 0 },
	      { "delivered", RT_INT, 0 },
	      { "deferred", RT_INT, 0 },
	      { "failed", RT_INT, 0 },
	      { "expired", RT_INT, 0 },
	      { "removed", RT_INT, 0 },
	      { "pending", RT_INT, 0 },
	      { "deferrals", RT_INT, 0 },
	      { "aborted", RT_INT, 0 },
	      { "rejected", RT_INT, 0 },
	      { "smtp_in_refusals", RT_INT, 0 },
	      { "sender_refused_by_next_hop", RT_INT, 0 },
	      { "sessions_in", RT_INT, 0 },
	      { "sessions_out", RT_INT, 0 } },
	    "SELECT sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5),"
	    " sum(c6), sum(c7), sum(c8), sum(c9), sum(c10), sum(c11), sum(c12),"
	    " sum(c13), sum(c14), sum(c15), sum(c16) FROM part",
	    NULL, 0 },
	{ "volume", "Volume", RK_ROWS, 1,
	    /* Envelopes by when they were received, delivered, failed. */
	    "SELECT b * ?4, sum(r), sum(d), sum(f), sum(p), sum(j) FROM ("
	    " SELECT hour * 3600000000 / ?4 AS b,"
	    "  CASE kind WHEN 16 THEN n ELSE 0 END AS r,"
	    "  CASE WHEN kind = 17 AND key = '1' THEN n ELSE 0 END AS d,"
	    "  CASE kind WHEN 14 THEN n ELSE 0 END AS f,"
	    "  CASE WHEN kind = 17 AND key = '3' THEN n ELSE 0 END AS p,"
	    "  CASE kind WHEN 18 THEN n ELSE 0 END AS j FROM hour"
	    "  WHERE (kind IN (14, 16, 18) OR kind = 17 AND key IN ('1', '3'))"
	    "  AND n > 0 AND " REPORT_HOUR_WHOLE("hour")
	    " UNION ALL SELECT t_accepted / ?4, 1, 0, 0, 0, 0 FROM life"
	    "  WHERE id IN (" REPORT_TAB_EDGE_RECEIVED ")"
	    " UNION ALL SELECT t_status / ?4, 0, status = 1, 0, status = 3, 0"
	    "  FROM life WHERE id IN (" REPORT_HOUR_EDGE_ID("life",
	    "status IN (1, 3)", "t_status") ")"
	    " UNION ALL SELECT t / ?4, 0, 0, 1, 0, 0" REPORT_TAB_EDGE_TEMP
	    " UNION ALL SELECT t / ?4, 0, 0, 0, 0, 1 FROM life"
	    "  WHERE id IN (" REPORT_HOUR_EDGE_ID("life", "evpid IS NULL", "t")
	    ")) GROUP BY b ORDER BY b",
	    { { "time", RT_BUCKET, 0 }, { "received", RT_INT, 0 },
	      { "delivered", RT_INT, 0 }, { "deferrals", RT_INT, 0 },
	      { "failed", RT_INT, 0 }, { "rejected", RT_INT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3), sum(c4), sum(c5) FROM part"
	    " GROUP BY c0 ORDER BY c0",
	    NULL, 0 },
	{ "senders", "Top senders", RK_ROWS, 0,
	    /* Messages, envelopes, bytes by sender: hours and edges. */
	    "SELECT s, sum(m), sum(e), sum(b) FROM (SELECT "
	    REPORT_HOUR_SENDER("key") " AS s, " REPORT_HOUR_MEB(7)
	    " FROM hour WHERE kind IN (7, 8, 9) AND " REPORT_HOUR_WHOLE("hour")
	    " UNION ALL SELECT mail_from, 1, envelopes, size"
	    REPORT_TAB_EDGE_MSG ") GROUP BY s HAVING sum(m) > 0"
	    " ORDER BY 2 DESC, 4 DESC, 1",
	    { { "sender", RT_ADDR, 0 }, { "messages", RT_INT, 0 },
	      { "recipients", RT_INT, 0 }, { "bytes", RT_BYTES, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3) FROM part GROUP BY c0"
	    " ORDER BY 2 DESC, 4 DESC, 1",
	    NULL, 0 },
	{ "recipients", "Top recipients", RK_ROWS, 0,
	    /* Each envelope received: its life, with its recipient. */
	    "SELECT CASE WHEN rcpt IS NOT NULL THEN rcpt_to END, count(*)"
	    " FROM life WHERE evpid IS NOT NULL AND t_accepted BETWEEN ?1"
	    " AND ?2 GROUP BY 1 ORDER BY 2 DESC, 1",
	    { { "recipient", RT_ADDR, 0 }, { "envelopes", RT_INT, 0 } },
	    "SELECT c0, sum(c1) FROM part GROUP BY c0 ORDER BY 2 DESC, 1",
	    NULL, 0 },
	{ "hosts", "Top sending hosts", RK_ROWS, 0,
	    /* The same by client, with an rdns of its messages. */
	    "SELECT c, max(r), sum(m), sum(e), sum(b) FROM (SELECT "
	    REPORT_HOUR_CLIENT("key") " AS c, CASE WHEN kind = 10 AND n > 0"
	    " THEN " REPORT_HOUR_RDNS("key") " END AS r, " REPORT_HOUR_MEB(10)
	    " FROM hour WHERE kind IN (10, 11, 12) AND "
	    REPORT_HOUR_WHOLE("hour") " UNION ALL SELECT client, rdns, 1,"
	    " envelopes, size" REPORT_TAB_EDGE_MSG ") GROUP BY c"
	    " HAVING sum(m) > 0 ORDER BY 3 DESC, 5 DESC, 1",
	    { { "client", RT_TEXT, 0 }, { "rdns", RT_TEXT, 0 },
	      { "messages", RT_INT, 0 }, { "recipients", RT_INT, 0 },
	      { "bytes", RT_BYTES, 0 } },
	    "SELECT c0, max(c1), sum(c2), sum(c3), sum(c4) FROM part"
	    " GROUP BY c0 ORDER BY 3 DESC, 5 DESC, 1",
	    NULL, 0 },
	{ "domains", "Top destination domains", RK_ROWS, 0,
	    /* Attempts by result and domain: hours and edges. */
	    "SELECT d, sum(o), sum(tf), sum(pf), sum(n) FROM (SELECT key AS d,"
	    " CASE kind WHEN 13 THEN n ELSE 0 END AS o,"
	    " CASE kind WHEN 14 THEN n ELSE 0 END AS tf,"
	    " CASE kind WHEN 15 THEN n ELSE 0 END AS pf, n FROM hour"
	    " WHERE kind IN (13, 14, 15) AND " REPORT_HOUR_WHOLE("hour")
	    " UNION ALL SELECT domain, result = 'ok', result = 'tempfail',"
	    " result = 'permfail', 1" REPORT_TAB_EDGE_SETTLED ")"
	    " GROUP BY d HAVING sum(n) > 0 ORDER BY 5 DESC, 1",
	    { { "domain", RT_TEXT, 0 }, { "delivered", RT_INT, 0 },
	      { "deferrals", RT_INT, 0 }, { "failed", RT_INT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3) FROM part GROUP BY c0"
	    " ORDER BY sum(c4) DESC, 1",
	    NULL, 0 },
	REPORT_TAB_END
};

static const struct report_section report_tab_rejections[] = {
	{ "by_reply", "smtp-in refusals by reply", RK_ROWS, 0,
	    "SELECT verb, reply, coalesce('filter ' || filter, 'smtpd'),"
	    " count(*), count(DISTINCT client), count(DISTINCT session_id),"
	    " max(t) FROM v_refusal"
	    " WHERE t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2",
	    { { "command", RT_TEXT, 0 }, { "reply", RT_TEXT, 0 },
	      { "by", RT_TEXT, 0 }, { "refusals", RT_INT, 0 },
	      { "clients", RT_INT, 0 }, { "sessions", RT_INT, 1 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, c2, sum(c4), count(DISTINCT c3), sum(c5), max(c6)"
	    " FROM part GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2, 1, 3",
	    "SELECT verb, reply, coalesce('filter ' || filter, 'smtpd'),"
	    " client, count(*), count(DISTINCT session_id), max(t)"
	    " FROM v_refusal"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4",
	    0 },
	{ "by_client", "smtp-in refusals by client", RK_ROWS, 0,
	    "SELECT client, max(rdns), max(fcrdns), max(helo), count(*),"
	    " count(DISTINCT session_id), max(t) FROM v_refusal"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY client ORDER BY 5 DESC, 1",
	    { { "client", RT_TEXT, 0 }, { "rdns", RT_TEXT, 0 },
	      { "fcrdns", RT_TEXT, 0 }, { "helo", RT_TEXT, 0 },
	      { "refusals", RT_INT, 0 }, { "sessions", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, max(c1), max(c2), max(c3), sum(c4), sum(c5), max(c6)"
	    " FROM part GROUP BY c0 ORDER BY 5 DESC, 1",
	    NULL, 0 },
	{ "latest", "Latest smtp-in refusals", RK_ROWS, 0,
	    "SELECT t, client, coalesce(command, verb), reply, session, rdns,"
	    " fcrdns, helo, filter FROM v_refusal"
	    " WHERE t BETWEEN ?1 AND ?2"
	    " ORDER BY t DESC, id DESC",
	    { { "time", RT_TIME, 0 }, { "client", RT_TEXT, 0 },
	      { "command", RT_TEXT, 0 }, { "reply", RT_TEXT, 0 },
	      { "session", RT_TEXT, 1 }, { "rdns", RT_TEXT, 1 },
	      { "fcrdns", RT_TEXT, 1 }, { "helo", RT_TEXT, 1 },
	      { "filter", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6, c7, c8 FROM part"
	    " ORDER BY c0 DESC, host, rowid",
	    NULL, 1 },
	REPORT_TAB_END
};

/*
 * The class of an attempt of v_delivery d (schema/class.c): by its
 * reply, or with none, by its session's outcome.
 */
#define REPORT_TAB_CLASS "reply_class(d.reply, CASE WHEN d.reply IS NULL" \
	" THEN (SELECT s.outcome FROM session s WHERE s.id = d.session_id)" \
	" END)"

/*
 * Deferrals: tempfail attempts, each with its life: waiting (pend: its
 * state is queued or deferred) and since when (t0).
 */
#define REPORT_TAB_TRIED(res) \
	"SELECT d.*, coalesce(l.status IN (0, 2), 0) AS pend," \
	" coalesce(l.t_accepted, l.t) AS t0 FROM v_delivery d" \
	" LEFT JOIN life l ON l.evpid = d.evpid_n" \
	" WHERE d.result = '" res "' AND d.t BETWEEN ?1 AND ?2"

/*
 * A deferral's reply; with none (the attempt ended by a timeout or a
 * dropped link), its session's outcome as the writer decided it, as
 * model_attempt_failure() takes it: "no reply (aborted)".
 */
#define REPORT_TAB_REPLY(reply, session) \
	"coalesce(" reply ", 'no reply (' || (SELECT nullif(o.outcome," \
	" 'mail') FROM session o WHERE o.id = " session ") || ')')"

static const struct report_section report_tab_deferrals[] = {
	{ "by_destination", "Deferrals by destination domain and relay",
	    RK_ROWS, 0,
	    "SELECT domain, relay, count(*), count(DISTINCT evpid_n),"
	    " max(try), count(DISTINCT CASE WHEN pend THEN evpid_n END),"
	    " ?3 - min(CASE WHEN pend THEN t0 END) FROM ("
	    REPORT_TAB_TRIED("tempfail") ") GROUP BY 1, 2"
	    " ORDER BY 3 DESC, 1, 2",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "deferrals", RT_INT, 0 }, { "envelopes", RT_INT, 0 },
	      { "max_tries", RT_INT, 0 }, { "pending", RT_INT, 0 },
	      { "oldest", RT_DUR, 0 } },
	    "SELECT c0, c1, sum(c2), sum(c3), max(c4), sum(c5), max(c6)"
	    " FROM part GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
	    NULL, 0 },
	{ "by_class", "Deferrals by class of the next hop's reply",
	    RK_ROWS, 0,
	    "SELECT " REPORT_TAB_CLASS ", count(*), count(DISTINCT evpid_n),"
	    " count(DISTINCT domain), max(t) FROM v_delivery d"
	    " WHERE result = 'tempfail' AND t BETWEEN ?1 AND ?2"
	    " GROUP BY 1 ORDER BY 2 DESC, 1",
	    { { "class", RT_TEXT, 0 }, { "deferrals", RT_INT, 0 },
	      { "envelopes", RT_INT, 0 }, { "domains", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, sum(c2), sum(c3), count(DISTINCT c1), max(c4)"
	    " FROM part GROUP BY c0 ORDER BY 2 DESC, 1",
	    "SELECT " REPORT_TAB_CLASS ", domain, count(*),"
	    " count(DISTINCT evpid_n), max(t) FROM v_delivery d"
	    " WHERE result = 'tempfail' AND t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2", 0 },
	{ "replies", "Deferrals by the next hop's reply", RK_ROWS, 0,
	    "SELECT domain, relay, " REPORT_TAB_REPLY("reply", "session_id")
	    ", count(*), count(DISTINCT evpid_n)"
	    " FROM v_delivery WHERE result = 'tempfail'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "reply", RT_TEXT, 0 }, { "deferrals", RT_INT, 0 },
	      { "envelopes", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "sender_refused", "MAIL FROM refused temporarily by the next hop",
	    RK_ROWS, 0,
	    "SELECT s.dest, v.mail_from, v.reply, count(*), max(v.t)"
	    " FROM v_mail_refused v JOIN session s ON s.id = v.session_id"
	    " WHERE v.reply LIKE '4%' AND v.t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
	    { { "relay", RT_TEXT, 0 }, { "sender", RT_ADDR, 0 },
	      { "reply", RT_TEXT, 0 }, { "refusals", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, c2, sum(c3), max(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "oldest", "Oldest deferred mail still pending", RK_ROWS, 0,
	    /* The lives deferred now, by their last deferral. */
	    "SELECT printf('%016x', l.evpid), ?3 - coalesce(l.t_accepted, l.t),"
	    " l.rcpt_to, l.attempts, " REPORT_TAB_REPLY("l.reply", "s.id")
	    ", l.mail_from, s.dest FROM life l"
	    " LEFT JOIN attempt a ON a.id = l.decisive"
	    " LEFT JOIN session s ON s.id = a.session"
	    " WHERE l.status = 2 AND l.t_status BETWEEN ?1 AND ?2"
	    " ORDER BY coalesce(l.t_accepted, l.t), l.evpid",
	    { { "evpid", RT_TEXT, 0 }, { "age", RT_DUR, 0 },
	      { "recipient", RT_ADDR, 0 }, { "tries", RT_INT, 0 },
	      { "reply", RT_TEXT, 0 }, { "sender", RT_ADDR, 1 },
	      { "relay", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6 FROM part"
	    " ORDER BY c1 IS NOT NULL, c1 DESC, c0, host",
	    NULL, 1 },
	REPORT_TAB_END
};

static const struct report_section report_tab_bounces[] = {
	{ "by_destination", "Bounces by destination domain and relay",
	    RK_ROWS, 0,
	    "SELECT domain, relay, count(DISTINCT evpid_n),"
	    " count(DISTINCT mail_from), max(try) FROM v_delivery"
	    " WHERE result = 'permfail' AND t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "bounced", RT_INT, 0 }, { "senders", RT_INT, 0 },
	      { "max_tries", RT_INT, 0 } },
	    "SELECT c0, c1, count(DISTINCT host || ' ' || c2),"
	    " count(DISTINCT c3), max(c4) FROM part GROUP BY 1, 2"
	    " ORDER BY 3 DESC, 1, 2",
	    "SELECT domain, relay, evpid_n, mail_from, max(try) FROM v_delivery"
	    " WHERE result = 'permfail' AND t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3, 4", 0 },
	{ "by_class", "Bounces by class of the next hop's reply",
	    RK_ROWS, 0,
	    "SELECT " REPORT_TAB_CLASS ", count(DISTINCT evpid_n),"
	    " count(DISTINCT mail_from), count(DISTINCT domain), max(t)"
	    " FROM v_delivery d WHERE result = 'permfail'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1 ORDER BY 2 DESC, 1",
	    { { "class", RT_TEXT, 0 }, { "bounced", RT_INT, 0 },
	      { "senders", RT_INT, 0 }, { "domains", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, sum(c3), count(DISTINCT c2), count(DISTINCT c1),"
	    " max(c4) FROM part GROUP BY c0 ORDER BY 2 DESC, 1",
	    "SELECT " REPORT_TAB_CLASS ", domain, mail_from,"
	    " count(DISTINCT evpid_n), max(t) FROM v_delivery d"
	    " WHERE result = 'permfail' AND t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3", 0 },
	{ "replies", "Bounces by the next hop's reply", RK_ROWS, 0,
	    "SELECT domain, relay, reply, count(DISTINCT evpid_n)"
	    " FROM v_delivery WHERE result = 'permfail'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "reply", RT_TEXT, 0 }, { "bounced", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "mail", "Bounced mail, latest first", RK_ROWS, 0,
	    "SELECT t, evpid, mail_from, rcpt_to, reply, relay, try"
	    " FROM v_delivery WHERE result = 'permfail'"
	    " AND t BETWEEN ?1 AND ?2 ORDER BY t DESC, id DESC",
	    { { "time", RT_TIME, 0 }, { "evpid", RT_TEXT, 1 },
	      { "sender", RT_ADDR, 0 }, { "recipient", RT_ADDR, 0 },
	      { "reply", RT_TEXT, 0 }, { "relay", RT_TEXT, 1 },
	      { "tries", RT_INT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6 FROM part"
	    " ORDER BY c0 DESC, host, rowid",
	    NULL, 1 },
	{ "sender_refused", "MAIL FROM refused permanently by the next hop",
	    RK_ROWS, 0,
	    "SELECT s.dest, v.mail_from, v.reply, count(*), max(v.t)"
	    " FROM v_mail_refused v JOIN session s ON s.id = v.session_id"
	    " WHERE v.reply LIKE '5%' AND v.t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
	    { { "relay", RT_TEXT, 0 }, { "sender", RT_ADDR, 0 },
	      { "reply", RT_TEXT, 0 }, { "refusals", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, c2, sum(c3), max(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	REPORT_TAB_END
};

#define REPORT_TAB_PCTL_COLS(group) \
	{ { group, RT_TEXT, 0 }, { "count", RT_INT, 0 }, \
	  { "p50", RT_DUR, 0 }, { "p95", RT_DUR, 0 }, { "p99", RT_DUR, 0 }, \
	  { "max", RT_DUR, 0 } }

/* Every host's values (RK_PCTL sorts them). */
#define REPORT_TAB_MERGE_PCTL	"SELECT c0, c1 FROM part"

/*
 * Latency: a delivery not received on smtp-in (t_received NULL) gives a
 * NULL value, which RK_PCTL does not count: the query computes
 * t_received once a row, not twice.
 */
static const struct report_section report_tab_latency[] = {
	{ "accept_to_delivery", "Accept to delivery (commit to the next hop's "
	    "2xx), per domain", RK_PCTL, 0,
	    "SELECT domain, t - t_received FROM v_delivery WHERE result = 'ok'"
	    " AND t BETWEEN ?1 AND ?2",
	    REPORT_TAB_PCTL_COLS("domain"),
	    REPORT_TAB_MERGE_PCTL, NULL, 0 },
	{ "per_attempt", "Per attempt (MAIL FROM accepted to the "
	    "deciding reply), per domain", RK_PCTL, 0,
	    "SELECT domain, duration FROM v_delivery"
	    " WHERE t BETWEEN ?1 AND ?2",
	    REPORT_TAB_PCTL_COLS("domain"),
	    REPORT_TAB_MERGE_PCTL, NULL, 0 },
	{ "per_relay", "Accept to delivery, per relay", RK_PCTL, 0,
	    "SELECT relay, t - t_received FROM v_delivery WHERE result = 'ok'"
	    " AND t BETWEEN ?1 AND ?2",
	    REPORT_TAB_PCTL_COLS("relay"),
	    REPORT_TAB_MERGE_PCTL, NULL, 0 },
	REPORT_TAB_END
};

/*
 * Filter decisions: all from the counts per hour when they answer (a:
 * see REPORT_HOUR_ALL_FILTERS).  Else the whole hours from the counts,
 * which count a session at its first response of each phase and
 * decision, and from the rows of the sessions that reach into a cut
 * hour or are open at ?1 (session_t, the index alone; then event_s):
 * per session and decision, the responses in the cut hours, and the
 * session once if its first response is in a cut hour, or before ?1
 * with another in the window.  event has no index on time: a scan of
 * it grew with the database whatever the window.  A session's lines
 * come after its start and before its end, as the writer sets them, and
 * in the order of their times: a clock stepped back within a session
 * can make its first response by id (the counts') not its earliest.
 */
#define REPORT_TAB_FILTER_ROWS \
	"SELECT f.subsystem, f.phase, f.decision," \
	" sum(" REPORT_HOUR_EDGE("f.t") "), min(f.t) BETWEEN ?1 AND " \
	REPORT_HOUR_L1 " OR min(f.t) BETWEEN " REPORT_HOUR_R0 " AND ?2 OR" \
	" (min(f.t) < ?1 AND max(f.t) >= ?1)" \
	" FROM w CROSS JOIN session s" \
	" CROSS JOIN v_filter f ON f.session_id = s.id WHERE NOT a" \
	" AND s.t_start <= ?2 AND (coalesce(s.t_end, 9223372036854775807)" \
	" >= " REPORT_HOUR_R0 " OR (+s.t_start <= max(" REPORT_HOUR_L1 \
	", ?1) AND coalesce(s.t_end, 9223372036854775807) >= ?1))" \
	" AND f.t <= ?2 GROUP BY s.id, 1, 2, 3"
static const struct report_section report_tab_filters[] = {
	{ "decisions", "Filter decisions by phase", RK_ROWS, 0,
	    "WITH w(a) AS (SELECT " REPORT_HOUR_ALL_FILTERS ")"
	    " SELECT subsystem, phase, decision, sum(n), sum(sessions) FROM"
	    " (SELECT subsystem, phase, decision, n, sessions FROM w"
	    " CROSS JOIN v_filter_hour WHERE a OR "
	    REPORT_HOUR_WHOLE("t / 3600000000")
	    " UNION ALL " REPORT_TAB_FILTER_ROWS ")"
	    " GROUP BY 1, 2, 3 HAVING sum(n) > 0"
	    " ORDER BY decision = 'proceed', 4 DESC, 1, 2, 3",
	    { { "direction", RT_TEXT, 0 }, { "phase", RT_TEXT, 0 },
	      { "decision", RT_TEXT, 0 }, { "count", RT_INT, 0 },
	      { "sessions", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY c2 = 'proceed', 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "refusals", "What filters refused or changed, by reply", RK_ROWS, 0,
	    "SELECT phase, decision, param, count(*),"
	    " count(DISTINCT session_id) FROM v_filter"
	    " WHERE decision != 'proceed' AND id IN (SELECT id FROM event_rare"
	    " WHERE k IN (18, 50) AND t BETWEEN ?1 AND ?2)"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    { { "phase", RT_TEXT, 0 }, { "decision", RT_TEXT, 0 },
	      { "reply", RT_TEXT, 0 }, { "count", RT_INT, 0 },
	      { "sessions", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "reports", "Filter reports, by filter", RK_ROWS, 0,
	    "SELECT kind, filter, message, count(*), count(DISTINCT session_id)"
	    " FROM v_filter_report WHERE t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
	    { { "kind", RT_TEXT, 0 }, { "filter", RT_TEXT, 0 },
	      { "message", RT_TEXT, 0 }, { "count", RT_INT, 0 },
	      { "sessions", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY 4 DESC, 1, 2, 3",
	    NULL, 0 },
	REPORT_TAB_END
};

const struct report_def report_tab_list[] = {
	{ "summary", "counts, volume per hour, top senders, recipients, "
	    "hosts, domains", report_tab_summary, 0 },
	{ "rejections", "smtp-in refusals by reply, by client, latest",
	    report_tab_rejections, 0 },
	{ "deferrals", "temporary failures by destination and relay, "
	    "class, replies, oldest pending", report_tab_deferrals, 0 },
	{ "bounces", "permanent failures by destination and relay, class, "
	    "replies, the mail", report_tab_bounces, 0 },
	{ "latency", "accept to delivery and per attempt: p50/p95/p99 per "
	    "domain", report_tab_latency, 0 },
	{ "tls", "TLS share per direction, versions and ciphers, plaintext "
	    "mail", report_tab_tls, 0 },
	{ "auth", "AUTH successes and failures by user and by client",
	    report_tab_auth, 0 },
	{ "filters", "filter decisions by phase, their replies, filter "
	    "reports", report_tab_filters, 0 },
	{ "queue", "mail not yet delivered, by age per destination domain "
	    "(qshape)", report_tab_queue, 1 },
	{ "destinations", "per domain and next hop: outcomes, classes, "
	    "TLS, by trouble", report_dest_sections, 0 },
	{ NULL, NULL, NULL, 0 }
};
