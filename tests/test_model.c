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
 * test_model.c: the pure parts of the read model: query terms and what
 * they match, the names of results, the events a life keeps
 * (test_step.c has its steps and their printers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "test.h"

#define SEC	1000000LL
#define NOW	(1795464487LL * SEC)	/* 2026-11-23T20:08:07Z */

static void	test_terms(void);
static void	test_bad_terms(void);
static void	test_ip(void);
static void	test_session_only(void);
static void	test_alone(void);
static void	test_names(void);
static void	test_select_out(void);
static void	test_select_in(void);

/* Do the terms (one string, split at spaces) hold for facts f? */
static int
holds(const char *terms, const struct model_facts *f)
{
	struct model_query	 q;
	const char		*bad;
	char			 buf[256], *argv[8], *p;
	int			 argc = 0;

	strlcpy(buf, terms, sizeof(buf));
	for (p = strtok(buf, " "); p != NULL && argc < 8; p = strtok(NULL, " "))
		argv[argc++] = p;
	if (model_query_parse(&q, argc, argv, NOW, &bad) == -1)
		return -1;
	return model_query_match(&q, f);
}

static int
parse1(const char *s, struct model_term *t)
{
	struct model_query	 q;
	const char		*bad;
	char			*argv[1];

	argv[0] = (char *)(uintptr_t)s;
	if (model_query_parse(&q, 1, argv, NOW, &bad) == -1)
		return -1;
	*t = q.terms[0];
	return 0;
}

static void
test_terms(void)
{
	struct model_term	t;
	struct model_facts	f;

	CHECK(parse1("1466b132e53384c3", &t) == 0 && t.kind == TERM_ID16 &&
	    t.id == 0x1466b132e53384c3ULL);
	CHECK(parse1("1466B132", &t) == 0 && t.kind == TERM_MSGID &&
	    t.id == 0x1466b132);
	CHECK(parse1("to:bob@example.org", &t) == 0 && t.kind == TERM_TO &&
	    !t.domain && strcmp(t.s, "bob@example.org") == 0);
	CHECK(parse1("from:@Example.org", &t) == 0 && t.kind == TERM_FROM &&
	    t.domain);
	CHECK(parse1("from:<>", &t) == 0 && t.kind == TERM_FROM &&
	    *t.s == '\0');
	CHECK(parse1("ip:127.0.0.1", &t) == 0 && t.kind == TERM_IP);
	CHECK(parse1("helo:client.test", &t) == 0 && t.kind == TERM_HELO);
	CHECK(parse1("status:Deferred", &t) == 0 && t.kind == TERM_STATUS &&
	    t.status == LIFE_DEFERRED);
	CHECK(parse1("since:2h", &t) == 0 && t.kind == TERM_SINCE &&
	    t.t == NOW - 7200 * SEC);
	CHECK(parse1("until:1d", &t) == 0 && t.kind == TERM_UNTIL &&
	    t.t == NOW - 86400 * SEC);
	memset(&f, 0, sizeof(f));
	f.mail_from = "Bob@Example.ORG";
	CHECK(holds("from:bob@example.org", &f) == 1);
	f.mail_from = "bob@example.org";
	CHECK(holds("from:@EXAMPLE.org", &f) == 1);
	f.mail_from = "bob@notexample.org";
	CHECK(holds("from:@example.org", &f) == 0);
	f.mail_from = NULL;
	CHECK(holds("from:@example.org", &f) == 0);
}

static void
test_bad_terms(void)
{
	struct model_query	 q;
	struct model_term	 t;
	const char		*bad = NULL;
	char			 a0[] = "to:a@b", a1[] = "xyz", a2[] = "since:1h";
	char			*argv[3] = { a0, a1, a2 };

	CHECK(model_query_parse(&q, 3, argv, NOW, &bad) == -1 &&
	    bad == argv[1]);
	CHECK(parse1("1466b13", &t) == -1);
	CHECK(parse1("1466b132e53384c3z", &t) == -1);
	CHECK(parse1("to:", &t) == -1);
	CHECK(parse1("to:@", &t) == -1);
	CHECK(parse1("status:lost", &t) == -1);
	CHECK(parse1("since:", &t) == -1);
	CHECK(parse1("since:yesterday", &t) == -1);
	CHECK(parse1("since:2h5", &t) == -1);
	CHECK(parse1("color:red", &t) == -1);
	CHECK(parse1("ip:10.0.0.%", &t) == -1);
	CHECK(parse1("ip:::1", &t) == 0 && t.kind == TERM_IP);
	CHECK(parse1("ip:[::1]", &t) == 0 && t.kind == TERM_IP);
	CHECK(parse1("ip:[::1]:25", &t) == 0 && t.kind == TERM_IP);
	CHECK(parse1("ip:192.0.2.1:25", &t) == 0 && t.kind == TERM_IP);
	CHECK(parse1("ip:[::1", &t) == -1);
	CHECK(parse1("ip:[::1]x", &t) == -1);
	CHECK(parse1("ip:[]", &t) == -1);
	CHECK(parse1("ip:192.0.2.1:", &t) == -1);
	CHECK(parse1("ip:192.0.2.1:smtp", &t) == -1);
	CHECK(parse1("ip:999.1.1.1", &t) == -1);	/* no such host */
	CHECK(parse1("ip:192.0.2", &t) == -1);
	CHECK(parse1("ip:192.0.2.1.5", &t) == -1);
	CHECK(parse1("ip:192.0.2.1:65535", &t) == 0);
	CHECK(parse1("ip:192.0.2.1:65536", &t) == -1);
	CHECK(parse1("ip:[::1]:123456", &t) == -1);
	CHECK(parse1("ip:2001:db8::1", &t) == 0);
	CHECK(parse1("ip:2001:db8:::1", &t) == -1);
}

/*
 * ip: the client's address or a relay's, with a port or without one,
 * IPv6 in brackets or not; with a port in the term, that port only.
 */
static void
test_ip(void)
{
	struct model_facts	f;
	struct model_session	in;
	struct model_attempt	a;
	struct model_query	q;

	memset(&f, 0, sizeof(f));
	memset(&in, 0, sizeof(in));
	memset(&a, 0, sizeof(a));
	f.in = &in;
	in.src = "127.0.0.1:39594";
	CHECK(holds("ip:127.0.0.1", &f) == 1);
	CHECK(holds("ip:127.0.0.1:39594", &f) == 1);
	CHECK(holds("ip:127.0.0.1:39595", &f) == 0);
	CHECK(holds("ip:127.0.0.10", &f) == 0);
	CHECK(holds("ip:127.0.0", &f) == -1);	/* no prefix: no address */
	in.src = "127.0.0.1";		/* an address without a port */
	CHECK(holds("ip:127.0.0.1", &f) == 1);
	CHECK(holds("ip:127.0.0.1:25", &f) == 0);
	in.src = "[2001:DB8::1]:25";
	CHECK(holds("ip:2001:db8::1", &f) == 1);
	CHECK(holds("ip:[2001:db8::1]", &f) == 1);
	CHECK(holds("ip:[2001:db8::1]:25", &f) == 1);
	CHECK(holds("ip:[2001:db8::1]:26", &f) == 0);
	CHECK(holds("ip:2001:db8::", &f) == 0);
	in.src = "::1";
	CHECK(holds("ip:::1", &f) == 1 && holds("ip:[::1]", &f) == 1);
	/* A local socket is no address; a relay is. */
	in.src = "unix:/var/run/smtpd.sock";
	memset(&q, 0, sizeof(q));
	q.n = 1;
	q.terms[0].kind = TERM_IP;
	q.terms[0].s = "x";
	CHECK(model_query_match(&q, &f) == 0);
	CHECK(holds("ip:127.0.0.1", &f) == 0);
	a.session.dest = "192.0.2.7:25";
	f.attempts = &a;
	f.nattempts = 1;
	CHECK(holds("ip:192.0.2.7", &f) == 1);
	CHECK(holds("ip:192.0.2.7:25 ip:192.0.2.7", &f) == 1);
	/* Without an smtp-in session, not its client. */
	in.src = "192.0.2.9:4444";
	f.in = NULL;
	CHECK(holds("ip:192.0.2.9", &f) == 0);
}

/* A session alone: the terms about mail hold, the others decide. */
static void
test_session_only(void)
{
	struct model_facts	f;
	struct model_session	s;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	s.sid = 0x6d45c9244db742cdULL;
	s.helo = "Client.Test";
	f.in = &s;
	f.status = -1;
	f.t = NOW;
	CHECK(holds("from:a@b status:failed 1466b132", &f) == 0);
	f.session_only = 1;
	CHECK(holds("from:a@b status:failed 1466b132", &f) == 1);
	CHECK(holds("6d45c9244db742cd helo:client.test since:1h", &f) == 1);
	CHECK(holds("6d45c9244db742ce", &f) == 0);
	CHECK(holds("helo:other.test", &f) == 0);
}

/*
 * A session with no life of its own: its refused sender, its outcome
 * (outcome:, status:refused); nothing about a message holds.  A life
 * holds outcome: by its sessions, status:refused when rejected.
 */
static void
test_alone(void)
{
	struct model_facts	f;
	struct model_session	s;
	struct model_attempt	a;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	s.sid = 0xec419ef3b6c91bcaULL;
	s.src = "127.0.0.1:57500";
	s.outcome = "refused-mail";
	f.alone = 1;
	f.in = &s;
	f.mail_from = "spammer@sink.test";
	f.status = -1;
	f.t = NOW;
	CHECK(holds("from:SPAMMER@sink.test ec419ef3b6c91bca", &f) == 1);
	CHECK(holds("from:@sink.test ip:127.0.0.1 since:1h", &f) == 1);
	CHECK(holds("outcome:refused-mail", &f) == 1);
	CHECK(holds("outcome:refused status:refused", &f) == 1);
	CHECK(holds("outcome:refused-rcpt", &f) == 0);
	CHECK(holds("status:rejected", &f) == 0);
	CHECK(holds("to:spammer@sink.test", &f) == 0);
	CHECK(holds("b6c91bca", &f) == 0);
	CHECK(holds("outcome:nonsense", &f) == -1);
	CHECK(holds("status:nonsense", &f) == -1);
	s.outcome = "tls-failed";
	CHECK(holds("outcome:tls-failed", &f) == 1);
	CHECK(holds("status:refused", &f) == 0);
	CHECK(holds("outcome:refused", &f) == 0);
	/* a life: rejected for status:refused, outcome: by its sessions */
	memset(&a, 0, sizeof(a));
	a.session.outcome = "auth-failed";
	f.alone = 0;
	f.status = LIFE_REJECTED;
	f.attempts = &a;
	f.nattempts = 1;
	CHECK(holds("status:refused status:rejected", &f) == 1);
	CHECK(holds("outcome:tls-failed outcome:auth-failed", &f) == 1);
	CHECK(holds("outcome:mail", &f) == 0);
	f.status = LIFE_DELIVERED;
	CHECK(holds("status:refused", &f) == 0);
	/* the TUI's session list: an outcome it does not say holds */
	f.session_only = 1;
	s.outcome = NULL;
	f.nattempts = 0;
	CHECK(holds("outcome:refused-helo", &f) == 1);
}

/* The names the read model gives results, sources and outcomes. */
static void
test_names(void)
{
	CHECK(model_result_name(MODEL_PENDING) == NULL);
	CHECK(strcmp(model_result_name(MODEL_TEMPFAIL), "tempfail") == 0);
	CHECK(strcmp(model_source_name(MODEL_SRC_MAILLOG), "maillog") == 0);
	CHECK(strcmp(model_outcome_name(MODEL_OC_EXPIRE), "expire") == 0);
}

/* An event for the selection tests: kind, msgid (0: none), text. */
static struct model_event
ev(int id, enum proto_event kind, uint32_t msgid, const char *text)
{
	struct model_event	e;

	memset(&e, 0, sizeof(e));
	e.id = id;
	e.t = id;
	e.event = kind;
	e.has_msgid = msgid != 0;
	e.msgid = msgid;
	e.text = text;
	e.len = strlen(text);
	return e;
}

/* A reused smtp-out session: two messages and a refused MAIL FROM. */
static void
test_select_out(void)
{
	struct model_event	e[32];
	char			keep[32], want[64];
	size_t			n = 0, i;

	e[n++] = ev(1, EVT_LINK_CONNECT, 0, "h|pass|a:1|b:2");	/* conn */
	e[n++] = ev(2, EVT_PROTOCOL_CLIENT, 0, "EHLO vm");	/* conn */
	e[n++] = ev(3, EVT_PROTOCOL_CLIENT, 0, "MAIL FROM:<a@x>");	/* A */
	e[n++] = ev(4, EVT_TX_BEGIN, 0xaa, "");
	e[n++] = ev(5, EVT_PROTOCOL_CLIENT, 0, "RCPT TO:<b@y>");	/* other */
	e[n++] = ev(6, EVT_TX_ENVELOPE, 0xaa, "000000aa00000001");
	e[n++] = ev(7, EVT_PROTOCOL_SERVER, 0, "550 no");
	e[n++] = ev(8, EVT_TX_ROLLBACK, 0xaa, "");
	e[n++] = ev(9, EVT_TX_RESET, 0xaa, "");
	e[n++] = ev(10, EVT_TX_RCPT, 0xaa, "permfail|b@y");
	e[n++] = ev(11, EVT_PROTOCOL_CLIENT, 0, "RCPT TO:<c@y>");	/* mine */
	e[n++] = ev(12, EVT_TX_ENVELOPE, 0xaa, "000000aa00000002");
	e[n++] = ev(13, EVT_PROTOCOL_SERVER, 0, "250 ok");
	e[n++] = ev(14, EVT_PROTOCOL_CLIENT, 0, "DATA");	/* A */
	e[n++] = ev(15, EVT_TX_COMMIT, 0xaa, "544");
	e[n++] = ev(16, EVT_TX_RESET, 0xaa, "");
	e[n++] = ev(17, EVT_PROTOCOL_CLIENT, 0, "MAIL FROM:<z@x>");	/* B */
	e[n++] = ev(18, EVT_TX_BEGIN, 0xbb, "");
	e[n++] = ev(19, EVT_PROTOCOL_CLIENT, 0, "RCPT TO:<d@y>");
	e[n++] = ev(20, EVT_TX_ENVELOPE, 0xbb, "000000bb00000001");
	e[n++] = ev(21, EVT_PROTOCOL_CLIENT, 0, "MAIL FROM:<r@x>");	/* R */
	e[n++] = ev(22, EVT_PROTOCOL_SERVER, 0, "550 sender rejected");
	e[n++] = ev(23, EVT_PROTOCOL_CLIENT, 0, "RSET");
	e[n++] = ev(24, EVT_PROTOCOL_CLIENT, 0, "QUIT");	/* conn */
	e[n++] = ev(25, EVT_LINK_DISCONNECT, 0, "");		/* conn */

	model_events_select(e, n, DIR_OUT, 0xaa, 0xaa00000002ULL, 0, 0, keep);
	for (i = 0; i < n; i++)
		want[i] = '0' + keep[i];
	want[n] = '\0';
	CHECK_MSG(strcmp(want, "1111000000111111000000011") == 0, "%s",
	    want);
	/* b@y, refused while c@y was accepted: DATA on is c@y's. */
	model_events_select(e, n, DIR_OUT, 0xaa, 0xaa00000001ULL, 0, 0, keep);
	for (i = 0; i < n; i++)
		want[i] = '0' + keep[i];
	CHECK_MSG(strcmp(want, "1111111111000222000000011") == 0, "%s",
	    want);
	/* The refused MAIL FROM, given to a life: that segment only. */
	model_events_select(e, n, DIR_OUT, 0xcc, 0xcc00000001ULL, 0, 21,
	    keep);
	for (i = 0; i < n; i++)
		want[i] = keep[i] ? '1' : '0';
	CHECK_MSG(strcmp(want, "1100000000000000000011111") == 0, "%s",
	    want);
}

/* smtp-in: a failed MAIL FROM, then one message with two recipients. */
static void
test_select_in(void)
{
	struct model_event	e[20];
	char			keep[20], want[32];
	size_t			n = 0, i;

	e[n++] = ev(1, EVT_PROTOCOL_CLIENT, 0, "EHLO c");		/* conn */
	e[n++] = ev(2, EVT_PROTOCOL_CLIENT, 0, "MAIL FROM:<bad x>");
	e[n++] = ev(3, EVT_PROTOCOL_SERVER, 0, "553 syntax");
	e[n++] = ev(4, EVT_PROTOCOL_CLIENT, 0, "MAIL FROM:<a@x>");	/* M */
	e[n++] = ev(5, EVT_TX_BEGIN, 0xaa, "");
	e[n++] = ev(6, EVT_PROTOCOL_CLIENT, 0, "RCPT TO:<no@y>");	/* rej */
	e[n++] = ev(7, EVT_PROTOCOL_SERVER, 0, "550 no");
	e[n++] = ev(8, EVT_TX_RCPT, 0xaa, "permfail|no@y");
	e[n++] = ev(9, EVT_PROTOCOL_CLIENT, 0, "RCPT TO:<b@y>");	/* evp */
	e[n++] = ev(10, EVT_TX_ENVELOPE, 0xaa, "000000aa00000001");
	e[n++] = ev(11, EVT_PROTOCOL_SERVER, 0, "250 ok");
	e[n++] = ev(12, EVT_TX_RCPT, 0xaa, "ok|b@y");
	e[n++] = ev(13, EVT_PROTOCOL_CLIENT, 0, "DATA");	/* b@y's */
	e[n++] = ev(14, EVT_TX_COMMIT, 0xaa, "544");
	e[n++] = ev(15, EVT_TX_RESET, 0xaa, "");
	e[n++] = ev(16, EVT_PROTOCOL_CLIENT, 0, "QUIT");	/* conn */

	model_events_select(e, n, DIR_IN, 0xaa, 0xaa00000001ULL, 0, 0, keep);
	for (i = 0; i < n; i++)
		want[i] = '0' + keep[i];
	want[n] = '\0';
	CHECK_MSG(strcmp(want, "1001100011111111") == 0, "%s", want);
	/*
	 * The rejected recipient (its tx-rcpt at t = 8): after its
	 * refusal, DATA and the commit are the other recipient's.
	 */
	model_events_select(e, n, DIR_IN, 0xaa, 0, 8, 0, keep);
	for (i = 0; i < n; i++)
		want[i] = '0' + keep[i];
	CHECK_MSG(strcmp(want, "1001111100002221") == 0, "%s", want);
	/* Refused alone: what follows is its own. */
	e[10] = ev(11, EVT_PROTOCOL_SERVER, 0, "550 no");
	model_events_select(e, n, DIR_IN, 0xaa, 0, 8, 0, keep);
	for (i = 0; i < n; i++)
		want[i] = '0' + keep[i];
	CHECK_MSG(strcmp(want, "1001111100001111") == 0, "%s", want);
}

int
main(void)
{
	test_terms();
	test_bad_terms();
	test_ip();
	test_session_only();
	test_alone();
	test_names();
	test_select_out();
	test_select_in();
	TEST_END();
}
