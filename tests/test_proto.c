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
 * test_proto.c: unit tests of the report line parser (collector/proto.c):
 * every event in every protocol version with the version-dependent field
 * orders, malformed lines, huge lines, AUTH secrets, and real lines from
 * the lab captures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "test.h"

#include "test_proto_cases.h"

static const char	*test_proto_show(const char *, size_t);
static void	 test_proto_header(const struct report *, const char *, int,
		    enum proto_dir, enum proto_event, uint64_t, int64_t);
static void	 test_proto_want(const struct report *, const char *,
		    const struct test_proto_want *);
static void	 test_proto_inside(const struct report *, const char *, size_t);
static void	 test_proto_params(const struct report *, const char *, size_t);
static void	 test_proto_format(const struct report *, const char *, size_t);
static int	 test_proto_format_sizes(const struct report *, const char *,
		    int);
static void	 test_proto_case(const struct test_proto_case *);
static int	 test_proto_wire(enum proto_event, int, int);
static size_t	 test_proto_build(char *, size_t, const struct test_proto_event *,
		    int, enum proto_dir, uint64_t, int64_t);
static void	 test_proto_event(const struct test_proto_event *, int,
		    enum proto_dir, size_t);
static void	 test_proto_events_all(void);
static void	 test_proto_cases_all(void);
static void	 test_proto_captures(void);
static void	 test_proto_huge(enum proto_event, const char *, enum proto_field);
static void	 test_proto_names(void);
static void	 test_proto_secret(void);
static void	 test_proto_kind(void);

/* A line made printable for a failure message (static buffer). */
static const char *
test_proto_show(const char *p, size_t len)
{
	static char	buf[TEST_PROTO_SHOW_MAX + 4];
	size_t		i, n = len < TEST_PROTO_SHOW_MAX ? len : TEST_PROTO_SHOW_MAX;

	for (i = 0; i < n; i++)
		buf[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	if (n < len) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

static void
test_proto_header(const struct report *r, const char *line, int minor,
    enum proto_dir dir, enum proto_event ev, uint64_t session, int64_t time)
{
	const char	*s = test_proto_show(line, r->len);

	CHECK_MSG(r->minor == minor, "%s: minor %d", s, r->minor);
	CHECK_MSG(r->dir == dir, "%s: dir %d", s, r->dir);
	CHECK_MSG(r->event == ev, "%s: event %d", s, r->event);
	CHECK_MSG(r->session == session, "%s: session %016llx", s,
	    (unsigned long long)r->session);
	CHECK_MSG(r->time == time, "%s: time %lld", s, (long long)r->time);
}

static void
test_proto_want(const struct report *r, const char *line,
    const struct test_proto_want *w)
{
	const char	*s = test_proto_show(line, r->len);
	int		 listed[F_MAX] = { 0 };
	int		 i, k;

	for (i = 0; w->f[i].val != NULL; i++) {
		k = w->f[i].slot;
		listed[k] = 1;
		CHECK_MSG(r->f[k].p != NULL &&
		    r->f[k].len == strlen(w->f[i].val) &&
		    memcmp(r->f[k].p, w->f[i].val, r->f[k].len) == 0,
		    "%s: %s is \"%.*s\", want \"%s\"", s,
		    test_proto_slot_names[k], r->f[k].p ? (int)r->f[k].len : 6,
		    r->f[k].p ? r->f[k].p : "(null)", w->f[i].val);
	}
	for (k = 0; k < F_MAX; k++)
		if (!listed[k])
			CHECK_MSG(r->f[k].p == NULL, "%s: %s should be absent",
			    s, test_proto_slot_names[k]);
	CHECK_MSG(r->msgid == (listed[F_MSGID] ? w->msgid : 0),
	    "%s: msgid %08x", s, (unsigned)r->msgid);
	CHECK_MSG(r->evpid == (listed[F_EVPID] ? w->evpid : 0),
	    "%s: evpid %016llx", s, (unsigned long long)r->evpid);
	CHECK_MSG(r->size == (listed[F_SIZE] ? w->size : -1),
	    "%s: size %lld", s, (long long)r->size);
	CHECK_MSG(r->result == (listed[F_RESULT] ? w->result : RES_NONE),
	    "%s: result %d", s, r->result);
}

/* Every field and the parameters lie inside the line. */
static void
test_proto_inside(const struct report *r, const char *line, size_t len)
{
	const char	*end = line + len;
	int		 k;

	for (k = 0; k < F_MAX; k++)
		if (r->f[k].p != NULL)
			CHECK_MSG(r->f[k].p >= line && r->f[k].p <= end &&
			    r->f[k].len <= (size_t)(end - r->f[k].p),
			    "%s: %s outside the line",
			    test_proto_show(line, len), test_proto_slot_names[k]);
	if (r->params != NULL)
		CHECK(r->params >= line && r->params + r->paramslen == end);
}

/* The parameters start after the sixth '|', or are absent. */
static void
test_proto_params(const struct report *r, const char *line, size_t len)
{
	const char	*p = line, *q = NULL;
	int		 i;

	for (i = 0; i < 6 && p != NULL; i++) {
		q = memchr(p, '|', len - (p - line));
		p = q != NULL ? q + 1 : NULL;
	}
	if (p == NULL)
		CHECK_MSG(r->params == NULL && r->paramslen == 0,
		    "%s: params should be absent", test_proto_show(line, len));
	else
		CHECK_MSG(r->params == p &&
		    r->paramslen == len - (size_t)(p - line),
		    "%s: params at %td, want %td", test_proto_show(line, len),
		    r->params ? r->params - line : -1, p - line);
}

/* proto_header_format() round trip. */
static void
test_proto_format(const struct report *r, const char *line, size_t len)
{
	char		 buf[PROTO_HEADER_MAX];
	struct report	 r2;
	int		 n, rv;

	n = proto_header_format(r, buf, sizeof(buf));
	CHECK_MSG(n > 0 && n < PROTO_HEADER_MAX, "%s: header_format %d",
	    test_proto_show(line, len), n);
	if (n <= 0)
		return;
	if (proto_canonical(r))
		CHECK_MSG((size_t)n <= len && memcmp(buf, line, n) == 0 &&
		    (r->params == NULL ? (size_t)n == len : line[n] == '|'),
		    "%s: header \"%s\"", test_proto_show(line, len), buf);
	rv = proto_parse(&r2, buf, n);
	CHECK_MSG(rv == (r->params == NULL ? PROTO_OK : PROTO_EFIELDS),
	    "%s: header reparse %d", buf, rv);
	test_proto_header(&r2, buf, r->minor, r->dir, r->event, r->session,
	    r->time);
	CHECK_MSG(test_proto_format_sizes(r, buf, n), "%s: header_format "
	    "with a small buffer", test_proto_show(line, len));
}

/*
 * With any buffer size, proto_header_format() writes within it, and
 * either fails or writes the whole header (hdr, n bytes).
 */
static int
test_proto_format_sizes(const struct report *r, const char *hdr, int n)
{
	char	buf[PROTO_HEADER_MAX + 16];
	size_t	sz, i;
	int	m;

	for (sz = 0; sz <= PROTO_HEADER_MAX; sz++) {
		memset(buf, 'Z', sizeof(buf));
		m = proto_header_format(r, buf, sz);
		for (i = sz; i < sizeof(buf); i++)
			if (buf[i] != 'Z')
				return 0;
		if (m == -1)
			continue;
		if (m != n || (size_t)m >= sz || buf[m] != '\0' ||
		    memcmp(buf, hdr, n) != 0)
			return 0;
	}
	return proto_header_format(r, buf, (size_t)n) == -1;
}

static void
test_proto_case(const struct test_proto_case *c)
{
	struct report	 r;
	size_t		 len = c->len != 0 ? c->len : strlen(c->line);
	int		 rv;

	rv = proto_parse(&r, c->line, len);
	CHECK_MSG(rv == c->rv, "%s: got %d (%s), want %d (%s)",
	    test_proto_show(c->line, len), rv, proto_strerror(rv), c->rv,
	    proto_strerror(c->rv));
	CHECK(r.line == c->line && r.len == len);
	test_proto_inside(&r, c->line, len);
	if (c->minor != 0)
		test_proto_header(&r, c->line, c->minor, c->dir, c->ev,
		    c->session, c->time);
	if (c->rv != PROTO_OK || rv != PROTO_OK)
		return;
	test_proto_want(&r, c->line, &c->w);
	test_proto_params(&r, c->line, len);
	CHECK_MSG(proto_canonical(&r) == !c->noncanon, "%s: canonical %d",
	    test_proto_show(c->line, len), proto_canonical(&r));
	test_proto_format(&r, c->line, len);
}

/*
 * Which table field goes to wire position i: the table holds 0.7 order;
 * 0.4/0.5 put the tx-mail/tx-rcpt result last, 0.4-0.6 the link-auth
 * result after the username.
 */
static int
test_proto_wire(enum proto_event ev, int minor, int i)
{
	if ((ev == EVT_TX_MAIL || ev == EVT_TX_RCPT) && minor < 6 &&
	    (i == 1 || i == 2))
		return 3 - i;
	if (ev == EVT_LINK_AUTH && minor < 7 && (i == 0 || i == 1))
		return 1 - i;
	return i;
}

/* Write the line for e; returns the length of its header. */
static size_t
test_proto_build(char *buf, size_t sz, const struct test_proto_event *e,
    int minor, enum proto_dir dir, uint64_t sid, int64_t t)
{
	size_t	hdr, n;
	int	i;

	n = snprintf(buf, sz, "report|0.%d|%lld.%06lld|%s|%s|%016llx", minor,
	    (long long)(t / 1000000), (long long)(t % 1000000),
	    dir == DIR_IN ? "smtp-in" : "smtp-out", e->name,
	    (unsigned long long)sid);
	hdr = n;
	for (i = 0; i < TEST_PROTO_SLOTS && e->w.f[i].val != NULL; i++)
		n += snprintf(buf + n, sz - n, "|%s",
		    e->w.f[test_proto_wire(e->ev, minor, i)].val);
	if (n >= sz)
		abort();
	return hdr;
}

static void
test_proto_event(const struct test_proto_event *e, int minor,
    enum proto_dir dir, size_t idx)
{
	char		 line[TEST_PROTO_LINE_MAX];
	struct report	 r;
	uint64_t	 sid = T_SIDV + idx * 0x100000001ULL + minor;
	int64_t		 t;
	size_t		 hdr, len;
	int		 rv;

	t = dir == DIR_IN ? T_TIMEV + idx * 1000 + minor :
	    1795464473000000LL + idx * 7 + minor;
	hdr = test_proto_build(line, sizeof(line), e, minor, dir, sid, t);
	len = strlen(line);
	rv = proto_parse(&r, line, len);
	CHECK_MSG(rv == PROTO_OK, "%s: %s", test_proto_show(line, len),
	    proto_strerror(rv));
	if (rv != PROTO_OK)
		return;
	test_proto_header(&r, line, minor, dir, e->ev, sid, t);
	test_proto_want(&r, line, &e->w);
	test_proto_inside(&r, line, len);
	if (e->w.f[0].val == NULL)
		CHECK(r.params == NULL && r.paramslen == 0 && hdr == len);
	else
		CHECK_MSG(r.params == line + hdr + 1 &&
		    r.paramslen == len - hdr - 1, "%s: params",
		    test_proto_show(line, len));
	CHECK_MSG(proto_canonical(&r), "%s: not canonical",
	    test_proto_show(line, len));
	test_proto_format(&r, line, len);
}

/* Every event of the table, in every version, both subsystems. */
static void
test_proto_events_all(void)
{
	int	seen[EVT_MAX] = { 0 };
	size_t	i, n = sizeof(test_proto_events) / sizeof(test_proto_events[0]);
	int	minor, ev;

	for (i = 0; i < n; i++) {
		seen[test_proto_events[i].ev] = 1;
		for (minor = 4; minor <= 7; minor++) {
			test_proto_event(&test_proto_events[i], minor, DIR_IN, i);
			test_proto_event(&test_proto_events[i], minor, DIR_OUT, i);
		}
	}
	for (ev = EVT_NONE + 1; ev < EVT_MAX; ev++)
		CHECK_MSG(seen[ev], "event %d not in the table", ev);
}

static void
test_proto_cases_all(void)
{
	size_t	i, n = sizeof(test_proto_cases) / sizeof(test_proto_cases[0]);

	for (i = 0; i < n; i++)
		test_proto_case(&test_proto_cases[i]);
}

static void
test_proto_captures(void)
{
	struct report	 r;
	const char	*line;
	size_t		 i, len;
	int		 rv;

	for (i = 0; i < sizeof(test_proto_captured) /
	    sizeof(test_proto_captured[0]); i++) {
		line = test_proto_captured[i];
		len = strlen(line);
		rv = proto_parse(&r, line, len);
		CHECK_MSG(rv == PROTO_OK, "%s: %s", test_proto_show(line, len),
		    proto_strerror(rv));
		CHECK_MSG(proto_canonical(&r), "%s: not canonical",
		    test_proto_show(line, len));
		CHECK(r.minor == (line[9] - '0'));
		test_proto_inside(&r, line, len);
		test_proto_params(&r, line, len);
		test_proto_format(&r, line, len);
	}
}

/*
 * A 1 MiB free field (with some '|' in it), in a buffer of exactly the
 * line's size: ASan reports any read past it.
 */
static void
test_proto_huge(enum proto_event ev, const char *head, enum proto_field slot)
{
	struct report	 r;
	char		*line;
	size_t		 hlen = strlen(head), tail, len, i;
	int		 rv;

	tail = ev == EVT_TX_MAIL ? 3 : ev == EVT_LINK_AUTH ? 5 : 0;
	len = hlen + TEST_PROTO_HUGE + tail;
	if ((line = malloc(len)) == NULL)
		abort();
	memcpy(line, head, hlen);
	for (i = 0; i < TEST_PROTO_HUGE; i++)
		line[hlen + i] = i % 4099 == 17 ? '|' : 'a' + i % 26;
	memcpy(line + hlen + TEST_PROTO_HUGE, tail == 3 ? "|ok" : "|pass",
	    tail);
	rv = proto_parse(&r, line, len);
	CHECK_MSG(rv == PROTO_OK, "huge %s: %s", proto_event_name(ev),
	    proto_strerror(rv));
	CHECK(r.event == ev);
	CHECK(r.f[slot].p == line + hlen);
	CHECK(r.f[slot].len == TEST_PROTO_HUGE);
	CHECK(r.f[slot].p != NULL &&
	    memcmp(r.f[slot].p, line + hlen, TEST_PROTO_HUGE) == 0);
	if (tail != 0)
		CHECK(r.result == RES_OK);
	CHECK(proto_canonical(&r));
	free(line);
}

static void
test_proto_names(void)
{
	const char	*s;
	int		 ev;

	for (ev = EVT_NONE + 1; ev < EVT_MAX; ev++) {
		s = proto_event_name(ev);
		CHECK_MSG(strcmp(s, test_proto_event_names[ev]) == 0,
		    "event %d: \"%s\"", ev, s);
		CHECK_MSG((int)proto_event_lookup(test_proto_event_names[ev],
		    strlen(test_proto_event_names[ev])) == ev, "lookup %s", s);
	}
	CHECK(strcmp(proto_event_name(EVT_NONE), "unknown") == 0);
	CHECK(strcmp(proto_event_name(EVT_MAX), "unknown") == 0);
	CHECK(proto_event_lookup("", 0) == EVT_NONE);
	CHECK(proto_event_lookup("tx-mailXX", 7) == EVT_TX_MAIL);
	CHECK(proto_event_lookup("tx-mai", 6) == EVT_NONE);
	CHECK(proto_event_lookup("link-connectx", 13) == EVT_NONE);
	CHECK(proto_event_lookup("TIMEOUT", 7) == EVT_NONE);
	CHECK(proto_event_lookup("unknown", 7) == EVT_NONE);
	for (ev = PROTO_OK; ev <= PROTO_ENUL; ev++)
		CHECK(strcmp(proto_strerror(ev), "unknown error") != 0);
	CHECK(strcmp(proto_strerror(-1), "unknown error") == 0);
	CHECK(strcmp(proto_strerror(PROTO_ENUL + 1), "unknown error") == 0);
	CHECK(strcmp(proto_result_name(RES_OK), "ok") == 0);
	CHECK(strcmp(proto_result_name(RES_TEMPFAIL), "tempfail") == 0);
	CHECK(strcmp(proto_result_name(RES_PERMFAIL), "permfail") == 0);
	CHECK(strcmp(proto_result_name(RES_ERROR), "error") == 0);
	CHECK(proto_result_name(RES_NONE) == NULL);
}

static void
test_proto_secret(void)
{
	const struct test_proto_secret *t;
	size_t	i, off;
	int	rv;

	for (i = 0; i < sizeof(test_proto_secrets) /
	    sizeof(test_proto_secrets[0]); i++) {
		t = &test_proto_secrets[i];
		off = (size_t)-1;
		rv = proto_secret(t->line, strlen(t->line), t->authing, &off);
		CHECK_MSG(rv == t->secret, "\"%s\" authing %d: %d",
		    t->line, t->authing, rv);
		if (t->secret)
			CHECK_MSG(off == t->off, "\"%s\": off %zu, want %zu",
			    t->line, off, t->off);
	}
}

/* The kind kept in event.k comes apart into what made it. */
static void
test_proto_kind(void)
{
	struct report	r;
	int		ev, dir, minor, ok = 1;

	memset(&r, 0, sizeof(r));
	for (r.minor = 4; r.minor <= 7; r.minor++)
		for (r.dir = DIR_IN; r.dir <= DIR_OUT; r.dir++)
			for (r.event = EVT_NONE + 1; r.event < EVT_MAX;
			    r.event++) {
				proto_kind_split(proto_kind(&r), &ev, &dir,
				    &minor);
				if (ev != (int)r.event || dir != (int)r.dir ||
				    minor != r.minor)
					ok = 0;
			}
	CHECK(ok);
	r.event = EVT_TX_RCPT;
	r.dir = DIR_OUT;
	r.minor = 7;
	CHECK(proto_kind(&r) == 10 + 32 + 64 * 3);
}

int
main(void)
{
	test_proto_events_all();
	test_proto_cases_all();
	test_proto_captures();
	test_proto_huge(EVT_PROTOCOL_CLIENT, IN7("protocol-client") "|",
	    F_TEXT);
	test_proto_huge(EVT_PROTOCOL_SERVER, OUT6("protocol-server") "|",
	    F_TEXT);
	test_proto_huge(EVT_TX_MAIL, IN4("tx-mail") "|756725bd|", F_ADDR);
	test_proto_huge(EVT_LINK_AUTH, IN6("link-auth") "|", F_TEXT);
	test_proto_names();
	test_proto_secret();
	test_proto_kind();
	TEST_END();
}
