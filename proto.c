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
 * proto.c: the report line parser.  Pure: no I/O, no allocation, and the
 * line is not modified.  Field layouts differ between protocol versions,
 * so each event has one layout per range of versions (proto_layouts).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"

#define PROTO_MINOR_MIN	4
#define PROTO_MINOR_MAX	7
#define PROTO_SLOTS	4

/*
 * The parameters of one event, in wire order, for versions
 * 0.<min> to 0.<max>.  The slot at index "free" takes whatever the
 * slots before and after it leave over, so it may hold '|'; without
 * one (-1) every '|' separates.  "optional" trailing slots may be
 * absent (filter-response has a parameter only for some responses).
 */
struct proto_layout {
	enum proto_event	event;
	int			min, max;
	int			nslots;
	enum proto_field	slot[PROTO_SLOTS];
	int			free;
	int			optional;
};

static const struct proto_layout proto_layouts[] = {
	{ EVT_LINK_CONNECT, 4, 7, 4, { F_RDNS, F_FCRDNS, F_SRC, F_DEST }, -1, 0 },
	{ EVT_LINK_DISCONNECT, 4, 7, 0, { 0 }, -1, 0 },
	{ EVT_LINK_GREETING, 4, 7, 1, { F_TEXT }, 0, 0 },
	{ EVT_LINK_IDENTIFY, 4, 7, 2, { F_METHOD, F_TEXT }, 1, 0 },
	{ EVT_LINK_TLS, 4, 7, 1, { F_TEXT }, 0, 0 },
	/* 0.7 moved the result first: the username may hold '|'. */
	{ EVT_LINK_AUTH, 4, 6, 2, { F_TEXT, F_RESULT }, 0, 0 },
	{ EVT_LINK_AUTH, 7, 7, 2, { F_RESULT, F_TEXT }, 1, 0 },
	{ EVT_TX_RESET, 4, 7, 1, { F_MSGID }, -1, 0 },
	{ EVT_TX_BEGIN, 4, 7, 1, { F_MSGID }, -1, 0 },
	/* 0.6 moved the result before the address, for the same reason. */
	{ EVT_TX_MAIL, 4, 5, 3, { F_MSGID, F_ADDR, F_RESULT }, 1, 0 },
	{ EVT_TX_MAIL, 6, 7, 3, { F_MSGID, F_RESULT, F_ADDR }, 2, 0 },
	{ EVT_TX_RCPT, 4, 5, 3, { F_MSGID, F_ADDR, F_RESULT }, 1, 0 },
	{ EVT_TX_RCPT, 6, 7, 3, { F_MSGID, F_RESULT, F_ADDR }, 2, 0 },
	{ EVT_TX_ENVELOPE, 4, 7, 2, { F_MSGID, F_EVPID }, -1, 0 },
	{ EVT_TX_DATA, 4, 7, 2, { F_MSGID, F_RESULT }, -1, 0 },
	{ EVT_TX_COMMIT, 4, 7, 2, { F_MSGID, F_SIZE }, -1, 0 },
	{ EVT_TX_ROLLBACK, 4, 7, 1, { F_MSGID }, -1, 0 },
	{ EVT_PROTOCOL_CLIENT, 4, 7, 1, { F_TEXT }, 0, 0 },
	{ EVT_PROTOCOL_SERVER, 4, 7, 1, { F_TEXT }, 0, 0 },
	{ EVT_FILTER_REPORT, 4, 7, 3, { F_KIND, F_NAME, F_TEXT }, 2, 0 },
	{ EVT_FILTER_RESPONSE, 4, 7, 3, { F_PHASE, F_RESPONSE, F_PARAM }, 2, 1 },
	{ EVT_TIMEOUT, 4, 7, 0, { 0 }, -1, 0 },
};

/* Each event's name, with its length: the lookup compares lengths first. */
#define PROTO_NAME(s)	{ s, sizeof(s) - 1 }
static const struct proto_name {
	const char	*name;
	size_t		 len;
} proto_event_names[EVT_MAX] = {
	[EVT_NONE] = PROTO_NAME(""),
	[EVT_LINK_CONNECT] = PROTO_NAME("link-connect"),
	[EVT_LINK_DISCONNECT] = PROTO_NAME("link-disconnect"),
	[EVT_LINK_GREETING] = PROTO_NAME("link-greeting"),
	[EVT_LINK_IDENTIFY] = PROTO_NAME("link-identify"),
	[EVT_LINK_TLS] = PROTO_NAME("link-tls"),
	[EVT_LINK_AUTH] = PROTO_NAME("link-auth"),
	[EVT_TX_RESET] = PROTO_NAME("tx-reset"),
	[EVT_TX_BEGIN] = PROTO_NAME("tx-begin"),
	[EVT_TX_MAIL] = PROTO_NAME("tx-mail"),
	[EVT_TX_RCPT] = PROTO_NAME("tx-rcpt"),
	[EVT_TX_ENVELOPE] = PROTO_NAME("tx-envelope"),
	[EVT_TX_DATA] = PROTO_NAME("tx-data"),
	[EVT_TX_COMMIT] = PROTO_NAME("tx-commit"),
	[EVT_TX_ROLLBACK] = PROTO_NAME("tx-rollback"),
	[EVT_PROTOCOL_CLIENT] = PROTO_NAME("protocol-client"),
	[EVT_PROTOCOL_SERVER] = PROTO_NAME("protocol-server"),
	[EVT_FILTER_REPORT] = PROTO_NAME("filter-report"),
	[EVT_FILTER_RESPONSE] = PROTO_NAME("filter-response"),
	[EVT_TIMEOUT] = PROTO_NAME("timeout"),
};

static const char *const proto_errors[] = {
	[PROTO_OK] = "ok",
	[PROTO_ENOTREPORT] = "not a report line",
	[PROTO_EVERSION] = "unknown protocol version",
	[PROTO_ETIME] = "bad timestamp",
	[PROTO_ESUBSYSTEM] = "unknown subsystem",
	[PROTO_EEVENT] = "unknown event",
	[PROTO_ESESSION] = "bad session id",
	[PROTO_EFIELDS] = "wrong number of fields",
	[PROTO_EVALUE] = "bad field value",
	[PROTO_ENUL] = "NUL byte in line",
};

static int	proto_header(struct report *, const char **, const char *);
static int	proto_fields(struct report *);
static int	proto_params(struct report *, const struct proto_layout *);
static int	proto_values(struct report *);
static const struct proto_layout *proto_layout(enum proto_event, int);
static const char *proto_field(const char **, const char *, size_t *);
static int	proto_time(const char *, size_t, int64_t *);
static int	proto_result(const struct proto_str *, enum proto_result *);

const char *
proto_strerror(int e)
{
	if (e < 0 || e > PROTO_ENUL)
		return "unknown error";
	return proto_errors[e];
}

const char *
proto_event_name(enum proto_event ev)
{
	if (ev <= EVT_NONE || ev >= EVT_MAX)
		return "unknown";
	return proto_event_names[ev].name;
}

enum proto_event
proto_event_lookup(const char *s, size_t len)
{
	int	i;

	for (i = EVT_NONE + 1; i < EVT_MAX; i++)
		if (proto_event_names[i].len == len &&
		    memcmp(proto_event_names[i].name, s, len) == 0)
			return i;
	return EVT_NONE;
}

const char *
proto_result_name(enum proto_result r)
{
	switch (r) {
	case RES_OK:
		return "ok";
	case RES_TEMPFAIL:
		return "tempfail";
	case RES_PERMFAIL:
		return "permfail";
	case RES_ERROR:
		return "error";
	default:
		return NULL;
	}
}

/*
 * Parse one line (without its '\n').  Returns PROTO_OK or a
 * PROTO_E* code; on error the struct holds what was parsed so far.
 */
int
proto_parse(struct report *r, const char *line, size_t len)
{
	const char	*p, *end = line + len;
	int		 rv;

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->len = len;
	r->result = RES_NONE;
	r->size = -1;
	if (memchr(line, '\0', len) != NULL)
		return PROTO_ENUL;
	p = line;
	if ((rv = proto_header(r, &p, end)) != PROTO_OK)
		return rv;
	if (p != NULL) {
		r->params = p;
		r->paramslen = end - p;
	}
	return proto_fields(r);
}

/*
 * The fields of an event's parameters alone (params, len: what follows
 * the session id; NULL if nothing does) for protocol 0.<minor>, into r
 * as proto_parse() puts them.  Returns PROTO_OK or a PROTO_E* code.
 */
int
proto_parse_params(struct report *r, int minor, enum proto_event ev,
    const char *params, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->line = params;
	r->len = params != NULL ? len : 0;
	r->minor = minor;
	r->event = ev;
	r->result = RES_NONE;
	r->size = -1;
	r->params = params;
	r->paramslen = r->len;
	if (params != NULL && memchr(params, '\0', len) != NULL)
		return PROTO_ENUL;
	return proto_fields(r);
}

/* r's parameters into its fields, by the layout of its event. */
static int
proto_fields(struct report *r)
{
	const struct proto_layout *l;
	int		 rv;

	if ((l = proto_layout(r->event, r->minor)) == NULL)
		return PROTO_EEVENT;
	if ((rv = proto_params(r, l)) != PROTO_OK)
		return rv;
	return proto_values(r);
}

static int
proto_header(struct report *r, const char **pp, const char *end)
{
	struct proto_str f;
	uint64_t	 sid;

	f.p = proto_field(pp, end, &f.len);
	if (f.p == NULL || f.len != 6 || memcmp(f.p, "report", 6) != 0 ||
	    *pp == NULL)
		return PROTO_ENOTREPORT;
	if ((f.p = proto_field(pp, end, &f.len)) == NULL || f.len != 3 ||
	    f.p[0] != '0' || f.p[1] != '.' || f.p[2] < '0' + PROTO_MINOR_MIN ||
	    f.p[2] > '0' + PROTO_MINOR_MAX)
		return PROTO_EVERSION;
	r->minor = f.p[2] - '0';
	if ((f.p = proto_field(pp, end, &f.len)) == NULL ||
	    proto_time(f.p, f.len, &r->time) == -1)
		return PROTO_ETIME;
	if ((f.p = proto_field(pp, end, &f.len)) == NULL)
		return PROTO_ESUBSYSTEM;
	if (f.len == 7 && memcmp(f.p, "smtp-in", 7) == 0)
		r->dir = DIR_IN;
	else if (f.len == 8 && memcmp(f.p, "smtp-out", 8) == 0)
		r->dir = DIR_OUT;
	else
		return PROTO_ESUBSYSTEM;
	if ((f.p = proto_field(pp, end, &f.len)) == NULL ||
	    (r->event = proto_event_lookup(f.p, f.len)) == EVT_NONE)
		return PROTO_EEVENT;
	if ((f.p = proto_field(pp, end, &f.len)) == NULL || f.len != 16 ||
	    text_to_id(f.p, 16, &sid) == -1)
		return PROTO_ESESSION;
	r->session = sid;
	return PROTO_OK;
}

/*
 * Take the field at *pp, up to the next '|' or the end of the line, and
 * move *pp past the '|'.  *pp becomes NULL once the line is used up.
 */
static const char *
proto_field(const char **pp, const char *end, size_t *len)
{
	const char	*s = *pp, *q;

	if (s == NULL)
		return NULL;
	if ((q = memchr(s, '|', end - s)) == NULL) {
		*len = end - s;
		*pp = NULL;
	} else {
		*len = q - s;
		*pp = q + 1;
	}
	return s;
}

static const struct proto_layout *
proto_layout(enum proto_event ev, int minor)
{
	size_t	i;

	for (i = 0; i < sizeof(proto_layouts) / sizeof(proto_layouts[0]); i++)
		if (proto_layouts[i].event == ev &&
		    minor >= proto_layouts[i].min &&
		    minor <= proto_layouts[i].max)
			return &proto_layouts[i];
	return NULL;
}

static int
proto_params(struct report *r, const struct proto_layout *l)
{
	const char	*p = r->params, *end, *q;
	struct proto_str *f;
	int		 i, lim;

	if (l->nslots == 0)
		return p == NULL ? PROTO_OK : PROTO_EFIELDS;
	if (p == NULL)
		return PROTO_EFIELDS;
	end = p + r->paramslen;
	lim = l->free == -1 ? l->nslots : l->free;
	for (i = 0; i < lim; i++) {
		if (p == NULL)
			return PROTO_EFIELDS;
		f = &r->f[l->slot[i]];
		f->p = proto_field(&p, end, &f->len);
	}
	if (l->free == -1)
		return p == NULL ? PROTO_OK : PROTO_EFIELDS;
	/* The slots after the free one are split off from the right. */
	for (i = l->nslots - 1; i > l->free; i--) {
		if (p == NULL)
			return PROTO_EFIELDS;
		for (q = end; q > p && q[-1] != '|'; q--)
			;
		if (q == p)
			return PROTO_EFIELDS;
		f = &r->f[l->slot[i]];
		f->p = q;
		f->len = end - q;
		end = q - 1;
	}
	if (p == NULL)
		return l->free >= l->nslots - l->optional ? PROTO_OK :
		    PROTO_EFIELDS;
	f = &r->f[l->slot[l->free]];
	f->p = p;
	f->len = end - p;
	return PROTO_OK;
}

static int
proto_values(struct report *r)
{
	const struct proto_str *f = r->f;
	uint64_t	 v;
	size_t		 i;

	if (f[F_MSGID].p != NULL) {
		if (f[F_MSGID].len != 8 || text_to_id(f[F_MSGID].p, 8, &v) == -1)
			return PROTO_EVALUE;
		r->msgid = v;
	}
	if (f[F_EVPID].p != NULL) {
		if (f[F_EVPID].len != 16 ||
		    text_to_id(f[F_EVPID].p, 16, &r->evpid) == -1)
			return PROTO_EVALUE;
	}
	if (f[F_SIZE].p != NULL) {
		if (f[F_SIZE].len == 0 || f[F_SIZE].len > 18)
			return PROTO_EVALUE;
		for (r->size = 0, i = 0; i < f[F_SIZE].len; i++) {
			if (f[F_SIZE].p[i] < '0' || f[F_SIZE].p[i] > '9')
				return PROTO_EVALUE;
			r->size = r->size * 10 + (f[F_SIZE].p[i] - '0');
		}
	}
	if (f[F_RESULT].p != NULL && proto_result(&f[F_RESULT], &r->result) == -1)
		return PROTO_EVALUE;
	return PROTO_OK;
}

static int
proto_result(const struct proto_str *f, enum proto_result *res)
{
	static const struct {
		const char		*name;
		enum proto_result	 result;
	} names[] = {
		{ "ok", RES_OK }, { "tempfail", RES_TEMPFAIL },
		{ "permfail", RES_PERMFAIL }, { "pass", RES_OK },
		{ "fail", RES_PERMFAIL }, { "error", RES_ERROR },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == f->len &&
		    memcmp(names[i].name, f->p, f->len) == 0) {
			*res = names[i].result;
			return 0;
		}
	return -1;
}

/* "<seconds>.<exactly 6 digits>", as smtpd prints it. */
static int
proto_time(const char *s, size_t len, int64_t *t)
{
	int64_t	 sec = 0, usec = 0;
	size_t	 i, dot;

	if (len < 8 || len > 24 || s[len - 7] != '.')
		return -1;
	dot = len - 7;
	for (i = 0; i < len; i++) {
		if (i == dot)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (i < dot)
			sec = sec * 10 + (s[i] - '0');
		else
			usec = usec * 10 + (s[i] - '0');
	}
	if (dot > 12)	/* beyond year 33658: would overflow microseconds */
		return -1;
	*t = sec * 1000000 + usec;
	return 0;
}

/*
 * Is the line exactly what smtpd prints for what was parsed?  Then it
 * can be rebuilt from its parts (leading zeros in the time, say, would
 * not survive).
 */
int
proto_canonical(const struct report *r)
{
	char	buf[PROTO_HEADER_MAX];
	int	n;

	n = proto_header_format(r, buf, sizeof(buf));
	if (n < 0 || (size_t)n > r->len || memcmp(buf, r->line, n) != 0)
		return 0;
	if (r->params == NULL)
		return (size_t)n == r->len;
	return r->params == r->line + n + 1 && r->line[n] == '|';
}

/* Write the header smtpd prints for r: up to and with the session id. */
int
proto_header_format(const struct report *r, char *buf, size_t bufsz)
{
	static const char hex[] = "0123456789abcdef";
	const char	*ev = proto_event_name(r->event), *sub;
	char		 digits[24];
	int64_t		 sec = r->time / 1000000, usec = r->time % 1000000;
	size_t		 n = 0, i, nd = 0, evlen = strlen(ev), sublen;

	sub = r->dir == DIR_IN ? "smtp-in" : "smtp-out";
	sublen = strlen(sub);
	if (sec < 0 || usec < 0 || bufsz < 72 + evlen)
		return -1;
	do {
		digits[nd++] = '0' + sec % 10;
	} while ((sec /= 10) > 0 && nd < sizeof(digits));
	memcpy(buf, "report|0.", 9);
	buf[9] = '0' + r->minor;
	buf[10] = '|';
	n = 11;
	while (nd > 0)
		buf[n++] = digits[--nd];
	buf[n++] = '.';
	for (i = 6; i-- > 0; usec /= 10)
		buf[n + i] = '0' + usec % 10;
	n += 6;
	buf[n++] = '|';
	memcpy(buf + n, sub, sublen);
	n += sublen;
	buf[n++] = '|';
	memcpy(buf + n, ev, evlen);
	n += evlen;
	buf[n++] = '|';
	for (i = 0; i < 16; i++)
		buf[n++] = hex[(r->session >> (60 - 4 * i)) & 0xf];
	buf[n] = '\0';
	return n;
}

/* A byte that may end the word AUTH or its mechanism: a client's. */
#define PROTO_AUTH_SEP(c)	((c) == ' ' || (c) == '\t' || (c) == '=')

/*
 * Does a client line carry an AUTH secret?  The initial response of
 * "AUTH <mechanism> <response>", or any line answering a 334 challenge
 * (authing), unless smtpd already masked it ("********"), or it is
 * empty ("=") or a cancel ("*").  *off is where the secret starts.  A
 * client may part the words with tabs or '=' too: smtpd may refuse
 * such a line, but its secret is a secret all the same.
 */
int
proto_secret(const char *p, size_t len, int authing, size_t *off)
{
	size_t	i;

	if (len >= 5 && strncasecmp(p, "AUTH", 4) == 0 &&
	    PROTO_AUTH_SEP(p[4])) {
		for (i = 5; i < len && PROTO_AUTH_SEP(p[i]); i++)
			;
		while (i < len && !PROTO_AUTH_SEP(p[i]))
			i++;
		while (i < len && PROTO_AUTH_SEP(p[i]))
			i++;
		if (i == len)
			return 0;
	} else if (authing)
		i = 0;
	else
		return 0;
	*off = i;
	len -= i;
	p += i;
	return !((len == 8 && memcmp(p, "********", 8) == 0) ||
	    (len == 1 && (*p == '=' || *p == '*')));
}

/*
 * A report's kind as the database keeps it (event.k): the event, the
 * direction and the protocol's minor version in one integer.
 */
int64_t
proto_kind(const struct report *r)
{
	return r->event + 32 * r->dir + 64 * (r->minor - 4);
}

/* event.k back into its parts; minor may be NULL. */
void
proto_kind_split(int64_t k, int *event, int *dir, int *minor)
{
	*event = (int)(k % 32);
	*dir = (int)((k / 32) % 2);
	if (minor != NULL)
		*minor = (int)(k / 64 + 4);
}
