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
 * list.c: the scrolling list widget shared by every screen (tmux's
 * mode-tree idea): cursor and paging keys, following the last row like
 * tail -f until the cursor moves away, search and the mouse wheel.
 */
#include <ctype.h>
#include <curses.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define LIST_CTRL(c)	((c) & 0x1f)

static void	list_fit(struct list *);
static int	list_icontains_raw(const char *, size_t, const char *);

void
list_init(struct list *l, void (*draw)(void *, size_t, int, int, int),
    int (*match)(void *, size_t, const char *), void *arg, int live)
{
	memset(l, 0, sizeof(*l));
	l->draw = draw;
	l->match = match;
	l->arg = arg;
	l->live = live;
	l->follow = live;
	l->height = 1;
}

/* Keep the cursor on the screen, and the screen full when it can be. */
static void
list_fit(struct list *l)
{
	size_t	h = l->height > 0 ? (size_t)l->height : 1;

	if (l->n == 0) {
		l->cur = l->top = 0;
		return;
	}
	if (l->follow || l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + h)
		l->top = l->cur - h + 1;
	if (l->top + h > l->n)
		l->top = l->n > h ? l->n - h : 0;
}

/* The rows changed: n of them now. */
void
list_set_count(struct list *l, size_t n)
{
	l->n = n;
	list_fit(l);
}

void
list_goto(struct list *l, size_t i)
{
	l->cur = i;
	if (l->follow && i + 1 < l->n)
		l->follow = 0;
	list_fit(l);
}

/* Moving and paging keys: 1 if the key was one. */
int
list_key(struct list *l, int key)
{
	size_t	page = l->height > 1 ? (size_t)l->height - 1 : 1;

	switch (key) {
	case KEY_UP:
	case 'k':
		list_goto(l, l->cur > 0 ? l->cur - 1 : 0);
		break;
	case KEY_DOWN:
	case 'j':
		list_goto(l, l->cur + 1 < l->n ? l->cur + 1 : l->cur);
		break;
	case KEY_PPAGE:
	case LIST_CTRL('b'):
		list_goto(l, l->cur > page ? l->cur - page : 0);
		break;
	case KEY_NPAGE:
	case LIST_CTRL('f'):
	case ' ':
		list_goto(l, l->cur + page < l->n ? l->cur + page :
		    (l->n ? l->n - 1 : 0));
		break;
	case KEY_HOME:
	case 'g':
		list_goto(l, 0);
		break;
	case KEY_END:
	case 'G':
		l->follow = l->live;
		list_goto(l, l->n ? l->n - 1 : 0);
		break;
	case 'F':
		if (!l->live)
			return 0;
		l->follow = !l->follow;
		list_fit(l);
		break;
	default:
		return 0;
	}
	return 1;
}

/*
 * Move the cursor to the first row containing needle, from row start
 * on forwards (dir > 0) or backwards, round the end.  0 if none.
 */
int
list_search(struct list *l, const char *needle, size_t start, int dir)
{
	size_t	i, k;

	if (l->n == 0 || *needle == '\0' || l->match == NULL)
		return 0;
	if (start >= l->n)
		start = dir > 0 ? 0 : l->n - 1;
	for (k = 0; k < l->n; k++) {
		if (dir > 0)
			i = (start + k) % l->n;
		else
			i = (start + l->n - k) % l->n;
		if (l->match(l->arg, i, needle)) {
			l->follow = 0;
			list_goto(l, i);
			return 1;
		}
	}
	return 0;
}

/* Draw the rows shown in lines y to y + h - 1, w columns wide. */
void
list_draw(struct list *l, int y, int h, int w)
{
	size_t	i;
	int	row;

	l->height = h > 0 ? h : 1;
	list_fit(l);
	for (row = 0; row < h; row++) {
		i = l->top + (size_t)row;
		move(y + row, 0);
		clrtoeol();
		if (i < l->n)
			l->draw(l->arg, i, y + row, w, i == l->cur);
	}
}

/* A click on shown row r: 1 if the cursor was there already. */
int
list_click(struct list *l, int r)
{
	size_t	i;

	if (r < 0 || r >= l->height || (i = l->top + (size_t)r) >= l->n)
		return 0;		/* not a row shown: a bar, a heading */
	if (i == l->cur)
		return 1;
	l->follow = 0;
	list_goto(l, i);
	return 0;
}

void
list_wheel(struct list *l, int dir)
{
	size_t	i = l->cur;

	if (dir < 0)
		i = i > LIST_WHEEL ? i - LIST_WHEEL : 0;
	else if (l->n > 0)
		i = i + LIST_WHEEL < l->n ? i + LIST_WHEEL : l->n - 1;
	list_goto(l, i);
}

/*
 * hay (len bytes) contains needle, ignoring ASCII case: its bytes, or
 * the text the screen shows of them.
 */
int
list_icontains(const char *hay, size_t len, const char *needle)
{
	char	shown[FORMAT_CELL * 16];	/* as tui_put() shows it */

	if (list_icontains_raw(hay, len, needle))
		return 1;
	/* A backslash: maybe an escape as shown (\x1b), so search that. */
	if (strchr(needle, '\\') == NULL)
		return 0;
	format_field(shown, sizeof(shown), hay, len, 0, -1, FORMAT_UTF8);
	return list_icontains_raw(shown, strlen(shown), needle);
}

/* hay (len bytes) contains needle, ignoring ASCII case, byte for byte. */
static int
list_icontains_raw(const char *hay, size_t len, const char *needle)
{
	size_t	i, j, n = strlen(needle);

	if (n == 0)
		return 1;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++)
			if (tolower((unsigned char)hay[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}
