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
 * report_tab_tls.c: the sections of report tls (report_tab.c lists
 * the reports): the share of TLS per direction, versions and ciphers, the
 * mail sent and received without it, and the handshakes that failed.
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"
#include "report_hour.h"

/*
 * Share of TLS: sessions started (whole hours: the writer's counts), and
 * mail (in: messages, out: attempts), each view read once.  "+dir", or
 * SQLite reads every session of the direction (session_dir_outcome) for
 * the edges of the window, where session_t finds just theirs.
 */
#define REPORT_TAB_TLS_DIR(dir, name, mail) \
	"SELECT '" name "', s.n, s.tls, 100.0 * s.tls / max(s.n, 1), m.n," \
	" m.p, 100.0 * m.p / max(m.n, 1) FROM (SELECT coalesce(sum(n), 0)" \
	" AS n, coalesce(sum(CASE WHEN tls IS NOT NULL THEN n END), 0)" \
	" AS tls FROM (SELECT nullif(key, '') AS tls, n FROM hour" \
	" WHERE kind = 1 + " dir " AND " REPORT_HOUR_WHOLE("hour") \
	" UNION ALL SELECT tls, 1 FROM session WHERE +dir = " dir " AND " \
	REPORT_HOUR_EDGE("t_start") "))" \
	" s, (SELECT count(*) AS n, coalesce(sum(tls IS NULL), 0) AS p FROM " \
	mail " WHERE t BETWEEN ?1 AND ?2) m"

const struct report_section report_tab_tls[] = {
	{ "by_direction", "TLS by direction (mail: messages received, "
	    "delivery attempts)", RK_ROWS, 1,
	    REPORT_TAB_TLS_DIR("0", "smtp-in", "v_message")
	    " UNION ALL "
	    REPORT_TAB_TLS_DIR("1", "smtp-out", "v_delivery"),
	    { { "direction", RT_TEXT, 0 }, { "sessions", RT_INT, 0 },
	      { "tls_sessions", RT_INT, 0 }, { "tls_pct", RT_PCT, 0 },
	      { "mail", RT_INT, 0 }, { "plaintext", RT_INT, 0 },
	      { "plaintext_pct", RT_PCT, 0 } },
	    "SELECT c0, sum(c1), sum(c2), 100.0 * sum(c2) / max(sum(c1), 1),"
	    " sum(c4), sum(c5), 100.0 * sum(c5) / max(sum(c4), 1) FROM part"
	    " GROUP BY c0 ORDER BY c0",
	    NULL, 0 },
	{ "versions", "Sessions by TLS version and cipher", RK_ROWS, 0,
	    "SELECT subsystem, version, cipher, bits, sum(n) FROM"
	    " (SELECT subsystem, version, cipher, bits, n FROM v_tls_hour"
	    " WHERE " REPORT_HOUR_WHOLE("t / 3600000000")
	    " UNION ALL SELECT subsystem, version, cipher, bits, 1"
	    " FROM v_tls WHERE " REPORT_HOUR_EDGE("t") ")"
	    " GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0 ORDER BY 1, 5 DESC, 2, 3",
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
	{ "handshake_failed", "TLS that failed (STARTTLS refused, or accepted"
	    " and never completed), per peer", RK_ROWS, 0,
	    "SELECT subsystem, CASE dir WHEN 0 THEN client ELSE dest END,"
	    " count(*), max(t_start), reason FROM v_session"
	    " WHERE outcome = 'tls-failed' AND "
	    DB_OUTCOME_INDEXED("outcome")
	    " AND t_start BETWEEN ?1 AND ?2"
	    " GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2",
	    { { "direction", RT_TEXT, 0 }, { "peer", RT_TEXT, 0 },
	      { "sessions", RT_INT, 0 }, { "last", RT_TIME, 0 },
	      { "last_reply", RT_TEXT, 0 } },
	    "SELECT c0, c1, sum(c2), max(c3), c4 FROM part GROUP BY 1, 2"
	    " ORDER BY 3 DESC, 1, 2",
	    NULL, 0 },
	REPORT_TAB_END
};
