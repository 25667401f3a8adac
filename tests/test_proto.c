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

#include "proto.h"
#include "test.h"

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
static void	 test_proto_hex(void);
static void	 test_proto_secret(void);

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
test_proto_hex(void)
{
	uint64_t	v;

	CHECK(proto_hex("0", 1, &v) == 0 && v == 0);
	CHECK(proto_hex("ffffffffffffffff", 16, &v) == 0 &&
	    v == 0xffffffffffffffffULL);
	CHECK(proto_hex("0123456789abcdef", 16, &v) == 0 &&
	    v == 0x0123456789abcdefULL);
	CHECK(proto_hex("756725bdXX", 8, &v) == 0 && v == 0x756725bd);
	CHECK(proto_hex("10000000000000000", 17, &v) == -1);
	CHECK(proto_hex("", 0, &v) == -1);
	CHECK(proto_hex(NULL, 4, &v) == -1);
	CHECK(proto_hex("ABCDEF", 6, &v) == -1);
	CHECK(proto_hex("12g4", 4, &v) == -1);
	CHECK(proto_hex(" 1", 2, &v) == -1);
	CHECK(proto_hex("-1", 2, &v) == -1);
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
	test_proto_hex();
	test_proto_secret();
	TEST_END();
}
