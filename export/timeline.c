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
 * timeline.c: a life as trace's text for people: the steps of the read
 * model (schema/model_step*.c) laid out in columns, network bytes
 * escaped, colour only when asked for.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define TIMELINE_RESET		"\033[0m"
#define TIMELINE_BOLD		"\033[1m"
#define TIMELINE_DIM		"\033[2m"

/* What one printing reuses. */
struct timeline {
	FILE			*fp;
	int			 color;
	struct buf		 esc;
	struct model_steps	 steps;
};

/* The colour of a tone; dim and bold are never a line's colour. */
static const char *const timeline_colors[MODEL_TONE_MAX] = {
	[MODEL_TONE_GOOD] = "\033[32m",
	[MODEL_TONE_WARN] = "\033[33m",
	[MODEL_TONE_BAD] = "\033[31m",
	[MODEL_TONE_INFO] = "\033[36m",
	[MODEL_TONE_ODD] = "\033[35m",
};

static const char *timeline_esc(struct timeline *, const char *, size_t);
static const char *timeline_c(const struct timeline *, const char *);
static const char *timeline_tone(const struct timeline *, enum model_tone);
static void	timeline_line(struct timeline *, const struct model_step *);
static void	timeline_steps(void (*)(struct model_steps *, const void *),
		    const void *, FILE *, int);
static void	timeline_life_steps(struct model_steps *, const void *);
static void	timeline_session_steps(struct model_steps *, const void *);

static const char *
timeline_esc(struct timeline *tl, const char *s, size_t len)
{
	return buf_escape(&tl->esc, s, len);
}

static const char *
timeline_c(const struct timeline *tl, const char *code)
{
	return tl->color ? code : "";
}

static const char *
timeline_tone(const struct timeline *tl, enum model_tone tone)
{
	const char	*c = NULL;

	if (tone < MODEL_TONE_MAX)
		c = timeline_colors[tone];
	return tl->color && c != NULL ? c : "";
}

/* One line: the head, a step (time, name, what) or its dialogue. */
static void
timeline_line(struct timeline *tl, const struct model_step *s)
{
	const char	*x = timeline_esc(tl, s->text, s->len);

	switch (s->kind) {
	case MODEL_STEP_TITLE:
		fprintf(tl->fp, "%s%s%s%s  %s\n", timeline_c(tl, TIMELINE_BOLD),
		    timeline_tone(tl, s->tone), s->name,
		    timeline_c(tl, TIMELINE_RESET), x);
		break;
	case MODEL_STEP_REPLY:
		fprintf(tl->fp, "  %s%s%s\n", timeline_tone(tl, s->tone), x,
		    timeline_c(tl, TIMELINE_RESET));
		break;
	case MODEL_STEP_FACTS:
		fprintf(tl->fp, "  %s\n", x);
		break;
	case MODEL_STEP_STEP:
	case MODEL_STEP_FATE:
		/* Only where it stands has its colour. */
		fprintf(tl->fp, "  %-10s %s%s%-9s%s %s\n", s->when,
		    timeline_c(tl, TIMELINE_BOLD), s->kind == MODEL_STEP_FATE ?
		    timeline_tone(tl, s->tone) : "", s->name,
		    timeline_c(tl, TIMELINE_RESET), x);
		break;
	case MODEL_STEP_LINE:
		fprintf(tl->fp, "      %s%-10s%s %s%s%s",
		    timeline_c(tl, TIMELINE_DIM), s->when,
		    timeline_c(tl, TIMELINE_RESET), timeline_tone(tl, s->tone),
		    x, timeline_c(tl, TIMELINE_RESET));
		if (s->more > 0)
			fprintf(tl->fp, " %s(+%zu lines)%s",
			    timeline_c(tl, TIMELINE_DIM), s->more,
			    timeline_c(tl, TIMELINE_RESET));
		fputc('\n', tl->fp);
		break;
	default:
		fputc('\n', tl->fp);
		break;
	}
}

/* Steps built by build from x, printed, then freed. */
static void
timeline_steps(void (*build)(struct model_steps *, const void *),
    const void *x, FILE *fp, int color)
{
	struct timeline	 tl;
	size_t		 i;

	memset(&tl, 0, sizeof(tl));
	tl.fp = fp;
	tl.color = color;
	build(&tl.steps, x);
	for (i = 0; i < tl.steps.n; i++)
		timeline_line(&tl, &tl.steps.v[i]);
	model_step_free(&tl.steps);
	buf_free(&tl.esc);
}

static void
timeline_life_steps(struct model_steps *st, const void *l)
{
	model_step_build(st, l);
}

static void
timeline_session_steps(struct model_steps *st, const void *a)
{
	model_session_step_build(st, a);
}

/* The whole timeline of one life. */
void
timeline_print(const struct model_life *l, FILE *fp, int color)
{
	timeline_steps(timeline_life_steps, l, fp, color);
}

/* The whole timeline of a session with no life of its own. */
void
timeline_session_print(const struct model_alone *a, FILE *fp, int color)
{
	timeline_steps(timeline_session_steps, a, fp, color);
}
