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
 * class_need.c: what a rule's text must contain before its regular
 * expression can match, so that class.c tries a regex only on a reply
 * that has one of those words.  For each alternative of the expression
 * (a "|" outside any group), the longest run of plain characters that
 * every match of it holds; a rule with an alternative that has none
 * needs nothing and is always tried.  Derived once, from the rule
 * itself (the table's and an operator's alike), so no class can change:
 * a word is kept only when the expression cannot match without it.  A
 * word that is its whole alternative, plain characters only, is enough
 * as well: the rule matches a text that holds it, with no regex run.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define CLASS_NEED_META	".[]\\()|*+?{}^$"

/* While reading one expression. */
struct class_need_scan {
	char	*cur, *best;		/* the run, the longest so far */
	size_t	 ncur, nbest;
	int	 plain;			/* the alternative so far: 1 */
};

static void	 class_need_end(struct class_need_scan *);
static const char *class_need_bracket(const char *);
static const char *class_need_group(const char *);
static int	 class_need_alt(struct class_need *, struct class_need_scan *);
static int	 class_need_scan(struct class_need *, const char *,
		    struct class_need_scan *);

/*
 * The run ends: keep it if it is the longest of its alternative.  One
 * that ends before the alternative does leaves it not plain.
 */
static void
class_need_end(struct class_need_scan *s)
{
	s->plain = 0;
	if (s->ncur > s->nbest) {
		memcpy(s->best, s->cur, s->ncur);
		s->nbest = s->ncur;
	}
	s->ncur = 0;
}

/* Past a bracket expression that starts at p; NULL when malformed. */
static const char *
class_need_bracket(const char *p)
{
	const char	*q;

	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != ']'; p++) {
		if (*p == '\0')
			return NULL;
		if (*p == '[' && strchr(":.=", p[1]) != NULL && p[1] != '\0') {
			for (q = p + 2; *q != '\0' &&
			    (q[0] != p[1] || q[1] != ']'); q++)
				;
			if (*q == '\0')
				return NULL;
			p = q + 1;
		}
	}
	return p + 1;
}

/* Past a group that starts at p; NULL when unbalanced. */
static const char *
class_need_group(const char *p)
{
	int	depth = 0;

	do {
		if (*p == '\0')
			return NULL;
		if (*p == '[') {
			if ((p = class_need_bracket(p)) == NULL)
				return NULL;
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		p++;
	} while (depth > 0);
	return p;
}

/* An alternative ends: its word, or -1 when it has none. */
static int
class_need_alt(struct class_need *n, struct class_need_scan *s)
{
	int	whole = s->plain;

	class_need_end(s);
	if (s->nbest == 0)
		return -1;
	n->word = xreallocarray(n->word, n->n + 1, sizeof(*n->word));
	n->whole = xreallocarray(n->whole, n->n + 1, sizeof(*n->whole));
	n->whole[n->n] = whole;
	n->word[n->n] = xmalloc(s->nbest + 1);
	memcpy(n->word[n->n], s->best, s->nbest);
	n->word[n->n++][s->nbest] = '\0';
	s->nbest = 0;
	s->plain = 1;
	return 0;
}

/* Read re into n: -1 when some alternative needs no word. */
static int
class_need_scan(struct class_need *n, const char *re,
    struct class_need_scan *s)
{
	const char	*p = re;
	unsigned char	 c;

	s->plain = 1;
	while (*p != '\0') {
		if (*p == '|') {
			if (class_need_alt(n, s) == -1)
				return -1;
			p++;
			continue;
		}
		if (*p == '(' || *p == '[' || *p == '{') {
			class_need_end(s);
			if (*p == '{')
				p = strchr(p, '}');
			else if (*p == '(')
				p = class_need_group(p);
			else
				p = class_need_bracket(p);
			if (p == NULL)
				return -1;
			p += *p == '}';
			continue;
		}
		if (*p == '\\' && (p[1] == '\0' ||
		    strchr(CLASS_NEED_META, p[1]) == NULL)) {
			/* \w, \<, a back-reference: not a plain character. */
			class_need_end(s);
			if (*++p != '\0')
				p++;
			continue;
		}
		if (strchr(CLASS_NEED_META, *p) != NULL && *p != '\\') {
			class_need_end(s);	/* . ^ $ ) * + ? */
			p++;
			continue;
		}
		if (*p == '\\')
			p++;
		c = *p++;
		if (*p == '?' || *p == '*' || *p == '{' || c >= 0x80 ||
		    c < ' ') {
			class_need_end(s);	/* optional, or not ASCII */
			continue;
		}
		s->cur[s->ncur++] = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
		if (*p == '+')
			class_need_end(s);	/* once at least, then others */
	}
	return class_need_alt(n, s);
}

/* The words rule re needs (none: always tried). */
void
class_need_make(struct class_need *n, const char *re)
{
	struct class_need_scan	s;
	size_t			len = strlen(re) + 1;

	memset(n, 0, sizeof(*n));
	memset(&s, 0, sizeof(s));
	s.cur = xmalloc(len);
	s.best = xmalloc(len);
	if (class_need_scan(n, re, &s) == -1)
		class_need_free(n);
	free(s.cur);
	free(s.best);
}

/*
 * Whether the rule may match lower, the reply in ASCII lower case: 0
 * it cannot, 1 it may (its regex decides), 2 it does (lower holds a
 * whole alternative).
 */
int
class_need_test(const struct class_need *n, const char *lower)
{
	size_t	i;
	int	may = 0;

	if (n->n == 0)
		return 1;
	for (i = 0; i < n->n; i++)
		if (strstr(lower, n->word[i]) != NULL) {
			if (n->whole[i])
				return 2;
			may = 1;
		}
	return may;
}

void
class_need_free(struct class_need *n)
{
	size_t	i;

	for (i = 0; i < n->n; i++)
		free(n->word[i]);
	free(n->word);
	free(n->whole);
	memset(n, 0, sizeof(*n));
}
