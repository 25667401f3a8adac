/*
 * json.c: lives and report events as JSON objects (docs/json.md, schema
 * version 1), built with cJSON and printed one per line.  cJSON escapes
 * control characters; bytes that are not UTF-8 become U+FFFD first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "json.h"
#include "proto.h"
#include "util.h"

#define JSON_SCHEMA_VERSION	1

/* What building one object reuses: a buffer, the last second printed. */
struct json_ctx {
	struct buf	 b;
	struct arena	 a;		/* strings the object references */
	time_t		 sec;
	char		 date[24];	/* "2026-11-23T20:08:07." */
};

static void	json_str(cJSON *, const char *, const char *,
		    struct json_ctx *);
static void	json_hex(cJSON *, const char *, uint64_t, int);
static char	*json_hexa(struct json_ctx *, uint64_t, int);
static void	json_ref(cJSON *, const char *, const char *);
static void	json_int(cJSON *, const char *, int64_t);
static void	json_seconds(cJSON *, const char *, int64_t);
static void	json_iso(struct json_ctx *, int64_t, char *);
static void	json_at(cJSON *, const char *, int64_t, struct json_ctx *);
static void	json_secs(cJSON *, const char *, int64_t, int64_t);
static cJSON	*json_received(const struct model_life *, struct json_ctx *);
static cJSON	*json_attempt(const struct model_attempt *,
		    struct json_ctx *);
static cJSON	*json_event(const struct model_event *, int, struct json_ctx *);
static cJSON	*json_timings(const struct model_life *);
static cJSON	*json_outcome(const struct model_outcome *,
		    struct json_ctx *);
static cJSON	*json_link(const struct model_link *, struct json_ctx *);
static void	 json_fate(cJSON *, const struct model_life *,
		    struct json_ctx *);

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t
json_utf8_len(const unsigned char *p, size_t n)
{
	size_t	len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/*
 * s (n bytes, s[n] readable) as valid UTF-8: s itself if it is valid
 * and NUL-terminated there, else a copy in b where each byte that is
 * not UTF-8 became U+FFFD.
 */
const char *
json_utf8(const char *s, size_t n, struct buf *b)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t		 i, j, len;

	for (i = 0; i < n; i += len)
		if ((len = json_utf8_len(p + i, n - i)) == 0)
			break;
	if (i == n && s[n] == '\0')
		return s;
	buf_set(b, s, i);
	while (i < n) {
		if (json_utf8_len(p + i, n - i) == 0) {
			buf_append(b, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		for (j = i; j < n && (len = json_utf8_len(p + j, n - j)) != 0;)
			j += len;
		buf_append(b, s + i, j - i);
		i = j;
	}
	return b->p;
}

/* ISO 8601 UTC with microseconds: 2026-11-23T14:08:07.060475Z. */
void
json_time(int64_t us, char *out, size_t sz)
{
	struct tm	tm;
	time_t		sec = us / 1000000;
	int64_t		frac = us % 1000000;

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	snprintf(out, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (long long)frac);
}

static void
json_str(cJSON *o, const char *key, const char *s, struct json_ctx *c)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, json_utf8(s, strlen(s), &c->b));
}

/* v as width lowercase hex digits, in the object's arena. */
static char *
json_hexa(struct json_ctx *c, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char	*hex = arena_alloc(&c->a, width + 1);
	int	 i;

	for (i = width - 1; i >= 0; i--, v >>= 4)
		hex[i] = digits[v & 0xf];
	hex[width] = '\0';
	return hex;
}

static void
json_hex(cJSON *o, const char *key, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char	hex[17];
	int	i;

	for (i = width - 1; i >= 0; i--, v >>= 4)
		hex[i] = digits[v & 0xf];
	hex[width] = '\0';
	cJSON_AddStringToObject(o, key, hex);
}

/*
 * Numbers as JSON text of our own: integers, and microseconds as
 * seconds with up to six decimals (cJSON's double printing is slow).
 */
static void
json_int(cJSON *o, const char *key, int64_t v)
{
	char	num[24];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	cJSON_AddRawToObject(o, key, num);
}

static void
json_seconds(cJSON *o, const char *key, int64_t us)
{
	char	num[32];
	int	n;

	n = snprintf(num, sizeof(num), "%lld.%06lld", (long long)(us / 1000000),
	    (long long)(us % 1000000));
	while (n > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (n > 0 && num[n - 1] == '.')
		num[--n] = '\0';
	cJSON_AddRawToObject(o, key, num);
}

/* Add a string (NULL: null) that outlives the object, uncopied. */
static void
json_ref(cJSON *o, const char *key, const char *v)
{
	cJSON_AddItemToObjectCS(o, key, v == NULL ? cJSON_CreateNull() :
	    cJSON_CreateStringReference(v));
}

/* json_time() into out (32 bytes), the date part reused per second. */
static void
json_iso(struct json_ctx *c, int64_t us, char *out)
{
	time_t	sec = us / 1000000;
	int64_t	frac = us % 1000000;
	int	i;

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	if (c->date[0] == '\0' || sec != c->sec) {
		json_time((int64_t)sec * 1000000, out, 32);
		memcpy(c->date, out, 20);
		c->sec = sec;
	}
	memcpy(out, c->date, 20);
	for (i = 25; i >= 20; i--, frac /= 10)
		out[i] = '0' + frac % 10;
	out[26] = 'Z';
	out[27] = '\0';
}

static void
json_at(cJSON *o, const char *key, int64_t us, struct json_ctx *c)
{
	char	iso[32];

	if (us == 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	json_iso(c, us, iso);
	cJSON_AddStringToObject(o, key, iso);
}

/* Seconds from a to b, or null if either is unknown. */
static void
json_secs(cJSON *o, const char *key, int64_t a, int64_t b)
{
	if (a == 0 || b == 0 || b < a)
		cJSON_AddNullToObject(o, key);
	else
		json_seconds(o, key, b - a);
}

static cJSON *
json_received(const struct model_life *l, struct json_ctx *b)
{
	cJSON	*o;

	if (!l->has_received)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	json_hex(o, "session", l->in.sid, 16);
	json_at(o, "time", l->t_received, b);
	json_str(o, "client", l->in.src, b);
	json_str(o, "rdns", l->in.rdns, b);
	json_str(o, "fcrdns", l->in.fcrdns, b);
	json_str(o, "helo", l->in.helo, b);
	json_str(o, "tls", l->in.tls, b);
	json_str(o, "auth_user", l->in.auth_user, b);
	if (l->size >= 0 && l->status != MODEL_REJECTED)
		json_int(o, "size", l->size);
	else
		cJSON_AddNullToObject(o, "size");
	return o;
}

static cJSON *
json_attempt(const struct model_attempt *a, struct json_ctx *b)
{
	cJSON	*o = cJSON_CreateObject();

	json_hex(o, "session", a->session.sid, 16);
	json_at(o, "time", a->t, b);
	json_at(o, "end_time", a->t_end, b);
	json_secs(o, "duration", a->t, a->t_end);
	json_str(o, "relay", a->session.dest, b);
	json_str(o, "tls", a->session.tls, b);
	json_str(o, "result", model_result_name(a->result), b);
	json_str(o, "response", a->reply, b);
	cJSON_AddBoolToObject(o, "inferred", a->inferred);
	json_str(o, "remote_id", a->remote_id, b);
	cJSON_AddStringToObject(o, "source", model_source_name(a->source));
	cJSON_AddBoolToObject(o, "confirmed", a->confirmed);
	return o;
}

static cJSON *
json_outcome(const struct model_outcome *oc, struct json_ctx *b)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", model_outcome_name(oc->kind));
	json_at(o, "time", oc->t, b);
	if (oc->kind == MODEL_OC_MDA)
		json_hex(o, "session", oc->sid, 16);
	else
		cJSON_AddNullToObject(o, "session");
	json_str(o, "result", model_result_name(oc->result), b);
	json_str(o, "stat", oc->stat, b);
	json_str(o, "user", oc->user, b);
	json_str(o, "agent", oc->agent, b);
	return o;
}

/* One side of a bounce link; the other life's envelope and status. */
static cJSON *
json_link(const struct model_link *k, struct json_ctx *b)
{
	cJSON	*o = cJSON_CreateObject();

	if (k->evpid != 0) {
		json_hex(o, "evpid", k->evpid, 16);
		json_hex(o, "msgid", k->msgid, 8);
		cJSON_AddStringToObject(o, "status",
		    model_status_name(k->status));
	} else {
		cJSON_AddNullToObject(o, "evpid");
		cJSON_AddNullToObject(o, "msgid");
		cJSON_AddNullToObject(o, "status");
	}
	cJSON_AddStringToObject(o, "link", k->exact ? "exact" : "inferred");
	if (k->queue_evpid != 0)
		json_hex(o, "queue_evpid", k->queue_evpid, 16);
	else
		cJSON_AddNullToObject(o, "queue_evpid");
	json_str(o, "reply", k->evpid != 0 ? k->reply : NULL, b);
	return o;
}

/* The maillog outcomes and the bounce links of a life. */
static void
json_fate(cJSON *o, const struct model_life *l, struct json_ctx *b)
{
	cJSON	*a;
	size_t	 i;

	a = cJSON_AddArrayToObject(o, "outcomes");
	for (i = 0; i < l->noutcomes; i++)
		cJSON_AddItemToArray(a, json_outcome(&l->outcomes[i], b));
	if (l->has_bounce)
		cJSON_AddItemToObject(o, "bounce", json_link(&l->bounce, b));
	else
		cJSON_AddNullToObject(o, "bounce");
	a = cJSON_AddArrayToObject(o, "bounce_of");
	for (i = 0; i < l->nbounce_of; i++)
		cJSON_AddItemToArray(a, json_link(&l->bounce_of[i], b));
}

static cJSON *
json_timings(const struct model_life *l)
{
	struct model_timings	 tm;
	cJSON			*o = cJSON_CreateObject();

	model_timings(l, &tm);
	json_secs(o, "accept", tm.start, tm.accepted);
	json_secs(o, "queue_wait", tm.accepted, tm.first_attempt);
	json_secs(o, "total", tm.start, tm.final);
	return o;
}

static cJSON *
json_event(const struct model_event *e, int seq, struct json_ctx *b)
{
	cJSON		*o = cJSON_CreateObject();
	const char	*p;
	char		*iso;

	/* The bulk of an export: its strings are referenced, not copied. */
	if (seq)
		json_int(o, "seq", e->id);
	iso = arena_alloc(&b->a, 32);
	json_iso(b, e->t, iso);
	json_ref(o, "time", iso);
	if (e->event == EVT_NONE) {
		json_ref(o, "subsystem", NULL);
		json_ref(o, "event", NULL);
		json_ref(o, "session", NULL);
	} else {
		json_ref(o, "subsystem", e->dir == DIR_IN ? "smtp-in" :
		    "smtp-out");
		json_ref(o, "event", proto_event_name(e->event));
		json_ref(o, "session", json_hexa(b, e->session, 16));
	}
	json_ref(o, "msgid", e->has_msgid ? json_hexa(b, e->msgid, 8) : NULL);
	if ((p = json_utf8(e->text, e->len, &b->b)) != e->text)
		p = arena_strndup(&b->a, p, strlen(p));
	json_ref(o, "params", p);
	return o;
}

/* Print o on one line and free it. */
int
json_print(cJSON *o, FILE *fp)
{
	char	*s;
	int	 rv;

	if ((s = cJSON_PrintUnformatted(o)) == NULL) {
		cJSON_Delete(o);
		return -1;
	}
	rv = fputs(s, fp) == EOF || putc('\n', fp) == EOF ? -1 : 0;
	cJSON_free(s);
	cJSON_Delete(o);
	return rv;
}

/* One life as one line; with_events 0 leaves out "events". */
int
json_life_print(const struct model_life *l, int with_events, FILE *fp)
{
	struct json_ctx	 b;
	cJSON		*o = cJSON_CreateObject(), *a;
	size_t		 i;
	int		 rv;

	memset(&b, 0, sizeof(b));
	json_int(o, "schema_version", JSON_SCHEMA_VERSION);
	if (l->has_evpid)
		json_hex(o, "evpid", l->evpid, 16);
	else
		cJSON_AddNullToObject(o, "evpid");
	json_hex(o, "msgid", l->msgid, 8);
	json_str(o, "mail_from", l->mail_from, &b);
	json_str(o, "rcpt_to", l->rcpt_to, &b);
	cJSON_AddStringToObject(o, "status", model_status_name(l->status));
	json_str(o, "reply", l->reply, &b);
	cJSON_AddItemToObject(o, "received", json_received(l, &b));
	a = cJSON_AddArrayToObject(o, "attempts");
	for (i = 0; i < l->nattempts; i++)
		cJSON_AddItemToArray(a, json_attempt(&l->attempts[i], &b));
	json_fate(o, l, &b);
	cJSON_AddItemToObject(o, "timings", json_timings(l));
	if (with_events) {
		a = cJSON_AddArrayToObject(o, "events");
		for (i = 0; i < l->nevents; i++)
			cJSON_AddItemToArray(a, json_event(&l->events[i], 0,
			    &b));
	}
	rv = json_print(o, fp);
	buf_free(&b.b);
	arena_free(&b.a);
	return rv;
}

/* One report event as one line, with its sequence number. */
int
json_event_print(const struct model_event *e, int seq, FILE *fp)
{
	struct json_ctx	 b;
	int		 rv;

	memset(&b, 0, sizeof(b));
	rv = json_print(json_event(e, seq, &b), fp);
	buf_free(&b.b);
	arena_free(&b.a);
	return rv;
}
