/*
 * prune.h: retention: whole traces older than a cutoff removed in small
 * transactions (mailtrail prune, collect --retain).
 */
#ifndef PRUNE_H
#define PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PRUNE_TICK_ROWS		500	/* rows per collect step */
#define PRUNE_CMD_ROWS		20000	/* rows per mailtrail prune step */
#define PRUNE_PASS_EVERY	(3600 * 1000000LL)	/* collect: a pass */
#define PRUNE_LIST_MAX		4096	/* ids of one node looked at */
#define PRUNE_NODES_MAX		200000	/* a larger trace waits */
#define PRUNE_WAITING		(5 * 86400 * 1000000LL)	/* see prune.c */

/* A set of int64 ids (open addressing). */
struct prune_set {
	int64_t		*v;
	unsigned char	*used;
	size_t		 n, cap;
};

struct prune {
	int64_t		 cutoff;	/* what ended before goes */
	int64_t		 cursor;	/* last session looked at */
	int		 done;		/* this pass is over */
	int		 raw_done;	/* events without a session */
	struct prune_set kept;		/* sessions of traces kept */
	int64_t		 retain;	/* collect: microseconds, 0 off */
	int64_t		 next_pass;	/* collect: when to start again */
	int64_t		 sessions, envelopes, rows, traces;	/* removed */
};

void	prune_init(struct prune *, int64_t);
int64_t	prune_step(struct prune *, struct store *, size_t);
void	prune_free(struct prune *);
void	prune_tick(struct prune *, struct store *, int64_t);
int	prune_vacuum(struct store *, int, int64_t *, int64_t *);

#endif
