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
 * report.c: "mailtrail report": the reports of report_tab.c for a time
 * window, over one database or several (one per mail host, merged by
 * report_multi.c): the list without a name, else each section of the
 * named one as an aligned table, or the whole report as one JSON
 * document.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static const struct option report_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'u' },
	{ "at", required_argument, NULL, 'a' },
	{ "compare", no_argument, NULL, 'C' },
	{ "json", no_argument, NULL, 'j' },
	{ "top", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	report_time(struct report_ctx *, int, const char *);
static int	report_args(struct report_ctx *, int, char **, const char **);
static void	report_list_print(FILE *);
static int	report_open(struct report_ctx *);
static int	report_span(struct report_ctx *, struct host *, int64_t *,
		    int64_t *);
static int	report_bucket(struct report_ctx *);
static void	report_hosts(struct report_ctx *, FILE *);
static void	report_head(struct report_ctx *, const struct report_def *,
		    FILE *);
static void	report_json_time(cJSON *, const char *, int, int64_t);
static void	report_json_head(struct report_ctx *,
		    const struct report_def *);
static int	report_run(struct report_ctx *, const struct report_def *);

static void
report_list_print(FILE *fp)
{
	const struct report_def	*r;

	fprintf(fp, "usage: mailtrail report [name] [-d db ...] [-c classes] "
	    "[--since time]\n%*s[--until time] [--json] [--top n] "
	    "[--at time]\n%*s[--compare]\n\nreports:\n", 23, "", 23, "");
	for (r = report_tab_list; r->name != NULL; r++)
		fprintf(fp, "  %-12s %s\n", r->name, r->help);
	fprintf(fp, "\n--at time (queue only): the queue as it stood then\n"
	    "--compare (destinations only, with --since): beside each "
	    "figure, the\n    window of the same length before it; * marks "
	    "what got worse\n");
}

/* --since, --until or --at (ch) from arg; -1 after saying why. */
static int
report_time(struct report_ctx *ctx, int ch, const char *arg)
{
	int64_t	t;

	if (text_to_time(arg, ctx->now, &t) == -1) {
		log_error("bad time: \"%s\"", arg);
		return -1;
	}
	if (ch == 's') {
		ctx->since = t;
		ctx->has_since = 1;
	} else if (ch == 'u') {
		ctx->until = t;
		ctx->has_until = 1;
	} else {
		ctx->at = t;
		ctx->has_at = 1;
	}
	return 0;
}

/* Options and the report's name; -1 after saying what is wrong. */
static int
report_args(struct report_ctx *ctx, int argc, char **argv, const char **name)
{
	const char	*errstr, *classes = NULL;
	char		 err[CLASS_ERR];
	int		 ch;

	while ((ch = getopt_long(argc, argv, "c:d:h", report_opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			if (hosts_add(ctx->hs, optarg) == -1)
				return -1;
			break;
		case 's':
		case 'u':
		case 'a':
			if (report_time(ctx, ch, optarg) == -1)
				return -1;
			break;
		case 'c':
			classes = optarg;
			break;
		case 'j':
			ctx->json = 1;
			break;
		case 'C':
			ctx->compare = 1;
			break;
		case 't':
			ctx->top = strtonum(optarg, 0, INT_MAX, &errstr);
			if (errstr != NULL) {
				log_error("--top %s: %s", optarg, errstr);
				return -1;
			}
			break;
		case 'h':
			report_list_print(stdout);
			exit(0);
		default:
			report_list_print(stderr);
			return -1;
		}
	}
	if (argc - optind > 1) {
		report_list_print(stderr);
		return -1;
	}
	if (class_rules(classes, err, sizeof(err)) == -1) {
		log_error("%s", err);
		return -1;
	}
	*name = optind < argc ? argv[optind] : NULL;
	return 0;
}

/* Every database read-only, with its host's name. */
static int
report_open(struct report_ctx *ctx)
{
	struct host	*h;
	size_t		 i;

	for (i = 0; i < ctx->hs->n; i++) {
		h = &ctx->hs->h[i];
		if (sql_open(&h->db, h->path) == -1)
			return -1;
		h->name = hosts_name(h->db.h, h->path);
	}
	ctx->db = ctx->hs->h[0].db.h;
	ctx->path = ctx->hs->h[0].path;
	if (ctx->hs->n > 1)
		return report_multi_open(ctx);
	return 0;
}

/* Widen first, last to h's first and last session in the window. */
static int
report_span(struct report_ctx *ctx, struct host *h, int64_t *first,
    int64_t *last)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(h->db.h, "SELECT min(t_start), max(t_start) "
	    "FROM session WHERE t_start BETWEEN ?1 AND ?2", -1, &s,
	    NULL) != SQLITE_OK) {
		log_error("%s: %s", h->path, sqlite3_errmsg(h->db.h));
		return -1;
	}
	report_run_bind(ctx, s);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL) {
		if (sqlite3_column_int64(s, 0) < *first)
			*first = sqlite3_column_int64(s, 0);
		if (sqlite3_column_int64(s, 1) > *last)
			*last = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return 0;
}

/* An hour per row for up to two days of every database, else a day. */
static int
report_bucket(struct report_ctx *ctx)
{
	int64_t	first = INT64_MAX, last = INT64_MIN;
	int64_t	lo = ctx->since, hi = ctx->until;
	size_t	i;

	ctx->bucket = REPORT_HOUR;
	for (i = 0; i < ctx->hs->n; i++)
		if (report_span(ctx, &ctx->hs->h[i], &first, &last) == -1)
			return -1;
	if (first <= last) {
		if (!ctx->has_since)
			lo = first;
		if (!ctx->has_until)
			hi = last;
	}
	if (hi - lo > REPORT_HOURLY_MAX)
		ctx->bucket = REPORT_DAY;
	return 0;
}

/* "hosts: a, b", wrapped at the width. */
static void
report_hosts(struct report_ctx *ctx, FILE *fp)
{
	const char	*name;
	char		 esc[256];
	size_t		 i, col, len;
	int		 last;

	fputs("hosts:", fp);
	col = 6;
	for (i = 0; i < ctx->hs->n; i++) {
		name = ctx->hs->h[i].name;
		escape_bytes(esc, sizeof(esc), name, strlen(name));
		last = i + 1 == ctx->hs->n;
		len = 1 + strlen(esc) + !last;
		if (i > 0 && col + len > REPORT_WIDTH) {
			fputs("\n      ", fp);
			col = 6;
		}
		fprintf(fp, " %s%s", esc, last ? "\n" : ",");
		col += len;
	}
}

/* The report and its window; with several databases, their hosts. */
static void
report_head(struct report_ctx *ctx, const struct report_def *r, FILE *fp)
{
	char	a[40], b[40];

	if (ctx->has_since)
		report_fmt_stamp(ctx->since, 0, a, sizeof(a));
	if (ctx->has_until)
		report_fmt_stamp(ctx->until, 0, b, sizeof(b));
	fprintf(fp, "mailtrail report %s, %s to %s (UTC)\n", r->name,
	    ctx->has_since ? a : "from the start", ctx->has_until ? b : "now");
	if (ctx->has_at) {
		/* The instant as given: to the microsecond if need be. */
		report_fmt_stamp(ctx->at, 0, a, sizeof(a));
		if (ctx->at % US_PER_SEC != 0)
			snprintf(b, sizeof(b), ".%06lld",
			    (long long)(ctx->at % US_PER_SEC));
		fprintf(fp, "as it stood at %s%s (UTC)\n", a,
		    ctx->at % US_PER_SEC != 0 ? b : "");
	}
	if (ctx->hs->n > 1)
		report_hosts(ctx, fp);
	fputc('\n', fp);
}

/* A time of the window, or null when not given. */
static void
report_json_time(cJSON *doc, const char *key, int given, int64_t t)
{
	char	iso[40];

	if (!given) {
		cJSON_AddNullToObject(doc, key);
		return;
	}
	time_to_text(t, TO_ISO_US, iso, sizeof(iso));
	cJSON_AddStringToObject(doc, key, iso);
}

/* The document's keys before its sections. */
static void
report_json_head(struct report_ctx *ctx, const struct report_def *r)
{
	cJSON		*hosts;
	const char	*name;
	char		 iso[40];
	size_t		 i;

	ctx->doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(ctx->doc, "schema_version", 1);
	cJSON_AddStringToObject(ctx->doc, "report", r->name);
	report_json_time(ctx->doc, "since", ctx->has_since, ctx->since);
	report_json_time(ctx->doc, "until", ctx->has_until, ctx->until);
	report_json_time(ctx->doc, "at", ctx->has_at, ctx->at);
	time_to_text(ctx->now, TO_ISO_US, iso, sizeof(iso));
	cJSON_AddStringToObject(ctx->doc, "as_of", iso);
	cJSON_AddStringToObject(ctx->doc, "bucket",
	    ctx->bucket >= REPORT_DAY ? "day" : "hour");
	if (ctx->hs->n > 1) {
		hosts = cJSON_AddArrayToObject(ctx->doc, "hosts");
		for (i = 0; i < ctx->hs->n; i++) {
			name = ctx->hs->h[i].name;
			cJSON_AddItemToArray(hosts, cJSON_CreateString(
			    json_utf8(name, strlen(name), &ctx->tmp)));
		}
	}
	ctx->sections = cJSON_AddArrayToObject(ctx->doc, "sections");
}

static int
report_run(struct report_ctx *ctx, const struct report_def *r)
{
	const struct report_section	*sec;
	char				*out;
	int				 rv = 0;

	if (ctx->json)
		report_json_head(ctx, r);
	else
		report_head(ctx, r, stdout);
	for (sec = r->sections; sec->key != NULL && rv == 0; sec++)
		if (sec->kind == RK_DEST)
			rv = report_dest_section(ctx, sec, stdout);
		else if (ctx->hs->n > 1)
			rv = report_multi_section(ctx, sec, stdout);
		else
			rv = report_run_section(ctx, sec, stdout);
	if (ctx->json && rv == 0) {
		if ((out = cJSON_PrintUnformatted(ctx->doc)) == NULL)
			rv = log_error("out of memory");
		else {
			jw_print(stdout, out, strlen(out));
			putchar('\n');
			free(out);
		}
	}
	cJSON_Delete(ctx->doc);
	return rv;
}

static int	report_exec(int, char **);

const struct cmd_entry report_entry = {
	"report",
	"[name] [-d db ...] [-c classes] [--since time] "
	    "[--until time] [--json] [--top n] [--at time] [--compare]",
	"post-mortem reports: summary, rejections, deferrals, ...",
	report_exec
};

static int
report_exec(int argc, char **argv)
{
	struct report_ctx	 ctx;
	struct hosts		 hs;
	const struct report_def	*r;
	const char		*name;
	int			 rv;

	memset(&ctx, 0, sizeof(ctx));
	hs.n = 0;
	ctx.hs = &hs;
	ctx.now = util_now();
	ctx.until = INT64_MAX;
	ctx.top = REPORT_TOP;
	if (report_args(&ctx, argc, argv, &name) == -1)
		return 1;
	if (name == NULL) {
		report_list_print(stdout);
		return 0;
	}
	for (r = report_tab_list; r->name != NULL; r++)
		if (strcmp(r->name, name) == 0)
			break;
	if (r->name == NULL)
		return log_error("unknown report: %s (mailtrail report "
		    "lists them)", name);
	if (r->at == 0 && ctx.has_at)
		return log_error("--at: only report queue takes it");
	if (ctx.compare && (r->sections != report_dest_sections ||
	    !ctx.has_since))
		return log_error("--compare: report destinations with "
		    "--since only");
	if (ctx.has_until)
		ctx.now = ctx.until;
	if (ctx.has_at)
		ctx.now = ctx.at;
	if (ctx.has_since && ctx.has_until && ctx.since > ctx.until)
		return log_error("--since is after --until");
	if (hs.n == 0 && hosts_add(&hs, db_default()) == -1)
		return 1;
	rv = report_open(&ctx) == -1 || report_bucket(&ctx) == -1 ||
	    report_run(&ctx, r) == -1;
	if (rv == 0 && (fflush(stdout) == EOF || ferror(stdout)))
		rv = log_error("write error");
	buf_free(&ctx.tmp);
	report_multi_close(&ctx);
	hosts_close(&hs);
	return rv;
}
