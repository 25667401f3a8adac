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
 * so each input starts from the same state.
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
	store_rollback(fuzz_st);
	ingest_clear(&fuzz_ing);
	free(buf);
	return 0;
}
