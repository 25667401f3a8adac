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
 * test_report.c: the pure parts of mailtrail report: aligned tables cut
 * to a width, sizes, UTC times and buckets, nearest-rank percentiles,
 * and the table of reports itself (every section's query prepares on
 * a database store_open() made, and names as many columns as it shows;
 * its merge over several databases prepares on the part table, and
 * gives the columns shown).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "schema/model.h"
#include "export/export.h"
#include "test.h"

static void	test_table(void);
static void	test_table_cut(void);
static void	test_bytes(void);
static void	test_stamp(void);
static void	test_pctl(void);
static sqlite3	*fresh_db(char *, struct db *);
static void	test_sections(void);
static size_t	sec_ncols(const struct report_section *);
static void	test_merge_one(const struct report_def *,
		    const struct report_section *, sqlite3 *, sqlite3 *);
static void	test_merge(void);

/* Print t into a string (freed by the caller). */
static char *
render(struct table *t, size_t width, int heads)
{
	char	*p = NULL;
	size_t	 n = 0;
	FILE	*fp = open_memstream(&p, &n);

	table_fit(t, width);
	table_print(t, fp, 0, heads);
	fclose(fp);
	return p;
}

static void
test_table(void)
{
	struct table	 t;
	char		*s;

	table_init(&t, 3);
	table_col(&t, 0, "domain", TABLE_LEFT, 1);
	table_col(&t, 1, "n", TABLE_RIGHT, 0);
	table_col(&t, 2, "reply", TABLE_LEFT, 1);
	table_cell(&t, "example.org");
	table_cell(&t, "7");
	table_cell(&t, "250 ok");
	table_cell(&t, "a.test");
	table_cell(&t, "1234");
	table_cell(&t, NULL);
	CHECK(table_rows(&t) == 2);
	s = render(&t, 0, 1);
	CHECK_MSG(strcmp(s, "domain          n  reply\n"
	    "example.org     7  250 ok\n"
	    "a.test       1234  \n") == 0, "got\n%s", s);
	free(s);
	s = render(&t, 0, 0);
	CHECK(strncmp(s, "example.org", 11) == 0);
	free(s);
	table_free(&t);
}

/* The widest column that may be cut goes first, never below 8. */
static void
test_table_cut(void)
{
	struct table	 t;
	char		*s, *line;
	size_t		 w;

	table_init(&t, 3);
	table_col(&t, 0, "a", TABLE_LEFT, 1);
	table_col(&t, 1, "b", TABLE_LEFT, 1);
	table_col(&t, 2, "count", TABLE_RIGHT, 0);
	table_cell(&t, "0123456789abcdefghij");
	table_cell(&t, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	table_cell(&t, "123456");
	s = render(&t, 40, 1);
	line = strchr(s, '\n') + 1;
	w = strcspn(line, "\n");
	CHECK_MSG(w == 40, "width %zu: %s", w, line);
	CHECK(strcmp(line, "0123456789abcdefghij  01234567..  123456\n") == 0);
	CHECK(strstr(line, "  123456\n") != NULL);
	free(s);
	s = render(&t, 10, 1);	/* cannot: both cut to 8, count kept */
	CHECK_MSG(strstr(s, "012345..  012345..  123456") != NULL, "%s", s);
	free(s);
	table_free(&t);
}

/* A size as a report shows it (RT_BYTES). */
static const char *
bytes(int64_t n, char *b, size_t sz)
{
	struct report_ctx	ctx;
	struct report_val	v;

	memset(&ctx, 0, sizeof(ctx));
	memset(&v, 0, sizeof(v));
	v.i = n;
	return report_fmt_text(&ctx, RT_BYTES, &v, b, sz);
}

static void
test_bytes(void)
{
	char	b[16];

	CHECK(strcmp(bytes(0, b, sizeof(b)), "0") == 0);
	CHECK(strcmp(bytes(1023, b, sizeof(b)), "1023") == 0);
	CHECK(strcmp(bytes(1024, b, sizeof(b)), "1.0K") == 0);
	CHECK(strcmp(bytes(7762, b, sizeof(b)), "7.6K") == 0);
	CHECK(strcmp(bytes(33 * 1048576LL + 1, b, sizeof(b)), "33M") == 0);
	CHECK(strcmp(bytes(5LL << 40, b, sizeof(b)), "5.0T") == 0);
}

static void
test_stamp(void)
{
	char	b[32];
	int64_t	t = 1795464487069830LL;	/* 2026-11-23T20:08:07.069830Z */

	report_fmt_stamp(t, 0, b, sizeof(b));
	CHECK(strcmp(b, "2026-11-23 20:08:07") == 0);
	report_fmt_stamp(t, 1, b, sizeof(b));
	CHECK(strcmp(b, "2026-11-23 20:08") == 0);
	report_fmt_stamp(t, 2, b, sizeof(b));
	CHECK(strcmp(b, "2026-11-23") == 0);
	report_fmt_stamp(-1, 0, b, sizeof(b));
	CHECK(strcmp(b, "1969-12-31 23:59:59") == 0);
}

static void
test_pctl(void)
{
	int64_t	v[100];
	int	i;

	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	CHECK(util_pctl(v, 100, 50) == 50);
	CHECK(util_pctl(v, 100, 95) == 95);
	CHECK(util_pctl(v, 100, 99) == 99);
	CHECK(util_pctl(v, 1, 99) == 1);
	CHECK(util_pctl(v, 3, 50) == 2);	/* rank ceil(1.5) = 2 */
	CHECK(util_pctl(v, 3, 95) == 3);
	CHECK(util_pctl(v, 0, 50) == 0);
	CHECK(util_pctl(v, 20, 95) == 19);	/* rank 19 */
}

/*
 * Every section prepares on a fresh schema, binds at most ?1..?4, and
 * returns at least the columns it names.
 */
/*
 * A database store_open() made at path (a mkstemp() template), opened
 * in d as the reports open it (its views made).
 */
static sqlite3 *
fresh_db(char *path, struct db *d)
{
	struct store	*st;
	char		*err;
	int		 fd;

	CHECK((fd = mkstemp(path)) != -1);
	close(fd);
	CHECK((st = store_open(path, 1000, &err)) != NULL);
	store_close(st);
	CHECK(sql_open(d, path) == 0);
	return d->h;
}

static size_t
sec_ncols(const struct report_section *sec)
{
	size_t	n = 0;

	while (n < REPORT_COLS_MAX && sec->cols[n].name != NULL)
		n++;
	return n;
}

static void
test_sections(void)
{
	const struct report_def		*r;
	const struct report_section	*sec;
	struct db			 d;
	sqlite3				*db;
	sqlite3_stmt			*s;
	size_t				 ncols;
	char				 path[] = "/tmp/test_report.XXXXXX";

	db = fresh_db(path, &d);
	for (r = report_tab_list; r->name != NULL; r++)
		for (sec = r->sections; sec->key != NULL; sec++) {
			if (sec->kind == RK_DEST)
				continue;	/* C, not SQL: t-dest.sh */
			ncols = sec_ncols(sec);
			s = NULL;
			CHECK_MSG(sqlite3_prepare_v2(db, sec->sql, -1, &s,
			    NULL) == SQLITE_OK, "%s %s: %s", r->name, sec->key,
			    sqlite3_errmsg(db));
			if (s == NULL)
				continue;
			CHECK_MSG(sqlite3_bind_parameter_count(s) <= 4,
			    "%s %s", r->name, sec->key);
			if (sec->kind == RK_PCTL)
				CHECK(sqlite3_column_count(s) == 2 &&
				    ncols == 6);
			else
				CHECK_MSG((size_t)sqlite3_column_count(s) >=
				    ncols, "%s %s: %d columns, %zu named",
				    r->name, sec->key, sqlite3_column_count(s),
				    ncols);
			sqlite3_finalize(s);
		}
	db_close(&d);
	unlink(path);
}

/*
 * One section over several databases: its part query (else its query)
 * fits the part table, and its merge gives the columns shown, a host
 * column first if it says so.
 */
static void
test_merge_one(const struct report_def *r, const struct report_section *sec,
    sqlite3 *db, sqlite3 *mem)
{
	sqlite3_stmt	*s = NULL;
	size_t		 want;

	if (sec->kind == RK_DEST)
		return;		/* merged in C: t-dest.sh */
	CHECK_MSG(sec->merge != NULL, "%s %s: no merge", r->name, sec->key);
	if (sec->merge == NULL)
		return;
	CHECK_MSG(sqlite3_prepare_v2(db, sec->part != NULL ? sec->part :
	    sec->sql, -1, &s, NULL) == SQLITE_OK, "%s %s: %s", r->name,
	    sec->key, sqlite3_errmsg(db));
	CHECK_MSG(s != NULL && sqlite3_column_count(s) <= REPORT_PART_COLS &&
	    sqlite3_bind_parameter_count(s) <= 4, "%s %s", r->name, sec->key);
	sqlite3_finalize(s);
	s = NULL;
	CHECK_MSG(sqlite3_prepare_v2(mem, sec->merge, -1, &s, NULL) ==
	    SQLITE_OK, "%s %s: %s", r->name, sec->key, sqlite3_errmsg(mem));
	want = sec->kind == RK_PCTL ? 2 : sec_ncols(sec) + (sec->host != 0);
	CHECK_MSG(s != NULL && (size_t)sqlite3_column_count(s) == want &&
	    sqlite3_bind_parameter_count(s) == 0, "%s %s: %d columns, %zu "
	    "wanted", r->name, sec->key, s ? sqlite3_column_count(s) : -1,
	    want);
	CHECK_MSG(!sec->host || sec_ncols(sec) < REPORT_COLS_MAX,
	    "%s %s: no room for the host", r->name, sec->key);
	sqlite3_finalize(s);
}

static void
test_merge(void)
{
	const struct report_def		*r;
	const struct report_section	*sec;
	struct db			 d;
	sqlite3				*db, *mem = NULL;
	char				 path[] = "/tmp/test_report.XXXXXX";

	db = fresh_db(path, &d);
	CHECK(sqlite3_open(":memory:", &mem) == SQLITE_OK);
	CHECK(sqlite3_exec(mem, REPORT_PART_TABLE, NULL, NULL, NULL) ==
	    SQLITE_OK);
	for (r = report_tab_list; r->name != NULL; r++)
		for (sec = r->sections; sec->key != NULL; sec++)
			test_merge_one(r, sec, db, mem);
	sqlite3_close(mem);
	db_close(&d);
	unlink(path);
}

int
main(void)
{
	char	err[CLASS_ERR];

	/* reply_class() in every connection, as the command has it. */
	CHECK(class_rules("/dev/null", err, sizeof(err)) == 0);
	test_table();
	test_table_cut();
	test_bytes();
	test_stamp();
	test_pctl();
	test_sections();
	test_merge();
	TEST_END();
}
