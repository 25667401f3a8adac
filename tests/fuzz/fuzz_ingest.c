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
 * fuzz_ingest.c: libFuzzer target for the ingest of line sequences.
 * The input is split at '\n' and every line goes through ingest_line()
 * into a scratch database, in one transaction that is then rolled back,
 * so each input starts from the same state.  Before that, what the
 * writer kept of each refusal of smtp-in (sess_seen()) must be what
 * schema 16's rule in SQL finds in the stored events.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector/collector.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store	*fuzz_st;
static struct ingest	 fuzz_ing;

/* The refusals whose command or decision differs from the rule's. */
static const char fuzz_rare_sql[] = "SELECT count(*) FROM event_rare r "
    "JOIN event v ON v.id = r.id WHERE r.k = 16 AND "
    "(r.c IS NOT (SELECT max(p.id) FROM event p WHERE p.s = v.s AND "
    "p.id < r.id AND p.k % 64 = 15) OR r.f IS NOT (SELECT CASE WHEN "
    "e.x LIKE '%|reject%' THEN 1 ELSE 2 END FROM event e WHERE "
    "e.s = v.s AND e.id > coalesce(r.c, 0) AND e.id < r.id AND "
    "e.k % 64 = 18 AND (e.x LIKE '%|reject%' OR "
    "e.x LIKE '%|disconnect%') ORDER BY e.id DESC LIMIT 1))";

static void	fuzz_rare_check(void);

static void
fuzz_open(void)
{
	char		 path[64];
	char		*errstr;

	snprintf(path, sizeof(path), "/tmp/mailtrail-fuzz-%d.db", (int)getpid());
	unlink(path);
	if ((fuzz_st = store_open(path, 1000, &errstr)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, errstr);
		abort();
	}
	ingest_init(&fuzz_ing, fuzz_st, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*buf, *p, *end, *nl;

	if (fuzz_st == NULL)
		fuzz_open();
	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	end = buf + size;
	if (store_begin(fuzz_st) == -1)
		abort();
	for (p = buf; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		ingest_line(&fuzz_ing, p, nl - p);
	}
	store_need_events(fuzz_st);	/* the queued event rows written */
	fuzz_rare_check();
	store_rollback(fuzz_st);
	ingest_clear(&fuzz_ing);
	free(buf);
	return 0;
}

static void
fuzz_rare_check(void)
{
	sqlite3_stmt	*s;
	int		 n = -1;

	if (sqlite3_prepare_v2(store_db(fuzz_st)->h, fuzz_rare_sql, -1, &s,
	    NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (n != 0) {
		fprintf(stderr, "fuzz_ingest: %d refusals unlike the rule\n",
		    n);
		abort();
	}
}
