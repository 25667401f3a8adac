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
 * join.c: what each report event does to the joined tables: sessions,
 * transactions keyed by (session, msgid), recipients, envelopes, and
 * smtp-out attempts with the next hop's reply that decided them.  The
 * lives whose facts it inserts or sets it marks itself (store_mark);
 * the triggers of schema/writer.sql mark for its other statements.
 */
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "collector.h"

#define JOIN_OPEN_MAX	256	/* unsettled attempts listed at a time */

typedef void	(*join_fn)(struct ingest *, struct sess *,
		    const struct report *);

static void	join_connect(struct ingest *, struct sess *,
		    const struct report *);
static void	join_greeting(struct ingest *, struct sess *,
		    const struct report *);
static void	join_identify(struct ingest *, struct sess *,
		    const struct report *);
static void	join_tls(struct ingest *, struct sess *, const struct report *);
static void	join_auth(struct ingest *, struct sess *,
		    const struct report *);
static void	join_disconnect(struct ingest *, struct sess *,
		    const struct report *);
static void	join_timeout(struct ingest *, struct sess *,
		    const struct report *);
static void	join_begin(struct ingest *, struct sess *,
		    const struct report *);
static void	join_mail(struct ingest *, struct sess *,
		    const struct report *);
static void	join_rcpt(struct ingest *, struct sess *,
		    const struct report *);
static void	join_envelope(struct ingest *, struct sess *,
		    const struct report *);
static void	join_attempt(struct ingest *, struct sess *,
		    const struct report *, const struct proto_str *);
static void	join_data(struct ingest *, struct sess *,
		    const struct report *);
static void	join_commit(struct ingest *, struct sess *,
		    const struct report *);
static void	join_rollback(struct ingest *, struct sess *,
		    const struct report *);
static void	join_reset(struct ingest *, struct sess *,
		    const struct report *);
static void	join_client(struct ingest *, struct sess *,
		    const struct report *);
static void	join_server(struct ingest *, struct sess *,
		    const struct report *);
static void	join_tx(struct ingest *, struct sess *, const struct report *);
static void	join_tx_end(struct ingest *, struct sess *, int64_t);
static void	join_tx_mark(struct ingest *, struct sess *);
static void	join_refused(struct ingest *, struct sess *, int64_t,
		    enum proto_result, const struct proto_str *);
static void	join_settle(struct ingest *, struct sess *, int64_t,
		    enum proto_result, const struct proto_str *, size_t);
static void	join_settle_one(struct ingest *, int64_t, int64_t,
		    enum proto_result, const struct proto_str *,
		    const struct proto_str *);
static void	join_settle_open(struct ingest *, struct sess *, int64_t);

static const join_fn join_handlers[EVT_MAX] = {
	[EVT_LINK_CONNECT] = join_connect,
	[EVT_LINK_DISCONNECT] = join_disconnect,
	[EVT_LINK_GREETING] = join_greeting,
	[EVT_LINK_IDENTIFY] = join_identify,
	[EVT_LINK_TLS] = join_tls,
	[EVT_LINK_AUTH] = join_auth,
	[EVT_TX_RESET] = join_reset,
	[EVT_TX_BEGIN] = join_begin,
	[EVT_TX_MAIL] = join_mail,
	[EVT_TX_RCPT] = join_rcpt,
	[EVT_TX_ENVELOPE] = join_envelope,
	[EVT_TX_DATA] = join_data,
	[EVT_TX_COMMIT] = join_commit,
	[EVT_TX_ROLLBACK] = join_rollback,
	[EVT_PROTOCOL_CLIENT] = join_client,
	[EVT_PROTOCOL_SERVER] = join_server,
	[EVT_TIMEOUT] = join_timeout,
};

/*
 * Envelope rows wait only for their reply and tx-rcpt: any other line,
 * of their session or another, inserts them first (join_held.c).
 */
void
join_event(struct ingest *ing, struct sess *s, const struct report *r)
{
	struct sess	*h = ing->sessions.holding;

	if (h != NULL && (h != s || (r->event != EVT_TX_ENVELOPE &&
	    r->event != EVT_PROTOCOL_SERVER && r->event != EVT_TX_RCPT)))
		join_held_envelopes(ing, h);
	if (join_handlers[r->event] != NULL)
		join_handlers[r->event](ing, s, r);
}

/*
 * The session a line belongs to: remembered, reloaded from the database
 * (after a restart or a failed batch; a load into a new database has
 * none to take back), or new.  An smtp-in link-connect on a session
 * still open means the id was reused: the old one is closed.  smtp-out
 * may connect again under the same id.
 */
struct sess *
join_session(struct ingest *ing, const struct report *r)
{
	struct sess	*s;

	if ((s = sess_find(&ing->sessions, r->session, r->dir)) == NULL &&
	    !ing->fresh)
		s = reload_session(ing, r);
	if (s != NULL && r->event == EVT_LINK_CONNECT && r->dir == DIR_IN &&
	    s->connected) {
		join_close(ing, s, r->time, "reused");
		s = NULL;
	}
	if (s == NULL) {
		s = sess_new(&ing->sessions, r->session, r->dir, r->time);
		s->connect_stored = r->event == EVT_LINK_CONNECT;
		if (s->connect_stored)
			s->id = store_run(ing->st, STMT_SESSION_NEW_CONNECT,
			    "iiitttt", (int64_t)r->session, (int64_t)r->dir,
			    r->time, &r->f[F_RDNS], &r->f[F_FCRDNS],
			    &r->f[F_SRC], &r->f[F_DEST]);
		else
			s->id = store_run(ing->st, STMT_SESSION_NEW, "iii",
			    (int64_t)r->session, (int64_t)r->dir, r->time);
		if (s->id > 0)
			store_hour(ing->st, HOUR_SESSION, s->id, 1);
	}
	sess_touch(&ing->sessions, s, r->time);
	return s;
}

/* The session ended: settle what it left open, and forget it. */
void
join_close(struct ingest *ing, struct sess *s, int64_t t, const char *why)
{
	struct proto_str g;
	const char	*end;
	int64_t		 held;

	if (s->dir == DIR_OUT)
		join_settle_open(ing, s, t);
	end = sess_outcome_end(s);
	if (s->tx != 0)
		join_tx_end(ing, s, t);
	join_held_envelopes(ing, s);
	held = join_held_greeting(s, &g);
	store_run(ing->st, STMT_SESSION_END, "issiit", t, why, end, s->id,
	    held, &g);
	sess_free(&ing->sessions, s);
}

static void
join_connect(struct ingest *ing, struct sess *s, const struct report *r)
{
	s->connected = 1;
	if (s->connect_stored) {
		s->connect_stored = 0;
		return;
	}
	store_run(ing->st, STMT_SESSION_CONNECT, "tttti", &r->f[F_RDNS],
	    &r->f[F_FCRDNS], &r->f[F_SRC], &r->f[F_DEST], s->id);
}

static void
join_greeting(struct ingest *ing, struct sess *s, const struct report *r)
{
	const struct proto_str	*t = &r->f[F_TEXT];
	struct sess_held	*h = sess_held(s);

	(void)ing;
	if (t->p == NULL)	/* stays NULL */
		buf_free(&h->greeting);
	else
		buf_set(&h->greeting, t->p, t->len);
	h->what |= SESS_HELD_GREETING;
}

static void
join_identify(struct ingest *ing, struct sess *s, const struct report *r)
{
	const struct proto_str	*m = &r->f[F_METHOD];
	struct proto_str	 g;
	int64_t			 held;

	s->lmtp = m->len == 4 && memcmp(m->p, "LHLO", 4) == 0;
	held = join_held_greeting(s, &g);
	store_run(ing->st, STMT_SESSION_HELD, "ititti", held, &g, (int64_t)1,
	    m, &r->f[F_TEXT], s->id);
	join_held_drop(s, SESS_HELD_GREETING);
}

static void
join_tls(struct ingest *ing, struct sess *s, const struct report *r)
{
	store_hour(ing->st, HOUR_SESSION, s->id, -1);
	store_run(ing->st, STMT_SESSION_TLS, "ti", &r->f[F_TEXT], s->id);
	store_hour(ing->st, HOUR_SESSION, s->id, 1);
}

static void
join_auth(struct ingest *ing, struct sess *s, const struct report *r)
{
	store_run(ing->st, STMT_SESSION_AUTH, "tii", &r->f[F_TEXT],
	    (int64_t)r->result, s->id);
	sess_outcome_auth(ing, s, r->result);
}

static void
join_disconnect(struct ingest *ing, struct sess *s, const struct report *r)
{
	join_close(ing, s, r->time, s->timedout ? "timeout" : "disconnect");
}

static void
join_timeout(struct ingest *ing, struct sess *s, const struct report *r)
{
	(void)r;
	s->timedout = 1;
	sess_outcome_timeout(ing, s);
}

/*
 * The sender or a time of the open tx changed: so did the lives of its
 * envelopes and refused recipients.  A tx taken back from the database
 * asks it which they are.
 */
static void
join_tx_mark(struct ingest *ing, struct sess *s)
{
	size_t	k, i;

	if (s->lives_unknown) {
		store_mark_tx(ing->st, s->tx, (int64_t)(int32_t)s->msgid);
		return;
	}
	for (k = 0; k < LIFE_MARK_MAX; k++)
		for (i = 0; i < s->nlives[k]; i++)
			store_mark(ing->st, k, s->lives[k][i]);
}

static void
join_tx_end(struct ingest *ing, struct sess *s, int64_t t)
{
	int64_t	v, held = join_held_data(s, &v);

	join_held_envelopes(ing, s);
	store_run(ing->st, STMT_TX_END, "iiii", t, s->tx, held, v);
	join_tx_mark(ing, s);
	s->tx = 0;
	s->nids = 0;
	sess_lives_forget(s);
}

/* The open transaction of r's msgid; a new one if it is another. */
static void
join_tx(struct ingest *ing, struct sess *s, const struct report *r)
{
	if (s->tx != 0 && s->msgid == r->msgid)
		return;
	if (s->tx != 0)
		join_tx_end(ing, s, r->time);
	join_held_envelopes(ing, s);
	s->tx = store_run(ing->st, STMT_TX_NEW, "iii", s->id,
	    (int64_t)(int32_t)r->msgid, r->time);
	s->msgid = r->msgid;
	s->committed = 0;
	s->nids = 0;
	s->awaiting = 0;
	sess_lives_forget(s);
}

static void
join_begin(struct ingest *ing, struct sess *s, const struct report *r)
{
	if (s->tx != 0)
		join_tx_end(ing, s, r->time);
	join_tx(ing, s, r);
}

static void
join_mail(struct ingest *ing, struct sess *s, const struct report *r)
{
	join_tx(ing, s, r);
	store_tx(ing->st, STMT_TX_MAIL, STMT_TX_MAIL_LATE, 0, s->tx, "tii",
	    &r->f[F_ADDR], (int64_t)r->result, s->tx);
	join_tx_mark(ing, s);
}

/*
 * smtp-in: the envelopes reported since the last RCPT belong to this
 * one.  From 0.6 on the reply came just before; in 0.4 it comes next.
 */
static void
join_rcpt(struct ingest *ing, struct sess *s, const struct report *r)
{
	struct proto_str reply = { NULL, 0 };
	int64_t		 id;
	size_t		 i;

	if (s->dir == DIR_OUT)
		return;
	join_tx(ing, s, r);
	if (r->minor >= 6 && s->reply.p != NULL) {
		reply.p = s->reply.p;
		reply.len = s->reply.len;
	}
	id = store_run(ing->st, STMT_RCPT_NEW, "iitit", s->tx, r->time,
	    &r->f[F_ADDR], (int64_t)r->result, &reply);
	if (r->result != 0 && store_changes(ing->st) > 0) {
		store_mark(ing->st, LIFE_MARK_RCPT, id);
		sess_life(s, LIFE_MARK_RCPT, id);
	}
	for (i = 0; i < s->nids; i++) {
		if (!join_held_envelope(ing, s, i, id))
			store_run(ing->st, STMT_ENVELOPE_RCPT, "ii", id,
			    s->ids[i]);
		store_mark(ing->st, LIFE_MARK_ENVELOPE, s->ids[i]);
	}
	s->nids = s->nenv = 0;
	if (ing->sessions.holding == s)
		ing->sessions.holding = NULL;
	s->awaiting = r->minor < 6 ? id : 0;
}

static void
join_envelope(struct ingest *ing, struct sess *s, const struct report *r)
{
	struct proto_str to = { s->rcptto.p, s->rcptto.len };

	join_tx(ing, s, r);
	if (s->dir == DIR_IN) {
		sess_push_envelope(s, (int64_t)r->evpid, r->time);
		ing->sessions.holding = s;
		return;
	}
	store_run(ing->st, STMT_ENVELOPE_NEW, "iiziz", (int64_t)r->evpid,
	    (int64_t)(int32_t)r->msgid, (int64_t)0, r->time, (int64_t)0);
	store_mark(ing->st, LIFE_MARK_ENVELOPE, (int64_t)r->evpid);
	join_attempt(ing, s, r, &to);
}

/*
 * A new smtp-out attempt to address to, with its recipient's domain
 * (the smtp-in recipient's when smtp-out did not say it), and the
 * smtp-in commit of its envelope (STMT_ATTEMPT_NEW).
 */
static void
join_attempt(struct ingest *ing, struct sess *s, const struct report *r,
    const struct proto_str *to)
{
	struct buf	 addr = { NULL, 0, 0 }, dom = { NULL, 0, 0 };
	int64_t		 x;

	if (to->p != NULL)
		buf_set(&addr, to->p, to->len);
	else if (!store_find_text(ing->st, STMT_ATTEMPT_RCPT,
	    (int64_t)r->evpid, 1, &x, &x, &addr))
		buf_set(&addr, "", 0);
	util_domain(&dom, addr.p);
	s->awaiting = store_run(ing->st, STMT_ATTEMPT_NEW, "iiiitz",
	    (int64_t)r->evpid, s->id, s->tx, r->time, to,
	    store_domain(ing->st, dom.p));
	store_mark(ing->st, LIFE_MARK_ENVELOPE, (int64_t)r->evpid);
	buf_free(&addr);
	buf_free(&dom);
}

static void
join_data(struct ingest *ing, struct sess *s, const struct report *r)
{
	struct sess_held	*h;

	join_tx(ing, s, r);
	h = sess_held(s);
	h->data_result = r->result;
	h->what |= SESS_HELD_DATA;
}

static void
join_commit(struct ingest *ing, struct sess *s, const struct report *r)
{
	int64_t	held, v;

	join_tx(ing, s, r);
	held = join_held_data(s, &v);
	store_tx(ing->st, STMT_TX_COMMIT, STMT_TX_RECOMMIT, 1, s->tx, "iiiii",
	    r->time, r->size, s->tx, held, v);
	s->committed = 1;
	join_tx_mark(ing, s);
	sess_outcome_mail(ing, s);
}

static void
join_rollback(struct ingest *ing, struct sess *s, const struct report *r)
{
	if (s->dir == DIR_OUT)	/* a refused RCPT: the transaction goes on */
		return;
	join_tx(ing, s, r);
	store_run(ing->st, STMT_TX_ROLLBACK, "i", s->tx);
}

static void
join_reset(struct ingest *ing, struct sess *s, const struct report *r)
{
	if (s->dir == DIR_OUT || s->tx == 0 || s->msgid != r->msgid)
		return;
	join_tx_end(ing, s, r->time);
}

/* Note what the next reply will answer, and the RCPT TO address. */
static void
join_client(struct ingest *ing, struct sess *s, const struct report *r)
{
	const struct proto_str *c = &r->f[F_TEXT];

	if (c->len >= 5 && strncasecmp(c->p, "AUTH ", 5) == 0)
		s->authing = 1;
	sess_command(s, c, ing->event);
}

static void
join_server(struct ingest *ing, struct sess *s, const struct report *r)
{
	const struct proto_str *t = &r->f[F_TEXT];
	enum proto_result res;
	int		 authing = s->authing;

	if (t->len < 3 || memcmp(t->p, "334", 3) != 0)
		s->authing = 0;
	sess_outcome_reply(ing, s, t, authing);
	if (s->dir == DIR_IN) {
		buf_set(&s->reply, t->p, t->len);
		if (s->awaiting != 0) {
			store_run(ing->st, STMT_RCPT_REPLY, "ti", t,
			    s->awaiting);
			store_mark(ing->st, LIFE_MARK_RCPT, s->awaiting);
		}
		s->awaiting = 0;
		return;
	}
	if (t->len > 3 && t->p[3] == '-')	/* more lines follow */
		return;
	res = t->len > 0 && (t->p[0] == '2' || t->p[0] == '3') ? RES_OK :
	    t->len > 0 && t->p[0] == '5' ? RES_PERMFAIL : RES_TEMPFAIL;
	if (s->phase == PH_RCPT && s->awaiting != 0) {
		if (res == RES_OK)
			sess_push(s, s->awaiting);
		else
			join_settle(ing, s, r->time, res, t, 0);
		s->awaiting = 0;
	} else if (s->phase == PH_MAIL && res != RES_OK)
		join_refused(ing, s, r->time, res, t);
	else if (s->phase == PH_DATA && res != RES_OK && s->nids > 0)
		join_settle(ing, s, r->time, res, t, s->nids);
	else if (s->phase == PH_DOT && s->nids > 0)
		join_settle(ing, s, r->time, res, t, s->lmtp ? 1 : s->nids);
	if (s->phase != PH_DOT || s->nids == 0)
		s->phase = PH_NONE;
}

/*
 * smtp-out: the next hop refused MAIL FROM.  No tx-* line follows (the
 * envelopes are not named), so the refusal is kept on its own.
 */
static void
join_refused(struct ingest *ing, struct sess *s, int64_t t,
    enum proto_result res, const struct proto_str *reply)
{
	struct proto_str from = { s->mailfrom.p, s->mailfrom.len };

	/* With no command stored, the lives look for it (life.c). */
	if (s->mailfrom_event == 0)
		store_need_events(ing->st);
	store_run(ing->st, STMT_REFUSAL_NEW, "iititz", s->id, t, &from,
	    (int64_t)res, reply, s->mailfrom_event);
}

/*
 * Decide attempts: with n == 0 the one waiting for its RCPT reply,
 * otherwise the first n accepted ones (LMTP answers the final dot once
 * per recipient).
 */
static void
join_settle(struct ingest *ing, struct sess *s, int64_t t,
    enum proto_result res, const struct proto_str *reply, size_t n)
{
	struct proto_str rid = { NULL, 0 };
	size_t		 i;

	if (n == 0) {
		join_settle_one(ing, s->awaiting, t, res, reply, &rid);
		return;
	}
	if (res == RES_OK && !reply_queue_id(reply->p, reply->len, &rid))
		rid.p = NULL;
	if (n > s->nids)
		n = s->nids;
	for (i = 0; i < n; i++)
		join_settle_one(ing, s->ids[i], t, res, reply, &rid);
	memmove(s->ids, s->ids + n, (s->nids - n) * sizeof(*s->ids));
	s->nids -= n;
}

/* Attempt id settled, if it was not: counted, its life marked. */
static void
join_settle_one(struct ingest *ing, int64_t id, int64_t t,
    enum proto_result res, const struct proto_str *reply,
    const struct proto_str *rid)
{
	store_run(ing->st, STMT_ATTEMPT_END, "iitti", t, (int64_t)res, reply,
	    rid, id);
	store_settled(ing->st, id);
}

/* An smtp-out session ended: what it left unsettled failed for now. */
static void
join_settle_open(struct ingest *ing, struct sess *s, int64_t t)
{
	struct proto_str none = { NULL, 0 };
	int64_t		 ids[JOIN_OPEN_MAX];
	size_t		 i, n;

	do {
		n = store_list(ing->st, STMT_FIND_ATTEMPTS, s->id, ids,
		    JOIN_OPEN_MAX);
		for (i = 0; i < n; i++)
			join_settle_one(ing, ids[i], t, RES_TEMPFAIL, &none,
			    &none);
	} while (n == JOIN_OPEN_MAX && !store_failed(ing->st));
}
