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
 * alternatives), and none at all when an alternative has no word.
 */
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
} cases[] = {
	{ "gr[ae]y-?list", "list" },
	{ "over ?quota", "quota" },
	{ "tls (is )?required|must use TLS", "required|must use tls" },
	{ "ipcheck\\.proofpoint|\\[TSS0[0-9]\\]", "ipcheck.proofpoint|[tss0" },
	{ "^4.*reputation", "reputation" },
	{ "aa+b", "aa" },
	{ "ab{2}c|x[|]yz", "a|yz" },
	{ "(a|b)c|de", "c|de" },
	{ "^[245]\\.1\\.[136]([^0-9]|$)", ".1." },
	{ "x\\wyz", "yz" },
	{ "spam|[0-9]+", "" },
	{ "spam|", "" },
	{ "(unclosed", "" },
	{ "caf\xc3\xa9s", "caf" },
};

static void
check_words(const char *re, const char *want)
{
	struct class_need	 n;
	char			 got[256];
	size_t			 i;

	class_need_make(&n, re);
	got[0] = '\0';
	for (i = 0; i < n.n; i++) {
		if (i > 0)
			strlcat(got, "|", sizeof(got));
		strlcat(got, n.word[i], sizeof(got));
	}
	CHECK_MSG(strcmp(got, want) == 0, "\"%s\": got \"%s\", want \"%s\"",
	    re, got, want);
	class_need_free(&n);
}

int
main(void)
{
	struct class_need	n;
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_words(cases[i].re, cases[i].words);
	class_need_make(&n, "blocked using|listed (at|on) ");
	CHECK(class_need_test(&n, "550 5.7.1 listed on zen") == 1);
	CHECK(class_need_test(&n, "550 5.7.1 blocked using zen") == 1);
	CHECK(class_need_test(&n, "550 5.7.1 blocked") == 0);
	class_need_free(&n);
	class_need_make(&n, "[0-9]");
	CHECK(n.n == 0 && class_need_test(&n, "anything") == 1);
	class_need_free(&n);
	TEST_END();
}
