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
 * sess.c: the collector's memory of open sessions, keyed by session id
 * and direction and ordered by the time of their last event (report
 * time), what an smtp-out command makes the next reply answer, and
 * what a refusal of smtp-in stores with it (the command it answered, a
 * filter's decision between).  An entry is made by the first event of
 * a session and freed at its link-disconnect, or when it is the longest
 * silent.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "collector.h"

int	sess_idle_cmp(struct sess *, struct sess *);
static void	sess_address(struct buf *, const struct proto_str *, size_t);
static int	sess_holds(const struct proto_str *, const char *);

RB_GENERATE(sess_tree, sess, entry, sess_cmp);
RB_PROTOTYPE(sess_idle, sess, idle, sess_idle_cmp);
RB_GENERATE(sess_idle, sess, idle, sess_idle_cmp);

int
sess_cmp(struct sess *a, struct sess *b)
{
	if (a->sid != b->sid)
		return a->sid < b->sid ? -1 : 1;
	return a->dir - b->dir;
}

/*
 * Oldest first, by the last event when placed; sid and dir make each
 * key unique.  A later event does not move a session at once
 * (sess_touch()): sess_oldest() places it again when it comes first.
 */
int
sess_idle_cmp(struct sess *a, struct sess *b)
{
	if (a->idle_at != b->idle_at)
		return a->idle_at < b->idle_at ? -1 : 1;
	return sess_cmp(a, b);
}

void
sess_init(struct sess_set *set)
{
	RB_INIT(&set->byid);
	RB_INIT(&set->idle);
	set->found = set->holding = NULL;
	set->n = 0;
}

struct sess *
sess_find(struct sess_set *set, uint64_t sid, int dir)
{
	struct sess	key;

	if (set->found != NULL && set->found->sid == sid &&
	    set->found->dir == dir)
		return set->found;
	key.sid = sid;
	key.dir = dir;
	return set->found = RB_FIND(sess_tree, &set->byid, &key);
}

/* A session whose last event, so far, is at t. */
struct sess *
sess_new(struct sess_set *set, uint64_t sid, int dir, int64_t t)
{
	struct sess	*s;

	s = xcalloc(1, sizeof(*s));
	s->sid = sid;
	s->dir = dir;
	s->last = s->idle_at = t;
	RB_INSERT(sess_tree, &set->byid, s);
	RB_INSERT(sess_idle, &set->idle, s);
	set->n++;
	return s;
}

/*
 * An event at t.  Later than where s stands in the order of silence,
 * it stays there until sess_oldest() finds it first; earlier (a clock
 * gone back), it moves now, so that no session stands later than its
 * last event.
 */
void
sess_touch(struct sess_set *set, struct sess *s, int64_t t)
{
	s->last = t;
	if (t >= s->idle_at)
		return;
	RB_REMOVE(sess_idle, &set->idle, s);
	s->idle_at = t;
	RB_INSERT(sess_idle, &set->idle, s);
}

/*
 * The session silent the longest, NULL if there is none.  The first in
 * the order whose place is its last event is: every other stands no
 * later than its own last event.
 */
struct sess *
sess_oldest(struct sess_set *set)
{
	struct sess	*s;

	while ((s = RB_MIN(sess_idle, &set->idle)) != NULL &&
	    s->idle_at != s->last) {
		RB_REMOVE(sess_idle, &set->idle, s);
		s->idle_at = s->last;
		RB_INSERT(sess_idle, &set->idle, s);
	}
	return s;
}

void
sess_free(struct sess_set *set, struct sess *s)
{
	RB_REMOVE(sess_tree, &set->byid, s);
	RB_REMOVE(sess_idle, &set->idle, s);
	if (set->found == s)
		set->found = NULL;
	if (set->holding == s)
		set->holding = NULL;
	set->n--;
	free(s->ids);
	free(s->envt);
	free(s->lives[LIFE_MARK_ENVELOPE]);
	free(s->lives[LIFE_MARK_RCPT]);
	buf_free(&s->reply);
	buf_free(&s->rcptto);
	buf_free(&s->mailfrom);
	sess_held_free(s);
	free(s);
}

void
sess_free_all(struct sess_set *set)
{
	struct sess	*s;

	while ((s = RB_ROOT(&set->byid)) != NULL)
		sess_free(set, s);
}

/* What s holds for its rows, made if it held nothing. */
struct sess_held *
sess_held(struct sess *s)
{
	if (s->held == NULL)
		s->held = xcalloc(1, sizeof(*s->held));
	return s->held;
}

/* Nothing held any more. */
void
sess_held_free(struct sess *s)
{
	if (s->held == NULL)
		return;
	buf_free(&s->held->greeting);
	free(s->held);
	s->held = NULL;
}

void
sess_push(struct sess *s, int64_t id)
{
	s->ids = xgrow(s->ids, s->nids, &s->idcap, 4, sizeof(*s->ids));
	s->ids[s->nids++] = id;
}

/* An envelope of smtp-in at t, its row held back for its tx-rcpt. */
void
sess_push_envelope(struct sess *s, int64_t evpid, int64_t t)
{
	sess_push(s, evpid);
	s->envt = xgrow(s->envt, s->nenv, &s->envcap, 4, sizeof(*s->envt));
	s->envt[s->nenv++] = t;
}

/* A life of the open smtp-in tx: an envelope, or a refused recipient. */
void
sess_life(struct sess *s, enum life_mark_kind k, int64_t id)
{
	s->lives[k] = xgrow(s->lives[k], s->nlives[k], &s->livecap[k], 4,
	    sizeof(*s->lives[k]));
	s->lives[k][s->nlives[k]++] = id;
}

/* Another tx, or none: it has no lives yet. */
void
sess_lives_forget(struct sess *s)
{
	s->nlives[LIFE_MARK_ENVELOPE] = s->nlives[LIFE_MARK_RCPT] = 0;
	s->lives_unknown = 0;
}

/*
 * What a command (stored as event id, 0 if not) makes the next reply
 * answer: the phase smtp-out decides attempts by, and the command a
 * refusal refused (sess_outcome.c).
 */
void
sess_command(struct sess *s, const struct proto_str *c, int64_t id)
{
	s->said = 1;
	s->phase = PH_OTHER;
	if (c->len >= 8 && strncasecmp(c->p, "RCPT TO:", 8) == 0) {
		s->phase = PH_RCPT;
		sess_address(&s->rcptto, c, 8);
	} else if (c->len >= 10 && strncasecmp(c->p, "MAIL FROM:", 10) == 0) {
		s->phase = PH_MAIL;
		sess_address(&s->mailfrom, c, 10);
		s->mailfrom_event = id;
	} else if (c->len == 4 && strncasecmp(c->p, "DATA", 4) == 0)
		s->phase = PH_DATA;
	else if (c->len == 1 && c->p[0] == '.')
		s->phase = PH_DOT;
	else if (c->len >= 4 && (strncasecmp(c->p, "EHLO", 4) == 0 ||
	    strncasecmp(c->p, "HELO", 4) == 0 ||
	    strncasecmp(c->p, "LHLO", 4) == 0))
		s->phase = PH_HELO;
	else if (c->len == 8 && strncasecmp(c->p, "STARTTLS", 8) == 0)
		s->phase = PH_STARTTLS;
	else if (c->len >= 4 && strncasecmp(c->p, "AUTH", 4) == 0)
		s->phase = PH_AUTH;
}

/* The address between <> of a command, or what follows its verb. */
static void
sess_address(struct buf *b, const struct proto_str *c, size_t verb)
{
	const char	*lt, *gt;

	lt = memchr(c->p, '<', c->len);
	gt = lt ? memchr(lt, '>', c->len - (lt - c->p)) : NULL;
	if (gt != NULL)
		buf_set(b, lt + 1, gt - lt - 1);
	else
		buf_set(b, c->p + verb, c->len - verb);
}

/*
 * An event of smtp-in session s, stored as id: what a refusal stores
 * with it (STMT_EVENT_RARE), the last command's event and the filter
 * decision since (reload.c gives a session taken back the same from
 * its events).  That is the last response whose parameters hold
 * "|reject" (1) or else "|disconnect" (2), as schema 16's LIKE reads
 * them: ASCII case folded, up to a NUL (the parser keeps a line with a
 * NUL raw, without a session, but the rule stays LIKE's).
 */
void
sess_seen(struct sess *s, enum proto_event ev, int64_t id,
    const struct proto_str *x)
{
	if (s->dir != DIR_IN)
		return;
	if (ev == EVT_PROTOCOL_CLIENT) {
		s->client_event = id;
		s->client_filter = 0;
	} else if (ev == EVT_FILTER_RESPONSE) {
		if (sess_holds(x, "|reject"))
			s->client_filter = 1;
		else if (sess_holds(x, "|disconnect"))
			s->client_filter = 2;
	}
}

/* Whether x, up to a NUL, holds word (lower case), ASCII case folded. */
static int
sess_holds(const struct proto_str *x, const char *word)
{
	const char	*nul;
	size_t		 n = strlen(word), len, i, j;
	int		 c;

	if (x->p == NULL)
		return 0;
	nul = memchr(x->p, '\0', x->len);
	len = nul != NULL ? (size_t)(nul - x->p) : x->len;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++) {
			c = (unsigned char)x->p[i + j];
			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != word[j])
				break;
		}
		if (j == n)
			return 1;
	}
	return 0;
}
