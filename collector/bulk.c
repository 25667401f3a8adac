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
 * bulk.c: the indexes only readers use (and event_s, which the writer
 * reads only for what it did not see itself), and a load into a new
 * database (replay) without them.  Such a load makes them once at its
 * end, each from its rows sorted, rather than entry by entry as the
 * lines come: less work per line and full pages.  A statement of the
 * writer that finds a session's events asks bulk_need() first, which
 * makes them then.  Whatever writer opens a database where one is
 * missing (a load killed half way) makes it then, from the schema's own
 * text.
 */
#include <stdio.h>
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

/*
 * No statement of the writer reads these (tests/test_bulk.c checks the
 * plans of all of them without these), but for the few that find a
 * session's events by event_s: the writer runs those only for what it
 * did not see itself (a session taken back, a filter phase it does not
 * know, a refused MAIL FROM whose command was not stored), and calls
 * bulk_need() first.  None is UNIQUE, and no reader names one with
 * INDEXED BY (it would fail without it: t-replay runs the readers
 * without them).  They serve the reports, the TUI and the documented
 * views.  A migration that drops one says IF EXISTS.
 */
const char *const bulk_indexes[] = {
	"attempt_end", "attempt_ok", "attempt_remote", "attempt_result",
	"attempt_t", "envelope_orphan", "event_rare_k", "event_s",
	"life_accepted", "life_change_wait", "life_queue", "life_rejected",
	"life_t", "outcome_bounce", "outcome_t", "rcpt_address",
	"session_auth", "session_dir_outcome", "session_mail_from",
	"session_outcome", "tx_commit", "tx_from", "tx_msgid",
};
const size_t bulk_nindexes = sizeof(bulk_indexes) / sizeof(bulk_indexes[0]);

static int	bulk_fresh(struct db *);
static int	bulk_missing(struct db *, int, const char *);
static int	bulk_has(struct db *, const char *);
static int	bulk_make(struct db *, sqlite3 *, sqlite3 *, const char *);
static sqlite3	*bulk_builder(struct db *, int);
static int	bulk_exec(struct db *, sqlite3 *, const char *);
static sqlite3	*bulk_schema(struct db *);

/*
 * Into a new database (bulk_fresh()), drop the readers' indexes until
 * bulk_end(); another writer's lock is waited for wait_ms.  1 if it
 * did, 0 if the database was not new, -1.
 */
int
bulk_begin(struct db *db, int wait_ms)
{
	char	sql[128];
	size_t	i;
	int	rc;

	sqlite3_busy_timeout(db->h, wait_ms);
	if ((rc = db_exec(db, "BEGIN IMMEDIATE")) == 0 &&
	    (rc = bulk_fresh(db)) == 1)
		for (i = 0; i < bulk_nindexes && rc == 1; i++) {
			snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS "
			    "main.\"%s\"", bulk_indexes[i]);
			if (db_exec(db, sql) == -1)
				rc = -1;
		}
	if (rc != -1 && db_exec(db, "COMMIT") == -1)
		rc = -1;
	if (rc == -1) {
		db_fail(db, "%s: %s", db->path, sqlite3_errmsg(db->h));
		db_exec(db, "ROLLBACK");
	}
	sqlite3_busy_timeout(db->h, 0);
	return rc;
}

/*
 * Whether the database holds no event, nor a refused MAIL FROM whose
 * command only its session's events can give, nor an open session (a
 * load into it takes none back: ingest.fresh): 1, 0, -1.
 */
static int
bulk_fresh(struct db *db)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(db->h, "SELECT NOT EXISTS (SELECT 1 FROM "
	    "event) AND NOT EXISTS (SELECT 1 FROM out_refusal WHERE "
	    "event IS NULL) AND NOT EXISTS (SELECT 1 FROM session WHERE "
	    "t_end IS NULL)", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		rc = sqlite3_column_int(s, 0);
	else
		rc = -1;
	sqlite3_finalize(s);
	return rc;
}

/*
 * Make those of the readers' indexes the database lacks, in one
 * transaction (the open one, if any), another writer's lock waited for
 * wait_ms: the number made, or -1.
 */
int
bulk_end(struct db *db, int wait_ms)
{
	return bulk_missing(db, wait_ms, NULL);
}

/* Those bulk_end() makes, or only the one named so if not NULL. */
static int
bulk_missing(struct db *db, int wait_ms, const char *only)
{
	sqlite3	*ref = NULL, *h = NULL;
	size_t	 i;
	int	 rc = 0, made = 0, began = 0, inside;

	inside = !sqlite3_get_autocommit(db->h);
	for (i = 0; i < bulk_nindexes && rc != -1; i++) {
		if ((only != NULL && strcmp(only, bulk_indexes[i]) != 0) ||
		    (rc = bulk_has(db, bulk_indexes[i])) != 0)
			continue;
		if ((ref == NULL && (ref = bulk_schema(db)) == NULL) ||
		    (h == NULL && (h = inside ? db->h :
		    bulk_builder(db, wait_ms)) == NULL) ||
		    (!began && !inside &&
		    bulk_exec(db, h, "BEGIN IMMEDIATE") == -1)) {
			rc = -1;
			break;
		}
		began = !inside;
		if ((rc = bulk_make(db, h, ref, bulk_indexes[i])) == 0)
			made++;
	}
	if (rc != -1 && began && bulk_exec(db, h, "COMMIT") == -1)
		rc = -1;
	if (rc == -1 && began)
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	if (h != db->h)
		sqlite3_close(h);
	sqlite3_close(ref);
	return rc == -1 ? -1 : made;
}

/*
 * A connection of its own to make the indexes on, whose sorts spill to
 * files rather than to memory (db's keeps its temporary tables there),
 * in runs of 2 MiB: event_s of 10M events took 3.7 s and 9 MiB so, 5.3 s
 * and 490 MiB in memory.  A collector that makes them at open stays
 * within its memory.
 */
static sqlite3 *
bulk_builder(struct db *db, int wait_ms)
{
	sqlite3	*h;

	if (sqlite3_open_v2(db->path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_fail(db, "%s: %s", db->path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, wait_ms);
	if (bulk_exec(db, h, "PRAGMA temp_store = FILE; "
	    "PRAGMA cache_size = -2048") == -1) {
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

/* SQL text on h: 0, or -1 with the reason in db. */
static int
bulk_exec(struct db *db, sqlite3 *h, const char *sql)
{
	if (sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return db_fail(db, "%s: %s", db->path, sqlite3_errmsg(h));
}

/*
 * Before a statement that finds a session's events: event_s, made now
 * if a load left it to its end (the readers' indexes still wait for
 * it).  Within the open transaction, if any.  0, or -1 with the reason
 * in db.
 */
int
bulk_need(struct db *db)
{
	int	rc;

	if ((rc = bulk_has(db, "event_s")) != 0)
		return rc == 1 ? 0 : -1;
	return bulk_missing(db, 0, "event_s") == -1 ? -1 : 0;
}

/* Whether the database has index name: 1, 0, or -1. */
static int
bulk_has(struct db *db, const char *name)
{
	sqlite3		*h = db->h;
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(h, "SELECT 1 FROM main.sqlite_master WHERE "
	    "type = 'index' AND name = ?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, "%s: %s", db->path, sqlite3_errmsg(h));
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "%s: %s", db->path, sqlite3_errmsg(h));
	return rc == SQLITE_ROW;
}

/* Index name made on h, as the schema ref creates it. */
static int
bulk_make(struct db *db, sqlite3 *h, sqlite3 *ref, const char *name)
{
	sqlite3_stmt	*s;
	int		 rc = -1;

	if (sqlite3_prepare_v2(ref, "SELECT sql FROM sqlite_master WHERE "
	    "type = 'index' AND name = ?", -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, "index %s: %s", name, sqlite3_errmsg(ref));
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		db_fail(db, "index %s: not in the schema", name);
	else if (sqlite3_exec(h, (const char *)sqlite3_column_text(s, 0),
	    NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
	else
		db_fail(db, "%s: cannot make index %s: %s", db->path, name,
		    sqlite3_errmsg(h));
	sqlite3_finalize(s);
	return rc;
}

/* A database in memory with the schema's migrations: the reference. */
static sqlite3 *
bulk_schema(struct db *db)
{
	sqlite3	*ref;
	int	 i;

	if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		db_fail(db, "cannot open a database in memory");
		sqlite3_close(ref);
		return NULL;
	}
	for (i = 0; i < schema_nmigrations; i++)
		if (sqlite3_exec(ref, schema_migrations[i], NULL, NULL,
		    NULL) != SQLITE_OK) {
			db_fail(db, "schema version %d: %s", i + 1,
			    sqlite3_errmsg(ref));
			sqlite3_close(ref);
			return NULL;
		}
	return ref;
}
