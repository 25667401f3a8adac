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
 * reply.c: the next hop's own queue id in its reply to the end of DATA,
 * so that a mail can be followed into the next server's records.  Pure:
 * no I/O, no allocation; the id points into the reply.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "collector.h"

#define REPLY_ID_MIN	4	/* shorter tokens are not queue ids */
#define REPLY_ID_MAX	128

static const char *reply_find(const char *, size_t, const char *);
static int	reply_token(const char *, const char *, struct proto_str *);
static const char *reply_text(const char *, const char *);

/*
 * Formats, tried in order:
 *   Postfix and many others	250 2.0.0 Ok: queued as 4Xyz123
 *   Exim			250 OK id=1abcDE-0001Xy-AB
 *   Microsoft			250 2.6.0 <id@host> [InternalId=...] Queued
 *   OpenSMTPD, Sendmail	250 2.0.0 1466b132 Message accepted for delivery
 * Returns 1 and sets *id, or 0.
 */
int
reply_queue_id(const char *p, size_t len, struct proto_str *id)
{
	const char	*end = p + len, *s, *gt;

	if (len < 4 || p[0] != '2')
		return 0;
	s = reply_text(p, end);
	if (s < end && *s == '<' && (gt = memchr(s, '>', end - s)) != NULL &&
	    gt - s - 1 >= REPLY_ID_MIN) {
		id->p = s + 1;
		id->len = gt - s - 1;
		return 1;
	}
	if ((s = reply_find(p, len, "queued as ")) != NULL ||
	    (s = reply_find(p, len, " id=")) != NULL)
		return reply_token(s, end, id);
	s = reply_text(p, end);
	if (!reply_token(s, end, id))
		return 0;
	s = id->p + id->len;
	return (size_t)(end - s) >= 17 &&
	    strncasecmp(s, " message accepted", 17) == 0;
}

/* Just after the first case-insensitive match of word, or NULL. */
static const char *
reply_find(const char *p, size_t len, const char *word)
{
	size_t	i, n = strlen(word);

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(p + i, word, n) == 0)
			return p + i + n;
	return NULL;
}

/* Past the code and the enhanced status code ("250 2.0.0 "). */
static const char *
reply_text(const char *p, const char *end)
{
	const char	*s = p + 4, *q;

	for (q = s; q < end && (isdigit((unsigned char)*q) || *q == '.'); q++)
		;
	if (q > s && q < end && *q == ' ')
		s = q + 1;
	while (s < end && *s == ' ')
		s++;
	return s;
}

/* A token of letters, digits and -_.:@+ from s; trailing dots dropped. */
static int
reply_token(const char *s, const char *end, struct proto_str *id)
{
	const char	*q;

	for (q = s; q < end && (isalnum((unsigned char)*q) ||
	    strchr("-_.:@+/", *q) != NULL); q++)
		;
	while (q > s && (q[-1] == '.' || q[-1] == ':'))
		q--;
	if (q - s < REPLY_ID_MIN || q - s > REPLY_ID_MAX)
		return 0;
	id->p = s;
	id->len = q - s;
	return 1;
}
