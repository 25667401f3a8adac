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
 * string, random strings, nesting, nulls, booleans and raw numbers; and
 * a report event as json_event_print() writes it in place.
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
static void	 test_terminal(void);
static void	 test_nul(void);
static void	 check_same(struct jw *, cJSON *);
static void	 check_string(const char *);
static void	 check_event(const struct model_event *);
static void	 test_events(void);

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

/* What cJSON prints for o, as the commands write it (jw_print()). */
static char *
cjson_text(cJSON *o)
{
	char	*s = cJSON_PrintUnformatted(o), *out;
	size_t	 n;
	FILE	*fp = open_memstream(&out, &n);

	CHECK(s != NULL && fp != NULL && jw_print(fp, s, strlen(s)) == 0);
	fclose(fp);
	cJSON_free(s);
	cJSON_Delete(o);
	return out;
}

/* What w wrote is what cJSON prints for o; both are freed. */
static void
check_same(struct jw *w, cJSON *o)
{
	char	*a = jw_text(w), *b = cjson_text(o);

	CHECK_MSG(strcmp(a, b) == 0, "jw %s, cJSON %s", a, b);
	free(a);
	free(b);
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

/* json_event_print(e) against the same members put to cJSON. */
static void
check_event(const struct model_event *e)
{
	struct buf	 b = { NULL, 0, 0 };
	cJSON		*o = cJSON_CreateObject();
	char		 iso[32], hex[17], *a, *c;
	size_t		 n;
	FILE		*fp = open_memstream(&a, &n);

	CHECK(fp != NULL && json_event_print(e, 1, fp) == 0);
	fclose(fp);
	CHECK(n > 0 && a[n - 1] == '\n');
	a[n - 1] = '\0';
	cJSON_AddNumberToObject(o, "seq", (double)e->id);
	time_to_text(e->t, TO_ISO_US, iso, sizeof(iso));
	if (e->t == 0)
		cJSON_AddNullToObject(o, "time");
	else
		cJSON_AddStringToObject(o, "time", iso);
	if (e->event == EVT_NONE) {
		cJSON_AddNullToObject(o, "subsystem");
		cJSON_AddNullToObject(o, "event");
		cJSON_AddNullToObject(o, "session");
	} else {
		cJSON_AddStringToObject(o, "subsystem", e->dir == DIR_IN ?
		    "smtp-in" : "smtp-out");
		cJSON_AddStringToObject(o, "event",
		    proto_event_name(e->event));
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)e->session);
		cJSON_AddStringToObject(o, "session", hex);
	}
	snprintf(hex, sizeof(hex), "%08x", e->msgid);
	if (e->has_msgid)
		cJSON_AddStringToObject(o, "msgid", hex);
	else
		cJSON_AddNullToObject(o, "msgid");
	if (e->text == NULL)
		cJSON_AddNullToObject(o, "params");
	else
		cJSON_AddStringToObject(o, "params",
		    json_utf8(e->text, e->len, &b));
	c = cjson_text(o);
	if (strcmp(a, c) != 0)
		fprintf(stderr, "json_event_print: %s\ncJSON:            %s\n",
		    a, c);
	CHECK(strcmp(a, c) == 0);
	free(a);
	free(c);
	buf_free(&b);
}

/*
 * Events of every kind and direction, with and without a msgid or
 * params, params of any bytes, times a microsecond, a second and a day
 * apart (the writer keeps the last second's and day's text), and some
 * before 1970.
 */
static void
test_events(void)
{
	struct model_event	 e;
	char			 text[80];
	int64_t			 t = 1795000000000000LL;
	int			 i, j;

	for (i = 0; i < 3000; i++) {
		memset(&e, 0, sizeof(e));
		e.id = random();
		t += (int64_t[]){ 0, 1, 999999, 1000000, 86400000000LL,
		    -3600000000LL }[random() % 6];
		e.t = i % 900 == 0 ? 0 : i % 500 == 0 ? random() % 1000000 :
		    i % 700 == 0 ? -(int64_t)random() * 1000 : t;
		e.event = random() % EVT_MAX;
		e.dir = random() % 2;
		e.session = (uint64_t)random() << 33 ^ (uint64_t)random();
		e.has_msgid = random() % 2;
		e.msgid = (uint32_t)random();
		for (j = 0; j < (int)sizeof(text) - 1 && random() % 30; j++)
			text[j] = (char)(1 + random() % 255);
		text[j] = '\0';
		e.text = random() % 8 ? text : NULL;
		e.len = e.text != NULL ? (size_t)j : 0;
		check_event(&e);
	}
}

/*
 * What a terminal acts on is escaped both ways: DEL, C1 controls, the
 * bidirectional overrides and isolates; other characters stay as they
 * are, a cut sequence too (the caller made the text UTF-8).
 */
static void
test_terminal(void)
{
	struct jw	 w;
	char		*a;

	check_string("a\x7f\xc2\x9b\xe2\x80\xae\xe2\x81\xa6" "b\xc2\xa0"
	    "\xe2\x80\xa9\xe2\x81\xaa\xc2");
	memset(&w, 0, sizeof(w));
	jw_begin(&w);
	jw_str(&w, "k", "a\x7f\xc2\x80\xc2\x9b\xe2\x80\xaa\xe2\x80\xae"
	    "\xe2\x81\xa6\xe2\x81\xa9" "b\xc2\xa0\xe2\x80\xa9\xe2\x80\xaf");
	a = jw_text(&w);
	CHECK_MSG(strcmp(a, "{\"k\":\"a\\u007f\\u0080\\u009b\\u202a\\u202e"
	    "\\u2066\\u2069b\xc2\xa0\xe2\x80\xa9\xe2\x80\xaf\"}") == 0,
	    "%s", a);
	free(a);
	jw_free(&w);
	test_nul();
}

/* An event's parameters whole, past a NUL byte, valid or not after. */
static void
test_nul(void)
{
	struct model_event	 e;
	char			*a;
	size_t			 n;
	FILE			*fp = open_memstream(&a, &n);

	memset(&e, 0, sizeof(e));
	e.t = 1;
	e.event = EVT_NONE;
	e.text = "a\0b";
	e.len = 3;
	CHECK(fp != NULL && json_event_print(&e, 0, fp) == 0);
	e.text = "a\0b\xff";
	e.len = 4;
	CHECK(json_event_print(&e, 0, fp) == 0);
	fclose(fp);
	CHECK_MSG(strstr(a, "\"params\":\"a\\u0000b\"}\n") != NULL &&
	    strstr(a, "\"params\":\"a\\u0000b\xef\xbf\xbd\"}\n") != NULL,
	    "%s", a);
	free(a);
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
	test_terminal();
	test_events();
	TEST_END();
}
