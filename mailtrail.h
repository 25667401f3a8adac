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
 * mailtrail.h: the shared base of every part: the command entries, the
 * log, allocation and buffers, the report protocol parser, conversions
 * and the database handle.  A section per file.
 */
#ifndef MAILTRAIL_H
#define MAILTRAIL_H

#include <sys/tree.h>

#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define US_PER_SEC	1000000LL	/* times are microseconds */

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

/*
 * mailtrail.c and live.c: each command file defines its entry.  exec
 * returns the exit status, or CMD_HELP or CMD_USAGE for util_run() to
 * print the usage.  In mailtrail's table, exec is NULL for a command
 * that runs in mailtrail-live.
 */
#define CMD_HELP	(-2)
#define CMD_USAGE	(-1)

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*help;
	int		(*exec)(int, char **);
};

/*
 * The commands that need libevent or ncurses run in a second program,
 * mailtrail-live (live.c), so that the others load neither.  mailtrail
 * lists them by these lines and hands them over (mailtrail_live()).
 */
#define COLLECT_HELP	"read smtpd's report stream on stdin (run by smtpd)"
#define TUI_HELP	"watch mail live: envelopes, sessions, each life and " \
			    "dialogue"
#define METRICS_HELP	"Prometheus metrics: the queue, deliveries, " \
			    "sessions, the collector"

extern const struct cmd_entry collect_entry;
extern const struct cmd_entry replay_entry;
extern const struct cmd_entry trace_entry;
extern const struct cmd_entry export_entry;
extern const struct cmd_entry stats_entry;
extern const struct cmd_entry tui_cmd_entry;
extern const struct cmd_entry report_entry;
extern const struct cmd_entry sql_entry;
extern const struct cmd_entry prune_cmd_entry;
extern const struct cmd_entry maillog_cmd_entry;
extern const struct cmd_entry check_entry;
extern const struct cmd_entry metrics_entry;

/* log.c */
/*
 * Allows the first message, then one per interval, which doubles while
 * messages keep coming; counts the ones it held back.  Zero: none yet.
 */
struct log_limit {
	time_t		last;		/* when one was last printed */
	time_t		seen;		/* when one last came */
	time_t		interval;	/* seconds before the next one */
	unsigned long	held;		/* since the last one printed */
};

void	log_init(const char *);
void	log_warn(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
int	log_error(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
int	log_limit_pass(struct log_limit *, time_t, unsigned long *);
void	log_limited(struct log_limit *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
void	log_recovered(struct log_limit *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
__dead void fatal(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
__dead void fatalx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));

/* util.c */
/* A growable byte string; the owner frees p. */
struct buf {
	char	*p;
	size_t	 len, cap;
};

/* A set of ids (session rows, evpids): idset_add, idset_has. */
struct idset_node {
	RB_ENTRY(idset_node)	 entry;
	int64_t			 id;
};
RB_HEAD(idset_tree, idset_node);
struct idset {
	struct idset_tree	 tree;
	size_t			 n;
};
#define IDSET_INITIALIZER(s)	{ RB_INITIALIZER(&(s)->tree), 0 }

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
void	*xgrow(void *, size_t, size_t *, size_t, size_t);
int	 idset_add(struct idset *, int64_t);
int	 idset_has(struct idset *, int64_t);
void	 idset_free(struct idset *);
void	 buf_set(struct buf *, const char *, size_t);
void	 buf_append(struct buf *, const char *, size_t);
char	*buf_reserve(struct buf *, size_t);
void	 buf_free(struct buf *);
#define UTIL_OBUF	65536	/* bytes written to a pipe or file at once */
void	 util_stdout(void);
int	 util_run(const struct cmd_entry *, int, char **);
int	 util_inputs(int, char **);
int64_t	 util_now(void);
int64_t	 util_pctl(const int64_t *, size_t, int);
#define UTIL_HASH_INIT	14695981039346656037ULL	/* util_hash()'s start */
uint64_t util_hash(uint64_t, const void *, size_t);
const char *util_domain(struct buf *, const char *);
#define ESCAPE_QUOTE_MAX	200	/* bytes of a line quoted in a log */
#define ESCAPE_QUOTE_SIZE	(ESCAPE_QUOTE_MAX * 4 + 6)

size_t	escape_bytes(char *, size_t, const char *, size_t);
size_t	escape_text(char *, size_t, const char *, size_t);
const char *escape_quote(char *, const char *, size_t);
const char *buf_escape(struct buf *, const char *, size_t);

/* proto.c */
#define PROTO_HEADER_MAX	128

enum proto_event {
	EVT_NONE = 0,
	EVT_LINK_CONNECT,
	EVT_LINK_DISCONNECT,
	EVT_LINK_GREETING,
	EVT_LINK_IDENTIFY,
	EVT_LINK_TLS,
	EVT_LINK_AUTH,
	EVT_TX_RESET,
	EVT_TX_BEGIN,
	EVT_TX_MAIL,
	EVT_TX_RCPT,
	EVT_TX_ENVELOPE,
	EVT_TX_DATA,
	EVT_TX_COMMIT,
	EVT_TX_ROLLBACK,
	EVT_PROTOCOL_CLIENT,
	EVT_PROTOCOL_SERVER,
	EVT_FILTER_REPORT,
	EVT_FILTER_RESPONSE,
	EVT_TIMEOUT,
	EVT_MAX
};

enum proto_dir {
	DIR_IN = 0,
	DIR_OUT = 1
};

enum proto_result {
	RES_OK = 0,
	RES_TEMPFAIL,
	RES_PERMFAIL,
	RES_ERROR,
	RES_NONE = -1
};

/* Canonical field slots; each event uses a few of them. */
enum proto_field {
	F_MSGID,	/* tx-*: 8 hex */
	F_RESULT,	/* tx-mail, tx-rcpt, tx-data, link-auth */
	F_ADDR,		/* tx-mail, tx-rcpt */
	F_EVPID,	/* tx-envelope */
	F_SIZE,		/* tx-commit */
	F_RDNS,		/* link-connect */
	F_FCRDNS,
	F_SRC,
	F_DEST,
	F_TEXT,		/* greeting, identity, tls, username, protocol lines */
	F_METHOD,	/* link-identify */
	F_PHASE,	/* filter-response */
	F_RESPONSE,
	F_PARAM,
	F_KIND,		/* filter-report */
	F_NAME,
	F_MAX
};

enum proto_error {
	PROTO_OK = 0,
	PROTO_ENOTREPORT,	/* not a report| line */
	PROTO_EVERSION,		/* unknown protocol version */
	PROTO_ETIME,		/* bad timestamp */
	PROTO_ESUBSYSTEM,
	PROTO_EEVENT,		/* unknown event */
	PROTO_ESESSION,		/* bad session id */
	PROTO_EFIELDS,		/* wrong number of parameters */
	PROTO_EVALUE,		/* a parameter has a bad value */
	PROTO_ENUL		/* a NUL byte in the line */
};

struct proto_str {
	const char	*p;
	size_t		 len;
};

/*
 * A parsed line.  Strings point into the caller's buffer, which must
 * outlive the struct; nothing is allocated or modified.
 */
struct report {
	const char	*line;		/* the whole line, without '\n' */
	size_t		 len;
	int		 minor;		/* protocol 0.<minor> */
	int64_t		 time;		/* microseconds since the epoch */
	enum proto_dir	 dir;
	enum proto_event event;
	uint64_t	 session;
	uint32_t	 msgid;
	uint64_t	 evpid;
	int64_t		 size;
	enum proto_result result;
	const char	*params;	/* everything after the session id */
	size_t		 paramslen;	/* (0 and NULL if none) */
	struct proto_str f[F_MAX];	/* fields by slot; p is NULL if absent */
};

int		 proto_parse(struct report *, const char *, size_t);
int		 proto_parse_params(struct report *, int, enum proto_event,
		    const char *, size_t);
const char	*proto_strerror(int);
const char	*proto_event_name(enum proto_event);
enum proto_event proto_event_lookup(const char *, size_t);
const char	*proto_result_name(enum proto_result);
int		 proto_canonical(const struct report *);
int		 proto_header_format(const struct report *, char *, size_t);
int		 proto_secret(const char *, size_t, int, size_t *);
int64_t		 proto_kind(const struct report *);
void		 proto_kind_split(int64_t, int *, int *, int *);

/* to.c */
#define TO_ISO_US	0	/* 2026-11-23T14:08:07.060475Z */
#define TO_ISO		1	/* 2026-11-23T14:08:07Z */
#define TO_DATETIME	2	/* 2026-11-23 14:08:07 */
#define TO_MINUTE	3	/* 2026-11-23 14:08 */
#define TO_DAY		4	/* 2026-11-23 */
#define TO_CLOCK	5	/* 14:08:07 */

void	 time_to_text(int64_t, int, char *, size_t);
void	 duration_to_text(int64_t, char *, size_t);
void	 offset_to_text(int64_t, char *, size_t);
void	 estimate_to_text(int64_t, int, char *, size_t);
int	 text_to_time(const char *, int64_t, int64_t *);
int	 text_to_duration(const char *, int64_t *);
int	 text_to_id(const char *, size_t, uint64_t *);

/* A life's status: the one list; the writer decides it (collector/life*.c). */
enum life_status {
	LIFE_QUEUED,		/* accepted, no settled attempt yet */
	LIFE_DELIVERED,	/* the next hop accepted it */
	LIFE_DEFERRED,		/* the last attempt failed temporarily */
	LIFE_FAILED,		/* failed permanently; a bounce follows */
	LIFE_REJECTED,		/* refused at smtp-in: no envelope */
	LIFE_ABORTED,		/* smtp-in transaction never committed */
	LIFE_EXPIRED,		/* smtpd gave up: the queue lifetime ended */
	LIFE_REMOVED,		/* removed from the queue (smtpctl remove) */
	LIFE_NSTATUS
};

const char	*status_to_text(int);
int		 text_to_status(const char *);

/*
 * What a session came to (session.outcome): the one list of names; the
 * writer decides it (collector/sess_outcome.c).
 */
enum session_outcome {
	SO_MAIL,		/* a message was committed */
	SO_REFUSED_CONNECT,	/* the banner or a filter refused the link */
	SO_REFUSED_HELO,
	SO_REFUSED_MAIL,
	SO_REFUSED_RCPT,
	SO_REFUSED_DATA,
	SO_AUTH_FAILED,
	SO_TLS_FAILED,		/* STARTTLS refused, or never completed */
	SO_TIMEOUT,
	SO_CONNECT_FAILED,	/* smtp-out: a disconnect alone */
	SO_ABORTED,		/* closed inside a transaction */
	SO_NO_MAIL,
	SO_N
};

const char	*session_outcome_to_text(int);
int		 text_to_session_outcome(const char *);

/*
 * The collector's counters, saved with each commit in table counter
 * (name, value): the one list of their names, that the collector
 * writes and stats, metrics and check read.
 */
enum counter {
	CNT_LINES,		/* every line received */
	CNT_EVENTS,		/* report lines parsed */
	CNT_REJECTED,		/* lines that did not parse (kept raw) */
	CNT_CONFIG,		/* config| lines */
	CNT_DIALOGUE_SKIPPED,	/* protocol lines not kept (--no-dialogue) */
	CNT_AUTH_MASKED,	/* AUTH arguments masked by us */
	CNT_EXPIRED,		/* sessions closed for want of a disconnect */
	CNT_EVICTED,		/* sessions closed early: too many open */
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

const char	*counter_to_text(int);
int		 text_to_counter(const char *);

/* db.c */
#define DB_DEFAULT	"/var/lib/mailtrail/trail.db"
#define DB_VERSION	19	/* PRAGMA user_version: schema/NNN-*.sql */
#define DB_MMAP_SIZE	"2147418112"	/* a reader maps up to this many bytes */
#define DB_WRITE	0x1	/* db_open(): read-write, created, migrated */

/*
 * An event's time and kind are stored as offsets from these
 * (schema/019-event-bytes.sql): t_off = t - DB_T_OFF, k_off = k - DB_K_OFF.
 * Its columns t and k compute them back; a reader of many rows reads
 * the offsets and adds these itself.
 */
#define DB_T_OFF	1798761600000000	/* 2027-01-01 00:00 UTC, us */
#define DB_K_OFF	128
#define DB_STR(v)	DB_STR1(v)
#define DB_STR1(v)	#v

/*
 * The condition of the partial index session_outcome (schema/017-size.sql)
 * on column c: SQLite uses the index only for a query that names it.
 */
#define DB_OUTCOME_INDEXED(c)	c " <> 'mail'"

/*
 * The evpids of the envelopes of msgid m (an SQL parameter, "?1"):
 * smtpd makes an evpid of its msgid and 32 random bits, so they are a
 * range of envelope's rowid; an envelope stored against that rule is
 * found by the partial index envelope_msgid (schema/017-size.sql).
 */
#define DB_MSGID_EVPIDS(m) "SELECT evpid FROM envelope WHERE evpid " \
	"BETWEEN " m " << 32 AND (" m " << 32) + 4294967295 AND msgid = " \
	m " UNION ALL SELECT evpid FROM envelope WHERE msgid = " m " AND " \
	"msgid != evpid >> 32"

struct db {
	sqlite3			 *h;
	char			 *path;
	const char *const	 *sql;		/* db_stmt()'s statements */
	sqlite3_stmt		**stmt;
	size_t			  nsql;
	int			  writer;	/* opened with DB_WRITE */
	char			  err[1024];	/* why the last call failed */
};

const char	*db_default(void);
int		 db_arg(const char **, const char *);
int		 db_named(const char *);
void		 db_setup(void);
int		 db_open(struct db *, const char *, int, int);
void		 db_close(struct db *);
int		 db_fail(struct db *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
const char	*db_error(const struct db *);
int		 db_exec(struct db *, const char *);
int		 db_views(struct db *);
int		 db_views_next(const char **, struct buf *);
void		 db_statements(struct db *, const char *const *, size_t);
sqlite3_stmt	*db_stmt(struct db *, size_t);
sqlite3_stmt	*db_prepare(struct db *, sqlite3_stmt **, const char *);
int64_t		 db_col_int(sqlite3_stmt *, int, int64_t);

/* mem.c */
int		 mem_setup(void);

/* schema.c, made by schema/embed.sh from the SQL files of schema/ */
extern const char *const schema_migrations[];
extern const int schema_nmigrations;
extern const char schema_views[];
extern const char schema_writer[];

#endif
