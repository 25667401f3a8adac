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
 * test_db.h: the databases of the unit tests, each in a directory of
 * its own: the one the read side's tests share, replayed from nine
 * captures of both protocol versions (the list tests/lib.sh calls
 * MIXED), and a new one opened as the writer opens it.  For a test that
 * includes mailtrail.h and test.h (and collector.h for the writer's).
 */
#ifndef TEST_DB_H
#define TEST_DB_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const test_db_captures[] = {
	"tests/data/0.6/a-relay-ok.log",
	"tests/data/0.6/b-multi-rcpt.log",
	"tests/data/0.6/c-rset-quit.log",
	"tests/data/0.6/d-relay-denied.log",
	"tests/data/0.6/e-disconnect-in-data.log",
	"tests/data/0.6/k-local-delivery.log",
	"tests/data/0.6/relay-suite.log",
	"tests/data/0.7/a-relay-ok.log",
	"tests/data/0.7/c-starttls-auth-plain.log"
};

/* Replay the captures into a new database at path: 0, or -1. */
static inline int
test_db_mixed(char *path)
{
	char	*argv[4 + sizeof(test_db_captures) /
		    sizeof(test_db_captures[0])];
	size_t	 i;
	int	 argc = 0;

	argv[argc++] = (char *)(uintptr_t)"replay";
	argv[argc++] = (char *)(uintptr_t)"-d";
	argv[argc++] = path;
	for (i = 0; i < sizeof(test_db_captures) /
	    sizeof(test_db_captures[0]); i++)
		argv[argc++] = (char *)(uintptr_t)test_db_captures[i];
	argv[argc] = NULL;
	return replay_entry.exec(argc, argv) == 0 ? 0 : -1;
}

/* A new directory from the template dir, and path, its t.db: 0, -1. */
static inline int
test_db_dir(char *dir, char *path, size_t len)
{
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, len, "%s/t.db", dir);
	return 0;
}

/* The directory and all in it, gone. */
static inline void
test_db_remove(const char *dir)
{
	char	cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
}

#ifdef MAILTRAIL_H
/* Run SQL text on db; a check that it ran. */
static inline void
test_db_sql(struct db *db, const char *sql)
{
	CHECK_MSG(db_exec(db, sql) == 0, "%s: %s", sql,
	    sqlite3_errmsg(db->h));
}

/* The first column of sql's first row, -1 if none; a check it ran. */
static inline int64_t
test_db_int(struct db *db, const char *sql)
{
	sqlite3_stmt	*s;
	int64_t		 v = -1;

	CHECK_MSG(sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) == SQLITE_OK,
	    "%s: %s", sql, sqlite3_errmsg(db->h));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* sql's plan as text, a line a step; "" if it has none (BEGIN). */
static inline char *
test_db_plan(sqlite3 *h, const char *sql)
{
	struct buf	 b = { NULL, 0, 0 };
	sqlite3_stmt	*s;
	char		*q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);

	buf_set(&b, "", 0);
	if (sqlite3_prepare_v2(h, q, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			buf_append(&b, (const char *)sqlite3_column_text(s, 3),
			    sqlite3_column_bytes(s, 3));
			buf_append(&b, "\n", 1);
		}
		sqlite3_finalize(s);
	}
	sqlite3_free(q);
	return b.p;
}

/*
 * The first line of plan (test_db_plan()) that reads a whole table or
 * index, NULL if none does.  Scans of a constant row, a temporary
 * table, the rows of a subquery or of a name the plan itself makes
 * (MATERIALIZE, CO-ROUTINE), and of SQLite's pragma functions read no
 * table of the database.
 */
static inline const char *
test_db_scan(const char *plan)
{
	char		 made[160];
	const char	*line, *nl;
	size_t		 len;

	for (line = plan; line != NULL && *line != '\0';
	    line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (strncmp(line, "SCAN ", 5) != 0 ||
		    strncmp(line, "SCAN CONSTANT ROW", 17) == 0 ||
		    strncmp(line, "SCAN temp.", 10) == 0 ||
		    strncmp(line, "SCAN (subquery", 14) == 0 ||
		    memmem(line, len, "VIRTUAL TABLE", 13) != NULL)
			continue;
		if (len - 5 < 64 && memchr(line + 5, ' ', len - 5) == NULL) {
			snprintf(made, sizeof(made), "MATERIALIZE %.*s\n",
			    (int)(len - 5), line + 5);
			if (strstr(plan, made) != NULL)
				continue;
			snprintf(made, sizeof(made), "CO-ROUTINE %.*s\n",
			    (int)(len - 5), line + 5);
			if (strstr(plan, made) != NULL)
				continue;
		}
		return line;
	}
	return NULL;
}
#endif

#ifdef COLLECTOR_H
/*
 * A new database at path, opened as the writer opens it, with the
 * hour_count() its statements call and the life writer: 0, or -1.
 */
static inline int
test_db_writer(const char *path, struct db *db, struct hour_tab *ht,
    struct life_writer *lw)
{
	memset(db, 0, sizeof(*db));
	memset(ht, 0, sizeof(*ht));
	if (db_open(db, path, DB_WRITE, 0) == -1 ||
	    hour_open(ht, db, NULL) == -1)
		return -1;
	life_open(lw, db, ht);
	return 0;
}
#endif

#endif
