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
 * report_tab_queue.c: the sections of report queue (report_tab.c has
 * the others): the queue at an instant, by age per domain and oldest
 * first, and the smtp-out sessions that failed before any transaction
 * while that mail waited.
 */
#include <stddef.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

/*
 * The queue at ?3 (--at, else --until, else now): each life whose change
 * of state covering ?3 (c) is queued or deferred, found by the index
 * life_change_wait, received (committed; first seen if not seen on
 * smtp-in) in [?1, ?2], with since when (t0) and the reply of c.
 */
#define REPORT_TAB_QUEUE_AT \
	"WITH p AS (SELECT l.id AS life," \
	" printf('%016x', l.evpid) AS evpid," \
	" coalesce(l.t_accepted, l.t) AS t0, l.mail_from, l.rcpt_to," \
	" CASE WHEN instr(l.rcpt_to, '@') > 0 THEN lower(substr(l.rcpt_to," \
	" instr(l.rcpt_to, '@') + 1)) ELSE '' END AS domain," \
	" ?3 - coalesce(l.t_accepted, l.t) AS age, c.status AS status," \
	" c.reply AS reply FROM life_change c JOIN life l ON l.id = c.life" \
	" WHERE c.status IN (0, 2) AND c.t <= ?3 AND (c.t_until IS NULL OR" \
	" c.t_until > ?3) AND l.evpid IS NOT NULL AND" \
	" coalesce(l.t_accepted, l.t) BETWEEN ?1 AND ?2) "

#define REPORT_TAB_AGES(x) \
	"total(age < 5 * " x ")," \
	" total(age >= 5 * " x " AND age < 10 * " x ")," \
	" total(age >= 10 * " x " AND age < 20 * " x ")," \
	" total(age >= 20 * " x " AND age < 40 * " x ")," \
	" total(age >= 40 * " x " AND age < 80 * " x ")," \
	" total(age >= 80 * " x " AND age < 160 * " x ")," \
	" total(age >= 160 * " x " AND age < 320 * " x ")," \
	" total(age >= 320 * " x " AND age < 640 * " x ")," \
	" total(age >= 640 * " x " AND age < 1280 * " x ")," \
	" total(age >= 1280 * " x ")"

const struct report_section report_tab_queue[] = {
	{ "shape", "Mail not yet delivered, by age in minutes "
	    "(at --at, else --until, else now)", RK_ROWS, 0,
	    REPORT_TAB_QUEUE_AT "SELECT 'TOTAL', count(*), "
	    REPORT_TAB_AGES("60000000") ", 0 AS k FROM p UNION ALL"
	    " SELECT domain, count(*), " REPORT_TAB_AGES("60000000")
	    ", 1 FROM p"
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
	    /* tries: its deferrals by then. */
	    REPORT_TAB_QUEUE_AT "SELECT evpid, age, (SELECT n.name FROM"
	    " v_status n WHERE n.status = p.status), rcpt_to, (SELECT"
	    " count(*) FROM life_change d WHERE d.life = p.life AND"
	    " d.status = 2 AND d.t <= ?3), reply, mail_from, t0"
	    " FROM p ORDER BY age DESC, evpid",
	    { { "evpid", RT_TEXT, 0 }, { "age", RT_DUR, 0 },
	      { "status", RT_TEXT, 1 }, { "recipient", RT_ADDR, 0 },
	      { "tries", RT_INT, 0 }, { "reply", RT_TEXT, 0 },
	      { "sender", RT_ADDR, 1 }, { "received", RT_TIME, 1 } },
	    "SELECT host, c0, c1, c2, c3, c4, c5, c6, c7 FROM part"
	    " ORDER BY c1 DESC, c0, host",
	    NULL, 1 },
	{ "failed_sessions", "smtp-out sessions that failed before any "
	    "transaction while that mail waited", RK_ROWS, 0,
	    /*
	     * Since the oldest of it was queued, by the index
	     * session_outcome; waiting: how much of it was queued before
	     * the last (trace links each envelope to its own).
	     */
	    REPORT_TAB_QUEUE_AT "SELECT g.relay, g.outcome, g.reply, g.n,"
	    " (SELECT count(*) FROM p WHERE p.t0 <= g.last), g.first, g.last"
	    " FROM (SELECT s.dest AS relay, s.outcome AS outcome, (SELECT"
	    " coalesce(e.x, CAST(e.raw AS TEXT)) FROM event e WHERE e.id ="
	    " s.reason) AS reply, count(*) AS n, min(s.t_start) AS first,"
	    " max(s.t_start) AS last FROM session s WHERE "
	    MODEL_FAILED_SQL("s") " AND s.t_start >= (SELECT min(t0) FROM p)"
	    " AND s.t_start <= ?3 GROUP BY 1, 2, 3) g"
	    " ORDER BY g.n DESC, g.last DESC, 1, 2, 3",
	    { { "relay", RT_TEXT, 0 }, { "outcome", RT_TEXT, 0 },
	      { "reply", RT_TEXT, 0 }, { "sessions", RT_INT, 0 },
	      { "waiting", RT_INT, 0 }, { "first", RT_TIME, 1 },
	      { "last", RT_TIME, 1 } },
	    "SELECT c0, c1, c2, sum(c3), sum(c4), min(c5), max(c6) FROM part"
	    " GROUP BY 1, 2, 3 ORDER BY 4 DESC, 7 DESC, 1, 2, 3",
	    NULL, 0 },
	REPORT_TAB_END
};

