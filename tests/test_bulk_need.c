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
 * test_bulk_need.c: a load into a new database finds no session's
 * events by event_s, which it leaves to its end (collector/bulk.c), but
 * where what it did not see itself asks the stored events; there it
 * makes the index first.  A refusal of smtp-in stores the command it
 * answered and the filter decision between as schema 16's rule in SQL
 * finds them, a session taken back from its events too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_IN(t, ev) "report|0.7|1." t "|smtp-in|" ev "|0000000000000001|"
#define TEST_OUT(t, ev) "report|0.7|2." t "|smtp-out|" ev "|0000000000000002|"

/*
 * A session of refusals, a filter's decisions between; the words the
 * rule looks for in any case, in the decision's parameter too.
 */
static const char *const test_bulk_in[] = {
	TEST_IN("000001", "link-connect") "localhost|pass|127.0.0.1:1|"
	    "127.0.0.1:25",
	TEST_IN("000002", "protocol-server") "550 before any command",
	TEST_IN("000003", "protocol-client") "MAIL FROM:<a@example.test>",
	TEST_IN("000004", "filter-response") "mail-from|reject|550 no",
	TEST_IN("000005", "filter-response") "mail-from|proceed",
	TEST_IN("000006", "protocol-server") "550 no",
	TEST_IN("000007", "protocol-client") "RCPT TO:<b@example.test>",
	TEST_IN("000008", "filter-response") "rcpt-to|junk|x|DISCONNECT me",
	TEST_IN("000009", "protocol-server") "421 bye",
	TEST_IN("000010", "filter-response") "rcpt-to|report|a|reJECT|b",
	TEST_IN("000011", "protocol-server") "451 again",
	TEST_IN("000012", "protocol-client") "DATA",
	TEST_IN("000013", "filter-response") "data|junk|rejec|t|disconnec",
	TEST_IN("000014", "protocol-server") "554 none",
	TEST_IN("000015", "filter-response") "data|disconnect|4 |Reject|x",
	TEST_IN("000016", "protocol-server") "421 both",
};

/*
 * Other lines of the session, each batch after it is forgotten: the
 * refusal's command and decisions are then as its events say.
 */
static const char *const test_bulk_again[] = {
	TEST_IN("000020", "protocol-client") "QUIT",
};
static const char *const test_bulk_decided[] = {
	TEST_IN("000021", "filter-response") "quit|reject|x",
	TEST_IN("000022", "filter-response") "quit|disconnect",
};
static const char *const test_bulk_refused[] = {
	TEST_IN("000023", "protocol-server") "521 gone",
};

/* A session prune takes. */
static const char *const test_bulk_old[] = {
	TEST_IN("000001", "link-connect") "localhost|pass|127.0.0.1:1|"
	    "127.0.0.1:25",
	TEST_IN("000002", "protocol-client") "QUIT",
	"report|0.7|1.000003|smtp-in|link-disconnect|0000000000000001",
};

/*
 * A filter phase the writer does not know, twice: the second asks the
 * stored events whether the session had one, and finds the first.
 */
static const char *const test_bulk_phase[] = {
	TEST_IN("000001", "link-connect") "localhost|pass|127.0.0.1:1|"
	    "127.0.0.1:25",
	TEST_IN("000002", "filter-response") "new-phase|proceed",
	TEST_IN("000003", "filter-response") "new-phase|proceed",
};

/* A next hop refusing MAIL FROM, the command not stored. */
static const char *const test_bulk_out[] = {
	TEST_OUT("000001", "link-connect") "localhost|pass|127.0.0.1:2|"
	    "127.0.0.1:25",
	TEST_OUT("000002", "protocol-server") "220 hello",
	TEST_OUT("000003", "protocol-client") "MAIL FROM:<a@example.test>",
	TEST_OUT("000004", "protocol-server") "550 not you",
};

#define TEST_N(a)	(sizeof(a) / sizeof((a)[0]))

static char	 test_bulk_path[96];	/* the database of the case */

static struct store *test_bulk_open(const char *, int);
static void	 test_bulk_feed(struct store *, struct ingest *,
		    const char *const *, size_t);
static int	 test_bulk_has(void);
static int	 test_bulk_count(const char *);
static void	 test_bulk_prune(const char *);

/* A new database, loaded without the readers' indexes. */
static struct store *
test_bulk_open(const char *path, int n)
{
	struct store	*st;
	char		*cause = NULL;

	snprintf(test_bulk_path, sizeof(test_bulk_path), "%s.%d", path, n);
	if ((st = store_open(test_bulk_path, 0, &cause)) == NULL) {
		CHECK_MSG(0, "%s", cause);
		exit(1);
	}
	CHECK(store_bulk_begin(st, 0) == 1);
	return st;
}

/* Lines in one batch. */
static void
test_bulk_feed(struct store *st, struct ingest *ing, const char *const *l,
    size_t n)
{
	size_t	i;

	CHECK(store_begin(st) == 0);
	for (i = 0; i < n; i++)
		ingest_line(ing, l[i], strlen(l[i]));
	CHECK(ingest_save(ing) == 0 && store_commit(st) == 0);
}

/* 1 if the database has event_s (what the store committed). */
static int
test_bulk_has(void)
{
	return test_bulk_count("SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'event_s'");
}

/* The first column of sql's row, an integer; -1 if none. */
static int
test_bulk_count(const char *sql)
{
	sqlite3		*h;
	sqlite3_stmt	*s = NULL;
	int		 n = -1;

	CHECK(sqlite3_open_v2(test_bulk_path, &h, SQLITE_OPEN_READONLY,
	    NULL) == SQLITE_OK);
	CHECK_MSG(sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(h));
	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

int
main(void)
{
	char		 dir[] = "/tmp/mailtrail-bulk-need.XXXXXX", path[64];
	struct store	*st;
	struct ingest	 ing;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;

	/* What it saw itself needs no index. */
	st = test_bulk_open(path, 1);
	ingest_init(&ing, st, 0);
	test_bulk_feed(st, &ing, test_bulk_in, TEST_N(test_bulk_in));
	CHECK(test_bulk_has() == 0);
	CHECK(test_bulk_count("SELECT count(*) FROM event_rare "
	    "WHERE k = 16") == 6);
	/* c and f as the rule in SQL finds them, and as written here. */
	CHECK(test_bulk_count("SELECT group_concat(coalesce(c, 0) || "
	    "':' || coalesce(f, 0), ' ') = '0:0 3:1 7:2 7:1 12:0 12:1' FROM "
	    "(SELECT c, f FROM event_rare WHERE k = 16 ORDER BY id)") == 1);
	CHECK(test_bulk_count("SELECT count(*) FROM event_rare r WHERE "
	    "k = 16 AND (c IS NOT (SELECT max(p.id) FROM event p WHERE "
	    "p.s = 1 AND p.id < r.id AND p.k % 64 = 15) OR f IS NOT (SELECT "
	    "CASE WHEN e.x LIKE '%|reject%' THEN 1 ELSE 2 END FROM event e "
	    "WHERE e.s = 1 AND e.id > coalesce(r.c, 0) AND e.id < r.id AND "
	    "e.k % 64 = 18 AND (e.x LIKE '%|reject%' OR e.x LIKE "
	    "'%|disconnect%') ORDER BY e.id DESC LIMIT 1))") == 0);

	/* Forgotten, the session is taken back from its events. */
	ingest_clear(&ing);
	test_bulk_feed(st, &ing, test_bulk_again, TEST_N(test_bulk_again));
	CHECK(test_bulk_has() == 1);
	ingest_clear(&ing);
	test_bulk_feed(st, &ing, test_bulk_decided, TEST_N(test_bulk_decided));
	ingest_clear(&ing);
	test_bulk_feed(st, &ing, test_bulk_refused, TEST_N(test_bulk_refused));
	CHECK(test_bulk_count("SELECT count(*) FROM event_rare WHERE "
	    "id = 20 AND k = 16 AND c = 17 AND f = 2") == 1);
	ingest_clear(&ing);
	store_close(st);

	/* A filter phase it does not know. */
	st = test_bulk_open(path, 2);
	ingest_init(&ing, st, 0);
	test_bulk_feed(st, &ing, test_bulk_phase, TEST_N(test_bulk_phase));
	CHECK(test_bulk_has() == 1);
	CHECK(test_bulk_count("SELECT group_concat(kind || ':' || n, ' ') = "
	    "'3:2 5:1' FROM (SELECT kind, n FROM hour WHERE key = "
	    "'new-phase|proceed' ORDER BY kind)") == 1);
	ingest_clear(&ing);
	store_close(st);

	/* A refused MAIL FROM whose command was not stored. */
	st = test_bulk_open(path, 3);
	ingest_init(&ing, st, INGEST_NO_DIALOGUE);
	test_bulk_feed(st, &ing, test_bulk_out, TEST_N(test_bulk_out));
	CHECK(test_bulk_count("SELECT count(*) FROM out_refusal WHERE "
	    "event IS NULL") == 1);
	CHECK(test_bulk_has() == 1);
	ingest_clear(&ing);
	store_close(st);

	/* The command stored: no index needed. */
	st = test_bulk_open(path, 4);
	ingest_init(&ing, st, 0);
	test_bulk_feed(st, &ing, test_bulk_out, TEST_N(test_bulk_out));
	CHECK(test_bulk_count("SELECT count(*) FROM out_refusal WHERE "
	    "event = 3") == 1);
	CHECK(test_bulk_has() == 0);
	ingest_clear(&ing);
	store_close(st);

	test_bulk_prune(path);
	if (getenv("KEEP") == NULL)
		test_db_remove(dir);
	TEST_END();
}

/* Prune deletes a session's events by event_s: made first. */
static void
test_bulk_prune(const char *path)
{
	struct store	*st;
	struct ingest	 ing;
	struct prune	 p;

	st = test_bulk_open(path, 5);
	ingest_init(&ing, st, 0);
	test_bulk_feed(st, &ing, test_bulk_old, TEST_N(test_bulk_old));
	CHECK(test_bulk_has() == 0);
	prune_init(&p, 10 * US_PER_SEC);
	CHECK(prune_step(&p, st, 1) > 0);	/* a trace, no raw line */
	CHECK(test_bulk_count("SELECT count(*) FROM event") == 0);
	CHECK(test_bulk_has() == 1);
	prune_free(&p);
	ingest_clear(&ing);
	store_close(st);
}
