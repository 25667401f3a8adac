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
 * log.c: messages on stderr, one line each, with a rate limit for
 * whatever the network or a failing disk can trigger over and over: the
 * first message always, then one per interval, the interval doubling
 * while the messages keep coming.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mailtrail.h"

#define LOG_INTERVAL	10	/* seconds before a limited message again */
#define LOG_INTERVAL_MAX 600	/* the interval doubles up to this */

static const char *log_prog = "mailtrail";

static void	log_vmsg(const char *, unsigned long, const char *, va_list);
static time_t	log_clock(void);

void
log_init(const char *prog)
{
	log_prog = prog;
}

/* A line: the message, then the error, then how many were held back. */
static void
log_vmsg(const char *err, unsigned long held, const char *fmt, va_list ap)
{
	char	raw[1024], buf[1024], more[64] = "";

	/* A value it quotes may be the network's or the command line's. */
	vsnprintf(raw, sizeof(raw), fmt, ap);
	escape_text(buf, sizeof(buf), raw, strlen(raw));
	if (held > 0)
		snprintf(more, sizeof(more), " (%lu similar messages held "
		    "back)", held);
	if (err != NULL)
		fprintf(stderr, "%s: %s: %s%s\n", log_prog, buf, err, more);
	else
		fprintf(stderr, "%s: %s%s\n", log_prog, buf, more);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vmsg(strerror(saved), 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(NULL, 0, fmt, ap);
	va_end(ap);
}

/* A command's error, said once: returns 1, its exit status. */
int
log_error(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(NULL, 0, fmt, ap);
	va_end(ap);
	return 1;
}

/* Seconds that only go forward, for the intervals. */
static time_t
log_clock(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return time(NULL);
	return ts.tv_sec;
}

/*
 * May a limited message be printed at now (seconds)?  The first always
 * may, then one per interval.  The interval doubles at each one printed,
 * up to LOG_INTERVAL_MAX, and is LOG_INTERVAL again once a whole
 * interval went by without any.  *held: how many were held back since
 * the last one printed.
 */
int
log_limit_pass(struct log_limit *l, time_t now, unsigned long *held)
{
	int	quiet = l->interval == 0 || now - l->seen >= l->interval;

	l->seen = now;
	if (!quiet && now - l->last < l->interval) {
		l->held++;
		return 0;
	}
	if (quiet)
		l->interval = LOG_INTERVAL;
	else if ((l->interval *= 2) > LOG_INTERVAL_MAX)
		l->interval = LOG_INTERVAL_MAX;
	*held = l->held;
	l->last = now;
	l->held = 0;
	return 1;
}

void
log_limited(struct log_limit *l, const char *fmt, ...)
{
	va_list		ap;
	unsigned long	held;

	if (!log_limit_pass(l, log_clock(), &held))
		return;
	va_start(ap, fmt);
	log_vmsg(NULL, held, fmt, ap);
	va_end(ap);
}

/*
 * What l limited is over: said always, with how many messages were held
 * back since the last one; the next failure is said at once.
 */
void
log_recovered(struct log_limit *l, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(NULL, l->held, fmt, ap);
	va_end(ap);
	memset(l, 0, sizeof(*l));
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved = errno;

	va_start(ap, fmt);
	log_vmsg(strerror(saved), 0, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(NULL, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
