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
 * model_attempt.c: a life's attempts: those its attempt rows record,
 * with their smtp-out sessions, the refused MAIL FROM the writer gave
 * it (life_refusal) or a maillog line named, and a new one for the
 * facts that add attempts of their own.
 */
#include <stdint.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

/* A new attempt of the life, zeroed. */
struct model_attempt *
model_attempt_add(struct model_iter *it)
{
	struct model_attempt	*a;

	it->attempts = xgrow(it->attempts, it->life.nattempts,
	    &it->attempts_cap, 8, sizeof(*it->attempts));
	it->life.attempts = it->attempts;
	a = &it->attempts[it->life.nattempts++];
	memset(a, 0, sizeof(*a));
	return a;
}

/* The life's attempts from its attempt rows, with their sessions. */
int
model_attempt_load(struct model_iter *it)
{
	struct model_attempt	*a;
	sqlite3_stmt		*s;
	int			 rc;

	if ((s = model_sql_stmt(it->m, MQ_ATTEMPTS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)it->life.evpid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a = model_attempt_add(it);
		a->id = sqlite3_column_int64(s, 0);
		a->t = sqlite3_column_int64(s, 1);
		a->t_end = db_col_int(s, 2, 0);
		a->address = model_sql_text(&it->arena, s, 3);
		a->result = db_col_int(s, 4, MODEL_PENDING);
		a->reply = model_sql_text(&it->arena, s, 5);
		a->remote_id = model_sql_text(&it->arena, s, 6);
		if (model_cache_session(it, sqlite3_column_int64(s, 7),
		    &a->session) == -1)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
}

/*
 * Refused MAIL FROM id as attempt a: the next hop's reply to the
 * command, with its session.  1 found, 0 not, -1 error.
 */
int
model_attempt_refusal(struct model_iter *it, int64_t id,
    struct model_attempt *a)
{
	sqlite3_stmt	*s;
	int64_t		 session;
	int		 rc;

	if ((s = model_sql_stmt(it->m, MQ_OC_REFUSAL)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
	a->event_from = db_col_int(s, 0, 0);
	a->t = db_col_int(s, 1, 0);
	a->t_end = sqlite3_column_int64(s, 2);
	if (a->t == 0)
		a->t = a->t_end;
	a->reply = model_sql_text(&it->arena, s, 3);
	a->result = db_col_int(s, 4, 1) == 2 ? MODEL_PERMFAIL :
	    MODEL_TEMPFAIL;
	session = sqlite3_column_int64(s, 5);
	sqlite3_reset(s);
	a->refusal = id;
	a->source = MODEL_SRC_REFUSAL;
	return model_cache_session(it, session, &a->session) == -1 ? -1 : 1;
}

/* The refused MAIL FROM the writer gave the life, as inferred steps. */
int
model_attempt_given(struct model_iter *it)
{
	struct model_attempt	*a;
	sqlite3_stmt		*s;
	int64_t			 ids[16];
	size_t			 i, n = 0;
	int			 rc;

	if ((s = model_sql_stmt(it->m, MQ_GIVEN)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, (int64_t)it->life.evpid);
	while (n < 16 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	if (n < 16 && rc != SQLITE_DONE)
		return model_sql_error(it->m);
	sqlite3_reset(s);
	for (i = 0; i < n; i++) {
		a = model_attempt_add(it);
		a->inferred = 1;
		if ((rc = model_attempt_refusal(it, ids[i], a)) == -1)
			return -1;
		if (rc == 0)
			it->life.nattempts--;
	}
	return 0;
}
