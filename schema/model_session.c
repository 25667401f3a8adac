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
 * model_session.c: the sessions that are an answer of their own: those
 * with no life (a sender refused at MAIL FROM, a client that gave up in
 * STARTTLS, failed AUTH, an smtp-out connection that failed), matching
 * a query by the one matcher (model_query_match()), in time order,
 * with their events and the line that decided their outcome.  The
 * outcome is the writer's (session.outcome): read, never derived.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

struct model_sessions {
	struct model		*m;
	const struct model_query *q;
	sqlite3_stmt		*s;
	int			 failed, done;
	struct arena		 arena;
	struct model_alone	 a;
	struct model_event	*ev;
	size_t			 cap;
};

static int	model_session_events(struct model_sessions *);
static int	model_session_named(struct model *, const struct model_query *);
static void	model_session_reason(struct model_alone *);
static int	model_session_matches(const struct model_query *,
		    const struct model_session *);

/* Every session with no life of its own matching q, in time order. */
struct model_sessions *
model_session_open(struct model *m, const struct model_query *q)
{
	struct model_sessions	*ss;
	struct buf		 sql = { NULL, 0, 0 };

	ss = xcalloc(1, sizeof(*ss));
	ss->m = m;
	ss->q = q;
	if (model_sql_alone(q, &sql) && model_session_named(m, q) &&
	    sqlite3_prepare_v2(m->db.h, sql.p, -1, &ss->s, NULL) != SQLITE_OK) {
		model_sql_error(m);
		buf_free(&sql);
		model_session_close(ss);
		return NULL;
	}
	buf_free(&sql);
	model_sql_bind(ss->s, q);
	if (ss->s != NULL && q->at != 0)
		sqlite3_bind_int64(ss->s, 100, q->at);
	return ss;
}

/*
 * Whether each 16 hex digit term of q names some session: if one names
 * none, no session can hold q, and its query (long to prepare, as a
 * whole process pays) need not be.  1 when unsure.
 */
static int
model_session_named(struct model *m, const struct model_query *q)
{
	size_t		 i;

	for (i = 0; i < q->n; i++)
		if (q->terms[i].kind == TERM_ID16 &&
		    model_sql_sid(m, q->terms[i].id) == 0)
			return 0;
	return 1;
}

/* q holds for session s: model_query_match() on a session's facts. */
static int
model_session_matches(const struct model_query *q,
    const struct model_session *s)
{
	struct model_facts	f;
	struct model_attempt	out;

	memset(&f, 0, sizeof(f));
	memset(&out, 0, sizeof(out));
	f.alone = 1;
	f.status = -1;
	f.t = s->t_start;
	if (s->dir == DIR_IN) {
		f.in = s;
		f.mail_from = s->mail_from;
	} else {
		out.session = *s;
		f.attempts = &out;
		f.nattempts = 1;
	}
	return model_query_match(q, &f);
}

/* The session's events, in the order received (trace --at: until then). */
static int
model_session_events(struct model_sessions *ss)
{
	struct model_alone	*a = &ss->a;
	sqlite3_stmt		*s;
	struct model_event	*e;
	int			 rc;

	if ((s = model_sql_stmt(ss->m, MQ_EVENTS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->s.id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ss->ev = xgrow(ss->ev, a->nevents, &ss->cap, 64,
		    sizeof(*ss->ev));
		e = &ss->ev[a->nevents];
		model_sql_event(s, &ss->arena, e);
		e->session = a->s.sid;
		if (ss->q->at == 0 || e->t <= ss->q->at)
			a->nevents++;
	}
	sqlite3_reset(s);
	a->events = ss->ev;
	return rc == SQLITE_DONE ? 0 : model_sql_error(ss->m);
}

/*
 * The line that decided the outcome (session.reason), and the last
 * filter-response before it that did not let the session proceed.
 */
static void
model_session_reason(struct model_alone *a)
{
	const struct model_event *e;
	const char		*bar;
	size_t			 i;

	for (i = 0; i < a->nevents; i++) {
		e = &a->events[i];
		if (a->s.reason != 0 && e->id > a->s.reason)
			break;
		if (a->s.reason != 0 && e->id == a->s.reason)
			a->reason = e;
		if (e->event == EVT_FILTER_RESPONSE &&
		    (bar = strchr(e->text, '|')) != NULL &&
		    strncmp(bar + 1, "proceed", 7) != 0)
			a->filter = e;
	}
}

/* The next matching session, or NULL at the end (or on error). */
const struct model_alone *
model_session_next(struct model_sessions *ss)
{
	struct model_alone	*a = &ss->a;
	int			 rc;

	while (!ss->failed && !ss->done && ss->s != NULL) {
		arena_reset(&ss->arena);
		memset(a, 0, sizeof(*a));
		if ((rc = sqlite3_step(ss->s)) != SQLITE_ROW) {
			ss->done = 1;
			if (rc != SQLITE_DONE)
				ss->failed = model_sql_error(ss->m) == -1;
			return NULL;
		}
		model_sql_session(ss->s, 0, &ss->arena, &a->s);
		if (!model_session_matches(ss->q, &a->s))
			continue;
		if (model_session_events(ss) == -1) {
			ss->failed = 1;
			return NULL;
		}
		model_session_reason(a);
		return a;
	}
	return NULL;
}

int
model_session_failed(const struct model_sessions *ss)
{
	return ss == NULL || ss->failed;
}

void
model_session_close(struct model_sessions *ss)
{
	if (ss == NULL)
		return;
	sqlite3_finalize(ss->s);
	arena_free(&ss->arena);
	free(ss->ev);
	free(ss);
}
