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
