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
 * test_proto_events.h: one well-formed line of each event, with the
 * fields its parse must give (test_proto_cases.h holds the rest of the
 * cases and the types and macros used here).
 */
#ifndef TEST_PROTO_EVENTS_H
#define TEST_PROTO_EVENTS_H

static const struct test_proto_event test_proto_events[] = {
	{ EVT_LINK_CONNECT, "link-connect", { .f = { S(F_RDNS, "localhost"),
	    S(F_FCRDNS, "pass"), S(F_SRC, "127.0.0.1:39594"),
	    S(F_DEST, "127.0.0.1:2525") } } },
	{ EVT_LINK_CONNECT, "link-connect", { .f = { S(F_RDNS, "<unknown>"),
	    S(F_FCRDNS, "fail"), S(F_SRC, "[2001:db8::7]:40112"),
	    S(F_DEST, "[2001:db8::1]:25") } } },
	{ EVT_LINK_CONNECT, "link-connect", { .f = {
	    S(F_RDNS, "mail.example.org"), S(F_FCRDNS, "error"),
	    S(F_SRC, "unix:/var/run/smtpd.sock"),
	    S(F_DEST, "unix:/var/run/smtpd.sock") } } },
	{ EVT_LINK_DISCONNECT, "link-disconnect", { .f = { S(0, NULL) } } },
	{ EVT_LINK_GREETING, "link-greeting", { .f = {
	    S(F_TEXT, "lab.test") } } },
	{ EVT_LINK_GREETING, "link-greeting", { .f = { S(F_TEXT, "") } } },
	{ EVT_LINK_GREETING, "link-greeting", { .f = {
	    S(F_TEXT, "odd|banner|") } } },
	{ EVT_LINK_IDENTIFY, "link-identify", { .f = { S(F_METHOD, "EHLO"),
	    S(F_TEXT, "client.test") } } },
	{ EVT_LINK_IDENTIFY, "link-identify", { .f = { S(F_METHOD, "LHLO"),
	    S(F_TEXT, "we|ird|name") } } },
	{ EVT_LINK_TLS, "link-tls", { .f = {
	    S(F_TEXT, "TLSv1.3:TLS_AES_256_GCM_SHA384:256") } } },
	{ EVT_LINK_AUTH, "link-auth", { .f = { S(F_RESULT, "pass"),
	    S(F_TEXT, "labuser") }, .result = RES_OK } },
	{ EVT_LINK_AUTH, "link-auth", { .f = { S(F_RESULT, "fail"),
	    S(F_TEXT, "relayuser") }, .result = RES_PERMFAIL } },
	{ EVT_LINK_AUTH, "link-auth", { .f = { S(F_RESULT, "error"),
	    S(F_TEXT, "user|with|pipes") }, .result = RES_ERROR } },
	{ EVT_LINK_AUTH, "link-auth", { .f = { S(F_RESULT, "pass"),
	    S(F_TEXT, "") }, .result = RES_OK } },
	{ EVT_TX_RESET, "tx-reset", { .f = { S(F_MSGID, "756725bd") },
	    .msgid = 0x756725bd } },
	{ EVT_TX_BEGIN, "tx-begin", { .f = { S(F_MSGID, "9fea1a24") },
	    .msgid = 0x9fea1a24 } },
	{ EVT_TX_MAIL, "tx-mail", { .f = { S(F_MSGID, "756725bd"),
	    S(F_RESULT, "ok"), S(F_ADDR, "alice@sink.test") },
	    .msgid = 0x756725bd, .result = RES_OK } },
	{ EVT_TX_MAIL, "tx-mail", { .f = { S(F_MSGID, "548a447a"),
	    S(F_RESULT, "ok"), S(F_ADDR, "") },
	    .msgid = 0x548a447a, .result = RES_OK } },
	{ EVT_TX_MAIL, "tx-mail", { .f = { S(F_MSGID, "5e170a6f"),
	    S(F_RESULT, "tempfail"), S(F_ADDR, "a|b@example.net") },
	    .msgid = 0x5e170a6f, .result = RES_TEMPFAIL } },
	{ EVT_TX_MAIL, "tx-mail", { .f = { S(F_MSGID, "00000000"),
	    S(F_RESULT, "permfail"), S(F_ADDR, "Bob@Example.NET") },
	    .msgid = 0, .result = RES_PERMFAIL } },
	{ EVT_TX_RCPT, "tx-rcpt", { .f = { S(F_MSGID, "1466b132"),
	    S(F_RESULT, "permfail"), S(F_ADDR, "reject-dave@sink.test") },
	    .msgid = 0x1466b132, .result = RES_PERMFAIL } },
	{ EVT_TX_RCPT, "tx-rcpt", { .f = { S(F_MSGID, "1466b132"),
	    S(F_RESULT, "tempfail"), S(F_ADDR, "x y") },
	    .msgid = 0x1466b132, .result = RES_TEMPFAIL } },
	{ EVT_TX_RCPT, "tx-rcpt", { .f = { S(F_MSGID, "ffffffff"),
	    S(F_RESULT, "ok"), S(F_ADDR, "|") },
	    .msgid = 0xffffffff, .result = RES_OK } },
	{ EVT_TX_ENVELOPE, "tx-envelope", { .f = { S(F_MSGID, "756725bd"),
	    S(F_EVPID, "756725bd52e6b5bc") },
	    .msgid = 0x756725bd, .evpid = 0x756725bd52e6b5bcULL } },
	{ EVT_TX_ENVELOPE, "tx-envelope", { .f = { S(F_MSGID, "ffffffff"),
	    S(F_EVPID, "ffffffffffffffff") },
	    .msgid = 0xffffffff, .evpid = 0xffffffffffffffffULL } },
	{ EVT_TX_DATA, "tx-data", { .f = { S(F_MSGID, "756725bd"),
	    S(F_RESULT, "ok") }, .msgid = 0x756725bd, .result = RES_OK } },
	{ EVT_TX_DATA, "tx-data", { .f = { S(F_MSGID, "9e8fd416"),
	    S(F_RESULT, "tempfail") },
	    .msgid = 0x9e8fd416, .result = RES_TEMPFAIL } },
	{ EVT_TX_COMMIT, "tx-commit", { .f = { S(F_MSGID, "756725bd"),
	    S(F_SIZE, "532") }, .msgid = 0x756725bd, .size = 532 } },
	{ EVT_TX_COMMIT, "tx-commit", { .f = { S(F_MSGID, "756725bd"),
	    S(F_SIZE, "0") }, .msgid = 0x756725bd, .size = 0 } },
	{ EVT_TX_COMMIT, "tx-commit", { .f = { S(F_MSGID, "756725bd"),
	    S(F_SIZE, "999999999999999999") }, .msgid = 0x756725bd,
	    .size = 999999999999999999LL } },
	{ EVT_TX_ROLLBACK, "tx-rollback", { .f = { S(F_MSGID, "7b132086") },
	    .msgid = 0x7b132086 } },
	{ EVT_PROTOCOL_CLIENT, "protocol-client", { .f = {
	    S(F_TEXT, "MAIL FROM:<alice@sink.test>") } } },
	{ EVT_PROTOCOL_CLIENT, "protocol-client", { .f = {
	    S(F_TEXT, "AUTH PLAIN ********") } } },
	{ EVT_PROTOCOL_CLIENT, "protocol-client", { .f = {
	    S(F_TEXT, "caf\xc3\xa9 \xff\xfe|\x1b[2J\r") } } },
	{ EVT_PROTOCOL_SERVER, "protocol-server", { .f = { S(F_TEXT,
	    "250-lab.test Hello client.test [127.0.0.1], pleased to meet you")
	    } } },
	{ EVT_PROTOCOL_SERVER, "protocol-server", { .f = {
	    S(F_TEXT, "550 a|b||c|") } } },
	{ EVT_PROTOCOL_SERVER, "protocol-server", { .f = { S(F_TEXT, "") } } },
	{ EVT_FILTER_REPORT, "filter-report", { .f = { S(F_KIND, "builtin"),
	    S(F_NAME, "check-rdns"), S(F_TEXT, "no rDNS") } } },
	{ EVT_FILTER_REPORT, "filter-report", { .f = { S(F_KIND, "proc"),
	    S(F_NAME, "rspamd"), S(F_TEXT, "a|b|c") } } },
	{ EVT_FILTER_RESPONSE, "filter-response", { .f = {
	    S(F_PHASE, "connected"), S(F_RESPONSE, "proceed") } } },
	{ EVT_FILTER_RESPONSE, "filter-response", { .f = {
	    S(F_PHASE, "rcpt-to"), S(F_RESPONSE, "reject"),
	    S(F_PARAM, "550 no such user") } } },
	{ EVT_FILTER_RESPONSE, "filter-response", { .f = {
	    S(F_PHASE, "data-line"), S(F_RESPONSE, "rewrite"),
	    S(F_PARAM, "a|b|c") } } },
	{ EVT_FILTER_RESPONSE, "filter-response", { .f = {
	    S(F_PHASE, "mail-from"), S(F_RESPONSE, "report"),
	    S(F_PARAM, "") } } },
	{ EVT_TIMEOUT, "timeout", { .f = { S(0, NULL) } } },
};

#endif
