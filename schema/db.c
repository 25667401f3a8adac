/*
 * db.c: opens the database read-only for the commands that only read
 * it (export, trace, report, tui, stats).  WAL lets them read while
 * the collector writes.  A reader is one thread: no SQLite mutexes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "store.h"

/* NULL after saying why on stderr. */
sqlite3 *
db_open(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*s;
	struct stat	 sb;
	int		 version = 0;

	if (stat(path, &sb) == -1) {
		log_warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("%s: %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version != STORE_VERSION) {
		log_warnx("%s: not a mailtrail database (schema version "
		    "%d, expected %d)", path, version, STORE_VERSION);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

void
db_close(sqlite3 *db)
{
	sqlite3_close(db);
}
