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
 * test_hour.c: the counts per hour of a row the writer inserts into
 * session, envelope or life, and of its updates of attempt, tx and life, are
 * the writer's (hour_new(), around its statement), as the other
 * triggers of schema/writer.sql count them: no trigger fires on those
 * statements, so that none of them keeps a copy of the pages it
 * changes.  A session, the envelope of a committed message and a life
 * each count as the rows say, and a delete takes them out again (the
 * updates: t-hour.sh, every capture replayed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_H0		498740			/* an hour */
#define TEST_T(m)	"(498740 * 3600000000 + " #m " * 60000000)"

static int	test_hour_n(struct db *, int, const char *);
static void	test_hour_updates(struct db *, struct hour_tab *);

/* n of (TEST_H0, kind, key) in table hour, 0 if it has no row. */
static int
test_hour_n(struct db *db, int kind, const char *key)
{
	sqlite3_stmt	*s;
	int		 n = 0;

	CHECK(sqlite3_prepare_v2(db->h, "SELECT n FROM hour WHERE hour = ?1 "
	    "AND kind = ?2 AND key = ?3", -1, &s, NULL) == SQLITE_OK);
	sqlite3_bind_int64(s, 1, TEST_H0);
	sqlite3_bind_int(s, 2, kind);
	sqlite3_bind_text(s, 3, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/*
 * A tx committed by an update, then given a late MAIL FROM: its counts
 * out before each and in after; an attempt settled, counted, its evpid
 * given back, and one that is not there.
 */
static void
test_hour_updates(struct db *db, struct hour_tab *ht)
{
	int64_t	evpid = 0;

	test_db_sql(db, "BEGIN; INSERT INTO session(id, sid, dir, t_start, "
	    "src) VALUES (2, 20, 0, " TEST_T(1) ", '192.0.2.2:25'); INSERT "
	    "INTO tx(id, session, msgid, t_begin, mail_from) VALUES (2, 2, 8, "
	    TEST_T(2) ", 'c@d.test'); INSERT INTO envelope(evpid, msgid, tx, "
	    "t) VALUES (34359738369, 8, 2, " TEST_T(2) ")");
	CHECK(hour_new(ht, HOUR_TX, 2, -1, NULL) == 0);
	test_db_sql(db, "UPDATE tx SET t_commit = " TEST_T(3) ", size = 50 "
	    "WHERE id = 2");
	CHECK(hour_new(ht, HOUR_TX, 2, 1, NULL) == 0);
	CHECK(hour_new(ht, HOUR_TX, 2, -1, NULL) == 0);
	test_db_sql(db, "UPDATE tx SET mail_from = 'e@f.test' WHERE id = 2");
	CHECK(hour_new(ht, HOUR_TX, 2, 1, NULL) == 0);
	test_db_sql(db, "INSERT INTO session(id, sid, dir, t_start) VALUES "
	    "(3, 30, 1, " TEST_T(4) "); INSERT INTO domain(id, name) VALUES "
	    "(1, 'g.test'); INSERT INTO attempt(id, evpid, session, t, domain) "
	    "VALUES (1, 34359738369, 3, " TEST_T(4) ", 1); UPDATE attempt SET "
	    "t_end = " TEST_T(5) ", result = 0 WHERE id = 1");
	CHECK(hour_new(ht, HOUR_ATTEMPT, 1, 0, &evpid) == 0);
	CHECK(evpid == 34359738369LL);
	evpid = 0;
	CHECK(hour_new(ht, HOUR_ATTEMPT, 99, 0, &evpid) == 0 && evpid == 0);
	/* A life queued, then delivered: out before the update, in after. */
	test_db_sql(db, "INSERT INTO life(id, evpid, msgid, t, status, "
	    "t_accepted, t_status) VALUES (2, 34359738369, 8, " TEST_T(2)
	    ", 0, " TEST_T(3) ", " TEST_T(3) ")");
	CHECK(hour_new(ht, HOUR_LIFE, 2, 1, NULL) == 0);
	CHECK(hour_new(ht, HOUR_LIFE, 2, -1, NULL) == 0);
	test_db_sql(db, "UPDATE life SET status = 1, t_status = " TEST_T(5)
	    " WHERE id = 2");
	CHECK(hour_new(ht, HOUR_LIFE, 2, 1, NULL) == 0);
	CHECK_MSG(hour_flush(ht) == 0, "%s", db_error(db));
	test_db_sql(db, "COMMIT");
	CHECK(test_hour_n(db, 7, "=c@d.test") == 0);
	CHECK(test_hour_n(db, 7, "=e@f.test") == 1);
	CHECK(test_hour_n(db, 8, "=e@f.test") == 1);
	CHECK(test_hour_n(db, 9, "=e@f.test") == 50);
	CHECK(test_hour_n(db, 13, "g.test") == 1);
	CHECK(test_hour_n(db, 16, "0") == 0 && test_hour_n(db, 16, "1") == 1);
	CHECK(test_hour_n(db, 17, "0") == 0 && test_hour_n(db, 17, "1") == 1);
}

int
main(void)
{
	char			 dir[] = "/tmp/test_hour.XXXXXX", path[64];
	struct db		 db;
	struct life_writer	 lw;
	struct hour_tab		 ht;
	sqlite3_stmt		*s;
	int			 n = -1;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_writer(path, &db, &ht, &lw) == 0);
	CHECK(sqlite3_prepare_v2(db.h, "SELECT count(*) FROM "
	    "sqlite_temp_master WHERE type = 'trigger' AND tbl_name IN "
	    "('session', 'envelope', 'life') AND (sql LIKE '%AFTER INSERT%' "
	    "OR sql LIKE '%BEFORE INSERT%') OR tbl_name IN ('attempt', 'tx', "
	    "'life') AND sql LIKE '%UPDATE%' OR sql LIKE '%UPDATE OF %tls%'",
	    -1, &s, NULL) == SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	CHECK_MSG(n == 0, "%d triggers", n);

	/* A session with TLS, its committed message of two envelopes. */
	test_db_sql(&db, "BEGIN; INSERT INTO session(id, sid, dir, t_start, "
	    "src, tls) VALUES (1, 10, 0, " TEST_T(1) ", '192.0.2.1:2525', "
	    "'TLSv1.3:X:256'); INSERT INTO tx(id, session, msgid, t_begin, "
	    "t_commit, mail_from, size) VALUES (1, 1, 7, " TEST_T(2) ", "
	    TEST_T(3) ", 'a@b.test', 100); INSERT INTO envelope(evpid, msgid, "
	    "tx, t) VALUES (30064771073, 7, 1, " TEST_T(2) "), (30064771074, "
	    "7, 1, " TEST_T(2) "); INSERT INTO life(id, evpid, msgid, t, "
	    "status, t_accepted, t_status) VALUES (1, 30064771073, 7, "
	    TEST_T(2) ", 1, " TEST_T(3) ", " TEST_T(4) ")");
	CHECK(hour_new(&ht, HOUR_SESSION, 1, 1, NULL) == 0);
	CHECK(hour_new(&ht, HOUR_ENVELOPE, 1, 7, NULL) == 0);
	CHECK(hour_new(&ht, HOUR_LIFE, 1, 1, NULL) == 0);
	CHECK_MSG(hour_flush(&ht) == 0, "%s", db_error(&db));
	test_db_sql(&db, "COMMIT");
	CHECK(test_hour_n(&db, 1, "TLSv1.3:X:256") == 1);
	/*
	 * The envelope hour_new() was told of: the tx, inserted committed,
	 * counts nothing of its own (its triggers fire on the update that
	 * commits it).
	 */
	CHECK(test_hour_n(&db, 8, "=a@b.test") == 1);
	CHECK(test_hour_n(&db, 11, "=192.0.2.1|") == 1);
	CHECK(test_hour_n(&db, 16, "1") == 1);
	CHECK(test_hour_n(&db, 17, "1") == 1);

	/* Deleted by any writer: the triggers take the counts out. */
	test_db_sql(&db, "BEGIN; DELETE FROM life; DELETE FROM envelope "
	    "WHERE evpid = 30064771074; DELETE FROM session");
	CHECK_MSG(hour_flush(&ht) == 0, "%s", db_error(&db));
	test_db_sql(&db, "COMMIT");
	CHECK(test_hour_n(&db, 1, "TLSv1.3:X:256") == 0);
	CHECK(test_hour_n(&db, 8, "=a@b.test") == 0);
	CHECK(test_hour_n(&db, 16, "1") == 0);
	CHECK(test_hour_n(&db, 17, "1") == 0);
	test_hour_updates(&db, &ht);

	life_close(&lw);
	hour_close(&ht);
	db_close(&db);
	test_db_remove(dir);
	TEST_END();
}
