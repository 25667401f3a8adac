/*
 * mlog.c: "mailtrail maillog", smtpd's maillog into the outcome table:
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

#include "logfile.h"
#include "mailtrail.h"
#include "outcome.h"
#include "store.h"
#include "util.h"

#define MLOG_READ	(256 * 1024)	/* bytes read at once */
#define MLOG_BATCH	8192		/* lines per transaction */
#define MLOG_LINE_MAX	(1 << 20)	/* a longer line is cut */
#define MLOG_BUSY_S	30		/* a locked database is waited (s) */
#define MLOG_POLL_MS	250		/* a followed file is looked at (ms) */

struct mlog {
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

static int	mlog_file(struct mlog *, const char *, int);
static int	mlog_read(struct mlog *, struct logfile *);
static int	mlog_follow(struct mlog *, struct logfile *);
static void	mlog_add(struct mlog *, const char *, size_t);
static void	mlog_end_line(struct mlog *);
static int	mlog_flush(struct mlog *);
static int	mlog_commit(struct mlog *);
static int	mlog_signalled(struct mlog *, int);
static void	mlog_report(const struct mlog *);

static const struct option mlog_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "follow", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
mlog_main(int argc, char **argv)
{
	struct mlog	 mp;
	const char	*path = mailtrail_db_default(), *errstr;
	int		 ch, i, rv = 0;

	memset(&mp, 0, sizeof(mp));
	while ((ch = getopt_long(argc, argv, "d:fh", mlog_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'f':
			mp.follow = 1;
			break;
		case 'h':
			return mailtrail_usage_cmd("maillog", 0);
		default:
			return mailtrail_usage_cmd("maillog", 1);
		}
	}
	if (optind == argc)
		return mailtrail_usage_cmd("maillog", 1);
	if ((mp.st = store_open(path, MLOG_BUSY_S * 1000, &errstr)) == NULL)
		return mailtrail_error("%s: %s", path, errstr);
	/* Blocked, they are only taken when it suits: nothing read is lost. */
	sigemptyset(&mp.sigs);
	sigaddset(&mp.sigs, SIGINT);
	sigaddset(&mp.sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &mp.sigs, NULL);
	outcome_init(&mp.oc, mp.st);
	mp.rbuf = xmalloc(MLOG_READ);
	for (i = optind; i < argc && rv == 0 && !mp.stop; i++)
		rv = mlog_file(&mp, argv[i], mp.follow && i == argc - 1);
	if (isatty(STDERR_FILENO))
		mlog_report(&mp);
	store_close(mp.st);
	buf_free(&mp.q);
	free(mp.rbuf);
	if (rv == 0 && mp.stop && !mp.follow)
		return mailtrail_error("interrupted");
	return rv == 0 ? 0 : 1;
}

/* One file, to its end, then as it grows if follow; -1 on error. */
static int
mlog_file(struct mlog *mp, const char *name, int follow)
{
	struct logfile	lf;
	int		rv;

	if (logfile_open(&lf, name) == -1) {
		mailtrail_error("%s: %s", name, lf.err);
		return -1;
	}
	outcome_file(&mp->oc, lf.regular ? lf.mtime : util_now());
	rv = mlog_read(mp, &lf);
	if (rv == 0 && follow && logfile_followable(&lf))
		rv = mlog_follow(mp, &lf);
	mlog_end_line(mp);
	if (mlog_flush(mp) == -1)
		rv = -1;
	logfile_close(&lf);
	return rv;
}

/* Read what there is now; 0, or -1 on error. */
static int
mlog_read(struct mlog *mp, struct logfile *lf)
{
	ssize_t	n;

	while (!mlog_signalled(mp, 0)) {
		if ((n = logfile_read(lf, mp->rbuf, MLOG_READ)) == 0)
			return 0;
		if (n == -1) {
			mailtrail_error("%s: %s", lf->name, lf->err);
			return -1;
		}
		if (n == LOGFILE_AGAIN) {
			/* A quiet pipe: commit what came so far. */
			if (mlog_flush(mp) == -1)
				return -1;
			continue;
		}
		mlog_add(mp, mp->rbuf, n);
		if (mp->nlines >= MLOG_BATCH && mlog_flush(mp) == -1)
			return -1;
	}
	return 0;
}

/*
 * As tail -F: look for more every MLOG_POLL_MS.  When another file
 * takes the path, what was written to the old one before is read
 * first; a file that shrank is read again from its start.
 */
static int
mlog_follow(struct mlog *mp, struct logfile *lf)
{
	for (;;) {
		if (mlog_flush(mp) == -1)
			return -1;
		if (mlog_signalled(mp, MLOG_POLL_MS))
			return 0;
		switch (logfile_check(lf)) {
		case LOGFILE_ROTATED:
			if (mlog_read(mp, lf) == -1)
				return -1;
			mlog_end_line(mp);
			if (logfile_reopen(lf) == -1) {
				mailtrail_error("%s: %s", lf->name, lf->err);
				return -1;
			}
			break;
		case LOGFILE_TRUNCATED:
			mlog_end_line(mp);
			break;
		case LOGFILE_SAME:
			break;
		}
		outcome_file(&mp->oc, util_now());
		if (mlog_read(mp, lf) == -1)
			return -1;
	}
}

static void
mlog_add(struct mlog *mp, const char *p, size_t n)
{
	const char	*nl;

	buf_append(&mp->q, p, n);
	while ((nl = memchr(mp->q.p + mp->done, '\n',
	    mp->q.len - mp->done)) != NULL) {
		mp->done = nl - mp->q.p + 1;
		mp->nlines++;
	}
	if (mp->q.len - mp->done > MLOG_LINE_MAX)
		mlog_end_line(mp);
}

/* The end of a file ends its last line, with or without a '\n'. */
static void
mlog_end_line(struct mlog *mp)
{
	if (mp->q.len == mp->done)
		return;
	buf_append(&mp->q, "\n", 1);
	mp->done = mp->q.len;
	mp->nlines++;
}

/* Commit the whole lines, waiting up to MLOG_BUSY_S for the database. */
static int
mlog_flush(struct mlog *mp)
{
	int	waited = 0;

	while (mp->nlines > 0 && mlog_commit(mp) == -1) {
		if (++waited > MLOG_BUSY_S * 10) {
			mailtrail_error("database busy for %d s, giving up: %s",
			    MLOG_BUSY_S, store_errmsg(mp->st));
			return -1;
		}
		usleep(100000);
	}
	return 0;
}

/* One transaction; on failure the lines stay, to be tried again. */
static int
mlog_commit(struct mlog *mp)
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
mlog_signalled(struct mlog *mp, int ms)
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
mlog_report(const struct mlog *mp)
{
	const int64_t	*c = mp->oc.total;

	fprintf(stderr, "mailtrail: maillog: %lld lines: %lld taken (%lld "
	    "already stored), %lld skipped, %lld malformed\n",
	    (long long)c[OCNT_LINES], (long long)c[OCNT_TAKEN],
	    (long long)c[OCNT_DUPLICATES], (long long)c[OCNT_SKIPPED],
	    (long long)c[OCNT_MALFORMED]);
}
