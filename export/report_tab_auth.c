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
 * report_tab_auth.c: the sections of report auth (report_tab.c lists
 * the reports): AUTH by user, by client and by direction, and its failures.
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

/* AUTH of both directions (v_auth_all): smtp-in's, and ours on smtp-out. */
const struct report_section report_tab_auth[] = {
	{ "by_user", "AUTH by user", RK_ROWS, 0,
	    "SELECT subsystem, user, sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')),"
	    " count(DISTINCT client), max(t) FROM v_auth_all"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2"
	    " ORDER BY 4 DESC, 3 DESC, 1, 2",
	    { { "direction", RT_TEXT, 0 }, { "user", RT_TEXT, 0 },
	      { "pass", RT_INT, 0 }, { "fail", RT_INT, 0 },
	      { "error", RT_INT, 0 }, { "clients", RT_INT, 0 },
	      { "last", RT_TIME, 0 } },
	    "SELECT c0, c1, sum(c3), sum(c4), sum(c5), count(DISTINCT c2),"
	    " max(c6) FROM part GROUP BY c0, c1 ORDER BY 4 DESC, 3 DESC, 1, 2",
	    "SELECT subsystem, user, client, sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')), max(t)"
	    " FROM v_auth_all WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3", 0 },
	{ "by_client", "AUTH by client (smtp-out: by next hop)", RK_ROWS, 0,
	    "SELECT subsystem, client, max(rdns), sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')),"
	    " count(DISTINCT user), count(DISTINCT session_id), max(t)"
	    " FROM v_auth_all WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2"
	    " ORDER BY 5 DESC, 4 DESC, 1, 2",
	    { { "direction", RT_TEXT, 0 }, { "client", RT_TEXT, 0 },
	      { "rdns", RT_TEXT, 0 }, { "pass", RT_INT, 0 },
	      { "fail", RT_INT, 0 }, { "error", RT_INT, 0 },
	      { "users", RT_INT, 0 }, { "sessions", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, max(c4), sum(c5), sum(c6), sum(c7),"
	    " count(DISTINCT c2), count(DISTINCT host || ' ' || c3), max(c8)"
	    " FROM part GROUP BY c0, c1 ORDER BY 5 DESC, 4 DESC, 1, 2",
	    "SELECT subsystem, client, user, session_id, max(rdns),"
	    " sum(result = 'pass'), sum(result = 'fail'),"
	    " sum(result NOT IN ('pass', 'fail')), max(t) FROM v_auth_all"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4", 0 },
	{ "failures", "AUTH failures, latest first", RK_ROWS, 0,
	    "SELECT t, subsystem, client, user, result, session, rdns"
	    " FROM v_auth_all WHERE result != 'pass' AND t BETWEEN ?1 AND ?2"
	    " ORDER BY t DESC, id DESC",
	    { { "time", RT_TIME, 0 }, { "direction", RT_TEXT, 0 },
	      { "client", RT_TEXT, 0 }, { "user", RT_TEXT, 0 },
	      { "result", RT_TEXT, 0 }, { "session", RT_TEXT, 0 },
	      { "rdns", RT_TEXT, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6 FROM part"
	    " ORDER BY c0 DESC, host, rowid",
	    NULL, 1 },
	{ "by_direction", "AUTH by direction (smtp-out: ours to the next hop)",
	    RK_ROWS, 1,
	    "SELECT subsystem, sum(result = 'pass'), sum(result = 'fail'),"
	    " sum(result NOT IN ('pass', 'fail')), count(DISTINCT user),"
	    " count(DISTINCT session_id), max(t) FROM v_auth_all"
	    " WHERE t BETWEEN ?1 AND ?2 GROUP BY 1 ORDER BY 1",
	    { { "direction", RT_TEXT, 0 }, { "pass", RT_INT, 0 },
	      { "fail", RT_INT, 0 }, { "error", RT_INT, 0 },
	      { "users", RT_INT, 0 }, { "sessions", RT_INT, 0 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, sum(c3), sum(c4), sum(c5), count(DISTINCT c1),"
	    " count(DISTINCT host || ' ' || c2), max(c6) FROM part GROUP BY c0"
	    " ORDER BY c0",
	    "SELECT subsystem, user, session_id, sum(result = 'pass'),"
	    " sum(result = 'fail'), sum(result NOT IN ('pass', 'fail')), max(t)"
	    " FROM v_auth_all WHERE t BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3", 0 },
	REPORT_TAB_END
};
