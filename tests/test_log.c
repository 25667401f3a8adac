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
 * test_log.c: unit tests of log.c's rate limit, on a simulated clock: a
 * failure every 200 ms for ten minutes prints the lines the doubling
 * interval gives, the interval stops at ten minutes, a quiet interval
 * and a recovery start it again at ten seconds; and the lines that
 * log_limited() and log_recovered() print.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "test.h"

#define TEST_LOG_T0	100000		/* the simulated clock's start, s */
#define TEST_LOG_STEP	200		/* ms between two failures */
#define TEST_LOG_MAX	64		/* lines recorded */

/* What a run of failures printed: when (s after the start), held. */
struct test_log_run {
	size_t		n;
	long		at[TEST_LOG_MAX];
	unsigned long	held[TEST_LOG_MAX];
	unsigned long	calls;
};

/* A failure every TEST_LOG_STEP ms from ms to ms + len (ms). */
static void
test_log_fail(struct log_limit *l, struct test_log_run *r, long ms, long len)
{
	unsigned long	held;
	long		t;

	for (t = ms; t < ms + len; t += TEST_LOG_STEP) {
		r->calls++;
		if (!log_limit_pass(l, TEST_LOG_T0 + t / 1000, &held))
			continue;
		if (r->n < TEST_LOG_MAX) {
			r->at[r->n] = t / 1000;
			r->held[r->n] = held;
		}
		r->n++;
	}
}

/* Ten minutes of failures: 0, 10, 30, 70, 150, 310 s, then 630 is past. */
static void
test_log_ten_minutes(void)
{
	static const long		at[] = { 0, 10, 30, 70, 150, 310 };
	static const unsigned long	held[] = { 0, 49, 99, 199, 399, 799 };
	struct log_limit	l;
	struct test_log_run	r;
	unsigned long		sum = 0;
	size_t			i;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	test_log_fail(&l, &r, 0, 600 * 1000);
	CHECK_MSG(r.n == 6, "%zu lines in 10 minutes, want 6", r.n);
	for (i = 0; i < r.n && i < 6; i++) {
		CHECK_MSG(r.at[i] == at[i], "line %zu at %ld s, want %ld", i,
		    r.at[i], at[i]);
		CHECK_MSG(r.held[i] == held[i], "line %zu: %lu held, want %lu",
		    i, r.held[i], held[i]);
		sum += r.held[i];
	}
	/* Every failure is either printed or counted in a later line. */
	CHECK(r.calls == 3000 && sum + r.n + l.held == r.calls);
	printf("# 10 minutes of a failure every %d ms: %zu lines (one every "
	    "10 s: 60)\n", TEST_LOG_STEP, r.n);
}

/* Two hours: 0 ... 310 s, then every ten minutes from 630 s on. */
static void
test_log_cap(void)
{
	static const long	gap[] = { 10, 20, 40, 80, 160, 320, 600, 600 };
	struct log_limit	l;
	struct test_log_run	r;
	size_t			i;
	int			bad = 0;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	test_log_fail(&l, &r, 0, 7200 * 1000);
	for (i = 1; i < r.n && i < TEST_LOG_MAX; i++)
		if (r.at[i] - r.at[i - 1] != gap[i - 1 < 7 ? i - 1 : 7])
			bad = 1;
	CHECK_MSG(!bad && r.n == 17, "%zu lines in 2 hours, want 17", r.n);
	CHECK(l.interval == 600);
}

/* Once a whole interval went by without any: 10 s again. */
static void
test_log_quiet(void)
{
	struct log_limit	l;
	struct test_log_run	r;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	test_log_fail(&l, &r, 0, 100 * 1000);	/* 0, 10, 30, 70 */
	CHECK(r.n == 4 && l.interval == 80);
	test_log_fail(&l, &r, 1000 * 1000, 30 * 1000);
	CHECK_MSG(r.n == 6 && r.at[4] == 1000 && r.held[4] == 149 &&
	    r.at[5] == 1010, "after a quiet spell: %zu lines, the 5th at %ld",
	    r.n, r.at[4]);
}

/* Run fn with stderr going to a file; returns what it printed. */
static char *
test_log_capture(void (*fn)(struct log_limit *), struct log_limit *l)
{
	FILE	*f;
	char	*out;
	long	 len;
	int	 saved;

	if ((f = tmpfile()) == NULL || (saved = dup(STDERR_FILENO)) == -1)
		return NULL;
	fflush(stderr);
	dup2(fileno(f), STDERR_FILENO);
	fn(l);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	len = ftell(f);
	out = calloc(1, len + 1);
	rewind(f);
	if (out != NULL && fread(out, 1, len, f) != (size_t)len)
		out[0] = '\0';
	fclose(f);
	return out;
}

static void
test_log_print(struct log_limit *l)
{
	log_limited(l, "disk %s", "full");
	log_limited(l, "disk %s", "full");	/* within 10 s: held */
	log_limited(l, "disk %s", "full");
	log_recovered(l, "writable again");
	log_limited(l, "disk %s", "full");	/* after the recovery */
}

static void
test_log_recover(struct log_limit *l)
{
	log_recovered(l, "writable again");
}

/* The lines printed; after a recovery, the next failure is said at once. */
static void
test_log_recovery(void)
{
	struct log_limit	l;
	struct test_log_run	r;
	char			*out;

	memset(&l, 0, sizeof(l));
	out = test_log_capture(test_log_print, &l);
	CHECK_MSG(out != NULL && strcmp(out, "mailtrail: disk full\n"
	    "mailtrail: writable again (2 similar messages held back)\n"
	    "mailtrail: disk full\n") == 0, "printed \"%s\"", out);
	free(out);

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	test_log_fail(&l, &r, 0, 200 * 1000);	/* 0, 10, 30, 70, 150 */
	CHECK(r.n == 5 && l.held == 249);
	out = test_log_capture(test_log_recover, &l);
	CHECK_MSG(out != NULL && strcmp(out, "mailtrail: writable again "
	    "(249 similar messages held back)\n") == 0, "printed \"%s\"",
	    out);
	free(out);
	test_log_fail(&l, &r, 200 * 1000, 20 * 1000);
	CHECK_MSG(r.n == 7 && r.at[5] == 200 && r.held[5] == 0 &&
	    r.at[6] == 210, "after the recovery: %zu lines, the 6th at %ld",
	    r.n, r.at[5]);
}

int
main(void)
{
	test_log_ten_minutes();
	test_log_cap();
	test_log_quiet();
	test_log_recovery();
	TEST_END();
}
