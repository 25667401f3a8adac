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
 * screen_dest.c: the destinations (Tab after the sessions): each
 * recipient domain, or next hop (d), over a window ending now (or at
 * the newest event of an old database; w widens it), most troubled
 * first, read again as events arrive (at most every SCREEN_DEST_EVERY,
 * or ten times as long as the last read took, so that a busy database
 * leaves the keys their time) and each minute as the window slides.
 * The status line names the class of most deferrals and failures.
 * Enter lists the envelopes of a destination: the envelope list
 * filtered by to:@domain or ip:hop, on top of this screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define SCREEN_DEST_EVERY	(2 * US_PER_SEC)

static const struct {
	const char	*name;
	int64_t		 len;		/* 0: everything */
} screen_dest_windows[] = {
	{ "last hour", QUERY_HOUR },
	{ "last 24 hours", 24 * QUERY_HOUR },
	{ "last 7 days", 7 * 24 * QUERY_HOUR },
	{ "everything", 0 },
};

#define SCREEN_DEST_NWINDOWS \
	(sizeof(screen_dest_windows) / sizeof(screen_dest_windows[0]))

struct screen_dest {
	struct tui		*t;
	struct dest_set		 set;		/* most troubled first */
	enum dest_by		 by;
	size_t			 window;	/* of screen_dest_windows */
	int			 stale;		/* read again when drawn */
	int64_t			 loaded;	/* when last read */
	int64_t			 cost;		/* how long that took */
	const char		*top;		/* the dominant class; NULL */
	int64_t			 top_n, trouble;	/* its, and all */
	struct format_col	 cols[DCOL_MAX];
	int			 width;
};

static int	screen_dest_init(struct screen *, struct tui *, const void *);
static void	screen_dest_draw(struct screen *, struct tui *, int, int, int);
static enum screen_ret screen_dest_key(struct screen *, struct tui *, int);
static void	screen_dest_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_dest_free(struct screen *);
static void	screen_dest_row_draw(void *, size_t, int, int, int);
static int	screen_dest_match(void *, size_t, const char *);
static void	screen_dest_load(struct screen *, struct tui *);
static void	screen_dest_dominant(struct screen_dest *);
static void	screen_dest_note(struct screen *, struct screen_dest *);
static void	screen_dest_open(struct screen *, struct screen_dest *,
		    struct tui *);

const struct screen_ops screen_dest_ops = {
	.name = "destinations",
	.init = screen_dest_init,
	.draw = screen_dest_draw,
	.key = screen_dest_key,
	.update = screen_dest_update,
	.free = screen_dest_free,
	.hint = "Enter envelopes  d domain/hop  w window  Tab envelopes  "
	    "? help ",
};

static int
screen_dest_init(struct screen *s, struct tui *t, const void *arg)
{
	struct screen_dest	*sd;

	(void)arg;
	sd = xcalloc(1, sizeof(*sd));
	sd->t = t;
	sd->stale = 1;
	dest_init(&sd->set, DEST_DOMAIN);
	s->data = sd;
	list_init(&s->list, screen_dest_row_draw, screen_dest_match, sd, 0);
	return 0;
}

static void
screen_dest_free(struct screen *s)
{
	struct screen_dest	*sd = s->data;

	dest_free(&sd->set);
	free(sd);
}

/* New events: the table is read again when it is next drawn. */
static void
screen_dest_update(struct screen *s, struct tui *t,
    const struct query_delta *d)
{
	struct screen_dest	*sd = s->data;

	(void)t;
	if (d->reload || d->nkeys > 0 || d->nsessions > 0)
		sd->stale = 1;
}

/*
 * The class of most deferrals and failures over every destination
 * (NULL: none; a tie goes to the first name), its count and the count
 * of all.
 */
static void
screen_dest_dominant(struct screen_dest *sd)
{
	const struct dest_class	*c;
	struct dest_class	*sum = NULL;	/* deferrals: of both */
	size_t			 i, j, k, n = 0, cap = 0;

	sd->top = NULL;
	sd->top_n = sd->trouble = 0;
	for (i = 0; i < sd->set.n; i++)
		for (j = 0; j < sd->set.rows[i].nclasses; j++) {
			c = &sd->set.rows[i].classes[j];
			for (k = 0; k < n; k++)
				if (strcmp(sum[k].name, c->name) == 0)
					break;
			if (k == n) {
				sum = xgrow(sum, n, &cap, 16, sizeof(*sum));
				memset(&sum[n++], 0, sizeof(*sum));
				sum[k].name = c->name;
			}
			sum[k].deferrals += c->deferrals + c->failures;
			sd->trouble += c->deferrals + c->failures;
		}
	for (k = 0; k < n; k++)
		if (sd->top == NULL || sum[k].deferrals > sd->top_n ||
		    (sum[k].deferrals == sd->top_n &&
		    strcmp(sum[k].name, sd->top) < 0)) {
			sd->top_n = sum[k].deferrals;
			sd->top = sum[k].name;
		}
	free(sum);
}

/* Read the table again, the cursor on the destination it was on. */
static void
screen_dest_load(struct screen *s, struct tui *t)
{
	struct screen_dest	*sd = s->data;
	int64_t			 until = t->meters.ref, len;
	const struct dest_row	*r;
	char			 cur[TUI_TEXT];

	len = screen_dest_windows[sd->window].len;
	sd->loaded = util_now();
	cur[0] = '\0';
	if (s->list.cur < sd->set.n && sd->set.by == sd->by)
		strlcpy(cur, sd->set.rows[s->list.cur].key, sizeof(cur));
	dest_free(&sd->set);
	if (query_dest(t->q, sd->by, len ? until - len : 0, len ? until :
	    INT64_MAX, &sd->set) == -1)
		tui_message(t, "database: %s", query_error(t->q));
	sd->stale = 0;
	sd->cost = util_now() - sd->loaded;
	sd->loaded += sd->cost;
	screen_dest_dominant(sd);
	list_set_count(&s->list, sd->set.n);
	r = dest_find(&sd->set, cur);
	list_goto(&s->list, r != NULL ? (size_t)(r - sd->set.rows) : 0);
}

static void
screen_dest_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct screen_dest	*sd = arg;
	struct format_cells	 c;
	int			 k;

	format_row_dest(&sd->set.rows[i], sd->t->flags, sd->cols, &c);
	for (k = 0; k < DCOL_MAX; k++) {
		attrset(tui_attr(sd->t, c.tone[k]));
		mvaddstr(y, sd->cols[k].x, c.text[k]);
	}
	attrset(A_NORMAL);
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
screen_dest_match(void *arg, size_t i, const char *needle)
{
	struct screen_dest		*sd = arg;
	const struct dest_row		*r = &sd->set.rows[i];
	size_t				 k;

	if (list_icontains(r->key, strlen(r->key), needle) ||
	    (r->name != NULL && list_icontains(r->name, strlen(r->name),
	    needle)))
		return 1;
	for (k = 0; k < r->nclasses; k++)
		if (list_icontains(r->classes[k].name,
		    strlen(r->classes[k].name), needle))
			return 1;
	return 0;
}

/* What the status line says: which class dominates. */
static void
screen_dest_note(struct screen *s, struct screen_dest *sd)
{
	size_t	len;

	snprintf(s->note, sizeof(s->note), "by %s, %s  %zu/%zu  ",
	    sd->set.by == DEST_HOP ? "next hop" : "domain",
	    screen_dest_windows[sd->window].name,
	    sd->set.n ? s->list.cur + 1 : 0, sd->set.n);
	len = strlen(s->note);
	if (sd->top == NULL)
		strlcat(s->note, "no deferral or failure", sizeof(s->note));
	else
		snprintf(s->note + len, sizeof(s->note) - len, "dominant "
		    "class: %s (%lld of %lld deferrals and failures)", sd->top,
		    (long long)sd->top_n, (long long)sd->trouble);
}

static void
screen_dest_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	static const char *const heads[DCOL_MAX] = {
		"DESTINATION", " DELIV", " DEFER", "  FAIL", " 1ST%",
		"    P50", "    P95", "TOP CLASS", "LAST REPLY"
	};
	struct screen_dest	*sd = s->data;
	int64_t			 since;
	int			 k;

	/* New events, or each minute as the window slides. */
	since = util_now() - sd->loaded;
	if ((sd->stale && since >= (sd->cost * 10 > SCREEN_DEST_EVERY ?
	    sd->cost * 10 : SCREEN_DEST_EVERY)) || since >= QUERY_MIN)
		screen_dest_load(s, t);
	if (sd->width != w) {
		format_dest_layout(w, sd->cols);
		sd->width = w;
	}
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	for (k = 0; k < DCOL_MAX; k++)
		mvaddnstr(y, sd->cols[k].x, k == DCOL_NAME && sd->set.by ==
		    DEST_HOP ? "NEXT HOP" : heads[k], sd->cols[k].w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	if (sd->set.n == 0)
		mvaddstr(y + 2, 2, "no mail sent out in this window (w "
		    "widens it)");
	screen_dest_note(s, sd);
}

/* The envelope list, filtered to the destination under the cursor. */
static void
screen_dest_open(struct screen *s, struct screen_dest *sd, struct tui *t)
{
	const char	*name;
	char		 filter[TUI_TEXT];

	if (s->list.cur >= sd->set.n || tui_full(t))
		return;
	name = sd->set.rows[s->list.cur].key;
	if (*name == '\0') {
		tui_message(t, "no %s to list by", sd->set.by == DEST_HOP ?
		    "next hop" : "domain");
		return;
	}
	snprintf(filter, sizeof(filter), sd->set.by == DEST_HOP ?
	    "ip:%s" : "to:@%s", name);
	if (tui_bar_filter_set(t, filter) == -1)
		return;
	t->stack[t->depth++] = t->lives;
}

static enum screen_ret
screen_dest_key(struct screen *s, struct tui *t, int key)
{
	struct screen_dest	*sd = s->data;

	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		screen_dest_open(s, sd, t);
		return SCREEN_DONE;
	case 'd':
		sd->by = sd->by == DEST_HOP ? DEST_DOMAIN : DEST_HOP;
		break;
	case 'w':
		sd->window = (sd->window + 1) % SCREEN_DEST_NWINDOWS;
		break;
	default:
		return SCREEN_UNUSED;
	}
	sd->loaded = sd->cost = 0;
	sd->stale = 1;
	s->list.cur = 0;
	return SCREEN_DONE;
}
