/*
 * table.h: aligned text tables for people (report, sql).
 */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdio.h>

#define TABLE_COLS_MAX	32
#define TABLE_GAP	2	/* spaces between columns */
#define TABLE_MIN	8	/* a column is never cut narrower */

enum table_align {
	TABLE_LEFT,
	TABLE_RIGHT
};

struct table {
	size_t		 ncols;
	const char	*head[TABLE_COLS_MAX];
	enum table_align align[TABLE_COLS_MAX];
	int		 cut[TABLE_COLS_MAX];	/* may be cut to fit */
	size_t		 width[TABLE_COLS_MAX];
	char		**cells;		/* row-major, owned */
	size_t		 ncells, cap;
};

void	table_init(struct table *, size_t);
void	table_col(struct table *, size_t, const char *, enum table_align, int);
void	table_cell(struct table *, const char *);
size_t	table_rows(const struct table *);
void	table_fit(struct table *, size_t);
void	table_print(struct table *, FILE *, size_t, int);
void	table_free(struct table *);

#endif
