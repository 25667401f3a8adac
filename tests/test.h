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
 * test.h: a small test harness.  Each CHECK counts as one test; main()
 * ends with TEST_END, which prints "N passed, N failed" and sets the
 * exit status.
 */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define CHECK(cond) do {						\
	if (cond)							\
		test_passed++;						\
	else {								\
		test_failed++;						\
		printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
	}								\
} while (0)

#define CHECK_MSG(cond, ...) do {					\
	if (cond)							\
		test_passed++;						\
	else {								\
		test_failed++;						\
		printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);	\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

/* A (pointer, length) field equals a C string. */
#define CHECK_FIELD(f, s) CHECK_MSG((f).p != NULL &&			\
	(f).len == strlen(s) && memcmp((f).p, (s), (f).len) == 0,	\
	"got \"%.*s\", want \"%s\"", (f).p ? (int)(f).len : 6,		\
	(f).p ? (f).p : "(null)", (s))

#define TEST_END() do {							\
	printf("%d passed, %d failed\n", test_passed, test_failed);	\
	return test_failed != 0;					\
} while (0)

#endif
