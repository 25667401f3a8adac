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
 * model_changes.c: which lives a range of new changes of state and
 * maillog lines concern, for export --follow: read only the new rows
 * (rowid ranges), never the whole database, and give back the lives in
 * the order of the rows.
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

/*
 * The lives whose state changed in (from, to] of life_change, in the
 * order of their changes: the writer records each change as it stores
 * the lines, so no reader works out which lives a line changed.
 */
int
model_changes_states(struct model_iter *it, int64_t from, int64_t to)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (from >= to)
		return 0;
	if ((s = model_sql_stmt(it->m, MQ_CHANGES)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			model_changes_add(it, REF_EVPID,
			    sqlite3_column_int64(s, 0));
		else
			model_changes_add(it, REF_REJ,
			    sqlite3_column_int64(s, 1));
	}
	return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
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
