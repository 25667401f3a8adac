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
 * screen_sessions.c: the live session list (Tab): both directions, the
 * newest TUI_WINDOW sessions by rowid, new ones appended and touched
 * ones read again as events arrive, each with the outcome the writer
 * keeps and the line that decided it.  Enter shows a session's
 * dialogue.  The list is read when it is first drawn, not before; an
 * outcome: filter reads the newest sessions of its outcomes by the
 * index session_outcome instead.
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

struct screen_sessions {
	struct tui		*t;
	struct query_sess	*rows;		/* by start time */
	size_t			 n, cap;
	size_t			*vis;
	size_t			 nvis;
	int64_t			 last;	/* the largest session.id read */
	int			 stale;	/* read again at the next draw */
	int			 indexed; /* rows: the outcome's newest */
	struct format_col	 cols[SCOL_MAX];
	int			 width;
};

static int	screen_sessions_init(struct screen *, struct tui *,
		    const void *);
static void	screen_sessions_draw(struct screen *, struct tui *, int, int,
		    int);
static enum screen_ret screen_sessions_key(struct screen *, struct tui *, int);
static void	screen_sessions_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_sessions_free(struct screen *);
static void	screen_sessions_row_draw(void *, size_t, int, int, int);
static int	screen_sessions_match(void *, size_t, const char *);
static void	screen_sessions_clear(struct screen_sessions *);
static void	screen_sessions_filter(struct screen *,
		    struct screen_sessions *, int64_t);
static void	screen_sessions_trim(struct screen_sessions *);
static struct query_sess *screen_sessions_find(struct screen_sessions *,
		    int64_t);
static int	screen_sessions_cmp(const void *, const void *);
static void	screen_sessions_load(struct screen *, struct tui *);
static int	screen_sessions_load_outcome(struct screen_sessions *,
		    struct tui *);

const struct screen_ops screen_sessions_ops = {
	.name = "sessions",
	.init = screen_sessions_init,
	.draw = screen_sessions_draw,
	.key = screen_sessions_key,
	.update = screen_sessions_update,
	.free = screen_sessions_free,
	.hint = "Enter dialogue  / search  f filter  Tab destinations  ? help ",
};

static int
screen_sessions_init(struct screen *s, struct tui *t, const void *arg)
{
	struct screen_sessions	*ss;

	(void)arg;
	ss = xcalloc(1, sizeof(*ss));
	ss->t = t;
	s->data = ss;
	list_init(&s->list, screen_sessions_row_draw, screen_sessions_match, ss,
	    1);
	screen_sessions_reload(s, t);
	return 0;
}

static void
screen_sessions_clear(struct screen_sessions *ss)
{
	size_t	i;

	for (i = 0; i < ss->n; i++)
		query_session_free(&ss->rows[i]);
	free(ss->rows);
	ss->rows = NULL;
	ss->n = ss->cap = 0;
}

static void
screen_sessions_free(struct screen *s)
{
	struct screen_sessions	*ss = s->data;

	screen_sessions_clear(ss);
	free(ss->vis);
	free(ss);
}

static struct query_sess *
screen_sessions_find(struct screen_sessions *ss, int64_t id)
{
	size_t	i;

	for (i = 0; i < ss->n; i++)
		if (ss->rows[i].id == id)
			return &ss->rows[i];
	return NULL;
}

/* In time order (sessions come in rowid order, replays need not). */
static int
screen_sessions_cmp(const void *a, const void *b)
{
	const struct query_sess	*x = a, *y = b;

	if (x->t_start != y->t_start)
		return x->t_start < y->t_start ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
screen_sessions_trim(struct screen_sessions *ss)
{
	size_t	i, drop;

	if (ss->n <= TUI_WINDOW)
		return;
	drop = ss->n - TUI_WINDOW;
	for (i = 0; i < drop; i++)
		query_session_free(&ss->rows[i]);
	memmove(ss->rows, ss->rows + drop, TUI_WINDOW * sizeof(*ss->rows));
	ss->n = TUI_WINDOW;
}

/* The rows the filter keeps; the cursor back on session cur (0: none). */
static void
screen_sessions_filter(struct screen *s, struct screen_sessions *ss,
    int64_t cur)
{
	const struct model_query *q = ss->t->filtered ? &ss->t->filter : NULL;
	size_t			 i, at = s->list.cur;

	ss->vis = xreallocarray(ss->vis, ss->n + 1, sizeof(*ss->vis));
	ss->nvis = 0;
	for (i = 0; i < ss->n; i++) {
		if (!query_session_match(q, ss->t->filter_outcome,
		    &ss->rows[i]))
			continue;
		if (ss->rows[i].id == cur)
			at = ss->nvis;
		ss->vis[ss->nvis++] = i;
	}
	list_set_count(&s->list, ss->nvis);
	if (!s->list.follow && ss->nvis > 0)
		list_goto(&s->list, at < ss->nvis ? at : ss->nvis - 1);
}

/* Start again when the list is next drawn. */
void
screen_sessions_reload(struct screen *s, struct tui *t)
{
	struct screen_sessions	*ss = s->data;

	(void)t;
	screen_sessions_clear(ss);
	ss->stale = 1;
	s->list.follow = 1;
	screen_sessions_filter(s, ss, 0);
}

/* The newest TUI_WINDOW sessions of the filter's outcome, by id. */
static int
screen_sessions_load_outcome(struct screen_sessions *ss, struct tui *t)
{
	int64_t		*ids;
	size_t		 i, n;
	int		 rc = 0;

	if (query_session_outcome_ids(t->q, t->filter_outcome, TUI_WINDOW,
	    &ids, &n) == -1) {
		free(ids);
		return -1;
	}
	ss->rows = xreallocarray(ss->rows, n + 1, sizeof(*ss->rows));
	ss->cap = n + 1;
	for (i = 0; i < n && rc != -1; i++)
		if ((rc = query_session_one(t->q, ids[i],
		    &ss->rows[ss->n])) == 1)
			ss->n++;
	free(ids);
	return rc == -1 ? -1 : 0;
}

static void
screen_sessions_load(struct screen *s, struct tui *t)
{
	struct screen_sessions	*ss = s->data;
	int64_t		 max;
	int		 rc;

	ss->stale = 0;
	ss->indexed = t->filtered &&
	    query_session_outcome_indexed(t->filter_outcome);
	if ((max = query_session_max(t->q)) < 0)
		rc = -1;
	else if (ss->indexed)
		rc = screen_sessions_load_outcome(ss, t);
	else
		rc = query_session_range(t->q, max > TUI_WINDOW ?
		    max - TUI_WINDOW : 0, max, &ss->rows, &ss->n, &ss->cap);
	if (rc == -1)
		tui_message(t, "database: %s", query_error(t->q));
	ss->last = max > 0 ? max : 0;
	if (ss->n > 0)
		qsort(ss->rows, ss->n, sizeof(*ss->rows), screen_sessions_cmp);
	s->list.follow = 1;
	screen_sessions_filter(s, ss, 0);
}

static void
screen_sessions_update(struct screen *s, struct tui *t,
    const struct query_delta *d)
{
	struct screen_sessions	*ss = s->data;
	struct query_sess	*r, fresh;
	int64_t			 max, cur = 0;
	size_t			 i;

	if (d->reload) {
		screen_sessions_reload(s, t);
		return;
	}
	if (ss->stale || d->nsessions == 0)
		return;
	if (!s->list.follow && s->list.cur < ss->nvis)
		cur = ss->rows[ss->vis[s->list.cur]].id;
	for (i = 0; i < d->nsessions; i++) {
		if ((r = screen_sessions_find(ss, d->sessions[i])) == NULL ||
		    query_session_one(t->q, d->sessions[i], &fresh) != 1)
			continue;
		query_session_free(r);
		*r = fresh;
	}
	if ((max = query_session_max(t->q)) > ss->last) {
		query_session_range(t->q, ss->last, max, &ss->rows, &ss->n,
		    &ss->cap);
		ss->last = max;
		qsort(ss->rows, ss->n, sizeof(*ss->rows), screen_sessions_cmp);
		screen_sessions_trim(ss);
	}
	screen_sessions_filter(s, ss, cur);
}

static void
screen_sessions_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct screen_sessions		*ss = arg;
	struct format_cells	 c;
	int			 k;

	format_row_sess(&ss->rows[ss->vis[i]], ss->t->meters.ref,
	    ss->t->flags, ss->cols, &c);
	for (k = 0; k < SCOL_MAX; k++) {
		attrset(tui_attr(ss->t, c.tone[k]));
		mvaddstr(y, ss->cols[k].x, c.text[k]);
	}
	attrset(A_NORMAL);
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
screen_sessions_match(void *arg, size_t i, const char *needle)
{
	struct screen_sessions		*ss = arg;
	const struct query_sess	*r = &ss->rows[ss->vis[i]];
	const char		*f[] = { r->src, r->dest, r->rdns, r->helo,
	    r->auth_user, r->tls, r->end_reason, r->outcome, r->reason };
	char			 id[24];
	size_t			 k;

	for (k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (f[k] != NULL && list_icontains(f[k], strlen(f[k]), needle))
			return 1;
	snprintf(id, sizeof(id), "%016llx", (unsigned long long)r->sid);
	return list_icontains(id, strlen(id), needle);
}

static void
screen_sessions_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	static const char *const heads[SCOL_MAX] = {
		"TIME", "DIR", "PEER", "RDNS", "HELO", "TLS", "TX", "OUTCOME",
		"LENGTH", "REASON"
	};
	struct screen_sessions	*ss = s->data;
	int		 k;

	if (ss->stale)
		screen_sessions_load(s, t);
	if (ss->width != w) {
		format_sess_layout(w, ss->cols);
		ss->width = w;
	}
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	for (k = 0; k < SCOL_MAX; k++)
		mvaddnstr(y, ss->cols[k].x, heads[k], ss->cols[k].w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	if (ss->nvis == 0)
		mvaddstr(y + 2, 2, t->filtered ? "no session matches the "
		    "filter (Esc clears it)" : "no session yet");
	snprintf(s->note, sizeof(s->note), "sessions %s  %zu/%zu%s",
	    s->list.follow ? "[following]" : "[paused: G or F follows]",
	    ss->nvis ? s->list.cur + 1 : 0, ss->nvis, ss->indexed ?
	    tui_matches(ss->n) : t->filtered ? " (of the newest; session "
	    "ids, ip:, helo:, since:, until:, outcome: apply here)" : "");
}

static enum screen_ret
screen_sessions_key(struct screen *s, struct tui *t, int key)
{
	struct screen_sessions		*ss = s->data;
	struct tui_target	 target;

	if (key != '\r' && key != '\n' && key != KEY_ENTER)
		return SCREEN_UNUSED;
	if (s->list.cur >= ss->nvis)
		return SCREEN_DONE;
	memset(&target, 0, sizeof(target));
	target.kind = QUERY_SESSION;
	target.key = target.session = ss->rows[ss->vis[s->list.cur]].id;
	tui_open(t, &target);
	return SCREEN_DONE;
}
