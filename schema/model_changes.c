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
 * model_changes.c: which lives a range of new events and maillog lines
 * changed, for export --follow: read only the new rows (rowid ranges),
 * never the whole database, and give back the changed lives in the
 * order of the rows that changed them (a refused MAIL FROM: the
 * waiting envelopes of its sender).
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

static void	model_changes_add(struct model_iter *, enum model_ref_kind,
		    int64_t);
static int	model_changes_list(struct model_iter *, enum model_stmt,
		    enum model_ref_kind, int64_t, int64_t, int64_t);
static int	model_changes_refused(struct model_iter *, int64_t, int64_t);

/* Add a life to give back, once. */
static void
model_changes_add(struct model_iter *it, enum model_ref_kind kind, int64_t key)
{
	size_t	i;

	for (i = 0; i < it->nrefs; i++)
		if (it->refs[i].kind == kind && it->refs[i].key == key)
			return;
	it->refs = xgrow(it->refs, it->nrefs, &it->refs_cap, 64,
	    sizeof(*it->refs));
	it->refs[it->nrefs].kind = kind;
	it->refs[it->nrefs++].key = key;
}

/* Add the first column of each row of statement n bound to a, b, c. */
static int
model_changes_list(struct model_iter *it, enum model_stmt n,
    enum model_ref_kind kind, int64_t a, int64_t b, int64_t c)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = model_sql_stmt(it->m, n)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	if (sqlite3_bind_parameter_count(s) > 2)
		sqlite3_bind_int64(s, 3, c);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		model_changes_add(it, kind, sqlite3_column_int64(s, 0));
	return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
}

int
model_changes_collect(struct model_iter *it, int64_t from, int64_t to)
{
	sqlite3_stmt	*s;
	int64_t		 id, t, k, sess, m;
	const unsigned char *x;
	int		 rc, r = 0;

	if ((s = model_sql_stmt(it->m, MQ_CHANGES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		t = sqlite3_column_int64(s, 1);
		k = sqlite3_column_int64(s, 2) % 64;
		sess = sqlite3_column_int64(s, 3);
		m = sqlite3_column_int64(s, 4);
		x = sqlite3_column_text(s, 5);
		if (k == EVT_TX_RESET)
			r = model_changes_list(it, MQ_TX_LIVES, REF_EVPID,
			    sess, m, 0);
		else if (k == EVT_TX_RCPT)
			r = model_changes_list(it, MQ_TX_REJ, REF_REJ, sess,
			    m, t);
		else
			r = model_changes_list(it, MQ_SETTLED, REF_EVPID,
			    sess, t, 0);
		if (r == 0 && k == 32 + EVT_PROTOCOL_SERVER && x != NULL &&
		    (x[0] == '4' || x[0] == '5'))
			r = model_changes_refused(it, sess, id);
	}
	if (r == 0 && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	return r;
}

/*
 * export --follow: the MAIL FROM answered by event reply_id was refused;
 * add the lives it may have changed: the waiting envelopes of its
 * sender, when they are all of one message (else no life changes).
 */
static int
model_changes_refused(struct model_iter *it, int64_t session, int64_t reply_id)
{
	sqlite3_stmt	*s;
	int64_t		 t, ev[MODEL_WAITING_MAX];
	char		*from;
	size_t		 i, n = 0;
	int		 rc;

	if ((s = model_sql_stmt(it->m, MQ_REFUSED_AT)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, session);
	sqlite3_bind_int64(s, 2, reply_id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	t = sqlite3_column_int64(s, 0);
	from = xstrdup((const char *)sqlite3_column_text(s, 1));
	if ((s = model_sql_stmt(it->m, MQ_WAITING)) == NULL) {
		free(from);
		return -1;
	}
	sqlite3_bind_text(s, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, t - MODEL_EXPIRE);
	sqlite3_bind_int64(s, 3, t);
	while (n < MODEL_WAITING_MAX && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ev[n++] = sqlite3_column_int64(s, 0);
	free(from);
	if (n == MODEL_WAITING_MAX || (rc != SQLITE_ROW && rc != SQLITE_DONE))
		return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
		    model_sql_error(it->m);
	for (i = 1; i < n; i++)
		if ((uint64_t)ev[i] >> 32 != (uint64_t)ev[0] >> 32)
			return 0;
	for (i = 0; i < n; i++)
		model_changes_add(it, REF_EVPID, ev[i]);
	return 0;
}

/*
 * The lives maillog lines in (from, to] changed: the envelope a line
 * names, a bounce's own envelope, or every envelope of the message
 * (smtp message lines name only the message).
 */
int
model_changes_outcomes(struct model_iter *it, int64_t from, int64_t to)
{
	sqlite3_stmt	*s;
	int64_t		*msgids = NULL;
	size_t		 i, n = 0, cap = 0;
	int		 rc, r = 0;

	if (from >= to)
		return 0;
	if ((s = model_sql_stmt(it->m, MQ_NEW_OUTCOMES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			model_changes_add(it, REF_EVPID,
			    sqlite3_column_int64(s, 0));
		else if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
			msgids = xgrow(msgids, n, &cap, 16, sizeof(*msgids));
			msgids[n++] = sqlite3_column_int64(s, 2);
		}
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			model_changes_add(it, REF_EVPID,
			    sqlite3_column_int64(s, 1));
	}
	if (rc != SQLITE_DONE)
		r = model_sql_error(it->m);
	/* After the scan: the statements share no cursor. */
	for (i = 0; r == 0 && i < n; i++)
		r = model_changes_list(it, MQ_MSG_LIVES, REF_EVPID,
		    msgids[i], 0, 0);
	free(msgids);
	return r;
}

/* The view row of the next changed life, or NULL. */
sqlite3_stmt *
model_changes_row(struct model_iter *it)
{
	struct model_ref	*ref;
	sqlite3_stmt		*s;
	int			 rc;

	while (it->next < it->nrefs) {
		ref = &it->refs[it->next++];
		if ((s = model_sql_stmt(it->m, ref->kind == REF_EVPID ?
		    MQ_LIFE_EVPID : MQ_LIFE_REJ)) == NULL) {
			it->failed = 1;
			break;
		}
		sqlite3_bind_int64(s, 1, ref->key);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW)
			return s;
		if (rc != SQLITE_DONE) {
			model_sql_error(it->m);
			it->failed = 1;
			break;
		}
	}
	return NULL;
}
