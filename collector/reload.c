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
 * reload.c: a session taken back from the database when the collector
 * no longer remembers it: after a restart (smtpd restarted us, or we
 * were killed), or after a batch was rolled back.  What the joiner
 * keeps in memory is derived again from the rows and the session's
 * last events, so joining goes on as if nothing had happened.
 */
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define RELOAD_MAX	1024	/* open ids taken back for one session */

static void	reload_out(struct ingest *, struct sess *);
static void	reload_command(struct ingest *, struct sess *);
static void	reload_decisions(struct ingest *, struct sess *, int64_t);
static int	reload_authing(const struct buf *);

struct sess *
reload_session(struct ingest *ing, const struct report *r)
{
	struct sess	*s;
	struct buf	 text = { NULL, 0, 0 };
	int64_t		 id, tx, msgid, t, ids[RELOAD_MAX];
	size_t		 i, n = 0;

	if (!store_find(ing->st, STMT_FIND_SESSION, (int64_t)r->session,
	    r->dir, &id, NULL))
		return NULL;
	store_need_events(ing->st);
	s = sess_new(&ing->sessions, r->session, r->dir, r->time);
	s->id = id;
	s->connected = 1;
	s->events_unknown = 1;
	if (store_find(ing->st, STMT_FIND_TX, id, 1, &tx, &msgid)) {
		s->tx = tx;
		s->committed = 1;	/* perhaps: counted as if */
		s->msgid = (uint32_t)msgid;
		s->lives_unknown = 1;
	}
	s->timedout = store_find(ing->st, STMT_FIND_EVENT, id, EVT_TIMEOUT,
	    &t, &t);
	if (r->dir == DIR_OUT) {
		reload_out(ing, s);
		return s;
	}
	if (store_find_text(ing->st, STMT_FIND_EVENT, id, EVT_PROTOCOL_SERVER,
	    &t, &t, &text)) {
		buf_set(&s->reply, text.p, text.len);
		s->authing = reload_authing(&text);
	}
	if (s->tx)
		n = store_list(ing->st, STMT_FIND_ENVELOPES, s->tx, ids,
		    RELOAD_MAX);
	for (i = 0; i < n; i++)
		sess_push(s, ids[i]);
	buf_free(&text);
	reload_command(ing, s);
	return s;
}

/*
 * smtp-in: the client's last command, which the phase of the outcome
 * rule (sess_outcome.c) stays on until the next.
 */
static void
reload_command(struct ingest *ing, struct sess *s)
{
	struct buf	 cmd = { NULL, 0, 0 };
	struct proto_str c;
	int64_t		 cid = 0, t;

	if (store_find_text(ing->st, STMT_FIND_EVENT, s->id,
	    EVT_PROTOCOL_CLIENT, &cid, &t, &cmd)) {
		c.p = cmd.p;
		c.len = cmd.len;
		sess_command(s, &c, cid);
		sess_seen(s, EVT_PROTOCOL_CLIENT, cid, &c);
	}
	buf_free(&cmd);
	reload_decisions(ing, s, cid);
}

/*
 * smtp-in: the filter responses stored since the last command (cid, 0
 * if none), through sess_seen(): what the next refusal stores.
 */
static void
reload_decisions(struct ingest *ing, struct sess *s, int64_t cid)
{
	struct buf	 x = { NULL, 0, 0 };
	struct proto_str p;
	int64_t		 id = cid, t;

	while (store_find_text(ing->st, STMT_FIND_FILTER, s->id, id, &id, &t,
	    &x)) {
		p.p = x.p;
		p.len = x.len;
		sess_seen(s, EVT_FILTER_RESPONSE, id, &p);
	}
	buf_free(&x);
}

/*
 * smtp-out: a command sent after the last (final) reply still waits
 * for its answer; an attempt made since that command is the one its
 * RCPT reply decides; the other open attempts were accepted at RCPT.
 */
static void
reload_out(struct ingest *ing, struct sess *s)
{
	struct buf	 cmd = { NULL, 0, 0 }, reply = { NULL, 0, 0 }, helo = {
	    NULL, 0, 0 };
	struct proto_str c;
	int64_t		 cid = 0, ct = 0, rid = 0, t, ids[RELOAD_MAX], at;
	size_t		 i, n;

	if (store_find_text(ing->st, STMT_FIND_HELO, s->id, 1, &t, &t, &helo))
		s->lmtp = helo.len == 4 && memcmp(helo.p, "LHLO", 4) == 0;
	s->said = store_find_text(ing->st, STMT_FIND_EVENT, s->id,
	    EVT_PROTOCOL_CLIENT, &cid, &ct, &cmd);
	store_find_text(ing->st, STMT_FIND_EVENT, s->id, EVT_PROTOCOL_SERVER,
	    &rid, &t, &reply);
	s->authing = reload_authing(&reply);
	if (cid > rid || (reply.len > 3 && reply.p[3] == '-')) {
		c.p = cmd.p;
		c.len = cmd.len;
		sess_command(s, &c, cid);
	}
	n = store_list(ing->st, STMT_FIND_ATTEMPTS, s->id, ids, RELOAD_MAX);
	for (i = 0; i < n; i++) {
		at = ids[i];
		if (i == n - 1 && s->phase == PH_RCPT &&
		    store_find(ing->st, STMT_FIND_ATTEMPT_T, at, 1, &t, NULL) &&
		    t >= ct)
			s->awaiting = at;
		else
			sess_push(s, at);
	}
	buf_free(&cmd);
	buf_free(&reply);
	buf_free(&helo);
}

/* The last reply asked for more of an AUTH exchange. */
static int
reload_authing(const struct buf *reply)
{
	return reply->len >= 3 && memcmp(reply->p, "334", 3) == 0;
}
