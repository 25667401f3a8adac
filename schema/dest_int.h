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
 * dest_int.h: the inside of dest.h, layered bottom up: dest_row.c (a
 * set's rows by key, what each try adds), dest_sql.c (the queries),
 * dest.c (the interface).
 */
#ifndef DEST_INT_H
#define DEST_INT_H

/* What a try or a failed session came to. */
enum dest_try {
	DEST_OK,
	DEST_DEFERRAL,
	DEST_FAILURE
};

/* dest_row.c */
void		 dest_row_index(struct dest_set *);
struct dest_row	*dest_row_find(const struct dest_set *, const char *);
struct dest_row	*dest_row_get(struct dest_set *, const char *, const char *);
void		 dest_row_try(struct dest_row *, enum dest_try, int64_t,
		    const char *, const char *);
void		 dest_row_session(struct dest_row *, int64_t, const char *);
void		 dest_row_ttd(struct dest_row *, int64_t);
void		 dest_row_done(struct dest_row *);
void		 dest_row_free(struct dest_row *);

/* dest_sql.c */
#define DEST_SQL_NWINDOWED 3
extern const char *const dest_sql_windowed[DEST_SQL_NWINDOWED];
int		 dest_sql_lives(struct sqlite3 *, int64_t, int64_t,
		    struct dest_set **);
int		 dest_sql_tries(struct sqlite3 *, int64_t, int64_t,
		    struct dest_set **);
int		 dest_sql_refusals(struct sqlite3 *, int64_t, int64_t,
		    struct dest_set *);

#endif
