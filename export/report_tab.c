/*
 * report_tab.c: the reports, and the sections of summary, rejections,
 * deferrals and bounces: each one query over the views of
 * schema/views.sql (mailtrail(1), DATABASE) with ?1 since and ?2 until
 * bounding the time of what it counts, ?3 now and ?4 the volume bucket.
 * With several databases, each section's merge query makes one table
 * of every host's rows (table part, report.h): counts add, maxima stay
 * maxima, a client, sender or user is counted once over all hosts (the
 * part query keeps it in its rows), a session or an envelope belongs
 * to its host, percentiles are over every host's values, and lists of
 * single events begin with their host.
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

const struct report_def report_list[] = {
	{ "summary", "counts, volume per hour, top senders, recipients, "
	    "hosts, domains", report_summary },
	{ "rejections", "smtp-in refusals by reply, by client, latest",
	    report_rejections },
	{ "deferrals", "temporary failures by destination and relay, "
	    "replies, oldest pending", report_deferrals },
	{ "bounces", "permanent failures by destination and relay, replies, "
	    "the mail", report_bounces },
	{ "latency", "accept to delivery and per attempt: p50/p95/p99 per "
	    "domain", report_latency },
	{ "tls", "TLS share per direction, versions and ciphers, plaintext "
	    "mail", report_tls },
	{ "auth", "AUTH successes and failures by user and by client",
	    report_auth },
	{ "filters", "filter decisions by phase, their replies, filter "
	    "reports", report_filters },
	{ "queue", "mail not yet delivered, by age per destination domain "
	    "(qshape)", report_queue },
	{ NULL, NULL, NULL }
};

const struct report_section report_summary[] = {
	{ "totals", "Totals", RK_RECORD, 1,
	    /* One pass over each view, not one per column. */
	    "SELECT m.n, m.envelopes, m.bytes, d.ok, d.temp, d.temps, d.perm,"
	    " (SELECT count(*) FROM v_life_rejected WHERE t BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM v_refusal WHERE t BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM v_mail_refused WHERE t BETWEEN ?1 AND ?2),"
	    " (SELECT count(*) FROM v_pending WHERE t BETWEEN ?1 AND ?2),"
	    " s.sin, s.sout FROM"
	    " (SELECT count(*) AS n, coalesce(sum(envelopes), 0) AS envelopes,"
	    "  coalesce(sum(size), 0) AS bytes FROM v_message"
	    "  WHERE t BETWEEN ?1 AND ?2) m,"
	    " (SELECT count(DISTINCT CASE result WHEN 'ok' THEN evpid_n END)"
	    "  AS ok, count(DISTINCT CASE result WHEN 'tempfail' THEN evpid_n"
	    "  END) AS temp, coalesce(sum(result = 'tempfail'), 0) AS temps,"
	    "  count(DISTINCT CASE result WHEN 'permfail' THEN evpid_n END)"
	    "  AS perm FROM v_delivery WHERE t BETWEEN ?1 AND ?2) d,"
	    " (SELECT coalesce(sum(dir = 0), 0) AS sin,"
	    "  coalesce(sum(dir = 1), 0) AS sout FROM session"
	    "  WHERE t_start BETWEEN ?1 AND ?2) s",
	    { { "received_messages", RT_INT, 0 },
	      { "received_envelopes", RT_INT, 0 },
	      { "received_bytes", RT_BYTES, 0 },
	      { "delivered", RT_INT, 0 },
	      { "deferred", RT_INT, 0 },
	      { "deferrals", RT_INT, 0 },
	      { "failed", RT_INT, 0 },
	      { "rejected", RT_INT, 0 },
	      { "smtp_in_refusals", RT_INT, 0 },
	      { "sender_refused_by_next_hop", RT_INT, 0 },
	      { "pending", RT_INT, 0 },
	      { "sessions_in", RT_INT, 0 },
	      { "sessions_out", RT_INT, 0 } },
	    "SELECT sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5),"
	    " sum(c6), sum(c7), sum(c8), sum(c9), sum(c10), sum(c11), sum(c12)"
	    " FROM part",
	    NULL, 0 },
	{ "volume", "Volume", RK_ROWS, 1,
	    "SELECT b * ?4, sum(r), sum(d), sum(f), sum(p), sum(j) FROM ("
	    " SELECT t / ?4 AS b, envelopes AS r, 0 AS d, 0 AS f, 0 AS p,"
	    "  0 AS j FROM v_message WHERE t BETWEEN ?1 AND ?2"
	    " UNION ALL SELECT t / ?4, 0, result = 'ok', result = 'tempfail',"
	    "  result = 'permfail', 0 FROM v_delivery WHERE t BETWEEN ?1 AND ?2"
	    " UNION ALL SELECT t / ?4, 0, 0, 0, 0, 1 FROM v_life_rejected"
	    "  WHERE t BETWEEN ?1 AND ?2) GROUP BY b ORDER BY b",
	    { { "time", RT_BUCKET, 0 }, { "received", RT_INT, 0 },
	      { "delivered", RT_INT, 0 }, { "deferrals", RT_INT, 0 },
	      { "failed", RT_INT, 0 }, { "rejected", RT_INT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3), sum(c4), sum(c5) FROM part"
	    " GROUP BY c0 ORDER BY c0",
	    NULL, 0 },
	{ "senders", "Top senders", RK_ROWS, 0,
	    "SELECT mail_from, count(*), sum(envelopes), sum(size)"
	    " FROM v_message WHERE t BETWEEN ?1 AND ?2 GROUP BY mail_from"
	    " ORDER BY 2 DESC, 4 DESC, 1",
	    { { "sender", RT_ADDR, 0 }, { "messages", RT_INT, 0 },
	      { "recipients", RT_INT, 0 }, { "bytes", RT_BYTES, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3) FROM part GROUP BY c0"
	    " ORDER BY 2 DESC, 4 DESC, 1",
	    NULL, 0 },
	{ "recipients", "Top recipients", RK_ROWS, 0,
	    "SELECT rcpt_to, count(*) FROM v_received"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY rcpt_to ORDER BY 2 DESC, 1",
	    { { "recipient", RT_ADDR, 0 }, { "envelopes", RT_INT, 0 } },
	    "SELECT c0, sum(c1) FROM part GROUP BY c0 ORDER BY 2 DESC, 1",
	    NULL, 0 },
	{ "hosts", "Top sending hosts", RK_ROWS, 0,
	    "SELECT client, max(rdns), count(*), sum(envelopes), sum(size)"
	    " FROM v_message WHERE t BETWEEN ?1 AND ?2 GROUP BY client"
	    " ORDER BY 3 DESC, 5 DESC, 1",
	    { { "client", RT_TEXT, 0 }, { "rdns", RT_TEXT, 0 },
	      { "messages", RT_INT, 0 }, { "recipients", RT_INT, 0 },
	      { "bytes", RT_BYTES, 0 } },
	    "SELECT c0, max(c1), sum(c2), sum(c3), sum(c4) FROM part"
	    " GROUP BY c0 ORDER BY 3 DESC, 5 DESC, 1",
	    NULL, 0 },
	{ "domains", "Top destination domains", RK_ROWS, 0,
	    "SELECT domain, sum(result = 'ok'), sum(result = 'tempfail'),"
	    " sum(result = 'permfail'), count(*) FROM v_delivery"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY domain ORDER BY 5 DESC, 1",
	    { { "domain", RT_TEXT, 0 }, { "delivered", RT_INT, 0 },
	      { "deferrals", RT_INT, 0 }, { "failed", RT_INT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3) FROM part GROUP BY c0"
	    " ORDER BY sum(c4) DESC, 1",
	    NULL, 0 },
	REPORT_END
};

const struct report_section report_rejections[] = {
	{ "by_reply", "smtp-in refusals by reply", RK_ROWS, 0,
	    "SELECT verb, reply, coalesce('filter ' || filter, 'smtpd'),"
	    " count(*), count(DISTINCT client), count(DISTINCT session_id),"
	    " max(t) FROM v_refusal WHERE t BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2",
	    { { "command", RT_TEXT, 0 }, { "reply", RT_TEXT, 0 },
	      { "by", RT_TEXT, 0 }, { "refusals", RT_INT, 0 },
	      { "clients", RT_INT, 0 }, { "sessions", RT_INT, 1 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, c2, sum(c4), count(DISTINCT c3), sum(c5), max(c6)"
	    " FROM part GROUP BY 1, 2, 3 ORDER BY 4 DESC, 2, 1, 3",
	    "SELECT verb, reply, coalesce('filter ' || filter, 'smtpd'),"
	    " client, count(*), count(DISTINCT session_id), max(t)"
	    " FROM v_refusal WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4",
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
	    " fcrdns, helo, filter FROM v_refusal WHERE t BETWEEN ?1 AND ?2"
	    " ORDER BY t DESC, id DESC",
	    { { "time", RT_TIME, 0 }, { "client", RT_TEXT, 0 },
	      { "command", RT_TEXT, 0 }, { "reply", RT_TEXT, 0 },
	      { "session", RT_TEXT, 1 }, { "rdns", RT_TEXT, 1 },
	      { "fcrdns", RT_TEXT, 1 }, { "helo", RT_TEXT, 1 },
	      { "filter", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6, c7, c8 FROM part"
	    " ORDER BY c0 DESC, host, rowid",
	    NULL, 1 },
	REPORT_END
};

/* Deferrals: tempfail attempts, and envelopes still waiting. */
#define REPORT_TRIED(res) \
	"SELECT d.*, NOT EXISTS (SELECT 1 FROM attempt f" \
	" WHERE f.evpid = d.evpid_n AND f.result IN (0, 2)) AS pend," \
	" coalesce(d.t_received, (SELECT e.t FROM envelope e" \
	" WHERE e.evpid = d.evpid_n)) AS t0 FROM v_delivery d" \
	" WHERE d.result = '" res "' AND d.t BETWEEN ?1 AND ?2"

const struct report_section report_deferrals[] = {
	{ "by_destination", "Deferrals by destination domain and relay",
	    RK_ROWS, 0,
	    "SELECT domain, relay, count(*), count(DISTINCT evpid_n),"
	    " max(try), count(DISTINCT CASE WHEN pend THEN evpid_n END),"
	    " ?3 - min(CASE WHEN pend THEN t0 END) FROM ("
	    REPORT_TRIED("tempfail") ") GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "deferrals", RT_INT, 0 }, { "envelopes", RT_INT, 0 },
	      { "max_tries", RT_INT, 0 }, { "pending", RT_INT, 0 },
	      { "oldest", RT_DUR, 0 } },
	    "SELECT c0, c1, sum(c2), sum(c3), max(c4), sum(c5), max(c6)"
	    " FROM part GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
	    NULL, 0 },
	{ "replies", "Deferrals by the next hop's reply", RK_ROWS, 0,
	    "SELECT domain, relay, reply, count(*), count(DISTINCT evpid_n)"
	    " FROM v_delivery WHERE result = 'tempfail'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
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
	    "SELECT evpid, ?3 - t0, rcpt_to, try, reply, mail_from, relay FROM ("
	    REPORT_TRIED("tempfail") " AND pend AND d.id = (SELECT max(a.id)"
	    " FROM attempt a WHERE a.evpid = d.evpid_n AND a.result = 1))"
	    " ORDER BY t0, evpid",
	    { { "evpid", RT_TEXT, 0 }, { "age", RT_DUR, 0 },
	      { "recipient", RT_ADDR, 0 }, { "tries", RT_INT, 0 },
	      { "reply", RT_TEXT, 0 }, { "sender", RT_ADDR, 1 },
	      { "relay", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6 FROM part"
	    " ORDER BY c1 IS NOT NULL, c1 DESC, c0, host",
	    NULL, 1 },
	REPORT_END
};

const struct report_section report_bounces[] = {
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
	{ "replies", "Bounces by the next hop's reply", RK_ROWS, 0,
	    "SELECT domain, relay, reply, count(DISTINCT evpid_n)"
	    " FROM v_delivery WHERE result = 'permfail'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
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
	REPORT_END
};
