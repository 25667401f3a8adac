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
 * export.c: "mailtrail export".  Streams envelope lives (the objects of
 * trace --json) or, with --events, report events as NDJSON, in time
 * order, one built, printed and freed at a time; --follow then prints
 * what the collector commits.  --raw writes every line the collector
 * received back, byte for byte and in order, malformed ones included.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define EXPORT_POLL_US	200000	/* --follow: data_version poll interval */
#define EXPORT_CHUNK	1024	/* --follow: events read at a time */

struct export_opts {
	int			 events, follow, summary, ecs, sessions;
	int			 jobs;		/* -j; 0 as many as fit */
	struct model_query	 q;
};

#define EXPORT_RAW_SQL \
	"SELECT e.raw, e.t, e.k, s.sid, e.m, e.x FROM event e " \
	"LEFT JOIN session s ON s.id = e.s ORDER BY e.id"

static int	export_raw(const char *, FILE *);
static int	export_raw_rows(sqlite3 *, FILE *);
static void	export_raw_line(sqlite3_stmt *, FILE *);
static int	export_json(const char *, struct export_opts *);
static int	export_lives(struct model *, const struct export_opts *,
		    const struct model_pos *, const struct model_pos *);
static int	export_answers(struct model *, const struct export_opts *,
		    int);
static int	export_events(struct model *, const struct export_opts *,
		    int64_t, int64_t);
static int	export_follow(struct model *, const struct export_opts *,
		    const struct model_pos *);
static int	export_multi(struct hosts *, struct export_opts *);

static const struct option export_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "raw", no_argument, NULL, 'r' },
	{ "events", no_argument, NULL, 'e' },
	{ "follow", no_argument, NULL, 'f' },
	{ "summary", no_argument, NULL, 's' },
	{ "sessions", no_argument, NULL, 'S' },
	{ "format", required_argument, NULL, 'F' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	export_arg(int, struct export_opts *, struct hosts *,
		    const char **, int *);
static int	export_exec(int, char **);

const struct cmd_entry export_entry = {
	"export",
	"[-d db ...] [-c classes] [-j jobs] [--raw | [--events | --sessions] "
	    "[--follow] [--summary] [--format json|ecs] [query ...]]",
	"stream envelope lives (and sessions without mail) or report events "
	    "as NDJSON; --raw: every report line stored",
	export_exec
};

/*
 * One option ch (optarg) into o, hs, *classes or *raw: 0, CMD_HELP,
 * CMD_USAGE, or 1 after saying what is wrong.
 */
static int
export_arg(int ch, struct export_opts *o, struct hosts *hs,
    const char **classes, int *raw)
{
	switch (ch) {
	case 'd':
		return hosts_add(hs, optarg) == -1 ? 1 : 0;
	case 'F':
		if (strcmp(optarg, "ecs") != 0 && strcmp(optarg, "json") != 0)
			return log_error("--format %s: json or ecs", optarg);
		o->ecs = strcmp(optarg, "ecs") == 0;
		return 0;
	case 'c':
		*classes = optarg;
		return 0;
	case 'j':
		return jobs_count(optarg, &o->jobs) == -1 ? 1 : 0;
	case 'r':
		*raw = 1;
		return 0;
	case 'e':
		o->events = 1;
		return 0;
	case 'f':
		o->follow = 1;
		return 0;
	case 's':
		o->summary = 1;
		return 0;
	case 'S':
		o->sessions = 1;
		return 0;
	case 'h':
		return CMD_HELP;
	default:
		return CMD_USAGE;
	}
}

static int
export_exec(int argc, char **argv)
{
	struct export_opts	 o;
	struct hosts		 hs;
	const char		*path, *bad, *classes = NULL;
	char			 err[CLASS_ERR];
	int			 ch, rv, raw = 0;

	memset(&o, 0, sizeof(o));
	hs.n = 0;
	while ((ch = getopt_long(argc, argv, "c:d:hj:", export_opts, NULL)) !=
	    -1)
		if ((rv = export_arg(ch, &o, &hs, &classes, &raw)) != 0)
			return rv;
	path = hs.n > 0 ? hs.h[hs.n - 1].path : db_default();
	if (o.sessions && (o.events || o.follow))
		return log_error("--sessions goes with neither --events nor "
		    "--follow");
	if (class_rules(classes, err, sizeof(err)) == -1)
		return log_error("%s", err);
	if (!raw) {
		if (model_query_parse(&o.q, argc - optind, argv + optind,
		    util_now(), &bad) == -1)
			return log_error("bad query term: \"%s\"", bad);
		if (o.jobs > 1 && (hs.n > 1 || o.ecs || o.events ||
		    o.follow || o.sessions))
			return log_error("-j %d: only lives from one database, "
			    "as JSON, are split", o.jobs);
		if (hs.n > 1 || o.ecs)
			return export_multi(&hs, &o);
		if (!o.events && !o.follow && !o.sessions &&
		    (rv = jobs_export(path, &o.q, o.summary, o.jobs)) != -1)
			return rv;
		return export_json(path, &o);
	}
	if (optind != argc || o.events || o.follow || o.summary || o.ecs ||
	    o.sessions || hs.n > 1 || o.jobs > 1)
		return log_error("--raw takes no query and no other option "
		    "but one -d");
	/* As gzip does: bytes from the network raw are not a terminal's. */
	if (isatty(STDOUT_FILENO))
		return log_error("--raw writes each line byte for byte, control "
		    "bytes too: to a file or a pipe, not a terminal");
	return export_raw(path, stdout);
}

/* Several databases (-d a.db -d b.db), or --format ecs: multi_export.c. */
static int
export_multi(struct hosts *hs, struct export_opts *o)
{
	struct multi_opts	 mo;

	if (hs->n == 0 && hosts_add(hs, db_default()) == -1)
		return 1;
	memset(&mo, 0, sizeof(mo));
	mo.events = o->events;
	mo.follow = o->follow;
	mo.summary = o->summary;
	mo.ecs = o->ecs;
	mo.sessions = o->sessions;
	mo.q = &o->q;
	return multi_export(hs, &mo);
}

/* --raw: every line of the database at path, as received. */
static int
export_raw(const char *path, FILE *fp)
{
	struct db	db;
	int		rv;

	if (db_open(&db, path, 0, 0) == -1)
		rv = log_error("%s", db_error(&db));
	else
		rv = export_raw_rows(db.h, fp);
	db_close(&db);
	return rv;
}

static int
export_raw_rows(sqlite3 *db, FILE *fp)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(db, EXPORT_RAW_SQL, -1, &s, NULL) != SQLITE_OK)
		return log_error("%s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		export_raw_line(s, fp);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return log_error("%s", sqlite3_errmsg(db));
	if (fflush(fp) == EOF || ferror(fp))
		return log_error("write error");
	return 0;
}

/* The line as received: kept raw, or rebuilt from its parts. */
static void
export_raw_line(sqlite3_stmt *s, FILE *fp)
{
	struct report	 r;
	char		 hdr[PROTO_HEADER_MAX];
	int64_t		 k;
	int		 n, ev, dir;

	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		if ((n = sqlite3_column_bytes(s, 0)) > 0)
			fwrite(sqlite3_column_blob(s, 0), 1, n, fp);
		putc('\n', fp);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.time = sqlite3_column_int64(s, 1);
	k = sqlite3_column_int64(s, 2);
	proto_kind_split(k, &ev, &dir, &r.minor);
	r.event = ev;
	r.dir = dir;
	r.session = (uint64_t)sqlite3_column_int64(s, 3);
	if ((n = proto_header_format(&r, hdr, sizeof(hdr))) < 0)
		return;
	fwrite(hdr, 1, n, fp);
	if (sqlite3_column_type(s, 4) != SQLITE_NULL)
		fprintf(fp, "|%08x", (uint32_t)sqlite3_column_int64(s, 4));
	if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
		putc('|', fp);
		if ((n = sqlite3_column_bytes(s, 5)) > 0)
			fwrite(sqlite3_column_text(s, 5), 1, n, fp);
	}
	putc('\n', fp);
}

/* Lives or events up to now, then (--follow) what comes. */
static int
export_json(const char *path, struct export_opts *o)
{
	struct model		*m;
	struct model_pos	 hi;
	char			*cause;
	int			 rv;

	if ((m = model_open(path, &cause)) == NULL) {
		rv = log_error("%s", cause);
		free(cause);
		return rv;
	}
	/* One snapshot: --follow goes on from exactly where it ends. */
	if (model_begin(m) == -1 || model_last(m, &hi) == -1) {
		rv = log_error("%s", model_error(m));
		model_close(m);
		return rv;
	}
	rv = o->events ? export_events(m, o, 0, hi.event) :
	    export_lives(m, o, NULL, &hi);
	model_end(m);
	if (rv == 0 && fflush(stdout) == EOF)
		rv = log_error("write error");
	if (rv == 0 && o->follow)
		rv = export_follow(m, o, &hi);
	model_close(m);
	return rv;
}

/*
 * Every matching life (from NULL), with --sessions the sessions with
 * no life of their own among them, or the lives that events and
 * maillog lines in (from, to] changed.
 */
static int
export_lives(struct model *m, const struct export_opts *o,
    const struct model_pos *from, const struct model_pos *to)
{
	struct model_iter	*it;
	const struct model_life	*l;
	int			 flags, rv = 0;

	flags = o->summary ? 0 : MODEL_EVENTS;
	if (from == NULL)
		return export_answers(m, o, flags);
	if ((it = model_changes(m, &o->q, flags, from, to)) == NULL)
		return log_error("%s", model_error(m));
	while (rv == 0 && (l = model_next(it)) != NULL)
		if (json_life_print(l, !o->summary, stdout) == -1)
			rv = log_error("write error");
	if (rv == 0 && model_iter_failed(it))
		rv = log_error("%s", model_error(m));
	model_iter_free(it);
	return rv;
}

/* Every matching life, and (--sessions) session alone, in time order. */
static int
export_answers(struct model *m, const struct export_opts *o, int flags)
{
	struct model_answers	*an;
	const struct model_life	*l;
	const struct model_alone *a;
	int			 rv = 0;

	if ((an = model_answer_open(m, &o->q, flags, o->sessions)) == NULL)
		return log_error("%s", model_error(m));
	while (rv == 0 && model_answer_next(an, &l, &a))
		if ((l != NULL ? json_life_print(l, !o->summary, stdout) :
		    json_session_print(a, !o->summary, stdout)) == -1)
			rv = log_error("write error");
	if (rv == 0 && model_answer_failed(an))
		rv = log_error("%s", model_error(m));
	model_answer_close(an);
	return rv;
}

static int
export_events(struct model *m, const struct export_opts *o, int64_t from,
    int64_t to)
{
	struct model_stream		*st;
	const struct model_event	*e;
	const char			*bad;
	int				 rv = 0;

	if ((st = model_stream_open(m, &o->q, from, to, &bad)) == NULL)
		return bad == NULL ? log_error("%s", model_error(m)) :
		    log_error("--events takes only since:, until: and session "
		    "ids");
	while (rv == 0 && (e = model_stream_next(st)) != NULL)
		if (json_event_print(e, 1, stdout) == -1)
			rv = log_error("write error");
	if (rv == 0 && model_stream_failed(st))
		rv = log_error("%s", model_error(m));
	model_stream_close(st);
	return rv;
}

/*
 * Poll PRAGMA data_version (it changes when the collector commits or
 * maillog lines are imported); then read only the new events and
 * maillog lines, a chunk at a time.  Ends on a write error (the reader
 * went away) or a database error.
 */
static int
export_follow(struct model *m, const struct export_opts *o,
    const struct model_pos *start)
{
	struct model_pos	 from = *start, hi, to;
	int			 version, v, rv = 0;

	if ((version = model_data_version(m)) == -1)
		return log_error("%s", model_error(m));
	while (rv == 0) {
		usleep(EXPORT_POLL_US);
		if ((v = model_data_version(m)) == -1)
			return log_error("%s", model_error(m));
		if (v == version)
			continue;
		version = v;
		if (model_last(m, &hi) == -1)
			return log_error("%s", model_error(m));
		for (; rv == 0 && model_pos_step(&from, &hi, EXPORT_CHUNK,
		    &to); from = to) {
			rv = o->events ? export_events(m, o, from.event,
			    to.event) : export_lives(m, o, &from, &to);
			model_end(m);
		}
		if (rv == 0 && fflush(stdout) == EOF)
			rv = log_error("write error");
	}
	return rv;
}
