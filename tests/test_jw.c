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
 * test_jw.c: the JSON writer of export (export/jw.c) writes what cJSON
 * writes for the same object, byte for byte: every byte value in a
 * string, random strings, nesting, nulls, booleans and raw numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export/export.h"
#include "test.h"

static char	*jw_text(struct jw *);
static char	*cjson_text(cJSON *);
static void	 check_same(struct jw *, cJSON *);
static void	 check_string(const char *);

/* What jw wrote, as a string without its newline. */
static char *
jw_text(struct jw *w)
{
	char	*s;
	size_t	 n;
	FILE	*fp = open_memstream(&s, &n);

	CHECK(fp != NULL && jw_end(w, fp) == 0);
	fclose(fp);
	CHECK(n > 0 && s[n - 1] == '\n');
	s[n - 1] = '\0';
	return s;
}

static char *
cjson_text(cJSON *o)
{
	char	*s = cJSON_PrintUnformatted(o);

	cJSON_Delete(o);
	return s;
}

/* What w wrote is what cJSON prints for o; both are freed. */
static void
check_same(struct jw *w, cJSON *o)
{
	char	*a = jw_text(w), *b = cjson_text(o);

	CHECK_MSG(strcmp(a, b) == 0, "jw %s, cJSON %s", a, b);
	free(a);
	cJSON_free(b);
	jw_free(w);
}

/* {"k": s} both ways. */
static void
check_string(const char *s)
{
	struct jw	 w;
	cJSON		*o = cJSON_CreateObject();

	memset(&w, 0, sizeof(w));
	jw_begin(&w);
	jw_str(&w, "k", s);
	cJSON_AddStringToObject(o, "k", s);
	check_same(&w, o);
}

static void
test_nested(void)
{
	struct jw	 w;
	cJSON		*o = cJSON_CreateObject(), *r, *a;

	memset(&w, 0, sizeof(w));
	jw_begin(&w);
	jw_raw(&w, "n", "42");
	jw_str(&w, "none", NULL);
	jw_open(&w, "obj", '{');
	jw_bool(&w, "t", 1);
	jw_bool(&w, "f", 0);
	jw_open(&w, "empty", '[');
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_open(&w, "list", '[');
	jw_open(&w, NULL, '{');
	jw_str(&w, "a", "b\"c");
	jw_close(&w, '}');
	jw_open(&w, NULL, '{');
	jw_close(&w, '}');
	jw_close(&w, ']');
	jw_raw(&w, "s", "0.25");

	cJSON_AddRawToObject(o, "n", "42");
	cJSON_AddNullToObject(o, "none");
	r = cJSON_AddObjectToObject(o, "obj");
	cJSON_AddTrueToObject(r, "t");
	cJSON_AddFalseToObject(r, "f");
	cJSON_AddArrayToObject(r, "empty");
	a = cJSON_AddArrayToObject(o, "list");
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "a", "b\"c");
	cJSON_AddItemToArray(a, r);
	cJSON_AddItemToArray(a, cJSON_CreateObject());
	cJSON_AddRawToObject(o, "s", "0.25");
	check_same(&w, o);
}

int
main(void)
{
	char	s[64];
	int	i, j, c;

	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'z';
		s[3] = '\0';
		check_string(s);
	}
	check_string("");
	srandom(7);
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < (int)sizeof(s) - 1 && random() % 40 != 0; j++)
			s[j] = (char)(1 + random() % 255);
		s[j] = '\0';
		check_string(s);
	}
	test_nested();
	TEST_END();
}
