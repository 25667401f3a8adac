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
 * to.c: conversions between text and the values mailtrail keeps: times
 * (microseconds since the epoch, UTC), durations, smtpd's ids and the
 * names of a life's statuses, session outcomes and the collector's counters.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "mailtrail.h"

#define TO_DURATION_MAX	(1000000LL * 7 * 86400 * US_PER_SEC)

static int	to_iso(const char *, int64_t *);
static int	to_mdays(int, int);
static int	to_digits(const char **, int, int *);
static void	to_tm(int64_t, struct tm *, int64_t *);

/* us as broken-down UTC time and the microseconds of its second. */
static void
to_tm(int64_t us, struct tm *tm, int64_t *frac)
{
	time_t	sec = us / US_PER_SEC;
	int64_t	f = us % US_PER_SEC;

	if (f < 0) {
		f += US_PER_SEC;
		sec--;
	}
	gmtime_r(&sec, tm);
	if (frac != NULL)
		*frac = f;
}

/*
 * A time as text, UTC: TO_ISO_US "2026-11-23T14:08:07.060475Z", TO_ISO
 * "2026-11-23T14:08:07Z", TO_DATETIME "2026-11-23 14:08:07", TO_MINUTE
 * "2026-11-23 14:08", TO_DAY "2026-11-23", TO_CLOCK "14:08:07".
 */
void
time_to_text(int64_t us, int fmt, char *out, size_t sz)
{
	struct tm	tm;
	int64_t		frac;

	to_tm(us, &tm, &frac);
	switch (fmt) {
	case TO_ISO_US:
		snprintf(out, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, (long long)frac);
		break;
	case TO_ISO:
		strftime(out, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
		break;
	case TO_DATETIME:
		strftime(out, sz, "%Y-%m-%d %H:%M:%S", &tm);
		break;
	case TO_MINUTE:
		strftime(out, sz, "%Y-%m-%d %H:%M", &tm);
		break;
	case TO_DAY:
		strftime(out, sz, "%Y-%m-%d", &tm);
		break;
	default:
		strftime(out, sz, "%H:%M:%S", &tm);
		break;
	}
}

/* A duration: 0.4ms, 7.4ms, 1.23s, 4m03s, 2h05m, 3d04h. */
void
duration_to_text(int64_t us, char *out, size_t sz)
{
	long long	s = us / US_PER_SEC;

	if (us < 0)
		us = 0;
	if (us < US_PER_SEC)
		snprintf(out, sz, "%.1fms", (double)us / 1000);
	else if (us < 60 * US_PER_SEC)
		snprintf(out, sz, "%.2fs", (double)us / 1e6);
	else if (s < 3600)
		snprintf(out, sz, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(out, sz, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else
		snprintf(out, sz, "%lldd%02lldh", s / 86400, s / 3600 % 24);
}

/* A time relative to another: +0.004s, +12.345s, +4m03s, -1.20s. */
void
offset_to_text(int64_t us, char *out, size_t sz)
{
	char	d[32];

	if (us < 0) {
		duration_to_text(-us, d, sizeof(d));
		snprintf(out, sz, "-%s", d);
	} else if (us < 60 * US_PER_SEC)
		snprintf(out, sz, "+%.3fs", (double)us / 1e6);
	else {
		duration_to_text(us, d, sizeof(d));
		snprintf(out, sz, "+%s", d);
	}
}

/*
 * An estimate, to the second: with sign, a time relative to another
 * (~+0s, ~+17s, ~+4m03s, ~-2s), else a duration (~17s).
 */
void
estimate_to_text(int64_t us, int sign, char *out, size_t sz)
{
	long long	s = (llabs(us) + US_PER_SEC / 2) / US_PER_SEC;
	char		d[32];

	if (s < 60)
		snprintf(d, sizeof(d), "%llds", s);
	else
		duration_to_text(s * US_PER_SEC, d, sizeof(d));
	snprintf(out, sz, "~%s%s", !sign ? "" : us < 0 ? "-" : "+", d);
}

/*
 * TIME: relative to now ("30m", "2h", "1d", "1w", "90s", "1h30m"), or
 * ISO 8601 ("2026-11-23", "2026-11-23T10:14", "...:07.5Z",
 * "...+02:00"); without a zone it is UTC, as trace shows times.
 */
int
text_to_time(const char *s, int64_t now, int64_t *t)
{
	int64_t	d;

	if (text_to_duration(s, &d) == 0) {
		*t = now - d;
		return 0;
	}
	return to_iso(s, t);
}

/*
 * A duration: "30m", "2h", "1d", "1w", "90s", "1h30m"; in all at most a
 * million weeks, so that neither the sum of its parts nor now less it
 * overflows.
 */
int
text_to_duration(const char *s, int64_t *d)
{
	long long	 n;
	char		*end;

	*d = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			return -1;
		n = strtoll(s, &end, 10);
		if (n < 0 || n > 1000000)
			return -1;
		switch (*end) {
		case 'w':
			n *= 7;
			/* FALLTHROUGH */
		case 'd':
			n *= 24;
			/* FALLTHROUGH */
		case 'h':
			n *= 60;
			/* FALLTHROUGH */
		case 'm':
			n *= 60;
			/* FALLTHROUGH */
		case 's':
			break;
		default:
			return -1;
		}
		*d += n * US_PER_SEC;
		if (*d > TO_DURATION_MAX)
			return -1;
		s = end + 1;
	}
	return 0;
}

/* Exactly n digits into *v. */
static int
to_digits(const char **s, int n, int *v)
{
	int	i;

	for (*v = 0, i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		*v = *v * 10 + (**s - '0');
	}
	return 0;
}

/* The days of month mo (1 to 12) of year y. */
static int
to_mdays(int y, int mo)
{
	static const int	days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };

	if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

static int
to_iso(const char *s, int64_t *t)
{
	struct tm	tm;
	int		y, mo, d, h = 0, mi = 0, sec = 0, oh, om, us = 0, i;

	memset(&tm, 0, sizeof(tm));
	if (to_digits(&s, 4, &y) || *s++ != '-' ||
	    to_digits(&s, 2, &mo) || *s++ != '-' ||
	    to_digits(&s, 2, &d))
		return -1;
	if ((*s == 'T' || *s == ' ') && (s++, to_digits(&s, 2, &h) ||
	    *s++ != ':' || to_digits(&s, 2, &mi)))
		return -1;
	if (*s == ':' && (s++, to_digits(&s, 2, &sec)))
		return -1;
	if (*s == '.' || *s == ',') {
		for (s++, i = 0; isdigit((unsigned char)*s); s++, i++)
			if (i < 6)
				us = us * 10 + (*s - '0');
		for (; i < 6; i++)
			us *= 10;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > to_mdays(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = (int64_t)timegm(&tm) * US_PER_SEC + us;
	if (*s == 'Z' && s[1] == '\0')
		return 0;
	if ((*s == '+' || *s == '-') && s[1] != '\0') {
		i = *s++ == '-' ? -1 : 1;
		if (to_digits(&s, 2, &oh))
			return -1;
		if (*s == ':')
			s++;
		if (to_digits(&s, 2, &om) || *s != '\0' || oh > 23 || om > 59)
			return -1;
		*t -= i * (oh * 3600LL + om * 60LL) * US_PER_SEC;
		return 0;
	}
	return *s == '\0' ? 0 : -1;
}

/* Lowercase hex of 1 to 16 digits, as smtpd prints ids; *v set if 0. */
int
text_to_id(const char *s, size_t len, uint64_t *v)
{
	uint64_t	n = 0;
	size_t		i;

	if (s == NULL || len == 0 || len > 16)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			n = (n << 4) | (uint64_t)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			n = (n << 4) | (uint64_t)(s[i] - 'a' + 10);
		else
			return -1;
	}
	*v = n;
	return 0;
}

static const char *const to_status_names[LIFE_NSTATUS] = {
	[LIFE_QUEUED] = "queued",
	[LIFE_DELIVERED] = "delivered",
	[LIFE_DEFERRED] = "deferred",
	[LIFE_FAILED] = "failed",
	[LIFE_REJECTED] = "rejected",
	[LIFE_ABORTED] = "aborted",
	[LIFE_EXPIRED] = "expired",
	[LIFE_REMOVED] = "removed",
};

const char *
status_to_text(int s)
{
	return s >= 0 && s < LIFE_NSTATUS ? to_status_names[s] : "unknown";
}

/* A status by its name, in either case; -1 if none has it. */
int
text_to_status(const char *name)
{
	int	i;

	for (i = 0; i < LIFE_NSTATUS; i++)
		if (strcasecmp(name, to_status_names[i]) == 0)
			return i;
	return -1;
}

static const char *const to_outcome_names[SO_N] = {
	[SO_MAIL] = "mail",
	[SO_REFUSED_CONNECT] = "refused-connect",
	[SO_REFUSED_HELO] = "refused-helo",
	[SO_REFUSED_MAIL] = "refused-mail",
	[SO_REFUSED_RCPT] = "refused-rcpt",
	[SO_REFUSED_DATA] = "refused-data",
	[SO_AUTH_FAILED] = "auth-failed",
	[SO_TLS_FAILED] = "tls-failed",
	[SO_TIMEOUT] = "timeout",
	[SO_CONNECT_FAILED] = "connect-failed",
	[SO_ABORTED] = "aborted",
	[SO_NO_MAIL] = "no-mail",
};

/* The name session.outcome keeps for an outcome; NULL if none. */
const char *
session_outcome_to_text(int o)
{
	return o >= 0 && o < SO_N ? to_outcome_names[o] : NULL;
}

/* An outcome by its name, in either case; -1 if none has it. */
int
text_to_session_outcome(const char *name)
{
	int	i;

	for (i = 0; i < SO_N; i++)
		if (strcasecmp(name, to_outcome_names[i]) == 0)
			return i;
	return -1;
}

static const char *const to_counter_names[CNT_MAX] = {
	[CNT_LINES] = "lines",
	[CNT_EVENTS] = "events",
	[CNT_REJECTED] = "rejected",
	[CNT_CONFIG] = "config",
	[CNT_DIALOGUE_SKIPPED] = "dialogue_skipped",
	[CNT_AUTH_MASKED] = "auth_masked",
	[CNT_EXPIRED] = "sessions_expired",
	[CNT_EVICTED] = "sessions_evicted",
	[CNT_COMMITS] = "commits",
	[CNT_DB_ERRORS] = "db_errors",
	[CNT_SPILLED] = "spilled",
	[CNT_LOST] = "lost",
	[CNT_LAST_COMMIT] = "last_commit",
	[CNT_SPILL_ID] = "spill_id",
	[CNT_SPILL_OFFSET] = "spill_offset",
	[CNT_SPILL_DONE] = "spill_done",
};

/* The name a counter has in table counter; NULL if none. */
const char *
counter_to_text(int c)
{
	return c >= 0 && c < CNT_MAX ? to_counter_names[c] : NULL;
}

/* A counter by its name; -1 if none has it. */
int
text_to_counter(const char *name)
{
	int	i;

	for (i = 0; i < CNT_MAX; i++)
		if (strcmp(name, to_counter_names[i]) == 0)
			return i;
	return -1;
}
