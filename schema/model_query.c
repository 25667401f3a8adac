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
 * model_query.c: QUERY terms as users write them, and the one rule of
 * whether they hold: for a life, and for the rows of the TUI's lists,
 * which hand in what they show as the same facts; and a query's time
 * window, its since: and until: (model_query_window()).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define MODEL_QUERY_HOST	"0123456789abcdefABCDEF.:"	/* v4, v6 */

static int	model_query_hex(const char *, size_t, uint64_t *);
static int	model_query_term(struct model_term *, const char *, int64_t);
static int	model_query_ip_term(const char *);
static int	model_query_addr(const char *, const char *, int);
static int	model_query_ip(const char *, const char *);
static int	model_query_outcome_term(struct model_term *, const char *);
static int	model_query_outcome(const struct model_term *,
		    const struct model_facts *);
static int	model_query_holds(const struct model_term *,
		    const struct model_facts *);

/* s is len hex digits, of either case: 1 with its value in *v. */
static int
model_query_hex(const char *s, size_t len, uint64_t *v)
{
	char	lower[16];
	size_t	i;

	if (strlen(s) != len || len > sizeof(lower))
		return 0;
	for (i = 0; i < len; i++)
		lower[i] = tolower((unsigned char)s[i]);
	return text_to_id(lower, len, v) == 0;
}

/* Parse argv into q (ANDed terms); on error *bad is the term. */
int
model_query_parse(struct model_query *q, int argc, char **argv, int64_t now,
    const char **bad)
{
	int	i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < argc; i++) {
		if (q->n == MODEL_TERMS_MAX ||
		    model_query_term(&q->terms[q->n], argv[i], now) == -1) {
			*bad = argv[i];
			return -1;
		}
		q->n++;
	}
	return 0;
}

static int
model_query_term(struct model_term *t, const char *s, int64_t now)
{
	const char	*v = strchr(s, ':');

	memset(t, 0, sizeof(*t));
	if (model_query_hex(s, 16, &t->id)) {
		t->kind = TERM_ID16;
		return 0;
	}
	if (model_query_hex(s, 8, &t->id)) {
		t->kind = TERM_MSGID;
		return 0;
	}
	if (v == NULL)
		return -1;
	t->s = ++v;
	if (strncmp(s, "from:", 5) == 0 || strncmp(s, "to:", 3) == 0) {
		t->kind = s[0] == 'f' ? TERM_FROM : TERM_TO;
		if (strcmp(v, "<>") == 0) {
			t->s = "";	/* the null sender */
			return 0;
		}
		t->domain = v[0] == '@';
		return *v == '\0' || (t->domain && v[1] == '\0') ? -1 : 0;
	}
	if (*v == '\0')
		return -1;
	if (strncmp(s, "ip:", 3) == 0) {
		t->kind = TERM_IP;
		return model_query_ip_term(v);
	}
	if (strncmp(s, "helo:", 5) == 0) {
		t->kind = TERM_HELO;
		return 0;
	}
	if (strncmp(s, "status:", 7) == 0) {
		t->kind = TERM_STATUS;
		if (strcasecmp(v, "refused") == 0) {	/* rejected, sessions */
			t->refused = 1;
			t->status = LIFE_REJECTED;
			return 0;
		}
		return (t->status = text_to_status(v)) == -1 ? -1 : 0;
	}
	if (strncmp(s, "outcome:", 8) == 0)
		return model_query_outcome_term(t, v);
	if (strncmp(s, "since:", 6) == 0 || strncmp(s, "until:", 6) == 0) {
		t->kind = s[0] == 's' ? TERM_SINCE : TERM_UNTIL;
		return text_to_time(v, now, &t->t);
	}
	return -1;
}

/* outcome:NAME, or outcome:refused for every refused-* outcome. */
static int
model_query_outcome_term(struct model_term *t, const char *v)
{
	int	o;

	t->kind = TERM_OUTCOME;
	if (strcasecmp(v, "refused") == 0) {
		t->refused = 1;
		return 0;
	}
	if ((o = text_to_session_outcome(v)) == -1)
		return -1;
	t->s = session_outcome_to_text(o);
	return 0;
}

/*
 * The outcome of a session of the facts (the smtp-in one, or an
 * attempt's) is the term's; a session of the TUI's list that does not
 * say its outcome lets it hold.
 */
static int
model_query_outcome(const struct model_term *t, const struct model_facts *f)
{
	const char	*o;
	size_t		 i;

	for (i = 0; i <= f->nattempts; i++) {
		if (i == f->nattempts && f->in == NULL)
			break;
		o = i == f->nattempts ? f->in->outcome :
		    f->attempts[i].session.outcome;
		if (o == NULL && f->session_only)
			return 1;
		if (o == NULL)
			continue;
		if (t->refused ? strncmp(o, "refused-", 8) == 0 :
		    strcmp(o, t->s) == 0)
			return 1;
	}
	return 0;
}

/*
 * The host of an address, its length in *len, and its port in *port
 * (NULL: none): "a.b.c.d:port", "[v6]:port", "[v6]", or a bare v4 or
 * v6 address.  NULL if a bracket is not closed, or something follows.
 */
const char *
model_query_host(const char *addr, size_t *len, const char **port)
{
	const char	*c;

	*port = NULL;
	if (addr[0] == '[') {
		if ((c = strchr(addr, ']')) == NULL ||
		    (c[1] != '\0' && c[1] != ':'))
			return NULL;
		*len = c - addr - 1;
		if (c[1] == ':')
			*port = c + 2;
		return addr + 1;
	}
	if ((c = strchr(addr, ':')) != NULL && strchr(c + 1, ':') == NULL) {
		*len = c - addr;
		*port = c + 1;
		return addr;
	}
	*len = strlen(addr);
	return addr;
}

/*
 * An ip: term's address: IPv4 or IPv6, [IPv6], either with a port (0 to
 * 65535).  It matches a host exactly, so a host no address can have
 * (999.1.1.1) is an error, not a query that finds nothing.
 */
static int
model_query_ip_term(const char *v)
{
	const char	*h, *port, *errstr;
	char		 host[INET6_ADDRSTRLEN];
	unsigned char	 bin[sizeof(struct in6_addr)];
	size_t		 len;

	if ((h = model_query_host(v, &len, &port)) == NULL || len == 0 ||
	    len >= sizeof(host) || strspn(h, MODEL_QUERY_HOST) < len)
		return -1;
	memcpy(host, h, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, bin) != 1 &&
	    inet_pton(AF_INET6, host, bin) != 1)
		return -1;
	if (port == NULL)
		return 0;
	if (*port == '\0' || port[strspn(port, "0123456789")] != '\0')
		return -1;
	(void)strtonum(port, 0, 65535, &errstr);
	return errstr == NULL ? 0 : -1;
}

/* addr equals pattern, or with domain set ends in pattern ("@dom"). */
static int
model_query_addr(const char *addr, const char *pattern, int domain)
{
	size_t	alen, plen;

	if (addr == NULL)
		return 0;
	if (!domain)
		return strcasecmp(addr, pattern) == 0;
	alen = strlen(addr);
	plen = strlen(pattern);
	return alen > plen && strcasecmp(addr + alen - plen, pattern) == 0;
}

/*
 * A session's address (with a port or not) is on the host of ip, and
 * on its port when ip has one.
 */
static int
model_query_ip(const char *addr, const char *ip)
{
	const char	*h, *port, *ih, *iport;
	size_t		 len, ilen;

	if (addr == NULL ||
	    (h = model_query_host(addr, &len, &port)) == NULL ||
	    (ih = model_query_host(ip, &ilen, &iport)) == NULL)
		return 0;
	if (len != ilen || strncasecmp(h, ih, len) != 0)
		return 0;
	return iport == NULL || (port != NULL && strcmp(port, iport) == 0);
}

static int
model_query_holds(const struct model_term *t, const struct model_facts *f)
{
	size_t	i;

	switch (t->kind) {
	case TERM_ID16:
		if ((f->has_evpid && f->evpid == t->id) ||
		    (f->in != NULL && f->in->sid == t->id))
			return 1;
		for (i = 0; i < f->nattempts; i++)
			if (f->attempts[i].session.sid == t->id)
				return 1;
		return 0;
	case TERM_MSGID:
		return f->session_only ||
		    (f->has_msgid && f->msgid == (uint32_t)t->id);
	case TERM_FROM:
	case TERM_TO:
		return f->session_only || model_query_addr(t->kind ==
		    TERM_FROM ? f->mail_from : f->rcpt_to, t->s, t->domain);
	case TERM_IP:
		if (f->in != NULL && model_query_ip(f->in->src, t->s))
			return 1;
		for (i = 0; i < f->nattempts; i++)
			if (model_query_ip(f->attempts[i].session.dest, t->s))
				return 1;
		return 0;
	case TERM_HELO:
		return f->in != NULL && f->in->helo != NULL &&
		    strcasecmp(f->in->helo, t->s) == 0;
	case TERM_STATUS:
		if (f->alone)	/* status:refused: a refused session */
			return t->refused && model_query_outcome(t, f);
		return f->session_only || f->status == t->status;
	case TERM_OUTCOME:
		return model_query_outcome(t, f);
	case TERM_SINCE:
		return f->t >= t->t;
	case TERM_UNTIL:
		return f->t <= t->t;
	}
	return 0;
}

/*
 * Every term of q holds for the facts: the whole query, checked in C
 * (the SQL only narrows it down).
 */
int
model_query_match(const struct model_query *q, const struct model_facts *f)
{
	size_t	i;

	for (i = 0; i < q->n; i++)
		if (!model_query_holds(&q->terms[i], f))
			return 0;
	return 1;
}

/*
 * The time window of q: the latest of its since: terms into *lo and
 * the earliest of its until: into *hi (INT64_MIN and INT64_MAX if
 * none).  1 if q has no other term, else 0.
 */
int
model_query_window(const struct model_query *q, int64_t *lo, int64_t *hi)
{
	size_t	i;
	int	only = 1;

	*lo = INT64_MIN;
	*hi = INT64_MAX;
	for (i = 0; i < q->n; i++)
		if (q->terms[i].kind == TERM_SINCE) {
			if (q->terms[i].t > *lo)
				*lo = q->terms[i].t;
		} else if (q->terms[i].kind == TERM_UNTIL) {
			if (q->terms[i].t < *hi)
				*hi = q->terms[i].t;
		} else
			only = 0;
	return only;
}
