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
 * json.c: JSON objects (docs/json.md, schema version 1), one per line,
 * written straight out (jw.c): the values every object uses, report
 * events and sessions; a life is json_life.c's.  ECS documents (ecs.c)
 * are cJSON trees, printed by json_print().  Control characters are
 * escaped; bytes that are not UTF-8 become U+FFFD first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define JSON_SCHEMA_VERSION	1
#define JSON_EVENT_ROOM		256	/* an event's members but params */
#define JSON_PUT(p, lit)	json_put((p), (lit), sizeof(lit) - 1)

/* What writing an object uses, kept from one to the next. */
static struct json_ctx json_ctx;

static char	*json_hexa(char *, uint64_t, int);
static char	*json_put(char *, const char *, size_t);
static char	*json_digits(char *, uint64_t);
static void	json_seconds(struct json_ctx *, const char *, int64_t);
static void	json_iso_second(struct json_ctx *, int64_t);
static void	json_iso(struct json_ctx *, int64_t, char *);
static void	json_event(const struct model_event *, int, struct json_ctx *);
static void	json_alone(const struct model_alone *, struct json_ctx *);

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
	uint64_t	 x;

	for (i = 0; i + 8 <= n; i += 8) {	/* ASCII, 8 bytes at a time */
		memcpy(&x, p + i, 8);
		if (x & 0x8080808080808080ULL)
			break;
	}
	for (; i < n; i += len)
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

/* json_utf8(), its length in *len: all of it, a NUL byte among it too. */
const char *
json_utf8n(const char *s, size_t n, struct buf *b, size_t *len)
{
	const char	*u = json_utf8(s, n, b);

	*len = u == s ? n : b->len;
	return u;
}

void
json_str(struct json_ctx *c, const char *key, const char *s)
{
	const char	*v;
	size_t		 n;

	if (s == NULL) {
		jw_str(&c->w, key, NULL);
		return;
	}
	n = strlen(s);
	v = json_utf8(s, n, &c->b);
	jw_strn(&c->w, key, v, v == s ? n : c->b.len);
}

/* v as width lowercase hex digits at out, then a NUL: the digits' end. */
static char *
json_hexa(char *out, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	int	i;

	for (i = width - 1; i >= 0; i--, v >>= 4)
		out[i] = digits[v & 0xf];
	out[width] = '\0';
	return out + width;
}

void
json_hex(struct json_ctx *c, const char *key, uint64_t v, int width)
{
	json_hexa(c->hex, v, width);
	jw_lit(&c->w, key, c->hex);
}

/*
 * Numbers as JSON text of our own: integers, and microseconds as
 * seconds with up to six decimals, the digits made here (no printf).
 */
static char *
json_digits(char *end, uint64_t v)
{
	*end = '\0';
	do
		*--end = '0' + v % 10;
	while ((v /= 10) != 0);
	return end;
}

void
json_int(struct json_ctx *c, const char *key, int64_t v)
{
	char	num[24], *p;

	p = json_digits(num + sizeof(num) - 1, v < 0 ? -(uint64_t)v :
	    (uint64_t)v);
	if (v < 0)
		*--p = '-';
	jw_raw(&c->w, key, p);
}

/* Never negative (json_secs()): "12", "0.5", "3.000001". */
static void
json_seconds(struct json_ctx *c, const char *key, int64_t us)
{
	char	num[32], *p;
	int64_t	frac = us % US_PER_SEC;
	int	i, n = 6;

	p = json_digits(num + 20, (uint64_t)(us / US_PER_SEC));
	if (frac != 0) {
		while (frac % 10 == 0) {
			frac /= 10;
			n--;
		}
		num[20] = '.';
		for (i = n; i > 0; i--, frac /= 10)
			num[20 + i] = '0' + frac % 10;
		num[21 + n] = '\0';
	}
	jw_raw(&c->w, key, p);
}

/*
 * The second sec (since the epoch) as "YYYY-MM-DDTHH:MM:SS" in c: its
 * date made once a day (the last two kept), the time of day here.
 */
static void
json_iso_second(struct json_ctx *c, int64_t sec)
{
	int64_t	day = sec / 86400, s = sec % 86400;
	char	buf[32], *out = c->second;
	int	i;

	if (s < 0) {
		s += 86400;
		day--;
	}
	for (i = 0; i < 2; i++)
		if (c->date[i][0] != '\0' && c->day[i] == day)
			break;
	if (i == 2) {
		i = c->older;
		c->older = !i;
		time_to_text(day * 86400 * US_PER_SEC, TO_ISO_US, buf,
		    sizeof(buf));
		memcpy(c->date[i], buf, 11);
		c->day[i] = day;
	}
	memcpy(out, c->date[i], 11);
	out[11] = '0' + s / 36000;
	out[12] = '0' + s / 3600 % 10;
	out[13] = out[16] = ':';
	out[14] = '0' + s / 600 % 6;
	out[15] = '0' + s / 60 % 10;
	out[17] = '0' + s / 10 % 6;
	out[18] = '0' + s % 10;
	c->sec = sec;
	c->has_sec = 1;
}

/*
 * time_to_text()'s TO_ISO_US into out (28 bytes): the second's text
 * kept from the last time, as a session's events share it.
 */
static void
json_iso(struct json_ctx *c, int64_t us, char *out)
{
	int64_t	frac = us % US_PER_SEC, sec;
	int	i;

	if (frac < 0)
		frac += US_PER_SEC;
	sec = (us - frac) / US_PER_SEC;
	if (!c->has_sec || c->sec != sec)
		json_iso_second(c, sec);
	memcpy(out, c->second, 19);
	out[19] = '.';
	for (i = 25; i >= 20; i--, frac /= 10)
		out[i] = '0' + frac % 10;
	out[26] = 'Z';
	out[27] = '\0';
}

void
json_at(struct json_ctx *c, const char *key, int64_t us)
{
	char	iso[32];

	if (us == 0) {
		jw_str(&c->w, key, NULL);
		return;
	}
	json_iso(c, us, iso);
	jw_lit(&c->w, key, iso);
}

/*
 * An estimated time (docs/json.md, time_estimated): to the second,
 * rounded up, so that it is never before the step it follows.
 */
void
json_at_estimate(struct json_ctx *c, const char *key, int64_t us)
{
	char	iso[32];

	if (us == 0) {
		jw_str(&c->w, key, NULL);
		return;
	}
	us = (us + US_PER_SEC - 1) / US_PER_SEC * US_PER_SEC;
	time_to_text(us, TO_ISO, iso, sizeof(iso));
	jw_lit(&c->w, key, iso);
}

/* Seconds from a to b, or null if either is unknown. */
void
json_secs(struct json_ctx *c, const char *key, int64_t a, int64_t b)
{
	if (a == 0 || b == 0 || b < a)
		jw_str(&c->w, key, NULL);
	else
		json_seconds(c, key, b - a);
}

/* n bytes of s at p: the end. */
static char *
json_put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/*
 * An event's members, into the object open in c: after the first, all
 * are written in place at once (export writes millions of them).
 */
static void
json_event(const struct model_event *e, int seq, struct json_ctx *c)
{
	const char	*params = NULL, *name;
	size_t		 n = 0;
	char		*p;

	if (seq)
		json_int(c, "seq", e->id);
	if (e->text != NULL)
		params = json_utf8n(e->text, e->len, &c->b, &n);
	jw_key(&c->w, "time");
	p = jw_room(&c->w, JSON_EVENT_ROOM + JW_QUOTED(n));
	if (e->t == 0)		/* a line kept raw: no time kept */
		p = JSON_PUT(p, "null,\"subsystem\":");
	else {
		*p++ = '"';
		json_iso(c, e->t, p);
		p = JSON_PUT(p + 27, "\",\"subsystem\":");
	}
	if (e->event == EVT_NONE)
		p = JSON_PUT(p, "null,\"event\":null,\"session\":null");
	else {
		p = e->dir == DIR_IN ? JSON_PUT(p, "\"smtp-in\",\"event\":\"") :
		    JSON_PUT(p, "\"smtp-out\",\"event\":\"");
		name = proto_event_name(e->event);
		p = json_put(p, name, strlen(name));
		p = JSON_PUT(p, "\",\"session\":\"");
		p = JSON_PUT(json_hexa(p, e->session, 16), "\"");
	}
	p = JSON_PUT(p, ",\"msgid\":");
	if (e->has_msgid)
		p = JSON_PUT(json_hexa(JSON_PUT(p, "\""), e->msgid, 8), "\"");
	else
		p = JSON_PUT(p, "null");
	p = JSON_PUT(p, ",\"params\":");
	jw_wrote(&c->w, params == NULL ? JSON_PUT(p, "null") :
	    jw_quote(p, params, n));
}

/*
 * A new object of kind ("life", "session") begun in the one context,
 * with its schema_version; jw_end() prints it.
 */
struct json_ctx *
json_begin(const char *kind)
{
	struct json_ctx	*c = &json_ctx;

	jw_begin(&c->w);
	json_int(c, "schema_version", JSON_SCHEMA_VERSION);
	jw_lit(&c->w, "kind", kind);
	return c;
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
	rv = jw_print(fp, s, strlen(s)) == -1 || putc('\n', fp) == EOF ?
	    -1 : 0;
	cJSON_free(s);
	cJSON_Delete(o);
	return rv;
}

/* "events": each one's members, in order; marked when another's. */
void
json_events(const struct model_event *ev, size_t n, struct json_ctx *c)
{
	size_t	i;

	jw_open(&c->w, "events", '[');
	for (i = 0; i < n; i++) {
		jw_open(&c->w, NULL, '{');
		json_event(&ev[i], 0, c);
		if (ev[i].others)
			jw_bool(&c->w, "others", 1);
		jw_close(&c->w, '}');
	}
	jw_close(&c->w, ']');
}

/* A session's facts, what it came to and the line that decided it. */
static void
json_alone(const struct model_alone *a, struct json_ctx *c)
{
	const struct model_session *s = &a->s;

	json_hex(c, "session", s->sid, 16);
	jw_lit(&c->w, "subsystem", s->dir == DIR_IN ? "smtp-in" : "smtp-out");
	json_str(c, "outcome", s->outcome);
	if (a->reason != NULL) {
		jw_open(&c->w, "reason", '{');
		json_event(a->reason, 0, c);
		jw_close(&c->w, '}');
	} else
		jw_str(&c->w, "reason", NULL);
	if (a->filter != NULL)
		jw_str(&c->w, "filter", json_utf8(a->filter->text,
		    a->filter->len, &c->b));
	else
		jw_str(&c->w, "filter", NULL);
	json_str(c, "mail_from", s->mail_from);
	json_at(c, "time", s->t_start);
	json_at(c, "end_time", s->t_end);
	json_secs(c, "duration", s->t_start, s->t_end);
	json_str(c, "end_reason", s->end_reason);
	json_str(c, "client", s->dir == DIR_IN ? s->src : NULL);
	json_str(c, "relay", s->dir == DIR_OUT ? s->dest : NULL);
	json_str(c, "rdns", s->rdns);
	json_str(c, "fcrdns", s->fcrdns);
	json_str(c, "helo", s->helo);
	json_str(c, "tls", s->tls);
	json_str(c, "auth_user", s->auth_user);
}

/*
 * A session with no life of its own as one line ("kind": "session");
 * with_events 0 leaves out "events".
 */
int
json_session_print(const struct model_alone *a, int with_events, FILE *fp)
{
	struct json_ctx	*c = json_begin("session");

	json_alone(a, c);
	if (with_events)
		json_events(a->events, a->nevents, c);
	return jw_end(&c->w, fp);
}

/* One report event as one line, with its sequence number. */
int
json_event_print(const struct model_event *e, int seq, FILE *fp)
{
	jw_begin(&json_ctx.w);
	json_event(e, seq, &json_ctx);
	return jw_end(&json_ctx.w, fp);
}
