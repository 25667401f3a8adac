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
