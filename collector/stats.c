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
 * stats.c: "mailtrail stats", the collector's health as it last saved
 * it in the database: what it ingested, rejected, spilled or lost, when
 * it last committed, and how big the database is.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mailtrail.h"
#include "collector.h"

static int	stats_counters(sqlite3 *);
static int64_t	stats_int(sqlite3 *, const char *, const char *);

static const struct option stats_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int	stats_exec(int, char **);

const struct cmd_entry stats_entry = {
	"stats",
	"[-d db]",
	"the collector's counters and the database's size",
	stats_exec
};

static int
stats_exec(int argc, char **argv)
{
	struct db	 d;
	sqlite3		*db;
	struct stat	 sb;
	const char	*path = NULL;
	char		 when[64];
	int64_t		 last;
	int		 ch;

	while ((ch = getopt_long(argc, argv, "d:h", stats_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			if (db_arg(&path, optarg) != 0)
				return 1;
			break;
		case 'h':
			return CMD_HELP;
		default:
			return CMD_USAGE;
		}
	}
	if (path == NULL)
		path = db_default();
	if (optind != argc)
		return CMD_USAGE;
	if (db_open(&d, path, 0, 0) == -1) {
		log_warnx("%s", db_error(&d));
		db_close(&d);
		return 1;
	}
	db = d.h;
	if (stat(path, &sb) == -1)
		sb.st_size = 0;
	printf("%-18s %s\n%-18s %lld bytes\n%-18s %d\n", "database", path,
	    "size", (long long)sb.st_size, "schema version", DB_VERSION);
	if ((last = stats_int(db, "SELECT value FROM counter WHERE name = ?1",
	    counter_to_text(CNT_LAST_COMMIT))) > 0)
		time_to_text(last, TO_ISO, when, sizeof(when));
	else
		snprintf(when, sizeof(when), "never");
	printf("%-18s %s\n", "last commit", when);
	if (stats_counters(db) == -1) {
		log_error("%s: %s", path, sqlite3_errmsg(db));
		db_close(&d);
		return 1;
	}
	printf("%-18s %lld (%lld open)\n", "sessions", (long long)stats_int(db,
	    "SELECT count(*) FROM session", NULL), (long long)stats_int(db,
	    "SELECT count(*) FROM session WHERE t_end IS NULL", NULL));
	printf("%-18s %lld\n%-18s %lld\n", "messages", (long long)stats_int(db,
	    "SELECT count(DISTINCT msgid) FROM tx", NULL), "envelopes",
	    (long long)stats_int(db, "SELECT count(*) FROM envelope", NULL));
	db_close(&d);
	return 0;
}

/* The ingest counters, up to the last commit's time. */
static int
stats_counters(sqlite3 *db)
{
	sqlite3_stmt	*s;
	int		 i;

	if (sqlite3_prepare_v2(db, "SELECT value FROM counter WHERE name = ?",
	    -1, &s, NULL) != SQLITE_OK)
		return -1;
	for (i = 0; i < CNT_LAST_COMMIT; i++) {
		sqlite3_bind_text(s, 1, counter_to_text(i), -1,
		    SQLITE_STATIC);
		printf("%-18s %lld\n", counter_to_text(i),
		    sqlite3_step(s) == SQLITE_ROW ?
		    (long long)sqlite3_column_int64(s, 0) : 0LL);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return 0;
}

/* The integer sql gives, with arg bound to ?1 unless NULL; 0 if none. */
static int64_t
stats_int(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt	*s;
	int64_t		 v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    (arg == NULL || sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC) ==
	    SQLITE_OK) && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

