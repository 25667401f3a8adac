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
 * sess_outcome.c: what a session came to (session.outcome), the one
 * rule, kept as its lines arrive: a committed message makes it 'mail'
 * for good; until then the last failure wins (a refused command, an
 * AUTH or TLS failure, a timeout); a session that ends with none says
 * 'aborted' (inside a transaction) or 'no-mail'.  The names are those
 * of to.c (enum session_outcome).  Every write is a row update, so a
 * restarted collector goes on from what the row says.
 */
#include "mailtrail.h"
#include "collector.h"

static int	sess_outcome_refused(const struct sess *, int);
static void	sess_outcome_set(struct ingest *, struct sess *, int,
		    const struct proto_str *, int);

/* The refusal a final 4xx or 5xx reply makes, -1 if none counts. */
static int
sess_outcome_refused(const struct sess *s, int authing)
{
	if (authing)
		return SO_AUTH_FAILED;
	if (!s->said)
		return SO_REFUSED_CONNECT;
	switch (s->phase) {
	case PH_HELO:
		return SO_REFUSED_HELO;
	case PH_STARTTLS:
		return SO_TLS_FAILED;
	case PH_AUTH:
		return SO_AUTH_FAILED;
	case PH_MAIL:
		return SO_REFUSED_MAIL;
	case PH_RCPT:
		return SO_REFUSED_RCPT;
	case PH_DATA:
	case PH_DOT:
		return SO_REFUSED_DATA;
	default:
		return -1;
	}
}

/*
 * A failure decided by the line being read (its event is the reason);
 * keep: do not replace the same outcome, so that the first of two lines
 * telling one failure (link-auth and the 535) stays its reason.  A
 * session that mailed keeps 'mail': the statement leaves its row be.
 */
static void
sess_outcome_set(struct ingest *ing, struct sess *s, int outcome,
    const struct proto_str *from, int keep)
{
	store_run(ing->st, STMT_SESSION_FAIL, "sztii",
	    session_outcome_to_text(outcome), ing->event, from,
	    (int64_t)keep, s->id);
}

/*
 * A reply line (authing: it answers an AUTH exchange).  A 220 to
 * STARTTLS is a TLS failure until link-tls says otherwise.
 */
void
sess_outcome_reply(struct ingest *ing, struct sess *s,
    const struct proto_str *t, int authing)
{
	struct proto_str from = { s->mailfrom.p, s->mailfrom.len };
	int		 o;

	if (t->len < 3 || (t->len > 3 && t->p[3] == '-'))
		return;
	if (t->p[0] == '2' && s->phase == PH_STARTTLS && s->said) {
		sess_outcome_set(ing, s, SO_TLS_FAILED, NULL, 0);
		return;
	}
	if (t->p[0] != '4' && t->p[0] != '5')
		return;
	if ((o = sess_outcome_refused(s, authing)) == -1)
		return;
	sess_outcome_set(ing, s, o,
	    s->dir == DIR_IN && s->phase == PH_MAIL && !authing ? &from : NULL,
	    0);
}

/* link-auth: a failure is the session's outcome. */
void
sess_outcome_auth(struct ingest *ing, struct sess *s, enum proto_result res)
{
	if (res != RES_OK)
		sess_outcome_set(ing, s, SO_AUTH_FAILED, NULL, 1);
}

void
sess_outcome_timeout(struct ingest *ing, struct sess *s)
{
	sess_outcome_set(ing, s, SO_TIMEOUT, NULL, 0);
}

/* A message committed: final (the next commit changes nothing). */
void
sess_outcome_mail(struct ingest *ing, struct sess *s)
{
	store_run(ing->st, STMT_SESSION_MAIL, "si",
	    session_outcome_to_text(SO_MAIL), s->id);
}

/*
 * The outcome of a session that ends with nothing decided:
 * 'connect-failed' without a link-connect (smtp-out reports only the
 * disconnect of a connection that failed), 'aborted' inside a
 * transaction or while the message was being sent (smtp-in rolls the
 * transaction back before the disconnect).
 */
const char *
sess_outcome_end(const struct sess *s)
{
	if (!s->connected)
		return session_outcome_to_text(SO_CONNECT_FAILED);
	return session_outcome_to_text(s->tx != 0 || s->phase == PH_DATA ?
	    SO_ABORTED : SO_NO_MAIL);
}
