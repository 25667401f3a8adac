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
 * report_dest_text.c: report destinations as text: the rows by trouble,
 * their classes with the latest reply, their last success and failure.
 * With --compare a figure reads "now/before", and "*" marks one that got
 * worse.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/dest.h"
#include "export.h"
#include "report_dest.h"

static size_t	report_dest_text_shown(struct report_ctx *,
		    const struct dest_set *);
static void	report_dest_text_end(struct table *, size_t, FILE *);
static void	report_dest_text_key(struct report_ctx *,
		    const struct dest_row *, struct table *);
static void	report_dest_text_fig(struct report_ctx *,
		    const struct report_dest_fig *, const struct dest_row *,
		    const struct dest_row *, struct table *);
static void	report_dest_text_rows(struct report_ctx *, const char *, int,
		    const struct dest_set *, const struct dest_set *, FILE *);
static void	report_dest_text_count(struct report_ctx *, int64_t,
		    const struct dest_class *, int, struct table *);
static void	report_dest_text_class(struct report_ctx *,
		    const struct dest_row *, const struct dest_class *,
		    const struct dest_row *, struct table *);
static void	report_dest_text_classes(struct report_ctx *,
		    const struct dest_set *, const struct dest_set *, FILE *);
static void	report_dest_text_last(struct report_ctx *,
		    const struct dest_set *, FILE *);

/* How many rows --top lets through. */
static size_t
report_dest_text_shown(struct report_ctx *ctx, const struct dest_set *set)
{
	return ctx->top > 0 && set->n > ctx->top ? ctx->top : set->n;
}

static void
report_dest_text_end(struct table *t, size_t more, FILE *fp)
{
	if (table_rows(t) == 0)
		fprintf(fp, "  (none)\n");
	else {
		table_fit(t, REPORT_WIDTH - 2);
		table_print(t, fp, 2, 1);
	}
	if (more > 0)
		fprintf(fp, "  (%zu more; --top 0 shows all)\n", more);
	fputc('\n', fp);
	table_free(t);
}

/*
 * The row's key cell: the domain, or the next hop's address after its
 * name when the name is not the address.
 */
static void
report_dest_text_key(struct report_ctx *ctx, const struct dest_row *r,
    struct table *t)
{
	struct buf	 b;
	size_t		 len = strcspn(r->key, ":");

	if (*r->key == '\0') {
		table_cell(t, "(unknown)");
		return;
	}
	memset(&b, 0, sizeof(b));
	if (r->name != NULL && (strlen(r->name) != len ||
	    strncmp(r->name, r->key, len) != 0)) {
		buf_append(&b, r->name, strlen(r->name));
		buf_append(&b, " ", 1);
	}
	buf_append(&b, r->key, strlen(r->key));
	table_cell(t, buf_escape(&ctx->tmp, b.p, b.len));
	buf_free(&b);
}

/* One figure's cell: "now", or with --compare "now/before", "*" worse. */
static void
report_dest_text_fig(struct report_ctx *ctx, const struct report_dest_fig *f,
    const struct dest_row *r, const struct dest_row *p, struct table *t)
{
	struct report_val	 v;
	const char		*now, *then;
	char			 a[64], b[64], cell[160];

	/* Figures are numbers and times: a and b hold them, or "-". */
	report_dest_val(f, r, &v);
	now = report_fmt_text(ctx, f->type, &v, a, sizeof(a));
	if (!ctx->compare) {
		table_cell(t, now);
		return;
	}
	report_dest_val(f, p, &v);
	then = report_fmt_text(ctx, f->type, &v, b, sizeof(b));
	snprintf(cell, sizeof(cell), "%s/%s%s", now, then,
	    report_dest_worse(f, r, p) ? "*" : "");
	table_cell(t, cell);
}

static void
report_dest_text_rows(struct report_ctx *ctx, const char *title, int table,
    const struct dest_set *cur, const struct dest_set *prev, FILE *fp)
{
	const struct report_dest_fig	*f;
	const struct dest_row		*r;
	struct table			 t;
	size_t				 i, n = 1, k = 1;

	for (f = report_dest_figs; f->key != NULL; f++)
		n += f->table == table;
	table_init(&t, n);
	table_col(&t, 0, cur->by == DEST_HOP ? "next hop" : "domain",
	    TABLE_LEFT, 0);
	for (f = report_dest_figs; f->key != NULL; f++)
		if (f->table == table)
			table_col(&t, k++, f->head, TABLE_RIGHT, 0);
	for (i = 0; i < report_dest_text_shown(ctx, cur); i++) {
		r = &cur->rows[i];
		report_dest_text_key(ctx, r, &t);
		for (f = report_dest_figs; f->key != NULL; f++)
			if (f->table == table)
				report_dest_text_fig(ctx, f, r,
				    dest_find(prev, r->key), &t);
	}
	fprintf(fp, "%s\n", title);
	report_dest_text_end(&t, cur->n - report_dest_text_shown(ctx, cur),
	    fp);
}

/* A count, and with --compare "/before", "*" when more. */
static void
report_dest_text_count(struct report_ctx *ctx, int64_t n,
    const struct dest_class *pc, int failures, struct table *t)
{
	char	cell[64];
	int64_t	b;

	if (!ctx->compare) {
		snprintf(cell, sizeof(cell), "%lld", (long long)n);
		table_cell(t, cell);
		return;
	}
	b = pc == NULL ? 0 : failures ? pc->failures : pc->deferrals;
	snprintf(cell, sizeof(cell), "%lld/%lld%s", (long long)n,
	    (long long)b, n > b ? "*" : "");
	table_cell(t, cell);
}

/* One class of row r, with p's of that class (NULL: none). */
static void
report_dest_text_class(struct report_ctx *ctx, const struct dest_row *r,
    const struct dest_class *c, const struct dest_row *p, struct table *t)
{
	const struct dest_class	*pc = NULL;
	char			 when[40];
	size_t			 k;

	for (k = 0; p != NULL && k < p->nclasses; k++)
		if (strcmp(p->classes[k].name, c->name) == 0)
			pc = &p->classes[k];
	report_dest_text_key(ctx, r, t);
	table_cell(t, c->name);
	report_dest_text_count(ctx, c->deferrals, pc, 0, t);
	report_dest_text_count(ctx, c->failures, pc, 1, t);
	report_fmt_stamp(c->t_last, 0, when, sizeof(when));
	table_cell(t, when);
	table_cell(t, c->reply != NULL ? buf_escape(&ctx->tmp, c->reply,
	    strlen(c->reply)) : "-");
}

/* The classes of the rows shown, most first. */
static void
report_dest_text_classes(struct report_ctx *ctx, const struct dest_set *cur,
    const struct dest_set *prev, FILE *fp)
{
	const struct dest_row	*r;
	struct table		 t;
	size_t			 i, j;

	table_init(&t, 6);
	table_col(&t, 0, cur->by == DEST_HOP ? "next hop" : "domain",
	    TABLE_LEFT, 0);
	table_col(&t, 1, "class", TABLE_LEFT, 0);
	table_col(&t, 2, "deferrals", TABLE_RIGHT, 0);
	table_col(&t, 3, "failures", TABLE_RIGHT, 0);
	table_col(&t, 4, "last", TABLE_LEFT, 0);
	table_col(&t, 5, "latest reply", TABLE_LEFT, 1);
	for (i = 0; i < report_dest_text_shown(ctx, cur); i++) {
		r = &cur->rows[i];
		for (j = 0; j < r->nclasses; j++)
			report_dest_text_class(ctx, r, &r->classes[j],
			    dest_find(prev, r->key), &t);
	}
	fprintf(fp, "Deferrals and failures by class, with the latest "
	    "reply\n");
	report_dest_text_end(&t, 0, fp);
}

/* The last success and the last failure of the rows shown. */
static void
report_dest_text_last(struct report_ctx *ctx, const struct dest_set *cur,
    FILE *fp)
{
	const struct dest_row	*r;
	struct table		 t;
	char			 a[40], b[40];
	size_t			 i;

	table_init(&t, 5);
	table_col(&t, 0, cur->by == DEST_HOP ? "next hop" : "domain",
	    TABLE_LEFT, 0);
	table_col(&t, 1, "last success", TABLE_LEFT, 0);
	table_col(&t, 2, "last failure", TABLE_LEFT, 0);
	table_col(&t, 3, "class", TABLE_LEFT, 0);
	table_col(&t, 4, "reply", TABLE_LEFT, 1);
	for (i = 0; i < report_dest_text_shown(ctx, cur); i++) {
		r = &cur->rows[i];
		report_fmt_stamp(r->t_ok, 0, a, sizeof(a));
		report_fmt_stamp(r->t_fail, 0, b, sizeof(b));
		report_dest_text_key(ctx, r, &t);
		table_cell(&t, r->t_ok != 0 ? a : "-");
		table_cell(&t, r->t_fail != 0 ? b : "-");
		table_cell(&t, r->fail_class != NULL ? r->fail_class : "-");
		table_cell(&t, r->fail_reply != NULL ? buf_escape(&ctx->tmp,
		    r->fail_reply, strlen(r->fail_reply)) : "-");
	}
	fprintf(fp, "Last success and last failure\n");
	report_dest_text_end(&t, 0, fp);
}

void
report_dest_text(struct report_ctx *ctx, const struct report_section *sec,
    const struct dest_set *cur, const struct dest_set *prev, FILE *fp)
{
	char	title[200];

	snprintf(title, sizeof(title), "%s: envelopes received", sec->title);
	report_dest_text_rows(ctx, title, 1, cur, prev, fp);
	snprintf(title, sizeof(title), "%s: tries", sec->title);
	report_dest_text_rows(ctx, title, 2, cur, prev, fp);
	report_dest_text_classes(ctx, cur, prev, fp);
	report_dest_text_last(ctx, cur, fp);
}
