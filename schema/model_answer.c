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
 * model_answer.c: the answers to a query in time order: its lives
 * (model.c) and the sessions with no life of their own
 * (model_session.c), the earlier first (a life by when it was first
 * seen, a session by its start; a life first at the same time).
 */
#include <stdlib.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

struct model_answers {
	struct model_iter	*it;
	struct model_sessions	*ss;
	const struct model_life	*l;		/* the next of each */
	const struct model_alone *a;
	int			 read_l, read_a;	/* it is used: read on */
};

/*
 * The answers to q: lives (flags as model_lives() takes them) and,
 * with sessions set, sessions alone.  NULL on an error.
 */
struct model_answers *
model_answer_open(struct model *m, const struct model_query *q, int flags,
    int sessions)
{
	struct model_answers	*an;

	an = xcalloc(1, sizeof(*an));
	an->read_l = an->read_a = 1;
	if ((an->it = model_lives(m, q, flags)) == NULL ||
	    (sessions && (an->ss = model_session_open(m, q)) == NULL)) {
		model_answer_close(an);
		return NULL;
	}
	return an;
}

/*
 * The next answer: a life into *l or a session into *a (the other
 * NULL), valid until the next call: 1, or 0 at the end (or on error).
 */
int
model_answer_next(struct model_answers *an, const struct model_life **l,
    const struct model_alone **a)
{
	if (an->read_l)
		an->l = model_next(an->it);
	if (an->read_a)
		an->a = an->ss != NULL ? model_session_next(an->ss) : NULL;
	an->read_l = an->read_a = 0;
	*l = NULL;
	*a = NULL;
	if (an->l != NULL && (an->a == NULL || an->l->t <= an->a->s.t_start)) {
		*l = an->l;
		an->read_l = 1;
	} else if (an->a != NULL) {
		*a = an->a;
		an->read_a = 1;
	} else
		return 0;
	return 1;
}

int
model_answer_failed(const struct model_answers *an)
{
	return an == NULL || model_iter_failed(an->it) ||
	    (an->ss != NULL && model_session_failed(an->ss));
}

void
model_answer_close(struct model_answers *an)
{
	if (an == NULL)
		return;
	model_iter_free(an->it);
	model_session_close(an->ss);
	free(an);
}
