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
 * screen_session.c: one connection: its facts and what it came to (the
 * outcome the writer keeps, and why), then every event of it in order
 * (the SMTP dialogue with all its transactions, what smtpd reported,
 * the filters' words), growing while the session lives.
 * Enter on an envelope line opens that envelope.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define SCREEN_SESSION_EVENTS_MAX	200000	/* events of a session shown */

struct screen_session_line {
	char			*text;
	size_t			 len;
	int64_t			 evpid;	/* tx-envelope: its id, else 0 */
	enum format_tone	 tone;
};

struct screen_session {
	struct tui		*t;
	struct screen		*s;
	int64_t			 id;
	struct query_sess	 info;
	struct query_event	*ev;
	size_t			 nev, cap;
	struct screen_session_line	*lines;
	size_t			 nlines, lcap;
	size_t			 nhead;	/* the facts' lines: not scrolled */
};

static int	screen_session_init(struct screen *, struct tui *,
		    const void *);
static void	screen_session_draw(struct screen *, struct tui *, int, int,
		    int);
static enum screen_ret screen_session_key(struct screen *, struct tui *, int);
static void	screen_session_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_session_free(struct screen *);
static void	screen_session_row_draw(void *, size_t, int, int, int);
static int	screen_session_match(void *, size_t, const char *);
static int	screen_session_read(struct screen_session *);
static void	screen_session_lines(struct screen_session *);
static void	screen_session_add(struct screen_session *, const char *,
		    size_t,
		    enum format_tone, int64_t);
static void	screen_session_facts(struct screen_session *);

const struct screen_ops screen_session_ops = {
	.name = "session",
	.init = screen_session_init,
	.draw = screen_session_draw,
	.key = screen_session_key,
	.update = screen_session_update,
	.free = screen_session_free,
	.hint = "Enter envelope  / search  left/right scroll  q back ",
};

static void
screen_session_add(struct screen_session *v, const char *s, size_t len,
    enum format_tone tone, int64_t evpid)
{
	struct screen_session_line	*l;

	v->lines = xgrow(v->lines, v->nlines, &v->lcap, 64, sizeof(*v->lines));
	l = &v->lines[v->nlines++];
	l->text = xmalloc(len + 1);
	memcpy(l->text, s, len);
	l->text[len] = '\0';
	l->len = len;
	l->tone = tone;
	l->evpid = evpid;
}

static void
screen_session_facts(struct screen_session *v)
{
	const struct query_sess	*s = &v->info;
	char			 line[TUI_TEXT * 2], when[32], d[32];

	snprintf(line, sizeof(line), "%s session %016llx: %d transaction%s",
	    s->dir ? "smtp-out" : "smtp-in", (unsigned long long)s->sid,
	    s->ntx, s->ntx == 1 ? "" : "s");
	screen_session_add(v, line, strlen(line), TONE_BOLD, 0);
	snprintf(line, sizeof(line), "%s %s -> %s (rdns %s, fcrdns %s)",
	    s->dir ? "from" : "client", s->src ? s->src : "?",
	    s->dest ? s->dest : "?", s->rdns ? s->rdns : "-",
	    s->fcrdns ? s->fcrdns : "-");
	screen_session_add(v, line, strlen(line), TONE_PLAIN, 0);
	snprintf(line, sizeof(line), "helo %s, %s%s, %s%s",
	    s->helo ? s->helo : "-", s->tls ? "TLS " : "no TLS",
	    s->tls ? s->tls : "", s->auth_user ? "AUTH " : "no AUTH",
	    s->auth_user ? s->auth_user : "");
	screen_session_add(v, line, strlen(line), TONE_PLAIN, 0);
	time_to_text(s->t_start, TO_DATETIME, when, sizeof(when));
	duration_to_text((s->t_end ? s->t_end : v->t->meters.ref) -
	    s->t_start, d, sizeof(d));
	if (s->t_end != 0)
		snprintf(line, sizeof(line), "started %s UTC, ended after %s "
		    "(%s)", when, d, s->end_reason ? s->end_reason : "?");
	else
		snprintf(line, sizeof(line), "started %s UTC, open for %s",
		    when, d);
	screen_session_add(v, line, strlen(line),
	    s->t_end ? TONE_PLAIN : TONE_INFO, 0);
	/* What it came to, as the writer keeps it; the reason escaped. */
	if (s->outcome != NULL) {
		snprintf(line, sizeof(line), "outcome %s%s%s", s->outcome,
		    s->reason ? ": " : "", s->reason ? s->reason : "");
		screen_session_add(v, line, strlen(line),
		    format_outcome_tone(s->outcome), 0);
	}
	screen_session_add(v, "", 0, TONE_PLAIN, 0);
}

/* Every line again: the facts, then one per event. */
static void
screen_session_lines(struct screen_session *v)
{
	struct buf		 b = { NULL, 0, 0 };
	enum format_tone	 tone;
	uint64_t		 evpid;
	size_t			 i;
	int			 w;

	for (i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	v->nlines = 0;
	screen_session_facts(v);
	v->nhead = v->nlines;
	for (i = 0; i < v->nev; i++) {
		tone = format_row_event(&v->ev[i], v->info.t_start, &b);
		if (v->ev[i].event != EVT_TX_ENVELOPE || v->ev[i].len != 16 ||
		    text_to_id(v->ev[i].text, 16, &evpid) == -1)
			evpid = 0;
		screen_session_add(v, b.p, b.len, tone, (int64_t)evpid);
	}
	buf_free(&b);
	/* The facts are not scrolled: the widest of the others. */
	v->s->wide = 0;
	for (i = v->nhead; i < v->nlines; i++)
		if ((w = format_width(v->lines[i].text, v->lines[i].len,
		    v->t->flags)) > v->s->wide)
			v->s->wide = w;
}

/* The session's facts, and its events after the last read. */
static int
screen_session_read(struct screen_session *v)
{
	struct query_sess	 info;
	int64_t			 after;
	int			 rc;

	if (query_session_one(v->t->q, v->id, &info) != 1)
		return -1;
	query_session_free(&v->info);
	v->info = info;
	do {
		after = v->nev ? v->ev[v->nev - 1].id : 0;
		rc = query_session_events(v->t->q, v->id, after, &v->ev,
		    &v->nev, &v->cap);
	} while (rc == 1 && v->nev < SCREEN_SESSION_EVENTS_MAX);
	if (rc == -1)
		return -1;
	screen_session_lines(v);
	return 0;
}

static int
screen_session_init(struct screen *s, struct tui *t, const void *arg)
{
	struct screen_session	*v;

	v = xcalloc(1, sizeof(*v));
	v->t = t;
	v->s = s;
	v->id = *(const int64_t *)arg;
	s->data = v;
	list_init(&s->list, screen_session_row_draw, screen_session_match, v,
	    1);
	s->list.follow = 0;
	if (screen_session_read(v) == -1) {
		tui_message(t, "no such session");
		screen_session_free(s);
		return -1;
	}
	list_set_count(&s->list, v->nlines);
	return 0;
}

static void
screen_session_free(struct screen *s)
{
	struct screen_session	*v = s->data;
	size_t		 i;

	for (i = 0; i < v->nlines; i++)
		free(v->lines[i].text);
	free(v->lines);
	query_session_events_free(v->ev, v->nev);
	query_session_free(&v->info);
	free(v);
}

static void
screen_session_update(struct screen *s, struct tui *t,
    const struct query_delta *d)
{
	struct screen_session	*v = s->data;

	(void)t;
	if (!d->reload && !query_feed_has_session(d, v->id))
		return;
	if (screen_session_read(v) == 0)
		list_set_count(&s->list, v->nlines);
}

static void
screen_session_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct screen_session		*v = arg;
	const struct screen_session_line	*l = &v->lines[i];

	tui_put(v->t, y, 0, w, l->text, l->len, i < v->nhead ? 0 : v->s->hscroll,
	    l->tone);
	if (sel)
		mvchgat(y, 0, w, A_REVERSE | A_BOLD, 0, NULL);
}

static int
screen_session_match(void *arg, size_t i, const char *needle)
{
	struct screen_session	*v = arg;

	return list_icontains(v->lines[i].text, v->lines[i].len, needle);
}

static void
screen_session_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	struct screen_session	*v = s->data;
	char		 title[128];

	snprintf(title, sizeof(title), "session %016llx: its whole dialogue%s",
	    (unsigned long long)v->info.sid, v->info.t_end ? "" :
	    " (open: updating live)");
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	mvaddnstr(y, 0, title, w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	snprintf(s->note, sizeof(s->note), "line %zu/%zu%s",
	    v->nlines ? s->list.cur + 1 : 0, v->nlines, s->hscroll ?
	    "  (scrolled right: left scrolls back)" : "");
	(void)t;
}

static enum screen_ret
screen_session_key(struct screen *s, struct tui *t, int key)
{
	struct screen_session		*v = s->data;
	struct tui_target	 target;

	if (key != '\r' && key != '\n' && key != KEY_ENTER)
		return SCREEN_UNUSED;
	if (s->list.cur >= v->nlines || v->lines[s->list.cur].evpid == 0) {
		tui_message(t, "Enter on an \"= tx-envelope\" line opens "
		    "that envelope");
		return SCREEN_DONE;
	}
	target.kind = QUERY_ENVELOPE;
	target.key = v->lines[s->list.cur].evpid;
	target.session = 0;	/* not this screen again */
	tui_open(t, &target);
	return SCREEN_DONE;
}
