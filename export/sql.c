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
 * sql.c: "mailtrail sql": one read-only query (the database is opened
 * read-only, and a statement that would write is refused) printed as an
 * aligned table or as a JSON array of objects; --views prints the
 * views for sqlite3(1); and the handle reports use, with this
 * program's views made as temporary views (db_views()).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static const struct option sql_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "classes", required_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	{ "views", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	sql_print_views(void);
static int	sql_prepare(sqlite3 *, const char *, sqlite3_stmt **);
static int	sql_text(sqlite3_stmt *);
static int	sql_json(sqlite3_stmt *);
static const char *sql_cell(sqlite3_stmt *, int, struct buf *);
static cJSON	*sql_value(sqlite3_stmt *, int, struct buf *, struct buf *);

/* The database read-only, with the views; -1 after saying why. */
int
sql_open(struct db *db, const char *path)
{
	if (db_open(db, path, 0, 0) == -1) {
		log_warnx("%s", db_error(db));
		return -1;
	}
	if (db_views(db) == -1) {
		log_warnx("%s: cannot make the views: %s", path,
		    sqlite3_errmsg(db->h));
		return -1;
	}
	return 0;
}

/* One statement that only reads. */
static int
sql_prepare(sqlite3 *db, const char *q, sqlite3_stmt **s)
{
	const char	*tail;

	if (sqlite3_prepare_v2(db, q, -1, s, &tail) != SQLITE_OK) {
		log_error("%s", sqlite3_errmsg(db));
		return -1;
	}
	if (*s == NULL) {
		log_error("no statement");
		return -1;
	}
	tail += strspn(tail, " \t\r\n;");
	if (*tail != '\0') {
		log_error("one statement only");
		return -1;
	}
	if (!sqlite3_stmt_readonly(*s)) {
		log_error("not a read-only statement");
		return -1;
	}
	return 0;
}

/* A column's value as text for people: network bytes escaped. */
static const char *
sql_cell(sqlite3_stmt *s, int i, struct buf *b)
{
	size_t	len;

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return "";
	len = sqlite3_column_bytes(s, i);
	return buf_escape(b, (const char *)sqlite3_column_text(s, i), len);
}

/* Every row in memory, for the widths: then the table. */
static int
sql_text(sqlite3_stmt *s)
{
	struct table	 t;
	struct buf	 b = { NULL, 0, 0 };
	int		 i, n = sqlite3_column_count(s), rc;
	int		 num[TABLE_COLS_MAX];
	char		*head[TABLE_COLS_MAX];
	const char	*name;

	table_init(&t, n);
	for (i = 0; i < n && i < TABLE_COLS_MAX; i++)
		num[i] = 1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (i = 0; i < n && i < TABLE_COLS_MAX; i++) {
			if (sqlite3_column_type(s, i) == SQLITE_TEXT ||
			    sqlite3_column_type(s, i) == SQLITE_BLOB)
				num[i] = 0;
			table_cell(&t, sql_cell(s, i, &b));
		}
	for (i = 0; i < n && i < TABLE_COLS_MAX; i++) {
		if ((name = sqlite3_column_name(s, i)) == NULL)
			name = "";
		head[i] = xstrdup(buf_escape(&b, name, strlen(name)));
		table_col(&t, i, head[i], num[i] ? TABLE_RIGHT : TABLE_LEFT, 0);
	}
	if (rc == SQLITE_DONE) {
		table_fit(&t, 0);
		table_print(&t, stdout, 0, 1);
	}
	table_free(&t);
	for (i = 0; i < n && i < TABLE_COLS_MAX; i++)
		free(head[i]);
	buf_free(&b);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Integers exactly (as raw JSON numbers), text as UTF-8, whole (a NUL
 * byte too, which a cJSON string would end at), quoted by jw_quote().
 */
static cJSON *
sql_value(sqlite3_stmt *s, int i, struct buf *b, struct buf *q)
{
	const char	*u;
	char		 num[32], *p;
	size_t		 len;

	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		return cJSON_CreateNull();
	case SQLITE_INTEGER:
		snprintf(num, sizeof(num), "%lld",
		    (long long)sqlite3_column_int64(s, i));
		return cJSON_CreateRaw(num);
	case SQLITE_FLOAT:
		return cJSON_CreateNumber(sqlite3_column_double(s, i));
	default:
		u = (const char *)sqlite3_column_text(s, i);
		u = json_utf8n(u, sqlite3_column_bytes(s, i), b, &len);
		q->len = 0;
		p = buf_reserve(q, JW_QUOTED(len));
		*jw_quote(p, u, len) = '\0';
		return cJSON_CreateRaw(p);
	}
}

/* A JSON array, one object per row, streamed. */
static int
sql_json(sqlite3_stmt *s)
{
	struct buf	 b = { NULL, 0, 0 }, k = { NULL, 0, 0 };
	struct buf	 qb = { NULL, 0, 0 };
	const char	*name;
	cJSON		*o;
	char		*out;
	int		 i, n = sqlite3_column_count(s), rc, rows = 0;

	fputs("[", stdout);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		o = cJSON_CreateObject();
		for (i = 0; i < n; i++) {
			if ((name = sqlite3_column_name(s, i)) == NULL)
				name = "";
			cJSON_AddItemToObject(o, json_utf8(name, strlen(name),
			    &k), sql_value(s, i, &b, &qb));
		}
		if ((out = cJSON_PrintUnformatted(o)) != NULL) {
			fputs(rows++ ? ",\n" : "\n", stdout);
			jw_print(stdout, out, strlen(out));
		}
		free(out);
		cJSON_Delete(o);
	}
	fputs(rows ? "\n]\n" : "]\n", stdout);
	buf_free(&b);
	buf_free(&k);
	buf_free(&qb);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int	sql_exec(int, char **);

const struct cmd_entry sql_entry = {
	"sql",
	"[-d db] [-c classes] [--json] 'SELECT ...' | --views",
	"run one read-only query on the database",
	sql_exec
};

/*
 * --views: the views as CREATE TEMP VIEW statements, for sqlite3 -cmd
 * (the database holds none).
 */
static int
sql_print_views(void)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = schema_views;

	while (db_views_next(&p, &b))
		printf("%s", b.p);
	buf_free(&b);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		log_error("write error");
		return 1;
	}
	return 0;
}

static int
sql_exec(int argc, char **argv)
{
	struct db	 db;
	sqlite3_stmt	*s = NULL;
	const char	*path = NULL, *classes = NULL;
	char		 err[CLASS_ERR];
	int		 ch, json = 0, views = 0, rv;

	while ((ch = getopt_long(argc, argv, "c:d:h", sql_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'c':
			classes = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'v':
			views = 1;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (path == NULL)
		path = db_default();
	if (views && argc == optind && !json)
		return sql_print_views();
	if (views || argc - optind != 1)
		return CMD_USAGE;
	if (class_rules(classes, err, sizeof(err)) == -1)
		return log_error("%s", err);
	if (sql_open(&db, path) == -1) {
		db_close(&db);
		return 1;
	}
	if ((rv = sql_prepare(db.h, argv[optind], &s)) == 0 &&
	    (rv = json ? sql_json(s) : sql_text(s)) == -1)
		log_error("%s", sqlite3_errmsg(db.h));
	if (rv == 0 && (fflush(stdout) == EOF || ferror(stdout)))
		rv = log_error("write error");
	sqlite3_finalize(s);
	db_close(&db);
	return rv ? 1 : 0;
}
