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
 * collect.c: "mailtrail collect", the report process smtpd starts.  It
 * answers the config block, then reads stdin until EOF and commits what
 * it read in batches.  It never exits while stdin is open, since smtpd
 * shuts the whole mail server down when a report process dies, and it
 * never stops reading, since smtpd would buffer without bound.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "mailtrail.h"
#include "collector.h"

#define COLLECT_READ	(256 * 1024)		/* bytes per read(2) */
#define COLLECT_BATCH	4096			/* lines per transaction */
#define COLLECT_TICK	(US_PER_SEC / 5)	/* a batch commits this soon */
#define COLLECT_RETRY	(30 * US_PER_SEC)	/* at EOF, keep trying */
#define COLLECT_BUDGET	(US_PER_SEC / 10)	/* of committing per turn
						   before reading again */

enum collect_hs {
	HS_WAIT,	/* reading the config block */
	HS_DONE		/* registered, or no config block came */
};

struct collect {
	const char	*path;
	int		 flags;
	size_t		 max_sessions;
	struct store	*st;
	struct ingest	 ing;
	struct batch	 b;
	struct spill	 sp;
	struct event	*tick;
	int64_t		 opened;	/* last try to open the database */
	int		 unopened;	/* it failed, and was said */
	enum collect_hs	 hs;
	struct buf	 hsbuf;		/* config lines seen so far */
	int		 out;		/* smtp-out was announced */
	char		*rbuf;
	struct log_limit limit;
	struct prune	 pr;		/* --retain */
};

static struct event_base *collect_base;

static void	collect_loop(struct collect *);
static void	collect_read(int, short, void *);
static void	collect_tick(int, short, void *);
static void	collect_signal(int, short, void *);
static int	collect_open(struct collect *);
static void	collect_handshake(struct collect *, const char *, size_t);
static void	collect_register(struct collect *);
static void	collect_drain(struct collect *);
static void	collect_write(const char *);

static const struct option collect_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "no-dialogue", no_argument, NULL, 'n' },
	{ "retain", required_argument, NULL, 'r' },
	{ "max-sessions", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	collect_exec(int, char **);

const struct cmd_entry collect_entry = {
	"collect",
	"[-d db] [--no-dialogue] [--retain duration] [--max-sessions n]",
	COLLECT_HELP,
	collect_exec
};

static int
collect_exec(int argc, char **argv)
{
	struct collect	 c;
	int64_t		 d;
	int		 ch;

	memset(&c, 0, sizeof(c));
	c.path = NULL;
	c.max_sessions = INGEST_MAX_SESSIONS;
	while ((ch = getopt_long(argc, argv, "d:h", collect_opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&c.path, optarg) != 0)
				return 1;
			break;
		case 'n':
			c.flags |= INGEST_NO_DIALOGUE;
			break;
		case 'r':
			if (text_to_duration(optarg, &d) == -1 || d <= 0)
				return log_error("bad --retain: %s",
				    optarg);
			prune_init(&c.pr, 0);
			c.pr.retain = d;
			c.pr.done = 1;
			break;
		case 'm':
			if ((c.max_sessions = ingest_max_arg(optarg)) == 0)
				return 1;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (c.path == NULL)
		c.path = db_default();
	if (optind != argc)
		return CMD_USAGE;
	batch_init(&c.b, NULL, NULL);
	spill_init(&c.sp, c.path);
	batch_spill_found(&c.b, &c.sp);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	c.rbuf = xmalloc(COLLECT_READ);
	collect_loop(&c);
	return 0;
}

/* Read stdin and commit at each tick until EOF or a signal, then drain. */
static void
collect_loop(struct collect *c)
{
	struct event	*rev, *tev, *sev[2];
	struct timeval	 tick = { 0, COLLECT_TICK };
	struct stat	 sb;

	/* Said before libevent tries, and says it its own way. */
	if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode))
		fatalx("cannot watch stdin, a file (a pipe or socket is "
		    "needed; mailtrail replay reads files)");
	if ((collect_base = event_base_new()) == NULL)
		fatalx("event_base_new failed");
	rev = event_new(collect_base, 0, EV_READ | EV_PERSIST, collect_read,
	    c);
	tev = c->tick = event_new(collect_base, -1, EV_PERSIST, collect_tick,
	    c);
	sev[0] = evsignal_new(collect_base, SIGTERM, collect_signal, c);
	sev[1] = evsignal_new(collect_base, SIGINT, collect_signal, c);
	if (rev == NULL || tev == NULL || sev[0] == NULL || sev[1] == NULL ||
	    event_add(rev, NULL) == -1 || event_add(tev, &tick) == -1 ||
	    event_add(sev[0], NULL) == -1 || event_add(sev[1], NULL) == -1)
		fatalx("cannot watch stdin (a pipe or socket is needed)");
	collect_open(c);
	event_base_dispatch(collect_base);
	collect_drain(c);
	event_free(rev);
	event_free(tev);
	event_free(sev[0]);
	event_free(sev[1]);
	event_base_free(collect_base);
}

/*
 * The database may be missing or unwritable at first; lines wait in
 * memory meanwhile, and each tick tries again.
 */
static int
collect_open(struct collect *c)
{
	char		*cause;

	if (c->st != NULL)
		return 0;
	if (util_now() - c->opened < COLLECT_TICK)
		return -1;
	c->opened = util_now();
	if ((c->st = store_open(c->path, 0, &cause)) == NULL) {
		log_limited(&c->limit, "%s, will retry", cause);
		c->unopened = 1;
		free(cause);
		return -1;
	}
	if (c->unopened)
		log_recovered(&c->limit, "%s: database open, %zu lines waiting",
		    c->path, c->b.nlines);
	ingest_init(&c->ing, c->st, c->flags);
	c->ing.max_sessions = c->max_sessions;
	c->b.ing = &c->ing;
	c->b.st = c->st;
	batch_spill_resume(&c->b);
	return 0;
}

static void
collect_read(int fd, short events, void *arg)
{
	struct collect	*c = arg;
	ssize_t		 n;

	(void)events;
	if ((n = read(fd, c->rbuf, COLLECT_READ)) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		log_warn("read");
		n = 0;
	}
	if (n == 0) {
		event_base_loopbreak(collect_base);
		return;
	}
	if (c->hs == HS_WAIT)
		collect_handshake(c, c->rbuf, n);
	batch_add(&c->b, c->rbuf, n);
	if (c->b.nlines >= COLLECT_BATCH && !c->b.failing &&
	    collect_open(c) == 0)
		batch_flush(&c->b, COLLECT_BATCH);
}

/*
 * Commit what waits, for a while at most: reading stdin must not wait
 * long.  If more is left, come back right after the next read.
 */
static void
collect_tick(int fd, short events, void *arg)
{
	struct collect	*c = arg;
	int64_t		 start = util_now();
	int		 n = 0;

	(void)fd;
	(void)events;
	if (!batch_pending(&c->b) || collect_open(c) == -1) {
		if (c->st != NULL && !batch_pending(&c->b))
			prune_tick(&c->pr, c->st, util_now());
		return;
	}
	while (util_now() - start < COLLECT_BUDGET &&
	    (n = batch_flush(&c->b, COLLECT_BATCH)) > 0)
		;
	if (n > 0)
		event_active(c->tick, EV_TIMEOUT, 0);
}

static void
collect_signal(int sig, short events, void *arg)
{
	(void)sig;
	(void)events;
	(void)arg;
	event_base_loopbreak(collect_base);
}

/*
 * Watch the config block go by; at config|ready, register for every
 * event of smtp-in and, if announced, smtp-out.  A stream that starts
 * with anything else did not come from smtpd: nothing is written.
 */
static void
collect_handshake(struct collect *c, const char *p, size_t len)
{
	struct buf	*h = &c->hsbuf;
	char		*nl;
	size_t		 used;

	buf_append(h, p, len);
	while (c->hs == HS_WAIT && (nl = memchr(h->p, '\n', h->len)) != NULL) {
		*nl = '\0';
		if (strncmp(h->p, "config|", 7) != 0)
			c->hs = HS_DONE;
		else if (strcmp(h->p, "config|subsystem|smtp-out") == 0)
			c->out = 1;
		else if (strcmp(h->p, "config|ready") == 0)
			collect_register(c);
		used = nl - h->p + 1;
		memmove(h->p, nl + 1, h->len - used);
		h->len -= used;
	}
	if (c->hs == HS_DONE || h->len > 65536) {
		c->hs = HS_DONE;
		buf_free(h);
	}
}

static void
collect_register(struct collect *c)
{
	int	fd;

	collect_write("register|report|smtp-in|*\n");
	if (c->out)
		collect_write("register|report|smtp-out|*\n");
	collect_write("register|ready\n");
	/* Anything written after this would make smtpd exit. */
	if ((fd = open("/dev/null", O_WRONLY)) != -1) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	c->hs = HS_DONE;
}

static void
collect_write(const char *s)
{
	size_t	len = strlen(s);
	ssize_t	n;

	while (len > 0) {
		if ((n = write(STDOUT_FILENO, s, len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			log_warn("cannot register with smtpd");
			return;
		}
		s += n;
		len -= n;
	}
}

/*
 * At EOF: commit what is left, trying for a while if the database is
 * busy; what still cannot be committed is left in the journal, if it
 * can be written.
 */
static void
collect_drain(struct collect *c)
{
	int64_t	last = util_now();

	batch_finish(&c->b);
	while (batch_pending(&c->b) &&
	    util_now() - last < COLLECT_RETRY) {
		if (collect_open(c) == 0 &&
		    batch_flush(&c->b, COLLECT_BATCH) >= 0) {
			last = util_now();
			continue;
		}
		usleep(US_PER_SEC / 10);
	}
	batch_abandon(&c->b);
	batch_free(&c->b);
	if (c->st != NULL) {
		ingest_clear(&c->ing);
		store_close(c->st);
	}
	buf_free(&c->hsbuf);
	prune_free(&c->pr);
	spill_free(&c->sp);
	free(c->rbuf);
}
