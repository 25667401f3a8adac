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
 * tui_bar.c: the bars around the screens: the header and its meters,
 * the status line with its prompt for search (/, incremental) and
 * filter (f, trace's QUERY terms and the sessions' outcome:), and the
 * filter itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

static void	tui_bar_piece(const struct tui *, int *, int, const char *,
		    enum format_tone);
static int	tui_bar_split(char *, char **, int);
static int	tui_bar_outcome(int *, char **, char *, size_t, const char **);
static void	tui_bar_reload(struct tui *);
static void	tui_bar_edit(struct tui *, int);
static void	tui_bar_accept(struct tui *);
static void	tui_bar_prompt_key(struct tui *, struct list *, int);
static void	tui_bar_hint(const struct tui *, const char *, int);
static void	tui_bar_title(const struct tui *);
static void	tui_bar_meters(const struct tui *);

/* Text at (y, *x), as much as fits; *x moves past it. */
static void
tui_bar_piece(const struct tui *t, int *x, int y, const char *s,
    enum format_tone tone)
{
	int	w = t->cols - *x;

	if (w <= 0)
		return;
	/* Columns, not bytes: a sparkline's blocks are three bytes each. */
	tui_put(t, y, *x, w, s, strlen(s), 0, tone);
	*x += format_width(s, strlen(s), t->flags);
}

/* The database, and the clock (or where an old database's hour ends). */
static void
tui_bar_title(const struct tui *t)
{
	const struct query_meters *mt = &t->meters;
	const char	*base = strrchr(t->path, '/');
	char		 s[TUI_TEXT], when[32];
	int		 x;

	attron(A_REVERSE);
	mvhline(0, 0, ' ', t->cols);
	time_to_text(mt->shifted ? mt->newest : mt->now, TO_DATETIME, when,
	    sizeof(when));
	snprintf(s, sizeof(s), mt->shifted ? "last hour: up to the newest "
	    "event, %s UTC " : "%s UTC ", when);
	x = t->cols - (int)strlen(s) > 12 ? t->cols - (int)strlen(s) : 12;
	tui_put(t, 0, x, t->cols - x, s, strlen(s), 0, TONE_PLAIN);
	snprintf(s, sizeof(s), " mailtrail  %s", base ? base + 1 : t->path);
	tui_put(t, 0, 0, x - 1, s, strlen(s), 0, TONE_BOLD);
	attroff(A_REVERSE);
}

/*
 * Sessions open, messages a minute, the last hour's outcomes: the
 * lives that took each status then (expired and removed when any).
 */
static void
tui_bar_meters(const struct tui *t)
{
	static const struct {
		enum life_status	 status;
		int			 always;
	} outcomes[] = {
		{ LIFE_DELIVERED, 1 }, { LIFE_DEFERRED, 1 }, { LIFE_FAILED, 1 },
		{ LIFE_REJECTED, 1 }, { LIFE_EXPIRED, 0 }, { LIFE_REMOVED, 0 },
	};
	const struct query_meters *mt = &t->meters;
	const char	*sep = t->cols >= 100 ? "  " : " ";
	char		 s[TUI_TEXT];
	size_t		 i;
	int		 x = 0, n;

	if (t->cols >= 100)
		snprintf(s, sizeof(s), " open %d in %d out   %d msg/min   "
		    "last hour: ", mt->open_in, mt->open_out, mt->per_min);
	else
		snprintf(s, sizeof(s), " open %d/%d  %d/min  hour: ",
		    mt->open_in, mt->open_out, mt->per_min);
	tui_bar_piece(t, &x, 1, s, TONE_PLAIN);
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		n = mt->n[outcomes[i].status];
		if (n == 0 && !outcomes[i].always)
			continue;
		snprintf(s, sizeof(s), "%s%d %s", i > 0 ? sep : "", n,
		    status_to_text(outcomes[i].status));
		tui_bar_piece(t, &x, 1, s,
		    format_life_tone(outcomes[i].status));
	}
}

/*
 * Three lines: the database and the clock; sessions open, messages a
 * minute and the last hour's outcomes; the last hour as a sparkline.
 */
void
tui_bar_header_draw(struct tui *t)
{
	const struct query_meters *mt = &t->meters;
	char		 s[TUI_TEXT];
	int		 v[QUERY_MINUTES], i, x = 0, peak = 0;

	tui_bar_title(t);
	tui_bar_meters(t);
	for (i = 0; i < QUERY_MINUTES; i++) {
		v[i] = mt->m[i].msgs;
		if (v[i] > peak)
			peak = v[i];
	}
	tui_bar_piece(t, &x, 2, " msg/min ", TONE_DIM);
	format_spark(v, QUERY_MINUTES, t->cols - 30, s, sizeof(s), t->flags);
	tui_bar_piece(t, &x, 2, s, TONE_INFO);
	snprintf(s, sizeof(s), "  60 min, peak %d", peak);
	tui_bar_piece(t, &x, 2, s, TONE_DIM);
}

/* The keys of this screen, right-aligned, if they fit after col. */
static void
tui_bar_hint(const struct tui *t, const char *hint, int col)
{
	int	w = (int)strlen(hint);

	if (col + w + 2 <= t->cols)
		mvaddstr(t->lines - 1, t->cols - w - 1, hint);
}

void
tui_bar_status_draw(struct tui *t)
{
	struct screen	*s = t->stack[t->depth - 1];
	char		 left[TUI_TEXT * 2];
	int		 y = t->lines - 1, x = 0;

	attron(A_REVERSE);
	mvhline(y, 0, ' ', t->cols);
	if (t->prompt != PROMPT_NONE) {
		snprintf(left, sizeof(left), "%s%s",
		    t->prompt == PROMPT_SEARCH ? "/" : "filter: ", t->input);
		tui_put(t, y, 0, t->cols - 1, left, strlen(left), 0, TONE_BOLD);
		x = format_width(left, strlen(left), t->flags);
		attroff(A_REVERSE);
		if (x < t->cols)
			mvaddch(y, x, ' ');	/* the cursor */
		return;
	}
	if (t->msg[0] != '\0')
		snprintf(left, sizeof(left), " %s", t->msg);
	else if (t->filtered && (s == t->lives || s == t->sessions))
		snprintf(left, sizeof(left), " filter: %s  %s", t->filter_text,
		    s->note);
	else
		snprintf(left, sizeof(left), " %s", s->note);
	tui_put(t, y, 0, t->cols, left, strlen(left), 0, t->msg[0] ?
	    TONE_BOLD : TONE_PLAIN);
	attron(A_REVERSE);
	/* A list opened on top of another (Enter on a destination). */
	tui_bar_hint(t, tui_list(t, s) && t->depth > 1 ? "Enter open  "
	    "/ search  f filter  ? help  q back " : s->ops->hint,
	    format_width(left, strlen(left), t->flags));
	attroff(A_REVERSE);
}

/* Split s in place into at most max words; "..." quotes blanks. */
static int
tui_bar_split(char *s, char **argv, int max)
{
	char	*o = s;
	int	 n = 0, quoted;

	while (*s != '\0' && n < max) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		argv[n++] = o;
		for (quoted = 0; *s != '\0' && (quoted || *s != ' '); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*o++ = *s;
		}
		if (*s == ' ')
			s++;
		*o++ = '\0';
	}
	return *s == '\0' ? n : -1;
}

static void
tui_bar_reload(struct tui *t)
{
	screen_lives_reload(t->lives, t);
	screen_sessions_reload(t->sessions, t);
	t->dirty = 1;
}

/*
 * Take the outcome: term, the session list's own, out of argv (*argc
 * words left): its value into out ("" none).  -1 with *bad the word if
 * it names no outcome, or is a second one.
 */
static int
tui_bar_outcome(int *argc, char **argv, char *out, size_t outsz,
    const char **bad)
{
	int	i, n = 0;

	*out = '\0';
	for (i = 0; i < *argc; i++) {
		if (strncmp(argv[i], "outcome:", 8) != 0) {
			argv[n++] = argv[i];
			continue;
		}
		if (*out != '\0' || !query_session_outcome_term(argv[i] + 8)) {
			*bad = argv[i];
			return -1;
		}
		strlcpy(out, argv[i] + 8, outsz);
	}
	*argc = n;
	return 0;
}

/* The filter from the command line's QUERY words (they outlive it). */
void
tui_bar_filter_argv(struct tui *t, int argc, char **argv)
{
	const char	*bad;
	size_t		 len = 0;
	int		 i, n = argc;

	t->msg[0] = '\0';
	t->filter_text[0] = '\0';
	for (i = 0; i < argc && len < sizeof(t->filter_text); i++)
		len += snprintf(t->filter_text + len, sizeof(t->filter_text) -
		    len, strchr(argv[i], ' ') ? "%s\"%s\"" : "%s%s",
		    i ? " " : "", argv[i]);
	if (tui_bar_outcome(&n, argv, t->filter_outcome,
	    sizeof(t->filter_outcome), &bad) == -1 ||
	    model_query_parse(&t->filter, n, argv, util_now(), &bad) == -1) {
		snprintf(t->msg, sizeof(t->msg), "bad query term: \"%s\"", bad);
		return;
	}
	t->filtered = argc > 0;
}

/* A new filter from text ("" none); -1 and a message if it is bad. */
int
tui_bar_filter_set(struct tui *t, const char *text)
{
	struct model_query	 q;
	char			 buf[TUI_TEXT], *argv[MODEL_TERMS_MAX + 2];
	char			 outcome[TUI_OUTCOME];
	const char		*bad = "";
	size_t			 i;
	int			 argc, n;

	strlcpy(buf, text, sizeof(buf));
	if ((argc = n = tui_bar_split(buf, argv, MODEL_TERMS_MAX + 1)) == -1 ||
	    tui_bar_outcome(&n, argv, outcome, sizeof(outcome), &bad) == -1 ||
	    model_query_parse(&q, n, argv, util_now(), &bad) == -1) {
		tui_message(t, "bad query term: \"%s\" (from: to: ip: helo: "
		    "status: since: until: outcome: or an id)", argc == -1 ?
		    text : bad);
		return -1;
	}
	/* The terms point into buf: move them with it. */
	memcpy(t->filter_buf, buf, sizeof(buf));
	for (i = 0; i < q.n; i++)
		if (q.terms[i].s >= buf && q.terms[i].s < buf + sizeof(buf))
			q.terms[i].s = t->filter_buf + (q.terms[i].s - buf);
	t->filter = q;
	strlcpy(t->filter_outcome, outcome, sizeof(t->filter_outcome));
	t->filtered = argc > 0;
	strlcpy(t->filter_text, text, sizeof(t->filter_text));
	tui_bar_reload(t);
	return 0;
}

/* One more character, or one less, in the prompt. */
static void
tui_bar_edit(struct tui *t, int key)
{
	struct screen	*s = t->stack[t->depth - 1];
	char		 mb[8];
	mbstate_t	 ps;
	size_t		 n;

	if (key == KEY_BACKSPACE || key == 127 || key == TUI_CTRL('h')) {
		while (t->input_len > 0 &&
		    (t->input[--t->input_len] & 0xc0) == 0x80)
			;
		t->input[t->input_len] = '\0';
	} else if (key == TUI_CTRL('u')) {
		t->input_len = 0;
		t->input[0] = '\0';
	} else if ((key >= 0x20 && key < 0x7f) || TUI_IS_WCH(key)) {
		memset(&ps, 0, sizeof(ps));
		if (TUI_IS_WCH(key))
			n = wcrtomb(mb, (wchar_t)(key & 0xffffff), &ps);
		else {
			mb[0] = (char)key;
			n = 1;
		}
		if (n == (size_t)-1 || t->input_len + n >= sizeof(t->input))
			return;
		memcpy(t->input + t->input_len, mb, n);
		t->input_len += n;
		t->input[t->input_len] = '\0';
	} else
		return;
	if (t->prompt != PROMPT_SEARCH)
		return;
	/* Incremental: the first match from where the search began. */
	if (t->input_len == 0 || !list_search(&s->list, t->input,
	    t->search_from, 1))
		list_goto(&s->list, t->search_from);
}

static void
tui_bar_accept(struct tui *t)
{
	if (t->prompt == PROMPT_SEARCH) {
		strlcpy(t->needle, t->input, sizeof(t->needle));
		if (t->input_len > 0 && !list_search(&t->stack[t->depth -
		    1]->list, t->input, t->search_from, 1))
			tui_message(t, "not found: %s", t->input);
	} else
		tui_bar_filter_set(t, t->input);
	t->prompt = PROMPT_NONE;
}

/* A key of the open prompt: Enter takes it, Esc or ^G cancels it. */
static void
tui_bar_prompt_key(struct tui *t, struct list *l, int key)
{
	if (key == '\r' || key == '\n' || key == KEY_ENTER)
		tui_bar_accept(t);
	else if (key == TUI_ESC || key == TUI_CTRL('g')) {
		/* Back where it was, following if it was. */
		if (t->prompt == PROMPT_SEARCH && t->search_follow &&
		    l->n > 0) {
			l->follow = 1;
			list_goto(l, l->n - 1);
		} else if (t->prompt == PROMPT_SEARCH)
			list_goto(l, t->search_from);
		t->prompt = PROMPT_NONE;
	} else
		tui_bar_edit(t, key);
}

/* The prompt's keys, and the keys that open it: 1, or 0 to quit. */
int
tui_bar_key(struct tui *t, int key)
{
	struct screen	*s = t->stack[t->depth - 1];
	struct list	*l = &s->list;

	if (t->prompt != PROMPT_NONE) {
		tui_bar_prompt_key(t, l, key);
		return 1;
	}
	switch (key) {
	case '/':
		t->prompt = PROMPT_SEARCH;
		t->input[0] = '\0';
		t->input_len = 0;
		t->search_from = l->cur;
		t->search_follow = l->follow;
		break;
	case 'n':
	case 'N':
		if (t->needle[0] == '\0')
			tui_message(t, "no search yet: / searches");
		else if (!list_search(l, t->needle, key == 'n' ? l->cur + 1 :
		    (l->cur > 0 ? l->cur - 1 : l->n - 1), key == 'n' ? 1 : -1))
			tui_message(t, "not found: %s", t->needle);
		break;
	case 'f':
		if (s == t->dests) {
			tui_message(t, "f filters the envelope and session "
			    "lists: Tab to them");
			break;
		}
		if (!tui_list(t, s)) {
			tui_message(t, "f filters the lists: q to go back "
			    "to them");
			break;
		}
		t->prompt = PROMPT_FILTER;
		t->input_len = strlcpy(t->input, t->filter_text,
		    sizeof(t->input));
		break;
	default:
		break;
	}
	return 1;
}
