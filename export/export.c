/*
 * export.c: "mailtrail export".  --raw writes every line the collector
 * received back, byte for byte and in order, malformed ones included.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "mailtrail.h"
#include "proto.h"

#define EXPORT_RAW_SQL \
	"SELECT e.raw, e.t, e.k, s.sid, e.m, e.x FROM event e " \
	"LEFT JOIN session s ON s.id = e.s ORDER BY e.id"

static int	export_raw(sqlite3 *, FILE *);
static void	export_raw_line(sqlite3_stmt *, FILE *);

static const struct option export_opts[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "raw", no_argument, NULL, 'r' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int
export_main(int argc, char **argv)
{
	sqlite3		*db;
	const char	*path = mailtrail_db_default();
	int		 ch, raw = 0, rv;

	while ((ch = getopt_long(argc, argv, "d:h", export_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			path = optarg;
			break;
		case 'r':
			raw = 1;
			break;
		case 'h':
			return mailtrail_usage_cmd("export", 0);
		default:
			return mailtrail_usage_cmd("export", 1);
		}
	}
	if (optind != argc || !raw)
		return mailtrail_usage_cmd("export", 1);
	if ((db = db_open(path)) == NULL)
		return 1;
	rv = export_raw(db, stdout);
	db_close(db);
	return rv;
}

static int
export_raw(sqlite3 *db, FILE *fp)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(db, EXPORT_RAW_SQL, -1, &s, NULL) != SQLITE_OK)
		return mailtrail_error("%s", sqlite3_errmsg(db));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		export_raw_line(s, fp);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return mailtrail_error("%s", sqlite3_errmsg(db));
	if (fflush(fp) == EOF || ferror(fp))
		return mailtrail_error("write error");
	return 0;
}

/* The line as received: kept raw, or rebuilt from its parts. */
static void
export_raw_line(sqlite3_stmt *s, FILE *fp)
{
	struct report	 r;
	char		 hdr[PROTO_HEADER_MAX];
	int64_t		 k;
	int		 n;

	if (sqlite3_column_type(s, 0) != SQLITE_NULL) {
		if ((n = sqlite3_column_bytes(s, 0)) > 0)
			fwrite(sqlite3_column_blob(s, 0), 1, n, fp);
		putc('\n', fp);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.time = sqlite3_column_int64(s, 1);
	k = sqlite3_column_int64(s, 2);
	r.event = k % 32;
	r.dir = (k / 32) % 2;
	r.minor = k / 64 + 4;
	r.session = (uint64_t)sqlite3_column_int64(s, 3);
	if ((n = proto_header_format(&r, hdr, sizeof(hdr))) < 0)
		return;
	fwrite(hdr, 1, n, fp);
	if (sqlite3_column_type(s, 4) != SQLITE_NULL)
		fprintf(fp, "|%08x", (uint32_t)sqlite3_column_int64(s, 4));
	if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
		putc('|', fp);
		if ((n = sqlite3_column_bytes(s, 5)) > 0)
			fwrite(sqlite3_column_text(s, 5), 1, n, fp);
	}
	putc('\n', fp);
}
