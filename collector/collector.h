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
 * collector.h: the writer: the collector, replay and the maillog importer.
 */
#ifndef COLLECTOR_H
#define COLLECTOR_H

#include <sys/tree.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "life.h"		/* life*.c: each life's state */

/* logfile.c */
#define LOGFILE_AGAIN	(-2)	/* logfile_read: nothing yet, not the end */

enum logfile_change {
	LOGFILE_SAME,
	LOGFILE_ROTATED,	/* the path names another file now */
	LOGFILE_TRUNCATED	/* the file shrank: read again from its start */
};

struct logfile {
	const char	*name;		/* as given; "-" is standard input */
	int		 fd;
	int		 regular;	/* a regular file, not a pipe */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* bytes read from fd */
	int64_t		 mtime;		/* microseconds */
	int		 sniffed;	/* plain or gzip is known */
	int		 gz;
	int		 zopen;		/* z needs inflateEnd() */
	int		 zmid;		/* inside a gzip member */
	z_stream	 z;
	unsigned char	*in;		/* bytes read, not yet used */
	size_t		 inoff, inlen;
	const char	*err;		/* what failed (static text) */
};

int			 logfile_open(struct logfile *, const char *);
ssize_t			 logfile_read(struct logfile *, char *, size_t);
enum logfile_change	 logfile_check(struct logfile *);
int			 logfile_reopen(struct logfile *);
int			 logfile_followable(const struct logfile *);
void			 logfile_close(struct logfile *);

/* sess.c */
/* What the next smtp-out reply answers. */
enum sess_phase {
	PH_NONE,
	PH_MAIL,
	PH_RCPT,
	PH_DATA,
	PH_DOT,
	PH_HELO,
	PH_STARTTLS,
	PH_AUTH,
	PH_OTHER
};

struct sess {
	RB_ENTRY(sess)	 entry;		/* sess_tree: by sid and dir */
	RB_ENTRY(sess)	 idle;		/* sess_idle: by idle_at, then sid */
	uint64_t	 sid;
	int		 dir;
	int64_t		 id;		/* session.id */
	int64_t		 tx;		/* open tx.id, 0 if none */
	uint32_t	 msgid;		/* of tx */
	int		 committed;	/* tx may be committed (counted) */
	int64_t		 last;		/* time of the last event */
	int64_t		 idle_at;	/* last when placed in sess_idle */
	enum sess_phase	 phase;
	int		 timedout;
	int		 lmtp;
	int		 connected;
	int		 connect_stored; /* link-connect's columns inserted */
	int		 authing;	/* in: inside an AUTH exchange */
	int		 said;		/* the client sent a command */
	int64_t		 awaiting;	/* attempt (out) or rcpt (0.4 in)
					   waiting for its reply */
	int64_t		*ids;		/* in: evpids waiting for tx-rcpt;
					   out: attempts accepted at RCPT */
	size_t		 nids, idcap;
	int64_t		*envt;		/* in: the times of the last nenv
					   ids, their rows not inserted */
	size_t		 nenv, envcap;
	struct buf	 reply;		/* in: last reply line */
	struct buf	 rcptto;	/* out: address of the last RCPT TO */
	struct buf	 mailfrom;	/* out: address of the last MAIL FROM */
	int64_t		 mailfrom_event; /* out: its event; 0 not stored */
	uint64_t	 filters[2];	/* filter responses seen (hour.c) */
	int64_t		 client_event;	/* in: the last command's event */
	int		 client_filter;	/* in: a filter's decision since */
	int		 events_unknown; /* taken back: hour.c asks the events */
	int64_t		*lives[LIFE_MARK_MAX];	/* in: the lives of tx this */
	size_t		 nlives[LIFE_MARK_MAX];	/* run stored: its envelopes */
	size_t		 livecap[LIFE_MARK_MAX]; /* and refused recipients */
	int		 lives_unknown;	/* tx taken back: ask the database */
	struct sess_held *held;		/* columns not written, or NULL */
};

/*
 * Columns written with the row's next update (the greeting with the
 * HELO or the session's end, the DATA result with the tx's commit or
 * end) rather than on their own: join_held_flush() writes those still
 * held before each commit.  Made only while one is held.
 */
struct sess_held {
	int		 what;		/* SESS_HELD_* */
	int64_t		 data_result;	/* tx-data of the open tx */
	struct buf	 greeting;	/* link-greeting */
};
#define SESS_HELD_GREETING	0x1
#define SESS_HELD_DATA		0x2

RB_HEAD(sess_tree, sess);
RB_HEAD(sess_idle, sess);
int	sess_cmp(struct sess *, struct sess *);
RB_PROTOTYPE(sess_tree, sess, entry, sess_cmp);

/* The open sessions, found by id, and the longest silent first. */
struct sess_set {
	struct sess_tree	 byid;
	struct sess_idle	 idle;
	struct sess		*found;		/* the last sess_find()'s */
	struct sess		*holding;	/* the one holding envelope
						   rows back (join_held.c) */
	size_t			 n;
};

void		 sess_init(struct sess_set *);
struct sess	*sess_find(struct sess_set *, uint64_t, int);
struct sess	*sess_new(struct sess_set *, uint64_t, int, int64_t);
void		 sess_touch(struct sess_set *, struct sess *, int64_t);
struct sess	*sess_oldest(struct sess_set *);
void		 sess_free(struct sess_set *, struct sess *);
void		 sess_free_all(struct sess_set *);
struct sess_held *sess_held(struct sess *);
void		 sess_held_free(struct sess *);
void		 sess_push(struct sess *, int64_t);
void		 sess_push_envelope(struct sess *, int64_t, int64_t);
void		 sess_life(struct sess *, enum life_mark_kind, int64_t);
void		 sess_lives_forget(struct sess *);
void		 sess_command(struct sess *, const struct proto_str *, int64_t);
void		 sess_seen(struct sess *, enum proto_event, int64_t,
		    const struct proto_str *);

/* hour.c */
struct hour_cell {			/* a count of the batch */
	int64_t		 hour;
	int		 kind;
	char		*key;
	size_t		 keylen;
	int64_t		 n;
};

enum hour_row {
	HOUR_SESSION,
	HOUR_ENVELOPE,
	HOUR_LIFE,
	HOUR_ATTEMPT,
	HOUR_TX
};

struct hour_tab {
	struct db	*db;
	struct evq	*evq;		/* events not yet written, or NULL */
	sqlite3_stmt	*stmt[7];
	struct hour_cell *cells;
	size_t		 n, cap;
	size_t		*slot;		/* cells by hash: index + 1, 0 free */
	size_t		 nslot;
};

int	 hour_open(struct hour_tab *, struct db *, struct evq *);
void	 hour_close(struct hour_tab *);
void	 hour_discard(struct hour_tab *);
int	 hour_flush(struct hour_tab *);
int	 hour_new(struct hour_tab *, enum hour_row, int64_t, int64_t,
	    int64_t *);
int	 hour_filter(struct hour_tab *, struct sess *, int64_t, int64_t,
	    const struct proto_str *);

/* evq.c: event rows written several to a statement */

#define EVQ_ROWS	128
#define EVQ_TEXT	(64 * 1024)	/* their parameters and raw lines */

struct evq_row {
	int64_t		 t, k, s, m;
	int		 has_t, has_m;
	size_t		 x, xlen;	/* offsets in text */
	size_t		 raw, rawlen;
};

struct evq {
	struct db	*db;
	sqlite3_stmt	*one, *all, *last;
	struct evq_row	 row[EVQ_ROWS];
	size_t		 n, used;
	int64_t		 next;		/* the next row's id; 0: ask */
	char		 text[EVQ_TEXT];
};

int	 evq_open(struct evq *, struct db *);
void	 evq_close(struct evq *);
int64_t	 evq_add(struct evq *, const int64_t *, int64_t, int64_t,
	    const int64_t *, const struct proto_str *, const char *, size_t);
int	 evq_flush(struct evq *);
int	 evq_sync(struct evq *);
void	 evq_forget(struct evq *);

/* store_sql.c: the writer's statements, by number */

enum store_stmt {
	STMT_EVENT_RARE,
	STMT_SESSION_NEW,
	STMT_SESSION_NEW_CONNECT,
	STMT_SESSION_CONNECT,
	STMT_SESSION_HELD,
	STMT_SESSION_TLS,
	STMT_SESSION_AUTH,
	STMT_SESSION_END,
	STMT_SESSION_FAIL,
	STMT_SESSION_MAIL,
	STMT_TX_NEW,
	STMT_TX_MAIL,
	STMT_TX_MAIL_LATE,
	STMT_TX_DATA,
	STMT_TX_COMMIT,
	STMT_TX_RECOMMIT,
	STMT_TX_ROLLBACK,
	STMT_TX_END,
	STMT_RCPT_NEW,
	STMT_RCPT_REPLY,
	STMT_ENVELOPE_NEW,
	STMT_ENVELOPE_RCPT,
	STMT_ATTEMPT_NEW,
	STMT_ATTEMPT_RCPT,
	STMT_ATTEMPT_END,
	STMT_CONFIG,
	STMT_COUNTER,
	STMT_COUNTER_GET,
	STMT_FIND_SESSION,
	STMT_FIND_TX,
	STMT_FIND_ATTEMPTS,
	STMT_FIND_ENVELOPES,
	STMT_FIND_EVENT,
	STMT_FIND_FILTER,
	STMT_FIND_HELO,
	STMT_FIND_ATTEMPT_T,
	STMT_TX_ENVELOPES,
	STMT_TX_REFUSED,
	STMT_OUTCOME_NEW,
	STMT_OUTCOME_REF,
	STMT_OUTCOME_ATTEMPT,
	STMT_OUTCOME_CREATED,
	STMT_OUTCOME_AFTER,
	STMT_OUTCOME_UNQUEUED,
	STMT_OUTCOME_NEWEST,
	STMT_COUNTER_ADD,
	STMT_PRUNE_SEED,
	STMT_PRUNE_SESS_EVP,
	STMT_PRUNE_EVP_SESS,
	STMT_PRUNE_SESS_OLD,
	STMT_PRUNE_SESS_REFUSED,
	STMT_PRUNE_ENV_OLD,
	STMT_PRUNE_DEL_RARE,
	STMT_PRUNE_DEL_EVENTS,
	STMT_PRUNE_DEL_HOUR,
	STMT_PRUNE_DEL_RCPT,
	STMT_PRUNE_DEL_ATTEMPTS,
	STMT_PRUNE_DEL_TX,
	STMT_PRUNE_DEL_SESSION,
	STMT_PRUNE_DEL_ENVELOPE,
	STMT_PRUNE_DEL_RAW,
	STMT_PRUNE_SIZE,
	STMT_PRUNE_AUTOVAC,
	STMT_PRUNE_VACUUM,
	STMT_PRUNE_INCR,
	STMT_REFUSAL_NEW,
	STMT_PRUNE_DEL_REFUSALS,
	STMT_PRUNE_DEL_OUTCOME,
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_MAX
};

extern const char *const store_sql[STMT_MAX];

/* bulk.c: the indexes a load into a new database makes at its end */
extern const char *const bulk_indexes[];
extern const size_t bulk_nindexes;
int		 bulk_begin(struct db *, int);
int		 bulk_end(struct db *, int);
int		 bulk_need(struct db *);

/* store.c */

struct store;

/* store_open() returns NULL and sets *errstr (static text) on failure. */
struct store	*store_open(const char *, int, char **);
void		 store_close(struct store *);
int		 store_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);
unsigned long	 store_recovered(struct store *);
int		 store_failed(struct store *);
void		 store_hour(struct store *, enum hour_row, int64_t, int64_t);
int64_t		 store_domain(struct store *, const char *);
void		 store_settled(struct store *, int64_t);
void		 store_filter(struct store *, struct sess *, int64_t, int64_t,
		    const struct proto_str *);
const char	*store_errmsg(struct store *);
int64_t		 store_event(struct store *, const int64_t *, int64_t,
		    int64_t, const int64_t *, const struct proto_str *,
		    const char *, size_t);
int64_t		 store_run(struct store *, enum store_stmt, const char *, ...);
void		 store_tx(struct store *, enum store_stmt, enum store_stmt, int,
		    int64_t, const char *, ...);
int		 store_find(struct store *, enum store_stmt, int64_t, int64_t,
		    int64_t *, int64_t *);
int		 store_find3(struct store *, enum store_stmt, int64_t, int64_t,
		    int64_t, int64_t *);
void		 store_counters(struct store *, int64_t *, int);
int		 store_find_text(struct store *, enum store_stmt, int64_t,
		    int64_t, int64_t *, int64_t *, struct buf *);
size_t		 store_list(struct store *, enum store_stmt, int64_t, int64_t *,
		    size_t);
int64_t		 store_changes(struct store *);
struct db	*store_db(struct store *);
void		 store_mark(struct store *, enum life_mark_kind, int64_t);
void		 store_mark_tx(struct store *, int64_t, int64_t);
int		 store_exec_stmt(struct store *, enum store_stmt);
void		 store_need_events(struct store *);
int		 store_bulk_begin(struct store *, int);
int		 store_bulk_end(struct store *, int);
const char	*store_bulk_error(struct store *);

/* spill.c */
struct spill {
	char		*path;		/* "<database>-spill" */
	int		 fd;		/* -1 when there is no journal */
	int64_t		 id;		/* from the journal's first line */
	off_t		 size;		/* bytes in the journal */
	off_t		 start;		/* size when this process found it */
};

void	spill_init(struct spill *, const char *);
void	spill_free(struct spill *);
int	spill_find(struct spill *);
int	spill_create(struct spill *);
int	spill_append(struct spill *, const char *, size_t);
ssize_t	spill_read(struct spill *, off_t, char *, size_t);
off_t	spill_body(const struct spill *);
void	spill_remove(struct spill *);

/* ingest.c */
struct proto_str;
struct report;
struct store;


#define INGEST_NO_DIALOGUE	0x01
#define INGEST_MAX_SESSIONS	20000	/* open sessions kept by default */

struct ingest {
	struct store		*st;
	struct sess_set		 sessions;
	size_t			 max_sessions;	/* past it, the longest silent
						   are closed */
	int64_t			 latest;	/* newest event time */
	int			 flags;
	int64_t			 count[CNT_MAX];
	struct log_limit	 limit;
	struct buf		 scratch;	/* a masked line */
	int64_t			 event;		/* the line's event; 0 none */
	int			 fresh;		/* the database had no open
						   session, and all this one
						   opened are in memory */
};

void	 ingest_init(struct ingest *, struct store *, int);
size_t	 ingest_max_arg(const char *);
void	 ingest_clear(struct ingest *);
void	 ingest_line(struct ingest *, const char *, size_t);
int	 ingest_save(struct ingest *);

/* join.c: what each event does to the joined tables. */
void	 join_event(struct ingest *, struct sess *, const struct report *);
void	 join_close(struct ingest *, struct sess *, int64_t, const char *);
void	 join_held_flush(struct ingest *);
int	 join_held_envelope(struct ingest *, struct sess *, size_t, int64_t);
void	 join_held_envelopes(struct ingest *, struct sess *);
int	 join_held_greeting(const struct sess *, struct proto_str *);
int	 join_held_data(struct sess *, int64_t *);
void	 join_held_drop(struct sess *, int);
struct sess *join_session(struct ingest *, const struct report *);

/* sess_outcome.c: what a session came to (session.outcome). */
void	 sess_outcome_reply(struct ingest *, struct sess *,
	    const struct proto_str *, int);
void	 sess_outcome_auth(struct ingest *, struct sess *, enum proto_result);
void	 sess_outcome_timeout(struct ingest *, struct sess *);
void	 sess_outcome_mail(struct ingest *, struct sess *);
const char *sess_outcome_end(const struct sess *);

/* reload.c: a session the collector no longer remembers. */
struct sess *reload_session(struct ingest *, const struct report *);

/* batch.c */
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
void	batch_abandon(struct batch *);
void	batch_spill_found(struct batch *, struct spill *);
void	batch_spill_resume(struct batch *);
int	batch_pending(const struct batch *);

/* maillog.c */
enum maillog_kind {
	MAILLOG_NONE = 0,
	MAILLOG_MTA,		/* <sid> mta delivery evpid=... */
	MAILLOG_MDA,		/* <sid> mda delivery evpid=... */
	MAILLOG_EXPIRE,		/* relay: Expire for <evpid>: ... */
	MAILLOG_REMOVE,		/* relay: Remove for <evpid>: ... */
	MAILLOG_MESSAGE,	/* <sid> smtp message msgid=... */
	MAILLOG_ENVELOPE,	/* <sid> smtp envelope evpid=... */
	MAILLOG_BOUNCE,		/* debug: queue: bouncing evp:X as evp:Y */
	MAILLOG_UNQUEUED,	/* debug: scheduler: evp:X removed */
	MAILLOG_KIND_MAX
};

/* How the line gives its time. */
enum maillog_stamp {
	MAILLOG_STAMP_NONE,	/* none: smtpd -d output as it is */
	MAILLOG_STAMP_SYSLOG,	/* "Nov 23 10:14:02": local, no year */
	MAILLOG_STAMP_ABS	/* RFC 3339 or "<epoch> ": time is set */
};

/* Text fields; p is NULL if the line has none ("-" counts as none). */
enum maillog_field {
	MLF_HOST,		/* syslog host */
	MLF_MSG,		/* smtpd's message, after the syslog header */
	MLF_FROM,		/* sender; empty for the null sender */
	MLF_TO,			/* recipient (after expansion) */
	MLF_RCPT,		/* original recipient, if expanded */
	MLF_SOURCE,		/* mta: our address */
	MLF_RELAY,		/* mta: "ip (ptr)"; session 0: domain */
	MLF_USER,		/* mda: the local user */
	MLF_STAT,		/* the status text */
	MLF_PROTO,		/* smtp message: ESMTP or SMTP */
	MLF_MAX
};

enum maillog_error {
	MAILLOG_OK = 0,
	MAILLOG_SKIP,		/* not one of the lines taken */
	MAILLOG_EFORMAT,	/* one of them, but its fields do not fit */
	MAILLOG_EVALUE		/* one of them, with a bad value */
};

/*
 * A parsed line.  Strings point into the caller's buffer, which must
 * outlive the struct; nothing is allocated or modified.
 */
struct maillog {
	const char		*line;		/* without '\n' or "\r\n" */
	size_t			 len;
	enum maillog_stamp	 stamp;
	int64_t			 time;		/* ABS: microseconds, UTC */
	int			 mon, mday;	/* SYSLOG: 0-11, 1-31 */
	int			 hour, min, sec;
	enum maillog_kind	 kind;
	const char		*agent;		/* expire, remove: "relay" or
						   "delivery" (static) */
	uint64_t		 sid;		/* 0: none, or session 0 */
	uint64_t		 evpid;
	uint64_t		 bounce;	/* its bounce envelope */
	uint32_t		 msgid;		/* smtp message */
	int			 has_delay;
	int64_t			 delay;		/* seconds */
	int64_t			 size, nrcpt;	/* smtp message; else -1 */
	enum proto_result	 result;	/* RES_NONE: none */
	struct proto_str	 f[MLF_MAX];
};

int		 maillog_parse(struct maillog *, const char *, size_t);
const char	*maillog_strerror(int);
const char	*maillog_kind_name(enum maillog_kind);

/* outcome.c */
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

/* prune.c */
struct prune {
	int64_t		 cutoff;	/* what ended before goes */
	int64_t		 cursor;	/* last session looked at */
	int		 done;		/* this pass is over */
	struct idset	 kept;		/* sessions of traces kept */
	int64_t		 retain;	/* collect: microseconds, 0 off */
	int64_t		 next_pass;	/* collect: when to start again */
	int64_t		 sessions, envelopes, rows, traces;	/* removed */
};

void	prune_init(struct prune *, int64_t);
int64_t	prune_step(struct prune *, struct store *, size_t);
void	prune_free(struct prune *);
void	prune_tick(struct prune *, struct store *, int64_t);
int	prune_vacuum(struct store *, int, int64_t *, int64_t *);

/* reply.c */
int	reply_queue_id(const char *, size_t, struct proto_str *);

#endif
