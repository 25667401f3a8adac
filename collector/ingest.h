/*
 * ingest.h: from report lines to the joined database.
 */
#ifndef INGEST_H
#define INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "sess.h"

struct proto_str;
struct report;
struct store;

enum ingest_counter {
	CNT_LINES,		/* every line received */
	CNT_EVENTS,		/* report lines parsed */
	CNT_REJECTED,		/* lines that did not parse (kept raw) */
	CNT_CONFIG,		/* config| lines */
	CNT_DIALOGUE_SKIPPED,	/* protocol lines not kept (--no-dialogue) */
	CNT_AUTH_MASKED,	/* AUTH arguments masked by us */
	CNT_EXPIRED,		/* sessions closed for want of a disconnect */
	CNT_COMMITS,
	CNT_DB_ERRORS,		/* batches that failed and were retried */
	CNT_SPILLED,		/* lines written to the spill journal */
	CNT_LOST,		/* lines that could not be kept at all */
	CNT_LAST_COMMIT,	/* time of the last commit (microseconds) */
	CNT_SPILL_ID,		/* spill journal being read */
	CNT_SPILL_OFFSET,	/* read and committed up to here */
	CNT_SPILL_DONE,		/* last journal read to its end */
	CNT_MAX
};

#define INGEST_NO_DIALOGUE	0x01

struct ingest {
	struct store		*st;
	struct sess_tree	 sessions;
	size_t			 nsessions;
	int64_t			 latest;	/* newest event time */
	int			 flags;
	int64_t			 count[CNT_MAX];
	struct log_limit	 limit;
	struct buf		 scratch;	/* a masked line */
	int64_t			 event;		/* the line's event; 0 none */
};

extern const char *const ingest_counter_names[CNT_MAX];

void	 ingest_init(struct ingest *, struct store *, int);
void	 ingest_clear(struct ingest *);
void	 ingest_line(struct ingest *, const char *, size_t);
int	 ingest_save_counters(struct ingest *);
void	 ingest_expire(struct ingest *, int64_t);

/* join.c: what each event does to the joined tables. */
void	 join_event(struct ingest *, struct sess *, const struct report *);
void	 join_close(struct ingest *, struct sess *, int64_t, const char *);
struct sess *join_session(struct ingest *, const struct report *);
void	 join_command(struct sess *, const struct proto_str *, int64_t);

/* reload.c: a session the collector no longer remembers. */
struct sess *reload_session(struct ingest *, const struct report *);

#endif
