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
 * screen_help.c: every key (?), from one table: what each does and
 * where; and what the marks of the envelope list mean.
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

struct screen_help_line {
	const char	*keys;		/* NULL: a section title */
	const char	*what;
	const char	*ascii;		/* keys without UTF-8, or NULL */
};

static const struct screen_help_line screen_help_lines[] = {
	{ NULL, "Anywhere", NULL },
	{ "Up Down j k", "move", NULL },
	{ "PgUp PgDn ^B ^F Space", "a page up or down", NULL },
	{ "g Home / G End", "top / bottom (G follows new rows again)", NULL },
	{ "/ text", "search as you type; Enter keeps it, Esc goes back",
	    NULL },
	{ "n N", "next, previous match", NULL },
	{ "Left Right h l", "scroll long lines sideways (a life, a session)",
	    NULL },
	{ "?", "this help", NULL },
	{ "q Esc", "back; q on a list quits (so does ^C)", NULL },
	{ "^L", "draw the screen again", NULL },
	{ "mouse", "wheel moves, click selects, a second click opens", NULL },
	{ NULL, "", NULL },
	{ NULL, "The envelope and session lists", NULL },
	{ "Enter", "open: an envelope's life, a session's dialogue", NULL },
	{ "F", "follow new rows like tail -f, or stay put", NULL },
	{ "f", "filter, as trace's QUERY: from:a@b to:@dom ip:1.2.3.4 "
	    "helo:x status:deferred since:1h until:... or an id", NULL },
	{ "", "and outcome:auth-failed (a session's outcome), refused, "
	    "open", NULL },
	{ "Esc", "clear the filter", NULL },
	{ "Tab", "envelopes / sessions / destinations (Shift-Tab back)",
	    NULL },
	{ NULL, "", NULL },
	{ NULL, "The destinations", NULL },
	{ "Enter", "the envelopes of this destination (q back)", NULL },
	{ "d", "by recipient domain / by next hop", NULL },
	{ "w", "the window: last hour, 24 hours, 7 days, everything",
	    NULL },
	{ NULL, "", NULL },
	{ NULL, "An envelope's life", NULL },
	{ "Enter", "fold or unfold the dialogue of a step", NULL },
	{ "d", "fold or unfold all the dialogue", NULL },
	{ "s", "the whole session of this step", NULL },
	{ NULL, "", NULL },
	{ NULL, "A session", NULL },
	{ "Enter", "on an \"= tx-envelope\" line: that envelope", NULL },
	{ NULL, "", NULL },
	{ NULL, "Marks in the envelope list", NULL },
	{ "< >", "the peer shown: the client that sent it, the relay it "
	    "went to", NULL },
	{ "\xe2\x9c\x93 \xe2\x86\xbb \xe2\x9c\x97 \xe2\x8a\x98",
	    "delivered, deferred, failed, rejected at RCPT", "+ ~ x !" },
	{ "\xc2\xb7 - \xe2\xa7\x96 \xe2\x8c\xab",
	    "queued, aborted, expired, removed from the queue", ". - % /" },
	{ "\xe2\x88\x85", "no mail (a session only)", "0" },
	{ "DELAY", "how long it took, or how long it has waited", NULL },
	{ NULL, "", NULL },
	{ NULL, "Columns of the session list", NULL },
	{ "OUTCOME", "what it came to: mail, refused-rcpt, auth-failed, "
	    "tls-failed, timeout, aborted, no-mail, ... (open: nothing yet)",
	    NULL },
	{ "REASON", "the line that decided it (120 columns or more)", NULL },
	{ NULL, "", NULL },
	{ NULL, "Columns of the destinations, most troubled first", NULL },
	{ "DELIV", "envelopes received in the window and delivered", NULL },
	{ "DEFER FAIL", "tries deferred, failed (the share of tries that "
	    "failed is the order)", NULL },
	{ "1ST%", "envelopes delivered at the first attempt", NULL },
	{ "P50 P95", "acceptance to delivery", NULL },
	{ "TOP CLASS", "the class of most deferrals and failures; the "
	    "status line: of all", NULL },
	{ "LAST REPLY", "the latest deferral's or failure's (120 columns "
	    "or more)", NULL },
};

#define SCREEN_HELP_NLINES \
	(sizeof(screen_help_lines) / sizeof(screen_help_lines[0]))

static int	screen_help_init(struct screen *, struct tui *, const void *);
static void	screen_help_draw(struct screen *, struct tui *, int, int, int);
static enum screen_ret screen_help_key(struct screen *, struct tui *, int);
static void	screen_help_update(struct screen *, struct tui *,
		    const struct query_delta *);
static void	screen_help_free(struct screen *);
static void	screen_help_row_draw(void *, size_t, int, int, int);
static int	screen_help_match(void *, size_t, const char *);

const struct screen_ops screen_help_ops = {
	.name = "help",
	.init = screen_help_init,
	.draw = screen_help_draw,
	.key = screen_help_key,
	.update = screen_help_update,
	.free = screen_help_free,
	.hint = "q back ",
};

static int
screen_help_init(struct screen *s, struct tui *t, const void *arg)
{
	(void)arg;
	s->data = t;
	list_init(&s->list, screen_help_row_draw, screen_help_match, t, 0);
	list_set_count(&s->list, SCREEN_HELP_NLINES);
	return 0;
}

static void
screen_help_free(struct screen *s)
{
	(void)s;
}

static void
screen_help_update(struct screen *s, struct tui *t, const struct query_delta *d)
{
	(void)s;
	(void)t;
	(void)d;
}

static void
screen_help_row_draw(void *arg, size_t i, int y, int w, int sel)
{
	struct tui		*t = arg;
	const struct screen_help_line	*h = &screen_help_lines[i];
	const char		*keys = h->keys;

	if (keys == NULL)
		tui_put(t, y, 1, w - 1, h->what, strlen(h->what), 0, TONE_BOLD);
	else {
		if (!(t->flags & FORMAT_UTF8) && h->ascii != NULL)
			keys = h->ascii;
		tui_put(t, y, 3, 24, keys, strlen(keys), 0, TONE_INFO);
		tui_put(t, y, 28, w - 28, h->what, strlen(h->what), 0,
		    TONE_PLAIN);
	}
	if (sel)
		mvchgat(y, 0, w, A_REVERSE, 0, NULL);
}

static int
screen_help_match(void *arg, size_t i, const char *needle)
{
	const struct screen_help_line	*h = &screen_help_lines[i];

	(void)arg;
	return list_icontains(h->what, strlen(h->what), needle) ||
	    (h->keys != NULL && list_icontains(h->keys, strlen(h->keys),
	    needle));
}

static void
screen_help_draw(struct screen *s, struct tui *t, int y, int h, int w)
{
	attrset(A_BOLD | A_UNDERLINE);
	mvhline(y, 0, ' ', w);
	mvaddnstr(y, 0, "Keys of mailtrail tui", w);
	attrset(A_NORMAL);
	list_draw(&s->list, y + 1, h - 1, w);
	snprintf(s->note, sizeof(s->note), "help");
	(void)t;
}

static enum screen_ret
screen_help_key(struct screen *s, struct tui *t, int key)
{
	(void)s;
	(void)t;
	return key == 'q' || key == '?' ? SCREEN_BACK : SCREEN_UNUSED;
}
