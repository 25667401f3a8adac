/*
 * report_tab2.c: the sections of latency, tls, auth, filters and queue
 * (see report_tab.c for the parameters).
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define REPORT_PCTL_COLS(group) \
	{ { group, RT_TEXT, 0 }, { "count", RT_INT, 0 }, \
	  { "p50", RT_DUR, 0 }, { "p95", RT_DUR, 0 }, { "p99", RT_DUR, 0 }, \
	  { "max", RT_DUR, 0 } }

/* Every host's values, each group's in order. */
#define REPORT_MERGE_PCTL	"SELECT c0, c1 FROM part ORDER BY 1, 2"

const struct report_section report_latency[] = {
	{ "accept_to_delivery", "Accept to delivery (commit to the next hop's "
	    "2xx), per domain", RK_PCTL, 0,
	    "SELECT domain, t - t_received FROM v_delivery WHERE result = 'ok'"
	    " AND t_received IS NOT NULL AND t BETWEEN ?1 AND ?2"
	    " ORDER BY 1, 2",
	    REPORT_PCTL_COLS("domain"),
	    REPORT_MERGE_PCTL, NULL, 0 },
	{ "per_attempt", "Per attempt (MAIL FROM accepted to the "
	    "deciding reply), per domain", RK_PCTL, 0,
	    "SELECT domain, duration FROM v_delivery"
	    " WHERE t BETWEEN ?1 AND ?2 ORDER BY 1, 2",
	    REPORT_PCTL_COLS("domain"),
	    REPORT_MERGE_PCTL, NULL, 0 },
	{ "per_relay", "Accept to delivery, per relay", RK_PCTL, 0,
	    "SELECT relay, t - t_received FROM v_delivery WHERE result = 'ok'"
	    " AND t_received IS NOT NULL AND t BETWEEN ?1 AND ?2"
	    " ORDER BY 1, 2",
	    REPORT_PCTL_COLS("relay"),
	    REPORT_MERGE_PCTL, NULL, 0 },
	REPORT_END
};

/* Share of TLS: sessions started, and mail (in: messages, out: attempts). */
#define REPORT_TLS_DIR(dir, name, mail) \
	"SELECT '" name "', count(*), count(tls)," \
	" 100.0 * count(tls) / max(count(*), 1), (SELECT count(*) FROM " mail \
	" AND t BETWEEN ?1 AND ?2), (SELECT count(*) FROM " mail \
	" AND tls IS NULL AND t BETWEEN ?1 AND ?2), 100.0 * (SELECT count(*)" \
	" FROM " mail " AND tls IS NULL AND t BETWEEN ?1 AND ?2) /" \
	" max((SELECT count(*) FROM " mail " AND t BETWEEN ?1 AND ?2), 1)" \
	" FROM session WHERE dir = " dir " AND t_start BETWEEN ?1 AND ?2"

const struct report_section report_tls[] = {
	{ "by_direction", "TLS by direction (mail: messages received, "
	    "delivery attempts)", RK_ROWS, 1,
	    REPORT_TLS_DIR("0", "smtp-in", "v_message WHERE 1") " UNION ALL "
	    REPORT_TLS_DIR("1", "smtp-out", "v_delivery WHERE 1"),
	    { { "direction", RT_TEXT, 0 }, { "sessions", RT_INT, 0 },
	      { "tls_sessions", RT_INT, 0 }, { "tls_pct", RT_PCT, 0 },
	      { "mail", RT_INT, 0 }, { "plaintext", RT_INT, 0 },
	      { "plaintext_pct", RT_PCT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), 100.0 * sum(c2) / max(sum(c1), 1),"
	    " sum(c4), sum(c5), 100.0 * sum(c5) / max(sum(c4), 1) FROM part"
	    " GROUP BY c0 ORDER BY c0",
	    NULL, 0 },
	{ "versions", "Sessions by TLS version and cipher", RK_ROWS, 0,
	    "SELECT subsystem, version, cipher, bits, count(*) FROM v_tls"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4"
	    " ORDER BY 1, 5 DESC, 2, 3",
	    { { "direction", RT_TEXT, 0 }, { "version", RT_TEXT, 0 },
	      { "cipher", RT_TEXT, 0 }, { "bits", RT_INT, 0 },
	      { "sessions", RT_INT, 0 } },
	    "SELECT c0, c1, c2, c3, sum(c4) FROM part GROUP BY 1, 2, 3, 4"
	    " ORDER BY 1, 5 DESC, 2, 3, 4",
	    NULL, 0 },
	{ "plaintext_out", "Deliveries without TLS, per destination",
	    RK_ROWS, 0,
	    "SELECT domain, relay, count(*) FROM v_delivery WHERE result = 'ok'"
	    " AND tls IS NULL AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2"
	    " ORDER BY 3 DESC, 1, 2",
	    { { "domain", RT_TEXT, 0 }, { "relay", RT_TEXT, 0 },
	      { "deliveries", RT_INT, 0 } },
	    "SELECT c0, c1, sum(c2) FROM part GROUP BY 1, 2"
	    " ORDER BY 3 DESC, 1, 2",
	    NULL, 0 },
	{ "plaintext_in", "Messages received without TLS, per client",
	    RK_ROWS, 0,
	    "SELECT client, max(rdns), count(*) FROM v_message"
	    " WHERE tls IS NULL AND t BETWEEN ?1 AND ?2 GROUP BY 1"
	    " ORDER BY 3 DESC, 1",
	    { { "client", RT_TEXT, 0 }, { "rdns", RT_TEXT, 0 },
	      { "messages", RT_INT, 0 } },
	    "SELECT c0, max(c1), sum(c2) FROM part GROUP BY c0"
	    " ORDER BY 3 DESC, 1",
	    NULL, 0 },
	REPORT_END
};

const struct report_section report_auth[] = {
	{ "by_user", "AUTH by user", RK_ROWS, 0,
	    "SELECT user, sum(result = 'pass'), sum(result = 'fail'),"
	    " sum(result NOT IN ('pass', 'fail')), count(DISTINCT client),"
	    " max(t) FROM v_auth WHERE t BETWEEN ?1 AND ?2 GROUP BY 1"
	    " ORDER BY 3 DESC, 2 DESC, 1",
	    { { "user", RT_TEXT, 0 }, { "pass", RT_INT, 0 },
	      { "fail", RT_INT, 0 }, { "error", RT_INT, 0 },
	      { "clients", RT_INT, 0 }, { "last", RT_TIME, 0 } },
	    "SELECT c0, sum(c2), sum(c3), sum(c4), count(DISTINCT c1), max(c5)"
	    " FROM part GROUP BY c0 ORDER BY 3 DESC, 2 DESC, 1",
	    "SELECT user, client, sum(result = 'pass'), sum(result = 'fail'),"
	    " sum(result NOT IN ('pass', 'fail')), max(t) FROM v_auth"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2", 0 },
	{ "by_client", "AUTH by client", RK_ROWS, 0,
	    "SELECT client, max(rdns), sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')),"
	    " count(DISTINCT user), count(DISTINCT session_id), max(t)"
	    " FROM v_auth WHERE t BETWEEN ?1 AND ?2 GROUP BY 1"
	    " ORDER BY 4 DESC, 3 DESC, 1",
	    { { "client", RT_TEXT, 0 }, { "rdns", RT_TEXT, 0 },
	      { "pass", RT_INT, 0 }, { "fail", RT_INT, 0 },
	      { "error", RT_INT, 0 }, { "users", RT_INT, 0 },
	      { "sessions", RT_INT, 0 }, { "last", RT_TIME, 1 } },
	    "SELECT c0, max(c3), sum(c4), sum(c5), sum(c6), count(DISTINCT c1),"
	    " count(DISTINCT host || ' ' || c2), max(c7) FROM part GROUP BY c0"
	    " ORDER BY 4 DESC, 3 DESC, 1",
	    "SELECT client, user, session_id, max(rdns), sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')), max(t)"
	    " FROM v_auth WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3", 0 },
	{ "failures", "AUTH failures, latest first", RK_ROWS, 0,
	    "SELECT t, client, user, result, session, rdns FROM v_auth"
	    " WHERE result != 'pass' AND t BETWEEN ?1 AND ?2"
	    " ORDER BY t DESC, id DESC",
	    { { "time", RT_TIME, 0 }, { "client", RT_TEXT, 0 },
	      { "user", RT_TEXT, 0 }, { "result", RT_TEXT, 0 },
	      { "session", RT_TEXT, 0 }, { "rdns", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5 FROM part"
	    " ORDER BY c0 DESC, host, rowid",
	    NULL, 1 },
	REPORT_END
};

const struct report_section report_filters[] = {
	{ "decisions", "Filter decisions by phase", RK_ROWS, 0,
	    "SELECT subsystem, phase, decision, count(*),"
	    " count(DISTINCT session_id) FROM v_filter"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3"
	    " ORDER BY decision = 'proceed', 4 DESC, 1, 2, 3",
	    { { "direction", RT_TEXT, 0 }, { "phase", RT_TEXT, 0 },
	      { "decision", RT_TEXT, 0 }, { "count", RT_INT, 0 },
	      { "sessions", RT_INT, 0 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4) FROM part GROUP BY 1, 2, 3"
	    " ORDER BY c2 = 'proceed', 4 DESC, 1, 2, 3",
	    NULL, 0 },
	{ "refusals", "What filters refused or changed, by reply", RK_ROWS, 0,
	    "SELECT phase, decision, param, count(*), count(DISTINCT session_id)"
	    " FROM v_filter WHERE decision != 'proceed'"
	    " AND t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3",
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
	REPORT_END
};

/*
 * Pending at ?3: accepted (committed, or seen on smtp-out only) by
 * then, since ?1, with no attempt that delivered or failed it by then.
 */
#define REPORT_PENDING_AT \
	"WITH p AS (SELECT l.evpid, l.t, l.mail_from, l.rcpt_to," \
	" CASE WHEN instr(l.rcpt_to, '@') > 0 THEN lower(substr(l.rcpt_to," \
	" instr(l.rcpt_to, '@') + 1)) ELSE '' END AS domain, ?3 - l.t AS age," \
	" (SELECT count(*) FROM attempt a WHERE a.evpid = l.evpid_n AND" \
	" a.t <= ?3) AS tries, (SELECT a.reply FROM attempt a WHERE" \
	" a.evpid = l.evpid_n AND a.result IS NOT NULL AND a.t_end <= ?3" \
	" ORDER BY a.id DESC LIMIT 1) AS reply FROM v_life l" \
	" WHERE l.status != 'aborted' AND l.t >= ?1 AND l.t <= ?3 AND" \
	" (l.tx_in IS NULL OR l.t_commit <= ?3) AND NOT EXISTS (SELECT 1" \
	" FROM attempt a WHERE a.evpid = l.evpid_n AND a.result IN (0, 2)" \
	" AND a.t_end <= ?3)) "

#define REPORT_AGES(x) \
	"total(age < 5 * " x "), total(age >= 5 * " x " AND age < 10 * " x ")," \
	" total(age >= 10 * " x " AND age < 20 * " x ")," \
	" total(age >= 20 * " x " AND age < 40 * " x ")," \
	" total(age >= 40 * " x " AND age < 80 * " x ")," \
	" total(age >= 80 * " x " AND age < 160 * " x ")," \
	" total(age >= 160 * " x " AND age < 320 * " x ")," \
	" total(age >= 320 * " x " AND age < 640 * " x ")," \
	" total(age >= 640 * " x " AND age < 1280 * " x ")," \
	" total(age >= 1280 * " x ")"

const struct report_section report_queue[] = {
	{ "shape", "Mail not yet delivered, by age in minutes "
	    "(at --until, else now)", RK_ROWS, 0,
	    REPORT_PENDING_AT "SELECT 'TOTAL', count(*), "
	    REPORT_AGES("60000000") ", 0 AS k FROM p UNION ALL"
	    " SELECT domain, count(*), " REPORT_AGES("60000000") ", 1 FROM p"
	    " GROUP BY domain ORDER BY k, 2 DESC, 1",
	    { { "domain", RT_TEXT, 0 }, { "total", RT_INT, 0 },
	      { "5", RT_INT, 0 }, { "10", RT_INT, 0 }, { "20", RT_INT, 0 },
	      { "40", RT_INT, 0 }, { "80", RT_INT, 0 }, { "160", RT_INT, 0 },
	      { "320", RT_INT, 0 }, { "640", RT_INT, 0 },
	      { "1280", RT_INT, 0 }, { "1280+", RT_INT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6),"
	    " sum(c7), sum(c8), sum(c9), sum(c10), sum(c11) FROM part"
	    " GROUP BY c12, c0 ORDER BY c12, 2 DESC, 1",
	    NULL, 0 },
	{ "oldest", "Oldest mail not yet delivered", RK_ROWS, 0,
	    REPORT_PENDING_AT "SELECT evpid, age, rcpt_to, tries, reply,"
	    " mail_from, t FROM p ORDER BY age DESC, evpid",
	    { { "evpid", RT_TEXT, 0 }, { "age", RT_DUR, 0 },
	      { "recipient", RT_ADDR, 0 }, { "tries", RT_INT, 0 },
	      { "reply", RT_TEXT, 0 }, { "sender", RT_ADDR, 1 },
	      { "received", RT_TIME, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6 FROM part"
	    " ORDER BY c1 DESC, c0, host",
	    NULL, 1 },
	REPORT_END
};
