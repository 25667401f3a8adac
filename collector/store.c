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
 * store.c: the only writer of the database.  It opens it in WAL mode,
 * applies the embedded schema, and runs cached prepared statements in
 * batched transactions.  Every value is a bound parameter.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mailtrail.h"
#include "collector.h"
#include "domain.h"

struct store {
	struct db	 db;		/* statements: store_sql.c */
	struct life_writer life;	/* each life's state (life.c) */
	struct hour_tab	 hours;		/* counts per hour (hour.c) */
	struct evq	 evq;		/* event rows to write (evq.c) */
	struct domain_tab domains;	/* their ids (domain.c) */
	int		 failed;	/* a statement failed in this batch */
	struct log_limit limit;
};

static int	store_bind(sqlite3_stmt *, const char *, va_list *);
static int64_t	store_vrun(struct store *, enum store_stmt, const char *,
		    va_list *);
static int	store_step(struct store *, enum store_stmt);
static int	store_build(struct store *);
static void	store_fail(struct store *);

/*
 * Open (creating it) and bring the schema up to date; NULL with *cause
 * (the caller frees it) saying why not.  wait_ms is how long a lock
 * held by another process is waited for: 0 for the collector, which
 * must get back to reading stdin (it does not wait, but it does make
 * the indexes a stopped replay left out: about five seconds for ten
 * million lines, most of it event_s).
 */
struct store *
store_open(const char *path, int wait_ms, char **cause)
{
	struct store	*st;
	size_t		 i;

	st = xcalloc(1, sizeof(*st));
	if (db_open(&st->db, path, DB_WRITE, wait_ms) == -1 ||
	    hour_open(&st->hours, &st->db, &st->evq) == -1)
		goto fail;
	/* A load stopped half way left indexes to make: made now. */
	if (bulk_end(&st->db, wait_ms) == -1) {
		log_warnx("%s", db_error(&st->db));
		st->db.err[0] = '\0';
	}
	db_statements(&st->db, store_sql, STMT_MAX);
	domain_open(&st->domains, &st->db);
	if (evq_open(&st->evq, &st->db) == -1)
		goto fail;
	/* Prepared now: a batch never fails for want of a statement. */
	for (i = 0; i < STMT_MAX; i++)
		if (db_stmt(&st->db, i) == NULL)
			goto fail;
	life_open(&st->life, &st->db, &st->hours);
	if (store_build(st) == -1)
		goto fail;
	return st;
 fail:
	*cause = xstrdup(db_error(&st->db));
	store_close(st);
	return NULL;
}

/*
 * A database from before schema 8 gets the state of its lives once, a
 * few thousand at a time, with a progress line on a terminal.  Stopped
 * half way, the next open goes on from the start.
 */
static int
store_build(struct store *st)
{
	int64_t	last = INT64_MIN, done = 0;
	size_t	n;
	char	why[512];
	int	rc, tty = isatty(STDERR_FILENO);

	if ((rc = life_build_needed(&st->life)) != 1)
		return rc;
	do {
		if (store_begin(st) == -1)
			return db_fail(&st->db, "%s: cannot build the state "
			    "of its lives: %s", st->db.path,
			    sqlite3_errmsg(st->db.h));
		if (life_build_step(&st->life, &last, 4096, &n) == -1) {
			strlcpy(why, db_error(&st->db), sizeof(why));
			store_rollback(st);
			return db_fail(&st->db, "%s: cannot build the state "
			    "of its lives: %s", st->db.path, why);
		}
		if (hour_flush(&st->hours) == -1 ||
		    store_step(st, STMT_COMMIT) != SQLITE_DONE) {
			store_rollback(st);
			return db_fail(&st->db, "%s: cannot build the state "
			    "of its lives: %s", st->db.path,
			    sqlite3_errmsg(st->db.h));
		}
		done += n;
		if (tty)
			fprintf(stderr, "\rmailtrail: %s: the state of %lld "
			    "envelopes built", st->db.path, (long long)done);
	} while (n != 0);
	if (tty)
		fprintf(stderr, "\n");
	return 0;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	life_close(&st->life);
	domain_close(&st->domains);
	hour_close(&st->hours);
	evq_close(&st->evq);
	db_close(&st->db);
	free(st);
}

int
store_begin(struct store *st)
{
	st->failed = 0;
	return store_step(st, STMT_BEGIN) == SQLITE_DONE ? 0 : -1;
}

int
store_commit(struct store *st)
{
	if (st->failed) {
		store_rollback(st);
		return -1;
	}
	if (evq_sync(&st->evq) == -1 || life_flush(&st->life) == -1 ||
	    hour_flush(&st->hours) == -1) {
		log_limited(&st->limit, "database: %s", db_error(&st->db));
		store_rollback(st);
		return -1;
	}
	if (store_step(st, STMT_COMMIT) != SQLITE_DONE) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	evq_forget(&st->evq);
	domain_forget(&st->domains);
	hour_discard(&st->hours);
	life_mark_discard(&st->life);
	if (!sqlite3_get_autocommit(st->db.h))
		store_step(st, STMT_ROLLBACK);
}

/*
 * The database took a transaction again: the next failure is said at
 * once.  Returns how many messages were held back since the last one.
 */
unsigned long
store_recovered(struct store *st)
{
	unsigned long	held = st->limit.held;

	memset(&st->limit, 0, sizeof(st->limit));
	return held;
}

/*
 * The last statement changed the facts of the life of id (an evpid, or
 * a refused recipient's rcpt.id): marked, if it changed a row, to be
 * built again before the commit.
 */
void
store_mark(struct store *st, enum life_mark_kind k, int64_t id)
{
	if (sqlite3_changes(st->db.h) > 0)
		life_mark(&st->life, k, id);
}

/*
 * The last statement changed tx (of msgid): the lives of its envelopes
 * and refused recipients marked, as the database has them.
 */
void
store_mark_tx(struct store *st, int64_t tx, int64_t msgid)
{
	static const enum store_stmt	 n[LIFE_MARK_MAX] = {
		[LIFE_MARK_ENVELOPE] = STMT_TX_ENVELOPES,
		[LIFE_MARK_RCPT] = STMT_TX_REFUSED
	};
	sqlite3_stmt			*s;
	size_t				 k;

	if (sqlite3_changes(st->db.h) == 0)
		return;
	for (k = 0; k < LIFE_MARK_MAX; k++) {
		s = st->db.stmt[n[k]];
		sqlite3_bind_int64(s, 1, tx);
		sqlite3_bind_int64(s, 2, msgid);
		while (store_step(st, n[k]) == SQLITE_ROW)
			life_mark(&st->life, k, sqlite3_column_int64(s, 0));
	}
}

/* A filter response, stored as event id: counted for its hour. */
void
store_filter(struct store *st, struct sess *s, int64_t id, int64_t t,
    const struct proto_str *x)
{
	if (hour_filter(&st->hours, s, id, t, x) == -1)
		store_fail(st);
}

/*
 * An event, queued for the table (evq_add() says what each value is):
 * its id, or -1 if the batch failed.
 */
int64_t
store_event(struct store *st, const int64_t *t, int64_t k, int64_t s,
    const int64_t *m, const struct proto_str *x, const char *raw,
    size_t rawlen)
{
	int64_t	id;

	if ((id = evq_add(&st->evq, t, k, s, m, x, raw, rawlen)) == -1)
		store_fail(st);
	return id;
}

/* The id of domain name (domain.c); 0 if the database failed. */
int64_t
store_domain(struct store *st, const char *name)
{
	int64_t	id;

	if ((id = domain_id(&st->domains, name)) != -1)
		return id;
	st->failed = 1;
	log_limited(&st->limit, "database: %s", db_error(&st->db));
	return 0;
}

/* A row the writer changed: counted for its hour (hour_new()). */
void
store_hour(struct store *st, enum hour_row n, int64_t k, int64_t m)
{
	if (hour_new(&st->hours, n, k, m, NULL) == -1)
		st->failed = 1;
}

/* The last statement settled attempt id, or not: counted, life marked. */
void
store_settled(struct store *st, int64_t id)
{
	int64_t	evpid = 0;

	if (sqlite3_changes(st->db.h) == 0)
		return;
	if (hour_new(&st->hours, HOUR_ATTEMPT, id, 0, &evpid) == -1)
		st->failed = 1;
	else if (evpid != 0)
		life_mark(&st->life, LIFE_MARK_ENVELOPE, evpid);
}

/*
 * Before a statement that finds a session's events by event_s, which a
 * load may have left to its end (bulk.c): made now if it did.  If that
 * fails, the batch does.
 */
void
store_need_events(struct store *st)
{
	if (evq_sync(&st->evq) == -1)
		store_fail(st);
	if (bulk_need(&st->db) == -1)
		st->failed = 1;
}

/* The batch fails: why, said once in a while (db's reason). */
static void
store_fail(struct store *st)
{
	log_limited(&st->limit, "database: %s", db_error(&st->db));
	st->failed = 1;
}

int
store_failed(struct store *st)
{
	return st->failed;
}

const char *
store_errmsg(struct store *st)
{
	return sqlite3_errmsg(st->db.h);
}

static int
store_step(struct store *st, enum store_stmt n)
{
	sqlite3_stmt	*s = st->db.stmt[n];
	int		 rc;

	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		st->failed = 1;
		if (n != STMT_BEGIN)
			log_limited(&st->limit, "database: %s",
			    sqlite3_errmsg(st->db.h));
	}
	if (rc != SQLITE_ROW)
		sqlite3_reset(s);
	return rc;
}

/*
 * Bind by format: 'i' int64_t, 'z' int64_t with 0 as NULL, 't' struct
 * proto_str * (NULL or p NULL as NULL), 's' C string (NULL as NULL),
 * 'b' blob (pointer, size_t).
 */
static int
store_bind(sqlite3_stmt *s, const char *fmt, va_list *ap)
{
	const struct proto_str *t;
	const char	*p;
	int64_t		 v;
	int		 i, rc = SQLITE_OK;

	for (i = 1; *fmt != '\0' && rc == SQLITE_OK; fmt++, i++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(s, i, va_arg(*ap, int64_t));
			break;
		case 'z':
			v = va_arg(*ap, int64_t);
			rc = v == 0 ? sqlite3_bind_null(s, i) :
			    sqlite3_bind_int64(s, i, v);
			break;
		case 't':
			t = va_arg(*ap, const struct proto_str *);
			if (t == NULL || t->p == NULL)
				rc = sqlite3_bind_null(s, i);
			else
				rc = sqlite3_bind_text(s, i, t->p, t->len,
				    SQLITE_STATIC);
			break;
		case 's':
			p = va_arg(*ap, const char *);
			rc = sqlite3_bind_text(s, i, p, -1, SQLITE_STATIC);
			break;
		case 'b':
			p = va_arg(*ap, const char *);
			rc = sqlite3_bind_blob64(s, i, p, va_arg(*ap, size_t),
			    SQLITE_STATIC);
			break;
		default:
			fatalx("store_bind: bad format %c", *fmt);
		}
	}
	return rc;
}

/*
 * Run a write statement.  Returns the new rowid for an insert, 0 for
 * others, -1 on failure (the batch is then rolled back at commit).
 */
int64_t
store_run(struct store *st, enum store_stmt n, const char *fmt, ...)
{
	va_list	ap;
	int64_t	rc;

	va_start(ap, fmt);
	rc = store_vrun(st, n, fmt, &ap);
	va_end(ap);
	return rc;
}

/*
 * An update of tx's columns that its counts per hour read (hour.c,
 * HOUR_TX): open, of a tx not committed yet, else late, of a committed
 * one, whose counts go out before it and back in after.  A tx counts
 * from its commit: if open commits it, its counts go in after.  Both
 * statements take the parameters fmt says.
 */
void
store_tx(struct store *st, enum store_stmt open, enum store_stmt late,
    int commits, int64_t tx, const char *fmt, ...)
{
	va_list	ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	store_vrun(st, open, fmt, &ap);
	if (sqlite3_changes(st->db.h) == 0) {
		store_hour(st, HOUR_TX, tx, -1);
		store_vrun(st, late, fmt, &again);
		store_hour(st, HOUR_TX, tx, 1);
	} else if (commits)
		store_hour(st, HOUR_TX, tx, 1);
	va_end(again);
	va_end(ap);
}

/* store_run() with its parameters in *ap. */
static int64_t
store_vrun(struct store *st, enum store_stmt n, const char *fmt,
    va_list *ap)
{
	int	rc;

	rc = store_bind(st->db.stmt[n], fmt, ap);
	if (rc != SQLITE_OK) {
		st->failed = 1;
		sqlite3_clear_bindings(st->db.stmt[n]);
		return -1;
	}
	if (store_step(st, n) != SQLITE_DONE)
		return -1;
	if (sqlite3_changes(st->db.h) == 0 ||
	    strncmp(store_sql[n], "INSERT", 6) != 0)
		return 0;
	return sqlite3_last_insert_rowid(st->db.h);
}

/* One row of a lookup by two keys: its first two columns. 0 if none. */
int
store_find(struct store *st, enum store_stmt n, int64_t k1, int64_t k2,
    int64_t *c1, int64_t *c2)
{
	sqlite3_stmt	*s = st->db.stmt[n];
	int		 found = 0;

	sqlite3_bind_int64(s, 1, k1);
	sqlite3_bind_int64(s, 2, k2);
	if (store_step(st, n) == SQLITE_ROW) {
		*c1 = sqlite3_column_int64(s, 0);
		if (c2 != NULL)
			*c2 = sqlite3_column_int64(s, 1);
		found = 1;
	}
	sqlite3_reset(s);
	return found;
}

/* The first column of one row of a lookup by three keys.  0 if none. */
int
store_find3(struct store *st, enum store_stmt n, int64_t k1, int64_t k2,
    int64_t k3, int64_t *c1)
{
	sqlite3_bind_int64(st->db.stmt[n], 3, k3);
	return store_find(st, n, k1, k2, c1, NULL);
}

/* Up to max values of the first column of a lookup by one key. */
size_t
store_list(struct store *st, enum store_stmt n, int64_t key, int64_t *out,
    size_t max)
{
	sqlite3_stmt	*s = st->db.stmt[n];
	size_t		 i = 0;

	sqlite3_bind_int64(s, 1, key);
	sqlite3_bind_int64(s, 2, 1);
	while (i < max && store_step(st, n) == SQLITE_ROW)
		out[i++] = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return i;
}

/* Load the saved value of the first n counters (0 if never saved). */
void
store_counters(struct store *st, int64_t *v, int n)
{
	sqlite3_stmt	*s = st->db.stmt[STMT_COUNTER_GET];
	int		 i;

	for (i = 0; i < n; i++) {
		sqlite3_bind_text(s, 1, counter_to_text(i), -1, SQLITE_STATIC);
		v[i] = sqlite3_step(s) == SQLITE_ROW ?
		    sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
	}
}

/* Like store_find, with a third column of text copied into *text. */
int
store_find_text(struct store *st, enum store_stmt n, int64_t k1, int64_t k2,
    int64_t *c1, int64_t *c2, struct buf *text)
{
	sqlite3_stmt	*s = st->db.stmt[n];
	int		 found = 0;

	sqlite3_bind_int64(s, 1, k1);
	sqlite3_bind_int64(s, 2, k2);
	if (store_step(st, n) == SQLITE_ROW) {
		*c1 = sqlite3_column_int64(s, 0);
		*c2 = sqlite3_column_int64(s, 1);
		if (sqlite3_column_type(s, 2) == SQLITE_NULL)
			buf_set(text, "", 0);
		else
			buf_set(text, (const char *)sqlite3_column_text(s, 2),
			    sqlite3_column_bytes(s, 2));
		found = 1;
	}
	sqlite3_reset(s);
	return found;
}

/*
 * The database handle, for a test to read what a batch wrote so far
 * (after store_need_events(), which writes the queued event rows).
 */
struct db *
store_db(struct store *st)
{
	return &st->db;
}

/* Rows the last write statement changed. */
int64_t
store_changes(struct store *st)
{
	return sqlite3_changes(st->db.h);
}

/* Run a statement without parameters to its end (VACUUM, PRAGMA). */
int
store_exec_stmt(struct store *st, enum store_stmt n)
{
	int	rc;

	while ((rc = store_step(st, n)) == SQLITE_ROW)
		;
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * A load into a new database leaves the readers' indexes until
 * store_bulk_end() (bulk.c), waiting wait_ms for another writer's lock:
 * 1 if it does, 0 if not new, -1 (store_bulk_error()).
 */
int
store_bulk_begin(struct store *st, int wait_ms)
{
	return bulk_begin(&st->db, wait_ms);
}

/* The readers' indexes the database lacks, made: how many, or -1. */
int
store_bulk_end(struct store *st, int wait_ms)
{
	return bulk_end(&st->db, wait_ms);
}

/* Why store_bulk_begin() or store_bulk_end() failed. */
const char *
store_bulk_error(struct store *st)
{
	return db_error(&st->db);
}
