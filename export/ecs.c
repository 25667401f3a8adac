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
 * ecs.c: owns the Elastic Common Schema form of lives and report events
 * (export --format ecs): one document per life (its current state), or
 * per event with --events, under ECS field names (@timestamp, event.*,
 * email.*, source.*, destination.*, host.name, tls.*, related.*,
 * labels.*), built with cJSON: control bytes escaped, bytes that are
 * not UTF-8 replaced, ids as hex strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

struct ecs_addr {
	char	ip[64];
	char	port[8];
};

/* What event.* says (ecs_head()). */
struct ecs_head {
	const char	*type;		/* event.type: info, connection */
	const char	*action;
	const char	*outcome;	/* NULL: none */
	const char	*dataset;
	const char	*id;		/* NULL: none */
	int64_t		 start, end;	/* 0: unknown */
	int64_t		 from;		/* the duration's start; 0: none */
};

static void	ecs_str(cJSON *, const char *, const char *, struct buf *);
static void	ecs_time(cJSON *, const char *, int64_t);
static cJSON	*ecs_obj(cJSON *, const char *);
static void	ecs_list(cJSON *, const char *, const char *, const char *,
		    struct buf *);
static int	ecs_addr(const char *, struct ecs_addr *);
static void	ecs_endpoint(cJSON *, const char *, const char *,
		    const char *, struct buf *);
static void	ecs_tls(cJSON *, const char *, struct buf *);
static cJSON	*ecs_head(cJSON *, const struct ecs_head *, struct buf *);
static void	ecs_event(cJSON *, const struct model_life *,
		    const struct ecs_extra *, struct buf *);
static void	ecs_add(cJSON *, const char *, struct buf *);
static void	ecs_related(cJSON *, const struct model_life *, struct buf *);
static void	ecs_labels(cJSON *, const struct model_life *,
		    const struct ecs_extra *, struct buf *);
static void	ecs_message(cJSON *, const struct model_life *, struct buf *);
static void	ecs_session_event(cJSON *, const struct model_alone *,
		    const char *, struct buf *);

static void
ecs_str(cJSON *o, const char *key, const char *s, struct buf *b)
{
	if (s != NULL)
		cJSON_AddStringToObject(o, key, json_utf8(s, strlen(s), b));
}

static void
ecs_time(cJSON *o, const char *key, int64_t us)
{
	char	iso[32];

	if (us != 0) {
		time_to_text(us, TO_ISO_US, iso, sizeof(iso));
		cJSON_AddStringToObject(o, key, iso);
	}
}

/* The object at key in o, made if missing. */
static cJSON *
ecs_obj(cJSON *o, const char *key)
{
	cJSON	*c;

	if ((c = cJSON_GetObjectItemCaseSensitive(o, key)) == NULL)
		c = cJSON_AddObjectToObject(o, key);
	return c;
}

/*
 * name.key: [s] (ECS arrays of keywords) in o; nothing if s is NULL, not
 * even an empty object name.
 */
static void
ecs_list(cJSON *o, const char *name, const char *key, const char *s,
    struct buf *b)
{
	cJSON	*a;

	if (s == NULL)
		return;
	a = cJSON_AddArrayToObject(ecs_obj(o, name), key);
	cJSON_AddItemToArray(a, cJSON_CreateString(json_utf8(s, strlen(s),
	    b)));
}

/* "ip:port", "[ipv6]:port": 1 and a split; "unix:/path": 0. */
static int
ecs_addr(const char *s, struct ecs_addr *a)
{
	const char	*colon, *ip = s, *end;

	if (s == NULL || strncmp(s, "unix:", 5) == 0)
		return 0;
	if (*s == '[') {
		ip = s + 1;
		if ((end = strchr(ip, ']')) == NULL || end[1] != ':')
			return 0;
		colon = end + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return 0;
		end = colon;
	}
	if ((size_t)(end - ip) >= sizeof(a->ip) ||
	    strlen(colon + 1) >= sizeof(a->port))
		return 0;
	memcpy(a->ip, ip, end - ip);
	a->ip[end - ip] = '\0';
	snprintf(a->port, sizeof(a->port), "%s", colon + 1);
	return 1;
}

/* source / destination: address (raw, without port), ip, port, domain. */
static void
ecs_endpoint(cJSON *o, const char *key, const char *addr,
    const char *domain, struct buf *b)
{
	struct ecs_addr	 a;
	cJSON		*e;

	if (addr == NULL)
		return;
	e = ecs_obj(o, key);
	if (ecs_addr(addr, &a)) {
		ecs_str(e, "address", a.ip, b);
		ecs_str(e, "ip", a.ip, b);
		cJSON_AddNumberToObject(e, "port", atoi(a.port));
	} else
		ecs_str(e, "address", addr, b);
	if (domain != NULL && strcmp(domain, "<unknown>") != 0)
		ecs_str(e, "domain", domain, b);
}

/*
 * smtpd's "TLSv1.3:TLS_AES_256_GCM_SHA384:256" as tls.*: the version
 * and the cipher, each whole, made UTF-8 as any other string.
 */
static void
ecs_tls(cJSON *o, const char *tls, struct buf *b)
{
	const char	*v, *c, *end;
	size_t		 vn;
	cJSON		*t;

	if (tls == NULL || (c = strchr(tls, ':')) == NULL || c == tls)
		return;
	v = tls;
	vn = c - tls;
	if ((end = strchr(++c, ':')) == NULL)
		end = c + strlen(c);
	if (end == c)
		return;
	t = ecs_obj(o, "tls");
	if (vn > 4 && strncmp(v, "TLSv", 4) == 0) {
		cJSON_AddStringToObject(t, "version_protocol", "tls");
		v += 4;
		vn -= 4;
	}
	cJSON_AddStringToObject(t, "version", json_utf8(v, vn, b));
	cJSON_AddStringToObject(t, "cipher", json_utf8(c, end - c, b));
	cJSON_AddBoolToObject(t, "established", 1);
}

/*
 * event.* as every document begins it: its kind, category, type, action
 * and outcome (NULL: none), dataset, id (NULL: none), start and end (0:
 * unknown), and the duration from h->from (0: none) to the end.
 */
static cJSON *
ecs_head(cJSON *o, const struct ecs_head *h, struct buf *b)
{
	cJSON	*e = ecs_obj(o, "event");

	cJSON_AddStringToObject(e, "kind", "event");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(e, "category"),
	    cJSON_CreateString("email"));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(e, "type"),
	    cJSON_CreateString(h->type));
	cJSON_AddStringToObject(e, "action", h->action);
	if (h->outcome != NULL)
		cJSON_AddStringToObject(e, "outcome", h->outcome);
	cJSON_AddStringToObject(e, "module", "mailtrail");
	cJSON_AddStringToObject(e, "dataset", h->dataset);
	ecs_str(e, "id", h->id, b);
	ecs_time(e, "start", h->start);
	ecs_time(e, "end", h->end);
	if (h->from != 0 && h->end >= h->from && h->end != 0)
		cJSON_AddNumberToObject(e, "duration",
		    (double)(h->end - h->from) * 1000);
	return e;
}

static void
ecs_event(cJSON *o, const struct model_life *l, const struct ecs_extra *x,
    struct buf *b)
{
	struct model_timings	 tm;
	struct ecs_head		 h;
	char			 id[160];

	memset(&h, 0, sizeof(h));
	h.type = "info";
	h.action = status_to_text(l->status);
	h.outcome = "unknown";
	if (l->status == LIFE_DELIVERED)
		h.outcome = "success";
	else if (l->status == LIFE_FAILED || l->status == LIFE_REJECTED)
		h.outcome = "failure";
	h.dataset = "mailtrail.life";
	if (l->has_evpid)
		snprintf(id, sizeof(id), "%.100s:%016llx", x->host,
		    (unsigned long long)l->evpid);
	else
		snprintf(id, sizeof(id), "%.100s:%016llx:%08x:%lld", x->host,
		    (unsigned long long)l->in.sid, l->msgid,
		    (long long)l->rcpt_t);
	h.id = id;
	model_timings(l, &tm);
	h.start = tm.start != 0 ? tm.start : l->t;
	h.end = tm.final;
	h.from = tm.start;
	ecs_head(o, &h, b);
}

/* s into the array a unless it is there already. */
static void
ecs_add(cJSON *a, const char *s, struct buf *b)
{
	const cJSON	*v;

	s = json_utf8(s, strlen(s), b);
	cJSON_ArrayForEach(v, a)
		if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0)
			return;
	cJSON_AddItemToArray(a, cJSON_CreateString(s));
}

/* related.ip: the client and every relay; related.hosts: rdns, helo. */
static void
ecs_related(cJSON *o, const struct model_life *l, struct buf *b)
{
	struct ecs_addr	 a;
	cJSON		*r = ecs_obj(o, "related"), *ips, *hosts;
	size_t		 i;

	ips = cJSON_AddArrayToObject(r, "ip");
	hosts = cJSON_AddArrayToObject(r, "hosts");
	if (l->has_received && ecs_addr(l->in.src, &a))
		ecs_add(ips, a.ip, b);
	for (i = 0; i < l->nattempts; i++)
		if (ecs_addr(l->attempts[i].session.dest, &a))
			ecs_add(ips, a.ip, b);
	if (!l->has_received)
		return;
	if (l->in.rdns != NULL && strcmp(l->in.rdns, "<unknown>") != 0)
		ecs_add(hosts, l->in.rdns, b);
	if (l->in.helo != NULL)
		ecs_add(hosts, l->in.helo, b);
}

/* mailtrail's own ids and facts, as ECS labels (keyword strings). */
static void
ecs_labels(cJSON *o, const struct model_life *l, const struct ecs_extra *x,
    struct buf *b)
{
	cJSON	*lb = ecs_obj(o, "labels");
	char	 hex[24];

	snprintf(hex, sizeof(hex), "%08x", l->msgid);
	cJSON_AddStringToObject(lb, "msgid", hex);
	if (l->has_received) {
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)l->in.sid);
		cJSON_AddStringToObject(lb, "session", hex);
		ecs_str(lb, "helo", l->in.helo, b);
		ecs_str(lb, "auth_user", l->in.auth_user, b);
	}
	snprintf(hex, sizeof(hex), "%zu", l->nattempts);
	cJSON_AddStringToObject(lb, "attempts", hex);
	ecs_str(lb, "remote_id", x->remote_id, b);
	ecs_str(lb, "class", class_life(l), b);
	if (x->up_host != NULL) {
		ecs_str(lb, "upstream_host", x->up_host, b);
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)x->up_evpid);
		cJSON_AddStringToObject(lb, "upstream_evpid", hex);
	}
}

/* "delivered alice@a -> bob@b: 250 ...", for log viewers. */
static void
ecs_message(cJSON *o, const struct model_life *l, struct buf *b)
{
	struct buf	 m;
	const char	*st = status_to_text(l->status);

	memset(&m, 0, sizeof(m));
	buf_set(&m, st, strlen(st));
	buf_append(&m, " <", 2);
	if (l->mail_from != NULL)
		buf_append(&m, l->mail_from, strlen(l->mail_from));
	buf_append(&m, "> -> <", 6);
	if (l->rcpt_to != NULL)
		buf_append(&m, l->rcpt_to, strlen(l->rcpt_to));
	buf_append(&m, ">", 1);
	if (l->reply != NULL) {
		buf_append(&m, ": ", 2);
		buf_append(&m, l->reply, strlen(l->reply));
	}
	buf_append(&m, "", 1);
	ecs_str(o, "message", m.p, b);
	buf_free(&m);
}

/* One life's current state as one ECS document on one line. */
int
ecs_life_print(const struct model_life *l, const struct ecs_extra *x,
    FILE *fp)
{
	struct buf	 b;
	cJSON		*o = cJSON_CreateObject(), *em;
	size_t		 d;
	char		 hex[17];
	int		 rv;

	memset(&b, 0, sizeof(b));
	ecs_time(o, "@timestamp", l->t);
	cJSON_AddStringToObject(ecs_obj(o, "ecs"), "version", ECS_VERSION);
	ecs_message(o, l, &b);
	ecs_event(o, l, x, &b);
	if (l->reply != NULL)
		ecs_str(ecs_obj(o, "event"), "reason", l->reply, &b);
	em = ecs_obj(o, "email");
	ecs_list(em, "from", "address", l->mail_from, &b);
	ecs_list(em, "to", "address", l->rcpt_to, &b);
	if (l->has_evpid) {
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)l->evpid);
		cJSON_AddStringToObject(em, "local_id", hex);
	}
	if (l->has_received) {
		ecs_endpoint(o, "source", l->in.src, l->in.rdns, &b);
		ecs_tls(o, l->in.tls, &b);
		if (l->in.auth_user != NULL)
			ecs_str(ecs_obj(o, "user"), "name", l->in.auth_user,
			    &b);
	}
	/* destination: the decisive attempt's relay, else the last's. */
	if ((d = model_life_decisive(l)) ==
	    l->nattempts && l->nattempts > 0)
		d = l->nattempts - 1;
	if (d < l->nattempts)
		ecs_endpoint(o, "destination", l->attempts[d].session.dest,
		    NULL, &b);
	ecs_str(ecs_obj(o, "host"), "name", x->host, &b);
	ecs_related(o, l, &b);
	ecs_labels(o, l, x, &b);
	rv = json_print(o, fp);
	buf_free(&b);
	return rv;
}

/* One report event as one ECS document (export --events). */
int
ecs_event_print(const struct model_event *e, const char *host, FILE *fp)
{
	struct ecs_head	 h;
	struct buf	 b;
	cJSON		*o = cJSON_CreateObject(), *ev, *lb, *nw;
	char		 hex[32];
	int		 rv;

	memset(&b, 0, sizeof(b));
	ecs_time(o, "@timestamp", e->t);
	cJSON_AddStringToObject(ecs_obj(o, "ecs"), "version", ECS_VERSION);
	cJSON_AddStringToObject(o, "message", json_utf8(e->text, e->len, &b));
	memset(&h, 0, sizeof(h));
	h.type = "info";
	h.action = e->event == EVT_NONE ? "raw" : proto_event_name(e->event);
	h.dataset = "mailtrail.event";
	ev = ecs_head(o, &h, &b);
	cJSON_AddNumberToObject(ev, "sequence", (double)e->id);
	ecs_str(ecs_obj(o, "host"), "name", host, &b);
	lb = ecs_obj(o, "labels");
	if (e->event != EVT_NONE) {
		nw = ecs_obj(o, "network");
		cJSON_AddStringToObject(nw, "protocol", "smtp");
		cJSON_AddStringToObject(nw, "direction", e->dir == DIR_IN ?
		    "inbound" : "outbound");
		cJSON_AddStringToObject(lb, "subsystem", e->dir == DIR_IN ?
		    "smtp-in" : "smtp-out");
		snprintf(hex, sizeof(hex), "%016llx",
		    (unsigned long long)e->session);
		cJSON_AddStringToObject(lb, "session", hex);
	}
	if (e->has_msgid) {
		snprintf(hex, sizeof(hex), "%08x", e->msgid);
		cJSON_AddStringToObject(lb, "msgid", hex);
	}
	rv = json_print(o, fp);
	buf_free(&b);
	return rv;
}

/* event.* of a session with no life of its own: its outcome, when. */
static void
ecs_session_event(cJSON *o, const struct model_alone *a, const char *host,
    struct buf *b)
{
	const struct model_session *s = &a->s;
	struct ecs_head	 h;
	cJSON		*e;
	char		 id[160];

	memset(&h, 0, sizeof(h));
	h.type = "connection";
	h.action = s->outcome ? s->outcome : "open";
	h.outcome = s->outcome == NULL ? "unknown" :
	    strcmp(s->outcome, "mail") == 0 ? "success" : "failure";
	h.dataset = "mailtrail.session";
	snprintf(id, sizeof(id), "%.100s:%016llx:%lld", host,
	    (unsigned long long)s->sid, (long long)s->t_start);
	h.id = id;
	h.start = h.from = s->t_start;
	h.end = s->t_end;
	e = ecs_head(o, &h, b);
	if (a->reason != NULL)
		ecs_str(e, "reason", a->reason->text, b);
}

/*
 * A session with no life of its own (export --sessions) as one ECS
 * document: event.action its outcome, event.reason the line that
 * decided it, the client (smtp-in) or relay (smtp-out), its refused
 * sender.
 */
int
ecs_session_print(const struct model_alone *a, const char *host, FILE *fp)
{
	const struct model_session *s = &a->s;
	struct buf	 b;
	cJSON		*o = cJSON_CreateObject(), *lb;
	char		 text[160];
	int		 rv;

	memset(&b, 0, sizeof(b));
	ecs_time(o, "@timestamp", s->t_start);
	cJSON_AddStringToObject(ecs_obj(o, "ecs"), "version", ECS_VERSION);
	snprintf(text, sizeof(text), "%s %s session %016llx%s%.100s",
	    s->outcome ? s->outcome : "open", s->dir == DIR_IN ? "smtp-in" :
	    "smtp-out", (unsigned long long)s->sid, a->reason ? ": " : "",
	    a->reason ? a->reason->text : "");
	ecs_str(o, "message", text, &b);
	ecs_session_event(o, a, host, &b);
	if (s->mail_from != NULL)
		ecs_list(ecs_obj(o, "email"), "from", "address", s->mail_from,
		    &b);
	if (s->dir == DIR_IN)
		ecs_endpoint(o, "source", s->src, s->rdns, &b);
	else
		ecs_endpoint(o, "destination", s->dest, NULL, &b);
	ecs_tls(o, s->tls, &b);
	if (s->auth_user != NULL)
		ecs_str(ecs_obj(o, "user"), "name", s->auth_user, &b);
	cJSON_AddStringToObject(ecs_obj(o, "network"), "direction",
	    s->dir == DIR_IN ? "inbound" : "outbound");
	ecs_str(ecs_obj(o, "host"), "name", host, &b);
	lb = ecs_obj(o, "labels");
	snprintf(text, sizeof(text), "%016llx", (unsigned long long)s->sid);
	cJSON_AddStringToObject(lb, "session", text);
	cJSON_AddStringToObject(lb, "subsystem", s->dir == DIR_IN ?
	    "smtp-in" : "smtp-out");
	ecs_str(lb, "helo", s->helo, &b);
	if (a->filter != NULL)
		cJSON_AddStringToObject(lb, "filter", json_utf8(a->filter->text,
		    a->filter->len, &b));
	rv = json_print(o, fp);
	buf_free(&b);
	return rv;
}
