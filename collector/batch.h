/*
 * batch.h: received lines waiting for their transaction.
 */
#ifndef BATCH_H
#define BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "util.h"

#define BATCH_LINES	4096		/* lines per transaction at most */
#define BATCH_LINE_MAX	(16 << 20)	/* a longer line is cut */

struct ingest;
struct store;

struct batch {
	struct ingest	*ing;
	struct store	*st;
	struct buf	 q;		/* bytes received, not yet committed */
	size_t		 head;		/* q.p + head: first uncommitted line */
	size_t		 scanned;	/* up to here q has no '\n' after
					   the last counted one */
	size_t		 nlines;	/* complete lines waiting */
	int		 failing;	/* the last commit failed */
	struct log_limit limit;
};

void	batch_init(struct batch *, struct ingest *, struct store *);
void	batch_free(struct batch *);
void	batch_add(struct batch *, const char *, size_t);
int	batch_flush(struct batch *, size_t);
void	batch_finish(struct batch *);

#endif
