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
 * life.h: each life's state, kept by the writer (life*.c): what a life
 * is built from, the statements that read and write it, and the lives
 * marked for building again.
 */
#ifndef LIFE_H
#define LIFE_H

struct life_try {			/* an attempt, as the status sees it */
	int64_t		 id;		/* attempt.id; 0: maillog, refusal */
	int64_t		 t, t_end;
	int		 result;	/* enum proto_result; RES_NONE open */
	uint64_t	 sid;		/* its smtp-out session */
	int		 confirmed;	/* an mta line of maillog names it */
	int		 by_line;	/* that line gave its result */
	int64_t		 refusal;	/* out_refusal.id it comes from */
	int64_t		 outcome;	/* outcome.id: an mta line alone */
	int		 given;		/* the writer gave it (life_refuse) */
	const char	*reply, *remote_id;
};

struct life_end {			/* mda, expire, remove (maillog) */
	int		 status;	/* the status it gives */
	int64_t		 id;		/* outcome.id */
	int64_t		 t;		/* 0: not known */
	const char	*stat;
};

struct life_change {
	int64_t		 t;
	int		 status;
	const char	*reply;
};

struct life_state {
	int		 status;
	int64_t		 t_status;
	const char	*reply;
	size_t		 decisive;	/* index in tries; SIZE_MAX none */
	size_t		 end;		/* index in ends; SIZE_MAX none */
};

/* What one life is built from; the strings are the writer's copies. */
struct life_facts {
	int64_t		 id;		/* life.id; 0 new */
	uint64_t	 evpid;
	uint32_t	 msgid;
	int64_t		 rcpt, tx, t;
	int		 base;		/* QUEUED, ABORTED or REJECTED */
	int64_t		 t0;		/* when it took base */
	const char	*reply0;	/* REJECTED: smtpd's reply */
	int64_t		 t_begin, t_accepted;
	const char	*mail_from, *rcpt_to, *host;
	int		 local;		/* received on the local socket */
	int64_t		 t_fail, bounce, bounce_queue;	/* life_bounce.c */
	int		 bounce_exact;
	struct life_try	*tries;
	size_t		 ntries, tries_cap;
	struct life_end	*ends;
	size_t		 nends, ends_cap;
	struct life_change *changes;
	size_t		 nchanges, changes_cap;
	char		**strs;		/* to free */
	size_t		 nstrs, strs_cap;
};

enum life_stmt {
	LS_DIRTY,
	LS_DIRTY_RCPT,
	LS_DIRTY_CLEAR,
	LS_DIRTY_CLEAR_RCPT,
	LS_ENVELOPE,
	LS_REJECTED,
	LS_ATTEMPTS,
	LS_OUTCOMES,
	LS_OC_REFUSAL,
	LS_OC_LINK,
	LS_FIND,
	LS_FIND_RCPT,
	LS_INSERT,
	LS_UPDATE,
	LS_REMOVE_CHANGES,
	LS_REMOVE_GIVEN,
	LS_REMOVE,
	LS_CHANGES,
	LS_CHANGE_DEL,
	LS_CHANGE_ADD,
	LS_CHANGE_UNTIL,
	LS_GIVEN,
	LS_GIVEN_ADD,
	LS_REFUSED,
	LS_REFUSED_ANY,
	LS_OTHERS,
	LS_DOMAINS,
	LS_BOUNCE_LINE,
	LS_BOUNCE_MSG,
	LS_BOUNCE_PREV,
	LS_BOUNCE_MARK,
	LS_BOUNCE_UNLINK,
	LS_ANY_OUTCOME,
	LS_BUILD_TODO,
	LS_BUILD_ENVELOPES,
	LS_BUILD_RCPTS,
	LS_BUILD_REFUSED,
	LS_BUILD_DONE,
	LS_DIRTY_MAX,
	LS_REFUSAL_TAKE,
	LS_REFUSAL_CLEAR,
	LS_REFUSAL_LIVES,
	LS_MAX
};

#define LIFE_IDS	4096	/* marked lives built at a time */

enum life_mark_kind {
	LIFE_MARK_ENVELOPE,		/* evpid */
	LIFE_MARK_RCPT,			/* rcpt.id, refused at smtp-in */
	LIFE_MARK_MAX
};

struct life_marks {
	int64_t		*v;
	size_t		 n, cap;
};

/*
 * A life a refused MAIL FROM may concern, to build again once every
 * marked life is written (life_refuse.c).  With p, its first build
 * found that another message of mail_from waited all through its
 * window after p: if one still does, the rule gives it nothing again.
 */
struct life_again {
	int64_t		 evpid;
	int64_t		 p;		/* 0: build it again */
	int64_t		 msgid;
	char		*mail_from;	/* with p */
};

struct life_writer {
	struct db	*db;
	struct hour_tab	*hours;		/* a new life counted (hour.c) */
	sqlite3_stmt	*stmt[LS_MAX];
	struct life_facts f;
	int64_t		*ids;
	size_t		 nids, ids_cap;
	struct life_again *again;	/* lives a refusal may concern */
	size_t		 nagain, again_cap;
	int		 second;	/* building them again */
	int		 maillog;	/* any outcome row: -1 not known */
	struct life_marks marks[LIFE_MARK_MAX];	/* life_mark.c */
};

void	 life_open(struct life_writer *, struct db *, struct hour_tab *);
void	 life_close(struct life_writer *);
int	 life_flush(struct life_writer *);
int	 life_build_needed(struct life_writer *);
int	 life_build_step(struct life_writer *, int64_t *, size_t, size_t *);
sqlite3_stmt *life_stmt(struct life_writer *, enum life_stmt);
const char *life_keep(struct life_facts *, sqlite3_stmt *, int);
struct life_try *life_try_add(struct life_facts *);
int	 life_exec(struct life_writer *, sqlite3_stmt *);
int	 life_int(struct life_writer *, sqlite3_stmt *);
void	 life_mark(struct life_writer *, enum life_mark_kind, int64_t);
void	 life_mark_discard(struct life_writer *);
void	 life_mark_free(struct life_writer *);
int	 life_mark_take(struct life_writer *, enum life_mark_kind);
void	 life_reset(struct life_facts *);
int	 life_refuse_infer(struct life_writer *);
int	 life_refuse_marked(struct life_writer *);
int	 life_refuse_again(struct life_writer *);
void	 life_refuse_forget(struct life_writer *);
int	 life_bounce_find(struct life_writer *, const struct life_state *);
int	 life_bounce_mark(struct life_writer *);
int	 life_load_envelope(struct life_writer *, uint64_t);
int	 life_load_rejected(struct life_writer *, int64_t);
int	 life_write_envelope(struct life_writer *, uint64_t);
int	 life_write_rejected(struct life_writer *, int64_t);

size_t	 life_status_decisive(const struct life_facts *, int64_t);
void	 life_status_settle(const struct life_facts *, int64_t,
	    struct life_state *);
void	 life_status_history(struct life_facts *);
void	 life_status_change(struct life_facts *, int64_t,
	    const struct life_state *);

#endif
