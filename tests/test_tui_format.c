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
 * test_tui_format.c: what the TUI shows: network bytes made safe (no
 * control byte ever, valid UTF-8 kept, widths by wcwidth), fields cut
 * with a mark, times, hosts, sparklines, column layouts, list rows
 * (the writer's status as words, tones and marks), a destination's
 * figures and its latest reply (escaped), and dialogue lines
 * with their tones (a life's steps: test_model.c).
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui/tui.h"
#include "test.h"

#define U8	FORMAT_UTF8
#define SEC	1000000LL
#define T0	(1795464487LL * SEC)	/* 2026-11-23T20:08:07Z */

static void	test_escape(void);
static void	test_cut(void);
static void	test_times(void);
static void	test_spark(void);
static void	test_layout(void);
static void	test_rows(void);
static void	test_dest(void);
static void	test_lines(void);
static void	test_status(void);

static int
field_is(const char *in, int skip, int width, int flags, const char *want,
    int want_w)
{
	char	out[256];
	int	w;

	w = format_field(out, sizeof(out), in, strlen(in), skip, width, flags);
	if (strcmp(out, want) != 0 || w != want_w) {
		printf("  \"%s\": got \"%s\" (%d), want \"%s\" (%d)\n", in,
		    out, w, want, want_w);
		return 0;
	}
	return 1;
}

static void
test_escape(void)
{
	CHECK(field_is("bob@example.org", 0, -1, U8, "bob@example.org", 15));
	CHECK(field_is("a\x1b[31mb", 0, -1, U8, "a\\x1b[31mb", 10));
	CHECK(field_is("\x1b]0;pwned\x07", 0, -1, U8, "\\x1b]0;pwned\\x07",
	    16));
	CHECK(field_is("a\\b", 0, -1, U8, "a\\\\b", 4));
	CHECK(field_is("tab\there\r\n", 0, -1, U8, "tab\\x09here\\x0d\\x0a",
	    19));
	CHECK(field_is("\x7f", 0, -1, U8, "\\x7f", 4));
	/* Valid UTF-8 stays with a UTF-8 terminal, is escaped without. */
	CHECK(field_is("b\xc3\xb8" "b", 0, -1, U8, "b\xc3\xb8" "b", 3));
	CHECK(field_is("b\xc3\xb8" "b", 0, -1, 0, "b\\xc3\\xb8b", 10));
	/* Invalid, overlong, surrogate, C1 control, bidi override. */
	CHECK(field_is("\xff", 0, -1, U8, "\\xff", 4));
	CHECK(field_is("\xc0\xaf", 0, -1, U8, "\\xc0\\xaf", 8));
	CHECK(field_is("\xed\xa0\x80", 0, -1, U8, "\\xed\\xa0\\x80", 12));
	CHECK(field_is("\xc2\x85", 0, -1, U8, "\\xc2\\x85", 8));
	CHECK(field_is("\xe2\x80\xae" "abc", 0, -1, U8,
	    "\\xe2\\x80\\xae" "abc", 15));
	CHECK(field_is("\xe3\x81", 0, -1, U8, "\\xe3\\x81", 8));
	/* Wide characters take two columns. */
	CHECK(field_is("\xe6\x97\xa5\xe6\x9c\xac", 0, -1, U8,
	    "\xe6\x97\xa5\xe6\x9c\xac", 4));
	CHECK(format_width("\xe6\x97\xa5x\x1b", 5, U8) == 7);
}

static void
test_cut(void)
{
	CHECK(field_is("abcdefgh", 0, 8, U8, "abcdefgh", 8));
	CHECK(field_is("abcdefgh", 0, 5, U8, "abcd\xe2\x80\xa6", 5));
	CHECK(field_is("abcdefgh", 0, 5, 0, "abcd~", 5));
	/* Never half a wide character, never half an escape. */
	CHECK(field_is("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, 5, U8,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6", 5));
	CHECK(field_is("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 0, 4, U8,
	    "\xe6\x97\xa5\xe2\x80\xa6", 3));
	CHECK(field_is("a\x1b" "bc", 0, 4, U8, "a\xe2\x80\xa6", 2));
	CHECK(field_is("abc", 0, 0, U8, "", 0));
	/* Scrolled right: the first columns left out. */
	CHECK(field_is("abcdefgh", 2, 4, U8, "cde\xe2\x80\xa6", 4));
	CHECK(field_is("abcdefgh", 2, -1, 0, "cdefgh", 6));
	CHECK(field_is("ab", 5, 4, U8, "", 0));
}

static void
test_times(void)
{
	char	s[64];

	format_clock(T0, T0 + 3600 * SEC, s, sizeof(s));
	CHECK(strcmp(s, "20:08:07") == 0);
	format_clock(T0 - 2 * 86400 * SEC, T0, s, sizeof(s));
	CHECK(strcmp(s, "Nov 21") == 0);
	time_to_text(T0, TO_DATETIME, s, sizeof(s));
	CHECK(strcmp(s, "2026-11-23 20:08:07") == 0);
	format_host("127.0.0.1:2525", s, sizeof(s));
	CHECK(strcmp(s, "127.0.0.1") == 0);
	format_host("[2001:db8::1]:25", s, sizeof(s));
	CHECK(strcmp(s, "2001:db8::1") == 0);
	format_host("unix:/var/run/smtpd.sock", s, sizeof(s));
	CHECK(strcmp(s, "unix:/var/run/smtpd.sock") == 0);
	format_host(NULL, s, sizeof(s));
	CHECK(strcmp(s, "-") == 0);
}

static void
test_spark(void)
{
	static const int v[6] = { 3, 0, 1, 2, 4, 8 };
	char	s[64];

	format_spark(v + 1, 5, 5, s, sizeof(s), U8);
	CHECK(strcmp(s, " \xe2\x96\x81\xe2\x96\x82\xe2\x96\x84\xe2\x96\x88")
	    == 0);
	format_spark(v + 1, 5, 5, s, sizeof(s), 0);
	CHECK(strcmp(s, " _.~#") == 0);
	/* Narrower than the values: the newest ones. */
	format_spark(v, 6, 2, s, sizeof(s), 0);
	CHECK(strcmp(s, "~#") == 0);
	format_spark(v, 6, 60, s, sizeof(s), 0);
	CHECK(strlen(s) == 6);
}

static void
test_layout(void)
{
	struct format_col	c[FORMAT_COLS];
	int			w, i;

	for (w = 80; w <= 200; w += 20) {
		format_lives_layout(w, c);
		CHECK(c[LCOL_TIME].x == 0 && c[LCOL_TIME].w == 8);
		CHECK(c[LCOL_DELAY].x + c[LCOL_DELAY].w == w);
		for (i = 1; i < LCOL_MAX; i++)
			CHECK(c[i].x == c[i - 1].x + c[i - 1].w + 1);
		format_sess_layout(w, c);
		if (w < FORMAT_SESS_WIDE)
			CHECK(c[SCOL_DUR].x + c[SCOL_DUR].w == w &&
			    c[SCOL_REASON].w == 0);
		else
			CHECK(c[SCOL_REASON].x + c[SCOL_REASON].w == w &&
			    c[SCOL_REASON].w >= 24 && c[SCOL_PEER].w >= 14);
		for (i = 1; i < SCOL_MAX; i++)
			CHECK(c[i].x == c[i - 1].x + c[i - 1].w + 1 ||
			    (i == SCOL_REASON && c[i].w == 0));
	}
	format_lives_layout(80, c);
	CHECK(c[LCOL_FROM].w >= 16 && c[LCOL_TO].w >= 16 &&
	    c[LCOL_PEER].w >= 14);
	format_lives_layout(20, c);
	CHECK(c[LCOL_DELAY].w == 0);
}

static void
test_rows(void)
{
	struct format_col	c[FORMAT_COLS];
	struct format_cells	cells;
	struct query_row	r;
	struct query_sess	s;

	memset(&r, 0, sizeof(r));
	r.kind = QUERY_ENVELOPE;
	r.t = r.t_start = T0;
	r.t_end = T0 + 1230 * 1000;
	r.status = LIFE_DELIVERED;
	r.nattempts = 1;
	r.from = (char *)(uintptr_t)"";
	r.to = (char *)(uintptr_t)"b\xc3\xb8" "b@example.org\x1b[2J";
	r.client = (char *)(uintptr_t)"192.0.2.1:4444";
	r.relay = (char *)(uintptr_t)"198.51.100.7:25";
	format_lives_layout(100, c);
	format_row_life(&r, T0, U8, c, &cells);
	CHECK(strcmp(cells.text[LCOL_TIME], "20:08:07") == 0);
	CHECK(strcmp(cells.text[LCOL_MARK], ">\xe2\x9c\x93") == 0);
	CHECK(strcmp(cells.text[LCOL_FROM], "<>") == 0);
	CHECK(strcmp(cells.text[LCOL_TO], "b\xc3\xb8" "b@example.org\\x1b[2J")
	    == 0);
	CHECK(strcmp(cells.text[LCOL_PEER], "198.51.100.7") == 0);
	CHECK(strcmp(cells.text[LCOL_STATUS], "delivered") == 0 &&
	    cells.tone[LCOL_STATUS] == TONE_GOOD);
	CHECK(strcmp(cells.text[LCOL_DELAY], "1.23s") == 0);
	/* Waiting: its age; ASCII marks without UTF-8; sessions: helo. */
	r.status = LIFE_DEFERRED;
	r.t_end = 0;
	format_lives_layout(200, c);
	format_row_life(&r, T0 + 125 * SEC, 0, c, &cells);
	CHECK(strcmp(cells.text[LCOL_DELAY], "2m05s") == 0 &&
	    strcmp(cells.text[LCOL_MARK], ">~") == 0 &&
	    strcmp(cells.text[LCOL_TO], "b\\xc3\\xb8b@example.org\\x1b[2J")
	    == 0);
	memset(&r, 0, sizeof(r));
	r.kind = QUERY_SESSION;
	r.helo = (char *)(uintptr_t)"\x1b]0;pwned\x07";
	r.client = (char *)(uintptr_t)"192.0.2.66:4444";
	format_row_life(&r, T0, U8, c, &cells);
	CHECK(strcmp(cells.text[LCOL_FROM], "helo \\x1b]0;pwned\\x07") == 0 &&
	    strcmp(cells.text[LCOL_STATUS], "no mail") == 0 &&
	    strcmp(cells.text[LCOL_PEER], "192.0.2.66") == 0);
	memset(&s, 0, sizeof(s));
	s.dir = 1;
	s.t_start = T0;
	s.dest = (char *)(uintptr_t)"198.51.100.7:25";
	s.end_reason = (char *)(uintptr_t)"timeout";
	s.outcome = (char *)(uintptr_t)"timeout";
	s.t_end = T0 + 300 * SEC;
	s.ntx = 2;
	format_sess_layout(100, c);
	memset(&cells, 0, sizeof(cells));
	format_row_sess(&s, T0, U8, c, &cells);
	CHECK(strcmp(cells.text[SCOL_DIR], "out") == 0 &&
	    strcmp(cells.text[SCOL_PEER], "198.51.100.7") == 0 &&
	    strcmp(cells.text[SCOL_TX], "2") == 0 &&
	    strcmp(cells.text[SCOL_OUTCOME], "timeout") == 0 &&
	    cells.tone[SCOL_OUTCOME] == TONE_WARN &&
	    strcmp(cells.text[SCOL_DUR], "5m00s") == 0 &&
	    c[SCOL_REASON].w == 0);
	/* Refused: the reply that refused it, escaped, when there is room. */
	s.outcome = (char *)(uintptr_t)"refused-mail";
	s.reason = (char *)(uintptr_t)"550 no\x1b]0;pwned\x07";
	format_sess_layout(FORMAT_SESS_WIDE, c);
	format_row_sess(&s, T0, U8, c, &cells);
	CHECK(strcmp(cells.text[SCOL_OUTCOME], "refused-mail") == 0 &&
	    cells.tone[SCOL_OUTCOME] == TONE_BAD &&
	    strcmp(cells.text[SCOL_REASON], "550 no\\x1b]0;pwned\\x07") == 0);
	/* Open, nothing decided yet. */
	s.outcome = s.reason = NULL;
	s.t_end = 0;
	format_row_sess(&s, T0, U8, c, &cells);
	CHECK(strcmp(cells.text[SCOL_OUTCOME], "open") == 0 &&
	    cells.tone[SCOL_OUTCOME] == TONE_INFO &&
	    strcmp(cells.text[SCOL_REASON], "") == 0);
}

/* A destination: numbers right-aligned, none as "-", the reply escaped. */
static void
test_dest(void)
{
	struct format_col	c[FORMAT_COLS];
	struct format_cells	cells;
	struct dest_row		r;
	int			i;

	format_dest_layout(100, c);
	CHECK(c[DCOL_REPLY].w == 0 && c[DCOL_CLASS].x + c[DCOL_CLASS].w ==
	    100 && c[DCOL_NAME].w >= 30);
	format_dest_layout(FORMAT_DEST_WIDE, c);
	CHECK(c[DCOL_REPLY].x + c[DCOL_REPLY].w == FORMAT_DEST_WIDE &&
	    c[DCOL_REPLY].w >= 30);
	for (i = 1; i < DCOL_MAX; i++)
		CHECK(c[i].x == c[i - 1].x + c[i - 1].w + 1);
	format_dest_layout(200, c);
	memset(&r, 0, sizeof(r));
	r.key = (char *)(uintptr_t)"198.51.100.7:25";
	r.name = (char *)(uintptr_t)"mx.example.org";
	r.envelopes = 4;
	r.delivered = 3;
	r.first = 1;
	r.deferrals = 12;
	r.failures = 1;
	r.p50 = 1230 * 1000;
	r.p95 = -1;
	r.nclasses = 1;
	r.classes[0].name = "greylisted";
	r.classes[0].deferrals = 12;
	r.fail_reply = (char *)(uintptr_t)"451 later\x1b]0;pwned\x07";
	format_row_dest(&r, U8, c, &cells);
	CHECK(strcmp(cells.text[DCOL_NAME], "198.51.100.7:25 "
	    "(mx.example.org)") == 0);
	CHECK(strcmp(cells.text[DCOL_DELIV], "     3") == 0 &&
	    cells.tone[DCOL_DELIV] == TONE_GOOD);
	CHECK(strcmp(cells.text[DCOL_DEFER], "    12") == 0 &&
	    cells.tone[DCOL_DEFER] == TONE_WARN);
	CHECK(strcmp(cells.text[DCOL_FAIL], "     1") == 0 &&
	    cells.tone[DCOL_FAIL] == TONE_BAD);
	CHECK(strcmp(cells.text[DCOL_FIRST], "  25%") == 0);
	CHECK(strcmp(cells.text[DCOL_P50], "  1.23s") == 0 &&
	    strcmp(cells.text[DCOL_P95], "      -") == 0);
	CHECK(strcmp(cells.text[DCOL_CLASS], "greylisted") == 0 &&
	    cells.tone[DCOL_CLASS] == TONE_WARN);
	CHECK(strcmp(cells.text[DCOL_REPLY], "451 later\\x1b]0;pwned\\x07")
	    == 0);
	/* A domain, nothing sent: no share, no class, no reply. */
	memset(&r, 0, sizeof(r));
	r.key = (char *)(uintptr_t)"example.org";
	r.p50 = r.p95 = -1;
	format_row_dest(&r, U8, c, &cells);
	CHECK(strcmp(cells.text[DCOL_NAME], "example.org") == 0 &&
	    strcmp(cells.text[DCOL_DEFER], "     0") == 0 &&
	    cells.tone[DCOL_DEFER] == TONE_PLAIN &&
	    strcmp(cells.text[DCOL_FIRST], "    -") == 0 &&
	    strcmp(cells.text[DCOL_CLASS], "-") == 0 &&
	    strcmp(cells.text[DCOL_REPLY], "") == 0);
}

static void
test_lines(void)
{
	struct query_event	 e;
	struct buf		 b = { NULL, 0, 0 };

	memset(&e, 0, sizeof(e));
	e.t = T0 + 1500;
	e.event = EVT_PROTOCOL_SERVER;
	e.text = (char *)(uintptr_t)"550 no\x1b[2J";
	e.len = strlen(e.text);
	CHECK(format_row_event(&e, T0, &b) == TONE_BAD);
	CHECK(b.len == 23 &&
	    memcmp(b.p, "+0.002s    < 550 no\x1b[2J", 23) == 0);
	e.event = EVT_TX_BEGIN;
	e.has_msgid = 1;
	e.msgid = 0xe6a20017;
	e.len = 0;
	CHECK(format_row_event(&e, T0, &b) == TONE_DIM);
	CHECK(b.len == 30 && memcmp(b.p, "+0.002s    = tx-begin e6a20017",
	    30) == 0);
	buf_free(&b);
}

/*
 * A row's status is the writer's, word for word (status_to_text());
 * every one has a tone and a mark; a session without mail has none.
 */
static void
test_status(void)
{
	struct query_row	r;
	int			i;

	memset(&r, 0, sizeof(r));
	r.kind = QUERY_ENVELOPE;
	for (i = 0; i < LIFE_NSTATUS; i++) {
		r.status = (enum life_status)i;
		CHECK(strcmp(format_status(&r), status_to_text(i)) == 0);
		CHECK(format_status_tone(&r) != TONE_PLAIN);
		CHECK(format_mark(&r, U8)[0] == '<' &&
		    strlen(format_mark(&r, U8)) >= 2 &&
		    strlen(format_mark(&r, 0)) == 2);
	}
	r.status = LIFE_REMOVED;
	CHECK(strcmp(format_status(&r), "removed") == 0 &&
	    format_status_tone(&r) == TONE_ODD &&
	    strcmp(format_mark(&r, 0), "</") == 0);
	r.status = LIFE_EXPIRED;
	CHECK(format_status_tone(&r) == TONE_BAD &&
	    strcmp(format_mark(&r, 0), "<%") == 0);
	/* Attempts made but no relay known: the client is shown. */
	r.nattempts = 2;
	r.status = LIFE_DELIVERED;
	CHECK(strcmp(format_mark(&r, 0), "<+") == 0);
	r.relay = (char *)(uintptr_t)"198.51.100.7:25";
	CHECK(strcmp(format_mark(&r, 0), ">+") == 0);
	r.kind = QUERY_SESSION;
	CHECK(strcmp(format_status(&r), "no mail") == 0 &&
	    format_status_tone(&r) == TONE_DIM);
	r.kind = QUERY_REJECTED;
	r.status = LIFE_REJECTED;
	CHECK(format_status_tone(&r) == TONE_BAD);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		printf("no C.UTF-8 locale\n");
		return 1;
	}
	test_escape();
	test_cut();
	test_times();
	test_spark();
	test_layout();
	test_rows();
	test_dest();
	test_lines();
	test_status();
	TEST_END();
}
