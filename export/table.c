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
 * table.c: aligned text tables: columns left- or right-aligned, two
 * spaces apart, and, when a width is given, the widest text columns
 * cut (ending in "..") until the table fits.  Cells are printed as
 * given: callers escape what came from the network.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

void
table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols < TABLE_COLS_MAX ? ncols : TABLE_COLS_MAX;
}

void
table_col(struct table *t, size_t i, const char *head, enum table_align a,
    int cut)
{
	if (i >= t->ncols)
		return;
	t->head[i] = head;
	t->align[i] = a;
	t->cut[i] = cut;
}

/* Append one cell; rows fill left to right. */
void
table_cell(struct table *t, const char *s)
{
	t->cells = xgrow(t->cells, t->ncells, &t->cap, 64, sizeof(*t->cells));
	t->cells[t->ncells++] = xstrdup(s != NULL ? s : "");
}

size_t
table_rows(const struct table *t)
{
	return t->ncols ? t->ncells / t->ncols : 0;
}

static size_t
table_total(const struct table *t)
{
	size_t	i, sum = 0;

	for (i = 0; i < t->ncols; i++)
		sum += t->width[i];
	return sum + (t->ncols > 0 ? (t->ncols - 1) * TABLE_GAP : 0);
}

/*
 * Each column as wide as its widest cell; then, while the table is
 * wider than max (0: no limit), the widest column that may be cut
 * loses what is too much, down to TABLE_MIN or its heading.
 */
void
table_fit(struct table *t, size_t max)
{
	size_t	i, w, total, best, floor;

	for (i = 0; i < t->ncols; i++)
		t->width[i] = t->head[i] ? strlen(t->head[i]) : 0;
	for (i = 0; i < t->ncells; i++)
		if ((w = strlen(t->cells[i])) > t->width[i % t->ncols])
			t->width[i % t->ncols] = w;
	while (max > 0 && (total = table_total(t)) > max) {
		best = t->ncols;
		for (i = 0; i < t->ncols; i++) {
			floor = t->head[i] && strlen(t->head[i]) > TABLE_MIN ?
			    strlen(t->head[i]) : TABLE_MIN;
			if (t->cut[i] && t->width[i] > floor &&
			    (best == t->ncols || t->width[i] > t->width[best]))
				best = i;
		}
		if (best == t->ncols)
			break;
		floor = t->head[best] && strlen(t->head[best]) > TABLE_MIN ?
		    strlen(t->head[best]) : TABLE_MIN;
		w = t->width[best] - floor;
		t->width[best] -= w < total - max ? w : total - max;
	}
}

/* One cell padded (or cut) to the column's width. */
static void
table_put(const struct table *t, size_t i, const char *s, int last, FILE *fp)
{
	size_t	len = strlen(s), w = t->width[i];

	if (len > w) {
		fprintf(fp, "%.*s..", (int)(w - 2), s);
		return;
	}
	if (t->align[i] == TABLE_RIGHT)
		fprintf(fp, "%*s", (int)w, s);
	else if (last)
		fputs(s, fp);
	else
		fprintf(fp, "%-*s", (int)w, s);
}

/* Headings (if heads), then the rows, indented by indent spaces. */
void
table_print(struct table *t, FILE *fp, size_t indent, int heads)
{
	size_t	i, j, n = table_rows(t);

	for (j = heads ? 0 : 1; j <= n; j++) {
		fprintf(fp, "%*s", (int)indent, "");
		for (i = 0; i < t->ncols; i++) {
			if (i > 0)
				fprintf(fp, "%*s", TABLE_GAP, "");
			table_put(t, i, j == 0 ? (t->head[i] ? t->head[i] :
			    "") : t->cells[(j - 1) * t->ncols + i],
			    i + 1 == t->ncols, fp);
		}
		fputc('\n', fp);
	}
}

void
table_free(struct table *t)
{
	size_t	i;

	for (i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->ncells = t->cap = 0;
}
