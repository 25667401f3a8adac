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
 * prune_cmd.c: "mailtrail prune": remove the traces that ended before
 * a time (prune.c says what a trace is), in transactions of a few
 * thousand rows that a running collector can interleave with, then
 * give the space back and say what was done.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector.h"

#define PRUNE_CMD_ROWS	20000			/* rows per step */
#define PRUNE_CMD_WAIT	(30 * US_PER_SEC)	/* a busy database */

static const struct option prune_cmd_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "older-than", required_argument, NULL, 'o' },
	{ "no-vacuum", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	prune_cmd_all(struct prune *, struct store *);
static void	prune_cmd_say(const struct prune *, int, int64_t, int64_t);

/* Steps until the pass is over; a locked database is waited for. */
static int
prune_cmd_all(struct prune *p, struct store *st)
{
	int64_t	last = util_now();

	while (!p->done) {
		if (prune_step(p, st, PRUNE_CMD_ROWS) != -1) {
			last = util_now();
			continue;
		}
		if (util_now() - last > PRUNE_CMD_WAIT) {
			log_error("cannot write the database: %s",
			    store_errmsg(st));
			return -1;
		}
		usleep(US_PER_SEC / 10);
	}
	return 0;
}

static void
prune_cmd_say(const struct prune *p, int how, int64_t before, int64_t after)
{
	char	when[40];

	time_to_text(p->cutoff, TO_ISO_US, when, sizeof(when));
	printf("removed %lld traces ended before %s: %lld sessions, %lld "
	    "envelopes, %lld rows\n", (long long)p->traces, when,
	    (long long)p->sessions, (long long)p->envelopes,
	    (long long)p->rows);
	if (p->kept.n > 0)
		printf("kept %zu sessions of traces that go on past it\n",
		    p->kept.n);
	printf("database %.1f MiB -> %.1f MiB (%s)\n", before / 1048576.0,
	    after / 1048576.0, how == 2 ? "incremental vacuum" : how == 1 ?
	    "VACUUM" : "not vacuumed: freed pages are reused");
}

static int	prune_cmd_exec(int, char **);

const struct cmd_entry prune_cmd_entry = {
	"prune",
	"[-d db] --older-than time [--no-vacuum]",
	"remove whole traces older than time, reclaim the space",
	prune_cmd_exec
};

static int
prune_cmd_exec(int argc, char **argv)
{
	struct prune	 p;
	struct store	*st;
	struct stat	 sb;
	const char	*path = NULL, *older = NULL;
	char		*cause;
	int64_t		 cutoff, before = 0, after = 0;
	int		 ch, vacuum = 1, how, rv = 0;

	while ((ch = getopt_long(argc, argv, "d:h", prune_cmd_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'o':
			older = optarg;
			break;
		case 'n':
			vacuum = 0;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (path == NULL)
		path = db_default();
	if (optind != argc || older == NULL)
		return CMD_USAGE;
	if (text_to_time(older, util_now(), &cutoff) == -1)
		return log_error("bad time: \"%s\"", older);
	if (stat(path, &sb) == -1)
		return log_error("%s: %s", path, strerror(errno));
	if ((st = store_open(path, 30000, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return 1;
	}
	prune_init(&p, cutoff);
	if (prune_cmd_all(&p, st) == -1)
		rv = 1;
	else if ((how = prune_vacuum(st, vacuum, &before, &after)) == -1)
		rv = log_error("vacuum: %s", store_errmsg(st));
	else
		prune_cmd_say(&p, how, before, after);
	prune_free(&p);
	store_close(st);
	return rv;
}
