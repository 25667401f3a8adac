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
 * model.c: the envelope life read model: the database handle, its
 * statements, and iterating lives in time order from two cursors
 * (envelopes, recipients refused at smtp-in) composed for a query.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static struct model_iter *model_iter_new(struct model *,
		    const struct model_query *, int);
static int	model_sids(struct model_iter *);
static int	model_matches(const struct model_query *,
		    const struct model_life *);
static sqlite3_stmt *model_next_row(struct model_iter *, int *);
static int	model_step_cursor(struct model_iter *, sqlite3_stmt *, int *);

/*
 * The database read-only; NULL with *cause (the caller frees it) saying
 * why not.
 */
struct model *
model_open(const char *path, char **cause)
{
	struct model	*m;

	m = xcalloc(1, sizeof(*m));
	if (db_open(&m->db, path, 0, 0) == -1) {
		*cause = xstrdup(db_error(&m->db));
		model_close(m);
		return NULL;
	}
	model_sql_init(m);
	return m;
}

void
model_close(struct model *m)
{
	if (m == NULL)
		return;
	db_close(&m->db);
	free(m);
}

/* Why the last call failed. */
const char *
model_error(const struct model *m)
{
	return db_error(&m->db);
}

/* The last event and maillog line stored: 0 on success. */
int
model_last(struct model *m, struct model_pos *pos)
{
	if (model_sql_value(m, MQ_LAST, &pos->event) == -1 ||
	    model_sql_value(m, MQ_LAST_OUTCOME, &pos->outcome) == -1 ||
	    model_sql_value(m, MQ_LAST_CHANGE, &pos->change) == -1)
		return -1;
	return 0;
}

/*
 * The next range after from, up to hi, at most chunk rows of each
 * kind, into to: 1 if there is one, 0 when from has reached hi.
 */
int
model_pos_step(const struct model_pos *from, const struct model_pos *hi,
    int64_t chunk, struct model_pos *to)
{
	to->event = hi->event - from->event > chunk ? from->event + chunk :
	    hi->event;
	to->outcome = hi->outcome - from->outcome > chunk ?
	    from->outcome + chunk : hi->outcome;
	to->change = hi->change - from->change > chunk ?
	    from->change + chunk : hi->change;
	return from->event < hi->event || from->outcome < hi->outcome ||
	    from->change < hi->change;
}

/* Changes whenever another connection commits: cheap to poll. */
int
model_data_version(struct model *m)
{
	int64_t	v;

	if (model_sql_value(m, MQ_VERSION, &v) == -1)
		return -1;
	return (int)v;
}

/* One read transaction: what follows sees one snapshot. */
int
model_begin(struct model *m)
{
	sqlite3_stmt	*s;

	if ((s = model_sql_stmt(m, MQ_BEGIN)) == NULL)
		return -1;
	if (sqlite3_step(s) != SQLITE_DONE)
		return model_sql_error(m);
	return 0;
}

/* End the read transaction, and any a statement left open. */
void
model_end(struct model *m)
{
	sqlite3_stmt	*s;
	int		 i;

	for (i = 0; i < MQ_MAX; i++)
		if (m->db.stmt[i] != NULL)
			sqlite3_reset(m->db.stmt[i]);
	if (!sqlite3_get_autocommit(m->db.h) &&
	    (s = model_sql_stmt(m, MQ_END)) != NULL) {
		sqlite3_step(s);
		sqlite3_reset(s);
	}
}

/* An iterator. */
static struct model_iter *
model_iter_new(struct model *m, const struct model_query *q, int flags)
{
	struct model_iter	*it;

	it = xcalloc(1, sizeof(*it));
	it->m = m;
	it->q = q;
	it->flags = flags;
	it->maillog = -1;
	if (q->fixed)
		it->as_of = q->as_of;
	else if (model_as_of(m, &it->as_of) == -1)
		it->failed = 1;
	return it;
}

/*
 * The time a waiting life waits until, into *as_of: 0 (now) in a live
 * database, else its last event's (a replayed, copied or stopped one).
 */
int
model_as_of(struct model *m, int64_t *as_of)
{
	if (model_sql_value(m, MQ_LAST_TIME, as_of) == -1)
		return -1;
	if (*as_of != 0 && util_now() - *as_of <= MODEL_STALE)
		*as_of = 0;
	return 0;
}

/* Which of the query's 16 hex digit terms name a session. */
static int
model_sids(struct model_iter *it)
{
	size_t		 i;

	for (i = 0; i < it->q->n; i++) {
		if (it->q->terms[i].kind != TERM_ID16)
			continue;
		if ((it->is_sid[i] = model_sql_sid(it->m,
		    it->q->terms[i].id)) == -1)
			return -1;
	}
	return 0;
}

/* q holds for life l: model_query_match() on the life's facts. */
static int
model_matches(const struct model_query *q, const struct model_life *l)
{
	struct model_facts	f;

	memset(&f, 0, sizeof(f));
	f.has_evpid = l->has_evpid;
	f.evpid = l->evpid;
	f.has_msgid = 1;
	f.msgid = l->msgid;
	f.mail_from = l->mail_from;
	f.rcpt_to = l->rcpt_to;
	f.in = l->has_received ? &l->in : NULL;
	f.attempts = l->attempts;
	f.nattempts = l->nattempts;
	f.status = l->status;
	f.t = l->t;
	return model_query_match(q, &f);
}

/* Every life matching q, in time order. */
struct model_iter *
model_lives(struct model *m, const struct model_query *q, int flags)
{
	struct model_iter	*it = model_iter_new(m, q, flags);
	struct buf		 sql = { NULL, 0, 0 };
	int			 rej, rc = SQLITE_OK;

	if (model_sids(it) == -1) {
		model_iter_free(it);
		return NULL;
	}
	for (rej = 0; rej < 2 && rc == SQLITE_OK; rej++)
		if (model_sql_compose(it, rej, &sql))
			rc = sqlite3_prepare_v2(m->db.h, sql.p, -1,
			    rej ? &it->rej : &it->env, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK) {
		model_sql_error(m);
		model_iter_free(it);
		return NULL;
	}
	model_sql_bind(it->env, q);
	model_sql_bind(it->rej, q);
	if (model_step_cursor(it, it->env, &it->env_row) == -1 ||
	    model_step_cursor(it, it->rej, &it->rej_row) == -1)
		it->failed = 1;
	return it;
}

/*
 * The lives whose state changed in (from, to] (life_change, as the
 * writer records it), then the envelopes the maillog lines in the range
 * name.  Each life once, in the order of the rows; the caller keeps the
 * ranges small (export reads 1024 rows of each at a time).
 */
struct model_iter *
model_changes(struct model *m, const struct model_query *q, int flags,
    const struct model_pos *from, const struct model_pos *to)
{
	struct model_iter	*it = model_iter_new(m, q, flags);

	it->changes = 1;
	if (model_changes_states(it, from->change, to->change) == -1 ||
	    model_changes_outcomes(it, from->outcome, to->outcome) == -1)
		it->failed = 1;
	return it;
}

/* The next row of cursor s (NULL: a cursor not needed) or its end. */
static int
model_step_cursor(struct model_iter *it, sqlite3_stmt *s, int *row)
{
	int	rc;

	*row = 0;
	if (s == NULL)
		return 0;
	rc = sqlite3_step(s);
	*row = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return 0;
}

/* The next row of the lives mode: the earlier of the two cursors. */
static sqlite3_stmt *
model_next_row(struct model_iter *it, int *which)
{
	if (!it->env_row && !it->rej_row)
		return NULL;
	if (it->env_row && (!it->rej_row || sqlite3_column_int64(it->env, 2)
	    <= sqlite3_column_int64(it->rej, 2))) {
		*which = 0;
		return it->env;
	}
	*which = 1;
	return it->rej;
}

/*
 * The lives of the same query again from the first, with the values
 * its terms hold now (export -j: since: and until: of the next part);
 * the sessions read stay cached.  -1 on a database error.
 */
int
model_again(struct model_iter *it)
{
	if (it->changes || it->failed)
		return -1;
	if (it->env != NULL)
		sqlite3_reset(it->env);
	if (it->rej != NULL)
		sqlite3_reset(it->rej);
	model_sql_bind(it->env, it->q);
	model_sql_bind(it->rej, it->q);
	if (model_step_cursor(it, it->env, &it->env_row) == -1 ||
	    model_step_cursor(it, it->rej, &it->rej_row) == -1) {
		it->failed = 1;
		return -1;
	}
	return 0;
}

/* The next matching life, or NULL at the end (or on error). */
const struct model_life *
model_next(struct model_iter *it)
{
	sqlite3_stmt	*row;
	int		 which = 0, rc;

	while (!it->failed) {
		arena_reset(&it->arena);
		if (it->changes)
			row = model_changes_row(it);
		else
			row = model_next_row(it, &which);
		if (row == NULL)
			return NULL;
		rc = model_life_build(it, row);
		if (!it->changes && model_step_cursor(it, row,
		    which ? &it->rej_row : &it->env_row) == -1)
			it->failed = 1;
		if (rc == -1) {
			it->failed = 1;
			break;
		}
		if (rc == 0 || !model_matches(it->q, &it->life))
			continue;
		if (model_bounce_links(it) == -1) {
			it->failed = 1;
			break;
		}
		if ((it->flags & MODEL_EVENTS) && model_life_events(it) == -1) {
			it->failed = 1;
			break;
		}
		it->life.as_of = it->as_of;
		return &it->life;
	}
	return NULL;
}

int
model_iter_failed(const struct model_iter *it)
{
	return it == NULL || it->failed;
}

void
model_iter_free(struct model_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->env);
	sqlite3_finalize(it->rej);
	arena_free(&it->arena);
	free(it->refs);
	free(it->attempts);
	free(it->events);
	free(it->merge);
	free(it->outcomes);
	free(it->links);
	free(it->waits);
	model_cache_free(it);
	free(it->keep);
	free(it->keep2);
	free(it);
}
