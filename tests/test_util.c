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
 * test_util.c: unit tests of util.c: escape_bytes() (what is kept, what
 * becomes "\\" or "\xHH", truncation with whole escapes only),
 * escape_quote(), xgrow() and the idset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "test.h"

#define TEST_UTIL_BUF		256
#define TEST_UTIL_CANARY	'Z'

/* src (srclen bytes; 0: strlen) into dstsz bytes gives want, eating n. */
struct test_util_case {
	const char	*src;
	size_t		 srclen;
	size_t		 dstsz;
	const char	*want;
	size_t		 consumed;
};

#define SRC(s)	(s), sizeof(s) - 1

static const struct test_util_case test_util_cases[] = {
	{ SRC("hello, world"), 64, "hello, world", 12 },
	{ SRC(" !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~"), 64,
	    " !\"#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~", 38 },
	{ SRC("a\\b"), 64, "a\\\\b", 3 },
	{ SRC("\\\\"), 64, "\\\\\\\\", 2 },
	{ SRC("\x1b"), 64, "\\x1b", 1 },
	{ SRC("\x1b[2J\x1b[H"), 64, "\\x1b[2J\\x1b[H", 7 },
	{ SRC("\x1b]0;title\x07"), 64, "\\x1b]0;title\\x07", 10 },
	{ SRC("\x9b" "31m"), 64, "\\x9b31m", 4 },
	{ SRC("a\0b"), 64, "a\\x00b", 3 },
	{ SRC("\0"), 64, "\\x00", 1 },
	{ SRC("\x7f"), 64, "\\x7f", 1 },
	{ SRC("\x80\xff"), 64, "\\x80\\xff", 2 },
	{ SRC("caf\xc3\xa9"), 64, "caf\\xc3\\xa9", 5 },
	{ SRC("\r\n\t\b\x01\x1f"), 64, "\\x0d\\x0a\\x09\\x08\\x01\\x1f", 6 },
	{ SRC(" ~"), 64, " ~", 2 },
	{ SRC(""), 64, "", 0 },
	/* Truncation: room for the NUL, whole escapes only. */
	{ SRC("abcdef"), 4, "abc", 3 },
	{ SRC("abc"), 4, "abc", 3 },
	{ SRC("abcd"), 4, "abc", 3 },
	{ SRC("abc"), 1, "", 0 },
	{ SRC("abc"), 2, "a", 1 },
	{ SRC("ab\x1b"), 6, "ab", 2 },
	{ SRC("ab\x1b"), 7, "ab\\x1b", 3 },
	{ SRC("\x1b"), 4, "", 0 },
	{ SRC("\x1b"), 5, "\\x1b", 1 },
	{ SRC("a\\"), 3, "a", 1 },
	{ SRC("a\\"), 4, "a\\\\", 2 },
	{ SRC("\\"), 2, "", 0 },
	{ SRC("\x1b" "abc"), 3, "", 0 },
	{ SRC("\xff\xfe"), 8, "\\xff", 1 },
	{ SRC("\xff\xfe"), 9, "\\xff\\xfe", 2 },
};

static size_t	 test_util_width(unsigned char);
static void	 test_util_case(const struct test_util_case *);
static void	 test_util_cases_all(void);
static void	 test_util_zero(void);
static void	 test_util_text(void);
static void	 test_util_each_byte(void);
static void	 test_util_printable(void);
static void	 test_util_truncation(void);
static void	 test_util_quote(void);
static void	 test_util_grow(void);
static void	 test_util_buf_escape(void);
static void	 test_util_idset(void);
static void	 test_util_hash(void);

/* How many bytes one source byte becomes (the spec, written again). */
static size_t
test_util_width(unsigned char c)
{
	if (c == '\\')
		return 2;
	if (c >= 0x20 && c < 0x7f)
		return 1;
	return 4;
}

/* One case, into a larger buffer whose tail must stay untouched. */
static void
test_util_case(const struct test_util_case *c)
{
	char	dst[TEST_UTIL_BUF];
	size_t	n, i;
	int	intact = 1;

	memset(dst, TEST_UTIL_CANARY, sizeof(dst));
	n = escape_bytes(dst, c->dstsz, c->src, c->srclen);
	CHECK_MSG(n == c->consumed, "want \"%s\": consumed %zu, want %zu",
	    c->want, n, c->consumed);
	CHECK_MSG(memchr(dst, '\0', c->dstsz) != NULL &&
	    strcmp(dst, c->want) == 0, "got \"%.*s\", want \"%s\"",
	    (int)c->dstsz, dst, c->want);
	for (i = c->dstsz; i < sizeof(dst); i++)
		if (dst[i] != TEST_UTIL_CANARY)
			intact = 0;
	CHECK_MSG(intact, "want \"%s\": wrote past %zu", c->want, c->dstsz);
}

static void
test_util_cases_all(void)
{
	size_t	i;

	for (i = 0; i < sizeof(test_util_cases) /
	    sizeof(test_util_cases[0]); i++)
		test_util_case(&test_util_cases[i]);
}

/* A zero-sized destination is not touched. */
static void
test_util_zero(void)
{
	char	dst[4] = { 'x', 'y', 'z', 'w' };

	CHECK(escape_bytes(dst, 0, "abc", 3) == 0);
	CHECK(memcmp(dst, "xyzw", 4) == 0);
	CHECK(escape_bytes(dst, 4, "", 0) == 0 && dst[0] == '\0');
}

/* A message's text: its backslashes kept, what was escaped reads so. */
static void
test_util_text(void)
{
	char	dst[64];

	CHECK(escape_text(dst, sizeof(dst), "a\\x1b \033[1m\xc3\xa9", 12) ==
	    12);
	CHECK_MSG(strcmp(dst, "a\\x1b \\x1b[1m\\xc3\\xa9") == 0, "%s", dst);
	CHECK(escape_bytes(dst, sizeof(dst), "a\\b", 3) == 3 &&
	    strcmp(dst, "a\\\\b") == 0);
}

/* Every byte value alone: kept, doubled, or \xHH in lowercase hex. */
static void
test_util_each_byte(void)
{
	char	src[1], dst[8], want[8];
	int	c;

	for (c = 0; c < 256; c++) {
		src[0] = (char)c;
		if (c == '\\')
			snprintf(want, sizeof(want), "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		CHECK_MSG(escape_bytes(dst, sizeof(dst), src, 1) == 1 &&
		    strcmp(dst, want) == 0, "byte 0x%02x: \"%s\", want \"%s\"",
		    c, dst, want);
		CHECK(strlen(want) == test_util_width((unsigned char)c));
	}
}

/* All 256 bytes at once: only printable ASCII comes out. */
static void
test_util_printable(void)
{
	char	src[256], dst[256 * 4 + 1];
	size_t	i, n, want = 0;
	int	clean = 1;

	for (i = 0; i < sizeof(src); i++) {
		src[i] = (char)i;
		want += test_util_width((unsigned char)i);
	}
	n = escape_bytes(dst, sizeof(dst), src, sizeof(src));
	CHECK(n == sizeof(src));
	CHECK_MSG(strlen(dst) == want, "length %zu, want %zu", strlen(dst),
	    want);
	for (i = 0; dst[i] != '\0'; i++)
		if ((unsigned char)dst[i] < 0x20 ||
		    (unsigned char)dst[i] >= 0x7f)
			clean = 0;
	CHECK(clean);
	CHECK(want < sizeof(dst) && dst[want] == '\0');
}

/*
 * Every destination size for a mixed input: the output is the escaped
 * prefix of what was consumed, and the next byte would not have fitted.
 */
static void
test_util_truncation(void)
{
	static const char src[] = "a\\b\x1b[2J\xc3\xa9\0z\x7f~";
	char	full[128], dst[128], part[128];
	size_t	sz, n, out;
	int	ok = 1, canary = 1;

	escape_bytes(full, sizeof(full), src, sizeof(src) - 1);
	for (sz = 1; sz < sizeof(dst); sz++) {
		memset(dst, TEST_UTIL_CANARY, sizeof(dst));
		n = escape_bytes(dst, sz, src, sizeof(src) - 1);
		out = strlen(dst);
		escape_bytes(part, sizeof(part), src, n);
		if (n > sizeof(src) - 1 || out >= sz ||
		    strncmp(dst, full, out) != 0 || strcmp(dst, part) != 0)
			ok = 0;
		else if (n < sizeof(src) - 1 &&
		    out + test_util_width((unsigned char)src[n]) < sz)
			ok = 0;
		if (sz + 1 < sizeof(dst) && dst[sz] != TEST_UTIL_CANARY)
			canary = 0;
	}
	CHECK_MSG(ok, "truncation keeps whole escapes");
	CHECK_MSG(canary, "no write past the destination size");
	CHECK(strcmp(full, "a\\\\b\\x1b[2J\\xc3\\xa9\\x00z\\x7f~") == 0);
}

/* A line quoted for a log: escaped, cut at ESCAPE_QUOTE_MAX bytes. */
static void
test_util_quote(void)
{
	char	q[ESCAPE_QUOTE_SIZE], line[ESCAPE_QUOTE_MAX + 1];

	CHECK(strcmp(escape_quote(q, "a\033b", 3), "\"a\\x1bb\"") == 0);
	CHECK(strcmp(escape_quote(q, "", 0), "\"\"") == 0);
	memset(line, 'x', sizeof(line));
	escape_quote(q, line, ESCAPE_QUOTE_MAX);
	CHECK(strlen(q) == ESCAPE_QUOTE_MAX + 2 && q[strlen(q) - 1] == '"');
	escape_quote(q, line, sizeof(line));
	CHECK(strlen(q) == ESCAPE_QUOTE_MAX + 5 &&
	    strcmp(q + ESCAPE_QUOTE_MAX + 1, "\"...") == 0);
	/* The worst case, every byte four wide, fits. */
	memset(line, '\377', sizeof(line));
	escape_quote(q, line, sizeof(line));
	CHECK(strlen(q) == ESCAPE_QUOTE_MAX * 4 + 5);
}

/* buf_escape: the whole of the bytes, escaped, however long. */
static void
test_util_buf_escape(void)
{
	struct buf	b = { NULL, 0, 0 };
	char		big[3000];

	CHECK(strcmp(buf_escape(&b, "a\033\\", 3), "a\\x1b\\\\") == 0 &&
	    b.len == 7);
	memset(big, '\001', sizeof(big));
	buf_escape(&b, big, sizeof(big));
	CHECK(b.len == sizeof(big) * 4 && strncmp(b.p, "\\x01", 4) == 0);
	CHECK(strcmp(buf_escape(&b, "", 0), "") == 0 && b.len == 0);
	buf_free(&b);
}

/* xgrow: room for one more, doubling from the first size. */
static void
test_util_grow(void)
{
	int	*a = NULL;
	size_t	 n, cap = 0, caps = 0;

	for (n = 0; n < 1000; n++) {
		a = xgrow(a, n, &cap, 4, sizeof(*a));
		CHECK_MSG(cap > n, "room for element %zu", n);
		if (n == 4 || n == 8 || n == 512)
			caps = caps * 10 + (cap == n * 2);
		a[n] = (int)n;
	}
	CHECK(a[0] == 0 && a[999] == 999 && cap == 1024 && caps == 111);
	free(a);
}

/* idset: each id once, found again, freed. */
static void
test_util_idset(void)
{
	struct idset	s = IDSET_INITIALIZER(&s);
	int64_t		i;
	int		added = 0, again = 0;

	for (i = -500; i < 500; i++)
		added += idset_add(&s, i * 7919);
	for (i = -500; i < 500; i++)
		again += idset_add(&s, i * 7919);
	CHECK(added == 1000 && again == 0 && s.n == 1000);
	CHECK(idset_has(&s, 7919) && idset_has(&s, -500 * 7919));
	CHECK(!idset_has(&s, 7918) && !idset_has(&s, 500 * 7919));
	CHECK(idset_has(&s, INT64_MIN) == 0);
	idset_free(&s);
	CHECK(s.n == 0 && !idset_has(&s, 7919));
}

/* FNV-1a's published values, and a hash continued where it stopped. */
static void
test_util_hash(void)
{
	CHECK(util_hash(UTIL_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
	CHECK(util_hash(UTIL_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
	CHECK(util_hash(UTIL_HASH_INIT, "foobar", 6) ==
	    0x85944171f73967e8ULL);
	CHECK(util_hash(util_hash(UTIL_HASH_INIT, "foo", 3), "bar", 3) ==
	    util_hash(UTIL_HASH_INIT, "foobar", 6));
}

int
main(void)
{
	test_util_cases_all();
	test_util_zero();
	test_util_text();
	test_util_each_byte();
	test_util_printable();
	test_util_truncation();
	test_util_quote();
	test_util_grow();
	test_util_buf_escape();
	test_util_idset();
	test_util_hash();
	TEST_END();
}
