/*
 * model_query.c: QUERY terms and times as users write them, and
 * whether a life matches them.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static int	model_query_hex(const char *, size_t, uint64_t *);
static int	model_query_term(struct model_term *, const char *, int64_t);
static int	model_query_ip_match(const char *, const char *);
static int	model_query_match_term(const struct model_term *,
		    const struct model_life *);

/* addr equals pattern, or with domain set ends in pattern ("@dom"). */
int
model_addr_match(const char *addr, const char *pattern, int domain)
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
		t->kind = TERM_IP;	/* IPv4 or IPv6, no port */
		return v[strspn(v, "0123456789abcdefABCDEF.:")] == '\0' ? 0 : -1;
	}
	if (strncmp(s, "helo:", 5) == 0) {
		t->kind = TERM_HELO;
		return 0;
	}
	if (strncmp(s, "status:", 7) == 0) {
		t->kind = TERM_STATUS;
		return (t->status = model_status_lookup(v)) == -1 ? -1 : 0;
	}
	if (strncmp(s, "since:", 6) == 0 || strncmp(s, "until:", 6) == 0) {
		t->kind = s[0] == 's' ? TERM_SINCE : TERM_UNTIL;
		return text_to_time(v, now, &t->t);
	}
	return -1;
}

/* The host part of "a.b.c.d:port" or "[v6]:port" equals ip. */
static int
model_query_ip_match(const char *addr, const char *ip)
{
	const char	*colon;
	size_t		 len = strlen(ip);

	if (addr == NULL)
		return 0;
	if (addr[0] == '[')
		return strncasecmp(addr + 1, ip, len) == 0 &&
		    strncmp(addr + 1 + len, "]:", 2) == 0;
	colon = strrchr(addr, ':');
	return colon != NULL && (size_t)(colon - addr) == len &&
	    strncasecmp(addr, ip, len) == 0;
}

static int
model_query_match_term(const struct model_term *t, const struct model_life *l)
{
	size_t	i;

	switch (t->kind) {
	case TERM_ID16:
		if ((l->has_evpid && l->evpid == t->id) ||
		    (l->has_received && l->in.sid == t->id))
			return 1;
		for (i = 0; i < l->nattempts; i++)
			if (l->attempts[i].session.sid == t->id)
				return 1;
		return 0;
	case TERM_MSGID:
		return l->msgid == (uint32_t)t->id;
	case TERM_FROM:
		return model_addr_match(l->mail_from, t->s, t->domain);
	case TERM_TO:
		return model_addr_match(l->rcpt_to, t->s, t->domain);
	case TERM_IP:
		if (l->has_received && model_query_ip_match(l->in.src, t->s))
			return 1;
		for (i = 0; i < l->nattempts; i++)
			if (model_query_ip_match(l->attempts[i].session.dest,
			    t->s))
				return 1;
		return 0;
	case TERM_HELO:
		return l->has_received && l->in.helo != NULL &&
		    strcasecmp(l->in.helo, t->s) == 0;
	case TERM_STATUS:
		return (int)l->status == t->status;
	case TERM_SINCE:
		return l->t >= t->t;
	case TERM_UNTIL:
		return l->t <= t->t;
	}
	return 0;
}

/* The whole query checked in C (the SQL only narrows it down). */
int
model_matches(const struct model_query *q, const struct model_life *l)
{
	size_t	i;

	for (i = 0; i < q->n; i++)
		if (!model_query_match_term(&q->terms[i], l))
			return 0;
	return 1;
}
