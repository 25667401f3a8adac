/*
 * batch.c: lines received but not yet committed, and the transactions
 * that commit them.  A line leaves the queue only once its transaction
 * committed; a failed one (database locked, disk full) is rolled back
 * and the same lines are tried again later.
 */
#include <string.h>

#include "batch.h"
#include "ingest.h"
#include "store.h"

static void	batch_count(struct batch *, size_t);

void
batch_init(struct batch *b, struct ingest *ing, struct store *st)
{
	memset(b, 0, sizeof(*b));
	b->ing = ing;
	b->st = st;
}

void
batch_free(struct batch *b)
{
	buf_free(&b->q);
}

void
batch_add(struct batch *b, const char *p, size_t len)
{
	size_t	from = b->q.len;

	/* Drop what was committed before the buffer has to grow. */
	if (b->head > 0 && b->q.len + len + 1 > b->q.cap) {
		memmove(b->q.p, b->q.p + b->head, b->q.len - b->head);
		b->q.len -= b->head;
		b->scanned -= b->head;
		from -= b->head;
		b->head = 0;
	}
	buf_append(&b->q, p, len);
	batch_count(b, from);
}

/* Count the complete lines in what arrived; cut one that is too long. */
static void
batch_count(struct batch *b, size_t from)
{
	const char	*nl;

	while (from < b->q.len &&
	    (nl = memchr(b->q.p + from, '\n', b->q.len - from)) != NULL) {
		b->nlines++;
		from = nl - b->q.p + 1;
		b->scanned = from;
	}
	if (b->q.len - b->scanned > BATCH_LINE_MAX) {
		log_limited(&b->limit, "line longer than %d bytes cut",
		    BATCH_LINE_MAX);
		buf_append(&b->q, "\n", 1);
		b->scanned = b->q.len;
		b->nlines++;
	}
}

/*
 * Commit up to max waiting lines in one transaction.  Returns the
 * number committed, or -1 if the database refused them: they stay.
 */
int
batch_flush(struct batch *b, size_t max)
{
	int64_t	 saved[CNT_MAX];
	size_t	 n, off = b->head;
	char	*nl;

	if (b->nlines == 0)
		return 0;
	memcpy(saved, b->ing->count, sizeof(saved));
	if (store_begin(b->st) == -1)
		goto fail;
	for (n = 0; n < b->nlines && n < max; n++) {
		nl = memchr(b->q.p + off, '\n', b->q.len - off);
		ingest_line(b->ing, b->q.p + off, nl - (b->q.p + off));
		off = nl - b->q.p + 1;
	}
	b->ing->count[CNT_COMMITS]++;
	b->ing->count[CNT_LAST_COMMIT] = util_now();
	if (ingest_save_counters(b->ing) == -1 || store_commit(b->st) == -1)
		goto fail;
	b->head = off;
	b->nlines -= n;
	if (b->head == b->q.len)
		b->head = b->q.len = b->scanned = 0;
	if (b->failing)
		log_warnx("database writable again, %zu lines waiting",
		    b->nlines);
	b->failing = 0;
	return n;
 fail:
	store_rollback(b->st);
	memcpy(b->ing->count, saved, sizeof(saved));
	b->ing->count[CNT_DB_ERRORS]++;
	ingest_clear(b->ing);
	if (!b->failing)
		log_warnx("cannot commit, lines kept to retry: %s",
		    store_errmsg(b->st));
	b->failing = 1;
	return -1;
}

/* At end of input: a last line without its '\n' counts too. */
void
batch_finish(struct batch *b)
{
	if (b->q.len > b->scanned) {
		buf_append(&b->q, "\n", 1);
		b->scanned = b->q.len;
		b->nlines++;
	}
}
