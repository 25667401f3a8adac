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
 * screen_lives.c: the live envelope list, newest at the bottom: every
 * envelope, refused recipient and session that ended before MAIL of
 * the newest TUI_WINDOW (or those the filter's index names), kept
 * current from the events each refresh brings.  The newest TUI_FIRST
 * rows are read before the first draw, the rest of the window
 * TUI_CHUNK rows at a time after it (screen_lives_fill()).
 */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

struct screen_lives {
	struct tui		*t;
	struct query_row	*rows;		/* in time order */
	size_t			 n, cap;
	size_t			*vis;		/* rows the filter keeps */
	size_t			 nvis, viscap;
	int			 indexed;	/* rows: the filter's matches */
	struct format_col	 cols[LCOL_MAX];
	int			 width;
	struct query_delta	 d;		/* the first rows' keys */
	struct query_delta	 rest;		/* the whole window's keys */
	size_t			 next;		/* of rest, the next to read */
	int			 filling;	/* 1: rest not read yet */
};

static int	screen_lives_init(struct screen *, struct tui *, const void *);
static void	screen_lives_draw(struct screen *, struct tui *, int, int, int);
static enum screen_ret screen_lives_key(struct screen *, struct tui *, int);
static void	screen_lives_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_lives_free(struct screen *);
static void	screen_lives_row_draw(void *, size_t, int, int, int);
static int	screen_lives_match(void *, size_t, const char *);
static void	screen_lives_clear(struct screen_lives *);
static void	screen_lives_upsert(struct screen_lives *, struct query_row *);
static void	screen_lives_trim(struct screen_lives *);
static void	screen_lives_filter(struct screen *, struct screen_lives *,
		    const struct query_key *);
static int	screen_lives_load(struct screen_lives *,
		    const struct query_delta *, int, int);
static void	screen_lives_sort(struct screen_lives *);
static void	screen_lives_rest(struct screen_lives *);
static int	screen_lives_cmp(const void *, const void *);
static int	screen_lives_keys(struct screen_lives *, size_t,
		    struct query_delta *);
static const struct query_key *screen_lives_cur(struct screen *,
		    struct screen_lives *, struct query_key *);

const struct screen_ops screen_lives_ops = {
	.name = "envelopes",
	.init = screen_lives_init,
	.draw = screen_lives_draw,
	.key = screen_lives_key,
	.update = screen_lives_update,
	.free = screen_lives_free,
	.hint = "Enter open  / search  f filter  Tab sessions  ? help  q quit ",
};

static int
screen_lives_init(struct screen *s, struct tui *t, const void *arg)
{
	struct screen_lives	*lv;

	(void)arg;
	lv = xcalloc(1, sizeof(*lv));
	lv->t = t;
	s->data = lv;
	list_init(&s->list, screen_lives_row_draw, screen_lives_match, lv, 1);
	screen_lives_reload(s, t);
	return 0;
}

static void
screen_lives_clear(struct screen_lives *lv)
{
	size_t	i;

	for (i = 0; i < lv->n; i++)
		query_row_free(&lv->rows[i]);
	lv->n = 0;
}

static void
screen_lives_free(struct screen *s)
{
	struct screen_lives	*lv = s->data;

	screen_lives_clear(lv);
	free(lv->rows);
	free(lv->vis);
	query_feed_free(&lv->d);
	query_feed_free(&lv->rest);
	free(lv);
}

/* Row r (taken over) in its place by time, replacing its old self. */
static void
screen_lives_upsert(struct screen_lives *lv, struct query_row *r)
{
	size_t	i, lo = 0, hi;

	for (i = 0; i < lv->n; i++)
		if (lv->rows[i].kind == r->kind && lv->rows[i].key == r->key) {
			query_row_free(&lv->rows[i]);
			memmove(&lv->rows[i], &lv->rows[i + 1],
			    (lv->n - i - 1) * sizeof(*lv->rows));
			lv->n--;
			break;
		}
	lv->rows = xgrow(lv->rows, lv->n, &lv->cap, 256, sizeof(*lv->rows));
	hi = lv->n;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (query_row_cmp(&lv->rows[i], r) < 0)
			lo = i + 1;
		else
			hi = i;
	}
	memmove(&lv->rows[lo + 1], &lv->rows[lo],
	    (lv->n - lo) * sizeof(*lv->rows));
	lv->rows[lo] = *r;
	lv->n++;
}

static int
screen_lives_cmp(const void *a, const void *b)
{
	return query_row_cmp(a, b);
}

/* Keep the newest TUI_WINDOW rows. */
static void
screen_lives_trim(struct screen_lives *lv)
{
	size_t	i, drop;

	if (lv->n <= TUI_WINDOW)
		return;
	drop = lv->n - TUI_WINDOW;
	for (i = 0; i < drop; i++)
		query_row_free(&lv->rows[i]);
	memmove(lv->rows, lv->rows + drop, TUI_WINDOW * sizeof(*lv->rows));
	lv->n = TUI_WINDOW;
}

/*
 * The rows the filter keeps, the cursor back on the row it was on
 * (cur: its key; NULL: follow or stay).
 */
static void
screen_lives_filter(struct screen *s, struct screen_lives *lv,
    const struct query_key *cur)
{
	const struct model_query *q = lv->t->filtered ? &lv->t->filter : NULL;
	size_t			 i, at = s->list.cur;

	if (lv->viscap < lv->n) {
		lv->viscap = lv->n;
		lv->vis = xreallocarray(lv->vis, lv->viscap, sizeof(*lv->vis));
	}
	lv->nvis = 0;
	for (i = 0; i < lv->n; i++) {
		if (!query_row_match(q, lv->t->filter_outcome, &lv->rows[i]))
			continue;
		if (cur != NULL && lv->rows[i].kind == cur->kind &&
		    lv->rows[i].key == cur->key)
			at = lv->nvis;
		lv->vis[lv->nvis++] = i;
	}
	list_set_count(&s->list, lv->nvis);
	if (!s->list.follow && lv->nvis > 0)
		list_goto(&s->list, at < lv->nvis ? at : lv->nvis - 1);
}

/*
 * Read the rows of d's keys; only_matching: skip what q leaves out.
 * append: add them all and sort once (a new list, or the older rows of
 * the window, of which one read again is kept once); else each row in
 * its place.
 */
static int
screen_lives_load(struct screen_lives *lv, const struct query_delta *d,
    int only_matching, int append)
{
	struct query_row	r;
	size_t			i;
	int			rc;

	append |= lv->n == 0;
	for (i = 0; i < d->nkeys; i++) {
		if ((rc = query_row(lv->t->q, &d->keys[i], &r)) == -1)
			return -1;
		if (rc == 0)
			continue;
		if (only_matching && !query_row_match(&lv->t->filter,
		    lv->t->filter_outcome, &r)) {
			query_row_free(&r);
			continue;
		}
		if (!append) {
			screen_lives_upsert(lv, &r);
			continue;
		}
		lv->rows = xgrow(lv->rows, lv->n, &lv->cap, 256,
		    sizeof(*lv->rows));
		lv->rows[lv->n++] = r;
	}
	if (append)
		screen_lives_sort(lv);
	screen_lives_trim(lv);
	return 0;
}

/* In time order, each key once (a row's time does not change). */
static void
screen_lives_sort(struct screen_lives *lv)
{
	struct query_row	*r;
	size_t			 i, n;

	if (lv->n == 0)
		return;
	qsort(lv->rows, lv->n, sizeof(*lv->rows), screen_lives_cmp);
	for (i = n = 0; i < lv->n; i++) {
		r = &lv->rows[i];
		if (n > 0 && lv->rows[n - 1].kind == r->kind &&
		    lv->rows[n - 1].key == r->key) {
			query_row_free(&lv->rows[n - 1]);
			lv->rows[n - 1] = *r;
		} else
			lv->rows[n++] = *r;
	}
	lv->n = n;
}

/* The keys of the newest n rows: the window's, or the filter's index's. */
static int
screen_lives_keys(struct screen_lives *lv, size_t n, struct query_delta *d)
{
	if (lv->indexed)
		return query_feed_index(lv->t->q, &lv->t->filter, n, d);
	return query_feed_window(lv->t->q, n, INT64_MAX, d);
}

/* Start again: the newest rows now, the rest of the window later. */
void
screen_lives_reload(struct screen *s, struct tui *t)
{
	struct screen_lives	*lv = s->data;

	screen_lives_clear(lv);
	query_feed_free(&lv->rest);
	lv->next = 0;
	lv->filling = 1;
	lv->indexed = t->filtered && query_feed_indexed(&t->filter) != -1;
	if (screen_lives_keys(lv, TUI_FIRST, &lv->d) == -1 ||
	    screen_lives_load(lv, &lv->d, lv->indexed, 1) == -1) {
		tui_message(t, "database: %s", query_error(t->q));
		lv->filling = 0;
	}
	s->list.follow = 1;
	screen_lives_filter(s, lv, NULL);
}

/*
 * Read the next TUI_CHUNK rows of the window that the first draw went
 * without: 1 when there may be more, 0 when the window is whole.
 */
int
screen_lives_fill(struct screen *s, struct tui *t)
{
	struct screen_lives	*lv = s->data;
	struct query_delta	 part;
	struct query_key	 cur;
	const struct query_key	*pcur;

	if (!lv->filling)
		return 0;
	if (lv->next == 0 && lv->rest.nkeys == 0) {
		if (screen_lives_keys(lv, TUI_WINDOW, &lv->rest) == -1) {
			tui_message(t, "database: %s", query_error(t->q));
			lv->filling = 0;
			return 0;
		}
		screen_lives_rest(lv);
	}
	pcur = screen_lives_cur(s, lv, &cur);
	memset(&part, 0, sizeof(part));
	part.keys = lv->rest.keys + lv->next;
	part.nkeys = lv->rest.nkeys - lv->next;
	if (part.nkeys > TUI_CHUNK)
		part.nkeys = TUI_CHUNK;
	lv->next += part.nkeys;
	if (screen_lives_load(lv, &part, lv->indexed, 1) == -1)
		tui_message(t, "database: %s", query_error(t->q));
	lv->filling = lv->next < lv->rest.nkeys;
	screen_lives_filter(s, lv, pcur);
	return 1;
}

/* Of the window's keys, leave out those of the rows read first. */
static void
screen_lives_rest(struct screen_lives *lv)
{
	struct query_key	*k;
	size_t			 i, n;

	for (i = n = 0; i < lv->rest.nkeys; i++) {
		k = &lv->rest.keys[i];
		if (!query_feed_has(&lv->d, k->kind, k->key))
			lv->rest.keys[n++] = *k;
	}
	lv->rest.nkeys = n;
}

/* The key of the row under the cursor, unless the list follows. */
static const struct query_key *
screen_lives_cur(struct screen *s, struct screen_lives *lv,
    struct query_key *cur)
{
	struct query_row	*r;

	if (s->list.follow || s->list.cur >= lv->nvis)
		return NULL;
	r = &lv->rows[lv->vis[s->list.cur]];
	cur->kind = r->kind;
	cur->key = r->key;
	return cur;
}

static void
screen_lives_update(struct screen *s, struct tui *t,
    const struct query_delta *d)
{
	struct screen_lives	*lv = s->data;
	struct query_key	 cur;
	const struct query_key	*pcur;

	if (d->reload) {
		screen_lives_reload(s, t);
		return;
	}
	if (d->nkeys == 0)
		return;
	pcur = screen_lives_cur(s, lv, &cur);
	if (screen_lives_load(lv, d, lv->indexed, 0) == -1)
		tui_message(t, "database: %s", query_error(t->q));
	screen_lives_filter(s, lv, pcur);
}

static void
screen_lives_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct screen_lives		*lv = arg;
	struct format_cells	 c;
	int			 k;

	format_row_life(&lv->rows[lv->vis[i]], lv->t->meters.ref,
	    lv->t->flags, lv->cols, &c);
	for (k = 0; k < LCOL_MAX; k++) {
		attrset(tui_attr(lv->t, c.tone[k]));
		mvaddstr(y, lv->cols[k].x, c.text[k]);
	}
	attrset(A_NORMAL);
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
screen_lives_match(void *arg, size_t i, const char *needle)
{
	struct screen_lives		*lv = arg;
	const struct query_row	*r = &lv->rows[lv->vis[i]];
	const char		*f[] = { r->from, r->to, r->client, r->relay,
	    r->helo, r->reply, format_status(r) };
	char			 id[32];
	size_t			 k;

	for (k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (f[k] != NULL && list_icontains(f[k], strlen(f[k]), needle))
			return 1;
	snprintf(id, sizeof(id), "%016llx %08x", (unsigned long long)r->evpid,
	    r->msgid);
	return list_icontains(id, strlen(id), needle);
}

static void
screen_lives_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	static const char *const heads[LCOL_MAX] = {
		"TIME", "", "FROM", "TO", "CLIENT/RELAY", "STATUS", "DELAY"
	};
	struct screen_lives	*lv = s->data;
	int		 k;

	if (lv->width != w) {
		format_lives_layout(w, lv->cols);
		lv->width = w;
	}
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	for (k = 0; k < LCOL_MAX; k++)
		mvaddnstr(y, lv->cols[k].x, heads[k], lv->cols[k].w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	if (lv->nvis == 0)
		mvaddstr(y + 2, 2, t->filtered ? "no mail matches the filter "
		    "(Esc clears it)" : "no mail yet: rows appear as the "
		    "collector commits them");
	snprintf(s->note, sizeof(s->note), "%s  %zu/%zu%s",
	    s->list.follow ? "[following]" : "[paused: G or F follows]",
	    lv->nvis ? s->list.cur + 1 : 0, lv->nvis, lv->filling ?
	    " (reading older rows)" : lv->indexed ? tui_matches(lv->n) :
	    t->filtered ? " (of the newest rows)" : "");
}

static enum screen_ret
screen_lives_key(struct screen *s, struct tui *t, int key)
{
	struct screen_lives		*lv = s->data;
	const struct query_row	*r;
	struct tui_target	 target;

	if (key != '\r' && key != '\n' && key != KEY_ENTER)
		return SCREEN_UNUSED;
	if (s->list.cur >= lv->nvis)
		return SCREEN_DONE;
	r = &lv->rows[lv->vis[s->list.cur]];
	target.kind = r->kind;
	target.key = r->key;
	target.session = r->session;
	tui_open(t, &target);
	return SCREEN_DONE;
}
