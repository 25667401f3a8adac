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
 * report_multi.c: owns a report over several databases (-d a.db -d
 * b.db, one per mail host): each section's query run on every database,
 * its rows kept with their host's name in table part of an in-memory
 * database, and the section's merge query over part giving the rows
 * shown (report_tab.c says, per section, what merging means).
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define REPORT_MULTI_INSERT \
	"INSERT INTO part VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?," \
	" ?, ?, ?, ?, ?)"

static int	report_multi_gather(struct report_ctx *,
		    const struct report_section *, struct host *);
static int	report_multi_keep(struct report_ctx *, sqlite3_stmt *, int,
		    const char *);
static int	report_multi_merged(const struct report_section *,
		    struct report_section *);

/* The in-memory database and its part table. */
int
report_multi_open(struct report_ctx *ctx)
{
	if (sqlite3_open_v2(":memory:", &ctx->merge, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(ctx->merge, REPORT_PART_TABLE, NULL, NULL,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ctx->merge, REPORT_MULTI_INSERT, -1, &ctx->ins,
	    NULL) != SQLITE_OK) {
		log_error("report: %s", ctx->merge != NULL ?
		    sqlite3_errmsg(ctx->merge) : "out of memory");
		return -1;
	}
	return 0;
}

void
report_multi_close(struct report_ctx *ctx)
{
	sqlite3_finalize(ctx->ins);
	sqlite3_close(ctx->merge);
	ctx->ins = NULL;
	ctx->merge = NULL;
}

/* One row of the query s (n columns) into part, with its host. */
static int
report_multi_keep(struct report_ctx *ctx, sqlite3_stmt *s, int n,
    const char *host)
{
	int	i, rc;

	sqlite3_reset(ctx->ins);
	sqlite3_clear_bindings(ctx->ins);
	rc = sqlite3_bind_text(ctx->ins, 1, host, -1, SQLITE_STATIC);
	for (i = 0; i < n && rc == SQLITE_OK; i++)
		rc = sqlite3_bind_value(ctx->ins, i + 2,
		    sqlite3_column_value(s, i));
	if (rc == SQLITE_OK)
		rc = sqlite3_step(ctx->ins);
	sqlite3_reset(ctx->ins);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Host h's rows of the section into part. */
static int
report_multi_gather(struct report_ctx *ctx, const struct report_section *sec,
    struct host *h)
{
	sqlite3_stmt	*s;
	int		 n, rc;

	ctx->db = h->db.h;
	ctx->path = h->path;
	if (sqlite3_prepare_v2(h->db.h, sec->part != NULL ? sec->part :
	    sec->sql, -1, &s, NULL) != SQLITE_OK)
		return report_run_error(ctx, sec);
	if ((n = sqlite3_column_count(s)) > REPORT_PART_COLS) {
		sqlite3_finalize(s);
		log_error("report %s: %d columns", sec->key, n);
		return -1;
	}
	if (report_run_bind(ctx, s) == -1) {
		report_run_error(ctx, sec);
		sqlite3_finalize(s);
		return -1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (report_multi_keep(ctx, s, n, h->name) == -1) {
			sqlite3_finalize(s);
			log_error("report %s: %s", sec->key,
			    sqlite3_errmsg(ctx->merge));
			return -1;
		}
	if (rc != SQLITE_DONE)
		report_run_error(ctx, sec);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The section as its merge query shows it: a host column first? */
static int
report_multi_merged(const struct report_section *sec,
    struct report_section *m)
{
	static const struct report_col	host = { "host", RT_TEXT, 0 };

	*m = *sec;
	m->sql = sec->merge;
	if (sec->merge == NULL) {
		log_error("report %s: no merge query", sec->key);
		return -1;
	}
	if (!sec->host)
		return 0;
	if (sec->cols[REPORT_COLS_MAX - 1].name != NULL) {
		log_error("report %s: no room for the host", sec->key);
		return -1;
	}
	memmove(&m->cols[1], &m->cols[0], (REPORT_COLS_MAX - 1) *
	    sizeof(m->cols[0]));
	m->cols[0] = host;
	return 0;
}

/* Every database's rows of the section, merged. */
int
report_multi_section(struct report_ctx *ctx, const struct report_section *sec,
    FILE *fp)
{
	struct report_section	 m;
	size_t			 i;

	if (report_multi_merged(sec, &m) == -1)
		return -1;
	if (sqlite3_exec(ctx->merge, "DELETE FROM part", NULL, NULL,
	    NULL) != SQLITE_OK) {
		log_error("report %s: %s", sec->key,
		    sqlite3_errmsg(ctx->merge));
		return -1;
	}
	for (i = 0; i < ctx->hs->n; i++)
		if (report_multi_gather(ctx, sec, &ctx->hs->h[i]) == -1)
			return -1;
	ctx->db = ctx->merge;
	ctx->path = NULL;
	return report_run_section(ctx, &m, fp);
}
