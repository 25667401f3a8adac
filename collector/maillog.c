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
 * maillog.c: the parser of smtpd's maillog lines.  Pure: no I/O, no
 * allocation, and the line is not modified.  A line is a header (syslog,
 * RFC 3339, "<epoch> " or none at all) and smtpd's message, which is
 * matched against a table of templates, one per line format.
 */
#include <string.h>
#include <time.h>

#include "mailtrail.h"
#include "collector.h"

#define MAILLOG_STEPS		10
#define MAILLOG_EPOCH_MAX	11	/* digits: longer is not an epoch */
#define MAILLOG_FRAC_MAX	9	/* digits of a fraction of a second */
#define MAILLOG_DIGITS_MAX	15	/* of a number or a delay part */

enum maillog_type {
	MLT_TEXT,		/* as it is */
	MLT_OPT,		/* "-" means none */
	MLT_ADDR,		/* "@" (queue lines' null sender): empty */
	MLT_EVPID,
	MLT_BOUNCE,
	MLT_MSGID,
	MLT_SIZE,
	MLT_NRCPT,
	MLT_DELAY,
	MLT_RESULT
};

/*
 * A literal, then a value, which ends where the next step's literal is
 * first found; the last value ends where the template's tail ends the
 * line, so it may hold anything (the status text).
 */
struct maillog_step {
	const char		*lead;
	enum maillog_type	 type;
	enum maillog_field	 slot;		/* where text types go */
};

struct maillog_template {
	enum maillog_kind	 kind;
	int			 sid;		/* starts with "<16 hex> " */
	int			 loose;		/* a line it does not fit is
						   another line, skipped */
	const char		*agent;
	struct maillog_step	 step[MAILLOG_STEPS];	/* a NULL lead ends */
	const char		*tail;
};

#define MLS_T(l, s)	{ (l), MLT_TEXT, (s) }
#define MLS_O(l, s)	{ (l), MLT_OPT, (s) }
#define MLS_A(l, s)	{ (l), MLT_ADDR, (s) }
#define MLS_N(l, t)	{ (l), (t), MLF_MAX }

/* queue.c queue_log(): "relay:" or, for an mda envelope, "delivery:". */
#define MAILLOG_QUEUE(k, agent, what) { (k), 0, 0, (agent), {		\
	MLS_N(agent ": " what " for ", MLT_EVPID),			\
	MLS_A(": from=<", MLF_FROM), MLS_A(">, to=<", MLF_TO),		\
	MLS_O(">, rcpt=<", MLF_RCPT), MLS_N(">, delay=", MLT_DELAY),	\
	MLS_T(", stat=", MLF_STAT) }, "" }

/* The formats are the same in 6.8 and 7.x (mta.c, mda.c, queue.c). */
static const struct maillog_template maillog_templates[] = {
	{ MAILLOG_MTA, 1, 0, NULL, {
	    MLS_N("mta delivery evpid=", MLT_EVPID),
	    MLS_A(" from=<", MLF_FROM), MLS_A("> to=<", MLF_TO),
	    MLS_O("> rcpt=<", MLF_RCPT), MLS_O("> source=\"", MLF_SOURCE),
	    MLS_T("\" relay=\"", MLF_RELAY), MLS_N("\" delay=", MLT_DELAY),
	    MLS_N(" result=\"", MLT_RESULT), MLS_T("\" stat=\"", MLF_STAT) },
	    "\"" },
	/* mda.c writes rcpt= only when it differs from to=. */
	{ MAILLOG_MDA, 1, 0, NULL, {
	    MLS_N("mda delivery evpid=", MLT_EVPID),
	    MLS_A(" from=<", MLF_FROM), MLS_A("> to=<", MLF_TO),
	    MLS_O("> rcpt=<", MLF_RCPT), MLS_T("> user=", MLF_USER),
	    MLS_N(" delay=", MLT_DELAY), MLS_N(" result=", MLT_RESULT),
	    MLS_T(" stat=", MLF_STAT) }, "" },
	{ MAILLOG_MDA, 1, 0, NULL, {
	    MLS_N("mda delivery evpid=", MLT_EVPID),
	    MLS_A(" from=<", MLF_FROM), MLS_A("> to=<", MLF_TO),
	    MLS_T("> user=", MLF_USER), MLS_N(" delay=", MLT_DELAY),
	    MLS_N(" result=", MLT_RESULT), MLS_T(" stat=", MLF_STAT) }, "" },
	MAILLOG_QUEUE(MAILLOG_EXPIRE, "relay", "Expire"),
	MAILLOG_QUEUE(MAILLOG_EXPIRE, "delivery", "Expire"),
	MAILLOG_QUEUE(MAILLOG_REMOVE, "relay", "Remove"),
	MAILLOG_QUEUE(MAILLOG_REMOVE, "delivery", "Remove"),
	{ MAILLOG_MESSAGE, 1, 0, NULL, {
	    MLS_N("smtp message msgid=", MLT_MSGID),
	    MLS_N(" size=", MLT_SIZE), MLS_N(" nrcpt=", MLT_NRCPT),
	    MLS_T(" proto=", MLF_PROTO) }, "" },
	{ MAILLOG_ENVELOPE, 1, 0, NULL, {
	    MLS_N("smtp envelope evpid=", MLT_EVPID),
	    MLS_A(" from=<", MLF_FROM), MLS_A("> to=<", MLF_TO) }, ">" },
	/* Logged with -v only: the one link from a failure to its bounce. */
	{ MAILLOG_BOUNCE, 0, 0, NULL, {
	    MLS_N("debug: queue: bouncing evp:", MLT_EVPID),
	    MLS_N(" as evp:", MLT_BOUNCE) }, "" },
	/*
	 * -v only: the scheduler hands the envelope to the queue to be
	 * removed (scheduler.c), which then writes "Remove for" unless the
	 * envelope is already gone.  "removing evp:X" before it is only
	 * the request (smtpctl remove), which fails for an envelope the
	 * scheduler no longer holds.  "evp:X scheduled", "expired", ...
	 * are other lines.
	 */
	{ MAILLOG_UNQUEUED, 0, 1, NULL, {
	    MLS_N("debug: scheduler: evp:", MLT_EVPID) }, " removed" },
};

#define MAILLOG_NTEMPLATES \
	(sizeof(maillog_templates) / sizeof(maillog_templates[0]))

static const char *const maillog_kind_names[MAILLOG_KIND_MAX] = {
	[MAILLOG_NONE] = "",
	[MAILLOG_MTA] = "mta",
	[MAILLOG_MDA] = "mda",
	[MAILLOG_EXPIRE] = "expire",
	[MAILLOG_REMOVE] = "remove",
	[MAILLOG_MESSAGE] = "smtp-message",
	[MAILLOG_ENVELOPE] = "smtp-envelope",
	[MAILLOG_BOUNCE] = "bounce",
	[MAILLOG_UNQUEUED] = "scheduler-remove",
};

static const char *const maillog_errors[] = {
	[MAILLOG_OK] = "ok",
	[MAILLOG_SKIP] = "not a line taken",
	[MAILLOG_EFORMAT] = "fields do not fit the line's format",
	[MAILLOG_EVALUE] = "bad id, number, delay or result",
};

static const char *const maillog_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* to.c duration_to_text(): "0s", or "1d2h3m4s" without the zero parts. */
static const struct {
	char	unit;
	int64_t	secs;
} maillog_units[] = {
	{ 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 }
};

static const struct {
	const char		*name;
	enum proto_result	 result;
} maillog_results[] = {
	{ "Ok", RES_OK }, { "TempFail", RES_TEMPFAIL },
	{ "PermFail", RES_PERMFAIL }
};

static const char *maillog_header(struct maillog *, const char *,
		    const char *);
static const char *maillog_syslog(struct maillog *, const char *,
		    const char *);
static const char *maillog_rfc3339(struct maillog *, const char *,
		    const char *);
static const char *maillog_zone(const char *, const char *, int64_t *);
static const char *maillog_epoch(struct maillog *, const char *,
		    const char *);
static const char *maillog_host(struct maillog *, const char *,
		    const char *);
static const char *maillog_num(const char *, const char *, size_t, size_t,
		    int64_t *);
static const char *maillog_frac(const char *, const char *, int64_t *);
static int	maillog_message(struct maillog *, const char *, const char *);
static int	maillog_match(struct maillog *, const struct maillog_template *,
		    const char *, const char *);
static int	maillog_value(struct maillog *, const struct maillog_step *,
		    const char *, size_t);
static int	maillog_int(const char *, size_t, int64_t *);
static int	maillog_delay(const char *, size_t, int64_t *);
static int	maillog_result(const char *, size_t, enum proto_result *);
static int	maillog_prefix(const char *, const char *, const char *);

const char *
maillog_strerror(int e)
{
	if (e < 0 || e > MAILLOG_EVALUE)
		return "unknown error";
	return maillog_errors[e];
}

const char *
maillog_kind_name(enum maillog_kind k)
{
	if (k <= MAILLOG_NONE || k >= MAILLOG_KIND_MAX)
		return "unknown";
	return maillog_kind_names[k];
}

/*
 * Parse one line (without its '\n'; a trailing '\r' is dropped).
 * MAILLOG_SKIP: a line of another kind, fine but not taken.
 */
int
maillog_parse(struct maillog *m, const char *line, size_t len)
{
	const char	*end, *msg;

	memset(m, 0, sizeof(*m));
	if (len > 0 && line[len - 1] == '\r')
		len--;
	m->line = line;
	m->len = len;
	m->size = m->nrcpt = -1;
	m->result = RES_NONE;
	end = line + len;
	msg = maillog_header(m, line, end);
	m->f[MLF_MSG].p = msg;
	m->f[MLF_MSG].len = end - msg;
	return maillog_message(m, msg, end);
}

/* The time and host, if any; returns where smtpd's message starts. */
static const char *
maillog_header(struct maillog *m, const char *p, const char *end)
{
	const char	*q;

	if ((q = maillog_syslog(m, p, end)) != NULL) {
		m->stamp = MAILLOG_STAMP_SYSLOG;
		return maillog_host(m, q, end);
	}
	if ((q = maillog_rfc3339(m, p, end)) != NULL) {
		m->stamp = MAILLOG_STAMP_ABS;
		return maillog_host(m, q, end);
	}
	if ((q = maillog_epoch(m, p, end)) != NULL) {
		m->stamp = MAILLOG_STAMP_ABS;
		return q;
	}
	m->stamp = MAILLOG_STAMP_NONE;
	m->time = 0;
	return p;
}

/* "Nov 23 10:14:02 " or "Nov  3 10:14:02 " (or "Nov 03"). */
static const char *
maillog_syslog(struct maillog *m, const char *p, const char *end)
{
	int64_t	v[4];
	int	i;

	if (end - p < 16 || p[3] != ' ')
		return NULL;
	for (i = 0; i < 12; i++)
		if (memcmp(p, maillog_months[i], 3) == 0)
			break;
	if (i == 12)
		return NULL;
	m->mon = i;
	p += p[4] == ' ' ? 5 : 4;
	if ((p = maillog_num(p, end, 1, 2, &v[0])) == NULL || p == end ||
	    *p++ != ' ' || (p = maillog_num(p, end, 2, 2, &v[1])) == NULL ||
	    p == end || *p++ != ':' ||
	    (p = maillog_num(p, end, 2, 2, &v[2])) == NULL || p == end ||
	    *p++ != ':' || (p = maillog_num(p, end, 2, 2, &v[3])) == NULL ||
	    p == end || *p != ' ')
		return NULL;
	if (v[0] < 1 || v[0] > 31 || v[1] > 23 || v[2] > 59 || v[3] > 60)
		return NULL;
	m->mday = v[0];
	m->hour = v[1];
	m->min = v[2];
	m->sec = v[3];
	return p + 1;
}

/* rsyslog's "2026-11-23T10:14:02.123456+00:00 " (Z, +0000 too). */
static const char *
maillog_rfc3339(struct maillog *m, const char *p, const char *end)
{
	static const char seps[] = "--T::";
	static const size_t width[] = { 4, 2, 2, 2, 2, 2 };
	struct tm	 tm;
	int64_t		 v[6], usec = 0, off;
	int		 i;

	for (i = 0; i < 6; i++) {
		if (i > 0 && (p == end || *p++ != seps[i - 1]))
			return NULL;
		p = maillog_num(p, end, width[i], width[i], &v[i]);
		if (p == NULL)
			return NULL;
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return NULL;
	if (p < end && *p == '.' && (p = maillog_frac(p + 1, end, &usec)) ==
	    NULL)
		return NULL;
	if ((p = maillog_zone(p, end, &off)) == NULL || p == end || *p != ' ')
		return NULL;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	m->time = ((int64_t)timegm(&tm) - off) * US_PER_SEC + usec;
	return p + 1;
}

/* "Z", "+HH:MM" or "+HHMM": the offset from UTC in seconds. */
static const char *
maillog_zone(const char *p, const char *end, int64_t *off)
{
	const char	*q;
	int64_t		 h, mi;
	int		 sign;

	if (p < end && *p == 'Z') {
		*off = 0;
		return p + 1;
	}
	if (p == end || (*p != '+' && *p != '-'))
		return NULL;
	sign = *p++ == '-' ? -1 : 1;
	if ((q = maillog_num(p, end, 2, 4, &h)) == NULL)
		return NULL;
	if (q - p == 4) {
		mi = h % 100;
		h /= 100;
	} else if (q - p != 2 || q == end || *q != ':' ||
	    (q = maillog_num(q + 1, end, 2, 2, &mi)) == NULL)
		return NULL;
	if (h > 23 || mi > 59)
		return NULL;
	*off = sign * (h * 3600 + mi * 60);
	return q;
}

/* The lab's "<seconds>[.<fraction>] <message>" (tslog.py). */
static const char *
maillog_epoch(struct maillog *m, const char *p, const char *end)
{
	int64_t	sec, usec = 0;

	if ((p = maillog_num(p, end, 1, MAILLOG_EPOCH_MAX, &sec)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = maillog_frac(p + 1, end, &usec)) ==
	    NULL)
		return NULL;
	if (p == end || *p != ' ')
		return NULL;
	m->time = sec * US_PER_SEC + usec;
	return p + 1;
}

/* "host tag[pid]: message": the host, then past the tag if there is one. */
static const char *
maillog_host(struct maillog *m, const char *p, const char *end)
{
	const char	*sp, *tag;

	if ((sp = memchr(p, ' ', end - p)) == NULL)
		sp = end;
	m->f[MLF_HOST].p = p;
	m->f[MLF_HOST].len = sp - p;
	if (sp == end)
		return end;
	tag = sp + 1;
	if ((sp = memchr(tag, ' ', end - tag)) == NULL)
		sp = end;
	if (sp > tag && sp[-1] == ':')
		return sp == end ? end : sp + 1;
	return tag;
}

/* min to max decimal digits; returns what follows them. */
static const char *
maillog_num(const char *p, const char *end, size_t min, size_t max,
    int64_t *v)
{
	size_t	n;

	for (*v = 0, n = 0; p < end && *p >= '0' && *p <= '9' && n < max;
	    p++, n++)
		*v = *v * 10 + (*p - '0');
	if (n < min || (p < end && *p >= '0' && *p <= '9'))
		return NULL;
	return p;
}

/* 1 to 9 digits after the dot, as microseconds. */
static const char *
maillog_frac(const char *p, const char *end, int64_t *usec)
{
	size_t	n;

	for (*usec = 0, n = 0; p < end && *p >= '0' && *p <= '9'; p++, n++) {
		if (n >= MAILLOG_FRAC_MAX)
			return NULL;
		if (n < 6)
			*usec = *usec * 10 + (*p - '0');
	}
	if (n == 0)
		return NULL;
	for (; n < 6; n++)
		*usec *= 10;
	return p;
}

/*
 * The first template whose first literal starts the message decides
 * that the line is taken; if none of those fits, the line is malformed.
 */
static int
maillog_message(struct maillog *m, const char *p, const char *end)
{
	const struct maillog_template *t;
	struct maillog	 saved;
	uint64_t	 sid = 0;
	size_t		 i;
	int		 hassid = 0, rv = MAILLOG_SKIP;

	if (end - p > 16 && p[16] == ' ' && text_to_id(p, 16, &sid) == 0) {
		hassid = 1;
		p += 17;
	} else
		sid = 0;
	for (i = 0; i < MAILLOG_NTEMPLATES; i++) {
		t = &maillog_templates[i];
		if (t->sid != hassid ||
		    !maillog_prefix(p, end, t->step[0].lead))
			continue;
		saved = *m;
		if ((rv = maillog_match(m, t, p, end)) == MAILLOG_OK) {
			m->kind = t->kind;
			m->agent = t->agent;
			m->sid = sid;
			return MAILLOG_OK;
		}
		*m = saved;
		if (rv == MAILLOG_EVALUE)
			break;
		if (t->loose)
			rv = MAILLOG_SKIP;
	}
	return rv;
}

static int
maillog_match(struct maillog *m, const struct maillog_template *t,
    const char *p, const char *end)
{
	const struct maillog_step *s, *next;
	const char	*v, *ve;
	size_t		 taillen = strlen(t->tail);
	int		 i, rv;

	for (i = 0; i < MAILLOG_STEPS && t->step[i].lead != NULL; i++) {
		s = &t->step[i];
		if (!maillog_prefix(p, end, s->lead))
			return MAILLOG_EFORMAT;
		v = p + strlen(s->lead);
		next = i + 1 < MAILLOG_STEPS ? &t->step[i + 1] : NULL;
		if (next != NULL && next->lead != NULL)
			ve = memmem(v, end - v, next->lead, strlen(next->lead));
		else if ((size_t)(end - v) >= taillen &&
		    memcmp(end - taillen, t->tail, taillen) == 0)
			ve = end - taillen;
		else
			ve = NULL;
		if (ve == NULL)
			return MAILLOG_EFORMAT;
		if ((rv = maillog_value(m, s, v, ve - v)) != MAILLOG_OK)
			return rv;
		p = ve;
	}
	return MAILLOG_OK;
}

static int
maillog_value(struct maillog *m, const struct maillog_step *s,
    const char *v, size_t len)
{
	uint64_t	id;

	switch (s->type) {
	case MLT_OPT:
		if (len == 1 && *v == '-')
			return MAILLOG_OK;
		break;
	case MLT_ADDR:
		if (len == 1 && *v == '@')
			len = 0;
		break;
	case MLT_EVPID:
	case MLT_BOUNCE:
		if (len != 16 || text_to_id(v, 16, &id) == -1)
			return MAILLOG_EVALUE;
		*(s->type == MLT_EVPID ? &m->evpid : &m->bounce) = id;
		return MAILLOG_OK;
	case MLT_MSGID:
		if (len != 8 || text_to_id(v, 8, &id) == -1)
			return MAILLOG_EVALUE;
		m->msgid = id;
		return MAILLOG_OK;
	case MLT_SIZE:
		return maillog_int(v, len, &m->size);
	case MLT_NRCPT:
		return maillog_int(v, len, &m->nrcpt);
	case MLT_DELAY:
		m->has_delay = 1;
		return maillog_delay(v, len, &m->delay);
	case MLT_RESULT:
		return maillog_result(v, len, &m->result);
	case MLT_TEXT:
		break;
	}
	m->f[s->slot].p = v;
	m->f[s->slot].len = len;
	return MAILLOG_OK;
}

static int
maillog_int(const char *s, size_t len, int64_t *v)
{
	if (len == 0 || len > MAILLOG_DIGITS_MAX ||
	    maillog_num(s, s + len, len, len, v) == NULL)
		return MAILLOG_EVALUE;
	return MAILLOG_OK;
}

/* "0s", "17s", "1d2h3m4s", "-5s" (a clock set back): seconds. */
static int
maillog_delay(const char *s, size_t len, int64_t *v)
{
	const char	*p = s, *end = s + len;
	int64_t		 n, sign = 1, total = 0;
	size_t		 u = 0, nu = sizeof(maillog_units) /
			    sizeof(maillog_units[0]);

	if (p < end && *p == '-') {
		sign = -1;
		p++;
	}
	if (p == end)
		return MAILLOG_EVALUE;
	while (p < end) {
		if ((p = maillog_num(p, end, 1, MAILLOG_DIGITS_MAX, &n)) ==
		    NULL || p == end)
			return MAILLOG_EVALUE;
		while (u < nu && maillog_units[u].unit != *p)
			u++;
		if (u == nu)
			return MAILLOG_EVALUE;
		total += n * maillog_units[u++].secs;
		p++;
	}
	*v = sign * total;
	return MAILLOG_OK;
}

static int
maillog_result(const char *s, size_t len, enum proto_result *r)
{
	size_t	i;

	for (i = 0; i < sizeof(maillog_results) / sizeof(maillog_results[0]);
	    i++)
		if (strlen(maillog_results[i].name) == len &&
		    memcmp(maillog_results[i].name, s, len) == 0) {
			*r = maillog_results[i].result;
			return MAILLOG_OK;
		}
	return MAILLOG_EVALUE;
}

static int
maillog_prefix(const char *p, const char *end, const char *lit)
{
	size_t	len = strlen(lit);

	return (size_t)(end - p) >= len && memcmp(p, lit, len) == 0;
}
