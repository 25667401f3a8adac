/*
 * outcome.h: parsed maillog lines into the outcome table: the time of
 * each line, each line stored once, and the counters.
 */
#ifndef OUTCOME_H
#define OUTCOME_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct maillog;
struct store;

enum outcome_counter {
	OCNT_LINES,		/* every line read */
	OCNT_TAKEN,		/* lines of a kind stored (duplicates too) */
	OCNT_SKIPPED,		/* lines of other kinds */
	OCNT_MALFORMED,		/* lines of a kind taken, that did not parse */
	OCNT_DUPLICATES,	/* lines taken that were already stored */
	OCNT_MAX
};

struct outcome {
	struct store	*st;
	int64_t		 mtime;		/* the file's modification time */
	int64_t		 count[OCNT_MAX];	/* since the last commit */
	int64_t		 total[OCNT_MAX];	/* committed by this run */
	struct log_limit limit;
};

extern const char *const outcome_counter_names[OCNT_MAX];

void	outcome_init(struct outcome *, struct store *);
void	outcome_file(struct outcome *, int64_t);
void	outcome_line(struct outcome *, const char *, size_t);
int	outcome_save(struct outcome *);
void	outcome_committed(struct outcome *);
void	outcome_discard(struct outcome *);
int64_t	outcome_year(const struct maillog *, int64_t, int);

#endif
