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
 * test_evq.c: the event rows the writer queues (collector/evq.c) are
 * written with the ids it gave them, NULLs, zeros, empty text and bytes
 * as they came, a row longer than the queue's room too; after a delete,
 * a rollback or another writer's rows, the next id is asked again; a
 * row written behind the queue's back, or outside a transaction, is
 * refused, not given a wrong id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_T0		1800000000000000LL	/* 2027-01-15, us */
#define TEST_ROWS	(3 * EVQ_ROWS + 5)

static int64_t	test_evq_add(struct evq *, int);
static void	test_evq_row(struct db *, int);
static void	test_evq_long(struct db *, struct evq *);
static void	test_evq_again(struct db *, struct evq *, const char *);
static void	test_evq_nulls(struct db *, struct evq *);
static void	test_evq_other(struct db *, struct evq *, const char *);
static void	test_evq_store(const char *);
static void	test_evq_refused(struct db *, struct evq *);

/*
 * Event i: at TEST_T0 + i, kind 128 + i % 20, session i % 7 (0: none),
 * msgid i only if i is even, text "p<i>|x" but none if i % 5 == 1, and
 * the raw line "raw <i>" if i % 3 == 0.
 */
static int64_t
test_evq_add(struct evq *q, int i)
{
	char			 x[32], raw[32];
	struct proto_str	 p = { x, 0 };
	int64_t			 m = i, t = TEST_T0 + i;

	p.len = snprintf(x, sizeof(x), "p%d|x", i);
	if (i % 5 == 1)
		p.p = NULL;
	snprintf(raw, sizeof(raw), "raw %d", i);
	return evq_add(q, &t, 128 + i % 20, i % 7, i % 2 == 0 ? &m : NULL,
	    &p, i % 3 == 0 ? raw : NULL, strlen(raw));
}

/* Row i + 1 holds event i, as test_evq_add() queued it. */
static void
test_evq_row(struct db *db, int i)
{
	sqlite3_stmt	*s;
	char		 x[32], raw[32];

	snprintf(x, sizeof(x), "p%d|x", i);
	snprintf(raw, sizeof(raw), "raw %d", i);
	CHECK(sqlite3_prepare_v2(db->h, "SELECT t, k, s, m, x, raw FROM "
	    "event WHERE id = ?", -1, &s, NULL) == SQLITE_OK);
	sqlite3_bind_int(s, 1, i + 1);
	CHECK_MSG(sqlite3_step(s) == SQLITE_ROW, "row %d", i + 1);
	CHECK(sqlite3_column_int64(s, 0) == TEST_T0 + i);
	CHECK(sqlite3_column_int(s, 1) == 128 + i % 20);
	CHECK(i % 7 == 0 ? sqlite3_column_type(s, 2) == SQLITE_NULL :
	    sqlite3_column_int(s, 2) == i % 7);
	CHECK(i % 2 != 0 ? sqlite3_column_type(s, 3) == SQLITE_NULL :
	    sqlite3_column_int(s, 3) == i);
	CHECK_MSG(i % 5 == 1 ? sqlite3_column_type(s, 4) == SQLITE_NULL :
	    sqlite3_column_type(s, 4) == SQLITE_TEXT &&
	    strcmp((const char *)sqlite3_column_text(s, 4), x) == 0,
	    "row %d: x", i + 1);
	CHECK_MSG(i % 3 != 0 ? sqlite3_column_type(s, 5) == SQLITE_NULL :
	    sqlite3_column_type(s, 5) == SQLITE_BLOB &&
	    sqlite3_column_bytes(s, 5) == (int)strlen(raw) &&
	    memcmp(sqlite3_column_blob(s, 5), raw, strlen(raw)) == 0,
	    "row %d: raw", i + 1);
	sqlite3_finalize(s);
}

/* A line longer than the queue's room, between two short ones. */
static void
test_evq_long(struct db *db, struct evq *q)
{
	struct proto_str	 p;
	char			*big;
	int64_t			 id, last, t = TEST_T0;

	big = xmalloc(EVQ_TEXT + 100);
	memset(big, 'a', EVQ_TEXT + 100);
	p.p = big;
	p.len = EVQ_TEXT + 100;
	last = test_db_int(db, "SELECT max(id) FROM event");
	CHECK(test_evq_add(q, 1) == last + 1);
	id = evq_add(q, &t, 130, 0, NULL, &p, NULL, 0);
	CHECK_MSG(id == last + 2, "%lld", (long long)id);
	CHECK(test_evq_add(q, 2) == last + 3);
	CHECK_MSG(evq_sync(q) == 0, "%s", db_error(db));
	CHECK(test_db_int(db, "SELECT length(x) FROM event WHERE id = "
	    "(SELECT max(id) - 1 FROM event)") == EVQ_TEXT + 100);
	CHECK(test_db_int(db, "SELECT x = 'p2|x' FROM event WHERE id = "
	    "(SELECT max(id) FROM event)") == 1);
	free(big);
}

/* After what ran (with the rows synced before it), ids follow on. */
static void
test_evq_again(struct db *db, struct evq *q, const char *sql)
{
	int64_t	id;

	test_db_sql(db, sql);
	id = test_evq_add(q, 4);
	CHECK_MSG(id == test_db_int(db, "SELECT max(id) FROM event") + 1,
	    "%s: id %lld", sql, (long long)id);
	CHECK_MSG(evq_sync(q) == 0, "%s: %s", sql, db_error(db));
}

/*
 * Through the store: a batch rolled back takes its queued rows with it,
 * and the next batch's rows are its own.
 */
static void
test_evq_store(const char *path)
{
	static const char line[] = "report|0.7|1.000001|smtp-in|"
	    "link-connect|0000000000000001|localhost|pass|127.0.0.1:1|"
	    "127.0.0.1:25";
	struct store	*st;
	struct ingest	 ing;
	struct db	 db;
	char		*cause = NULL;

	if ((st = store_open(path, 0, &cause)) == NULL) {
		CHECK_MSG(0, "%s", cause);
		return;
	}
	ingest_init(&ing, st, 0);
	CHECK(store_begin(st) == 0);
	ingest_line(&ing, line, sizeof(line) - 1);
	ingest_line(&ing, line, sizeof(line) - 1);
	store_rollback(st);
	ingest_clear(&ing);
	CHECK(store_begin(st) == 0);
	ingest_line(&ing, line, sizeof(line) - 1);
	CHECK(ingest_save(&ing) == 0 && store_commit(st) == 0);
	ingest_clear(&ing);
	store_close(st);
	memset(&db, 0, sizeof(db));
	CHECK(db_open(&db, path, 0, 0) == 0);
	CHECK(test_db_int(&db, "SELECT count(*) FROM event") == 1);
	db_close(&db);
}

/* Another connection's rows between two of the writer's transactions. */
static void
test_evq_other(struct db *db, struct evq *q, const char *path)
{
	sqlite3	*h;

	CHECK(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK);
	CHECK(sqlite3_exec(h, "INSERT INTO event(t_off, k_off) VALUES "
	    "(1, 1), (2, 2)", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(h);
	test_db_sql(db, "BEGIN");
	test_evq_again(db, q, "SELECT 1");
	test_db_sql(db, "COMMIT");
}

/*
 * No time and time 0, no text and empty text, no raw line and an empty
 * one: each stored as it came (a line that did not parse has no time).
 */
static void
test_evq_nulls(struct db *db, struct evq *q)
{
	struct proto_str	 empty = { "", 0 };
	int64_t			 zero = 0, first;

	first = test_db_int(db, "SELECT max(id) FROM event") + 1;
	CHECK(evq_add(q, NULL, 0, 0, NULL, NULL, "x", 1) == first);
	CHECK(evq_add(q, &zero, 130, 1, &zero, &empty, "", 0) == first + 1);
	CHECK_MSG(evq_sync(q) == 0, "%s", db_error(db));
	CHECK(test_db_int(db, "SELECT count(*) FROM event WHERE id = "
	    "(SELECT max(id) - 1 FROM event) AND t IS NULL AND k = 0 AND "
	    "s IS NULL AND m IS NULL AND x IS NULL AND raw = x'78'") == 1);
	CHECK(test_db_int(db, "SELECT count(*) FROM event WHERE id = "
	    "(SELECT max(id) FROM event) AND t = 0 AND k = 130 AND s = 1 AND "
	    "m = 0 AND x = '' AND typeof(raw) = 'blob' AND "
	    "length(raw) = 0") == 1);
}

/*
 * A row written behind the queue's back: the write fails and says why;
 * rows outside a transaction are refused.
 */
static void
test_evq_refused(struct db *db, struct evq *q)
{
	int64_t	next;

	test_db_sql(db, "BEGIN");
	next = test_db_int(db, "SELECT max(id) FROM event") + 1;
	CHECK(test_evq_add(q, 7) == next);
	test_db_sql(db, "INSERT INTO event(t_off, k_off) VALUES (3, 3)");
	CHECK(evq_sync(q) == -1);
	CHECK_MSG(strstr(db_error(db), "event ids") != NULL, "%s",
	    db_error(db));
	test_db_sql(db, "ROLLBACK");
	CHECK(test_evq_add(q, 8) > 0);
	CHECK(evq_sync(q) == -1);
	CHECK_MSG(strstr(db_error(db), "outside a transaction") != NULL,
	    "%s", db_error(db));
	CHECK(test_db_int(db, "SELECT count(*) FROM event WHERE x = "
	    "'p8|x'") == 0);
}

int
main(void)
{
	char			 dir[] = "/tmp/test_evq.XXXXXX", path[64];
	struct db		 db;
	struct life_writer	 lw;
	struct hour_tab		 ht;
	struct evq		*q = xcalloc(1, sizeof(*q));
	int			 i, ok = 1;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_writer(path, &db, &ht, &lw) == 0);
	CHECK(evq_open(q, &db) == 0);

	/* Three statements of EVQ_ROWS, then five on their own. */
	test_db_sql(&db, "BEGIN");
	for (i = 0; i < TEST_ROWS; i++)
		ok &= test_evq_add(q, i) == i + 1;
	CHECK(ok);
	CHECK(test_db_int(&db, "SELECT count(*) FROM event") ==
	    3 * EVQ_ROWS);
	CHECK_MSG(evq_sync(q) == 0, "%s", db_error(&db));
	CHECK(test_db_int(&db, "SELECT count(*) FROM event") == TEST_ROWS);
	for (i = 0; i < TEST_ROWS; i++)
		test_evq_row(&db, i);
	test_evq_long(&db, q);

	/* A delete of the last rows (prune's), then a rollback. */
	test_evq_again(&db, q, "DELETE FROM event WHERE id > 90");
	CHECK(test_db_int(&db, "SELECT max(id) FROM event") == 91);
	CHECK(test_evq_add(q, 5) == 92);
	evq_forget(q);
	test_db_sql(&db, "ROLLBACK");
	test_db_sql(&db, "BEGIN");
	CHECK(test_evq_add(q, 6) == 1);
	CHECK(evq_sync(q) == 0);
	CHECK(test_db_int(&db, "SELECT count(*) FROM event") == 1);
	test_evq_nulls(&db, q);
	test_db_sql(&db, "COMMIT");
	test_evq_other(&db, q, path);
	test_evq_refused(&db, q);
	snprintf(path + strlen(path), sizeof(path) - strlen(path), ".2");
	test_evq_store(path);

	evq_close(q);
	free(q);
	life_close(&lw);
	hour_close(&ht);
	db_close(&db);
	test_db_remove(dir);
	TEST_END();
}
