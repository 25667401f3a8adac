/*
 * batch.h: received lines waiting for their transaction.
 */
#ifndef BATCH_H
#define BATCH_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "util.h"

#define BATCH_LINES	4096		/* lines per transaction at most */
#define BATCH_LINE_MAX	(16 << 20)	/* a longer line is cut */
#define BATCH_MEM_MAX	(8 << 20)	/* bytes waiting in memory before
					   lines spill to the journal */

struct ingest;
struct spill;
struct store;

struct batch {
	struct ingest	*ing;
	struct store	*st;
	struct buf	 q;		/* bytes received, not yet committed */
	size_t		 head;		/* q.p + head: first uncommitted line */
	size_t		 scanned;	/* q has no '\n' from here on */
	size_t		 nlines;	/* complete lines waiting */
	int		 failing;	/* the last commit failed */
	struct log_limit limit;

	/* The spill journal (collect only; NULL: wait instead). */
	struct spill	*sp;
	size_t		 mem_max;
	int		 spilling;	/* new lines go to the journal */
	off_t		 rd;		/* journal read and committed up to */
	off_t		 qbase;		/* journal offset of q.p[0] ... */
	int		 fromjournal;	/* ... when q holds journal lines */
	char		 last;		/* last byte written to the journal */
	int64_t		 spilled, lost;	/* not yet in the counters */
};

void	batch_init(struct batch *, struct ingest *, struct store *);
void	batch_free(struct batch *);
void	batch_add(struct batch *, const char *, size_t);
int	batch_flush(struct batch *, size_t);
void	batch_finish(struct batch *);
void	batch_spill(struct batch *, const char *, size_t);
void	batch_spill_found(struct batch *, struct spill *);
void	batch_spill_resume(struct batch *);
int	batch_pending(const struct batch *);

#endif
