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
 * jw.c: a JSON writer for the objects export prints by the million: one
 * line built in a buffer, then written at once, with no tree and no
 * allocation per value.  Strings are escaped as cJSON escapes them
 * (json.c), so both print the same text; the caller makes them UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define JW_ONES	0x0101010101010101ULL
#define JW_HIGH	0x8080808080808080ULL

static void	jw_put(struct jw *, const char *, size_t);
static void	jw_key(struct jw *, const char *);
static uint64_t	jw_special(uint64_t);
static void	jw_escape(struct jw *, const char *, size_t);

/* Append n bytes: in place while they fit, else by buf_append(). */
static inline void
jw_put(struct jw *w, const char *p, size_t n)
{
	struct buf	*b = &w->b;

	if (b->p == NULL || b->len + n + 1 > b->cap) {
		buf_append(b, p, n);
		return;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
jw_begin(struct jw *w)
{
	w->b.len = 0;
	w->depth = 0;
	w->first = 1;
	jw_put(w, "{", 1);
}

/* The object as one line to fp: 0, or -1 on a write error. */
int
jw_end(struct jw *w, FILE *fp)
{
	jw_put(w, "}\n", 2);
	return fwrite(w->b.p, 1, w->b.len, fp) == w->b.len ? 0 : -1;
}

void
jw_free(struct jw *w)
{
	buf_free(&w->b);
}

/*
 * The comma before a member, and its key (NULL: in an array): a key is
 * the caller's literal, with nothing to escape.
 */
static void
jw_key(struct jw *w, const char *key)
{
	struct buf	*b = &w->b;
	size_t		 len;
	char		*p;

	if (key == NULL) {
		if (!w->first)
			jw_put(w, ",", 1);
		w->first = 0;
		return;
	}
	len = strlen(key);
	if (b->p == NULL || b->len + len + 5 > b->cap) {
		if (!w->first)			/* the buffer grows */
			jw_put(w, ",", 1);
		w->first = 0;
		jw_put(w, "\"", 1);
		jw_put(w, key, len);
		jw_put(w, "\":", 2);
		return;
	}
	p = b->p + b->len;
	if (!w->first)
		*p++ = ',';
	w->first = 0;
	*p++ = '"';
	memcpy(p, key, len);
	p += len;
	*p++ = '"';
	*p++ = ':';
	*p = '\0';
	b->len = p - b->p;
}

/* Not 0 if some byte of the 8 in x is a control character, '"' or '\\'. */
static inline uint64_t
jw_special(uint64_t x)
{
	uint64_t	q = x ^ (JW_ONES * '"'), e = x ^ (JW_ONES * '\\');

	return (((x - JW_ONES * 0x20) & ~x) | ((q - JW_ONES) & ~q) |
	    ((e - JW_ONES) & ~e)) & JW_HIGH;
}

/*
 * s (n bytes) quoted: \" \\ \b \f \n \r \t by name, other controls as
 * \u00XX; eight bytes at a time while none needs it.
 */
static void
jw_escape(struct jw *w, const char *s, size_t n)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*p = s, *end = s + n;
	char			 e[6] = { '\\', 'u', '0', '0', 0, 0 };
	unsigned char		 c;
	uint64_t		 x;

	jw_put(w, "\"", 1);
	while (p < end) {
		if (end - p >= 8) {
			memcpy(&x, p, 8);
			if (jw_special(x) == 0) {
				p += 8;
				continue;
			}
		}
		c = (unsigned char)*p++;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jw_put(w, s, p - 1 - s);
		s = p;
		e[1] = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' :
		    c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' :
		    c == '\t' ? 't' : 'u';
		if (e[1] != 'u') {
			jw_put(w, e, 2);
			continue;
		}
		e[4] = hex[c >> 4];
		e[5] = hex[c & 0xf];
		jw_put(w, e, 6);
	}
	jw_put(w, s, p - s);
	jw_put(w, "\"", 1);
}

/* A string member, or null for NULL. */
void
jw_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL)
		jw_put(w, "null", 4);
	else
		jw_escape(w, s, strlen(s));
}

/*
 * A string member the program made (ids, times, names): nothing in it
 * to escape.  null for NULL.
 */
void
jw_lit(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s == NULL) {
		jw_put(w, "null", 4);
		return;
	}
	jw_put(w, "\"", 1);
	jw_put(w, s, strlen(s));
	jw_put(w, "\"", 1);
}

/* A member written as it is: a number, true, false or null. */
void
jw_raw(struct jw *w, const char *key, const char *text)
{
	jw_key(w, key);
	jw_put(w, text, strlen(text));
}

void
jw_bool(struct jw *w, const char *key, int v)
{
	jw_raw(w, key, v ? "true" : "false");
}

/* Open an object ('{') or an array ('['); jw_close() closes it. */
void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	jw_put(w, &c, 1);
	w->first = 1;
	w->depth++;
}

void
jw_close(struct jw *w, char c)
{
	jw_put(w, &c, 1);
	w->first = 0;
	w->depth--;
}
