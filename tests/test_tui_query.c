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
 * test_tui_query.c: the TUI's queries on a database replayed from the
 * real captures: every statement's plan uses an index or a rowid range
 * (no full scan), list rows read by key, what a range of events
 * touches, the window, the filter's index, sessions and their events,
 * and the header's meters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui/tui.h"
#include "test.h"
#include "test_db.h"

#define SEC		1000000LL
#define EVP_TEMP1	0xe6a2001748c30318LL	/* deferred, two attempts */
#define EVP_DAVE	0x1466b132e53384c3LL	/* failed at the next hop */
#define EVP_ERIN_DEST	0x796808e200497ce6LL	/* its MAIL FROM refused */
#define EVP_LOCAL	0x061514604d36e202LL	/* k-local-delivery */
#define EVP_ERIN	0x1466b13205030850LL	/* tempfail-erin, b-multi-rcpt */

static void	test_plans(struct query *, const char *);
static void	test_rows(struct query *);
static void	test_window(struct query *);
static int64_t	test_event_id(const char *, const char *);
static void	test_delta(struct query *, const char *);
static void	test_index(struct query *);
static void	test_sessions(struct query *);
static void	test_outcomes(struct query *);
static void	test_meters(struct query *);
static void	test_maillog(struct query *, const char *);
static void	test_msgid(struct query *, const char *);

/*
 * No statement the TUI prepares reads a whole table: every plan line is
 * a SEARCH.  The meters' counts over the last hour read their indexes
 * alone, not the rows; the window's sessions are found by time.
 */
static void
test_plans(struct query *q, const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s, *st;
	char		 sql[4096], *plan;
	const char	*d, *text;
	int		 i;

	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK);
	for (i = 0; i < Q_MAX; i++) {
		st = query_stmt(q, i);
		CHECK_MSG(st != NULL, "%d: %s", i, query_error(q));
		text = st != NULL ? sqlite3_sql(st) : "";
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", text);
		CHECK_MSG(sqlite3_prepare_v2(db, sql, -1, &s, NULL) ==
		    SQLITE_OK, "%d: %s", i, sqlite3_errmsg(db));
		while (sqlite3_step(s) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(s, 3);
			if ((i == Q_M_OPEN || i == Q_M_MSGS) &&
			    strncmp(d, "SEARCH ", 7) == 0)
				CHECK_MSG(strstr(d, "COVERING INDEX") != NULL,
				    "statement %d reads rows: %s", i, d);
			/*
			 * The window's failed sessions: by time, not all
			 * smtp-in sessions by session_dir_outcome.
			 */
			if (i == Q_WIN_SES && strncmp(d, "SEARCH s ", 9) == 0)
				CHECK_MSG(strstr(d, "INDEX session_t "
				    "(t_start>? AND t_start<?)") != NULL,
				    "statement %d: %s", i, d);
			/* The outcome filter: the newest in index order. */
			if (i == Q_SES_OUTCOME)
				CHECK_MSG(strstr(d, "COVERING INDEX "
				    "session_outcome") != NULL,
				    "statement %d: %s", i, d);
		}
		sqlite3_finalize(s);
		plan = test_db_plan(db, text);
		CHECK_MSG(test_db_scan(plan) == NULL, "statement %d scans: "
		    "%s\n%s", i, text, plan);
		free(plan);
	}
	sqlite3_close(db);
}

static void
test_rows(struct query *q)
{
	struct query_row	r;
	struct query_key	k;

	k.kind = QUERY_ENVELOPE;
	k.key = EVP_TEMP1;
	CHECK(query_row(q, &k, &r) == 1);
	CHECK(r.status == LIFE_DEFERRED && r.nattempts == 2);
	CHECK(r.from && strcmp(r.from, "alice@example.test") == 0);
	CHECK(r.to && strcmp(r.to, "temp1@dest.test") == 0);
	CHECK(r.client && strcmp(r.client, "127.0.0.1:45180") == 0);
	CHECK(r.relay && strcmp(r.relay, "127.0.0.1:12526") == 0);
	CHECK(r.reply && strcmp(r.reply, "451 4.3.0 try later") == 0);
	CHECK(r.msgid == 0xe6a20017 && r.t_end == 0);
	query_row_free(&r);

	k.key = EVP_DAVE;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_FAILED &&
	    r.t_end > r.t_start && r.helo != NULL &&
	    strcmp(r.helo, "client.test") == 0);
	query_row_free(&r);

	/* Aborted (RSET), and queued for a local delivery. */
	k.key = 0x59ad60b67218b451LL;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_ABORTED);
	query_row_free(&r);
	k.key = 0x061514604d36e202LL;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_QUEUED &&
	    r.nattempts == 0);
	query_row_free(&r);
	k.key = 42;
	CHECK(query_row(q, &k, &r) == 0);
	/* Refused at RCPT: key is rcpt.id; a session with MAIL is no row. */
	k.kind = QUERY_REJECTED;
	k.key = 7;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_REJECTED &&
	    strcmp(r.to, "mallory@elsewhere.invalid") == 0 &&
	    strncmp(r.reply, "550 Invalid recipient", 21) == 0);
	query_row_free(&r);
	k.kind = QUERY_SESSION;
	k.key = 1;
	CHECK(query_row(q, &k, &r) == 0);
}

static void
test_window(struct query *q)
{
	struct query_delta	d;

	memset(&d, 0, sizeof(d));
	CHECK(query_feed_window(q, 1000, INT64_MAX, &d) == 0);
	CHECK(d.nkeys == 18 + 2);	/* every life of the captures */
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, EVP_TEMP1));
	CHECK(query_feed_has(&d, QUERY_REJECTED, 7));
	/* The newest three envelopes, and what was refused since. */
	CHECK(query_feed_window(q, 3, INT64_MAX, &d) == 0);
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, 0x59ad60b67218b451LL));
	CHECK(!query_feed_has(&d, QUERY_ENVELOPE, EVP_TEMP1));
	CHECK(!query_feed_has(&d, QUERY_REJECTED, 7));
	query_feed_free(&d);
}

/* The id of the event whose text is x, or 0. */
static int64_t
test_event_id(const char *path, const char *x)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	int64_t		 id = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT id FROM event WHERE x = ?1", -1,
	    &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, x, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return id;
}

static void
test_delta(struct query *q, const char *path)
{
	struct query_delta	d;
	int64_t			last = query_last_event(q), id;

	memset(&d, 0, sizeof(d));
	CHECK(last > 800);
	/* Every event: every life and every session is touched. */
	CHECK(query_feed_delta(q, 0, last, &d) == 0 && !d.reload);
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, EVP_TEMP1));
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, EVP_DAVE));
	CHECK(query_feed_has(&d, QUERY_REJECTED, 7));
	CHECK(d.nsessions == 23 && query_feed_has_session(&d, 12));
	/*
	 * The next hop refuses MAIL FROM (no tx-* line): the envelope the
	 * writer gave the refusal to.
	 */
	id = test_event_id(path, "550 5.7.1 sender rejected");
	CHECK(id > 0 && query_feed_delta(q, id - 1, id, &d) == 0 &&
	    query_feed_has(&d, QUERY_ENVELOPE, EVP_ERIN_DEST));
	/* Nothing new, nothing touched; too much at once: read again. */
	CHECK(query_feed_delta(q, last, last, &d) == 0 && d.nkeys == 0);
	CHECK(query_feed_delta(q, 0, QUERY_DELTA_MAX + 1, &d) == 0 &&
	    d.reload);
	query_feed_free(&d);
}

static void
test_index(struct query *q)
{
	struct model_query	 mq;
	struct query_delta	 d;
	const char		*bad;
	char			 a0[] = "from:rejectme@example.test";
	char			 a1[] = "ip:127.0.0.1", a2[] = "to:@dest.test";
	char			 a3[] = "6d45c9244db742cd";
	char			*argv[1];

	memset(&d, 0, sizeof(d));
	argv[0] = a0;
	CHECK(model_query_parse(&mq, 1, argv, 0, &bad) == 0);
	CHECK(query_feed_indexed(&mq) == 0);
	CHECK(query_feed_index(q, &mq, 100, &d) == 0 && d.nkeys == 1 &&
	    d.keys[0].key == (int64_t)0x796808e200497ce6LL);
	argv[0] = a1;
	CHECK(model_query_parse(&mq, 1, argv, 0, &bad) == 0 &&
	    query_feed_indexed(&mq) == -1);
	argv[0] = a2;
	CHECK(model_query_parse(&mq, 1, argv, 0, &bad) == 0 &&
	    query_feed_indexed(&mq) == -1);
	/* An smtp-out session: every envelope it carried. */
	argv[0] = a3;
	CHECK(model_query_parse(&mq, 1, argv, 0, &bad) == 0);
	CHECK(query_feed_index(q, &mq, 100, &d) == 0);
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, EVP_TEMP1) &&
	    query_feed_has(&d, QUERY_ENVELOPE, (int64_t)0xbcb8db5ba68c4c2bLL));
	query_feed_free(&d);
}

static void
test_sessions(struct query *q)
{
	struct query_sess	*v = NULL, one;
	struct query_event	*ev = NULL;
	size_t			 n = 0, vcap = 0, nev = 0, cap = 0, i;
	int64_t			 max = query_session_max(q);

	CHECK(max == 23);
	CHECK(query_session_range(q, max - 5, max, &v, &n, &vcap) == 0 &&
	    n == 5 && v[0].id == max - 4);
	for (i = 0; i < n; i++)
		query_session_free(&v[i]);
	free(v);
	CHECK(query_session_one(q, 12, &one) == 1 && one.dir == 1 &&
	    one.ntx == 5 && one.sid == 0x6d45c9244db742cdULL &&
	    strcmp(one.dest, "127.0.0.1:12526") == 0);
	CHECK(query_session_by_sid(q, 0x6d45c9244db742cdULL) == 12);
	CHECK(query_session_events(q, 12, 0, &ev, &nev, &cap) == 0 &&
	    nev > 50 && ev[0].event == 1 && ev[0].dir == 1);
	/* The session starts at its first event, minor 6 of the capture. */
	CHECK(nev > 0 && ev[0].t == one.t_start && ev[0].minor == 6 &&
	    !ev[0].has_msgid);
	query_session_free(&one);
	CHECK(strncmp(ev[1].text, "220 sink.test", 13) == 0);
	query_session_events_free(ev, nev);
}

/*
 * The outcome: filter: the newest sessions of an outcome by its index,
 * a group's merged newest first, and each row with what decided it.
 */
static void
test_outcomes(struct query *q)
{
	struct model_query	 mq;
	struct query_sess	 one;
	struct query_key	 k;
	struct query_row	 r;
	int64_t			*ids;
	size_t			 n;

	memset(&mq, 0, sizeof(mq));
	CHECK(query_session_outcome_term("refused") &&
	    query_session_outcome_term("auth-failed") &&
	    query_session_outcome_term("open") &&
	    !query_session_outcome_term("refused-") &&
	    !query_session_outcome_term("Mail"));
	CHECK(query_session_outcome_indexed("refused") &&
	    query_session_outcome_indexed("no-mail") &&
	    !query_session_outcome_indexed("mail") &&
	    !query_session_outcome_indexed("open") &&
	    !query_session_outcome_indexed(""));
	/* d-relay-denied, relay-suite (in and out): refused, newest first. */
	CHECK(query_session_outcome_ids(q, "refused", TUI_WINDOW, &ids,
	    &n) == 0 && n == 4 && ids[0] == 6 && ids[1] == 8 &&
	    ids[2] == 19 && ids[3] == 17);
	free(ids);
	CHECK(query_session_outcome_ids(q, "refused", 2, &ids, &n) == 0 &&
	    n == 2 && ids[0] == 6 && ids[1] == 8);
	free(ids);
	CHECK(query_session_outcome_ids(q, "aborted", TUI_WINDOW, &ids,
	    &n) == 0 && n == 1 && ids[0] == 9);
	free(ids);
	CHECK(query_session_outcome_ids(q, "no-mail", TUI_WINDOW, &ids,
	    &n) == 0 && n == 1 && ids[0] == 7);
	free(ids);
	CHECK(query_session_outcome_ids(q, "auth-failed", TUI_WINDOW, &ids,
	    &n) == 0 && n == 0);
	free(ids);
	CHECK(query_session_one(q, 8, &one) == 1 &&
	    strcmp(one.outcome, "refused-rcpt") == 0 &&
	    strcmp(one.reason, "550 Invalid recipient: "
	    "<mallory@elsewhere.invalid>") == 0);
	CHECK(query_session_match(&mq, "refused", &one) &&
	    query_session_match(&mq, "refused-rcpt", &one) &&
	    query_session_match(&mq, "", &one) &&
	    !query_session_match(&mq, "refused-mail", &one) &&
	    !query_session_match(&mq, "open", &one));
	query_session_free(&one);
	CHECK(query_session_one(q, 1, &one) == 1 &&
	    strcmp(one.outcome, "mail") == 0 && one.reason == NULL &&
	    query_session_match(&mq, "mail", &one) &&
	    !query_session_match(&mq, "refused", &one));
	one.t_end = 0;
	CHECK(query_session_match(&mq, "open", &one));
	query_session_free(&one);
	/* The envelope list's rows: their smtp-in session's outcome. */
	k.kind = QUERY_REJECTED;
	k.key = 7;	/* mallory, d-relay-denied */
	CHECK(query_row(q, &k, &r) == 1 &&
	    strcmp(r.outcome, "refused-rcpt") == 0 &&
	    query_row_match(&mq, "refused", &r) &&
	    !query_row_match(&mq, "no-mail", &r));
	query_row_free(&r);
	k.kind = QUERY_ENVELOPE;
	k.key = EVP_TEMP1;
	CHECK(query_row(q, &k, &r) == 1 && strcmp(r.outcome, "mail") == 0 &&
	    !r.in_open && query_row_match(&mq, "mail", &r) &&
	    !query_row_match(&mq, "open", &r));
	query_row_free(&r);
}

static void
test_meters(struct query *q)
{
	struct query_meters	mt;
	int64_t			newest;
	int			i, msgs = 0;

	memset(&mt, 0, sizeof(mt));
	/* A wall clock far past the captures: the hour is the newest's. */
	CHECK(query_meter_update(q, &mt, 1900000000 * SEC) == 0);
	newest = mt.newest;
	CHECK(mt.shifted && mt.ref == newest && newest > 1795464500 * SEC);
	/*
	 * The captures span 19:40 to 20:08: all in that hour, each life
	 * once, by the status the writer keeps.
	 */
	CHECK(mt.n[LIFE_DELIVERED] == 9 && mt.n[LIFE_DEFERRED] == 2 &&
	    mt.n[LIFE_FAILED] == 3);
	CHECK(mt.n[LIFE_REJECTED] == 2);	/* mallory, "x y" */
	CHECK(mt.n[LIFE_QUEUED] == 2 && mt.n[LIFE_ABORTED] == 2 &&
	    mt.n[LIFE_EXPIRED] == 0 && mt.n[LIFE_REMOVED] == 0);
	for (i = 0; i < QUERY_MINUTES; i++)
		msgs += mt.m[i].msgs;
	CHECK(msgs == 14 && mt.m[QUERY_MINUTES - 1].msgs == 3);
	/* Again: the minutes kept and those counted again agree. */
	CHECK(query_meter_update(q, &mt, 1900000000 * SEC) == 0 &&
	    mt.n[LIFE_DELIVERED] == 9 && mt.n[LIFE_REJECTED] == 2);
	/* A clock within the hour: not shifted, nothing open at its end. */
	CHECK(query_meter_update(q, &mt, newest + 30 * SEC) == 0 &&
	    !mt.shifted && mt.ref == newest + 30 * SEC);
	CHECK(mt.open_in == 0 && mt.open_out == 0);
}

/*
 * smtpd's maillog imported: the lines name the rows to read again, and
 * the rows and the meters say what the writer says (export --summary
 * too): a local delivery delivered, an envelope removed from the queue
 * removed.
 */
static void
test_maillog(struct query *q, const char *path)
{
	struct query_meters	 mt;
	struct query_delta	 d;
	struct query_row	 r;
	struct query_key	 k;
	char			*argv[8];
	int64_t			 oc;
	int			 argc = 0;

	k.kind = QUERY_ENVELOPE;
	k.key = EVP_ERIN;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_DEFERRED &&
	    r.t_end == 0);
	query_row_free(&r);
	memset(&mt, 0, sizeof(mt));
	CHECK(query_meter_update(q, &mt, 1900000000 * SEC) == 0 &&
	    mt.n[LIFE_QUEUED] == 2);
	CHECK((oc = query_last_outcome(q)) == 0);
	argv[argc++] = (char *)(uintptr_t)"maillog";
	argv[argc++] = (char *)(uintptr_t)"-d";
	argv[argc++] = (char *)(uintptr_t)path;
	argv[argc++] = (char *)(uintptr_t)
	    "tests/data/maillog/6.8/k-local-delivery.maillog";
	argv[argc++] = (char *)(uintptr_t)
	    "tests/data/maillog/6.8/b-multi-rcpt.maillog";
	argv[argc] = NULL;
	optind = 0;
	CHECK(maillog_cmd_entry.exec(argc, argv) == 0);
	/* The lines taken touch the lives they name, though no event came. */
	memset(&d, 0, sizeof(d));
	CHECK(query_last_outcome(q) > oc);
	CHECK(query_feed_outcomes(q, oc, query_last_outcome(q), &d) == 0 &&
	    !d.reload && query_feed_has(&d, QUERY_ENVELOPE, EVP_LOCAL) &&
	    query_feed_has(&d, QUERY_ENVELOPE, EVP_ERIN) &&
	    !query_feed_has(&d, QUERY_ENVELOPE, EVP_TEMP1));
	CHECK(query_feed_outcomes(q, 0, QUERY_DELTA_MAX + 1, &d) == 0 &&
	    d.reload);
	query_feed_free(&d);
	k.key = EVP_LOCAL;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_DELIVERED &&
	    r.reply != NULL && strcmp(r.reply, "Delivered") == 0 &&
	    r.t_end > r.t_start && r.relay == NULL);
	query_row_free(&r);
	k.key = EVP_ERIN;
	CHECK(query_row(q, &k, &r) == 1 && r.status == LIFE_REMOVED &&
	    r.reply != NULL && strcmp(r.reply, "Removed by administrator") ==
	    0 && r.nattempts == 2 && r.t_end > r.t_start);
	query_row_free(&r);
	/* Counted again whole: the lives that moved on left their minute. */
	CHECK(query_meter_update(q, &mt, 1900000000 * SEC) == 0);
	CHECK(mt.n[LIFE_REMOVED] == 1 && mt.n[LIFE_DEFERRED] == 1 &&
	    mt.n[LIFE_DELIVERED] == 11 && mt.n[LIFE_QUEUED] == 0);
}

/*
 * A message's envelopes: the range of evpids of its msgid, and an
 * envelope stored against smtpd's rule (a msgid its evpid does not
 * begin with), by the partial index envelope_msgid.
 */
static void
test_msgid(struct query *q, const char *path)
{
	struct model_query	 mq;
	struct query_delta	 d;
	sqlite3			*db;
	const char		*bad;
	char			 a0[] = "1466b132";
	char			*argv[1];

	argv[0] = a0;
	memset(&d, 0, sizeof(d));
	CHECK(model_query_parse(&mq, 1, argv, 0, &bad) == 0);
	CHECK(query_feed_index(q, &mq, 100, &d) == 0);
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, EVP_ERIN) &&
	    query_feed_has(&d, QUERY_ENVELOPE, EVP_DAVE) && d.nkeys == 3);
	query_feed_free(&d);
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK);
	CHECK(sqlite3_exec(db, "INSERT INTO envelope(evpid, msgid, t) "
	    "VALUES (0x0000000100000002, 0x1466b132, 1)", NULL, NULL,
	    NULL) == SQLITE_OK);
	sqlite3_close(db);
	memset(&d, 0, sizeof(d));
	CHECK(query_feed_index(q, &mq, 100, &d) == 0);
	CHECK(query_feed_has(&d, QUERY_ENVELOPE, 0x0000000100000002LL) &&
	    query_feed_has(&d, QUERY_ENVELOPE, EVP_DAVE) && d.nkeys == 4);
	query_feed_free(&d);
}

int
main(void)
{
	char		 dir[] = "/tmp/test_tui_query.XXXXXX", path[64];
	struct query	*q;
	char		*cause;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_mixed(path) == 0);
	if ((q = query_open(path, &cause)) == NULL) {
		CHECK(q != NULL);
		free(cause);
		TEST_END();
	}
	test_plans(q, path);
	test_rows(q);
	test_window(q);
	test_delta(q, path);
	test_index(q);
	test_sessions(q);
	test_outcomes(q);
	test_meters(q);
	test_maillog(q, path);
	test_msgid(q, path);
	query_close(q);
	test_db_remove(dir);
	TEST_END();
}
