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
 * db.c: the one database handle.  It opens the database read-only for
 * the readers or read-write (created, schema applied) for the writers,
 * checks the schema version, caches prepared statements, and keeps the
 * reason of the last failure.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mailtrail.h"

static int	db_open_ro(struct db *);
static int	db_open_rw(struct db *, int);
static int	db_version(struct db *);
static int	db_create(struct db *);
static void	db_give(const char *, int);
static int	db_foreign(struct db *);
static int	db_dir_writable(const struct db *);
static int	db_schema(struct db *, int);
static int	db_migrate(struct db *, int);
static const char *db_views_skip(const char *);
static int	db_views_drop(struct db *);

const char *
db_default(void)
{
	const char	*p = getenv("MAILTRAIL_DB");

	return p != NULL && *p != '\0' ? p : DB_DEFAULT;
}

/* A -d that names something: 0, else 1 after saying so. */
int
db_named(const char *arg)
{
	return *arg == '\0' ? log_error("-d: an empty name") : 0;
}

/*
 * The -d of a command of one database: *path (NULL until then) takes
 * arg.  A second -d is an error, said (1), not a database left unused.
 */
int
db_arg(const char **path, const char *arg)
{
	char	a[ESCAPE_QUOTE_SIZE], b[ESCAPE_QUOTE_SIZE];

	if (db_named(arg) != 0)
		return 1;
	if (*path == NULL) {
		*path = arg;
		return 0;
	}
	return log_error("-d: this command takes one database, not %s and "
	    "%s", escape_quote(a, *path, strlen(*path)), escape_quote(b, arg,
	    strlen(arg)));
}

/* Record why the last call failed; returns -1. */
int
db_fail(struct db *db, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	return -1;
}

const char *
db_error(const struct db *db)
{
	return db->err[0] != '\0' ? db->err : "unknown error";
}

/*
 * SQLite as mailtrail uses it: one thread, so no mutexes, no memory
 * accounting (a mutex on each allocation), and mem.c's allocator.
 * Before any other use of SQLite: it takes only then.
 */
void
db_setup(void)
{
	static int	done;

	if (done)
		return;
	done = 1;
	(void)sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	(void)mem_setup();
}

/*
 * Open path: read-only, or with DB_WRITE read-write, created 0640 and
 * brought to DB_VERSION (wait_ms: how long another writer's lock is
 * waited for).  -1 with the reason in db->err; db_close() either way.
 */
int
db_open(struct db *db, const char *path, int flags, int wait_ms)
{
	memset(db, 0, sizeof(*db));
	db->path = xstrdup(path);
	db_setup();
	if (flags & DB_WRITE)
		return db_open_rw(db, wait_ms);
	return db_open_ro(db);
}

/*
 * A reader.  WAL lets it read while the collector writes.  A reader who
 * may not create the -shm file (a member of the database's group) and
 * finds no -wal beside the database reads it as it is on disk.
 */
static int
db_open_ro(struct db *db)
{
	struct stat	 sb;
	char		*uri, wal[4096];
	int		 v, rc;

	if (stat(db->path, &sb) == -1)
		return db_fail(db, "%s: %s", db->path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return db_fail(db, "%s: %s", db->path, strerror(EISDIR));
	if (access(db->path, R_OK) == -1)
		return db_fail(db, "%s: cannot read: %s", db->path,
		    strerror(errno));
	if (sqlite3_open_v2(db->path, &db->h, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return db_fail(db, "%s: %s", db->path, sqlite3_errmsg(db->h));
	sqlite3_busy_timeout(db->h, 5000);
	v = db_version(db);
	rc = sqlite3_errcode(db->h) & 0xff;
	if (v == -1 && (rc == SQLITE_CANTOPEN || rc == SQLITE_READONLY)) {
		/* No -shm to share: is a writer there? */
		snprintf(wal, sizeof(wal), "%s-wal", db->path);
		if (access(wal, F_OK) == 0)
			return db_fail(db, "%s: cannot read: the reader needs "
			    "read access to %s and to the -shm file beside it",
			    db->path, wal);
		sqlite3_close(db->h);
		uri = sqlite3_mprintf("file:%s?immutable=1", db->path);
		if (sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY |
		    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
			v = -2;
		else
			v = db_version(db);
		sqlite3_free(uri);
	}
	if (v < 0 && (sqlite3_errcode(db->h) & 0xff) != SQLITE_NOTADB)
		return db_fail(db, "%s: cannot read: %s", db->path,
		    sqlite3_errmsg(db->h));
	if (v != DB_VERSION)
		return db_fail(db, "%s: not a mailtrail database (schema "
		    "version %d, expected %d)", db->path, v < 0 ? 0 : v,
		    DB_VERSION);
	/*
	 * Reports read much of the database: mapped pages cost no system
	 * call each, where read() costs one a page.
	 */
	if (db_exec(db, "PRAGMA mmap_size = " DB_MMAP_SIZE "; "
	    "PRAGMA cache_size = -16384") == -1)
		return db_fail(db, "%s: cannot set up the reader: %s",
		    db->path, sqlite3_errmsg(db->h));
	return 0;
}

/*
 * Create the file 0640 ourselves, whatever the umask (sqlite gives the
 * -wal and -shm files the database's mode): readable by the directory's
 * group.  -1 with the reason in db->err.
 */
static int
db_create(struct db *db)
{
	struct stat	sb;
	int		fd;

	if ((fd = open(db->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW,
	    0640)) != -1)
		db_give(db->path, fd);	/* made here, not reached by a link */
	else if (errno != EEXIST || (fd = open(db->path, O_RDWR)) == -1)
		return db_fail(db, "%s: cannot %s the database file: %s",
		    db->path, access(db->path, F_OK) == 0 ? "write" : "create",
		    strerror(errno));
	if (fstat(fd, &sb) == 0 && sb.st_size == 0)
		(void)fchmod(fd, 0640);
	close(fd);
	return 0;
}

/*
 * A database root has just made in another user's directory (the
 * collector's: /var/lib/mailtrail, opensmtpd's) is that user's, with
 * the directory's group, as if the collector had made it: root's would
 * be one the collector cannot write.  SQLite gives the -wal and -shm
 * files the database's owner.
 */
static void
db_give(const char *path, int fd)
{
	struct stat	 sb;
	char		 dir[4096];

	if (geteuid() != 0 || strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return;
	if (stat(dirname(dir), &sb) == -1 || sb.st_uid == 0)
		return;
	(void)fchown(fd, sb.st_uid, sb.st_gid);
}

/*
 * A writer makes its schema in a new database, not beside the tables
 * of another program's: a database of schema version 0 must be empty.
 * Asked before the writer sets it up, which would change the file.
 */
static int
db_foreign(struct db *db)
{
	sqlite3_stmt	*s;
	int		 n = -1;

	if (db_version(db) != 0)
		return 0;	/* mailtrail's, or an error said later */
	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_schema",
	    -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (n > 0)
		return db_fail(db, "%s: not a mailtrail database (schema "
		    "version 0, and it holds tables): not written", db->path);
	return 0;
}

/* May the writer make files beside the database (its -wal, -shm)? */
static int
db_dir_writable(const struct db *db)
{
	char		 dir[4096];
	const char	*slash;

	if ((slash = strrchr(db->path, '/')) == NULL)
		return access(".", W_OK) == 0;
	if (slash == db->path)
		return access("/", W_OK) == 0;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db->path), db->path);
	return access(dir, W_OK) == 0;
}

/* PRAGMA user_version, or -1 if the database cannot be read. */
static int
db_version(struct db *db)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * The writer.  After the schema, a busy database makes no statement
 * wait: the caller retries its batch.
 */
static int
db_open_rw(struct db *db, int wait_ms)
{
	int	v, persist = 1;

	if (db_create(db) == -1)
		return -1;
	if (sqlite3_open_v2(db->path, &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return db_fail(db, "%s: cannot open the database: %s",
		    db->path, sqlite3_errmsg(db->h));
	sqlite3_extended_result_codes(db->h, 1);
	/*
	 * Leave the -wal and -shm files at close: a reader who may not
	 * write the directory (the group's) cannot make them.
	 */
	sqlite3_file_control(db->h, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	sqlite3_busy_timeout(db->h, wait_ms);
	if (db_foreign(db) == -1)
		return -1;
	/*
	 * page_size and auto_vacuum take only on a new database.  Pages of
	 * 8 KiB make the writer's trees shallower and split half as often
	 * (docs/performance.md); prune gives space back.
	 */
	if (db_exec(db, "PRAGMA page_size = 8192; "
	    "PRAGMA auto_vacuum = INCREMENTAL; "
	    "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; "
	    "PRAGMA temp_store = FILE") == -1)
		return db_fail(db, "%s: cannot set up the database: %s%s",
		    db->path, sqlite3_errmsg(db->h), db_dir_writable(db) ? "" :
		    " (the -wal and -shm files need a directory it may "
		    "write)");
	if ((v = db_version(db)) < 0 || v > DB_VERSION)
		return db_fail(db, "%s: database schema is newer than this "
		    "mailtrail", db->path);
	if (db_schema(db, v) == -1)
		return -1;
	sqlite3_busy_timeout(db->h, 0);
	return 0;
}

/*
 * The schema, in two transactions.  The first drops the views an older
 * version stored (a migration that makes a table again, schema 19's
 * event, cannot rename it while a stored view names the one it
 * dropped) and migrates, the sorts of its index builds in files: in the
 * writer's memory, schema 19's event_s took 620 MiB for 10M events.
 * The second makes the views and the writer's temporary tables, kept in
 * memory (temp_store changes only between transactions, and deletes the
 * temporary objects when it does); it writes no table of the database,
 * so it takes no lock another writer could hold.
 */
static int
db_schema(struct db *db, int v)
{
	if (db_exec(db, "BEGIN IMMEDIATE") == -1)
		return db_fail(db, "%s: the database is locked by another "
		    "process", db->path);
	db->writer = 1;
	if (db_views_drop(db) == -1 || db_migrate(db, v) == -1 ||
	    db_exec(db, "COMMIT") == -1 ||
	    db_exec(db, "PRAGMA temp_store = MEMORY; BEGIN") == -1 ||
	    db_views(db) == -1 || db_exec(db, schema_writer) == -1 ||
	    db_exec(db, "COMMIT") == -1) {
		if (db->err[0] == '\0')
			db_fail(db, "%s: cannot apply the schema: %s",
			    db->path, sqlite3_errmsg(db->h));
		db_exec(db, "ROLLBACK");
		db->writer = 0;
		return -1;
	}
	return 0;
}

/*
 * Take the database from version to DB_VERSION, one migration after the
 * other, in the caller's transaction.
 */
static int
db_migrate(struct db *db, int version)
{
	char	sql[64];

	if (schema_nmigrations != DB_VERSION)
		fatalx("schema has %d migrations, DB_VERSION is %d",
		    schema_nmigrations, DB_VERSION);
	if (version == DB_VERSION)
		return 0;
	for (; version < DB_VERSION; version++)
		if (db_exec(db, schema_migrations[version]) == -1)
			return db_fail(db, "%s: schema version %d: %s",
			    db->path, version + 1, sqlite3_errmsg(db->h));
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", DB_VERSION);
	return db_exec(db, sql);
}

/*
 * The next CREATE VIEW statement of views.sql from *p on, made CREATE
 * TEMP VIEW in b (cut by sqlite3_complete()); 0 at the end.
 */
int
db_views_next(const char **p, struct buf *b)
{
	struct buf	 stmt = { NULL, 0, 0 };
	const char	*nl, *st;
	int		 found = 0;

	buf_set(&stmt, "", 0);
	while (!found && **p != '\0') {
		nl = *p + strcspn(*p, "\n");
		buf_append(&stmt, *p, nl - *p + (*nl == '\n'));
		*p = nl + (*nl == '\n');
		if (!sqlite3_complete(stmt.p))
			continue;
		st = db_views_skip(stmt.p);
		if (strncasecmp(st, "CREATE VIEW", 11) == 0) {
			buf_set(b, "CREATE TEMP VIEW", 16);
			buf_append(b, st + 11, strlen(st + 11));
			found = 1;
		}
		buf_set(&stmt, "", 0);
	}
	buf_free(&stmt);
	return found;
}

/* s past blanks and "--" comments. */
static const char *
db_views_skip(const char *s)
{
	for (;;) {
		s += strspn(s, " \t\r\n");
		if (strncmp(s, "--", 2) != 0)
			return s;
		s += strcspn(s, "\n");
	}
}

/*
 * The views of views.sql as TEMP views of this connection (a reader
 * can make those): the database holds none, so that a reader that reads
 * no view (trace, export, the TUI) does not parse them at its first
 * statement.  The writer has dropped the views an older version stored.
 */
int
db_views(struct db *db)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = schema_views;
	int		 rc = 0;

	while (rc == 0 && db_views_next(&p, &b))
		rc = db_exec(db, b.p);
	buf_free(&b);
	return rc;
}

/* Drop every view stored in the database, one at a time. */
static int
db_views_drop(struct db *db)
{
	sqlite3_stmt	*s;
	char		*drop;
	int		 rc = 0, more = 1;

	while (rc == 0 && more) {
		if (sqlite3_prepare_v2(db->h, "SELECT name FROM "
		    "main.sqlite_master WHERE type = 'view' LIMIT 1", -1, &s,
		    NULL) != SQLITE_OK)
			return -1;
		more = sqlite3_step(s) == SQLITE_ROW;
		drop = more ? sqlite3_mprintf("DROP VIEW main.\"%w\"",
		    (const char *)sqlite3_column_text(s, 0)) : NULL;
		sqlite3_finalize(s);
		if (drop != NULL)
			rc = db_exec(db, drop);
		sqlite3_free(drop);
	}
	return rc;
}

void
db_close(struct db *db)
{
	size_t	i;

	for (i = 0; i < db->nsql; i++)
		sqlite3_finalize(db->stmt[i]);
	free(db->stmt);
	/*
	 * The -wal file stays, empty: else each reader that opens the
	 * database with no other connection on it reads and checks all of
	 * its frames again (14 MB after a migration: 9 ms a trace).
	 */
	if (db->writer)
		db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	/* A statement left open keeps the connection open: a fault. */
	if (sqlite3_close(db->h) != SQLITE_OK)
		log_warnx("%s: not closed: a statement is still open",
		    db->path);
	free(db->path);
	db->stmt = NULL;
	db->nsql = 0;
	db->writer = 0;
	db->h = NULL;
	db->path = NULL;
}

/* Run SQL text without results (the schema, a pragma). */
int
db_exec(struct db *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 :
	    -1;
}

/* The fixed statements db_stmt() prepares, by their index in sql. */
void
db_statements(struct db *db, const char *const *sql, size_t n)
{
	db->sql = sql;
	db->nsql = n;
	db->stmt = xcalloc(n, sizeof(*db->stmt));
}

/* Fixed statement n, prepared on first use, reset and unbound. */
sqlite3_stmt *
db_stmt(struct db *db, size_t n)
{
	if (n >= db->nsql)
		fatalx("%s: no statement %zu", __func__, n);
	return db_prepare(db, &db->stmt[n], db->sql[n]);
}

/*
 * The statement in *slot, prepared from sql on first use (a table of
 * the caller's own), reset and unbound.  The caller finalizes it.
 */
sqlite3_stmt *
db_prepare(struct db *db, sqlite3_stmt **slot, const char *sql)
{
	if (*slot == NULL && sqlite3_prepare_v3(db->h, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		db_fail(db, "%s", sqlite3_errmsg(db->h));
		return NULL;
	}
	sqlite3_reset(*slot);
	sqlite3_clear_bindings(*slot);
	return *slot;
}

/* Column i as an integer, dflt if NULL. */
int64_t
db_col_int(sqlite3_stmt *s, int i, int64_t dflt)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return dflt;
	return sqlite3_column_int64(s, i);
}
