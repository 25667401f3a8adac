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
 * model_int.h: the read model's inside, shared by schema/model*.c.
 */
#ifndef MODEL_INT_H
#define MODEL_INT_H

#include <sqlite3.h>
#include <stddef.h>

/* arena.c */
struct arena_block;

struct arena {
	struct arena_block	*head;
};

void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);

/*
 * A session's columns (model_sql_session()), its table aliased s.
 */
#define MODEL_SESSION_COLS(s) s ".id, " s ".sid, " s ".dir, " s ".t_start, " \
	s ".t_end, " s ".end_reason, " s ".rdns, " s ".fcrdns, " s ".src, " \
	s ".dest, " s ".helo, " s ".tls, " s ".auth_user, " s ".auth_result, " \
	s ".outcome, " s ".reason, " s ".mail_from"

/*
 * The columns every life query selects, in this order, and where from:
 * the state is the writer's (table life), read as it is, by index, with
 * its smtp-in transaction (tx).  An envelope's life is v with its tx vt;
 * a recipient refused at smtp-in is v with its rcpt vr and that rcpt's
 * tx vt.  The term fragments of model_sql.c name these aliases.
 */
#define MODEL_LIFE_COLS "v.evpid, v.msgid, v.t, v.tx, v.rcpt, vt.session, " \
	"v.t_begin, v.t_accepted, vt.t_end, vt.size, v.mail_from, " \
	"v.rcpt_to, v.status, v.reply, v.t_final, v.decisive, v.outcome, " \
	"v.refusal, v.local, v.bounce, v.bounce_exact, v.bounce_queue, " \
	MODEL_SESSION_COLS("si") ", EXISTS (SELECT 1 FROM life_refusal g " \
	"WHERE g.evpid = v.evpid), v.attempts"
#define MODEL_LIFE_SESSION "LEFT JOIN session si ON si.id = vt.session "
#define MODEL_LIFE_SI	22		/* the column of the first of si's */
#define MODEL_LIFE_GIVEN 39		/* a refused MAIL FROM given it */
#define MODEL_LIFE_ATTEMPTS 40		/* how many, inferred ones too */
#define MODEL_LIFE_FROM "FROM life v LEFT JOIN tx vt ON vt.id = v.tx " \
	MODEL_LIFE_SESSION "WHERE v.evpid IS NOT NULL"
#define MODEL_REJ_COLS "NULL, v.msgid, v.t, vr.tx, v.rcpt, vt.session, " \
	"v.t_begin, NULL, NULL, NULL, v.mail_from, v.rcpt_to, v.status, " \
	"v.reply, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, " \
	MODEL_SESSION_COLS("si") ", 0, 0"
#define MODEL_REJ_FROM "FROM rcpt vr JOIN life v ON v.rcpt = vr.id AND " \
	"v.evpid IS NULL LEFT JOIN tx vt ON vt.id = vr.tx " MODEL_LIFE_SESSION \
	"WHERE 1"

enum model_stmt {
	MQ_SESSION,
	MQ_ATTEMPTS,
	MQ_EVENTS,
	MQ_SID,
	MQ_LAST,
	MQ_LAST_OUTCOME,
	MQ_LAST_TIME,
	MQ_ANY_OUTCOME,
	MQ_NEW_OUTCOMES,
	MQ_MSG_LIVES,
	MQ_VERSION,
	MQ_CHANGES,
	MQ_LAST_CHANGE,
	MQ_SPLIT_COUNT,
	MQ_SPLIT_TIMES,
	MQ_LIFE_EVPID,
	MQ_LIFE_REJ,
	MQ_BEGIN,
	MQ_END,
	MQ_OUTCOMES,
	MQ_OC_REFUSAL,
	MQ_GIVEN,
	MQ_STATE_AT,
	MQ_STATE_AT_REJ,
	MQ_BOUNCE_LIFE,
	MQ_BOUNCE_CAUSES,
	MQ_WAIT_FAILED,
	MQ_WAIT_FIRST,
	MQ_MAX
};

struct model {
	struct db	 db;		/* statements: model_sql.c */
};

enum model_ref_kind {
	REF_EVPID,
	REF_REJ
};

struct model_ref {
	enum model_ref_kind	 kind;
	int64_t			 key;	/* evpid, or rcpt.id */
};

/* A session's events, read once for several lives (model_cache.c). */
struct model_cached {
	int64_t			 session;	/* session.id; 0: empty */
	uint64_t		 lifeno;	/* the life that last used it */
	size_t			 hnext;		/* its hash chain, index + 1 */
	size_t			 older, newer;	/* by last use, index + 1 */
	struct model_event	*ev;
	size_t			 n, cap;
	struct arena		 arena;
};

/*
 * Sessions kept, beyond the current life's: 32, and 32 more each time
 * one is read again after it was let go, up to 512 (a blast's reused
 * smtp-out sessions come back after several hundred others; a busy
 * day's within 64, and more kept would only cool the memory).
 */
#define MODEL_CACHE_MIN	32
#define MODEL_CACHE_MAX	512
#define MODEL_CACHE_BITS 10	/* 1 << this many hash chains */
#define MODEL_SEEN_BITS	(1 << 18)	/* the last session ids told apart */

/* A session row, read once for several lives (model_cache.c). */
struct model_srow {
	int64_t			 id;		/* session.id; 0: empty */
	int			 found;
	uint64_t		 tick, lifeno;
	struct model_session	 s;
	struct arena		 arena;
};

#define MODEL_SROWS	8

struct model_iter {
	struct model		*m;
	const struct model_query *q;
	char			 is_sid[MODEL_TERMS_MAX];
	sqlite3_stmt		*env, *rej;	/* lives mode: two cursors */
	int			 env_row, rej_row;
	struct model_ref	*refs;		/* changes mode */
	size_t			 nrefs, refs_cap, next;
	int			 changes;
	int			 failed;
	struct arena		 arena;
	struct model_life	 life;
	struct model_attempt	*attempts;
	size_t			 attempts_cap;
	int			 flags;
	struct model_event	*events;
	size_t			 events_cap;
	struct model_event	*merge;		/* model_life_merge() */
	size_t			 merge_cap;
	struct model_outcome	*outcomes;
	size_t			 outcomes_cap;
	struct model_link	*links;
	size_t			 links_cap;
	struct model_failed	*waits;		/* model_wait.c */
	size_t			 waits_cap;
	int64_t			 wait_from, wait_to, wait_next;
	int			 wait_known, wait_hit;
	int			 maillog;	/* outcome rows: -1 not known */
	char			*keep, *keep2;
	size_t			 keep_cap;
	struct model_cached	*cache;
	size_t			 ncache;
	size_t			 cache_cap;	/* MODEL_CACHE_MIN, more */
	size_t			*chain;		/* their heads */
	uint8_t			*seen;		/* a bit a session.id read, */
	int64_t			 seen_hi;	/* up to this one */
	size_t			 newest, oldest;	/* index + 1 */
	struct model_srow	*srows;
	size_t			 nsrows;
	uint64_t		 tick, lifeno;
	int64_t			 as_of;		/* each life's as_of */
};

/*
 * The files from the bottom up: each calls only those above it here,
 * and those that call no other: arena.c, model_events.c and
 * model_status.c.
 */

/* class.c, class_table.c */
enum class_id {
	CLASS_UNKNOWN_USER,
	CLASS_MAILBOX_FULL,
	CLASS_GREYLISTED,
	CLASS_BLOCKLISTED,
	CLASS_RATE_LIMITED,
	CLASS_SPAM,
	CLASS_POLICY,
	CLASS_TLS,
	CLASS_AUTH,
	CLASS_DNS,
	CLASS_TIMEOUT,
	CLASS_CONNECTION,
	CLASS_SIZE,
	CLASS_OTHER,
	CLASS_MAX
};

/* A rule: a reply that matches re has class id. */
struct class_rule {
	enum class_id	 id;
	const char	*re;
};

extern const struct class_rule	class_table[];

/* class_need.c: the words a rule needs, one of which must be there. */
struct class_need {
	char	**word;		/* in lower case */
	char	 *whole;	/* 1: word i is its whole alternative */
	size_t	  n;		/* 0: none, the rule is always tried */
};

void		 class_need_make(struct class_need *, const char *);
int		 class_need_test(const struct class_need *, const char *);
void		 class_need_free(struct class_need *);

/* model_query.c */
const char	*model_query_host(const char *, size_t *, const char **);

/* model_sql.c */
void		 model_sql_init(struct model *);
sqlite3_stmt	*model_sql_stmt(struct model *, enum model_stmt);
int		 model_sql_sid(struct model *, uint64_t);
int		 model_sql_error(struct model *);
int		 model_sql_value(struct model *, enum model_stmt, int64_t *);
const char	*model_sql_text(struct arena *, sqlite3_stmt *, int);
int		 model_sql_session(sqlite3_stmt *, int, struct arena *,
		    struct model_session *);
void		 model_sql_event(sqlite3_stmt *, struct arena *,
		    struct model_event *);
int		 model_sql_compose(struct model_iter *, int, struct buf *);
void		 model_sql_append(struct buf *, const char *, size_t);
int		 model_sql_alone(const struct model_query *, struct buf *);
void		 model_sql_bind(sqlite3_stmt *, const struct model_query *);

/* model_changes.c */
int		 model_changes_states(struct model_iter *, int64_t, int64_t);
int		 model_changes_outcomes(struct model_iter *, int64_t, int64_t);
sqlite3_stmt	*model_changes_row(struct model_iter *);

/* model_cache.c */
const struct model_cached *model_cache_events(struct model_iter *,
		    const struct model_session *);
int		 model_cache_session(struct model_iter *, int64_t,
		    struct model_session *);
void		 model_cache_free(struct model_iter *);

/* model_attempt.c */
struct model_attempt *model_attempt_add(struct model_iter *);
int		 model_attempt_load(struct model_iter *);
int		 model_attempt_given(struct model_iter *);
int		 model_attempt_refusal(struct model_iter *, int64_t,
		    struct model_attempt *);

/* model_outcome.c */
int		 model_outcome_maillog(struct model_iter *);
int		 model_outcome_load(struct model_iter *);

/* model_wait.c */
int		 model_wait_load(struct model_iter *);

/* model_life.c */
int		 model_life_build(struct model_iter *, sqlite3_stmt *);
int		 model_life_events(struct model_iter *);

/* model_bounce.c */
int		 model_bounce_links(struct model_iter *);

/* model_step.c */
#define MODEL_STEP_NOTIME	INT64_MIN	/* model_step_add(): no time */

void		 model_step_add(struct model_steps *, enum model_step_kind,
		    enum model_tone, int64_t, const char *);
void		 model_step_estimated(struct model_steps *);
void		 model_step_str(struct model_steps *, const char *);
void		 model_step_printf(struct model_steps *, size_t, const char *,
		    ...) __attribute__((__format__(printf, 3, 4)));
void		 model_step_end(struct model_steps *);
enum model_tone	 model_step_status_tone(enum life_status);
enum model_tone	 model_step_reply_tone(const char *);
void		 model_step_dialogue(struct model_steps *,
		    const struct model_life *, uint64_t, int, int64_t, int64_t);

/* model_step_wait.c */
size_t		 model_step_wait_attempt(const struct model_attempt *, char *,
		    size_t);
const char	*model_step_wait_failure(const char *);
void		 model_step_wait_queued(const struct model_life *, char *,
		    size_t);
const char	*model_step_wait_noreply(const struct model_life *, char *,
		    size_t);
void		 model_step_wait(struct model_steps *,
		    const struct model_life *);

#endif
