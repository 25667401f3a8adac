/*
 * model_query.c: the pure parts of the read model: QUERY terms and
 * times as users write them, status and result names, address matching
 * and the status of a life from its attempts and maillog outcomes.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define QUERY_LAST	INT64_MAX	/* the time of an unknown expiry */

static const char *const model_query_status_names[MODEL_NSTATUS] = {
	[MODEL_QUEUED] = "queued",
	[MODEL_DELIVERED] = "delivered",
	[MODEL_DEFERRED] = "deferred",
	[MODEL_FAILED] = "failed",
	[MODEL_REJECTED] = "rejected",
	[MODEL_ABORTED] = "aborted",
	[MODEL_EXPIRED] = "expired",
	[MODEL_REMOVED] = "removed",
};

static int	model_query_hex(const char *, size_t, uint64_t *);
static int	model_query_term(struct model_term *, const char *, int64_t);
static int	model_query_ip_match(const char *, const char *);
static int	model_query_match_term(const struct model_term *,
		    const struct model_life *);
static int64_t	model_query_outcome_key(const struct model_outcome *);
static enum model_status model_query_result_status(enum model_result);

const char *
model_status_name(enum model_status s)
{
	return s < MODEL_NSTATUS ? model_query_status_names[s] : "unknown";
}

int
model_status_lookup(const char *name)
{
	int	i;

	for (i = 0; i < MODEL_NSTATUS; i++)
		if (strcasecmp(name, model_query_status_names[i]) == 0)
			return i;
	return -1;
}

const char *
model_source_name(enum model_source s)
{
	switch (s) {
	case MODEL_SRC_REFUSAL:
		return "refusal";
	case MODEL_SRC_MAILLOG:
		return "maillog";
	default:
		return "report";
	}
}

const char *
model_outcome_name(enum model_outcome_kind k)
{
	switch (k) {
	case MODEL_OC_MDA:
		return "mda";
	case MODEL_OC_EXPIRE:
		return "expire";
	default:
		return "remove";
	}
}

const char *
model_result_name(enum model_result r)
{
	switch (r) {
	case MODEL_OK:
		return "ok";
	case MODEL_TEMPFAIL:
		return "tempfail";
	case MODEL_PERMFAIL:
		return "permfail";
	default:
		return NULL;
	}
}

/*
 * The attempt that decides a life: the latest settled one (an inferred
 * one, from a refused MAIL FROM, has its place by time).  n if none.
 */
size_t
model_attempt_decisive(const struct model_attempt *a, size_t n)
{
	size_t	i, last = n;

	for (i = 0; i < n; i++)
		if (a[i].result != MODEL_PENDING &&
		    (last == n || a[i].t >= a[last].t))
			last = i;
	return last;
}

/* When an outcome happened, for ordering: expiry and removal end all. */
static int64_t
model_query_outcome_key(const struct model_outcome *o)
{
	if (o->t != 0)
		return o->t;
	return o->kind == MODEL_OC_MDA ? QUERY_LAST - 1 : QUERY_LAST;
}

static enum model_status
model_query_result_status(enum model_result r)
{
	switch (r) {
	case MODEL_OK:
		return MODEL_DELIVERED;
	case MODEL_PERMFAIL:
		return MODEL_FAILED;
	default:
		return MODEL_DEFERRED;
	}
}

/*
 * The status, reply and t_final of a life from its attempts and
 * outcomes: the latest settled fact wins; an outcome wins a tie.
 */
void
model_status_settle(struct model_life *l, enum model_status base)
{
	const struct model_outcome *o;
	size_t			 d, i;
	int64_t			 key = INT64_MIN, k;

	l->t_final = 0;
	if (base == MODEL_REJECTED || base == MODEL_ABORTED) {
		l->status = base;
		return;
	}
	l->status = MODEL_QUEUED;
	l->reply = NULL;
	if ((d = model_attempt_decisive(l->attempts, l->nattempts)) <
	    l->nattempts) {
		l->status = model_query_result_status(l->attempts[d].result);
		l->reply = l->attempts[d].reply;
		l->t_final = key = l->attempts[d].t_end ? l->attempts[d].t_end :
		    l->attempts[d].t;
	}
	for (i = 0; i < l->noutcomes; i++) {
		o = &l->outcomes[i];
		if (o->kind == MODEL_OC_MDA && o->result == MODEL_PENDING)
			continue;
		if ((k = model_query_outcome_key(o)) < key)
			continue;
		key = k;
		l->t_final = o->t;
		l->reply = o->stat;
		l->status = o->kind == MODEL_OC_EXPIRE ? MODEL_EXPIRED :
		    o->kind == MODEL_OC_REMOVE ? MODEL_REMOVED :
		    model_query_result_status(o->result);
	}
}

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

/*
 * The steps of a life in time: accept is accepted - start, queue wait
 * first_attempt - accepted, total final - start (final: the fact that
 * decided a delivered, failed, expired or removed life).  A life not seen on
 * smtp-in starts with its first attempt.
 */
void
model_timings(const struct model_life *l, struct model_timings *tm)
{
	size_t	i, d;

	memset(tm, 0, sizeof(*tm));
	for (i = 0; i < l->nattempts; i++)
		if (tm->first_attempt == 0 || l->attempts[i].t <
		    tm->first_attempt)
			tm->first_attempt = l->attempts[i].t;
	tm->start = l->has_received ? l->t_begin : tm->first_attempt;
	if (l->status == MODEL_REJECTED || l->status == MODEL_ABORTED)
		return;
	tm->accepted = l->t_received;
	if (l->status == MODEL_DELIVERED || l->status == MODEL_FAILED ||
	    l->status == MODEL_EXPIRED || l->status == MODEL_REMOVED) {
		tm->final = l->t_final;
		d = model_attempt_decisive(l->attempts, l->nattempts);
		if (tm->final == 0 && d < l->nattempts)
			tm->final = l->attempts[d].t_end;
	}
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
