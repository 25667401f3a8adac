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
 * allocation per value.  Strings are escaped as cJSON escapes them,
 * and what cJSON leaves raw but a terminal acts on as jw_print() writes
 * it, so both print the same text; the caller makes them UTF-8.
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
static uint64_t	jw_special(uint64_t);
static char	*jw_name(char *, unsigned char);
static char	*jw_u(char *, unsigned int);
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
void
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

/*
 * Not 0 if some byte of the 8 in x is a control character, '"', '\\',
 * DEL or not ASCII (which jw_unsafe() looks at).
 */
static inline uint64_t
jw_special(uint64_t x)
{
	uint64_t	q = x ^ (JW_ONES * '"'), e = x ^ (JW_ONES * '\\');

	return (((x - JW_ONES * 0x20) & ~x) | ((q - JW_ONES) & ~q) |
	    ((e - JW_ONES) & ~e) | (((x & ~JW_HIGH) + JW_ONES) | x)) &
	    JW_HIGH;
}

/*
 * The character at p (n bytes left) if it is one JSON may carry raw
 * but a terminal acts on: DEL, a C1 control (U+0080 to U+009F), a
 * bidirectional embedding, override or isolate (U+202A to U+202E,
 * U+2066 to U+2069).  Its code point, its length in *len; 0 if not.
 */
unsigned int
jw_unsafe(const unsigned char *p, size_t n, size_t *len)
{
	if (p[0] == 0x7f) {
		*len = 1;
		return 0x7f;
	}
	if (p[0] == 0xc2 && n >= 2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		*len = 2;
		return p[1];
	}
	if (p[0] == 0xe2 && n >= 3 && ((p[1] == 0x80 && p[2] >= 0xaa &&
	    p[2] <= 0xae) || (p[1] == 0x81 && p[2] >= 0xa6 &&
	    p[2] <= 0xa9))) {
		*len = 3;
		return 0x2000 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	}
	return 0;
}

/* A control character c (or '"', '\\') escaped at p: the end. */
static char *
jw_name(char *p, unsigned char c)
{
	*p++ = '\\';
	*p = c == '"' ? '"' : c == '\\' ? '\\' : c == '\b' ? 'b' :
	    c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' :
	    c == '\t' ? 't' : 'u';
	if (*p++ == 'u')
		p = jw_u(p - 2, c);
	return p;
}

/* u as \uXXXX at p: the end. */
static char *
jw_u(char *p, unsigned int u)
{
	static const char	hex[] = "0123456789abcdef";

	*p++ = '\\';
	*p++ = 'u';
	*p++ = hex[u >> 12 & 0xf];
	*p++ = hex[u >> 8 & 0xf];
	*p++ = hex[u >> 4 & 0xf];
	*p++ = hex[u & 0xf];
	return p;
}

/*
 * s (n bytes) quoted at p, which has room for JW_QUOTED(n): \" \\ \b \f
 * \n \r \t by name, other controls and what jw_unsafe() finds as
 * \uXXXX; eight bytes at a time while none needs it.  The end of what
 * it wrote.
 */
char *
jw_quote(char *p, const char *s, size_t n)
{
	const char	*q = s, *end = s + n;
	unsigned char	 c;
	unsigned int	 u;
	size_t		 len;
	uint64_t	 x;

	*p++ = '"';
	while (q < end) {
		if (end - q >= 8) {
			memcpy(&x, q, 8);
			if (jw_special(x) == 0) {
				q += 8;
				continue;
			}
		}
		c = (unsigned char)*q++;
		len = 1;
		u = 0;
		if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x7f ||
		    (u = jw_unsafe((const unsigned char *)q - 1, end - q + 1,
		    &len)) == 0))
			continue;
		memcpy(p, s, q - 1 - s);
		p += q - 1 - s;
		q += len - 1;
		s = q;
		p = u != 0 ? jw_u(p, u) : jw_name(p, c);
	}
	memcpy(p, s, q - s);
	p += q - s;
	*p++ = '"';
	return p;
}

/*
 * n bytes of JSON text s to fp, each character jw_unsafe() finds as
 * \uXXXX: for the text cJSON prints, which leaves them raw.  Outside
 * its strings JSON text is ASCII, so each is inside a string.
 */
int
jw_print(FILE *fp, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + n;
	const unsigned char	*from = p;
	unsigned int		 u;
	size_t			 len;
	char			 esc[8];

	for (; p < end; p++) {
		if ((*p != 0x7f && *p != 0xc2 && *p != 0xe2) ||
		    (u = jw_unsafe(p, end - p, &len)) == 0)
			continue;
		jw_u(esc, u);
		if (fwrite(from, 1, p - from, fp) != (size_t)(p - from) ||
		    fwrite(esc, 1, 6, fp) != 6)
			return -1;
		p += len - 1;
		from = p + 1;
	}
	return fwrite(from, 1, end - from, fp) == (size_t)(end - from) ?
	    0 : -1;
}

char *
jw_room(struct jw *w, size_t n)
{
	return buf_reserve(&w->b, n);
}

void
jw_wrote(struct jw *w, char *end)
{
	w->b.len = end - w->b.p;
	*end = '\0';
}

static void
jw_escape(struct jw *w, const char *s, size_t n)
{
	jw_wrote(w, jw_quote(jw_room(w, JW_QUOTED(n)), s, n));
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

/* A string member of n bytes. */
void
jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	jw_escape(w, s, n);
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
