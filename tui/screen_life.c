/*
 * screen_life.c: one envelope's life (or one refused recipient's) as
 * mailtrail trace prints it: the read model's life through
 * timeline_print(), its lines sorted into header, steps and dialogue.
 * A step's dialogue folds and unfolds; the life is read again while
 * the envelope can still change and new events touch it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export/export.h"
#include "tui.h"

struct lview_line {
	char			*text;		/* bytes, escaped when drawn */
	size_t			 len;
	enum format_tl		 kind;
	int			 step;		/* -1: the header */
	enum format_tone	 tone;
	uint64_t		 sid;		/* a step's session, or 0 */
};

struct lview {
	struct tui		*t;
	struct screen		*s;
	struct tui_target	 target;
	int64_t			 rcpt_t;	/* a refusal: its time */
	uint32_t		 msgid;
	char			*rcpt;
	int			 final;		/* can no longer change */
	struct lview_line	*lines;
	size_t			 n, cap;
	size_t			*vis;
	size_t			 nvis;
	char			*folded;	/* by step */
	size_t			 nsteps, fcap;
	int			 fold_default;
};

static int	lview_init(struct screen *, struct tui *, const void *);
static void	lview_draw(struct screen *, struct tui *, int, int, int);
static enum screen_ret lview_key(struct screen *, struct tui *, int);
static void	lview_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	lview_free(struct screen *);
static void	lview_row_draw(void *, size_t, int, int, int);
static int	lview_match(void *, size_t, const char *);
static int	lview_build(struct lview *);
static int	lview_text(struct lview *, char **, size_t *);
static void	lview_split(struct lview *, char *, size_t);
static void	lview_clear(struct lview *);
static void	lview_visible(struct lview *, size_t);
static void	lview_fold(struct lview *, int);

const struct screen_ops screen_life_ops = {
	.name = "life",
	.init = lview_init,
	.draw = lview_draw,
	.key = lview_key,
	.update = lview_update,
	.free = lview_free,
	.hint = "Enter fold  d dialogue  s session  / search  q back ",
};

/* The life as trace's text, in *text (the caller frees). */
static int
lview_text(struct lview *v, char **text, size_t *len)
{
	struct model_query	 q;
	struct model_iter	*it;
	const struct model_life	*l, *pick = NULL;
	FILE			*fp;

	memset(&q, 0, sizeof(q));
	if (v->target.kind == QUERY_ENVELOPE) {
		q.terms[q.n].kind = TERM_ID16;
		q.terms[q.n++].id = (uint64_t)v->target.key;
	} else {
		q.terms[q.n].kind = TERM_MSGID;
		q.terms[q.n++].id = v->msgid;
		q.terms[q.n].kind = TERM_STATUS;
		q.terms[q.n++].status = MODEL_REJECTED;
		q.terms[q.n].kind = TERM_TO;
		q.terms[q.n++].s = v->rcpt;
	}
	if (model_begin(v->t->m) == -1 ||
	    (it = model_lives(v->t->m, &q, MODEL_EVENTS)) == NULL) {
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
	if (pick != NULL && (fp = open_memstream(text, len)) != NULL) {
		timeline_print(pick, fp, 0);
		fclose(fp);
		/* Only a queued or deferred envelope can still change. */
		v->final = pick->status != MODEL_QUEUED &&
		    pick->status != MODEL_DEFERRED;
	} else
		pick = NULL;
	model_iter_free(it);
	model_end(v->t->m);
	return pick != NULL ? 0 : -1;
}

static void
lview_clear(struct lview *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		free(v->lines[i].text);
	v->n = 0;
}

/* trace's lines, each back to its bytes, sorted into kinds and steps. */
static void
lview_split(struct lview *v, char *text, size_t len)
{
	struct lview_line	*l;
	char			*p = text, *nl;
	int			 in_header = 1, step = -1;

	while (p < text + len) {
		if ((nl = memchr(p, '\n', text + len - p)) == NULL)
			nl = text + len;
		if (v->n == v->cap) {
			v->cap = v->cap ? v->cap * 2 : 64;
			v->lines = xreallocarray(v->lines, v->cap,
			    sizeof(*v->lines));
		}
		l = &v->lines[v->n++];
		memset(l, 0, sizeof(*l));
		l->kind = format_tl_kind(p, nl - p, &in_header);
		if (l->kind == TL_STEP)
			step++;
		l->step = l->kind == TL_HEAD ? -1 : step;
		l->tone = format_tl_tone(l->kind, p, nl - p);
		if (l->kind == TL_STEP && !format_tl_sid(p, nl - p, &l->sid))
			l->sid = 0;
		l->len = format_unescape(p, nl - p);
		l->text = xmalloc(l->len + 1);
		memcpy(l->text, p, l->len);
		l->text[l->len] = '\0';
		p = nl + 1;
	}
	v->nsteps = step + 1;
	if (v->fcap < v->nsteps) {
		v->folded = xreallocarray(v->folded, v->nsteps, 1);
		memset(v->folded + v->fcap, v->fold_default,
		    v->nsteps - v->fcap);
		v->fcap = v->nsteps;
	}
}

static int
lview_build(struct lview *v)
{
	char	*text = NULL;
	size_t	 len = 0;

	if (lview_text(v, &text, &len) == -1) {
		free(text);
		return -1;
	}
	lview_clear(v);
	lview_split(v, text, len);
	free(text);
	return 0;
}

/* The lines folding leaves, the cursor on line keep or the one above. */
static void
lview_visible(struct lview *v, size_t keep)
{
	size_t	i, at = 0;

	v->vis = xreallocarray(v->vis, v->n + 1, sizeof(*v->vis));
	v->nvis = 0;
	for (i = 0; i < v->n; i++) {
		if (v->lines[i].kind == TL_DIALOGUE &&
		    v->folded[v->lines[i].step])
			continue;
		if (i <= keep)
			at = v->nvis;
		v->vis[v->nvis++] = i;
	}
	list_set_count(&v->s->list, v->nvis);
	if (!v->s->list.follow)
		list_goto(&v->s->list, at);
}

static int
lview_init(struct screen *s, struct tui *t, const void *arg)
{
	struct lview		*v;
	struct query_row	 r;
	struct query_key	 k;

	v = xcalloc(1, sizeof(*v));
	v->t = t;
	v->s = s;
	v->target = *(const struct tui_target *)arg;
	s->data = v;
	list_init(&s->list, lview_row_draw, lview_match, v, 1);
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
	    lview_build(v) == -1) {
		lview_free(s);
		return -1;
	}
	lview_visible(v, 0);
	return 0;
}

static void
lview_free(struct screen *s)
{
	struct lview	*v = s->data;

	lview_clear(v);
	free(v->lines);
	free(v->vis);
	free(v->folded);
	free(v->rcpt);
	free(v);
}

static void
lview_update(struct screen *s, struct tui *t, const struct query_delta *d)
{
	struct lview	*v = s->data;
	size_t		 keep;

	(void)t;
	if (v->final || v->target.kind != QUERY_ENVELOPE || (!d->reload &&
	    !query_delta_has(d, QUERY_ENVELOPE, v->target.key)))
		return;
	keep = s->list.cur < v->nvis ? v->vis[s->list.cur] : 0;
	if (lview_build(v) == 0)
		lview_visible(v, keep);
}

static void
lview_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct lview		*v = arg;
	const struct lview_line	*l = &v->lines[v->vis[i]];
	int			 utf8 = v->t->flags & FORMAT_UTF8;

	tui_put(v->t, y, 0, w, l->text, l->len, v->s->hscroll, l->tone);
	/* A step with dialogue: whether it is folded, in its margin. */
	if (l->kind == TL_STEP && v->s->hscroll == 0 && v->vis[i] + 1 < v->n &&
	    v->lines[v->vis[i] + 1].kind == TL_DIALOGUE)
		mvaddstr(y, 0, v->folded[l->step] ? (utf8 ? "\xe2\x96\xb8" :
		    "+") : (utf8 ? "\xe2\x96\xbe" : "-"));
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
lview_match(void *arg, size_t i, const char *needle)
{
	struct lview		*v = arg;
	const struct lview_line	*l = &v->lines[v->vis[i]];

	return list_icontains(l->text, l->len, needle);
}

static void
lview_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	struct lview	*v = s->data;
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
lview_fold(struct lview *v, int step)
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
	if (v->lines[keep].kind == TL_DIALOGUE &&
	    v->folded[v->lines[keep].step])
		for (i = keep; i > 0 && v->lines[i].kind != TL_STEP; i--)
			keep = i - 1;
	lview_visible(v, keep);
}

static enum screen_ret
lview_key(struct screen *s, struct tui *t, int key)
{
	struct lview		*v = s->data;
	const struct lview_line	*l;
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
			lview_fold(v, l->step);
		return SCREEN_DONE;
	case 'd':
		lview_fold(v, -1);
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
