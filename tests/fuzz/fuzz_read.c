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
 * fuzz_read.c: libFuzzer target for the read side.  The input is lines:
 * one that starts with '@' is a line of smtpd's maillog (what follows
 * the '@'), any other a line of the report stream.  The writer stores
 * them (ingest_line(), outcome_line()) in a fresh database, committed;
 * then the readers run over it.  Every input gets the read model's
 * lives and events as trace and export print them (the timeline with
 * and without colour, JSON, ECS, a life's steps) and the TUI's rows,
 * sessions and events formatted as its screens draw them.  The commands
 * (trace by id, export, report) open the database themselves, which
 * costs more: each input runs one trace, one export and one report,
 * chosen by a hash of the input; FUZZ_READ_ALL in the environment runs
 * every one of them on every input.  Output goes to /dev/null.  A
 * reader that fails on what the writer made is a finding too: it aborts.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "schema/model.h"
#include "export/export.h"
#include "tui/tui.h"

#define FUZZ_READ_MAILLOG	'@'		/* a maillog line follows */
#define FUZZ_READ_MTIME		1798675200	/* the maillog's mtime (UTC
						   2026-12-31): syslog years */
#define FUZZ_READ_WIDE		300		/* a wide terminal */
#define FUZZ_READ_NEXPORTS	6

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_read_init(void);
static void	fuzz_read_unlink(void);
static void	fuzz_read_fail(const char *, const char *)
		    __attribute__((__noreturn__));
static void	fuzz_read_write(const uint8_t *, size_t);
static uint64_t	fuzz_read_model(void);
static uint64_t	fuzz_read_lives(struct model *, int);
static void	fuzz_read_events(struct model *);
static void	fuzz_read_steps(const struct model_life *);
static void	fuzz_read_run(const struct cmd_entry *, const char *,
		    const char *, const char *);
static void	fuzz_read_commands(uint32_t, uint64_t);
static void	fuzz_read_tui(void);
static void	fuzz_read_tui_lives(struct query *, int64_t);
static void	fuzz_read_tui_sessions(struct query *, int64_t);
static void	fuzz_read_tui_events(struct query *, const struct query_sess *);

/* export's ways, after "-d <db>". */
static const char *const fuzz_read_exports[FUZZ_READ_NEXPORTS][3] = {
	{ NULL, NULL, NULL },
	{ "--summary", NULL, NULL },
	{ "--events", NULL, NULL },
	{ "--format", "ecs", NULL },
	{ "--format", "ecs", "--events" },
	{ "--raw", NULL, NULL }
};

static char	 fuzz_read_path[64];
static int	 fuzz_read_all;

/* One database path on tmpfs when there is one; output to /dev/null. */
static void
fuzz_read_init(void)
{
	const char	*dir;
	int		 fd;

	dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_read_path, sizeof(fuzz_read_path),
	    "%s/mailtrail-fuzz-read-%d.db", dir, (int)getpid());
	fuzz_read_all = getenv("FUZZ_READ_ALL") != NULL;
	if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
	    dup2(fd, STDOUT_FILENO) == -1)
		abort();
	close(fd);
}

static void
fuzz_read_unlink(void)
{
	static const char *const	 ext[] = { "", "-wal", "-shm", "-spill" };
	char				 p[80];
	size_t				 i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", fuzz_read_path, ext[i]);
		unlink(p);
	}
}

static void
fuzz_read_fail(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_read: %s failed: %s\n", what,
	    why != NULL ? why : "(no reason)");
	abort();
}

/* The input through the writer, as replay and maillog store it. */
static void
fuzz_read_write(const uint8_t *data, size_t size)
{
	struct store	*st;
	struct ingest	 ing;
	struct outcome	 oc;
	const char	*p, *end = (const char *)data + size, *nl;
	char		*cause;

	if ((st = store_open(fuzz_read_path, 1000, &cause)) == NULL)
		fuzz_read_fail("store_open", cause);
	ingest_init(&ing, st, 0);
	outcome_init(&oc, st);
	outcome_file(&oc, (int64_t)FUZZ_READ_MTIME * US_PER_SEC);
	if (store_begin(st) == -1)
		fuzz_read_fail("store_begin", store_errmsg(st));
	for (p = (const char *)data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		if (nl > p && *p == FUZZ_READ_MAILLOG)
			outcome_line(&oc, p + 1, nl - p - 1);
		else
			ingest_line(&ing, p, nl - p);
	}
	if (ingest_save(&ing) == -1 || outcome_save(&oc) == -1 ||
	    store_commit(st) == -1)
		fuzz_read_fail("commit", store_errmsg(st));
	outcome_committed(&oc);
	ingest_clear(&ing);
	store_close(st);
}

/*
 * The read model as trace and export use it: every life with its events,
 * every life alone (export --summary), every event (export --events).
 * Returns an envelope id to trace by, 0 if none.
 */
static uint64_t
fuzz_read_model(void)
{
	struct model	*m;
	char		*cause;
	uint64_t	 evpid;

	if ((m = model_open(fuzz_read_path, &cause)) == NULL)
		fuzz_read_fail("model_open", cause);
	if (model_begin(m) == -1)
		fuzz_read_fail("model_begin", model_error(m));
	evpid = fuzz_read_lives(m, MODEL_EVENTS);
	(void)fuzz_read_lives(m, 0);
	fuzz_read_events(m);
	model_end(m);
	model_close(m);
	return evpid;
}

/* With events: the timeline, JSON, ECS and the steps; without: JSON. */
static uint64_t
fuzz_read_lives(struct model *m, int flags)
{
	struct model_query	 q;
	struct model_iter	*it;
	const struct model_life	*l;
	struct ecs_extra	 x;
	uint64_t		 evpid = 0;

	memset(&q, 0, sizeof(q));
	memset(&x, 0, sizeof(x));
	x.host = "fuzz";
	if ((it = model_lives(m, &q, flags)) == NULL)
		fuzz_read_fail("model_lives", model_error(m));
	while ((l = model_next(it)) != NULL) {
		if (evpid == 0 && l->has_evpid)
			evpid = l->evpid;
		if (!(flags & MODEL_EVENTS)) {
			if (json_life_print(l, 0, stdout) == -1)
				fuzz_read_fail("json_life_print", "write");
			continue;
		}
		timeline_print(l, stdout, 0);
		timeline_print(l, stdout, 1);
		if (json_life_print(l, 1, stdout) == -1 ||
		    ecs_life_print(l, &x, stdout) == -1)
			fuzz_read_fail("json_life_print", "write");
		fuzz_read_steps(l);
	}
	if (model_iter_failed(it))
		fuzz_read_fail("model_next", model_error(m));
	model_iter_free(it);
	return evpid;
}

static void
fuzz_read_events(struct model *m)
{
	struct model_query		 q;
	struct model_pos		 hi;
	struct model_stream		*st;
	const struct model_event	*e;
	const char			*bad;
	int				 seq = 0;

	memset(&q, 0, sizeof(q));
	if (model_last(m, &hi) == -1 ||
	    (st = model_stream_open(m, &q, 0, hi.event, &bad)) == NULL)
		fuzz_read_fail("model_stream_open", model_error(m));
	while ((e = model_stream_next(st)) != NULL)
		if (json_event_print(e, ++seq, stdout) == -1 ||
		    ecs_event_print(e, "fuzz", stdout) == -1)
			fuzz_read_fail("json_event_print", "write");
	if (model_stream_failed(st))
		fuzz_read_fail("model_stream_next", model_error(m));
	model_stream_close(st);
}

/* A life's steps as the life screen lays them out, narrow and wide. */
static void
fuzz_read_steps(const struct model_life *l)
{
	struct model_steps	 st;
	const struct model_step	*s;
	char			 cell[FORMAT_CELL * 16];
	size_t			 i;

	memset(&st, 0, sizeof(st));
	model_step_build(&st, l);
	for (i = 0; i < st.n; i++) {
		s = &st.v[i];
		(void)format_model_tone(s->tone);
		format_field(cell, sizeof(cell), s->text, s->len, 0,
		    TUI_MIN_COLS, 0);
		format_field(cell, sizeof(cell), s->text, s->len, 8,
		    FUZZ_READ_WIDE, FORMAT_UTF8);
		(void)format_width(s->text, s->len, FORMAT_UTF8);
	}
	model_step_free(&st);
}

/* A command's exec as main() calls it, with "-d <db>" and a to c. */
static void
fuzz_read_run(const struct cmd_entry *e, const char *a, const char *b,
    const char *c)
{
	char	*argv[8], what[128];
	int	 argc = 0;

	argv[argc++] = (char *)(uintptr_t)e->name;
	argv[argc++] = (char *)(uintptr_t)"-d";
	argv[argc++] = fuzz_read_path;
	if (a != NULL)
		argv[argc++] = (char *)(uintptr_t)a;
	if (b != NULL)
		argv[argc++] = (char *)(uintptr_t)b;
	if (c != NULL)
		argv[argc++] = (char *)(uintptr_t)c;
	argv[argc] = NULL;
	optind = 0;		/* getopt starts afresh */
	if (e->exec(argc, argv) != 0) {
		snprintf(what, sizeof(what), "%s %s %s %s", e->name,
		    a ? a : "", b ? b : "", c ? c : "");
		fuzz_read_fail(what, "exit status not 0");
	}
}

/* trace, export and report: those h picks, or all of them. */
static void
fuzz_read_commands(uint32_t h, uint64_t evpid)
{
	const struct report_def	*r;
	const char *const	*x;
	char			 id[17];
	size_t			 i, nr;

	snprintf(id, sizeof(id), "%016llx", (unsigned long long)evpid);
	for (nr = 0; report_tab_list[nr].name != NULL; nr++)
		;
	for (i = 0; i < 2; i++)
		if (evpid != 0 && (fuzz_read_all || h % 2 == i))
			fuzz_read_run(&trace_entry, i ? "--json" : id,
			    i ? id : NULL, NULL);
	h /= 2;
	for (i = 0; i < FUZZ_READ_NEXPORTS; i++) {
		x = fuzz_read_exports[i];
		if (fuzz_read_all || h % FUZZ_READ_NEXPORTS == i)
			fuzz_read_run(&export_entry, x[0], x[1], x[2]);
	}
	h /= FUZZ_READ_NEXPORTS;
	for (i = 0; i < 2 * nr; i++) {
		r = &report_tab_list[i / 2];
		if (fuzz_read_all || h % (2 * nr) == i)
			fuzz_read_run(&report_entry, r->name,
			    i % 2 ? "--json" : NULL, NULL);
	}
}

/* The TUI's lists and meters, formatted as its screens draw them. */
static void
fuzz_read_tui(void)
{
	struct query_meters	 mt;
	struct query		*q;
	char			*cause;

	if ((q = query_open(fuzz_read_path, &cause)) == NULL)
		fuzz_read_fail("query_open", cause);
	memset(&mt, 0, sizeof(mt));
	if (query_meter_update(q, &mt, util_now()) == -1)
		fuzz_read_fail("query_meter_update", query_error(q));
	fuzz_read_tui_lives(q, mt.ref);
	fuzz_read_tui_sessions(q, mt.ref);
	query_close(q);
}

static void
fuzz_read_tui_lives(struct query *q, int64_t ref)
{
	struct query_delta	 d;
	struct query_row	 r;
	struct format_col	 narrow[LCOL_MAX], wide[LCOL_MAX];
	struct format_cells	 c;
	size_t			 i;
	int			 rc;

	format_lives_layout(TUI_MIN_COLS, narrow);
	format_lives_layout(FUZZ_READ_WIDE, wide);
	memset(&d, 0, sizeof(d));
	if (query_feed_window(q, TUI_WINDOW, INT64_MAX, &d) == -1)
		fuzz_read_fail("query_feed_window", query_error(q));
	for (i = 0; i < d.nkeys; i++) {
		if ((rc = query_row(q, &d.keys[i], &r)) == -1)
			fuzz_read_fail("query_row", query_error(q));
		if (rc == 0)
			continue;
		format_row_life(&r, ref, 0, narrow, &c);
		format_row_life(&r, ref, FORMAT_UTF8, wide, &c);
		query_row_free(&r);
	}
	query_feed_free(&d);
}

static void
fuzz_read_tui_sessions(struct query *q, int64_t ref)
{
	struct query_sess	*v = NULL;
	struct format_col	 narrow[SCOL_MAX], wide[SCOL_MAX];
	struct format_cells	 c;
	size_t			 i, n = 0, cap = 0;
	int64_t			 max;

	format_sess_layout(TUI_MIN_COLS, narrow);
	format_sess_layout(FUZZ_READ_WIDE, wide);
	if ((max = query_session_max(q)) < 0 ||
	    query_session_range(q, 0, max, &v, &n, &cap) == -1)
		fuzz_read_fail("query_session_range", query_error(q));
	for (i = 0; i < n; i++) {
		format_row_sess(&v[i], ref, 0, narrow, &c);
		format_row_sess(&v[i], ref, FORMAT_UTF8, wide, &c);
		fuzz_read_tui_events(q, &v[i]);
		query_session_free(&v[i]);
	}
	free(v);
}

/* A session's events, as the session screen reads and formats them. */
static void
fuzz_read_tui_events(struct query *q, const struct query_sess *r)
{
	struct query_event	*ev = NULL;
	struct buf		 b = { NULL, 0, 0 };
	size_t			 i, n = 0, cap = 0;
	int			 rc;

	do {
		rc = query_session_events(q, r->id, n ? ev[n - 1].id : 0,
		    &ev, &n, &cap);
	} while (rc == 1);
	if (rc == -1)
		fuzz_read_fail("query_session_events", query_error(q));
	for (i = 0; i < n; i++)
		(void)format_row_event(&ev[i], r->t_start, &b);
	query_session_events_free(ev, n);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t	h = 2166136261U;	/* FNV-1a */
	size_t		i;

	if (fuzz_read_path[0] == '\0')
		fuzz_read_init();
	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619U;
	fuzz_read_unlink();
	fuzz_read_write(data, size);
	fuzz_read_commands(h, fuzz_read_model());
	fuzz_read_tui();
	fuzz_read_unlink();
	return 0;
}
