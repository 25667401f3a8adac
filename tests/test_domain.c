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
 * test_domain.c: the ids of table domain the writer remembers
 * (collector/domain.c) are the rows': the same id for the same name, a
 * new row for a new one; a batch rolled back forgets them, so its rows
 * are made again; past DOMAIN_MAX names the table starts again and the
 * ids stay right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "collector/domain.h"
#include "test.h"
#include "test_db.h"

static int64_t	test_domain_row(const char *, const char *);

int
main(void)
{
	char		 dir[] = "/tmp/test_domain.XXXXXX", path[64], name[32];
	struct store	*st;
	char		*cause = NULL;
	int64_t		 a, b, c, ids[3];
	int		 i, ok;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	if ((st = store_open(path, 0, &cause)) == NULL) {
		CHECK_MSG(0, "%s", cause);
		return 1;
	}
	CHECK(store_begin(st) == 0);
	a = store_domain(st, "a.test");
	b = store_domain(st, "b.test");
	CHECK(a > 0 && b > 0 && a != b);
	CHECK(store_domain(st, "a.test") == a);
	store_rollback(st);
	/* Gone with the batch: made again, not remembered. */
	CHECK(store_begin(st) == 0);
	c = store_domain(st, "c.test");
	ids[0] = store_domain(st, "a.test");
	CHECK(store_commit(st) == 0);
	CHECK(test_domain_row(path, "a.test") == ids[0]);
	CHECK(test_domain_row(path, "c.test") == c);
	/* More names than the table holds. */
	CHECK(store_begin(st) == 0);
	for (i = 0, ok = 1; i < DOMAIN_MAX + 10; i++) {
		snprintf(name, sizeof(name), "d%d.test", i);
		ok = ok && store_domain(st, name) > 0;
	}
	CHECK(ok);
	ids[1] = store_domain(st, "d0.test");
	ids[2] = store_domain(st, "a.test");
	CHECK(store_commit(st) == 0);
	CHECK(test_domain_row(path, "d0.test") == ids[1]);
	CHECK(ids[2] == ids[0]);
	store_close(st);
	test_db_remove(dir);
	TEST_END();
}

/* The id of the row of name, as another connection reads it; 0: none. */
static int64_t
test_domain_row(const char *path, const char *name)
{
	struct db	 db;
	sqlite3_stmt	*s;
	int64_t		 id = -1;

	memset(&db, 0, sizeof(db));
	if (db_open(&db, path, 0, 0) == -1)
		return -1;
	if (sqlite3_prepare_v2(db.h, "SELECT coalesce((SELECT id FROM domain "
	    "WHERE name = ?), 0)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			id = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	db_close(&db);
	return id;
}
