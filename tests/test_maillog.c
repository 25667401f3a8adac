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
 * test_maillog.c: unit tests of the maillog parser (collector/maillog.c):
 * every line kind in the 6.8 and 7.x formats, every header (syslog,
 * RFC 3339, the lab's epoch, none), lines skipped and malformed lines;
 * and of the year given to syslog times (outcome_year).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"

#define T_SID		"04f9ab4a91cf3dcf"
#define T_SIDV		0x04f9ab4a91cf3dcfULL
#define T_EVP		"1466b132e53384c3"
#define T_EVPV		0x1466b132e53384c3ULL
#define T_SYSLOG	"Nov 23 20:08:07 vm smtpd[2190]: "
#define T_EPOCH		"1795464487.116053 "
#define T_EPOCHV	1795464487116053LL
#define T_MTA		T_SID " mta delivery evpid=" T_EVP \
	" from=<labuser@local.test> to=<reject-dave@sink.test> rcpt=<-> " \
	"source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s " \
	"result=\"PermFail\" stat=\"550 5.1.1 <reject-dave@sink.test>: " \
	"user unknown\""
#define T_FIELDS	8

#define SYSLOG(mo, d, h, mi, s)	.stamp = MAILLOG_STAMP_SYSLOG, .mon = (mo), \
	.mday = (d), .hour = (h), .min = (mi), .sec = (s)
#define ABS(t)		.stamp = MAILLOG_STAMP_ABS, .time = (t)
#define F(slot, val)	{ (slot), (val) }
#define SKIP(l)		{ .line = (l), .rv = MAILLOG_SKIP }
#define BAD(rv_, l)	{ .line = (l), .rv = (rv_) }
#define T_BADMTA(evp, rest) T_SID " mta delivery evpid=" evp " from=<a> " \
	"to=<b> rcpt=<-> source=\"-\" relay=\"x\" " rest

struct test_maillog_field {
	enum maillog_field	 slot;
	const char		*val;
};

/*
 * One line.  Text fields not listed must be absent (but the message,
 * which is always there, is only checked if listed); numbers are
 * checked only for the kinds that have them.
 */
struct test_maillog_case {
	const char		*line;
	int			 rv;
	enum maillog_kind	 kind;
	enum maillog_stamp	 stamp;
	int64_t			 time;
	int			 mon, mday, hour, min, sec;
	uint64_t		 sid, evpid, bounce;
	uint32_t		 msgid;
	int64_t			 delay;		/* -1: none */
	const char		*result;	/* NULL: none */
	int64_t			 size, nrcpt;
	const char		*agent;
	struct test_maillog_field f[T_FIELDS + 1];	/* val NULL ends */
};

static const struct test_maillog_case test_maillog_cases[] = {
	/* mta delivery, 6.8 lab ("<epoch> " from tslog.py) */
	{ T_EPOCH T_MTA, MAILLOG_OK, MAILLOG_MTA, ABS(T_EPOCHV),
	    .sid = T_SIDV, .evpid = T_EVPV, .delay = 0, .result = "PermFail",
	    .f = { F(MLF_FROM, "labuser@local.test"),
	    F(MLF_TO, "reject-dave@sink.test"), F(MLF_SOURCE, "127.0.0.1"),
	    F(MLF_RELAY, "127.0.0.1 (localhost)"),
	    F(MLF_STAT, "550 5.1.1 <reject-dave@sink.test>: user unknown"),
	    F(MLF_MSG, T_MTA) } },
	/* the same through Debian's rsyslog */
	{ T_SYSLOG T_MTA, MAILLOG_OK, MAILLOG_MTA, SYSLOG(10, 23, 20, 8, 7),
	    .sid = T_SIDV, .evpid = T_EVPV, .delay = 0, .result = "PermFail",
	    .f = { F(MLF_HOST, "vm"), F(MLF_FROM, "labuser@local.test"),
	    F(MLF_TO, "reject-dave@sink.test"), F(MLF_SOURCE, "127.0.0.1"),
	    F(MLF_RELAY, "127.0.0.1 (localhost)"),
	    F(MLF_STAT, "550 5.1.1 <reject-dave@sink.test>: user unknown"),
	    F(MLF_MSG, T_MTA) } },
	/* 7.8 through rsyslog's RFC 3339 format, a TempFail, "\r\n" */
	{ "2026-11-23T20:01:03.869422+00:00 lab smtpd[3001]: 2777bcc29ddee45d "
	    "mta delivery evpid=949aa28f5e4e5821 from=<alice@sink.test> "
	    "to=<bob@sink.test> rcpt=<-> source=\"127.0.0.1\" "
	    "relay=\"127.0.0.1 (localhost)\" delay=1m13s result=\"TempFail\" "
	    "stat=\"451 4.3.0 \"quoted\" try later\"\r", MAILLOG_OK,
	    MAILLOG_MTA, ABS(1795464063869422LL), .sid = 0x2777bcc29ddee45dULL,
	    .evpid = 0x949aa28f5e4e5821ULL, .delay = 73, .result = "TempFail",
	    .f = { F(MLF_HOST, "lab"), F(MLF_FROM, "alice@sink.test"),
	    F(MLF_TO, "bob@sink.test"), F(MLF_SOURCE, "127.0.0.1"),
	    F(MLF_RELAY, "127.0.0.1 (localhost)"),
	    F(MLF_STAT, "451 4.3.0 \"quoted\" try later") } },
	/* no session: no MX reachable; OpenBSD's syslogd pads the day */
	{ "Jan  2 00:00:01 mx smtpd[411]: 0000000000000000 mta delivery "
	    "evpid=aaaa0001aaaa0001 from=<a@example.org> to=<b@example.net> "
	    "rcpt=<B@Example.net> source=\"-\" relay=\"example.net\" "
	    "delay=1d4h1m result=\"TempFail\" stat=\"Network error on "
	    "destination MXs\"", MAILLOG_OK, MAILLOG_MTA, SYSLOG(0, 2, 0, 0, 1),
	    .evpid = 0xaaaa0001aaaa0001ULL, .delay = 100860,
	    .result = "TempFail", .f = { F(MLF_HOST, "mx"),
	    F(MLF_FROM, "a@example.org"), F(MLF_TO, "b@example.net"),
	    F(MLF_RCPT, "B@Example.net"), F(MLF_RELAY, "example.net"),
	    F(MLF_STAT, "Network error on destination MXs") } },
	/* mda delivery with rcpt= (6.8 lab), a null sender */
	{ "1795464488.126847 04f9ab4d4785e3df mda delivery "
	    "evpid=83e5c9a66a7d30a0 from=<> to=<labuser@local.test> "
	    "rcpt=<labuser@local.test> user=labuser delay=0s result=Ok "
	    "stat=Delivered", MAILLOG_OK, MAILLOG_MDA, ABS(1795464488126847LL),
	    .sid = 0x04f9ab4d4785e3dfULL, .evpid = 0x83e5c9a66a7d30a0ULL,
	    .delay = 0, .result = "Ok", .f = { F(MLF_FROM, ""),
	    F(MLF_TO, "labuser@local.test"), F(MLF_RCPT, "labuser@local.test"),
	    F(MLF_USER, "labuser"), F(MLF_STAT, "Delivered") } },
	/* mda delivery without rcpt=, a PermFail with a long status */
	{ "Jan 03 11:00:00 mx smtpd: 7a1c0e5ec1d2e3f4 mda delivery "
	    "evpid=dddd0004eeee0005 from=<x@example.org> "
	    "to=<dave@mx.example.org> user=dave delay=2s result=PermFail "
	    "stat=Error (mda: user=x delay=1s)", MAILLOG_OK, MAILLOG_MDA,
	    SYSLOG(0, 3, 11, 0, 0), .sid = 0x7a1c0e5ec1d2e3f4ULL,
	    .evpid = 0xdddd0004eeee0005ULL, .delay = 2, .result = "PermFail",
	    .f = { F(MLF_HOST, "mx"), F(MLF_FROM, "x@example.org"),
	    F(MLF_TO, "dave@mx.example.org"), F(MLF_USER, "dave"),
	    F(MLF_STAT, "Error (mda: user=x delay=1s)") } },
	/* queue expiry of a relayed envelope */
	{ "Jan  2 00:00:01 mx smtpd[413]: relay: Expire for "
	    "aaaa0001aaaa0001: from=<a@example.org>, to=<b@example.net>, "
	    "rcpt=<->, delay=4d, stat=Envelope expired", MAILLOG_OK,
	    MAILLOG_EXPIRE, SYSLOG(0, 2, 0, 0, 1), .agent = "relay",
	    .evpid = 0xaaaa0001aaaa0001ULL, .delay = 345600,
	    .f = { F(MLF_HOST, "mx"), F(MLF_FROM, "a@example.org"),
	    F(MLF_TO, "b@example.net"), F(MLF_STAT, "Envelope expired") } },
	/* ... of a bounce: queue_log() prints the null sender as "@" */
	{ "relay: Expire for bbbb0002cccc0003: from=<@>, "
	    "to=<carol@example.org>, rcpt=<->, delay=4d1h, stat=Envelope "
	    "expired", MAILLOG_OK, MAILLOG_EXPIRE, .agent = "relay",
	    .evpid = 0xbbbb0002cccc0003ULL, .delay = 349200,
	    .f = { F(MLF_FROM, ""), F(MLF_TO, "carol@example.org"),
	    F(MLF_STAT, "Envelope expired") } },
	{ "delivery: Expire for dddd0004eeee0005: from=<x@example.org>, "
	    "to=<dave@mx.example.org>, rcpt=<dave@example.org>, delay=7d, "
	    "stat=Envelope expired", MAILLOG_OK, MAILLOG_EXPIRE,
	    .agent = "delivery", .evpid = 0xdddd0004eeee0005ULL,
	    .delay = 604800, .f = { F(MLF_FROM, "x@example.org"),
	    F(MLF_TO, "dave@mx.example.org"), F(MLF_RCPT, "dave@example.org"),
	    F(MLF_STAT, "Envelope expired") } },
	/* smtpctl remove (6.8 lab) */
	{ "1795464512.348088 relay: Remove for 1466b13205030850: "
	    "from=<labuser@local.test>, to=<tempfail-erin@sink.test>, "
	    "rcpt=<->, delay=25s, stat=Removed by administrator", MAILLOG_OK,
	    MAILLOG_REMOVE, ABS(1795464512348088LL), .agent = "relay",
	    .evpid = 0x1466b13205030850ULL, .delay = 25,
	    .f = { F(MLF_FROM, "labuser@local.test"),
	    F(MLF_TO, "tempfail-erin@sink.test"),
	    F(MLF_STAT, "Removed by administrator") } },
	{ "2027-01-03T11:05:00Z mx smtpd[413]: delivery: Remove for "
	    "dddd0004eeee0005: from=<x@example.org>, to=<dave@mx.example.org>, "
	    "rcpt=<->, delay=5m2s, stat=Removed by administrator", MAILLOG_OK,
	    MAILLOG_REMOVE, ABS(1798974300000000LL), .agent = "delivery",
	    .evpid = 0xdddd0004eeee0005ULL, .delay = 302,
	    .f = { F(MLF_HOST, "mx"), F(MLF_FROM, "x@example.org"),
	    F(MLF_TO, "dave@mx.example.org"),
	    F(MLF_STAT, "Removed by administrator") } },
	/* smtp message and envelope (7.8 lab; journald's +0100 offset) */
	{ "2026-11-23T21:01:03.781003+0100 lab smtpd[3001]: 2777bcbfb5f90c13 "
	    "smtp message msgid=949aa28f size=533 nrcpt=1 proto=ESMTP",
	    MAILLOG_OK, MAILLOG_MESSAGE, ABS(1795464063781003LL),
	    .sid = 0x2777bcbfb5f90c13ULL, .msgid = 0x949aa28f, .delay = -1,
	    .size = 533, .nrcpt = 1, .f = { F(MLF_HOST, "lab"),
	    F(MLF_PROTO, "ESMTP") } },
	{ "1795464488.122365 04f9ab4b26c6bffd smtp envelope "
	    "evpid=83e5c9a66a7d30a0 from=<> to=<labuser@local.test>",
	    MAILLOG_OK, MAILLOG_ENVELOPE, ABS(1795464488122365LL),
	    .sid = 0x04f9ab4b26c6bffdULL, .evpid = 0x83e5c9a66a7d30a0ULL,
	    .delay = -1, .f = { F(MLF_FROM, ""),
	    F(MLF_TO, "labuser@local.test") } },
	/* the debug line that links a failed envelope to its bounce */
	{ "1795464487.116780 debug: queue: bouncing evp:1466b132e53384c3 as "
	    "evp:1466b132d3d0ffa3", MAILLOG_OK, MAILLOG_BOUNCE,
	    ABS(1795464487116780LL), .evpid = T_EVPV,
	    .bounce = 0x1466b132d3d0ffa3ULL, .delay = -1 },
	/* smtpd -d output as it is (docs/captures) */
	{ "debug: queue: bouncing evp:7b132086d993e289 as evp:7b1320863388d17e",
	    MAILLOG_OK, MAILLOG_BOUNCE, .evpid = 0x7b132086d993e289ULL,
	    .bounce = 0x7b1320863388d17eULL, .delay = -1 },
	/* -v: the scheduler hands the envelope to the queue to remove it */
	{ "1795464512.348042 debug: scheduler: evp:1466b13205030850 removed",
	    MAILLOG_OK, MAILLOG_UNQUEUED, ABS(1795464512348042LL),
	    .evpid = 0x1466b13205030850ULL, .delay = -1 },
	{ "debug: scheduler: evp:a0539b8e535af35c removed", MAILLOG_OK,
	    MAILLOG_UNQUEUED, .evpid = 0xa0539b8e535af35cULL, .delay = -1 },
	{ "6d45c9244db742cd mta delivery evpid=796808e200497ce6 "
	    "from=<rejectme@example.test> to=<erin@dest.test> rcpt=<-> "
	    "source=\"127.0.0.1\" relay=\"127.0.0.1 (localhost)\" delay=0s "
	    "result=\"PermFail\" stat=\"550 5.7.1 sender rejected\"",
	    MAILLOG_OK, MAILLOG_MTA, .sid = 0x6d45c9244db742cdULL,
	    .evpid = 0x796808e200497ce6ULL, .delay = 0, .result = "PermFail",
	    .f = { F(MLF_FROM, "rejectme@example.test"),
	    F(MLF_TO, "erin@dest.test"), F(MLF_SOURCE, "127.0.0.1"),
	    F(MLF_RELAY, "127.0.0.1 (localhost)"),
	    F(MLF_STAT, "550 5.7.1 sender rejected") } },
	/* lines of other kinds: counted and skipped */
	SKIP("1795464487.069017 04f9ab474fa335c6 smtp connected "
	    "address=127.0.0.1 host=localhost"),
	SKIP("6d45c9244db742cd mta connecting "
	    "address=smtp://127.0.0.1:12526 host=localhost"),
	SKIP("6d45c9244db742cd mta disconnected reason=quit messages=4"),
	SKIP(T_SYSLOG "info: OpenSMTPD 6.8.0p2 starting"),
	SKIP(T_SYSLOG "smtp-out: Disabling route [] <-> 192.0.2.1 for 15s"),
	SKIP(T_SYSLOG "warn: PermFail injecting failure report on message "
	    "7b132086 to <alice@example.test> for 1 envelope(s): 550 no"),
	SKIP("Nov 23 20:08:07 vm kernel: [12.5] eth0: link up"),
	SKIP(T_SYSLOG "last message repeated 2 times"),
	SKIP("1795464487.116780 debug: queue: done loading queue"),
	/* the scheduler's other lines, and a removal only asked for */
	SKIP("1795464512.348028 debug: scheduler: removing "
	    "evp:1466b13205030850"),
	SKIP("debug: scheduler: evp:1466b13205030850 scheduled (mta)"),
	SKIP("debug: scheduler: evp:1466b13205030850 expired"),
	SKIP(""),
	SKIP("Nov 23"),
	/* a bad header is no header: the rest is not a line taken */
	SKIP("Nov 32 20:08:07 vm smtpd[2190]: " T_MTA),
	SKIP("2026-13-23T20:08:07Z vm smtpd[2190]: " T_MTA),
	SKIP("123456789012 " T_MTA),
	/* lines taken, but malformed */
	BAD(MAILLOG_EVALUE, T_BADMTA("1466b132e53384c", "delay=0s "
	    "result=\"Ok\" stat=\"250\"")),
	BAD(MAILLOG_EVALUE, T_BADMTA("1466B132E53384C3", "delay=0s "
	    "result=\"Ok\" stat=\"250\"")),
	BAD(MAILLOG_EVALUE, T_BADMTA(T_EVP, "delay=0s result=\"Maybe\" "
	    "stat=\"250\"")),
	BAD(MAILLOG_EVALUE, T_BADMTA(T_EVP, "delay=5x result=\"Ok\" "
	    "stat=\"250\"")),
	BAD(MAILLOG_EVALUE, T_BADMTA(T_EVP, "delay=1s2m result=\"Ok\" "
	    "stat=\"250\"")),
	BAD(MAILLOG_EVALUE, T_BADMTA(T_EVP, "delay= result=\"Ok\" "
	    "stat=\"250\"")),
	BAD(MAILLOG_EFORMAT, T_BADMTA(T_EVP, "delay=0s result=\"Ok\"")),
	BAD(MAILLOG_EFORMAT, T_BADMTA(T_EVP, "delay=0s result=\"Ok\" "
	    "stat=\"250")),
	BAD(MAILLOG_EFORMAT, T_SID " mta delivery evpid=" T_EVP
	    " from=<labuser@local."),
	BAD(MAILLOG_EVALUE, T_SID " mda delivery evpid=" T_EVP " from=<a> "
	    "to=<b> user=u delay=0s result=Fine stat=x"),
	BAD(MAILLOG_EFORMAT, T_SID " mda delivery evpid=" T_EVP " from=<a> "
	    "to=<b> delay=0s result=Ok stat=x"),
	BAD(MAILLOG_EFORMAT, "relay: Expire for " T_EVP ": from=<a>, to=<b>, "
	    "rcpt=<->, stat=Envelope expired"),
	BAD(MAILLOG_EVALUE, "relay: Remove for 12345: from=<a>, to=<b>, "
	    "rcpt=<->, delay=1s, stat=Removed by administrator"),
	BAD(MAILLOG_EVALUE, T_SID " smtp message msgid=949aa28f size=big "
	    "nrcpt=1 proto=ESMTP"),
	BAD(MAILLOG_EVALUE, T_SID " smtp message msgid=949aa28 size=533 "
	    "nrcpt=1 proto=ESMTP"),
	BAD(MAILLOG_EFORMAT, T_SID " smtp envelope evpid=" T_EVP " from=<a> "
	    "to=<b"),
	BAD(MAILLOG_EVALUE, "debug: queue: bouncing evp:" T_EVP
	    " as evp:1466b132"),
	BAD(MAILLOG_EVALUE, "debug: scheduler: evp:1466b132 removed"),
	{ .line = NULL }
};

/*
 * The day (since 1970-01-01) maillog_parse() gives an RFC 3339 header
 * of date at midnight UTC; INT64_MIN if it takes no time from it.
 */
static int64_t
test_maillog_day(const char *date)
{
	struct maillog	m;
	char		line[128];
	int		n;

	n = snprintf(line, sizeof(line), "%sT00:00:00Z vm smtpd[1]: x", date);
	if (maillog_parse(&m, line, n) != MAILLOG_SKIP ||
	    m.stamp != MAILLOG_STAMP_ABS || m.time % (86400 * US_PER_SEC) != 0)
		return INT64_MIN;
	return m.time / (86400 * US_PER_SEC);
}

static enum proto_result
test_maillog_result(const char *s)
{
	if (s == NULL)
		return RES_NONE;
	if (strcmp(s, "Ok") == 0)
		return RES_OK;
	return strcmp(s, "TempFail") == 0 ? RES_TEMPFAIL : RES_PERMFAIL;
}

static void
test_maillog_fields(const struct test_maillog_case *c,
    const struct maillog *m)
{
	const struct test_maillog_field *tf;
	int	 seen[MLF_MAX] = { 0 }, i;

	for (tf = c->f; tf->val != NULL; tf++) {
		seen[tf->slot] = 1;
		CHECK_FIELD(m->f[tf->slot], tf->val);
	}
	for (i = 0; i < MLF_MAX; i++)
		if (!seen[i] && i != MLF_MSG)
			CHECK_MSG(m->f[i].p == NULL, "%s: field %d is \"%.*s\"",
			    c->line, i, (int)m->f[i].len, m->f[i].p);
}

static void
test_maillog_case(const struct test_maillog_case *c)
{
	struct maillog	m;
	int		rv;

	rv = maillog_parse(&m, c->line, strlen(c->line));
	CHECK_MSG(rv == c->rv, "%s: got %d (%s), want %d", c->line, rv,
	    maillog_strerror(rv), c->rv);
	if (rv != MAILLOG_OK || c->rv != MAILLOG_OK)
		return;
	CHECK_MSG(m.kind == c->kind, "%s: kind %s", c->line,
	    maillog_kind_name(m.kind));
	CHECK_MSG(m.stamp == c->stamp, "%s: stamp %d", c->line, m.stamp);
	if (c->stamp == MAILLOG_STAMP_ABS)
		CHECK_MSG(m.time == c->time, "%s: time %lld", c->line,
		    (long long)m.time);
	if (c->stamp == MAILLOG_STAMP_SYSLOG)
		CHECK_MSG(m.mon == c->mon && m.mday == c->mday &&
		    m.hour == c->hour && m.min == c->min && m.sec == c->sec,
		    "%s: %d-%d %d:%d:%d", c->line, m.mon, m.mday, m.hour,
		    m.min, m.sec);
	CHECK_MSG(m.sid == c->sid, "%s: sid %016llx", c->line,
	    (unsigned long long)m.sid);
	CHECK(m.evpid == c->evpid);
	CHECK(m.bounce == c->bounce);
	CHECK(m.msgid == c->msgid);
	CHECK_MSG(c->delay == -1 ? !m.has_delay : m.has_delay &&
	    m.delay == c->delay, "%s: delay %lld", c->line, (long long)m.delay);
	CHECK(m.result == test_maillog_result(c->result));
	if (c->kind == MAILLOG_MESSAGE)
		CHECK(m.size == c->size && m.nrcpt == c->nrcpt);
	else
		CHECK(m.size == -1 && m.nrcpt == -1);
	CHECK(c->agent == NULL ? m.agent == NULL : m.agent != NULL &&
	    strcmp(m.agent, c->agent) == 0);
	test_maillog_fields(c, &m);
}

/* The line's length is what counts: nothing is read past it. */
static void
test_maillog_bounds(void)
{
	const char	*full = T_EPOCH T_MTA;
	struct maillog	 m;
	char		*p;
	size_t		 len = strlen(full), i;

	for (i = 0; i < len; i++) {
		p = malloc(i + 1);
		memcpy(p, full, i);
		CHECK(maillog_parse(&m, p, i) != MAILLOG_OK);
		free(p);
	}
	p = malloc(len);
	memcpy(p, full, len);
	CHECK(maillog_parse(&m, p, len) == MAILLOG_OK);
	free(p);
}

struct test_maillog_year {
	const char	*tz;
	int		 mon, mday, hour, min, sec;
	int64_t		 ref;		/* seconds */
	int		 notafter;
	int64_t		 want;		/* seconds; 0: none */
};

static const struct test_maillog_year test_maillog_years[] = {
	/* nearest to the reports of the same envelope, or the newest */
	{ "UTC", 10, 23, 20, 8, 7, 1795464487, 0, 1795464487 },
	{ "UTC", 11, 31, 23, 59, 58, 1795464487, 0, 1798761598 },
	{ "UTC", 0, 2, 0, 0, 1, 1795464487, 0, 1798848001 },
	{ "UTC", 1, 10, 9, 30, 0, 1795464487, 0, 1802251800 },
	{ "UTC", 5, 1, 0, 0, 0, 1795464487, 0, 1780272000 },
	/* December -> January: a line a little before the reports */
	{ "UTC", 11, 31, 23, 59, 58, 1798848001, 0, 1798761598 },
	/* not after the file was written (mtime 2027-01-05 12:00) */
	{ "UTC", 1, 10, 9, 30, 0, 1799150400, 1, 1770715800 },
	{ "UTC", 0, 2, 0, 0, 1, 1799150400, 1, 1798848001 },
	{ "UTC", 11, 31, 23, 59, 58, 1799150400, 1, 1798761598 },
	/* Feb 29: only a leap year will do */
	{ "UTC", 1, 29, 12, 0, 0, 1830000000, 0, 1835438400 },
	/* syslog times are local */
	{ "CET-1", 10, 23, 10, 14, 2, 1795464487, 0, 1795425242 },
	{ "UTC", 10, 23, 10, 14, 2, 1795464487, 0, 1795428842 },
	{ NULL, 0, 0, 0, 0, 0, 0, 0, 0 }
};

static void
test_maillog_year(void)
{
	const struct test_maillog_year *y;
	struct maillog	m;
	int64_t		got;

	for (y = test_maillog_years; y->tz != NULL; y++) {
		setenv("TZ", y->tz, 1);
		tzset();
		memset(&m, 0, sizeof(m));
		m.stamp = MAILLOG_STAMP_SYSLOG;
		m.mon = y->mon;
		m.mday = y->mday;
		m.hour = y->hour;
		m.min = y->min;
		m.sec = y->sec;
		got = outcome_year(&m, y->ref * 1000000, y->notafter);
		CHECK_MSG(got == y->want * 1000000, "%s %d-%d ref %lld: got "
		    "%lld, want %lld", y->tz, y->mon, y->mday,
		    (long long)y->ref, (long long)got / 1000000,
		    (long long)y->want);
	}
}

int
main(void)
{
	const struct test_maillog_case *c;

	for (c = test_maillog_cases; c->line != NULL; c++)
		test_maillog_case(c);
	test_maillog_bounds();
	test_maillog_year();
	CHECK(test_maillog_day("1970-01-01") == 0);
	CHECK(test_maillog_day("2000-03-01") == 11017);
	CHECK(test_maillog_day("2026-11-23") == 20780);
	CHECK(test_maillog_day("1969-12-31") == -1);
	CHECK(strcmp(maillog_kind_name(MAILLOG_MESSAGE), "smtp-message") == 0);
	CHECK(strcmp(maillog_kind_name(MAILLOG_KIND_MAX), "unknown") == 0);
	CHECK(strcmp(maillog_strerror(99), "unknown error") == 0);
	TEST_END();
}
