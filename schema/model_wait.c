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
 * model_wait.c: why a waiting life has not left: the smtp-out sessions
 * that failed before any transaction (MODEL_FAILED_SQL) while it
 * waited, grouped by next hop, outcome and reply, each linked to it by
 * the first that holds (docs/json.md, "failed_sessions"):
 *
 *   maillog  an mta line of the maillog names the envelope and the
 *            session;
 *   relay    the session went to a next hop the envelope's own
 *            attempts went to (their session's address, or the relay
 *            an mta line names), on the same host;
 *   any      the session's next hop is unknown (a failed connection:
 *            smtp-out reports only its disconnect), or the envelope's
 *            is: not necessarily its own.
 *
 * A session to another host than the envelope's known next hops is
 * left out; so is a refused MAIL FROM the writer gave the life (it is
 * one of its attempts).  The query is bounded by the index
 * session_outcome on the time the life waited.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define MODEL_WAIT_MAX	16	/* groups kept, the latest first */
#define MODEL_WAIT_NAME(o)	o
#define MODEL_WAIT_COMMA	,

static int	model_wait_host(const char *, const char **, size_t *);
static int	model_wait_known(const struct model_life *, const char *);
static int	model_wait_hops(const struct model_life *);
static void	model_wait_row(struct model_iter *, sqlite3_stmt *, int);
static int	model_wait_first(struct model_iter *, int64_t, int64_t,
		    int64_t *);
static int	model_wait_any(struct model_iter *, int64_t, int64_t);

/*
 * The host of a next hop: "ip:port", "[ipv6]:port", or a maillog
 * relay "ip (name)".  0 if none, or a domain (a maillog line of no
 * session names the destination's).
 */
static int
model_wait_host(const char *addr, const char **h, size_t *len)
{
	const char	*port, *sp;
	char		 tmp[256];
	size_t		 n;

	if (addr == NULL || *addr == '\0')
		return 0;
	n = (sp = strchr(addr, ' ')) != NULL ? (size_t)(sp - addr) :
	    strlen(addr);
	if (n >= sizeof(tmp))
		return 0;
	memcpy(tmp, addr, n);
	tmp[n] = '\0';
	if ((*h = model_query_host(tmp, len, &port)) == NULL || *len == 0 ||
	    strspn(*h, "0123456789abcdefABCDEF.:") < *len)
		return 0;			/* a domain: no host known */
	*h = addr + (*h - tmp);
	return 1;
}

/* The session's next hop is on the host of one of the life's attempts. */
static int
model_wait_known(const struct model_life *l, const char *dest)
{
	const char	*h, *k;
	size_t		 i, len, klen;

	if (!model_wait_host(dest, &h, &len))
		return 0;
	for (i = 0; i < l->nattempts; i++)
		if (model_wait_host(l->attempts[i].session.dest, &k, &klen) &&
		    klen == len && strncasecmp(h, k, len) == 0)
			return 1;
	return 0;
}

/* Whether any of the life's attempts names a next hop. */
static int
model_wait_hops(const struct model_life *l)
{
	const char	*k;
	size_t		 i, klen;

	for (i = 0; i < l->nattempts; i++)
		if (model_wait_host(l->attempts[i].session.dest, &k, &klen))
			return 1;
	return 0;
}

/* One group of row s, unless the rule leaves it out. */
static void
model_wait_row(struct model_iter *it, sqlite3_stmt *s, int hops)
{
	struct model_life	*l = &it->life;
	struct model_failed	*f, g;

	memset(&g, 0, sizeof(g));
	if (sqlite3_column_int(s, 7))		/* given: an attempt */
		return;
	g.relay = model_sql_text(&it->arena, s, 0);
	if (sqlite3_column_int(s, 6))
		g.link = MODEL_WAIT_MAILLOG;
	else if (model_wait_known(l, g.relay))
		g.link = MODEL_WAIT_RELAY;
	else if (hops && g.relay != NULL)
		return;				/* to another host */
	else
		g.link = MODEL_WAIT_ANY;
	g.outcome = model_sql_text(&it->arena, s, 1);
	g.reply = model_sql_text(&it->arena, s, 2);
	g.count = sqlite3_column_int64(s, 3);
	g.first = sqlite3_column_int64(s, 4);
	g.last = sqlite3_column_int64(s, 5);
	it->waits = xgrow(it->waits, l->nfailed, &it->waits_cap, 4,
	    sizeof(*it->waits));
	f = &it->waits[l->nfailed++];
	*f = g;
	l->failed = it->waits;
}

/*
 * The first smtp-out session to fail in [from, until], one outcome at a
 * time: one statement of seven seeks took 0.19 ms to prepare, a fifth of
 * what a trace prepares.  Its time into *first, and 1, 0 if none, or -1.
 */
static int
model_wait_first(struct model_iter *it, int64_t from, int64_t until,
    int64_t *first)
{
	static const char *const outcomes[] = {
		MODEL_FAILED_OUTCOMES(MODEL_WAIT_NAME, MODEL_WAIT_COMMA)
	};
	sqlite3_stmt	*s;
	size_t		 i;
	int		 rc, hit = 0;

	if ((s = model_sql_stmt(it->m, MQ_WAIT_FIRST)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		sqlite3_bind_int64(s, 2, hit ? *first : until);
		sqlite3_bind_text(s, 3, outcomes[i], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			*first = sqlite3_column_int64(s, 0);
			hit = 1;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return model_sql_error(it->m);
	}
	return hit;
}

/*
 * Whether any smtp-out session failed in [from, until]: 1, 0, or -1.
 * The grouped query sorts even when it finds nothing, so index probes
 * ask first for the first failure in the window.  Inside a read
 * transaction (one snapshot) their answer is kept: no failure in
 * [wait_from, wait_to], and, if wait_hit, one at wait_next, just after.
 * Lives come about in time order and most wait until now, so most
 * windows are answered from it.
 */
static int
model_wait_any(struct model_iter *it, int64_t from, int64_t until)
{
	int64_t	first = 0;
	int	rc;

	if (it->wait_known && it->wait_from <= from) {
		if (from <= it->wait_to && until <= it->wait_to)
			return 0;
		if (it->wait_hit && from <= it->wait_next &&
		    until >= it->wait_next)
			return 1;
	}
	if ((rc = model_wait_first(it, from, until, &first)) == -1)
		return -1;
	it->wait_hit = rc;
	it->wait_next = first;
	it->wait_from = from;
	it->wait_to = it->wait_hit ? it->wait_next - 1 : until;
	it->wait_known = !sqlite3_get_autocommit(it->m->db.h);
	return it->wait_hit;
}

/*
 * The failed sessions of the life, if it waits (or waited until it was
 * removed or expired): into l->failed, the latest group first.
 */
int
model_wait_load(struct model_iter *it)
{
	struct model_life	*l = &it->life;
	sqlite3_stmt		*s;
	int64_t			 from, until;
	int			 rc, hops;

	l->failed = it->waits;
	l->nfailed = 0;
	if (!l->has_evpid || !model_life_waits(l, it->q != NULL ?
	    it->q->at : 0, &from, &until))
		return 0;
	if ((rc = model_wait_any(it, from, until)) != 1)
		return rc;
	if ((s = model_sql_stmt(it->m, MQ_WAIT_FAILED)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)l->evpid);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, until);
	hops = model_wait_hops(l);
	while (l->nfailed < MODEL_WAIT_MAX &&
	    (rc = sqlite3_step(s)) == SQLITE_ROW)
		model_wait_row(it, s, hops);
	if (l->nfailed < MODEL_WAIT_MAX && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	sqlite3_reset(s);
	return 0;
}
