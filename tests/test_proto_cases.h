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
 * test_proto_cases.h: the case tables of test_proto.c: lines for every
 * event and version, edge cases, real captured lines, AUTH secrets.
 * Included by test_proto.c only.
 */
#ifndef TEST_PROTO_CASES_H
#define TEST_PROTO_CASES_H

#define T_SID		"3563dfd4055bb886"
#define T_SIDV		0x3563dfd4055bb886ULL
#define T_TIME		"1795464473.583747"
#define T_TIMEV		1795464473583747LL
#define HDR(v, d, e)	"report|" v "|" T_TIME "|" d "|" e "|" T_SID
#define IN4(e)		HDR("0.4", "smtp-in", e)
#define IN5(e)		HDR("0.5", "smtp-in", e)
#define IN6(e)		HDR("0.6", "smtp-in", e)
#define IN7(e)		HDR("0.7", "smtp-in", e)
#define OUT6(e)		HDR("0.6", "smtp-out", e)
#define OUT7(e)		HDR("0.7", "smtp-out", e)
#define HDRTIME(t)	"report|0.6|" t "|smtp-in|link-disconnect|" T_SID

/* Expected header of a line that gets past proto_header(). */
#define WANT(rc, m, d, e) .rv = (rc), .minor = (m), .dir = (d),	\
	.ev = (e), .session = T_SIDV, .time = T_TIMEV
#define OK(m, d, e)	WANT(PROTO_OK, m, d, e)
#define BAD(rc)		.rv = (rc)
#define NUL_LINE(s)	.line = (s), .len = sizeof(s) - 1
#define S(slot, val)	{ (slot), (val) }

#define TEST_PROTO_SLOTS	4
#define TEST_PROTO_LINE_MAX	512
#define TEST_PROTO_SHOW_MAX	160
#define TEST_PROTO_HUGE		(1024 * 1024)

struct test_proto_slot {
	enum proto_field	 slot;
	const char		*val;
};

/* What the fields of a successful parse must be; slots not listed absent. */
struct test_proto_want {
	struct test_proto_slot	 f[TEST_PROTO_SLOTS + 1];	/* val NULL ends */
	uint32_t		 msgid;
	uint64_t		 evpid;
	int64_t			 size;
	enum proto_result	 result;
};

/* One line, taken as it is. */
struct test_proto_case {
	const char		*line;
	size_t			 len;		/* 0: strlen(line) */
	int			 rv;
	int			 minor;		/* 0: header not checked */
	enum proto_dir		 dir;
	enum proto_event	 ev;
	uint64_t		 session;
	int64_t			 time;
	int			 noncanon;	/* parses, not canonical */
	struct test_proto_want	 w;
};

/*
 * One event, turned into a line for every version and both subsystems.
 * The fields are in 0.7 wire order; test_proto_wire() moves them for
 * older versions.
 */
struct test_proto_event {
	enum proto_event	 ev;
	const char		*name;
	struct test_proto_want	 w;
};

struct test_proto_secret {
	const char	*line;
	int		 authing;
	int		 secret;
	size_t		 off;
};

static const char *const test_proto_slot_names[F_MAX] = {
	"F_MSGID", "F_RESULT", "F_ADDR", "F_EVPID", "F_SIZE", "F_RDNS",
	"F_FCRDNS", "F_SRC", "F_DEST", "F_TEXT", "F_METHOD", "F_PHASE",
	"F_RESPONSE", "F_PARAM", "F_KIND", "F_NAME",
};

/* In enum order: proto.h's list, written out again. */
static const char *const test_proto_event_names[EVT_MAX] = {
	"", "link-connect", "link-disconnect", "link-greeting",
	"link-identify", "link-tls", "link-auth", "tx-reset", "tx-begin",
	"tx-mail", "tx-rcpt", "tx-envelope", "tx-data", "tx-commit",
	"tx-rollback", "protocol-client", "protocol-server", "filter-report",
	"filter-response", "timeout",
};

#include "test_proto_events.h"

static const struct test_proto_case test_proto_cases[] = {
	/* 0.4/0.5: result last in tx-mail/tx-rcpt, address in between. */
	{ .line = IN4("tx-mail") "|5e170a6f|a|b@example.net|ok",
	    OK(4, DIR_IN, EVT_TX_MAIL), .w = { .f = {
	    S(F_MSGID, "5e170a6f"), S(F_ADDR, "a|b@example.net"),
	    S(F_RESULT, "ok") }, .msgid = 0x5e170a6f, .result = RES_OK } },
	{ .line = IN5("tx-rcpt") "|5e170a6f|user@example.org|ok",
	    OK(5, DIR_IN, EVT_TX_RCPT), .w = { .f = {
	    S(F_MSGID, "5e170a6f"), S(F_ADDR, "user@example.org"),
	    S(F_RESULT, "ok") }, .msgid = 0x5e170a6f, .result = RES_OK } },
	{ .line = IN4("tx-mail") "|548a447a||ok",
	    OK(4, DIR_IN, EVT_TX_MAIL), .w = { .f = {
	    S(F_MSGID, "548a447a"), S(F_ADDR, ""), S(F_RESULT, "ok") },
	    .msgid = 0x548a447a, .result = RES_OK } },
	{ .line = IN4("tx-rcpt") "|548a447a|x|ok|ok",
	    OK(4, DIR_IN, EVT_TX_RCPT), .w = { .f = {
	    S(F_MSGID, "548a447a"), S(F_ADDR, "x|ok"), S(F_RESULT, "ok") },
	    .msgid = 0x548a447a, .result = RES_OK } },
	{ .line = IN4("tx-mail") "|5e170a6f|ok|alice@example.org",
	    WANT(PROTO_EVALUE, 4, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN4("tx-mail") "|548a447a|ok",
	    WANT(PROTO_EFIELDS, 4, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN4("tx-mail") "|548a447a|",
	    WANT(PROTO_EFIELDS, 4, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN4("tx-mail") "|548a447a",
	    WANT(PROTO_EFIELDS, 4, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN4("tx-mail") "|548a447a|alice@x|",
	    WANT(PROTO_EVALUE, 4, DIR_IN, EVT_TX_MAIL) },
	/* 0.6+: result second, address rest of line. */
	{ .line = IN6("tx-mail") "|9e8fd416|tempfail|alice@example.org",
	    OK(6, DIR_IN, EVT_TX_MAIL), .w = { .f = {
	    S(F_MSGID, "9e8fd416"), S(F_RESULT, "tempfail"),
	    S(F_ADDR, "alice@example.org") },
	    .msgid = 0x9e8fd416, .result = RES_TEMPFAIL } },
	{ .line = OUT6("tx-mail") "|548a447a|ok|",
	    OK(6, DIR_OUT, EVT_TX_MAIL), .w = { .f = {
	    S(F_MSGID, "548a447a"), S(F_RESULT, "ok"), S(F_ADDR, "") },
	    .msgid = 0x548a447a, .result = RES_OK } },
	{ .line = IN7("tx-rcpt") "|9fea1a24|ok|a|b|",
	    OK(7, DIR_IN, EVT_TX_RCPT), .w = { .f = {
	    S(F_MSGID, "9fea1a24"), S(F_RESULT, "ok"), S(F_ADDR, "a|b|") },
	    .msgid = 0x9fea1a24, .result = RES_OK } },
	{ .line = IN6("tx-mail") "|9e8fd416|alice@example.org|ok",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN6("tx-mail") "|548a447a|ok",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN7("tx-rcpt") "|548a447a",
	    WANT(PROTO_EFIELDS, 7, DIR_IN, EVT_TX_RCPT) },
	/* link-auth: username|result up to 0.6, result|username in 0.7. */
	{ .line = IN6("link-auth") "|alice|pass",
	    OK(6, DIR_IN, EVT_LINK_AUTH), .w = { .f = { S(F_TEXT, "alice"),
	    S(F_RESULT, "pass") }, .result = RES_OK } },
	{ .line = IN6("link-auth") "|user|with|pipes|fail",
	    OK(6, DIR_IN, EVT_LINK_AUTH), .w = { .f = {
	    S(F_TEXT, "user|with|pipes"), S(F_RESULT, "fail") },
	    .result = RES_PERMFAIL } },
	{ .line = IN7("link-auth") "|pass|user|with|pipes",
	    OK(7, DIR_IN, EVT_LINK_AUTH), .w = { .f = { S(F_RESULT, "pass"),
	    S(F_TEXT, "user|with|pipes") }, .result = RES_OK } },
	{ .line = OUT7("link-auth") "|pass|relayuser",
	    OK(7, DIR_OUT, EVT_LINK_AUTH), .w = { .f = { S(F_RESULT, "pass"),
	    S(F_TEXT, "relayuser") }, .result = RES_OK } },
	{ .line = IN4("link-auth") "|bob|error",
	    OK(4, DIR_IN, EVT_LINK_AUTH), .w = { .f = { S(F_TEXT, "bob"),
	    S(F_RESULT, "error") }, .result = RES_ERROR } },
	{ .line = OUT7("link-auth") "|relayuser|pass",
	    WANT(PROTO_EVALUE, 7, DIR_OUT, EVT_LINK_AUTH) },
	{ .line = IN6("link-auth") "|pass|alice",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_LINK_AUTH) },
	{ .line = IN4("link-auth") "|pass",
	    WANT(PROTO_EFIELDS, 4, DIR_IN, EVT_LINK_AUTH) },
	{ .line = IN7("link-auth") "|pass",
	    WANT(PROTO_EFIELDS, 7, DIR_IN, EVT_LINK_AUTH) },
	{ .line = IN6("link-auth"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_AUTH) },
	{ .line = IN7("link-auth") "|PASS|bob",
	    WANT(PROTO_EVALUE, 7, DIR_IN, EVT_LINK_AUTH) },
	/* filter-response: the parameter is optional and free. */
	{ .line = IN6("filter-response") "|connected|proceed",
	    OK(6, DIR_IN, EVT_FILTER_RESPONSE), .w = { .f = {
	    S(F_PHASE, "connected"), S(F_RESPONSE, "proceed") } } },
	{ .line = IN6("filter-response") "|rcpt-to|reject|550 no such user",
	    OK(6, DIR_IN, EVT_FILTER_RESPONSE), .w = { .f = {
	    S(F_PHASE, "rcpt-to"), S(F_RESPONSE, "reject"),
	    S(F_PARAM, "550 no such user") } } },
	{ .line = IN7("filter-response") "|mail-from|report|spf=softfail",
	    OK(7, DIR_IN, EVT_FILTER_RESPONSE), .w = { .f = {
	    S(F_PHASE, "mail-from"), S(F_RESPONSE, "report"),
	    S(F_PARAM, "spf=softfail") } } },
	{ .line = IN4("filter-response") "|data|rewrite|x|y",
	    OK(4, DIR_IN, EVT_FILTER_RESPONSE), .w = { .f = {
	    S(F_PHASE, "data"), S(F_RESPONSE, "rewrite"),
	    S(F_PARAM, "x|y") } } },
	{ .line = IN6("filter-response") "|connected",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_FILTER_RESPONSE) },
	{ .line = IN6("filter-response"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_FILTER_RESPONSE) },
	/* Events without parameters take no trailing '|'. */
	{ .line = IN6("link-disconnect"), OK(6, DIR_IN, EVT_LINK_DISCONNECT) },
	{ .line = IN6("link-disconnect") "|x",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_DISCONNECT) },
	{ .line = IN6("link-disconnect") "|",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_DISCONNECT) },
	{ .line = OUT7("timeout"), OK(7, DIR_OUT, EVT_TIMEOUT) },
	{ .line = OUT7("timeout") "|x",
	    WANT(PROTO_EFIELDS, 7, DIR_OUT, EVT_TIMEOUT) },
	{ .line = IN4("timeout") "|",
	    WANT(PROTO_EFIELDS, 4, DIR_IN, EVT_TIMEOUT) },
	/* Missing and extra fields. */
	{ .line = IN6("link-connect") "|localhost|pass|127.0.0.1:1",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_CONNECT) },
	{ .line = IN6("link-connect") "|a|pass|127.0.0.1:1|127.0.0.1:2|x",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_CONNECT) },
	{ .line = IN6("link-connect") "|a|pass|127.0.0.1:1|127.0.0.1:2|",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_CONNECT) },
	{ .line = IN6("link-connect"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_CONNECT) },
	{ .line = IN6("tx-begin"), WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-begin") "|756725bd|x",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-reset") "|",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_RESET) },
	{ .line = IN6("tx-envelope") "|756725bd",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-envelope") "|756725bd|756725bd52e6b5bc|x",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-commit") "|756725bd",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-data") "|756725bd",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_DATA) },
	{ .line = IN6("tx-rollback") "|756725bd|ok",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_TX_ROLLBACK) },
	{ .line = IN6("link-greeting"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_GREETING) },
	{ .line = IN6("link-identify") "|EHLO",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_IDENTIFY) },
	{ .line = IN6("link-tls"), WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_LINK_TLS) },
	{ .line = IN6("protocol-client"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_PROTOCOL_CLIENT) },
	{ .line = IN6("protocol-server"),
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_PROTOCOL_SERVER) },
	{ .line = IN6("filter-report") "|builtin|check-rdns",
	    WANT(PROTO_EFIELDS, 6, DIR_IN, EVT_FILTER_REPORT) },
	/* Unknown events. */
	{ .line = IN6("link-foo"), BAD(PROTO_EEVENT) },
	{ .line = IN6("LINK-CONNECT") "|a|pass|b|c", BAD(PROTO_EEVENT) },
	{ .line = IN6("tx-mail ") "|756725bd|ok|a", BAD(PROTO_EEVENT) },
	{ .line = IN6("link") "|x", BAD(PROTO_EEVENT) },
	{ .line = IN6(""), BAD(PROTO_EEVENT) },
	{ .line = "report|0.6|" T_TIME "|smtp-in", BAD(PROTO_EEVENT) },
	/* Unknown versions. */
	{ .line = HDR("0.3", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0.8", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("1", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0.10", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0.0", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0.9", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0,6", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("1.6", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("0.6.1", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = HDR("", "smtp-in", "timeout"), BAD(PROTO_EVERSION) },
	{ .line = "report|", BAD(PROTO_EVERSION) },
	/* Subsystems. */
	{ .line = HDR("0.6", "smtp", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = HDR("0.6", "SMTP-IN", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = HDR("0.6", "smtp-in ", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = HDR("0.6", "smtp-outx", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = HDR("0.6", "lmtp-in", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = HDR("0.6", "", "timeout"), BAD(PROTO_ESUBSYSTEM) },
	{ .line = "report|0.6|" T_TIME, BAD(PROTO_ESUBSYSTEM) },
	/* Session ids: 16 lowercase hex digits. */
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|3563DFD4055BB886",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|3563dfd4055bB886",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|3563dfd4055bb88",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|3563dfd4055bb8860",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|3563dfd4055bb88g",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout| 563dfd4055bb886",
	    BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout|", BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|timeout", BAD(PROTO_ESESSION) },
	{ .line = "report|0.6|" T_TIME "|smtp-in|tx-begin|0x63dfd4055bb886"
	    "|756725bd", BAD(PROTO_ESESSION) },
	/* Timestamps: seconds, '.', exactly 6 digits. */
	{ .line = HDRTIME("1795464473.58374"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473.5837470"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("17954644x3.583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473.58374a"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473,583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("-1795464473.583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("+1795464473.583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME(" 1795464473.583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473.583747 "), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("17954.64473.583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME(".583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1795464473583747"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME("1234567890123.000000"), BAD(PROTO_ETIME) },
	{ .line = HDRTIME(""), BAD(PROTO_ETIME) },
	{ .line = "report|0.6", BAD(PROTO_ETIME) },
	{ .line = HDRTIME("123456789012.999999"), .rv = PROTO_OK, .minor = 6,
	    .dir = DIR_IN, .ev = EVT_LINK_DISCONNECT, .session = T_SIDV,
	    .time = 123456789012999999LL },
	{ .line = HDRTIME("0.000000"), .rv = PROTO_OK, .minor = 6,
	    .dir = DIR_IN, .ev = EVT_LINK_DISCONNECT, .session = T_SIDV,
	    .time = 0 },
	{ .line = HDRTIME("1.000042"), .rv = PROTO_OK, .minor = 6,
	    .dir = DIR_IN, .ev = EVT_LINK_DISCONNECT, .session = T_SIDV,
	    .time = 1000042 },
	{ .line = HDRTIME("01795464473.583747"), .rv = PROTO_OK, .minor = 6,
	    .dir = DIR_IN, .ev = EVT_LINK_DISCONNECT, .session = T_SIDV,
	    .time = T_TIMEV, .noncanon = 1 },
	{ .line = HDRTIME("00.000001"), .rv = PROTO_OK, .minor = 6,
	    .dir = DIR_IN, .ev = EVT_LINK_DISCONNECT, .session = T_SIDV,
	    .time = 1, .noncanon = 1 },
	/* Values: msgid 8 hex, evpid 16 hex, size decimal, result words. */
	{ .line = IN6("tx-begin") "|756725BD",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-begin") "|756725b",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-begin") "|756725bd0",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-begin") "|75672xbd",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-begin") "|-7567250",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_BEGIN) },
	{ .line = IN6("tx-mail") "|7567 5bd|ok|a@b",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_MAIL) },
	{ .line = IN6("tx-envelope") "|756725bd|756725bd52e6b5b",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-envelope") "|756725bd|756725bd52e6b5bc0",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-envelope") "|756725bd|756725BD52E6B5BC",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-envelope") "|756725bd|756725bd52e6b5bz",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-envelope") "|756725bd|",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_ENVELOPE) },
	{ .line = IN6("tx-commit") "|756725bd|",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-commit") "|756725bd|-1",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-commit") "|756725bd|+1",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-commit") "|756725bd|12a",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-commit") "|756725bd|532 ",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-commit") "|756725bd|1000000000000000000",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_COMMIT) },
	{ .line = IN6("tx-data") "|756725bd|OK",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_DATA) },
	{ .line = IN6("tx-data") "|756725bd|",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_DATA) },
	{ .line = IN6("tx-data") "|756725bd|okay",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_DATA) },
	{ .line = IN6("tx-data") "|756725bd|ok ",
	    WANT(PROTO_EVALUE, 6, DIR_IN, EVT_TX_DATA) },
	/* NUL bytes: anywhere in the line. */
	{ NUL_LINE(IN6("protocol-client") "|AB\0CD"), BAD(PROTO_ENUL) },
	{ NUL_LINE(IN6("protocol-client") "|ABCD\0"), BAD(PROTO_ENUL) },
	{ NUL_LINE("report|0.6|\0" T_TIME "|smtp-in|timeout|" T_SID),
	    BAD(PROTO_ENUL) },
	{ NUL_LINE("\0report|0.6"), BAD(PROTO_ENUL) },
	{ NUL_LINE("config|\0"), BAD(PROTO_ENUL) },
	/* Free fields keep any byte: non-UTF-8, escapes, CR, pipes. */
	{ .line = IN6("protocol-server") "|250 caf\xe9 \xc3\x28 \xf0\x90\x80"
	    "|\xff", OK(6, DIR_IN, EVT_PROTOCOL_SERVER), .w = { .f = {
	    S(F_TEXT, "250 caf\xe9 \xc3\x28 \xf0\x90\x80|\xff") } } },
	{ .line = OUT6("link-greeting") "|\x80\x81\x1b[2J",
	    OK(6, DIR_OUT, EVT_LINK_GREETING), .w = { .f = {
	    S(F_TEXT, "\x80\x81\x1b[2J") } } },
	{ .line = IN6("protocol-client") "|QUIT\r",
	    OK(6, DIR_IN, EVT_PROTOCOL_CLIENT), .w = { .f = {
	    S(F_TEXT, "QUIT\r") } } },
	{ .line = IN6("tx-rcpt") "|756725bd|ok|bob@sink.test\r",
	    OK(6, DIR_IN, EVT_TX_RCPT), .w = { .f = {
	    S(F_MSGID, "756725bd"), S(F_RESULT, "ok"),
	    S(F_ADDR, "bob@sink.test\r") },
	    .msgid = 0x756725bd, .result = RES_OK } },
	{ .line = IN6("protocol-server") "|||||",
	    OK(6, DIR_IN, EVT_PROTOCOL_SERVER), .w = { .f = {
	    S(F_TEXT, "||||") } } },
	{ .line = IN6("protocol-client") "|",
	    OK(6, DIR_IN, EVT_PROTOCOL_CLIENT), .w = { .f = {
	    S(F_TEXT, "") } } },
	/* Not report lines. */
	{ .line = "config|ready", BAD(PROTO_ENOTREPORT) },
	{ .line = "config|smtpd-version|6.8.0p2", BAD(PROTO_ENOTREPORT) },
	{ .line = "", BAD(PROTO_ENOTREPORT) },
	{ .line = "report", BAD(PROTO_ENOTREPORT) },
	{ .line = "reportx|0.6|" T_TIME "|smtp-in|timeout|" T_SID,
	    BAD(PROTO_ENOTREPORT) },
	{ .line = "Report|0.6|" T_TIME "|smtp-in|timeout|" T_SID,
	    BAD(PROTO_ENOTREPORT) },
	{ .line = " report|0.6|" T_TIME "|smtp-in|timeout|" T_SID,
	    BAD(PROTO_ENOTREPORT) },
	{ .line = "filter|0.6|" T_TIME "|smtp-in|connect|" T_SID "|x",
	    BAD(PROTO_ENOTREPORT) },
	{ .line = "register|ready", BAD(PROTO_ENOTREPORT) },
	{ .line = "|report|0.6", BAD(PROTO_ENOTREPORT) },
	{ .line = "repor", BAD(PROTO_ENOTREPORT) },
};

/* Real lines from the lab captures (6.8.0p2 for 0.6, 7.8.0 for 0.7). */
static const char *const test_proto_captured[] = {
	"report|0.6|1795464473.583747|smtp-in|link-connect|3563dfd4055bb886"
	    "|localhost|pass|127.0.0.1:39594|127.0.0.1:2525",
	"report|0.6|1795464473.584011|smtp-in|filter-response|3563dfd4055bb886"
	    "|connected|proceed",
	"report|0.6|1795464473.584019|smtp-in|protocol-server|3563dfd4055bb886"
	    "|220 lab.test ESMTP OpenSMTPD",
	"report|0.6|1795464473.584027|smtp-in|link-greeting|3563dfd4055bb886"
	    "|lab.test",
	"report|0.6|1795464473.584514|smtp-in|link-identify|3563dfd4055bb886"
	    "|EHLO|client.test",
	"report|0.6|1795464473.584518|smtp-in|protocol-server|3563dfd4055bb886"
	    "|250-lab.test Hello client.test [127.0.0.1], pleased to meet you",
	"report|0.6|1795464473.584760|smtp-in|protocol-client|3563dfd4055bb886"
	    "|MAIL FROM:<alice@sink.test>",
	"report|0.6|1795464473.585655|smtp-in|tx-begin|3563dfd4055bb886"
	    "|756725bd",
	"report|0.6|1795464473.585657|smtp-in|tx-mail|3563dfd4055bb886"
	    "|756725bd|ok|alice@sink.test",
	"report|0.6|1795464473.586566|smtp-in|tx-envelope|3563dfd4055bb886"
	    "|756725bd|756725bd52e6b5bc",
	"report|0.6|1795464473.587425|smtp-in|protocol-server|3563dfd4055bb886"
	    "|354 Enter mail, end with \".\" on a line by itself",
	"report|0.6|1795464473.587427|smtp-in|tx-data|3563dfd4055bb886"
	    "|756725bd|ok",
	"report|0.6|1795464473.589008|smtp-in|tx-commit|3563dfd4055bb886"
	    "|756725bd|532",
	"report|0.6|1795464473.589010|smtp-in|tx-reset|3563dfd4055bb886"
	    "|756725bd",
	"report|0.6|1795464473.589532|smtp-in|link-disconnect|3563dfd4055bb886",
	"report|0.6|1795464487.113973|smtp-out|tx-rcpt|04f9ab4a91cf3dcf"
	    "|1466b132|tempfail|tempfail-erin@sink.test",
	"report|0.6|1795464487.114335|smtp-out|tx-rollback|04f9ab4a91cf3dcf"
	    "|1466b132",
	"report|0.6|1795464487.114362|smtp-out|tx-rcpt|04f9ab4a91cf3dcf"
	    "|1466b132|permfail|reject-dave@sink.test",
	"report|0.6|1795464488.119937|smtp-in|tx-mail|04f9ab4b26c6bffd"
	    "|83e5c9a6|ok|",
	"report|0.6|1795463770.166388|smtp-in|tx-rcpt|8ac4f04475bd5ced"
	    "|6e2c28d6|permfail|mallory@elsewhere.invalid",
	"report|0.6|1795464473.633793|smtp-out|protocol-server|3563dfd7e69094a9"
	    "|354 end with <CRLF>.<CRLF>",
	"report|0.7|1795464102.768303|smtp-in|link-connect|62e3a35d30bdab0a"
	    "|localhost|pass|127.0.0.1:52970|127.0.0.1:3587",
	"report|0.7|1795464102.794218|smtp-in|link-tls|62e3a35d30bdab0a"
	    "|TLSv1.3:TLS_AES_256_GCM_SHA384:256",
	"report|0.7|1795464102.837154|smtp-in|protocol-client|62e3a35d30bdab0a"
	    "|AUTH PLAIN ********",
	"report|0.7|1795464102.837381|smtp-in|filter-response|62e3a35d30bdab0a"
	    "|auth|proceed",
	"report|0.7|1795464102.978693|smtp-in|link-auth|62e3a35d30bdab0a"
	    "|pass|labuser",
	"report|0.7|1795464102.980274|smtp-in|tx-rcpt|62e3a35d30bdab0a"
	    "|9fea1a24|ok|bob@tls.sink.test",
	"report|0.7|1795464103.035305|smtp-out|link-identify|62e3a36086621f96"
	    "|EHLO|vm",
	"report|0.7|1795464103.035308|smtp-out|link-tls|62e3a36086621f96"
	    "|TLSv1.3:TLS_AES_256_GCM_SHA384:256",
	"report|0.7|1795464103.121232|smtp-out|tx-commit|62e3a36086621f96"
	    "|9fea1a24|448",
	"report|0.7|1795464113.138266|smtp-out|link-disconnect|62e3a36086621f96",
};

static const struct test_proto_secret test_proto_secrets[] = {
	{ "AUTH PLAIN ********", 0, 0, 0 },
	{ "AUTH PLAIN ********", 1, 0, 0 },
	{ "AUTH PLAIN dGVzdA==", 0, 1, 11 },
	{ "AUTH PLAIN dGVzdA==", 1, 1, 11 },
	{ "auth plain dGVzdA==", 0, 1, 11 },
	{ "AUTH PLAIN  dGVzdA==", 0, 1, 12 },
	{ "AUTH LOGIN dXNlcg==", 0, 1, 11 },
	{ "AUTH PLAIN *********", 0, 1, 11 },
	{ "AUTH PLAIN =", 0, 0, 0 },
	{ "AUTH PLAIN *", 0, 0, 0 },
	{ "AUTH LOGIN", 0, 0, 0 },
	{ "AUTH LOGIN", 1, 0, 0 },
	{ "AUTH LOGIN ", 0, 0, 0 },
	{ "AUTH ", 0, 0, 0 },
	{ "AUTH", 0, 0, 0 },
	{ "AUTHX PLAIN dGVzdA==", 0, 0, 0 },
	{ "AUTH\tPLAIN\tdGVzdA==", 0, 1, 11 },
	{ "AUTH=PLAIN dGVzdA==", 0, 1, 11 },
	{ "AUTH PLAIN=dGVzdA==", 0, 1, 11 },
	{ "AUTH \t PLAIN \tdGVzdA==", 0, 1, 14 },
	{ "AUTH\tLOGIN\t", 0, 0, 0 },
	{ "dGVzdA==", 1, 1, 0 },
	{ "dGVzdA==", 0, 0, 0 },
	{ "********", 1, 0, 0 },
	{ "********", 0, 0, 0 },
	{ "*", 1, 0, 0 },
	{ "=", 1, 0, 0 },
	{ "**", 1, 1, 0 },
	{ "MAIL FROM:<alice@sink.test>", 0, 0, 0 },
	{ "EHLO client.test", 0, 0, 0 },
};

#endif
