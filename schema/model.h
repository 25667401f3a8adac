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
 * model.h: the envelope life read model, shared by every reader (trace,
 * export, the TUI, reports).  Open the database, parse a query, iterate
 * the matching lives one at a time, free.  A life returned by
 * model_next() stays valid until the next call or model_iter_free().
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>

#define MODEL_TERMS_MAX	32
#define MODEL_EVENTS	0x1	/* model_lives() flag: each life's events */
#define MODEL_NOLINKS	0x2	/* model_lives() flag: no bounce links */
/* A database whose last event is older than this is not live. */
#define MODEL_STALE	(5 * 60 * 1000000LL)

enum model_result {
	MODEL_PENDING = -1,	/* attempt still in progress */
	MODEL_OK = 0,
	MODEL_TEMPFAIL = 1,
	MODEL_PERMFAIL = 2
};

enum model_term_kind {
	TERM_ID16,		/* evpid or session id */
	TERM_MSGID,
	TERM_FROM,
	TERM_TO,
	TERM_IP,
	TERM_HELO,
	TERM_STATUS,
	TERM_SINCE,
	TERM_UNTIL,
	TERM_OUTCOME		/* what a session came to */
};

struct model_term {
	enum model_term_kind	 kind;
	uint64_t		 id;		/* ID16, MSGID */
	int64_t			 t;		/* SINCE, UNTIL: microseconds */
	int			 status;	/* STATUS */
	int			 refused;	/* STATUS, OUTCOME: "refused" */
	int			 domain;	/* FROM, TO: "@domain" */
	const char		*s;		/* FROM, TO, IP, HELO, OUTCOME
						   (argv) */
};

/* QUERY terms, ANDed.  Strings point into the caller's argv. */
struct model_query {
	struct model_term	 terms[MODEL_TERMS_MAX];
	size_t			 n;
	int64_t			 at;		/* trace --at: lives as they
						   stood then; 0 now */
	int			 fixed;		/* as_of is the caller's */
	int64_t			 as_of;		/* model_as_of(); export -j */
};

/* One report event, as a life shows it. */
struct model_event {
	int64_t		 id;
	int64_t		 t;
	int		 event;		/* enum proto_event; 0: kept raw */
	int		 dir;		/* 0 smtp-in, 1 smtp-out */
	int		 minor;
	uint64_t	 session;	/* smtpd session id */
	int		 has_msgid;
	uint32_t	 msgid;
	const char	*text;		/* params after the msgid, or raw */
	size_t		 len;
	int		 others;	/* in a life: after its refused RCPT,
					   the other recipients' */
};

/* A session's own facts. */
struct model_session {
	int64_t		 id;		/* session.id */
	uint64_t	 sid;
	int		 dir;
	int64_t		 t_start, t_end;
	const char	*end_reason, *rdns, *fcrdns, *src, *dest, *helo;
	const char	*tls, *auth_user;
	const char	*outcome;	/* what it came to (schema 11); NULL */
	int64_t		 reason;	/* event.id that decided it; 0 */
	const char	*mail_from;	/* smtp-in: a refused MAIL FROM */
	int		 has_auth;	/* link-auth reported */
	int		 auth_result;	/* its enum proto_result */
};

/* Where an attempt comes from. */
enum model_source {
	MODEL_SRC_REPORT,	/* the report stream's tx-* lines */
	MODEL_SRC_REFUSAL,	/* a refused MAIL FROM (out_refusal) */
	MODEL_SRC_MAILLOG	/* only smtpd's maillog (mta line) */
};

struct model_attempt {
	int64_t			 id;		/* attempt.id; 0 if inferred */
	struct model_session	 session;
	int64_t			 t;		/* start (MAIL FROM accepted) */
	int64_t			 t_end;		/* 0 while in progress */
	const char		*address;
	enum model_result	 result;
	const char		*reply;		/* NULL: no reply (timeout) */
	int			 inferred;	/* from a refused MAIL FROM */
	int64_t			 event_from;	/* inferred: its MAIL FROM */
	const char		*remote_id;	/* the next hop's queue id */
	enum model_source	 source;
	int			 confirmed;	/* a maillog mta line agrees */
	int64_t			 refusal;	/* out_refusal.id it is */
	int64_t			 outcome;	/* outcome.id: an mta line alone */
	int			 estimated;	/* t_end (maillog alone: t too)
						   from a line without a time */
};

enum model_outcome_kind {
	MODEL_OC_MDA,		/* local delivery */
	MODEL_OC_EXPIRE,
	MODEL_OC_REMOVE
};

/* A maillog fact about a life that is not an smtp-out attempt. */
struct model_outcome {
	enum model_outcome_kind	 kind;
	int64_t			 t;		/* 0: unknown */
	int			 estimated;	/* t: the line had none */
	uint64_t		 sid;		/* mda: smtpd's own id */
	int64_t			 id;		/* outcome.id */
	enum model_result	 result;	/* mda; PENDING otherwise */
	const char		*stat, *user, *agent;
};

/*
 * The smtp-out sessions that failed before any transaction, as the
 * writer decided each session's outcome (schema 11): an SQL condition
 * on session alias s, read by the index session_outcome (outcome,
 * t_start) with a bound on t_start (the unary + keeps the planner off
 * session_dir_outcome, which has no time in it: a scan of every failed
 * session of the database).  One rule for every reader.
 */
#define MODEL_FAILED_OUTCOMES(F, SEP) F("refused-connect") SEP \
	F("refused-helo") SEP F("refused-mail") SEP F("auth-failed") SEP \
	F("tls-failed") SEP F("timeout") SEP F("connect-failed")
#define MODEL_FAILED_QUOTE(o) "'" o "'"
#define MODEL_FAILED_REST(s) "+" s ".dir = 1 AND NOT EXISTS (SELECT 1 " \
	"FROM tx WHERE tx.session = " s ".id)"
#define MODEL_FAILED_SQL(s) s ".outcome IS NOT NULL AND " \
	DB_OUTCOME_INDEXED(s ".outcome") " AND " s ".outcome IN (" \
	MODEL_FAILED_OUTCOMES(MODEL_FAILED_QUOTE, ", ") ") AND " \
	MODEL_FAILED_REST(s)

/* How a failed session is linked to a waiting life (docs/json.md). */
enum model_wait_link {
	MODEL_WAIT_MAILLOG,	/* an mta line names the envelope and it */
	MODEL_WAIT_RELAY,	/* to a next hop the envelope was sent to */
	MODEL_WAIT_ANY		/* next hop unknown: not necessarily its own */
};

/* Failed sessions of one kind while a life waited (model_wait.c). */
struct model_failed {
	const char		*relay;		/* session.dest; NULL */
	const char		*outcome;	/* session.outcome */
	const char		*reply;		/* its deciding line; NULL */
	int64_t			 count;
	int64_t			 first, last;	/* their starts */
	enum model_wait_link	 link;
};

/* A bounce and what caused it, one side of the link. */
struct model_link {
	uint64_t		 evpid;		/* the other life's envelope */
	uint32_t		 msgid;
	uint64_t		 queue_evpid;	/* the bounce envelope; 0 */
	int			 exact;		/* 0: inferred */
	enum life_status	 status;	/* the other life's */
	const char		*reply;
	int64_t			 t;		/* the other life's time */
};

struct model_life {
	enum life_status	 status;
	int			 has_evpid;
	uint64_t		 evpid;
	uint32_t		 msgid;
	const char		*mail_from, *rcpt_to;
	const char		*reply;		/* what decided the status */
	int64_t			 t;		/* order key: first seen */
	int			 has_received;
	struct model_session	 in;		/* the smtp-in session */
	int64_t			 t_begin;	/* smtp-in MAIL FROM accepted */
	int64_t			 t_received;	/* commit, refusal or abort */
	int64_t			 size;		/* smtp-in tx-commit size; -1 */
	int64_t			 rcpt_t;	/* rejected: its tx-rcpt time */
	struct model_attempt	*attempts;
	size_t			 nattempts;
	struct model_event	*events;
	size_t			 nevents;
	struct model_outcome	*outcomes;	/* mda, expire, remove */
	size_t			 noutcomes;
	int64_t			 t_final;	/* the deciding fact; 0 */
	int64_t			 decisive;	/* what decided: attempt.id, */
	int64_t			 decisive_outcome; /* outcome.id or */
	int64_t			 decisive_refusal; /* out_refusal.id; 0 */
	int			 local;		/* received on the local socket */
	uint64_t		 link_bounce;	/* the writer's link: evpid, */
	int			 link_exact;	/* by a "bouncing" line, */
	uint64_t		 link_queue;	/* its bounce envelope */
	int			 has_bounce;
	struct model_link	 bounce;	/* the bounce it caused */
	struct model_link	*bounce_of;	/* what a bounce is for */
	size_t			 nbounce_of;
	int64_t			 as_of;		/* the database's last event
						   if older than MODEL_STALE:
						   all this stands as of
						   then; 0: it is live */
	struct model_failed	*failed;	/* sessions failed while it */
	size_t			 nfailed;	/* waited (model_wait.c) */
};

/*
 * What the terms of a query are held against (model_query_match()): a
 * life's facts, or those a row of the TUI's lists shows.  A session
 * alone (session_only) lets the terms about mail hold; a session with
 * no life of its own (alone) answers them with its refused MAIL FROM
 * and its outcome.  A session's outcome is in its struct model_session
 * (in, or the attempts' sessions).
 */
struct model_facts {
	int				 session_only;
	int				 alone;
	int				 has_evpid;
	uint64_t			 evpid;
	int				 has_msgid;
	uint32_t			 msgid;
	const char			*mail_from, *rcpt_to;
	const struct model_session	*in;		/* client, HELO; NULL */
	const struct model_attempt	*attempts;	/* their relays */
	size_t				 nattempts;
	int				 status;	/* -1: none */
	int64_t				 t;
};

/*
 * A session with no life of its own (no envelope, no refused
 * recipient, no attempt): what it came to as the writer keeps it
 * (session.outcome), its events, the line that decided it and a
 * filter's refusal before that line.  Valid until the next
 * model_session_next().
 */
struct model_alone {
	struct model_session	 s;
	struct model_event	*events;
	size_t			 nevents;
	const struct model_event *reason;	/* among events; NULL */
	const struct model_event *filter;	/* filter-response refusing */
};

/* When a life's steps happened, microseconds; 0 when unknown. */
struct model_timings {
	int64_t		 start;		/* smtp-in MAIL FROM accepted */
	int64_t		 accepted;	/* queued: tx-commit */
	int64_t		 first_attempt;
	int64_t		 final;		/* delivered or failed */
	int		 first_estimated;	/* first_attempt, final: */
	int		 final_estimated;	/* estimates */
};

struct model;
struct model_iter;
struct model_sessions;
struct model_answers;
struct model_stream;

/* How far export --follow has read: report events and maillog lines. */
struct model_pos {
	int64_t		 event;		/* event.id */
	int64_t		 outcome;	/* outcome.id */
	int64_t		 change;	/* life_change.id */
};

/* model.c */
struct model	*model_open(const char *, char **);
const char	*model_error(const struct model *);
void		 model_close(struct model *);
struct model_iter *model_lives(struct model *, const struct model_query *,
		    int);
struct model_iter *model_changes(struct model *, const struct model_query *,
		    int, const struct model_pos *, const struct model_pos *);
const struct model_life *model_next(struct model_iter *);
int		 model_again(struct model_iter *);
int		 model_iter_failed(const struct model_iter *);
void		 model_iter_free(struct model_iter *);
int		 model_last(struct model *, struct model_pos *);
int		 model_as_of(struct model *, int64_t *);
int		 model_pos_step(const struct model_pos *,
		    const struct model_pos *, int64_t, struct model_pos *);
int		 model_data_version(struct model *);
int		 model_begin(struct model *);
void		 model_end(struct model *);

/* model_split.c */
int		 model_split(struct model *, const struct model_query *,
		    int64_t, int64_t, int, int64_t **, size_t *);

/* model_session.c */
struct model_sessions *model_session_open(struct model *,
		    const struct model_query *);
const struct model_alone *model_session_next(struct model_sessions *);
int		 model_session_failed(const struct model_sessions *);
void		 model_session_close(struct model_sessions *);

/* model_answer.c */
struct model_answers *model_answer_open(struct model *,
		    const struct model_query *, int, int);
int		 model_answer_next(struct model_answers *,
		    const struct model_life **, const struct model_alone **);
int		 model_answer_failed(const struct model_answers *);
void		 model_answer_close(struct model_answers *);

/* model_stream.c */
struct model_stream *model_stream_open(struct model *,
		    const struct model_query *, int64_t, int64_t,
		    const char **);
const struct model_event *model_stream_next(struct model_stream *);
int		 model_stream_failed(const struct model_stream *);
void		 model_stream_close(struct model_stream *);

/* model_sql.c: an event row, as MODEL_EVENT_COLS select it */
#define MODEL_EVENT_COLS	"id, t_off, k_off, m, x, raw"
void		 model_sql_event_row(sqlite3_stmt *, struct model_event *);

/* model_query.c */
int		 model_query_parse(struct model_query *, int, char **, int64_t,
		    const char **);
int		 model_query_match(const struct model_query *,
		    const struct model_facts *);
int		 model_query_window(const struct model_query *, int64_t *,
		    int64_t *);

/* model_status.c */
const char	*model_result_name(enum model_result);
const char	*model_source_name(enum model_source);
const char	*model_outcome_name(enum model_outcome_kind);
const char	*model_auth_name(int);
const char	*model_wait_link_name(enum model_wait_link);
const char	*model_attempt_failure(const struct model_attempt *);
int		 model_life_waits(const struct model_life *, int64_t,
		    int64_t *, int64_t *);
size_t		 model_attempt_decisive(const struct model_attempt *, size_t);
size_t		 model_life_decisive(const struct model_life *);
int		 model_life_estimated(const struct model_life *);
void		 model_timings(const struct model_life *,
		    struct model_timings *);

/*
 * class.c: the class of a reply that decided something (the table of
 * class_table.c, after an operator's rules): "unknown-user", ...,
 * "other"; NULL for a success or no reply.  Classified as read, so a
 * change of rules applies to what is already stored.
 */
#define CLASS_FILE	"/etc/mailtrail/classes"
#define CLASS_ERR	1024	/* room for class_rules()'s reason */

int		 class_rules(const char *, char *, size_t);
void		 class_free(void);
const char	*class_reply(const char *);
const char	*class_session(const char *);
const char	*class_attempt(const struct model_attempt *);
const char	*class_outcome(const struct model_outcome *);
const char	*class_life(const struct model_life *);
const char	*class_name(int);

/* model_events.c */
#define MODEL_KEEP_MINE		1	/* model_events_select(): the life's */
#define MODEL_KEEP_OTHERS	2	/* the other recipients' */

void		 model_events_select(const struct model_event *, size_t, int,
		    uint32_t, uint64_t, int64_t, int64_t, char *);

/* model_step.c */
/* What a line of a life's steps is. */
enum model_step_kind {
	MODEL_STEP_TITLE,	/* head: the status, sender -> recipient */
	MODEL_STEP_REPLY,	/* head: the reply that decided it */
	MODEL_STEP_FACTS,	/* head: ids, size, times */
	MODEL_STEP_BLANK,	/* after the head, and at the end */
	MODEL_STEP_STEP,	/* received, queued, an attempt, an outcome */
	MODEL_STEP_FATE,	/* a step: where the life stands now */
	MODEL_STEP_LINE		/* a dialogue line of the step above */
};

/* How a line looks to every reader. */
enum model_tone {
	MODEL_TONE_PLAIN,
	MODEL_TONE_GOOD,	/* delivered, 2xx */
	MODEL_TONE_WARN,	/* deferred, 4xx */
	MODEL_TONE_BAD,		/* failed, rejected, expired, 5xx */
	MODEL_TONE_INFO,	/* queued, in progress, client lines */
	MODEL_TONE_ODD,		/* aborted, removed, filters */
	MODEL_TONE_DIM,		/* what smtpd reported */
	MODEL_TONE_BOLD,	/* the smtp-in session */
	MODEL_TONE_MAX
};

struct model_step {
	enum model_step_kind	 kind;
	enum model_tone		 tone;
	int64_t			 t;	/* when, microseconds; 0: none, now */
	int			 estimated;	/* t is an estimate */
	char			 when[24];	/* t from the life's start */
	const char		*name;	/* a step's, or the title's status */
	uint64_t		 sid;	/* the session a step names, or 0 */
	const char		*text;	/* the bytes, not escaped; NUL after */
	size_t			 len;
	size_t			 more;	/* a line: reply lines it stands for */
	int			 others;	/* a line: the others',
						   not the life's own */
};

/* A life's steps in order; model_step_free() frees them. */
struct model_steps {
	struct model_step	*v;
	size_t			 n, cap;
	int64_t			 t0;		/* the life's start */
	char			*buf;		/* every step's text */
	size_t			 buflen, bufsize;
};

void		 model_step_free(struct model_steps *);
enum model_tone	 model_step_event_tone(int, const char *);
int		 model_step_auth_text(int, const char *, size_t, struct buf *);

/* model_step_build.c */
void		 model_step_build(struct model_steps *,
		    const struct model_life *);

/* model_session_step.c */
void		 model_session_step_build(struct model_steps *,
		    const struct model_alone *);
enum model_tone	 model_session_step_tone(const char *);

#endif
