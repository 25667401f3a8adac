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
 * screen_life.c: one envelope's life (or one refused recipient's) as
 * mailtrail trace shows it: the read model's steps (model_step_build())
 * as lines: the head, the steps, and the dialogue under each step,
 * which folds and unfolds.  The life is read again while the envelope
 * can still change and new events touch it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define SCREEN_LIFE_IS_HEAD(k)	((k) == MODEL_STEP_TITLE || \
	(k) == MODEL_STEP_REPLY || (k) == MODEL_STEP_FACTS)
#define SCREEN_LIFE_IS_STEP(k)	((k) == MODEL_STEP_STEP || \
	(k) == MODEL_STEP_FATE)

struct screen_life_line {
	char			*text;		/* bytes, escaped when drawn */
	size_t			 len;
	enum model_step_kind	 kind;
	int			 step;		/* -1: the head */
	enum format_tone	 tone;
	uint64_t		 sid;		/* a step's session, or 0 */
	int			 w;		/* columns, escaped */
};

struct screen_life {
	struct tui		*t;
	struct screen		*s;
	struct tui_target	 target;
	int64_t			 rcpt_t;	/* a refusal: its time */
	uint32_t		 msgid;
	char			*rcpt;
	int			 final;		/* can no longer change */
	struct model_steps	 steps;
	struct screen_life_line	*lines;
	size_t			 n, cap;
	size_t			*vis;
	size_t			 nvis;
	char			*folded;	/* by step */
	size_t			 nsteps, fcap;
	int			 fold_default;
};

static int	screen_life_init(struct screen *, struct tui *, const void *);
static void	screen_life_draw(struct screen *, struct tui *, int, int, int);
static enum screen_ret screen_life_key(struct screen *, struct tui *, int);
static void	screen_life_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_life_free(struct screen *);
static void	screen_life_row_draw(void *, size_t, int, int, int);
static int	screen_life_match(void *, size_t, const char *);
static int	screen_life_build(struct screen_life *);
static int	screen_life_read(struct screen_life *);
static void	screen_life_add(struct screen_life *, const struct model_step *,
		    int);
static void	screen_life_clear(struct screen_life *);
static void	screen_life_visible(struct screen_life *, size_t);
static void	screen_life_fold(struct screen_life *, int);

const struct screen_ops screen_life_ops = {
	.name = "life",
	.init = screen_life_init,
	.draw = screen_life_draw,
	.key = screen_life_key,
	.update = screen_life_update,
	.free = screen_life_free,
	.hint = "Enter fold  d dialogue  s session  / search  q back ",
};

/*
 * The life's steps into v->steps: 0, or -1 if it is not there, or the
 * database failed (the status line says why).
 */
static int
screen_life_read(struct screen_life *v)
{
	struct model_query	 q;
	struct model_iter	*it;
	const struct model_life	*l, *pick = NULL;

	memset(&q, 0, sizeof(q));
	if (v->target.kind == QUERY_ENVELOPE) {
		q.terms[q.n].kind = TERM_ID16;
		q.terms[q.n++].id = (uint64_t)v->target.key;
	} else {
		q.terms[q.n].kind = TERM_MSGID;
		q.terms[q.n++].id = v->msgid;
		q.terms[q.n].kind = TERM_STATUS;
		q.terms[q.n++].status = LIFE_REJECTED;
		q.terms[q.n].kind = TERM_TO;
		q.terms[q.n++].s = v->rcpt;
	}
	if (model_begin(v->t->m) == -1 ||
	    (it = model_lives(v->t->m, &q, MODEL_EVENTS)) == NULL) {
		tui_message(v->t, "database: %s", model_error(v->t->m));
		model_end(v->t->m);
		return -1;
	}
	/* A recipient refused twice in one transaction: the right one. */
	while ((l = model_next(it)) != NULL)
		if (v->target.kind == QUERY_ENVELOPE ||
		    l->rcpt_t == v->rcpt_t) {
			pick = l;
			break;
		}
	if (pick == NULL && model_iter_failed(it))
		tui_message(v->t, "database: %s", model_error(v->t->m));
	if (pick != NULL) {
		model_step_build(&v->steps, pick);
		/* Only a waiting life can still change. */
		v->final = !query_waiting(pick->status);
	}
	model_iter_free(it);
	model_end(v->t->m);
	return pick != NULL ? 0 : -1;
}

static void
screen_life_clear(struct screen_life *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->lines[i].text);
	v->n = 0;
}

/* Step s as a line laid out as trace lays it out, in step number step. */
static void
screen_life_add(struct screen_life *v, const struct model_step *s, int step)
{
	struct screen_life_line	*l;
	struct buf		 b = { NULL, 0, 0 };
	char			 head[64];

	head[0] = '\0';
	if (s->kind == MODEL_STEP_TITLE)
		snprintf(head, sizeof(head), "%s  ", s->name);
	else if (s->kind == MODEL_STEP_REPLY || s->kind == MODEL_STEP_FACTS)
		snprintf(head, sizeof(head), "  ");
	else if (SCREEN_LIFE_IS_STEP(s->kind))
		snprintf(head, sizeof(head), "  %-10s %-9s ", s->when, s->name);
	else if (s->kind == MODEL_STEP_LINE)
		snprintf(head, sizeof(head), "      %-10s ", s->when);
	buf_set(&b, head, strlen(head));
	buf_append(&b, s->text, s->len);
	if (s->more > 0) {
		snprintf(head, sizeof(head), " (+%zu lines)", s->more);
		buf_append(&b, head, strlen(head));
	}
	v->lines = xgrow(v->lines, v->n, &v->cap, 64, sizeof(*v->lines));
	l = &v->lines[v->n++];
	l->text = b.p;
	l->len = b.len;
	l->w = format_width(b.p, b.len, v->t->flags);
	l->kind = s->kind;
	l->step = step;
	l->tone = format_model_tone(s->tone);
	l->sid = s->sid;
}

/* The life read again, as lines sorted into head, steps and dialogue. */
static int
screen_life_build(struct screen_life *v)
{
	const struct model_step	*s;
	size_t			 i;
	int			 step = -1;

	if (screen_life_read(v) == -1)
		return -1;
	screen_life_clear(v);
	for (i = 0; i < v->steps.n; i++) {
		s = &v->steps.v[i];
		if (SCREEN_LIFE_IS_STEP(s->kind))
			step++;
		screen_life_add(v, s, SCREEN_LIFE_IS_HEAD(s->kind) ? -1 : step);
	}
	v->nsteps = step + 1;
	if (v->fcap < v->nsteps) {
		v->folded = xreallocarray(v->folded, v->nsteps, 1);
		memset(v->folded + v->fcap, v->fold_default,
		    v->nsteps - v->fcap);
		v->fcap = v->nsteps;
	}
	return 0;
}

/* The lines folding leaves, the cursor on line keep or the one above. */
static void
screen_life_visible(struct screen_life *v, size_t keep)
{
	size_t	i, at = 0;

	v->vis = xreallocarray(v->vis, v->n + 1, sizeof(*v->vis));
	v->nvis = 0;
	v->s->wide = 0;
	for (i = 0; i < v->n; i++) {
		if (v->lines[i].kind == MODEL_STEP_LINE &&
		    v->folded[v->lines[i].step])
			continue;
		if (i <= keep)
			at = v->nvis;
		v->vis[v->nvis++] = i;
		if (v->lines[i].w > v->s->wide)
			v->s->wide = v->lines[i].w;
	}
	list_set_count(&v->s->list, v->nvis);
	if (!v->s->list.follow)
		list_goto(&v->s->list, at);
}

static int
screen_life_init(struct screen *s, struct tui *t, const void *arg)
{
	struct screen_life		*v;
	struct query_row	 r;
	struct query_key	 k;

	v = xcalloc(1, sizeof(*v));
	v->t = t;
	v->s = s;
	v->target = *(const struct tui_target *)arg;
	s->data = v;
	list_init(&s->list, screen_life_row_draw, screen_life_match, v, 1);
	s->list.follow = 0;
	k.kind = v->target.kind;
	k.key = v->target.key;
	if (k.kind == QUERY_REJECTED && query_row(t->q, &k, &r) == 1) {
		v->msgid = r.msgid;
		v->rcpt_t = r.t;
		v->rcpt = r.to ? xstrdup(r.to) : NULL;
		query_row_free(&r);
	}
	if ((v->target.kind == QUERY_REJECTED && v->rcpt == NULL) ||
	    screen_life_build(v) == -1) {
		screen_life_free(s);
		return -1;
	}
	screen_life_visible(v, 0);
	return 0;
}

static void
screen_life_free(struct screen *s)
{
	struct screen_life	*v = s->data;

	screen_life_clear(v);
	model_step_free(&v->steps);
	free(v->lines);
	free(v->vis);
	free(v->folded);
	free(v->rcpt);
	free(v);
}

static void
screen_life_update(struct screen *s, struct tui *t, const struct query_delta *d)
{
	struct screen_life	*v = s->data;
	size_t		 keep;

	(void)t;
	if (v->final || v->target.kind != QUERY_ENVELOPE || (!d->reload &&
	    !query_feed_has(d, QUERY_ENVELOPE, v->target.key)))
		return;
	keep = s->list.cur < v->nvis ? v->vis[s->list.cur] : 0;
	if (screen_life_build(v) == 0)
		screen_life_visible(v, keep);
}

static void
screen_life_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct screen_life		*v = arg;
	const struct screen_life_line	*l = &v->lines[v->vis[i]];
	int			 utf8 = v->t->flags & FORMAT_UTF8;

	tui_put(v->t, y, 0, w, l->text, l->len, v->s->hscroll, l->tone);
	/* A step with dialogue: whether it is folded, in its margin. */
	if (SCREEN_LIFE_IS_STEP(l->kind) && v->s->hscroll == 0 &&
	    v->vis[i] + 1 < v->n &&
	    v->lines[v->vis[i] + 1].kind == MODEL_STEP_LINE)
		mvaddstr(y, 0, v->folded[l->step] ? (utf8 ? "\xe2\x96\xb8" :
		    "+") : (utf8 ? "\xe2\x96\xbe" : "-"));
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
screen_life_match(void *arg, size_t i, const char *needle)
{
	struct screen_life		*v = arg;
	const struct screen_life_line	*l = &v->lines[v->vis[i]];

	return list_icontains(l->text, l->len, needle);
}

static void
screen_life_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	struct screen_life	*v = s->data;
	char		 title[160];

	if (v->target.kind == QUERY_ENVELOPE)
		snprintf(title, sizeof(title), "envelope %016llx%s",
		    (unsigned long long)v->target.key, v->final ? "" :
		    ": updating live while it can still change");
	else
		snprintf(title, sizeof(title), "a recipient refused at "
		    "smtp-in (no envelope)");
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	mvaddnstr(y, 0, title, w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	snprintf(s->note, sizeof(s->note), "line %zu/%zu%s",
	    v->nvis ? s->list.cur + 1 : 0, v->nvis, s->list.follow ?
	    " [following]" : "");
	(void)t;
}

/* Fold or unfold step (-1: every step, by the first one's state). */
static void
screen_life_fold(struct screen_life *v, int step)
{
	size_t	keep = v->s->list.cur < v->nvis ? v->vis[v->s->list.cur] : 0;
	size_t	i;
	char	to;

	if (step >= 0)
		v->folded[step] = !v->folded[step];
	else {
		to = v->nsteps > 0 ? !v->folded[0] : 1;
		memset(v->folded, to, v->nsteps);
		v->fold_default = to;
	}
	/* On a line that folds away: its step. */
	if (v->lines[keep].kind == MODEL_STEP_LINE &&
	    v->folded[v->lines[keep].step])
		for (i = keep; i > 0 &&
		    !SCREEN_LIFE_IS_STEP(v->lines[i].kind); i--)
			keep = i - 1;
	screen_life_visible(v, keep);
}

static enum screen_ret
screen_life_key(struct screen *s, struct tui *t, int key)
{
	struct screen_life		*v = s->data;
	const struct screen_life_line	*l;
	int64_t			 id;
	size_t			 i;

	if (v->nvis == 0 || s->list.cur >= v->nvis)
		return SCREEN_UNUSED;
	l = &v->lines[v->vis[s->list.cur]];
	switch (key) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		if (l->step >= 0)
			screen_life_fold(v, l->step);
		return SCREEN_DONE;
	case 'd':
		screen_life_fold(v, -1);
		return SCREEN_DONE;
	case 's':
		/* The step's session; on the header, the smtp-in one. */
		for (i = v->vis[s->list.cur]; i > 0 && v->lines[i].sid == 0 &&
		    v->lines[i].step >= 0; i--)
			;
		if (v->lines[i].sid == 0)
			for (i = 0; i < v->n && v->lines[i].sid == 0; i++)
				;
		if (i < v->n && (id = query_session_by_sid(t->q,
		    v->lines[i].sid)) != 0)
			tui_push(t, &screen_session_ops, &id);
		else
			tui_message(t, "no session here");
		return SCREEN_DONE;
	}
	return SCREEN_UNUSED;
}
