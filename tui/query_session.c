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
 * query_session.c: sessions for the session list (a rowid range, one
 * by id, or the newest of an outcome), the outcome: filter term, and
 * the events of one session in the order received.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

#define QUERY_SESSION_EVENTS_STEP	4096	/* events read per call */
#define QUERY_SESSION_REFUSED		"refused-"

/* An id of the session list with its start, for the newest first. */
struct query_session_at {
	int64_t		 id, t;
};

/*
 * The words of an outcome: term are the outcomes the writer keeps
 * (session_outcome_to_text()); "refused" names all refused-*, "open"
 * the sessions not ended.
 */

static void	 query_session_fill(sqlite3_stmt *, struct query_sess *);
static int	 query_session_at_cmp(const void *, const void *);
static int	 query_session_outcome_read(struct query *, const char *,
		    size_t, struct query_session_at **, size_t *, size_t *);

/* A row of Q_SES_RANGE or Q_SES_ONE. */
static void
query_session_fill(sqlite3_stmt *s, struct query_sess *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	r->sid = (uint64_t)sqlite3_column_int64(s, 1);
	r->dir = sqlite3_column_int(s, 2);
	r->t_start = sqlite3_column_int64(s, 3);
	r->t_end = db_col_int(s, 4, 0);
	r->end_reason = query_text(s, 5);
	r->rdns = query_text(s, 6);
	r->fcrdns = query_text(s, 7);
	r->src = query_text(s, 8);
	r->dest = query_text(s, 9);
	r->helo = query_text(s, 10);
	r->tls = query_text(s, 11);
	r->auth_user = query_text(s, 12);
	r->ntx = sqlite3_column_int(s, 13);
	r->outcome = query_text(s, 14);
	r->reason = query_text(s, 15);
}

void
query_session_free(struct query_sess *r)
{
	free(r->end_reason);
	free(r->rdns);
	free(r->fcrdns);
	free(r->src);
	free(r->dest);
	free(r->helo);
	free(r->tls);
	free(r->auth_user);
	free(r->outcome);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

/* The largest session.id (0: none, -1: error). */
int64_t
query_session_max(struct query *q)
{
	sqlite3_stmt	*s;
	int64_t		 id = -1;

	if ((s = query_stmt(q, Q_SES_MAX)) == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		id = db_col_int(s, 0, 0);
	sqlite3_reset(s);
	return id;
}

/* The newest session with smtpd's id sid: its session.id, or 0. */
int64_t
query_session_by_sid(struct query *q, uint64_t sid)
{
	sqlite3_stmt	*s;
	int64_t		 id = 0;

	if ((s = query_stmt(q, Q_SES_SID)) == NULL)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)sid);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

/*
 * Sessions with from < id <= to appended to *v (*n used, *cap
 * allocated).
 */
int
query_session_range(struct query *q, int64_t from, int64_t to,
    struct query_sess **v, size_t *n, size_t *cap)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = query_stmt(q, Q_SES_RANGE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = xgrow(*v, *n, cap, 64, sizeof(**v));
		query_session_fill(s, &(*v)[(*n)++]);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Session id into r: 1, 0 if there is none, -1 on error. */
int
query_session_one(struct query *q, int64_t id, struct query_sess *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = query_stmt(q, Q_SES_ONE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		query_session_fill(s, r);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The session terms of q hold for r, the others (about mail) hold, and
 * so does the outcome: term (outcome, "" none).  A session is held from
 * both ends: as the one mail came in on (its client and HELO) and as
 * one it went out on (its relay).
 */
int
query_session_match(const struct model_query *q, const char *outcome,
    const struct query_sess *r)
{
	struct model_facts	 f;
	struct model_session	 s;
	struct model_attempt	 out;

	if (q == NULL)
		return 1;
	if (!query_session_outcome_holds(outcome, r->outcome, r->t_end == 0))
		return 0;
	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	memset(&out, 0, sizeof(out));
	s.sid = r->sid;
	s.src = r->src;
	s.dest = r->dest;
	s.helo = r->helo;
	out.session = s;
	f.session_only = 1;
	f.in = &s;
	f.attempts = &out;
	f.nattempts = 1;
	f.status = -1;
	f.t = r->t_start;
	return model_query_match(q, &f);
}

/*
 * Events of session id after event after, appended to *v (*n used,
 * *cap allocated), at most QUERY_SESSION_EVENTS_STEP a call: call again while
 * it returns 1.  0 when done, -1 on error.
 */
int
query_session_events(struct query *q, int64_t id, int64_t after,
    struct query_event **v, size_t *n, size_t *cap)
{
	struct query_event	*e;
	struct model_event	 row;
	sqlite3_stmt		*s;
	int			 rc, got = 0;

	if ((s = query_stmt(q, Q_EVENTS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int64(s, 3, QUERY_SESSION_EVENTS_STEP);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = xgrow(*v, *n, cap, 256, sizeof(**v));
		e = &(*v)[(*n)++];
		got++;
		model_sql_event_row(s, &row);
		e->id = row.id;
		e->t = row.t;
		e->event = row.event;
		e->dir = row.dir;
		e->minor = row.minor;
		e->has_msgid = row.has_msgid;
		e->msgid = row.msgid;
		e->len = row.len;
		e->text = xmalloc(e->len + 1);
		if (e->len > 0)
			memcpy(e->text, row.text, e->len);
		e->text[e->len] = '\0';
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -1;
	return got == QUERY_SESSION_EVENTS_STEP ? 1 : 0;
}

void
query_session_events_free(struct query_event *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

/* v is the value of an outcome: term: 1 if it names outcomes, else 0. */
int
query_session_outcome_term(const char *v)
{
	size_t	i;

	if (strcmp(v, "refused") == 0 || strcmp(v, "open") == 0)
		return 1;
	for (i = 0; i < SO_N; i++)
		if (strcmp(v, session_outcome_to_text(i)) == 0)
			return 1;
	return 0;
}

/*
 * The outcome: term v ("": none) holds for a session of this outcome
 * (NULL: none yet), open or not.
 */
int
query_session_outcome_holds(const char *v, const char *outcome, int open)
{
	if (*v == '\0')
		return 1;
	if (strcmp(v, "open") == 0)
		return open;
	if (outcome == NULL)
		return 0;
	if (strcmp(v, "refused") == 0)
		return strncmp(outcome, QUERY_SESSION_REFUSED,
		    strlen(QUERY_SESSION_REFUSED)) == 0;
	return strcmp(v, outcome) == 0;
}

/*
 * The index session_outcome holds the sessions of outcome: term v:
 * every outcome but mail, and no open session as such.
 */
int
query_session_outcome_indexed(const char *v)
{
	return *v != '\0' && strcmp(v, "open") != 0 && strcmp(v, "mail") != 0;
}

static int
query_session_at_cmp(const void *a, const void *b)
{
	const struct query_session_at	*x = a, *y = b;

	if (x->t != y->t)
		return x->t > y->t ? -1 : 1;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* The newest n sessions of outcome name, appended to *v. */
static int
query_session_outcome_read(struct query *q, const char *name, size_t n,
    struct query_session_at **v, size_t *nv, size_t *cap)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = query_stmt(q, Q_SES_OUTCOME)) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (int64_t)n);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*v = xgrow(*v, *nv, cap, 64, sizeof(**v));
		(*v)[*nv].id = sqlite3_column_int64(s, 0);
		(*v)[(*nv)++].t = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The session.ids of the newest n sessions outcome: term v holds for
 * (query_session_outcome_indexed()), newest first, in *ids (the caller
 * frees it), their number in *nids.
 */
int
query_session_outcome_ids(struct query *q, const char *v, size_t n,
    int64_t **ids, size_t *nids)
{
	struct query_session_at	*at = NULL;
	size_t			 i, nat = 0, cap = 0;
	int			 r = 0;

	for (i = 0; r == 0 && i < SO_N; i++)
		if (strcmp(v, session_outcome_to_text(i)) == 0 ||
		    (strcmp(v, "refused") == 0 &&
		    strncmp(session_outcome_to_text(i), QUERY_SESSION_REFUSED,
		    strlen(QUERY_SESSION_REFUSED)) == 0))
			r = query_session_outcome_read(q,
			    session_outcome_to_text(i), n, &at, &nat, &cap);
	if (nat > 0)
		qsort(at, nat, sizeof(*at), query_session_at_cmp);
	*nids = nat < n ? nat : n;
	*ids = xreallocarray(NULL, *nids + 1, sizeof(**ids));
	for (i = 0; i < *nids; i++)
		(*ids)[i] = at[i].id;
	free(at);
	return r;
}
