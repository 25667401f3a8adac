/*
 * trace.c: "mailtrail trace": follow envelopes through their whole
 * life: the smtp-in session that received them, the queue, every
 * smtp-out attempt, and where they stand now.  Text for people (colour
 * on a terminal, unless NO_COLOR), or NDJSON with --json.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "hosts.h"
#include "json.h"
#include "mailtrail.h"
#include "model.h"
#include "multi.h"
#include "timeline.h"
#include "util.h"

static const struct option trace_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	trace_color(void);
static int	trace_run(struct model *, const struct model_query *, int);

/* Colour only on a terminal, and never with NO_COLOR set. */
static int
trace_color(void)
{
	const char	*nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

int
trace_main(int argc, char **argv)
{
	struct model_query	 q;
	struct hosts		 hs;
	struct model		*m;
	const char		*bad;
	int			 ch, json = 0, rv;

	hs.n = 0;
	while ((ch = getopt_long(argc, argv, "+d:h", trace_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (hosts_add(&hs, optarg) == -1)
				return 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return mailtrail_usage_cmd("trace", 0);
		default:
			return mailtrail_usage_cmd("trace", 1);
		}
	}
	if (optind == argc)
		return mailtrail_usage_cmd("trace", 1);
	if (model_query_parse(&q, argc - optind, argv + optind, util_now(),
	    &bad) == -1)
		return mailtrail_error("bad query term: \"%s\"", bad);
	if (hs.n > 1)
		return multi_trace(&hs, &q, json, !json && trace_color());
	if ((m = model_open(hs.n == 1 ? hs.h[0].path :
	    mailtrail_db_default())) == NULL)
		return 1;
	rv = trace_run(m, &q, json);
	model_close(m);
	return rv;
}

/* Print every life of q, in one snapshot of the database. */
static int
trace_run(struct model *m, const struct model_query *q, int json)
{
	struct model_iter	*it;
	const struct model_life	*l;
	int			 color = !json && trace_color(), n = 0, rv = 0;

	if (model_begin(m) == -1 ||
	    (it = model_lives(m, q, MODEL_EVENTS)) == NULL)
		return 1;
	while ((l = model_next(it)) != NULL && rv == 0) {
		n++;
		if (json)
			rv = json_life_print(l, 1, stdout);
		else
			timeline_print(l, stdout, color);
	}
	if (model_iter_failed(it))
		rv = 1;
	else if (fflush(stdout) == EOF || ferror(stdout))
		rv = mailtrail_error("write error");
	else if (n == 0)
		rv = mailtrail_error("no mail matches the query");
	model_iter_free(it);
	model_end(m);
	return rv;
}
