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
 * model_step.c: the lines a reader shows of a life (trace's text, the
 * TUI; model_step_build.c makes them): the list itself, the tones, and
 * a session's events as dialogue lines under their step.  Text is the
 * bytes as they came: the printers escape them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/* A dialogue line that is not the life's own. */
#define MODEL_STEP_OTHERS	"(other recipients) "

static const enum model_tone model_step_tones[LIFE_NSTATUS] = {
	[LIFE_QUEUED] = MODEL_TONE_INFO,
	[LIFE_DELIVERED] = MODEL_TONE_GOOD,
	[LIFE_DEFERRED] = MODEL_TONE_WARN,
	[LIFE_FAILED] = MODEL_TONE_BAD,
	[LIFE_REJECTED] = MODEL_TONE_BAD,
	[LIFE_ABORTED] = MODEL_TONE_ODD,
	[LIFE_EXPIRED] = MODEL_TONE_BAD,
	[LIFE_REMOVED] = MODEL_TONE_ODD,
};

static void	model_step_put(struct model_steps *, const char *, size_t);
static void	model_step_fields(struct model_steps *, const char *,
		    const char *, size_t, const char *);
static void	model_step_connect(struct model_steps *, const char *, size_t);
static int	model_step_auth(struct model_steps *,
		    const struct model_event *);
static int	model_step_shown(const struct model_event *);
static void	model_step_event(struct model_steps *,
		    const struct model_event *);
static size_t	model_step_line(struct model_steps *,
		    const struct model_life *, size_t);

/*
 * A new line; its text follows (model_step_str, model_step_printf).
 * t: when; for a step also MODEL_STEP_NOTIME (no time) or 0 (now).
 */
void
model_step_add(struct model_steps *st, enum model_step_kind kind,
    enum model_tone tone, int64_t t, const char *name)
{
	struct model_step	*s;

	if (st->n > 0)
		model_step_put(st, "", 1);	/* the last one's NUL */
	st->v = xgrow(st->v, st->n, &st->cap, 64, sizeof(*st->v));
	s = &st->v[st->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->tone = tone;
	s->name = name;
	s->t = t == MODEL_STEP_NOTIME ? 0 : t;
	if (kind != MODEL_STEP_STEP && kind != MODEL_STEP_FATE &&
	    kind != MODEL_STEP_LINE)
		return;
	if (t == 0)
		strlcpy(s->when, "now", sizeof(s->when));
	else if (t != MODEL_STEP_NOTIME)
		offset_to_text(t - st->t0, s->when, sizeof(s->when));
}

/* The last step's time is an estimate: "~+17s", to the second. */
void
model_step_estimated(struct model_steps *st)
{
	struct model_step	*s = &st->v[st->n - 1];

	if (s->t == 0)
		return;
	s->estimated = 1;
	estimate_to_text(s->t - st->t0, 1, s->when, sizeof(s->when));
}

/* len bytes into the text buffer. */
static void
model_step_put(struct model_steps *st, const char *p, size_t len)
{
	while (st->buflen + len > st->bufsize)
		st->buf = xgrow(st->buf, st->bufsize, &st->bufsize, 1024, 1);
	memcpy(st->buf + st->buflen, p, len);
	st->buflen += len;
}

/* len bytes more of the last line's text. */
static void
model_step_cat(struct model_steps *st, const char *p, size_t len)
{
	model_step_put(st, p, len);
	st->v[st->n - 1].len += len;
}

void
model_step_str(struct model_steps *st, const char *s)
{
	model_step_cat(st, s, strlen(s));
}

/* Formatted text, cut to sz - 1 bytes. */
void
model_step_printf(struct model_steps *st, size_t sz, const char *fmt, ...)
{
	char	s[2048];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(s, sz < sizeof(s) ? sz : sizeof(s), fmt, ap);
	va_end(ap);
	model_step_str(st, s);
}

/* Index the line after the last one (st->n): every text in place. */
void
model_step_end(struct model_steps *st)
{
	char	*p;
	size_t	 i;

	model_step_put(st, "", 1);
	for (i = 0, p = st->buf; i < st->n; i++) {
		st->v[i].text = p;
		p += st->v[i].len + 1;
	}
}

void
model_step_free(struct model_steps *st)
{
	free(st->v);
	free(st->buf);
	memset(st, 0, sizeof(*st));
}

enum model_tone
model_step_status_tone(enum life_status status)
{
	return status < LIFE_NSTATUS ? model_step_tones[status] :
	    MODEL_TONE_PLAIN;
}

enum model_tone
model_step_reply_tone(const char *reply)
{
	if (reply == NULL)
		return MODEL_TONE_WARN;
	switch (reply[0]) {
	case '2':
		return MODEL_TONE_GOOD;
	case '4':
		return MODEL_TONE_WARN;
	case '5':
		return MODEL_TONE_BAD;
	default:
		return MODEL_TONE_PLAIN;
	}
}

/*
 * prefix, then the '|'-separated fields of x as words: the first
 * followed by sep, the others by a space; the last keeps its '|'.
 */
static void
model_step_fields(struct model_steps *st, const char *prefix, const char *x,
    size_t len, const char *sep)
{
	const char	*end = x + len, *bar, *rest = NULL;

	model_step_str(st, prefix);
	if ((bar = memchr(x, '|', len)) == NULL) {
		model_step_cat(st, x, len);
		return;
	}
	rest = memchr(bar + 1, '|', end - bar - 1);
	model_step_cat(st, x, bar - x);
	model_step_str(st, sep);
	if (rest == NULL) {
		model_step_cat(st, bar + 1, end - bar - 1);
		return;
	}
	model_step_cat(st, bar + 1, rest - bar - 1);
	model_step_str(st, " ");
	model_step_cat(st, rest + 1, end - rest - 1);
}

/* link-connect's rdns|fcrdns|src|dest as words. */
static void
model_step_connect(struct model_steps *st, const char *x, size_t len)
{
	const char	*f[4], *end = x + len, *bar;
	size_t		 n[4];
	int		 i;

	for (i = 0; i < 4; i++) {
		f[i] = x;
		if ((bar = memchr(x, '|', end - x)) == NULL)
			bar = end;
		n[i] = bar - x;
		x = bar < end && i < 3 ? bar + 1 : bar;
	}
	model_step_str(st, "= connected ");
	model_step_cat(st, f[2], n[2]);
	model_step_str(st, " -> ");
	model_step_cat(st, f[3], n[3]);
	model_step_str(st, " (rdns ");
	model_step_cat(st, f[0], n[0]);
	model_step_str(st, ", fcrdns ");
	model_step_cat(st, f[1], n[1]);
	model_step_str(st, ")");
}

/*
 * link-auth's parameters as "auth user: result" into out, the fields
 * where the event's protocol version puts them (0.7 swapped them): 0,
 * or -1 if they do not parse.  The TUI's session dialogue says it so
 * too.
 */
int
model_step_auth_text(int minor, const char *text, size_t len,
    struct buf *out)
{
	struct report	r;

	if (proto_parse_params(&r, minor, EVT_LINK_AUTH, text, len) !=
	    PROTO_OK)
		return -1;
	buf_append(out, "auth ", 5);
	buf_append(out, r.f[F_TEXT].p, r.f[F_TEXT].len);
	buf_append(out, ": ", 2);
	buf_append(out, r.f[F_RESULT].p, r.f[F_RESULT].len);
	return 0;
}

/* link-auth as "= auth user: result": 0, or -1 if it does not parse. */
static int
model_step_auth(struct model_steps *st, const struct model_event *e)
{
	struct buf	b = { NULL, 0, 0 };
	int		rv;

	if ((rv = model_step_auth_text(e->minor, e->text, e->len, &b)) == 0) {
		model_step_str(st, "= ");
		model_step_cat(st, b.p, b.len);
	}
	buf_free(&b);
	return rv;
}

/*
 * The tone of a dialogue line of an event (enum proto_event) with text
 * (its params): client lines, the server's replies by their class,
 * filters, and what smtpd reported.
 */
enum model_tone
model_step_event_tone(int event, const char *text)
{
	switch (event) {
	case EVT_PROTOCOL_CLIENT:
		return MODEL_TONE_INFO;
	case EVT_PROTOCOL_SERVER:
		return model_step_reply_tone(text);
	case EVT_FILTER_RESPONSE:
	case EVT_FILTER_REPORT:
		return MODEL_TONE_ODD;
	default:
		return MODEL_TONE_DIM;
	}
}

/*
 * Whether a dialogue line shows event e: not the reporting mechanics
 * (greeting, identify, tx-begin, tx-mail, tx-rcpt, tx-data, tx-reset,
 * filter decisions that let it proceed).
 */
static int
model_step_shown(const struct model_event *e)
{
	const char	*bar;

	switch (e->event) {
	case EVT_FILTER_RESPONSE:	/* phase|response[|param] */
		return (bar = strchr(e->text, '|')) == NULL ||
		    strncmp(bar + 1, "proceed", 7) != 0;
	case EVT_TX_ENVELOPE:
		return e->dir != DIR_OUT;
	case EVT_PROTOCOL_CLIENT:
	case EVT_PROTOCOL_SERVER:
	case EVT_FILTER_REPORT:
	case EVT_TX_COMMIT:
	case EVT_LINK_CONNECT:
	case EVT_LINK_DISCONNECT:
	case EVT_TX_ROLLBACK:
	case EVT_LINK_TLS:
	case EVT_LINK_AUTH:
	case EVT_TIMEOUT:
	case EVT_NONE:
		return 1;
	default:
		return 0;
	}
}

/* What a dialogue line says: "> " client, "< " server, "! " filter. */
static void
model_step_event(struct model_steps *st, const struct model_event *e)
{
	switch (e->event) {
	case EVT_PROTOCOL_CLIENT:
	case EVT_PROTOCOL_SERVER:
		model_step_str(st, e->event == EVT_PROTOCOL_CLIENT ? "> " :
		    "< ");
		model_step_cat(st, e->text, e->len);
		break;
	case EVT_FILTER_RESPONSE:
		model_step_fields(st, "! filter ", e->text, e->len, ": ");
		break;
	case EVT_FILTER_REPORT:		/* kind|name|message */
		model_step_fields(st, "! filter report ", e->text, e->len,
		    " ");
		break;
	case EVT_TX_ENVELOPE:
		model_step_str(st, "= envelope ");
		model_step_cat(st, e->text, e->len);
		break;
	case EVT_TX_COMMIT:	/* on smtp-out its size counts per session */
		model_step_str(st, "= committed");
		if (e->dir == DIR_IN) {
			model_step_str(st, ", ");
			model_step_cat(st, e->text, e->len);
			model_step_str(st, " bytes");
		}
		break;
	case EVT_LINK_CONNECT:
		model_step_connect(st, e->text, e->len);
		break;
	case EVT_LINK_DISCONNECT:
		model_step_str(st, "= disconnected");
		break;
	case EVT_TX_ROLLBACK:
		model_step_str(st, "= transaction rolled back");
		break;
	case EVT_LINK_AUTH:
		if (model_step_auth(st, e) == 0)
			break;
		/* FALLTHROUGH */
	default:
		model_step_str(st, "= ");
		model_step_str(st, e->event == EVT_NONE ? "line" :
		    proto_event_name(e->event));
		model_step_str(st, e->len ? " " : "");
		model_step_cat(st, e->text, e->len);
		break;
	}
}

/* The line of event i; with a multi-line reply, how many follow. */
static size_t
model_step_line(struct model_steps *st, const struct model_life *l, size_t i)
{
	const struct model_event *e = &l->events[i], *f;
	size_t			 j, more = 0;

	if (!model_step_shown(e))
		return 0;
	if (e->event == EVT_PROTOCOL_SERVER && e->len > 3 && e->text[3] == '-')
		for (j = i + 1; j < l->nevents; j++) {
			f = &l->events[j];
			if (f->session != e->session ||
			    f->event != EVT_PROTOCOL_SERVER)
				continue;
			more++;
			if (f->len <= 3 || f->text[3] != '-')
				break;
		}
	model_step_add(st, MODEL_STEP_LINE, e->others ? MODEL_TONE_DIM :
	    model_step_event_tone(e->event, e->text), e->t, NULL);
	st->v[st->n - 1].more = more;
	st->v[st->n - 1].others = e->others;
	if (e->others)
		model_step_str(st, MODEL_STEP_OTHERS);
	model_step_event(st, e);
	return more;
}

/* The dialogue of one session (event ids in [lo, hi)). */
void
model_step_dialogue(struct model_steps *st, const struct model_life *l,
    uint64_t sid, int dir, int64_t lo, int64_t hi)
{
	const struct model_event *e;
	size_t			 i, n, skip = 0;

	for (i = 0; i < l->nevents; i++) {
		e = &l->events[i];
		if (e->session != sid || e->dir != dir || e->id < lo ||
		    e->id >= hi)
			continue;
		if (skip > 0 && e->event == EVT_PROTOCOL_SERVER) {
			skip--;
			continue;
		}
		if ((n = model_step_line(st, l, i)) > 0)
			skip = n;
	}
}
