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
 * replay.c: "mailtrail replay", captured report streams into the
 * database through the same parser and store as collect.  It reads the
 * files itself (libevent cannot watch a regular file).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector.h"

#define REPLAY_READ	(1024 * 1024)
#define REPLAY_BUSY_S	30	/* give up on a database locked this long */
/*
 * Lines per transaction.  Each page a transaction changes is written
 * once to the WAL and once more at the checkpoint, however many of its
 * lines changed it; on a large database the lines of a batch change
 * leaves all over each index, so a larger batch writes less per line
 * (a 10M-line replay: 66 s with 32768, 54 s with this).  The batch is
 * held in memory: about 30 MiB more than collect needs.
 */
#define REPLAY_BATCH	262144

struct replay {
	struct store	*st;
	struct ingest	 ing;
	struct batch	 b;
	char		*rbuf;
	int		 progress;	/* stderr is a terminal */
	int64_t		 start, shown;
	int64_t		 lines;
	int		 bulk;		/* the readers' indexes wait */
};

static int	replay_open(struct replay *, const char *, size_t);
static int	replay_file(struct replay *, const char *);
static int	replay_flush(struct replay *, int);
static void	replay_progress(struct replay *, const char *, int);
static int	replay_indexes(struct replay *);

static const struct option replay_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "max-sessions", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	replay_exec(int, char **);

const struct cmd_entry replay_entry = {
	"replay",
	"[-d db] [--max-sessions n] file ...",
	"load captured report streams ('-' for stdin)",
	replay_exec
};

static int
replay_exec(int argc, char **argv)
{
	struct replay	 rp;
	const char	*path = NULL;
	size_t		 max = INGEST_MAX_SESSIONS;
	int		 ch, i, rv = 0;

	while ((ch = getopt_long(argc, argv, "d:h", replay_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'm':
			if ((max = ingest_max_arg(optarg)) == 0)
				return 1;
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
	if (replay_open(&rp, path, max) == -1)
		return 1;
	for (i = optind; i < argc && rv == 0; i++)
		rv = replay_file(&rp, argv[i]);
	if (rv == 0) {
		batch_finish(&rp.b);
		rv = replay_flush(&rp, 1);
	}
	if (rp.bulk && replay_indexes(&rp) == -1)
		rv = -1;
	if (rp.progress)
		replay_progress(&rp, "", 1);
	ingest_clear(&rp.ing);
	batch_free(&rp.b);
	store_close(rp.st);
	free(rp.rbuf);
	return rv == 0 ? 0 : 1;
}

/* The database for a replay, in bulk when new: -1 after saying why. */
static int
replay_open(struct replay *rp, const char *path, size_t max)
{
	char	*cause;

	memset(rp, 0, sizeof(*rp));
	if ((rp->st = store_open(path, REPLAY_BUSY_S * 1000, &cause)) ==
	    NULL) {
		log_warnx("%s", cause);
		free(cause);
		return -1;
	}
	if ((rp->bulk = store_bulk_begin(rp->st, REPLAY_BUSY_S * 1000)) ==
	    -1) {
		log_warnx("%s", store_bulk_error(rp->st));
		store_close(rp->st);
		return -1;
	}
	ingest_init(&rp->ing, rp->st, 0);
	rp->ing.max_sessions = max;
	/* A new database: no session to take back, until a rollback. */
	rp->ing.fresh = rp->bulk == 1;
	batch_init(&rp->b, &rp->ing, rp->st);
	rp->rbuf = xmalloc(REPLAY_READ);
	rp->progress = isatty(STDERR_FILENO);
	rp->start = util_now();
	return 0;
}

static int
replay_file(struct replay *rp, const char *name)
{
	ssize_t	n;
	int	fd;

	if (strcmp(name, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(name, O_RDONLY)) == -1)
		return log_error("%s: %s", name, strerror(errno));
	while ((n = read(fd, rp->rbuf, REPLAY_READ)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			log_error("%s: %s", name, strerror(errno));
			break;
		}
		batch_add(&rp->b, rp->rbuf, n);
		if (replay_flush(rp, 0) == -1)
			break;
		if (rp->progress)
			replay_progress(rp, name, 0);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return n == 0 ? 0 : -1;
}

/*
 * Commit full batches (all waiting lines if final).  A busy database is
 * waited for, up to REPLAY_BUSY_S.
 */
static int
replay_flush(struct replay *rp, int final)
{
	int	n, waited = 0;

	while (rp->b.nlines >= (final ? 1 : REPLAY_BATCH)) {
		if ((n = batch_flush(&rp->b, REPLAY_BATCH)) >= 0) {
			rp->lines += n;
			continue;
		}
		if (++waited > REPLAY_BUSY_S * 10)
			return log_error("database busy for %d s, giving "
			    "up: %s", REPLAY_BUSY_S, store_errmsg(rp->st));
		usleep(US_PER_SEC / 10);
	}
	return 0;
}

/*
 * Into a new database, the readers' indexes are made once, now: from
 * the rows in order, rather than entry by entry as the lines came.
 */
static int
replay_indexes(struct replay *rp)
{
	if (rp->progress)
		fprintf(stderr, "\rmailtrail: replay: %lld lines, making the "
		    "readers' indexes\033[K", (long long)rp->lines);
	if (store_bulk_end(rp->st, REPLAY_BUSY_S * 1000) == -1) {
		log_warnx("%s", store_bulk_error(rp->st));
		return -1;
	}
	return 0;
}

static void
replay_progress(struct replay *rp, const char *name, int last)
{
	int64_t	now = util_now(), us, rate;
	char	shown[ESCAPE_QUOTE_SIZE];

	if (!last && now - rp->shown < US_PER_SEC / 2)
		return;
	escape_bytes(shown, sizeof(shown), name, strlen(name));
	rp->shown = now;
	us = now - rp->start;
	rate = us > 0 ? rp->lines * US_PER_SEC / us : 0;
	if (last)
		fprintf(stderr, "\rmailtrail: replayed %lld lines in %.1f s, "
		    "%lld lines/s\033[K\n", (long long)rp->lines,
		    (double)us / US_PER_SEC, (long long)rate);
	else
		fprintf(stderr, "\rmailtrail: replay %s: %lld lines, "
		    "%lld lines/s\033[K", shown, (long long)rp->lines,
		    (long long)rate);
}
