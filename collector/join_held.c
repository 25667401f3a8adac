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
 * join_held.c: the columns an open session holds back for its rows'
 * next write (struct sess_held: its greeting, its tx's DATA result),
 * read by the statement that writes them, and the rows of its smtp-in
 * envelopes, inserted with their recipient at the tx-rcpt that follows
 * each (sess.envt); all written before each commit for the sessions
 * still open.  The envelopes wait only for the reply and the tx-rcpt:
 * any other line, of their session or another, inserts them first, so
 * one session at most holds them (sess_set.holding), and no other
 * line finds their rows missing.
 */
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

/* The greeting s holds into *g: 1, or 0 (*g without text). */
int
join_held_greeting(const struct sess *s, struct proto_str *g)
{
	memset(g, 0, sizeof(*g));
	if (s->held == NULL || !(s->held->what & SESS_HELD_GREETING))
		return 0;
	g->p = s->held->greeting.p;
	g->len = s->held->greeting.len;
	return 1;
}

/* Whether s holds its tx's DATA result (into *v), now let go of. */
int
join_held_data(struct sess *s, int64_t *v)
{
	*v = 0;
	if (s->held == NULL || !(s->held->what & SESS_HELD_DATA))
		return 0;
	*v = s->held->data_result;
	join_held_drop(s, SESS_HELD_DATA);
	return 1;
}

/* Those of what (SESS_HELD_*) are written: s holds them no more. */
void
join_held_drop(struct sess *s, int what)
{
	if (s->held == NULL)
		return;
	s->held->what &= ~what;
	if (s->held->what == 0)
		sess_held_free(s);
}

/*
 * The row of envelope s->ids[i], if its session holds it back:
 * inserted with recipient rcpt (0: none), and counted with its tx.
 * Whether it was inserted (not there before).
 */
int
join_held_envelope(struct ingest *ing, struct sess *s, size_t i,
    int64_t rcpt)
{
	size_t	first = s->nids - s->nenv;
	int64_t	evpid = s->ids[i];

	if (i < first)
		return 0;
	store_run(ing->st, STMT_ENVELOPE_NEW, "iiziz", evpid,
	    (int64_t)(int32_t)s->msgid, s->tx, s->envt[i - first], rcpt);
	if (store_changes(ing->st) == 0)
		return 0;
	store_mark(ing->st, LIFE_MARK_ENVELOPE, evpid);
	sess_life(s, LIFE_MARK_ENVELOPE, evpid);
	/* A tx counts from its commit: before, its envelopes with it. */
	if (s->tx != 0 && s->committed)
		store_hour(ing->st, HOUR_ENVELOPE, s->tx, (int32_t)s->msgid);
	return 1;
}

/* The envelopes s holds back, inserted without their recipient. */
void
join_held_envelopes(struct ingest *ing, struct sess *s)
{
	size_t	i;

	for (i = s->nids - s->nenv; i < s->nids; i++)
		join_held_envelope(ing, s, i, 0);
	s->nenv = 0;
	if (ing->sessions.holding == s)
		ing->sessions.holding = NULL;
}

/* Before a commit: what the open sessions hold, written. */
void
join_held_flush(struct ingest *ing)
{
	struct proto_str g, none = { NULL, 0 };
	struct sess	*s;
	int64_t		 v;

	if (ing->sessions.holding != NULL)
		join_held_envelopes(ing, ing->sessions.holding);
	RB_FOREACH(s, sess_tree, &ing->sessions.byid) {
		if (s->held == NULL)
			continue;
		if (join_held_greeting(s, &g))
			store_run(ing->st, STMT_SESSION_HELD, "ititti",
			    (int64_t)1, &g, (int64_t)0, &none, &none, s->id);
		if (join_held_data(s, &v) && s->tx != 0)
			store_run(ing->st, STMT_TX_DATA, "ii", v, s->tx);
		sess_held_free(s);
	}
}
