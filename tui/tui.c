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
 * tui.c: what the screens and the bars share: how a tone looks, network
 * text put on the screen, the status line's message, and the screen
 * stack: a screen opened on top, and what Enter on a row opens.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

/* How tone looks: a colour, or with NO_COLOR an attribute at most. */
int
tui_attr(const struct tui *t, enum format_tone tone)
{
	switch (tone) {
	case TONE_PLAIN:
		return A_NORMAL;
	case TONE_DIM:
		return A_DIM;
	case TONE_BOLD:
		return A_BOLD;
	default:
		if (t->color)
			return COLOR_PAIR(tone);
		return tone == TONE_BAD ? A_BOLD : A_NORMAL;
	}
}

/* Network text at (y, x), escaped, fitted to w columns, skip scrolled. */
void
tui_put(const struct tui *t, int y, int x, int w, const char *s, size_t len,
    int skip, enum format_tone tone)
{
	char	cell[FORMAT_CELL * 16];	/* an SMTP line, every byte escaped */
	int	old;			/* a bar's reverse video stays */

	if (w <= 0)
		return;
	old = getattrs(stdscr);
	format_field(cell, sizeof(cell), s, len, skip, w, t->flags);
	attrset(tui_attr(t, tone) | (old & A_REVERSE));
	mvaddstr(y, x, cell);
	attrset(old);
}

void
tui_message(struct tui *t, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->dirty = 1;
}

/*
 * The note of a list an index filled with n rows: all the matches, or,
 * at TUI_WINDOW, the newest (older ones are left out).
 */
const char *
tui_matches(size_t n)
{
	static char	note[64];

	if (n < TUI_WINDOW)
		return " (all matches)";
	snprintf(note, sizeof(note), " (the newest %d matches)", TUI_WINDOW);
	return note;
}

/* The stack of screens is full: 1, and the status line says so. */
int
tui_full(struct tui *t)
{
	if (t->depth < TUI_STACK)
		return 0;
	tui_message(t, "%d screens open: q closes one", TUI_STACK);
	return 1;
}

/* s is one of the lists, which live as long as the TUI. */
int
tui_list(const struct tui *t, const struct screen *s)
{
	return s == t->lives || s == t->sessions || s == t->dests;
}

/* Open a screen on top; nothing if its init fails. */
void
tui_push(struct tui *t, const struct screen_ops *ops, const void *arg)
{
	struct screen	*s;

	if (tui_full(t))
		return;
	s = xcalloc(1, sizeof(*s));
	s->ops = ops;
	if (ops->init(s, t, arg) == -1) {
		free(s);
		return;
	}
	t->stack[t->depth++] = s;
	t->dirty = 1;
}

/* Enter on a row: an envelope's life, a refused recipient, a session. */
void
tui_open(struct tui *t, const struct tui_target *target)
{
	int	depth = t->depth;

	if (target->kind != QUERY_SESSION)
		tui_push(t, t->life_ops, target);
	if (t->depth == depth && target->session != 0)
		tui_push(t, t->session_ops, &target->session);
}
