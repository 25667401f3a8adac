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
 * tui_cmd.c: "mailtrail tui": the terminal, its signals and its
 * restoring, the screens, the main loop that looks at the database
 * every TUI_TICK_MS (PRAGMA data_version, then only the new events and
 * maillog lines), and keys that are not one screen's.  --bench draws
 * once to /dev/null.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define TUI_CMD_HSTEP	8	/* columns a left/right key scrolls */

static volatile sig_atomic_t	 tui_cmd_signo;	/* SIGINT, TERM, HUP */
static volatile sig_atomic_t	 tui_cmd_curses;	/* endwin() due */

static const struct option tui_cmd_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "bench", no_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void	tui_cmd_sig_quit(int);
static void	tui_cmd_sig_crash(int);
static void	tui_cmd_signals(void);
static void	tui_cmd_curses_init(struct tui *);
static int	tui_cmd_start(struct tui *, const char *, int, char **);
static void	tui_cmd_stop(struct tui *);
static void	tui_cmd_pop(struct tui *);
static void	tui_cmd_draw(struct tui *);
static int	tui_cmd_poll(struct tui *, int);
static void	tui_cmd_dispatch(struct tui *, const struct query_delta *);
static int	tui_cmd_back(struct tui *, int);
static int	tui_cmd_key_global(struct tui *, struct screen *, int);
static int	tui_cmd_key(struct tui *, int);
static int	tui_cmd_getkey(void);
static void	tui_cmd_mouse(struct tui *);
static void	tui_cmd_loop(struct tui *);
static int	tui_cmd_screens(struct tui *);
static int	tui_cmd_bench(struct tui *, int64_t);
static void	tui_cmd_bench_dest(struct tui *);

static void
tui_cmd_sig_quit(int sig)
{
	tui_cmd_signo = sig;
}

/* A crash: give the terminal back first, then die of the signal. */
static void
tui_cmd_sig_crash(int sig)
{
	if (tui_cmd_curses)
		endwin();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
tui_cmd_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = tui_cmd_sig_quit;	/* no SA_RESTART: wake getch */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = tui_cmd_sig_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

static void
tui_cmd_curses_init(struct tui *t)
{
	static const short fg[TONE_MAX] = {
		[TONE_GOOD] = COLOR_GREEN, [TONE_WARN] = COLOR_YELLOW,
		[TONE_BAD] = COLOR_RED, [TONE_INFO] = COLOR_CYAN,
		[TONE_ODD] = COLOR_MAGENTA,
	};
	short	bg;
	int	i;

	tui_cmd_curses = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	timeout(TUI_TICK_MS);
	if (t->color && has_colors()) {
		start_color();
		bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
		for (i = 0; i < TONE_MAX; i++)
			if (fg[i] != 0)
				init_pair((short)i, fg[i], bg);
	} else
		t->color = 0;
	getmaxyx(stdscr, t->lines, t->cols);
}

static void
tui_cmd_pop(struct tui *t)
{
	struct screen	*s;

	if (t->depth <= 1)
		return;
	s = t->stack[--t->depth];
	if (!tui_list(t, s)) {
		s->ops->free(s);
		free(s);
	}
	t->dirty = 1;
}

static int
tui_cmd_start(struct tui *t, const char *path, int argc, char **argv)
{
	const char	*nc = getenv("NO_COLOR");
	char		*cause;
	int		 rv;

	t->path = path;
	t->color = nc == NULL || *nc == '\0';
	tui_bar_filter_argv(t, argc, argv);
	if (t->msg[0] != '\0')
		return log_error("%s", t->msg);
	if ((t->q = query_open(path, &cause)) == NULL ||
	    (t->m = model_open(path, &cause)) == NULL) {
		query_close(t->q);
		rv = log_error("%s", cause);
		free(cause);
		return rv;
	}
	t->flags = strcmp(nl_langinfo(CODESET), "UTF-8") == 0 ? FORMAT_UTF8 :
	    0;
	t->now = util_now();
	t->data_version = query_data_version(t->q);
	t->last_event = query_last_event(t->q);
	t->last_outcome = query_last_outcome(t->q);
	if (t->last_event < 0 || t->last_outcome < 0 ||
	    query_meter_update(t->q, &t->meters, t->now) == -1) {
		log_error("%s: %s", path, query_error(t->q));
		tui_cmd_stop(t);
		return 1;
	}
	return 0;
}

static void
tui_cmd_stop(struct tui *t)
{
	struct screen	*s;

	while (t->depth > 1)
		tui_cmd_pop(t);
	if ((s = t->lives) != NULL) {
		s->ops->free(s);
		free(s);
	}
	if ((s = t->sessions) != NULL) {
		s->ops->free(s);
		free(s);
	}
	if ((s = t->dests) != NULL) {
		s->ops->free(s);
		free(s);
	}
	t->lives = t->sessions = t->dests = NULL;
	t->depth = 0;
	query_feed_free(&t->delta);
	model_close(t->m);
	query_close(t->q);
	t->m = NULL;
	t->q = NULL;
}

/*
 * The lists exist from the start; the envelope list is shown.  Enter
 * on a row opens the life or the session screen (tui_open()), on a
 * destination the envelope list filtered to it.
 */
static int
tui_cmd_screens(struct tui *t)
{
	t->life_ops = &screen_life_ops;
	t->session_ops = &screen_session_ops;
	t->lives = xcalloc(1, sizeof(*t->lives));
	t->lives->ops = &screen_lives_ops;
	t->sessions = xcalloc(1, sizeof(*t->sessions));
	t->sessions->ops = &screen_sessions_ops;
	t->dests = xcalloc(1, sizeof(*t->dests));
	t->dests->ops = &screen_dest_ops;
	if (t->lives->ops->init(t->lives, t, NULL) == -1 ||
	    t->sessions->ops->init(t->sessions, t, NULL) == -1 ||
	    t->dests->ops->init(t->dests, t, NULL) == -1)
		return -1;
	t->stack[0] = t->lives;
	t->depth = 1;
	return 0;
}

static void
tui_cmd_draw(struct tui *t)
{
	struct screen	*s = t->stack[t->depth - 1];
	char		 msg[96];

	erase();
	if (t->cols < TUI_MIN_COLS || t->lines < TUI_MIN_LINES) {
		snprintf(msg, sizeof(msg), "terminal too small: %dx%d, "
		    "mailtrail needs %dx%d (q quits)", t->cols, t->lines,
		    TUI_MIN_COLS, TUI_MIN_LINES);
		mvaddnstr(0, 0, msg, t->cols);
	} else {
		tui_bar_header_draw(t);
		s->ops->draw(s, t, TUI_HEAD, t->lines - TUI_HEAD - 1, t->cols);
		tui_bar_status_draw(t);
	}
	refresh();
	t->dirty = 0;
}

/* Every screen hears of the new events, shown or not. */
static void
tui_cmd_dispatch(struct tui *t, const struct query_delta *d)
{
	int	i;

	t->lives->ops->update(t->lives, t, d);
	t->sessions->ops->update(t->sessions, t, d);
	t->dests->ops->update(t->dests, t, d);
	for (i = 1; i < t->depth; i++)
		if (!tui_list(t, t->stack[i]))
			t->stack[i]->ops->update(t->stack[i], t, d);
}

/*
 * Has another connection committed?  Then read only the events and
 * the maillog lines after the last ones seen.  meters: bring the header
 * up to the clock too.
 */
static int
tui_cmd_poll(struct tui *t, int meters)
{
	int64_t	last, oc;
	int	v, changed = 0;

	if ((v = query_data_version(t->q)) != t->data_version) {
		t->data_version = v;
		last = query_last_event(t->q);
		oc = query_last_outcome(t->q);
		if (last >= 0 && oc >= 0 && (last != t->last_event ||
		    oc != t->last_outcome)) {
			if (query_feed_delta(t->q, t->last_event, last,
			    &t->delta) == -1 || last < t->last_event ||
			    query_feed_outcomes(t->q, t->last_outcome, oc,
			    &t->delta) == -1 || oc < t->last_outcome)
				t->delta.reload = 1;
			t->last_event = last;
			t->last_outcome = oc;
			tui_cmd_dispatch(t, &t->delta);
			changed = meters = 1;
		}
	}
	if (meters) {
		t->now = util_now();
		query_meter_update(t->q, &t->meters, t->now);
		changed = 1;
	}
	return changed;
}

static void
tui_cmd_mouse(struct tui *t)
{
	struct screen	*s = t->stack[t->depth - 1];
	MEVENT		 ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		list_wheel(&s->list, -1);
	else if (ev.bstate & BUTTON5_PRESSED)
		list_wheel(&s->list, 1);
	else if ((ev.bstate & BUTTON1_PRESSED) &&
	    list_click(&s->list, ev.y - TUI_HEAD - 1))
		s->ops->key(s, t, '\r');
	t->dirty = 1;
}

/* q and Esc: back, or on a list quit (q) or clear the filter (Esc). */
static int
tui_cmd_back(struct tui *t, int key)
{
	if (t->depth > 1)
		tui_cmd_pop(t);
	else if (key == 'q')
		return 0;
	else if (t->filtered)
		tui_bar_filter_set(t, "");
	return 1;
}

/* The keys every screen has. */
static int
tui_cmd_key_global(struct tui *t, struct screen *s, int key)
{
	switch (key) {
	case 'q':
	case TUI_ESC:
		return tui_cmd_back(t, key);
	case '?':
		if (s->ops != &screen_help_ops)
			tui_push(t, &screen_help_ops, NULL);
		return 1;
	case '\t':		/* envelopes, sessions, destinations */
		if (t->depth == 1)
			t->stack[0] = s == t->lives ? t->sessions :
			    s == t->sessions ? t->dests : t->lives;
		return 1;
	case KEY_BTAB:
		if (t->depth == 1)
			t->stack[0] = s == t->lives ? t->dests :
			    s == t->dests ? t->sessions : t->lives;
		return 1;
	case KEY_LEFT:
	case 'h':
		s->hscroll -= s->hscroll > TUI_CMD_HSTEP ? TUI_CMD_HSTEP :
		    s->hscroll;
		return 1;
	case KEY_RIGHT:
	case 'l':
		/* While the widest line goes on past the right edge. */
		if (s->hscroll + t->cols < s->wide)
			s->hscroll += TUI_CMD_HSTEP;
		return 1;
	case TUI_CTRL('l'):
		clearok(curscr, TRUE);
		return 1;
	case KEY_MOUSE:
		tui_cmd_mouse(t);
		return 1;
	}
	if (!list_key(&s->list, key))
		return tui_bar_key(t, key);
	return 1;
}

/* A key: the prompt's, the screen's, then everyone's.  0: quit. */
static int
tui_cmd_key(struct tui *t, int key)
{
	struct screen	*s = t->stack[t->depth - 1];

	t->dirty = 1;
	if (key == KEY_RESIZE) {
		getmaxyx(stdscr, t->lines, t->cols);
		return 1;
	}
	/* Too small, nothing is shown: q quits, as it says, prompt or not. */
	if (t->cols < TUI_MIN_COLS || t->lines < TUI_MIN_LINES)
		return key != 'q' && key != TUI_CTRL('c');
	if (t->prompt != PROMPT_NONE)
		return tui_bar_key(t, key);
	t->msg[0] = '\0';
	switch (s->ops->key(s, t, key)) {
	case SCREEN_DONE:
		return 1;
	case SCREEN_BACK:
		return tui_cmd_back(t, 'q');
	default:
		return tui_cmd_key_global(t, s, key);
	}
}

/* The next key, get_wch's characters beyond ASCII as TUI_WCH(). */
static int
tui_cmd_getkey(void)
{
	wint_t	wch;
	int	rc;

	rc = get_wch(&wch);
	if (rc == ERR)
		return ERR;
	if (rc == KEY_CODE_YES)
		return (int)wch;
	return wch < 0x80 ? (int)wch : TUI_WCH(wch);
}

static void
tui_cmd_loop(struct tui *t)
{
	int64_t	last_tick = 0, now;
	int	key, filling;

	for (;;) {
		if (tui_cmd_signo != 0)
			break;
		now = util_now();
		if (tui_cmd_poll(t, now - last_tick >= US_PER_SEC))
			t->dirty = 1;
		if (now - last_tick >= US_PER_SEC)
			last_tick = now;
		if (t->dirty)
			tui_cmd_draw(t);
		/* The rest of the list between keys, once drawn. */
		if ((filling = screen_lives_fill(t->lives, t)))
			t->dirty = 1;
		timeout(filling ? 0 : TUI_TICK_MS);
		if ((key = tui_cmd_getkey()) == ERR)
			continue;
		if (!tui_cmd_key(t, key))
			break;
	}
}

/*
 * Start-up to the first full draw, and one refresh (the last events
 * read again as if new), on a terminal that is /dev/null.
 */
static int
tui_cmd_bench(struct tui *t, int64_t t0)
{
	SCREEN	*scr;
	FILE	*out, *in;
	int64_t	 t1, t2, t3, t4, t5, from;

	if ((out = fopen("/dev/null", "w")) == NULL ||
	    (in = fopen("/dev/null", "r")) == NULL ||
	    (scr = newterm("xterm-256color", out, in)) == NULL)
		return log_error("--bench: no terminal");
	set_term(scr);
	tui_cmd_curses_init(t);
	t1 = util_now();
	if (tui_cmd_screens(t) == -1) {
		endwin();
		return 1;
	}
	t2 = util_now();
	tui_cmd_draw(t);
	t3 = util_now();
	while (screen_lives_fill(t->lives, t))
		;
	t5 = util_now();
	from = t->last_event > 1000 ? t->last_event - 1000 : 0;
	query_feed_delta(t->q, from, t->last_event, &t->delta);
	tui_cmd_dispatch(t, &t->delta);
	query_meter_update(t->q, &t->meters, util_now());
	tui_cmd_draw(t);
	t4 = util_now();
	printf("screen %dx%d, %zu rows, %lld events\n", t->cols, t->lines,
	    t->lives->list.n, (long long)t->last_event);
	printf("startup %.1f ms (open and meters %.1f, lists %.1f, draw "
	    "%.1f)\n", (t3 - t0) / 1e3, (t1 - t0) / 1e3, (t2 - t1) / 1e3,
	    (t3 - t2) / 1e3);
	printf("filled %.1f ms (the rest of the window, read after the "
	    "first draw)\n", (t5 - t3) / 1e3);
	printf("refresh %.1f ms (%lld events, %zu rows touched)\n",
	    (t4 - t5) / 1e3, (long long)(t->last_event - from),
	    t->delta.nkeys);
	t3 = util_now();
	tui_cmd_poll(t, 0);
	printf("poll %.3f ms (nothing new)\n", (util_now() - t3) / 1e3);
	tui_cmd_bench_dest(t);
	if (getenv("MAILTRAIL_BENCH_PLANS") != NULL)
		query_explain(t->q, stdout);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	return 0;
}

/* The destinations screen drawn: its table read, by domain. */
static void
tui_cmd_bench_dest(struct tui *t)
{
	int64_t	t0;

	t->stack[0] = t->dests;
	t0 = util_now();
	tui_cmd_draw(t);
	printf("destinations %.1f ms (%zu rows, the last hour)\n",
	    (util_now() - t0) / 1e3, t->dests->list.n);
	t->stack[0] = t->lives;
}

static int	tui_cmd_exec(int, char **);

const struct cmd_entry tui_cmd_entry = {
	"tui",
	"[-d db] [-c classes] [--bench] [query ...]",
	TUI_HELP,
	tui_cmd_exec
};

static int
tui_cmd_exec(int argc, char **argv)
{
	struct tui	 t;
	const char	*path = NULL, *classes = NULL;
	char		 err[CLASS_ERR];
	int64_t		 start = util_now();
	int		 ch, bench = 0, rv = 0;

	while ((ch = getopt_long(argc, argv, "c:d:h", tui_cmd_opts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'b':
			bench = 1;
			break;
		case 'c':
			classes = optarg;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (path == NULL)
		path = db_default();
	if (class_rules(classes, err, sizeof(err)) == -1)
		return log_error("%s", err);
	setlocale(LC_ALL, "");
	if (!bench && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		return log_error("tui: not a terminal (try mailtrail "
		    "trace or export)");
	memset(&t, 0, sizeof(t));
	if (tui_cmd_start(&t, path, argc - optind, argv + optind) != 0)
		return 1;
	if (bench)
		rv = tui_cmd_bench(&t, start);
	else {
		tui_cmd_signals();
		initscr();
		tui_cmd_curses_init(&t);
		if (tui_cmd_screens(&t) == 0)
			tui_cmd_loop(&t);
		else
			rv = 1;
		endwin();
		tui_cmd_curses = 0;
	}
	tui_cmd_stop(&t);
	if (tui_cmd_signo != 0) {
		signal(tui_cmd_signo, SIG_DFL);
		raise(tui_cmd_signo);
	}
	return rv;
}
