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
 * hour.c: the counts per hour of filter responses (schema/009-hour.sql),
 * kept as each response is stored.  The counts of sessions are kept by
 * the triggers of schema/writer.sql; a response is an event, and a
 * trigger on event would cost every insert.  A session is counted once
 * per phase and decision, at its first such response: the session
 * remembers those it saw (a bit each), and one taken back from the
 * database, or with names outside the table, asks its stored events.
 */
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define HOUR_US		3600000000LL
#define HOUR_N(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const hour_phases[] = {
	"connect", "connected", "helo", "ehlo", "starttls", "tls", "auth",
	"mail-from", "rcpt-to", "data", "data-line", "commit", "rset",
	"quit", "noop", "help", "wiz"
};
static const char *const hour_decisions[] = {
	"proceed", "junk", "rewrite", "reject", "disconnect", "report"
};

static int	hour_index(const char *const *, size_t, const char *, size_t);
static int	hour_first(struct sess *, const struct proto_str *, size_t);

/*
 * A filter response, stored as event id with parameters x
 * ("phase|decision[|param]", as v_filter splits them).
 */
void
hour_filter(struct ingest *ing, struct sess *s, int64_t id, int64_t t,
    const struct proto_str *x)
{
	struct proto_str key;
	const char	*bar, *end;
	size_t		 plen;
	int64_t		 h = t / HOUR_US, kind = 3 + (s->dir == DIR_OUT);

	if (x->p == NULL || (bar = memchr(x->p, '|', x->len)) == NULL)
		return;
	plen = bar - x->p;
	end = memchr(bar + 1, '|', x->len - plen - 1);
	key.p = x->p;
	key.len = end != NULL ? (size_t)(end - x->p) : x->len;
	store_run(ing->st, STMT_HOUR_ADD, "iit", h, kind, &key);
	switch (hour_first(s, &key, plen)) {
	case 1:
		store_run(ing->st, STMT_HOUR_ADD, "iit", h, kind + 2, &key);
		break;
	case -1:
		store_run(ing->st, STMT_HOUR_FIRST, "iitii", h, kind + 2, &key,
		    s->id, id);
		break;
	}
}

/*
 * 1 if the session had no response of this phase and decision yet, 0
 * if it had, -1 if only its stored events can say.
 */
static int
hour_first(struct sess *s, const struct proto_str *key, size_t plen)
{
	size_t		 i;
	int		 p, d;
	uint64_t	 bit;

	p = hour_index(hour_phases, HOUR_N(hour_phases), key->p, plen);
	d = hour_index(hour_decisions, HOUR_N(hour_decisions),
	    key->p + plen + 1, key->len - plen - 1);
	if (p == -1 || d == -1 || s->filters_unknown)
		return -1;
	i = p * HOUR_N(hour_decisions) + d;
	bit = 1ULL << (i % 64);
	if (s->filters[i / 64] & bit)
		return 0;
	s->filters[i / 64] |= bit;
	return 1;
}

static int
hour_index(const char *const *names, size_t n, const char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0)
			return i;
	return -1;
}
