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
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static void	jw_put(struct jw *, const char *, size_t);
static void	jw_key(struct jw *, const char *);
static void	jw_escape(struct jw *, const char *);

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
	size_t	len;

	if (!w->first)
		jw_put(w, ",", 1);
	w->first = 0;
	if (key != NULL) {
		len = strlen(key);
		jw_put(w, "\"", 1);
		jw_put(w, key, len);
		jw_put(w, "\":", 2);
	}
}

/* s quoted: \" \\ \b \f \n \r \t by name, other controls as \u00XX. */
static void
jw_escape(struct jw *w, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	const char		*p;
	char			 e[6] = { '\\', 'u', '0', '0', 0, 0 };
	unsigned char		 c;

	jw_put(w, "\"", 1);
	for (p = s; *p != '\0'; p++) {
		c = (unsigned char)*p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jw_put(w, s, p - s);
		s = p + 1;
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
		jw_escape(w, s);
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
