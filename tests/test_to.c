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
 * test_to.c: unit tests of to.c: times and durations as text and back,
 * and smtpd's hex ids.
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "test.h"

#define SEC	US_PER_SEC
#define NOW	(1795464487LL * SEC)	/* 2026-11-23T20:08:07Z */

static void	test_to_time(void);
static void	test_to_durations(void);
static void	test_to_id(void);
static void	test_to_formats(void);
static void	test_to_outcomes(void);
static void	test_to_counters(void);

static void
test_to_time(void)
{
	int64_t	t;

	CHECK(text_to_time("2026-11-23T20:08:07Z", NOW, &t) == 0 &&
	    t == NOW);
	CHECK(text_to_time("2026-11-23T20:08:07", NOW, &t) == 0 &&
	    t == NOW);
	CHECK(text_to_time("2026-11-23 20:08:07.5", NOW, &t) == 0 &&
	    t == NOW + 500000);
	CHECK(text_to_time("2026-11-23T20:08:07.000001Z", NOW, &t) == 0 &&
	    t == NOW + 1);
	CHECK(text_to_time("2026-11-23T22:08:07+02:00", NOW, &t) == 0 &&
	    t == NOW);
	CHECK(text_to_time("2026-11-23T19:38:07-0030", NOW, &t) == 0 &&
	    t == NOW);
	CHECK(text_to_time("2026-11-23T20:08", NOW, &t) == 0 &&
	    t == NOW - 7 * SEC);
	CHECK(text_to_time("2026-11-23", NOW, &t) == 0 &&
	    t == NOW - (20 * 3600 + 8 * 60 + 7) * SEC);
	CHECK(text_to_time("30m", NOW, &t) == 0 && t == NOW - 1800 * SEC);
	CHECK(text_to_time("1h30m", NOW, &t) == 0 &&
	    t == NOW - 5400 * SEC);
	CHECK(text_to_time("1w", NOW, &t) == 0 &&
	    t == NOW - 7 * 86400 * SEC);
	CHECK(text_to_time("2026-13-01", NOW, &t) == -1);
	CHECK(text_to_time("2026-11-23T25:00", NOW, &t) == -1);
	CHECK(text_to_time("2026-11-23X", NOW, &t) == -1);
	CHECK(text_to_time("2026-11-23T20:08+2", NOW, &t) == -1);
	CHECK(text_to_time("h", NOW, &t) == -1);
	/* No day a month lacks, no zone past 23:59, no overflow. */
	CHECK(text_to_time("2026-02-30", NOW, &t) == -1);
	CHECK(text_to_time("2026-04-31", NOW, &t) == -1);
	CHECK(text_to_time("2026-02-29", NOW, &t) == -1);
	CHECK(text_to_time("2024-02-29", NOW, &t) == 0);
	CHECK(text_to_time("2000-02-29", NOW, &t) == 0);
	CHECK(text_to_time("2100-02-29", NOW, &t) == -1);
	CHECK(text_to_time("2026-12-31T23:59:59Z", NOW, &t) == 0);
	CHECK(text_to_time("2026-11-23T10:14:00+25:00", NOW, &t) == -1);
	CHECK(text_to_time("2026-11-23T10:14:00+02:60", NOW, &t) == -1);
	CHECK(text_to_time("1000000w", NOW, &t) == 0 &&
	    t == NOW - 1000000LL * 7 * 86400 * SEC);
	CHECK(text_to_time("1000000w1s", NOW, &t) == -1);
	CHECK(text_to_time("1000000w1000000w1000000w1000000w1000000w"
	    "1000000w1000000w1000000w1000000w1000000w1000000w1000000w"
	    "1000000w1000000w1000000w1000000w", NOW, &t) == -1);
}

static void
test_to_durations(void)
{
	char	b[32];

	duration_to_text(412, b, sizeof(b));
	CHECK_MSG(strcmp(b, "0.4ms") == 0, "%s", b);
	duration_to_text(7434, b, sizeof(b));
	CHECK_MSG(strcmp(b, "7.4ms") == 0, "%s", b);
	duration_to_text(1234567, b, sizeof(b));
	CHECK_MSG(strcmp(b, "1.23s") == 0, "%s", b);
	duration_to_text(243 * SEC, b, sizeof(b));
	CHECK_MSG(strcmp(b, "4m03s") == 0, "%s", b);
	duration_to_text(7500 * SEC, b, sizeof(b));
	CHECK_MSG(strcmp(b, "2h05m") == 0, "%s", b);
	duration_to_text((3 * 86400 + 4 * 3600) * SEC, b, sizeof(b));
	CHECK_MSG(strcmp(b, "3d04h") == 0, "%s", b);
	offset_to_text(4321, b, sizeof(b));
	CHECK_MSG(strcmp(b, "+0.004s") == 0, "%s", b);
	offset_to_text(12345678, b, sizeof(b));
	CHECK_MSG(strcmp(b, "+12.346s") == 0, "%s", b);
	offset_to_text(243 * SEC, b, sizeof(b));
	CHECK_MSG(strcmp(b, "+4m03s") == 0, "%s", b);
	offset_to_text(-3087000, b, sizeof(b));
	CHECK_MSG(strcmp(b, "-3.09s") == 0, "%s", b);
	estimate_to_text(4321, 1, b, sizeof(b));
	CHECK_MSG(strcmp(b, "~+0s") == 0, "%s", b);
	estimate_to_text(16930000, 1, b, sizeof(b));
	CHECK_MSG(strcmp(b, "~+17s") == 0, "%s", b);
	estimate_to_text(243 * SEC + 400000, 1, b, sizeof(b));
	CHECK_MSG(strcmp(b, "~+4m03s") == 0, "%s", b);
	estimate_to_text(-2 * SEC, 1, b, sizeof(b));
	CHECK_MSG(strcmp(b, "~-2s") == 0, "%s", b);
	estimate_to_text(999600, 0, b, sizeof(b));
	CHECK_MSG(strcmp(b, "~1s") == 0, "%s", b);
	time_to_text(NOW + 60475, TO_ISO_US, b, sizeof(b));
	CHECK_MSG(strcmp(b, "2026-11-23T20:08:07.060475Z") == 0, "%s", b);
}

static void
test_to_id(void)
{
	uint64_t	v;

	CHECK(text_to_id("0", 1, &v) == 0 && v == 0);
	CHECK(text_to_id("ffffffffffffffff", 16, &v) == 0 &&
	    v == 0xffffffffffffffffULL);
	CHECK(text_to_id("0123456789abcdef", 16, &v) == 0 &&
	    v == 0x0123456789abcdefULL);
	CHECK(text_to_id("756725bdXX", 8, &v) == 0 && v == 0x756725bd);
	CHECK(text_to_id("10000000000000000", 17, &v) == -1);
	CHECK(text_to_id("", 0, &v) == -1);
	CHECK(text_to_id(NULL, 4, &v) == -1);
	CHECK(text_to_id("ABCDEF", 6, &v) == -1);
	CHECK(text_to_id("12g4", 4, &v) == -1);
	CHECK(text_to_id(" 1", 2, &v) == -1);
	CHECK(text_to_id("-1", 2, &v) == -1);
}

/* Each format, and a time before the epoch rounds down. */
static void
test_to_formats(void)
{
	static const struct {
		int		 fmt;
		const char	*want;
	} f[] = {
		{ TO_ISO_US, "2026-11-23T20:08:07.060475Z" },
		{ TO_ISO, "2026-11-23T20:08:07Z" },
		{ TO_DATETIME, "2026-11-23 20:08:07" },
		{ TO_MINUTE, "2026-11-23 20:08" },
		{ TO_DAY, "2026-11-23" },
		{ TO_CLOCK, "20:08:07" },
	};
	char	b[64];
	size_t	i;
	int64_t	d;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		time_to_text(NOW + 60475, f[i].fmt, b, sizeof(b));
		CHECK_MSG(strcmp(b, f[i].want) == 0, "%s", b);
	}
	time_to_text(-1, TO_ISO_US, b, sizeof(b));
	CHECK_MSG(strcmp(b, "1969-12-31T23:59:59.999999Z") == 0, "%s", b);
	CHECK(text_to_duration("1h30m", &d) == 0 && d == 5400 * SEC);
	CHECK(text_to_duration("30d", &d) == 0 && d == 30 * 86400 * SEC);
	CHECK(text_to_duration("2026-11-23", &d) == -1);
	CHECK(text_to_duration("", &d) == -1);
}

int
main(void)
{
	test_to_time();
	test_to_durations();
	test_to_id();
	test_to_formats();
	test_to_outcomes();
	test_to_counters();
	TEST_END();
}

/* The names of session.outcome: each one its own, both ways. */
static void
test_to_outcomes(void)
{
	int	i, j;

	for (i = 0; i < SO_N; i++) {
		CHECK_MSG(session_outcome_to_text(i) != NULL &&
		    text_to_session_outcome(session_outcome_to_text(i)) == i,
		    "outcome %d", i);
		for (j = 0; j < i; j++)
			CHECK(strcmp(session_outcome_to_text(i),
			    session_outcome_to_text(j)) != 0);
	}
	CHECK(text_to_session_outcome("AUTH-FAILED") == SO_AUTH_FAILED);
	CHECK(strcmp(session_outcome_to_text(SO_CONNECT_FAILED),
	    "connect-failed") == 0);
	CHECK(text_to_session_outcome("refused") == -1);
	CHECK(session_outcome_to_text(SO_N) == NULL &&
	    session_outcome_to_text(-1) == NULL);
}

/*
 * The collector's counters: each name its own, both ways, and the names
 * databases already hold (table counter) kept as they were.
 */
static void
test_to_counters(void)
{
	int	i, j;

	for (i = 0; i < CNT_MAX; i++) {
		CHECK_MSG(counter_to_text(i) != NULL &&
		    text_to_counter(counter_to_text(i)) == i, "counter %d", i);
		for (j = 0; j < i; j++)
			CHECK(strcmp(counter_to_text(i), counter_to_text(j)) !=
			    0);
	}
	CHECK(strcmp(counter_to_text(CNT_LINES), "lines") == 0 &&
	    strcmp(counter_to_text(CNT_REJECTED), "rejected") == 0 &&
	    strcmp(counter_to_text(CNT_SPILLED), "spilled") == 0 &&
	    strcmp(counter_to_text(CNT_LOST), "lost") == 0 &&
	    strcmp(counter_to_text(CNT_COMMITS), "commits") == 0 &&
	    strcmp(counter_to_text(CNT_LAST_COMMIT), "last_commit") == 0 &&
	    strcmp(counter_to_text(CNT_SPILL_DONE), "spill_done") == 0);
	CHECK(text_to_counter("LOST") == -1 && text_to_counter("") == -1);
	CHECK(counter_to_text(CNT_MAX) == NULL && counter_to_text(-1) == NULL);
}
