/*
 * test_escape.c: unit tests of escape_bytes() (collector/escape.c):
 * what is kept, what becomes "\\" or "\xHH", and truncation to the
 * destination size with whole escapes only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "test.h"

#define TEST_ESCAPE_BUF		256
#define TEST_ESCAPE_CANARY	'Z'

/* src (srclen bytes; 0: strlen) into dstsz bytes gives want, eating n. */
struct test_escape_case {
	const char	*src;
	size_t		 srclen;
	size_t		 dstsz;
	const char	*want;
	size_t		 consumed;
};

#define SRC(s)	(s), sizeof(s) - 1

static const struct test_escape_case test_escape_cases[] = {
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

static size_t	 test_escape_width(unsigned char);
static void	 test_escape_case(const struct test_escape_case *);
static void	 test_escape_cases_all(void);
static void	 test_escape_zero(void);
static void	 test_escape_each_byte(void);
static void	 test_escape_printable(void);
static void	 test_escape_truncation(void);

/* How many bytes one source byte becomes (the spec, written again). */
static size_t
test_escape_width(unsigned char c)
{
	if (c == '\\')
		return 2;
	if (c >= 0x20 && c < 0x7f)
		return 1;
	return 4;
}

/* One case, into a larger buffer whose tail must stay untouched. */
static void
test_escape_case(const struct test_escape_case *c)
{
	char	dst[TEST_ESCAPE_BUF];
	size_t	n, i;
	int	intact = 1;

	memset(dst, TEST_ESCAPE_CANARY, sizeof(dst));
	n = escape_bytes(dst, c->dstsz, c->src, c->srclen);
	CHECK_MSG(n == c->consumed, "want \"%s\": consumed %zu, want %zu",
	    c->want, n, c->consumed);
	CHECK_MSG(memchr(dst, '\0', c->dstsz) != NULL &&
	    strcmp(dst, c->want) == 0, "got \"%.*s\", want \"%s\"",
	    (int)c->dstsz, dst, c->want);
	for (i = c->dstsz; i < sizeof(dst); i++)
		if (dst[i] != TEST_ESCAPE_CANARY)
			intact = 0;
	CHECK_MSG(intact, "want \"%s\": wrote past %zu", c->want, c->dstsz);
}

static void
test_escape_cases_all(void)
{
	size_t	i;

	for (i = 0; i < sizeof(test_escape_cases) /
	    sizeof(test_escape_cases[0]); i++)
		test_escape_case(&test_escape_cases[i]);
}

/* A zero-sized destination is not touched. */
static void
test_escape_zero(void)
{
	char	dst[4] = { 'x', 'y', 'z', 'w' };

	CHECK(escape_bytes(dst, 0, "abc", 3) == 0);
	CHECK(memcmp(dst, "xyzw", 4) == 0);
	CHECK(escape_bytes(dst, 4, "", 0) == 0 && dst[0] == '\0');
}

/* Every byte value alone: kept, doubled, or \xHH in lowercase hex. */
static void
test_escape_each_byte(void)
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
		CHECK(strlen(want) == test_escape_width((unsigned char)c));
	}
}

/* All 256 bytes at once: only printable ASCII comes out. */
static void
test_escape_printable(void)
{
	char	src[256], dst[256 * 4 + 1];
	size_t	i, n, want = 0;
	int	clean = 1;

	for (i = 0; i < sizeof(src); i++) {
		src[i] = (char)i;
		want += test_escape_width((unsigned char)i);
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
test_escape_truncation(void)
{
	static const char src[] = "a\\b\x1b[2J\xc3\xa9\0z\x7f~";
	char	full[128], dst[128], part[128];
	size_t	sz, n, out;
	int	ok = 1, canary = 1;

	escape_bytes(full, sizeof(full), src, sizeof(src) - 1);
	for (sz = 1; sz < sizeof(dst); sz++) {
		memset(dst, TEST_ESCAPE_CANARY, sizeof(dst));
		n = escape_bytes(dst, sz, src, sizeof(src) - 1);
		out = strlen(dst);
		escape_bytes(part, sizeof(part), src, n);
		if (n > sizeof(src) - 1 || out >= sz ||
		    strncmp(dst, full, out) != 0 || strcmp(dst, part) != 0)
			ok = 0;
		else if (n < sizeof(src) - 1 &&
		    out + test_escape_width((unsigned char)src[n]) < sz)
			ok = 0;
		if (sz + 1 < sizeof(dst) && dst[sz] != TEST_ESCAPE_CANARY)
			canary = 0;
	}
	CHECK_MSG(ok, "truncation keeps whole escapes");
	CHECK_MSG(canary, "no write past the destination size");
	CHECK(strcmp(full, "a\\\\b\\x1b[2J\\xc3\\xa9\\x00z\\x7f~") == 0);
}

int
main(void)
{
	test_escape_cases_all();
	test_escape_zero();
	test_escape_each_byte();
	test_escape_printable();
	test_escape_truncation();
	TEST_END();
}
