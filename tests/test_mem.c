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
 * test_mem.c: unit tests of mem.c, through SQLite's own allocation
 * calls once db_setup() has made it SQLite's allocator: the sizes given,
 * a freed block given again for its size, realloc() keeping the bytes
 * from a small block to a larger one, to libc's and between libc's,
 * and a database used through it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "test.h"

/* Each size is given rounded up to 16, small or large. */
static void
test_mem_sizes(void)
{
	static const int	 sizes[] = { 1, 15, 16, 17, 100, 512, 1023,
	    1024, 1025, 5000 };
	size_t			 i;
	void			*p;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = sqlite3_malloc(sizes[i]);
		CHECK_MSG(p != NULL && (uintptr_t)p % 8 == 0, "%d", sizes[i]);
		CHECK_MSG(sqlite3_msize(p) == (sqlite3_uint64)
		    ((sizes[i] + 15) / 16 * 16), "%d: %llu", sizes[i],
		    (unsigned long long)sqlite3_msize(p));
		memset(p, 0xa5, (size_t)sizes[i]);
		sqlite3_free(p);
	}
	CHECK(sqlite3_malloc(0) == NULL);
}

/* A small block freed is the next one given for its size, not another. */
static void
test_mem_reuse(void)
{
	void	*a, *b, *c, *d;

	a = sqlite3_malloc(40);
	b = sqlite3_malloc(40);
	c = sqlite3_malloc(200);
	CHECK(a != NULL && b != NULL && c != NULL && a != b);
	sqlite3_free(a);
	d = sqlite3_malloc(33);		/* 48, as 40 is */
	CHECK(d == a);
	a = sqlite3_malloc(40);
	CHECK(a != b && a != c && a != d);
	sqlite3_free(a);
	sqlite3_free(b);
	sqlite3_free(c);
	sqlite3_free(d);
}

/* realloc keeps the bytes, within a size, to a larger and back. */
static void
test_mem_realloc(void)
{
	unsigned char	*p, *q;
	int		 i, ok = 1;

	p = sqlite3_malloc(20);
	for (i = 0; i < 20; i++)
		p[i] = (unsigned char)i;
	q = sqlite3_realloc(p, 30);	/* 32 still */
	CHECK(q == p);
	p = sqlite3_realloc(q, 700);
	for (i = 0; i < 20; i++)
		ok &= p[i] == i;
	for (i = 20; i < 700; i++)
		p[i] = (unsigned char)i;
	q = sqlite3_realloc(p, 100000);	/* libc's */
	for (i = 0; i < 700; i++)
		ok &= q[i] == (unsigned char)i;
	CHECK(ok && sqlite3_msize(q) == 100000);
	q[99999] = 'z';
	q = sqlite3_realloc(q, 300000);	/* libc's, by realloc() */
	for (i = 0; i < 700; i++)
		ok &= q[i] == (unsigned char)i;
	CHECK(ok && q[99999] == 'z' && sqlite3_msize(q) == 300000);
	p = sqlite3_realloc(q, 10);
	for (i = 0; i < 10; i++)
		ok &= p[i] == i;
	CHECK(ok && sqlite3_msize(p) == 16);
	sqlite3_free(p);
}

/* A database made, written and read with it. */
static void
test_mem_sqlite(void)
{
	sqlite3		*h;
	sqlite3_stmt	*s;
	int		 n = -1;

	CHECK(sqlite3_open(":memory:", &h) == SQLITE_OK);
	CHECK(sqlite3_exec(h, "CREATE TABLE t(a, b); "
	    "CREATE INDEX t_b ON t(b); WITH RECURSIVE c(i) AS (SELECT 1 "
	    "UNION ALL SELECT i + 1 FROM c WHERE i < 20000) "
	    "INSERT INTO t SELECT i, substr(hex(zeroblob(i % 1500)), 1, "
	    "i % 1500) FROM c",
	    NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(h, "SELECT count(*) FROM t INDEXED BY t_b "
	    "WHERE b >= '' AND length(b) = a % 1500", -1, &s, NULL) ==
	    SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	CHECK_MSG(n == 20000, "%d", n);
	sqlite3_finalize(s);
	sqlite3_close(h);
}

int
main(void)
{
	void	*p;

	db_setup();
	/* Only mem.c's allocator gives a block of 1 byte 16 usable. */
	p = sqlite3_malloc(1);
	CHECK(sqlite3_msize(p) == 16);
	sqlite3_free(p);
	test_mem_sizes();
	test_mem_reuse();
	test_mem_realloc();
	test_mem_sqlite();
	TEST_END();
}
