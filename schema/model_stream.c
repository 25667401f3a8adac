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
 * model_stream.c: report events one at a time in the order received,
 * for export --events: a rowid range, narrowed by time and session
 * terms.  Other terms select lives, not events, and are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

struct model_stream {
	struct model		*m;
	sqlite3_stmt		*s;
	struct arena		 arena;
	struct model_event	 ev;
	int			 failed;
};

/* NULL with *bad set to the first term that does not select events. */
struct model_stream *
model_stream_open(struct model *m, const struct model_query *q,
    int64_t after, int64_t upto, const char **bad)
{
	struct model_stream	*st;
	struct buf		 sql = { NULL, 0, 0 };
	const char		*f, *head = "SELECT e.id, e.t_off, e.k_off, "
	    "e.m, e.x, e.raw, s.sid FROM event e LEFT JOIN session s "
	    "ON s.id = e.s "
	    "WHERE e.id > ?101 AND e.id <= ?102";
	char			 frag[96];
	size_t			 i;

	*bad = NULL;
	buf_set(&sql, head, strlen(head));
	for (i = 0; i < q->n; i++) {
		switch (q->terms[i].kind) {
		case TERM_SINCE:
			f = " AND e.t >= ?";
			break;
		case TERM_UNTIL:
			f = " AND e.t <= ?";
			break;
		case TERM_ID16:
			f = " AND e.s IN (SELECT id FROM session WHERE sid = ?";
			break;
		default:
			*bad = "";
			buf_free(&sql);
			return NULL;
		}
		/* Only the parameter number goes in: never a value. */
		snprintf(frag, sizeof(frag), "%s%zu%s", f, i + 1,
		    q->terms[i].kind == TERM_ID16 ? ")" : "");
		buf_append(&sql, frag, strlen(frag));
	}
	buf_append(&sql, " ORDER BY e.id", strlen(" ORDER BY e.id"));
	st = xcalloc(1, sizeof(*st));
	st->m = m;
	if (sqlite3_prepare_v2(m->db.h, sql.p, -1, &st->s, NULL) != SQLITE_OK) {
		model_sql_error(m);
		buf_free(&sql);
		free(st);
		return NULL;
	}
	buf_free(&sql);
	sqlite3_bind_int64(st->s, 101, after);
	sqlite3_bind_int64(st->s, 102, upto);
	for (i = 0; i < q->n; i++)
		sqlite3_bind_int64(st->s, (int)i + 1,
		    q->terms[i].kind == TERM_ID16 ? (int64_t)q->terms[i].id :
		    q->terms[i].t);
	return st;
}

/* The next event, valid until the next call; NULL at the end. */
const struct model_event *
model_stream_next(struct model_stream *st)
{
	int	rc;

	arena_reset(&st->arena);
	if ((rc = sqlite3_step(st->s)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE) {
			model_sql_error(st->m);
			st->failed = 1;
		}
		return NULL;
	}
	model_sql_event(st->s, &st->arena, &st->ev);
	st->ev.session = (uint64_t)sqlite3_column_int64(st->s, 6);
	return &st->ev;
}

int
model_stream_failed(const struct model_stream *st)
{
	return st->failed;
}

void
model_stream_close(struct model_stream *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->s);
	arena_free(&st->arena);
	free(st);
}
