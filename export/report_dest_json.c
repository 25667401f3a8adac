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
 * report_dest_json.c: report destinations in the JSON document: a
 * section per grouping, an object per destination with every figure, its
 * classes and TLS versions; with --compare, "previous" (the same
 * figures of the window before, null for a destination absent then) and
 * "worse" (the names of the figures that got worse).  docs/json.md.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/dest.h"
#include "export.h"
#include "report_dest.h"

static void	report_dest_json_str(struct report_ctx *, cJSON *,
		    const char *, const char *);
static void	report_dest_json_classes(struct report_ctx *, cJSON *,
		    const struct dest_row *);
static cJSON	*report_dest_json_figs(struct report_ctx *, cJSON *,
		    const struct dest_row *);
static cJSON	*report_dest_json_row(struct report_ctx *,
		    const struct dest_set *, const struct dest_row *,
		    const struct dest_row *);

/* A string from the network, or null. */
static void
report_dest_json_str(struct report_ctx *ctx, cJSON *o, const char *key,
    const char *s)
{
	if (s == NULL)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, json_utf8(s, strlen(s),
		    &ctx->tmp));
}

/* "classes" and "tls_versions", most first. */
static void
report_dest_json_classes(struct report_ctx *ctx, cJSON *o,
    const struct dest_row *r)
{
	struct report_val	 v;
	cJSON			*a, *c;
	size_t			 i;

	a = cJSON_AddArrayToObject(o, "classes");
	for (i = 0; i < r->nclasses; i++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "class", r->classes[i].name);
		cJSON_AddNumberToObject(c, "deferrals",
		    (double)r->classes[i].deferrals);
		cJSON_AddNumberToObject(c, "failures",
		    (double)r->classes[i].failures);
		memset(&v, 0, sizeof(v));
		v.i = r->classes[i].t_last;
		cJSON_AddItemToObject(c, "last", report_fmt_json(ctx, RT_TIME,
		    &v));
		report_dest_json_str(ctx, c, "reply", r->classes[i].reply);
		cJSON_AddItemToArray(a, c);
	}
	a = cJSON_AddArrayToObject(o, "tls_versions");
	for (i = 0; i < r->nversions; i++) {
		c = cJSON_CreateObject();
		report_dest_json_str(ctx, c, "version", r->versions[i].version);
		cJSON_AddNumberToObject(c, "sessions",
		    (double)r->versions[i].sessions);
		cJSON_AddItemToArray(a, c);
	}
}

/* Every figure of r, its classes, versions, and last failure, into o. */
static cJSON *
report_dest_json_figs(struct report_ctx *ctx, cJSON *o,
    const struct dest_row *r)
{
	const struct report_dest_fig	*f;
	struct report_val		 v;

	for (f = report_dest_figs; f->key != NULL; f++) {
		report_dest_val(f, r, &v);
		cJSON_AddItemToObject(o, f->key, report_fmt_json(ctx, f->type,
		    &v));
	}
	if (r->fail_class != NULL)
		cJSON_AddStringToObject(o, "last_failure_class",
		    r->fail_class);
	else
		cJSON_AddNullToObject(o, "last_failure_class");
	report_dest_json_str(ctx, o, "last_failure_reply", r->fail_reply);
	report_dest_json_classes(ctx, o, r);
	return o;
}

/* The row's object: its key first, its figures, and the comparison. */
static cJSON *
report_dest_json_row(struct report_ctx *ctx, const struct dest_set *set,
    const struct dest_row *r, const struct dest_row *p)
{
	const struct report_dest_fig	*f;
	cJSON				*k, *w;

	k = cJSON_CreateObject();
	if (set->by == DEST_HOP) {
		report_dest_json_str(ctx, k, "next_hop", r->key);
		report_dest_json_str(ctx, k, "name", r->name);
	} else
		report_dest_json_str(ctx, k, "domain", r->key);
	report_dest_json_figs(ctx, k, r);
	if (!ctx->compare)
		return k;
	cJSON_AddItemToObject(k, "previous", p != NULL ?
	    report_dest_json_figs(ctx, cJSON_CreateObject(), p) :
	    cJSON_CreateNull());
	w = cJSON_AddArrayToObject(k, "worse");
	for (f = report_dest_figs; f->key != NULL; f++)
		if (report_dest_worse(f, r, p))
			cJSON_AddItemToArray(w, cJSON_CreateString(f->key));
	return k;
}

void
report_dest_json(struct report_ctx *ctx, const struct report_section *sec,
    const struct dest_set *cur, const struct dest_set *prev)
{
	cJSON	*o, *rows;
	size_t	 i, n;

	n = ctx->top > 0 && cur->n > ctx->top ? ctx->top : cur->n;
	rows = cJSON_CreateArray();
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(rows, report_dest_json_row(ctx, cur,
		    &cur->rows[i], dest_find(prev, cur->rows[i].key)));
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", sec->key);
	cJSON_AddStringToObject(o, "title", sec->title);
	cJSON_AddItemToObject(o, "rows", rows);
	cJSON_AddNumberToObject(o, "omitted", (double)(cur->n - n));
	cJSON_AddItemToArray(ctx->sections, o);
}
