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
 * maillog_cmd.c: "mailtrail maillog", smtpd's maillog into the outcome table:
 * syslog files (rotated .gz ones too) or standard input, the last file
 * followed as it grows with --follow.  Lines are committed in batches
 * and kept until their batch is; a busy database is waited for.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector.h"

#define MAILLOG_CMD_READ	(256 * 1024)	/* bytes read at once */
#define MAILLOG_CMD_BATCH	8192		/* lines per transaction */
#define MAILLOG_CMD_LINE_MAX	(1 << 20)	/* a longer line is cut */
#define MAILLOG_CMD_BUSY_S	30	/* a locked database is waited (s) */
#define MAILLOG_CMD_POLL_MS	250	/* a followed file is looked at (ms) */

struct maillog_cmd {
	struct store	*st;
	struct outcome	 oc;
	struct buf	 q;		/* bytes read, not yet committed */
	size_t		 done;		/* q.p[0..done) are whole lines */
	size_t		 nlines;	/* how many */
	char		*rbuf;
	sigset_t	 sigs;		/* SIGINT and SIGTERM, blocked */
	int		 follow;
	int		 stop;		/* one of them came */
};

static int	maillog_cmd_file(struct maillog_cmd *, const char *, int);
static int	maillog_cmd_read(struct maillog_cmd *, struct logfile *);
static int	maillog_cmd_follow(struct maillog_cmd *, struct logfile *);
static void	maillog_cmd_add(struct maillog_cmd *, const char *, size_t);
static void	maillog_cmd_end_line(struct maillog_cmd *);
static int	maillog_cmd_flush(struct maillog_cmd *);
static int	maillog_cmd_commit(struct maillog_cmd *);
static int	maillog_cmd_signalled(struct maillog_cmd *, int);
static void	maillog_cmd_report(const struct maillog_cmd *);

static const struct option maillog_cmd_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "follow", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	maillog_cmd_exec(int, char **);

const struct cmd_entry maillog_cmd_entry = {
	"maillog",
	"[-d db] [-f | --follow] file ...",
	"import smtpd's maillog lines ('-' for stdin, .gz too)",
	maillog_cmd_exec
};

static int
maillog_cmd_exec(int argc, char **argv)
{
	struct maillog_cmd	 mp;
	const char	*path = NULL;
	char		*cause;
	int		 ch, i, rv = 0;

	memset(&mp, 0, sizeof(mp));
	while ((ch = getopt_long(argc, argv, "d:fh", maillog_cmd_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'f':
			mp.follow = 1;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (path == NULL)
		path = db_default();
	if (optind == argc)
		return CMD_USAGE;
	if (util_inputs(argc - optind, argv + optind) != 0)
		return 1;
	if ((mp.st = store_open(path, MAILLOG_CMD_BUSY_S * 1000, &cause)) ==
	    NULL) {
		log_warnx("%s", cause);
		free(cause);
		return 1;
	}
	/* Blocked, they are only taken when it suits: nothing read is lost. */
	sigemptyset(&mp.sigs);
	sigaddset(&mp.sigs, SIGINT);
	sigaddset(&mp.sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &mp.sigs, NULL);
	outcome_init(&mp.oc, mp.st);
	mp.rbuf = xmalloc(MAILLOG_CMD_READ);
	for (i = optind; i < argc && rv == 0 && !mp.stop; i++)
		rv = maillog_cmd_file(&mp, argv[i], mp.follow && i == argc - 1);
	if (isatty(STDERR_FILENO))
		maillog_cmd_report(&mp);
	store_close(mp.st);
	buf_free(&mp.q);
	free(mp.rbuf);
	if (rv == 0 && mp.stop && !mp.follow)
		return log_error("interrupted");
	return rv == 0 ? 0 : 1;
}

/* One file, to its end, then as it grows if follow; -1 on error. */
static int
maillog_cmd_file(struct maillog_cmd *mp, const char *name, int follow)
{
	struct logfile	lf;
	int		rv;

	if (logfile_open(&lf, name) == -1) {
		log_error("%s: %s", name, lf.err);
		return -1;
	}
	outcome_file(&mp->oc, lf.regular ? lf.mtime : util_now());
	rv = maillog_cmd_read(mp, &lf);
	if (rv == 0 && follow && logfile_followable(&lf))
		rv = maillog_cmd_follow(mp, &lf);
	maillog_cmd_end_line(mp);
	if (maillog_cmd_flush(mp) == -1)
		rv = -1;
	logfile_close(&lf);
	return rv;
}

/* Read what there is now; 0, or -1 on error. */
static int
maillog_cmd_read(struct maillog_cmd *mp, struct logfile *lf)
{
	ssize_t	n;

	while (!maillog_cmd_signalled(mp, 0)) {
		if ((n = logfile_read(lf, mp->rbuf, MAILLOG_CMD_READ)) == 0)
			return 0;
		if (n == -1) {
			log_error("%s: %s", lf->name, lf->err);
			return -1;
		}
		if (n == LOGFILE_AGAIN) {
			/* A quiet pipe: commit what came so far. */
			if (maillog_cmd_flush(mp) == -1)
				return -1;
			continue;
		}
		maillog_cmd_add(mp, mp->rbuf, n);
		if (mp->nlines >= MAILLOG_CMD_BATCH &&
		    maillog_cmd_flush(mp) == -1)
			return -1;
	}
	return 0;
}

/*
 * As tail -F: look for more every MAILLOG_CMD_POLL_MS.  When another
 * file takes the path, what was written to the old one before is read
 * first; a file that shrank is read again from its start.
 */
static int
maillog_cmd_follow(struct maillog_cmd *mp, struct logfile *lf)
{
	for (;;) {
		if (maillog_cmd_flush(mp) == -1)
			return -1;
		if (maillog_cmd_signalled(mp, MAILLOG_CMD_POLL_MS))
			return 0;
		switch (logfile_check(lf)) {
		case LOGFILE_ROTATED:
			if (maillog_cmd_read(mp, lf) == -1)
				return -1;
			maillog_cmd_end_line(mp);
			if (logfile_reopen(lf) == -1) {
				log_error("%s: %s", lf->name, lf->err);
				return -1;
			}
			break;
		case LOGFILE_TRUNCATED:
			maillog_cmd_end_line(mp);
			break;
		case LOGFILE_SAME:
			break;
		}
		outcome_file(&mp->oc, util_now());
		if (maillog_cmd_read(mp, lf) == -1)
			return -1;
	}
}

static void
maillog_cmd_add(struct maillog_cmd *mp, const char *p, size_t n)
{
	const char	*nl;

	buf_append(&mp->q, p, n);
	while ((nl = memchr(mp->q.p + mp->done, '\n',
	    mp->q.len - mp->done)) != NULL) {
		mp->done = nl - mp->q.p + 1;
		mp->nlines++;
	}
	if (mp->q.len - mp->done > MAILLOG_CMD_LINE_MAX)
		maillog_cmd_end_line(mp);
}

/* The end of a file ends its last line, with or without a '\n'. */
static void
maillog_cmd_end_line(struct maillog_cmd *mp)
{
	if (mp->q.len == mp->done)
		return;
	buf_append(&mp->q, "\n", 1);
	mp->done = mp->q.len;
	mp->nlines++;
}

/* Commit the whole lines, waiting MAILLOG_CMD_BUSY_S for the database. */
static int
maillog_cmd_flush(struct maillog_cmd *mp)
{
	int	waited = 0;

	while (mp->nlines > 0 && maillog_cmd_commit(mp) == -1) {
		if (++waited > MAILLOG_CMD_BUSY_S * 10) {
			log_error("database busy for %d s, giving up: %s",
			    MAILLOG_CMD_BUSY_S, store_errmsg(mp->st));
			return -1;
		}
		usleep(US_PER_SEC / 10);
	}
	return 0;
}

/* One transaction; on failure the lines stay, to be tried again. */
static int
maillog_cmd_commit(struct maillog_cmd *mp)
{
	const char	*p = mp->q.p, *nl;
	size_t		 i;

	if (store_begin(mp->st) == -1)
		goto fail;
	for (i = 0; i < mp->nlines; i++) {
		nl = memchr(p, '\n', mp->q.p + mp->done - p);
		outcome_line(&mp->oc, p, nl - p);
		p = nl + 1;
	}
	if (outcome_save(&mp->oc) == -1 || store_commit(mp->st) == -1)
		goto fail;
	outcome_committed(&mp->oc);
	memmove(mp->q.p, mp->q.p + mp->done, mp->q.len - mp->done);
	mp->q.len -= mp->done;
	mp->done = mp->nlines = 0;
	return 0;
 fail:
	store_rollback(mp->st);
	outcome_discard(&mp->oc);
	return -1;
}

/* Has SIGINT or SIGTERM come (waiting up to ms for one)? */
static int
maillog_cmd_signalled(struct maillog_cmd *mp, int ms)
{
	struct timespec	ts;

	if (mp->stop)
		return 1;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	if (sigtimedwait(&mp->sigs, NULL, &ts) > 0)
		mp->stop = 1;
	return mp->stop;
}

static void
maillog_cmd_report(const struct maillog_cmd *mp)
{
	const int64_t	*c = mp->oc.total;

	fprintf(stderr, "mailtrail: maillog: %lld lines: %lld taken (%lld "
	    "already stored), %lld skipped, %lld malformed\n",
	    (long long)c[OCNT_LINES], (long long)c[OCNT_TAKEN],
	    (long long)c[OCNT_DUPLICATES], (long long)c[OCNT_SKIPPED],
	    (long long)c[OCNT_MALFORMED]);
}
