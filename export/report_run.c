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
 * report_run.c: one report section run: its query bound to the
 * window, its rows cut at --top, shown as an aligned table (or name
 * and value lines) or added to the JSON document; percentile sections
 * gather each group's values and rank the groups by count.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

#define REPORT_RUN_PCTL_ALL	"(all)"

struct report_run_group {
	char		*name;
	int64_t		*v;
	size_t		 n, cap;
};

struct report_run_groups {
	struct report_run_group	*g;
	size_t		 n, cap;
	struct report_run_group	 all;
	size_t		*slot;		/* 1 + index in g by name's hash */
	size_t		 nslot;		/* 0 or a power of 2 */
};

static size_t	report_run_ncols(const struct report_section *);
static void	report_run_head(const struct report_section *, struct table *);
static int	report_run_rows(struct report_ctx *,
		    const struct report_section *,
		    sqlite3_stmt *, FILE *);
static void	report_run_emit(struct report_ctx *,
		    const struct report_section *,
		    struct table *, cJSON *, const struct report_val *);
static void	report_run_end(struct report_ctx *,
		    const struct report_section *,
		    struct table *, cJSON *, size_t, FILE *);
static int	report_run_pctl(struct report_ctx *,
		    const struct report_section *,
		    sqlite3_stmt *, FILE *);
static void	report_run_push(struct report_run_group *, int64_t);
static int	report_run_pctl_read(sqlite3_stmt *,
		    struct report_run_groups *);
static void	report_run_pctl_free(struct report_run_groups *);
static int	report_run_cmp_value(const void *, const void *);
static int	report_run_cmp_group(const void *, const void *);
static struct report_run_group *report_run_pctl_group(
		    struct report_run_groups *, const char *);
static void	report_run_pctl_row(struct report_ctx *,
		    const struct report_section *,
		    struct table *, cJSON *, struct report_run_group *);

static size_t
report_run_ncols(const struct report_section *sec)
{
	size_t	n = 0;

	while (n < REPORT_COLS_MAX && sec->cols[n].name != NULL)
		n++;
	return n;
}

/* ?1 since, ?2 until, ?3 now, ?4 bucket: those the query uses. */
int
report_run_bind(struct report_ctx *ctx, sqlite3_stmt *s)
{
	int64_t	p[4];
	int	i, n = sqlite3_bind_parameter_count(s);

	p[0] = ctx->since;
	p[1] = ctx->until;
	p[2] = ctx->now;
	p[3] = ctx->bucket;
	for (i = 1; i <= n && i <= 4; i++)
		if (sqlite3_bind_int64(s, i, p[i - 1]) != SQLITE_OK)
			return -1;
	return 0;
}

/* "DB: report SECTION: what SQLite said"; -1. */
int
report_run_error(struct report_ctx *ctx, const struct report_section *sec)
{
	if (ctx->path != NULL)
		log_error("%s: report %s: %s", ctx->path, sec->key,
		    sqlite3_errmsg(ctx->db));
	else
		log_error("report %s: %s", sec->key,
		    sqlite3_errmsg(ctx->db));
	return -1;
}

/* The visible columns' headings and alignment. */
static void
report_run_head(const struct report_section *sec, struct table *t)
{
	const struct report_col	*c;
	size_t			 i, n = report_run_ncols(sec), k = 0;
	int			 text;

	for (i = 0; i < n; i++)
		if (!sec->cols[i].hide)
			k++;
	table_init(t, sec->kind == RK_RECORD ? 2 : k);
	if (sec->kind == RK_RECORD) {
		table_col(t, 0, NULL, TABLE_LEFT, 0);
		table_col(t, 1, NULL, TABLE_RIGHT, 0);
		return;
	}
	for (i = 0, k = 0; i < n; i++) {
		c = &sec->cols[i];
		if (c->hide)
			continue;
		text = c->type == RT_TEXT || c->type == RT_ADDR;
		table_col(t, k++, c->name, text || c->type == RT_TIME ||
		    c->type == RT_BUCKET || c->type == RT_HEX16 ? TABLE_LEFT :
		    TABLE_RIGHT, text);
	}
}

int
report_run_section(struct report_ctx *ctx, const struct report_section *sec,
    FILE *fp)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(ctx->db, sec->sql, -1, &s, NULL) != SQLITE_OK)
		return report_run_error(ctx, sec);
	if (report_run_bind(ctx, s) == -1) {
		report_run_error(ctx, sec);
		sqlite3_finalize(s);
		return -1;
	}
	if (sec->kind == RK_PCTL)
		rc = report_run_pctl(ctx, sec, s, fp);
	else
		rc = report_run_rows(ctx, sec, s, fp);
	sqlite3_finalize(s);
	return rc;
}

/* One row: to the table, or as an object to rows. */
static void
report_run_emit(struct report_ctx *ctx, const struct report_section *sec,
    struct table *t, cJSON *rows, const struct report_val *v)
{
	const struct report_col	*c;
	cJSON			*o = NULL;
	char			 buf[64];
	size_t			 i, n = report_run_ncols(sec);

	if (ctx->json) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(rows, o);
	}
	for (i = 0; i < n; i++) {
		c = &sec->cols[i];
		if (ctx->json)
			cJSON_AddItemToObject(o, c->name,
			    report_fmt_json(ctx, c->type, &v[i]));
		else if (sec->kind == RK_RECORD) {
			table_cell(t, c->name);
			table_cell(t, report_fmt_text(ctx, c->type, &v[i], buf,
			    sizeof(buf)));
		} else if (!c->hide)
			table_cell(t, report_fmt_text(ctx, c->type, &v[i], buf,
			    sizeof(buf)));
	}
}

/* The section done: printed, or added to the document. */
static void
report_run_end(struct report_ctx *ctx, const struct report_section *sec,
    struct table *t, cJSON *rows, size_t more, FILE *fp)
{
	cJSON	*o;
	size_t	 i;
	char	*p;

	if (ctx->json) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", sec->key);
		cJSON_AddStringToObject(o, "title", sec->title);
		cJSON_AddItemToObject(o, "rows", rows);
		cJSON_AddNumberToObject(o, "omitted", (double)more);
		cJSON_AddItemToArray(ctx->sections, o);
		table_free(t);
		return;
	}
	cJSON_Delete(rows);
	fprintf(fp, "%s%s\n", sec->title, sec->cols[0].type != RT_BUCKET ? "" :
	    ctx->bucket >= REPORT_DAY ? " per day (UTC)" : " per hour (UTC)");
	if (sec->kind == RK_RECORD)
		for (i = 0; i < t->ncells; i += 2)
			for (p = t->cells[i]; *p != '\0'; p++)
				if (*p == '_')
					*p = ' ';
	if (table_rows(t) == 0)
		fprintf(fp, "  (none)\n");
	else {
		table_fit(t, REPORT_WIDTH - 2);
		table_print(t, fp, 2, sec->kind != RK_RECORD);
	}
	if (more > 0)
		fprintf(fp, "  (%zu more; --top 0 shows all)\n", more);
	fputc('\n', fp);
	table_free(t);
}

static int
report_run_rows(struct report_ctx *ctx, const struct report_section *sec,
    sqlite3_stmt *s, FILE *fp)
{
	struct report_val	 v[REPORT_COLS_MAX];
	struct table		 t;
	cJSON			*rows = cJSON_CreateArray();
	size_t			 i, n = report_run_ncols(sec), nrows, more;
	int			 rc;

	nrows = more = 0;
	report_run_head(sec, &t);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!sec->all && ctx->top > 0 && nrows >= ctx->top) {
			more++;
			continue;
		}
		for (i = 0; i < n; i++)
			report_fmt_val(&v[i], s, (int)i);
		report_run_emit(ctx, sec, &t, rows, v);
		nrows++;
	}
	if (rc != SQLITE_DONE) {
		report_run_error(ctx, sec);
		table_free(&t);
		cJSON_Delete(rows);
		return -1;
	}
	report_run_end(ctx, sec, &t, rows, more, fp);
	return 0;
}

static void
report_run_push(struct report_run_group *g, int64_t v)
{
	g->v = xgrow(g->v, g->n, &g->cap, 16, sizeof(*g->v));
	g->v[g->n++] = v;
}

static int
report_run_cmp_value(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Most values first, then by name. */
static int
report_run_cmp_group(const void *a, const void *b)
{
	const struct report_run_group *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* A group's row: name, count, p50, p95, p99, max. */
static void
report_run_pctl_row(struct report_ctx *ctx, const struct report_section *sec,
    struct table *t, cJSON *rows, struct report_run_group *g)
{
	struct report_val	v[6];
	static const int	p[3] = { 50, 95, 99 };
	int			i;

	memset(v, 0, sizeof(v));
	v[0].s = g->name;
	v[0].len = strlen(g->name);
	v[1].i = (int64_t)g->n;
	for (i = 0; i < 3; i++)
		v[2 + i].i = util_pctl(g->v, g->n, p[i]);
	v[5].i = g->n > 0 ? g->v[g->n - 1] : 0;
	report_run_emit(ctx, sec, t, rows, v);
}

/* The group of that name, made if new (open addressing on its hash). */
static struct report_run_group *
report_run_pctl_group(struct report_run_groups *pc, const char *name)
{
	struct report_run_group	*g;
	size_t			 i, k;

	if (2 * (pc->n + 1) > pc->nslot) {
		free(pc->slot);
		pc->nslot = pc->nslot == 0 ? 64 : 2 * pc->nslot;
		pc->slot = xcalloc(pc->nslot, sizeof(*pc->slot));
		for (k = 0; k < pc->n; k++) {
			i = util_hash(UTIL_HASH_INIT, pc->g[k].name,
			    strlen(pc->g[k].name)) & (pc->nslot - 1);
			while (pc->slot[i] != 0)
				i = (i + 1) & (pc->nslot - 1);
			pc->slot[i] = k + 1;
		}
	}
	i = util_hash(UTIL_HASH_INIT, name, strlen(name)) &
	    (pc->nslot - 1);
	for (; pc->slot[i] != 0; i = (i + 1) & (pc->nslot - 1))
		if (strcmp(pc->g[pc->slot[i] - 1].name, name) == 0)
			return &pc->g[pc->slot[i] - 1];
	pc->g = xgrow(pc->g, pc->n, &pc->cap, 16, sizeof(*pc->g));
	g = &pc->g[pc->n++];
	memset(g, 0, sizeof(*g));
	g->name = xstrdup(name);
	pc->slot[i] = pc->n;
	return g;
}

/*
 * Rows (group, value) in any order, into groups, each group's values
 * sorted here: a fraction of what SQLite's sorter costs for the rows.
 */
static int
report_run_pctl_read(sqlite3_stmt *s, struct report_run_groups *pc)
{
	struct report_run_group	*g;
	const char	*name;
	size_t		 i;
	int		 rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_type(s, 1) == SQLITE_NULL)
			continue;
		name = (const char *)sqlite3_column_text(s, 0);
		g = report_run_pctl_group(pc, name != NULL ? name : "");
		report_run_push(g, sqlite3_column_int64(s, 1));
		report_run_push(&pc->all, sqlite3_column_int64(s, 1));
	}
	for (i = 0; i < pc->n; i++)
		qsort(pc->g[i].v, pc->g[i].n, sizeof(*pc->g[i].v),
		    report_run_cmp_value);
	return rc;
}

static void
report_run_pctl_free(struct report_run_groups *pc)
{
	size_t	i;

	for (i = 0; i < pc->n; i++) {
		free(pc->g[i].name);
		free(pc->g[i].v);
	}
	free(pc->g);
	free(pc->slot);
	free(pc->all.name);
	free(pc->all.v);
}

/* The "(all)" row first, then the groups with the most values. */
static int
report_run_pctl(struct report_ctx *ctx, const struct report_section *sec,
    sqlite3_stmt *s, FILE *fp)
{
	struct report_run_groups pc;
	struct table	 t;
	cJSON		*rows = cJSON_CreateArray();
	size_t		 i, more = 0;
	int		 rc;

	memset(&pc, 0, sizeof(pc));
	rc = report_run_pctl_read(s, &pc);
	report_run_head(sec, &t);
	if (rc == SQLITE_DONE) {
		pc.all.name = xstrdup(REPORT_RUN_PCTL_ALL);
		if (pc.n > 0) {
			qsort(pc.all.v, pc.all.n, sizeof(*pc.all.v),
			    report_run_cmp_value);
			qsort(pc.g, pc.n, sizeof(*pc.g), report_run_cmp_group);
			report_run_pctl_row(ctx, sec, &t, rows, &pc.all);
		}
		for (i = 0; i < pc.n; i++)
			if (ctx->top == 0 || i < ctx->top)
				report_run_pctl_row(ctx, sec, &t, rows,
				    &pc.g[i]);
			else
				more++;
		report_run_end(ctx, sec, &t, rows, more, fp);
	} else {
		report_run_error(ctx, sec);
		table_free(&t);
		cJSON_Delete(rows);
	}
	report_run_pctl_free(&pc);
	return rc == SQLITE_DONE ? 0 : -1;
}
