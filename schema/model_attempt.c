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
 * with their smtp-out sessions, and a new one for the facts that add
 * attempts of their own (maillog lines, refused MAIL FROM).
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
	int64_t			 session;
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
		session = sqlite3_column_int64(s, 6);
		a->remote_id = model_sql_text(&it->arena, s, 7);
		if (model_cache_session(it, session, &a->session) == -1)
			return -1;
	}
	return rc == SQLITE_DONE ? 0 : model_sql_error(it->m);
}
