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
 * batch.c: lines received but not yet committed, and the transactions
 * that commit them.  A line leaves the queue only once its transaction
 * committed; a failed one (database locked, disk full) is rolled back
 * and the same lines are tried again later.  Past a memory bound, new
 * lines go to the spill journal, and come back from it in order once
 * the database takes them again.
 */
#include <string.h>

#include "mailtrail.h"
#include "collector.h"

#define BATCH_LINE_MAX	(16 << 20)	/* a longer line is cut */
#define BATCH_MEM_MAX	(8 << 20)	/* bytes waiting in memory before
					   lines spill to the journal */

static void	batch_memory(struct batch *, const char *, size_t);
static void	batch_count(struct batch *, size_t);
static int	batch_refill(struct batch *);
static int	batch_spill_end(struct batch *);
static int	batch_commit(struct batch *, size_t);
static size_t	batch_lines(const char *, size_t);
static void	batch_spill(struct batch *, const char *, size_t);

void
batch_init(struct batch *b, struct ingest *ing, struct store *st)
{
	memset(b, 0, sizeof(*b));
	b->ing = ing;
	b->st = st;
	b->mem_max = BATCH_MEM_MAX;
	b->rd = -1;
}

void
batch_free(struct batch *b)
{
	buf_free(&b->q);
}

/* Lines wait in memory, or once the journal is in use, there. */
void
batch_add(struct batch *b, const char *p, size_t len)
{
	if (b->sp != NULL && (b->spilling ||
	    b->q.len - b->head + len > b->mem_max))
		batch_spill(b, p, len);
	else
		batch_memory(b, p, len);
}

static void
batch_memory(struct batch *b, const char *p, size_t len)
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

static size_t
batch_lines(const char *p, size_t len)
{
	const char	*end = p + len;
	size_t		 n = 0;

	while (p < end && (p = memchr(p, '\n', end - p)) != NULL) {
		n++;
		p++;
	}
	return n;
}

static void
batch_spill(struct batch *b, const char *p, size_t len)
{
	size_t	n = batch_lines(p, len);

	if (!b->spilling) {
		if (spill_create(b->sp) == -1) {
			b->lost += n;
			log_limited(&b->limit, "%s: cannot create, %zu lines "
			    "lost", b->sp->path, n);
			return;
		}
		b->spilling = 1;
		b->rd = spill_body(b->sp);
		/* The start of a line may wait in memory: it goes first. */
		if (b->q.len > b->scanned &&
		    spill_append(b->sp, b->q.p + b->scanned,
		    b->q.len - b->scanned) == 0)
			b->q.len = b->scanned;
		log_warnx("database behind, %zu lines waiting: spilling to %s",
		    b->nlines, b->sp->path);
	}
	if (spill_append(b->sp, p, len) == -1) {
		b->lost += n;
		log_limited(&b->limit, "%s: cannot write, %zu lines lost",
		    b->sp->path, n);
		return;
	}
	b->spilled += n;
	if (len > 0)
		b->last = p[len - 1];
}

/* A journal left by an earlier run: new lines go after it. */
void
batch_spill_found(struct batch *b, struct spill *sp)
{
	b->sp = sp;
	if (spill_find(sp)) {
		b->spilling = 1;
		b->last = '\n';
		log_warnx("%s: journal of an earlier run, %lld bytes",
		    sp->path, (long long)sp->size);
	}
}

/*
 * With the database open: where to go on reading the journal.  It was
 * read to its end (only not removed), or up to the recorded offset, or
 * not at all.
 */
void
batch_spill_resume(struct batch *b)
{
	int64_t	*c = b->ing->count;

	if (!b->spilling || b->rd != -1)
		return;
	if (b->sp->id == c[CNT_SPILL_DONE])
		b->rd = b->sp->start;
	else if (b->sp->id == c[CNT_SPILL_ID] && c[CNT_SPILL_OFFSET] > 0)
		b->rd = c[CNT_SPILL_OFFSET];
	else
		b->rd = spill_body(b->sp);
}

/* Take the next whole lines of the journal into the empty queue. */
static int
batch_refill(struct batch *b)
{
	ssize_t	 n;
	char	*nl;

	buf_set(&b->q, "", 0);
	if (b->q.cap < b->mem_max + 1) {
		buf_free(&b->q);
		b->q.p = xmalloc(b->mem_max + 1);
		b->q.cap = b->mem_max + 1;
	}
	if ((n = spill_read(b->sp, b->rd, b->q.p, b->mem_max)) <= 0)
		return n == 0 ? 0 : -1;
	for (nl = b->q.p + n; nl > b->q.p && nl[-1] != '\n'; nl--)
		;
	if (nl == b->q.p && (size_t)n < b->mem_max)
		return 0;	/* only the start of a line so far */
	b->q.len = nl > b->q.p ? (size_t)(nl - b->q.p) : (size_t)n;
	b->head = b->scanned = 0;
	b->qbase = b->rd;
	b->fromjournal = 1;
	batch_count(b, 0);
	return 0;
}

/* The journal was read to its end: record that, then remove it. */
static int
batch_spill_end(struct batch *b)
{
	int64_t	*c = b->ing->count;

	c[CNT_SPILL_DONE] = b->sp->id;
	c[CNT_SPILL_ID] = c[CNT_SPILL_OFFSET] = 0;
	if (batch_commit(b, 0) == -1)
		return -1;
	log_warnx("%s: caught up, journal removed", b->sp->path);
	spill_remove(b->sp);
	b->spilling = b->fromjournal = 0;
	b->rd = -1;
	return 0;
}

/*
 * Commit up to max waiting lines in one transaction.  Returns the
 * number committed, or -1 if the database refused them: they stay.
 */
int
batch_flush(struct batch *b, size_t max)
{
	if (b->nlines == 0 && b->spilling && b->rd >= 0) {
		if (b->rd == b->sp->size)
			return batch_spill_end(b) == -1 ? -1 : 0;
		if (batch_refill(b) == -1)
			return -1;
	}
	if (b->nlines == 0 && b->spilled == 0 && b->lost == 0)
		return 0;
	return batch_commit(b, max);
}

/*
 * One transaction: up to max lines, the counters, and where the journal
 * was read to.  Returns the number of lines, or -1.
 */
static int
batch_commit(struct batch *b, size_t max)
{
	int64_t	 saved[CNT_MAX], *c = b->ing->count;
	size_t	 n, off = b->head;
	char	*nl;

	memcpy(saved, c, sizeof(saved));
	if (store_begin(b->st) == -1)
		goto fail;
	for (n = 0; n < b->nlines && n < max; n++) {
		nl = memchr(b->q.p + off, '\n', b->q.len - off);
		ingest_line(b->ing, b->q.p + off, nl - (b->q.p + off));
		off = nl - b->q.p + 1;
	}
	c[CNT_SPILLED] += b->spilled;
	c[CNT_LOST] += b->lost;
	c[CNT_COMMITS]++;
	c[CNT_LAST_COMMIT] = util_now();
	if (b->fromjournal) {
		c[CNT_SPILL_ID] = b->sp->id;
		c[CNT_SPILL_OFFSET] = b->qbase + off;
	}
	if (ingest_save(b->ing) == -1 || store_commit(b->st) == -1)
		goto fail;
	b->spilled = b->lost = 0;
	b->head = off;
	b->nlines -= n;
	if (b->fromjournal)
		b->rd = b->qbase + off;
	if (b->head == b->q.len) {
		b->head = b->q.len = b->scanned = 0;
		b->fromjournal = 0;
	}
	if (b->failing) {
		b->limit.held += store_recovered(b->st);
		log_recovered(&b->limit, "database writable again, %zu lines "
		    "waiting%s", b->nlines, b->spilling ?
		    " and more in the journal" : "");
	}
	b->failing = 0;
	return n;
 fail:
	store_rollback(b->st);
	memcpy(c, saved, sizeof(saved));
	c[CNT_DB_ERRORS]++;
	ingest_clear(b->ing);
	if (!b->failing)
		log_warnx("cannot commit, lines kept to retry: %s",
		    store_errmsg(b->st));
	/*
	 * The sessions are taken back from their events: if a load left
	 * event_s to its end, it is made now, outside the batch (bulk.c).
	 */
	store_need_events(b->st);
	b->failing = 1;
	return -1;
}

/* At end of input: a last line without its '\n' counts too. */
void
batch_finish(struct batch *b)
{
	if (b->spilling && b->last != '\n')
		batch_spill(b, "\n", 1);
	else if (!b->spilling && b->q.len > b->scanned) {
		buf_append(&b->q, "\n", 1);
		b->scanned = b->q.len;
		b->nlines++;
	}
}

/*
 * collect, at exit with lines the database did not take: those still
 * in memory go to the journal.  Says where the lines not stored wait,
 * and how many could be kept nowhere.
 */
void
batch_abandon(struct batch *b)
{
	if (b->nlines > 0 && !b->fromjournal) {
		batch_spill(b, b->q.p + b->head, b->q.len - b->head);
		b->nlines = 0;
	}
	if (b->lost > 0)
		log_warnx("exiting with %lld lines lost: neither the database "
		    "nor %s took them", (long long)b->lost, b->sp->path);
	if (b->spilling)
		log_warnx("exiting with lines not yet stored: they wait in %s",
		    b->sp->path);
}

/* Is anything left to commit? */
int
batch_pending(const struct batch *b)
{
	return b->nlines > 0 || b->spilling || b->spilled > 0 || b->lost > 0;
}
