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
 * report_hour.h: which part of a report's window the counts per hour
 * answer and which part the rows, as SQL conditions (report_tab.c).
 */
#ifndef REPORT_HOUR_H
#define REPORT_HOUR_H

/*
 * The counts per hour the writer keeps (schema 9) give the numbers of
 * the rows over whole hours.  The window [?1, ?2] (microseconds, both
 * inclusive) is read as the whole hours inside it, hours
 * REPORT_HOUR_H0 to REPORT_HOUR_H1 (none when H0 > H1), from the counts,
 * and the rest of it, at most two cut hours at its edges, from the
 * rows: REPORT_HOUR_EDGE(t), a condition on a row's time t that an index
 * on t answers as two ranges.
 *
 * A count of distinct sessions adds up over hours alone only when the
 * window holds every line counted: REPORT_HOUR_ALL_FILTERS, for the
 * filter responses, when none is before ?1 (the first hour counted) and
 * none after ?2 (none in a session that ends after ?2 or is still open:
 * a session's lines come before its end).  Under its negation the filter
 * decisions add, to the whole hours, the rows of the sessions that reach
 * into a cut hour or are open at ?1 (report_tab.c).  Such a query reads
 * the hours under that condition and the rows under its negation, the
 * condition evaluated once (a table of one row, the outer loop: SQLite
 * tests a condition on parameters alone before it reads a row, but not
 * one with a subquery).
 */
#define REPORT_HOUR_ALL_FILTERS \
	"(?1 <= coalesce((SELECT min(hour) FROM hour WHERE kind IN (3, 4))," \
	" 0) * 3600000000 AND NOT EXISTS (SELECT 1 FROM session s" \
	" WHERE coalesce(s.t_end, 9223372036854775807) > ?2 AND EXISTS" \
	" (SELECT 1 FROM event e WHERE e.s = s.id AND e.k % 32 = 18" \
	" AND e.t > ?2)))"
/*
 * The state of a life at ?3 is its status now when no life changed
 * after ?3: none took its status in an hour that ends after it.
 */
#define REPORT_HOUR_ALL_STATES \
	"(?3 >= (coalesce((SELECT max(hour) FROM hour WHERE kind = 17)," \
	" -1) + 1) * 3600000000)"
#define REPORT_HOUR_H0	"((?1 + 3599999999) / 3600000000)"
#define REPORT_HOUR_H1 \
	"(CASE WHEN ?2 >= 3599999999 THEN (?2 - 3599999999) / 3600000000" \
	" ELSE -1 END)"
#define REPORT_HOUR_WHOLE(h) \
	"(" h " BETWEEN " REPORT_HOUR_H0 " AND " REPORT_HOUR_H1 ")"
/*
 * The ids of the rows of table tab (under condition cond) at the edges,
 * a range of an index on t each: for a view whose own plan would not
 * read them by that index (its rows found by id, or by a join from
 * them, "(" REPORT_HOUR_EDGE_ID(...) ") x CROSS JOIN view").
 */
#define REPORT_HOUR_EDGE_ID(tab, cond, t) \
	"SELECT id FROM " tab " WHERE " cond " AND " t " BETWEEN ?1 AND" \
	" min(?2, " REPORT_HOUR_H0 " * 3600000000 - 1) UNION SELECT id FROM " \
	tab " WHERE " cond " AND " t " BETWEEN max(?1, (" REPORT_HOUR_H1 \
	" + 1) * 3600000000) AND ?2"
/* The end of the cut hour at the start, the start of the one at the end. */
#define REPORT_HOUR_L1	"min(?2, " REPORT_HOUR_H0 " * 3600000000 - 1)"
#define REPORT_HOUR_R0	"max(?1, (" REPORT_HOUR_H1 " + 1) * 3600000000)"
#define REPORT_HOUR_EDGE(t) \
	"(" t " BETWEEN ?1 AND " REPORT_HOUR_L1 " OR " t " BETWEEN " \
	REPORT_HOUR_R0 " AND ?2)"

/*
 * The messages received per hour (schema 15): kinds k, k + 1, k + 2
 * count messages, envelopes and bytes under one key, read as columns
 * m, e, b; the key of a sender is '=' || mail_from, of a client
 * '=' || client || '|' || '=' || rdns ('' for each that is NULL).
 */
#define REPORT_HOUR_MEB(k) \
	"CASE kind WHEN " #k " THEN n ELSE 0 END AS m," \
	" CASE kind WHEN " #k " + 1 THEN n ELSE 0 END AS e," \
	" CASE kind WHEN " #k " + 2 THEN n ELSE 0 END AS b"
#define REPORT_HOUR_SENDER(k) \
	"CASE WHEN " k " != '' THEN substr(" k ", 2) END"
#define REPORT_HOUR_CLIENT(k) \
	"CASE WHEN substr(" k ", 1, 1) = '=' THEN" \
	" substr(" k ", 2, instr(" k ", '|') - 2) END"
#define REPORT_HOUR_RDNS(k) \
	"CASE WHEN substr(" k ", instr(" k ", '|') + 1, 1) = '=' THEN" \
	" substr(" k ", instr(" k ", '|') + 2) END"

#endif /* REPORT_HOUR_H */
