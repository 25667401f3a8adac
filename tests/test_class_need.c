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
 * test_class_need.c: the words a class rule needs (schema/class_need.c),
 * that decide whether its regular expression is tried: only words no
 * match can lack (optional characters, groups, brackets, escapes and
 * alternatives), and none at all when an alternative has no word.  A
 * word that is its whole alternative decides alone: every such word of
 * the table's rules is matched by the rule's own regex.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/model_int.h"
#include "test.h"

static const struct {
	const char	*re;
	const char	*words;		/* joined by "|"; "" for none */
	const char	*whole;		/* each word: 1 its whole alternative */
} cases[] = {
	{ "gr[ae]y-?list", "list", "0" },
	{ "over ?quota", "quota", "0" },
	{ "tls (is )?required|must use TLS", "required|must use tls", "01" },
	{ "ipcheck\\.proofpoint|\\[TSS0[0-9]\\]", "ipcheck.proofpoint|[tss0",
	    "10" },
	{ "^4.*reputation", "reputation", "0" },
	{ "aa+b", "aa", "0" },
	{ "ab{2}c|x[|]yz", "a|yz", "00" },
	{ "(a|b)c|de", "c|de", "01" },
	{ "^[245]\\.1\\.[136]([^0-9]|$)", ".1.", "0" },
	{ "x\\wyz", "yz", "0" },
	{ "spam|[0-9]+", "", "" },
	{ "spam|", "", "" },
	{ "(unclosed", "", "" },
	{ "caf\xc3\xa9s", "caf", "0" },
	{ "user unknown|no such (user|mailbox)", "user unknown|no such ",
	    "10" },
	{ "ipcheck\\.proofpoint|\\[TSS09\\]|^4.*reputation",
	    "ipcheck.proofpoint|[tss09]|reputation", "110" },
	{ "quota exceeded|postgrey", "quota exceeded|postgrey", "11" },
};

/*
 * Each word that is a whole alternative of a rule of the table is a
 * text the rule's regex matches, in upper case too: the word alone is
 * enough.  The number of such words.
 */
static size_t
check_table(void)
{
	struct class_need	 n;
	regex_t			 re;
	char			 up[256];
	size_t			 i, j, k, count = 0;

	for (i = 0; class_table[i].re != NULL; i++) {
		class_need_make(&n, class_table[i].re);
		CHECK(regcomp(&re, class_table[i].re, REG_EXTENDED |
		    REG_ICASE | REG_NOSUB) == 0);
		for (j = 0; j < n.n; j++) {
			if (!n.whole[j])
				continue;
			count++;
			for (k = 0; n.word[j][k] != '\0' && k + 1 < sizeof(up);
			    k++)
				up[k] = n.word[j][k] >= 'a' &&
				    n.word[j][k] <= 'z' ? n.word[j][k] - 32 :
				    n.word[j][k];
			up[k] = '\0';
			CHECK_MSG(regexec(&re, n.word[j], 0, NULL, 0) == 0 &&
			    regexec(&re, up, 0, NULL, 0) == 0,
			    "rule %zu: \"%s\" alone", i, n.word[j]);
		}
		regfree(&re);
		class_need_free(&n);
	}
	return count;
}

static void
check_words(const char *re, const char *want, const char *whole)
{
	struct class_need	 n;
	char			 got[256], marks[64];
	size_t			 i;

	class_need_make(&n, re);
	got[0] = '\0';
	for (i = 0; i < n.n; i++) {
		if (i > 0)
			strlcat(got, "|", sizeof(got));
		strlcat(got, n.word[i], sizeof(got));
		if (i + 1 < sizeof(marks))
			marks[i] = n.whole[i] ? '1' : '0';
	}
	marks[i < sizeof(marks) ? i : sizeof(marks) - 1] = '\0';
	CHECK_MSG(strcmp(got, want) == 0, "\"%s\": got \"%s\", want \"%s\"",
	    re, got, want);
	CHECK_MSG(strcmp(marks, whole) == 0,
	    "\"%s\": whole %s, want %s", re, marks, whole);
	class_need_free(&n);
}

int
main(void)
{
	struct class_need	n;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_words(cases[i].re, cases[i].words, cases[i].whole);
	CHECK_MSG(check_table() >= 50, "too few whole words in the table");
	class_need_make(&n, "blocked using|listed (at|on) ");
	CHECK(class_need_test(&n, "550 5.7.1 listed on zen") == 1);
	CHECK(class_need_test(&n, "550 5.7.1 blocked using zen") == 2);
	CHECK(class_need_test(&n, "550 5.7.1 blocked") == 0);
	class_need_free(&n);
	class_need_make(&n, "[0-9]");
	CHECK(n.n == 0 && class_need_test(&n, "anything") == 1);
	class_need_free(&n);
	TEST_END();
}
