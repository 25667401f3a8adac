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
 * trace.c: "mailtrail trace": follow envelopes through their whole
 * life: the smtp-in session that received them, the queue, every
 * smtp-out attempt, and where they stand now.  Text for people (colour
 * on a terminal, unless NO_COLOR), or NDJSON with --json.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static const struct option trace_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	{ "at", required_argument, NULL, 'a' },
	{ "timer", no_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* What one run of trace prints, and how. */
struct trace_ctx {
	struct hosts	 hs;
	struct model	*m;		/* one database: kept open */
	int		 json, color, timer;
	int64_t		 at;		/* --at: as the lives stood then */
};

static int	trace_color(void);
static int	trace_open(struct trace_ctx *);
static int	trace_query(struct trace_ctx *, const struct model_query *,
		    const char *);
static int	trace_stdin(struct trace_ctx *);
static int	trace_run(struct model *, const struct model_query *, int,
		    int, int *);

/* Colour only on a terminal, and never with NO_COLOR set. */
static int
trace_color(void)
{
	const char	*nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

static int	trace_exec(int, char **);

const struct cmd_entry trace_entry = {
	"trace",
	"[-d db ...] [-c classes] [--json] [--timer] [--at time] query ... | -",
	"follow envelopes through their whole life, and sessions that "
	    "carried none",
	trace_exec
};

static int
trace_exec(int argc, char **argv)
{
	struct trace_ctx	 c;
	struct model_query	 q;
	const char		*bad, *classes = NULL;
	char			 err[CLASS_ERR];
	int			 ch, rv;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "c:d:h", trace_opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			if (hosts_add(&c.hs, optarg) == -1)
				return 1;
			break;
		case 'c':
			classes = optarg;
			break;
		case 'j':
			c.json = 1;
			break;
		case 't':
			c.timer = 1;
			break;
		case 'a':
			if (text_to_time(optarg, util_now(), &c.at) == -1)
				return log_error("bad --at time: \"%s\"",
				    optarg);
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (optind == argc)
		return CMD_USAGE;
	if (class_rules(classes, err, sizeof(err)) == -1)
		return log_error("%s", err);
	if (c.at != 0 && c.hs.n > 1)
		return log_error("--at takes one database");
	c.color = !c.json && trace_color();
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0)
		rv = trace_open(&c) == -1 ? 1 : trace_stdin(&c);
	else if (model_query_parse(&q, argc - optind, argv + optind,
	    util_now(), &bad) == -1)
		return log_error("bad query term: \"%s\"", bad);
	else
		rv = trace_open(&c) == -1 ? 1 : trace_query(&c, &q, NULL);
	model_close(c.m);
	return rv;
}

/* One database is opened once; several, by multi_trace() each time. */
static int
trace_open(struct trace_ctx *c)
{
	char	*cause;

	if (c->hs.n > 1)
		return 0;
	c->m = model_open(c->hs.n == 1 ? c->hs.h[0].path :
	    db_default(), &cause);
	if (c->m == NULL) {
		log_warnx("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * One query (line: as read, for messages): 0 when something matched, 1
 * otherwise, after saying why.  --timer: its time on stderr.
 */
static int
trace_query(struct trace_ctx *c, const struct model_query *q,
    const char *line)
{
	struct model_query	 at;
	struct timespec		 t0, t1;
	char			 shown[ESCAPE_QUOTE_SIZE];
	int			 n, ns = 0;

	if (c->m == NULL)
		return multi_trace(&c->hs, q, c->json, c->color);
	if (c->at != 0) {
		at = *q;
		at.at = c->at;
		q = &at;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = trace_run(c->m, q, c->json, c->color, &ns);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (c->timer) {
		escape_bytes(shown, sizeof(shown), line != NULL ? line :
		    "query", line != NULL ? strlen(line) : 5);
		fprintf(stderr, "trace: %s: %d lives, %d sessions, %.3f ms\n",
		    shown, n < 0 ? 0 : n, ns,
		    (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	if (n == 0 && ns == 0)
		return line != NULL ? log_error("%s: no mail matches",
		    line) : log_error("no mail matches the query");
	return n < 0;
}

/*
 * "trace -": one query a line from standard input, each in turn, the
 * database kept open.  1 if any query failed or matched nothing.
 */
static int
trace_stdin(struct trace_ctx *c)
{
	struct model_query	 q;
	const char		*bad;
	char			*argv[MODEL_TERMS_MAX + 1];
	char			*line = NULL, *copy, *s, *p;
	size_t			 cap = 0;
	ssize_t			 len;
	int			 argc, rv = 0;

	while ((len = getline(&line, &cap, stdin)) != -1) {
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		copy = xstrdup(line);
		argc = 0;
		s = line;
		while ((p = strsep(&s, " \t")) != NULL &&
		    argc <= MODEL_TERMS_MAX)
			if (*p != '\0')
				argv[argc++] = p;
		if (argc > MODEL_TERMS_MAX)
			rv |= log_error("%s: more than %d terms", copy,
			    MODEL_TERMS_MAX);
		else if (argc > 0 && model_query_parse(&q, argc, argv,
		    util_now(), &bad) == -1)
			rv |= log_error("%s: bad query term: \"%s\"",
			    copy, bad);
		else if (argc > 0)
			rv |= trace_query(c, &q, copy);
		free(copy);
	}
	free(line);
	if (ferror(stdin))
		rv = log_error("standard input: read error");
	return rv;
}

/*
 * Print every life of q, and every session with no life of its own,
 * in time order, in one snapshot of the database: how many lives (and
 * in *ns how many sessions), or -1 on an error.
 */
static int
trace_run(struct model *m, const struct model_query *q, int json, int color,
    int *ns)
{
	struct model_answers	*an = NULL;
	const struct model_life	*l;
	const struct model_alone *a;
	int			 n = 0, rv = 0;

	if (model_begin(m) == -1 ||
	    (an = model_answer_open(m, q, MODEL_EVENTS, 1)) == NULL) {
		log_warnx("%s", model_error(m));
		model_end(m);	/* trace - goes on with the next query */
		return -1;
	}
	while (rv == 0 && model_answer_next(an, &l, &a)) {
		if (l != NULL)
			n++;
		else
			(*ns)++;
		if (json)
			rv = l != NULL ? json_life_print(l, 1, stdout) :
			    json_session_print(a, 1, stdout);
		else if (l != NULL)
			timeline_print(l, stdout, color);
		else
			timeline_session_print(a, stdout, color);
	}
	if (model_answer_failed(an)) {
		log_warnx("%s", model_error(m));
		rv = -1;
	} else if (fflush(stdout) == EOF || ferror(stdout)) {
		log_error("write error");
		rv = -1;
	}
	model_answer_close(an);
	model_end(m);
	return rv == 0 ? n : -1;
}
