/*
 * query.h: the TUI's read-only queries: list rows (envelopes, refused
 * recipients, sessions that ended before MAIL), what changed since an
 * event rowid, sessions and their events, and the header's meters.
 * No curses here.  Strings in rows are the caller's to free with the
 * matching *_free function.
 */
#ifndef QUERY_H
#define QUERY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "model.h"

#define QUERY_SEC		1000000LL
#define QUERY_MIN		(60 * QUERY_SEC)
#define QUERY_HOUR		(3600 * QUERY_SEC)
#define QUERY_MINUTES		60	/* the header's last hour */
#define QUERY_DELTA_MAX		65536	/* events read per refresh */

enum query_kind {
	QUERY_ENVELOPE,		/* key: evpid */
	QUERY_REJECTED,		/* key: rcpt.id */
	QUERY_SESSION		/* key: session.id, ended before MAIL */
};

enum query_status {
	QS_RECEIVING,		/* smtp-in transaction still open */
	QS_QUEUED,		/* no attempt yet */
	QS_SENDING,		/* an attempt in progress */
	QS_DEFERRED,
	QS_DELIVERED,
	QS_FAILED,
	QS_REJECTED,		/* refused at RCPT TO */
	QS_ABORTED,		/* smtp-in transaction never committed */
	QS_NOMAIL,		/* session ended before MAIL FROM */
	QS_MAX
};

struct query_key {
	enum query_kind	 kind;
	int64_t		 key;
};

/* One row of the envelope list. */
struct query_row {
	enum query_kind		 kind;
	int64_t			 key;
	int64_t			 t;		/* first seen: the order */
	int64_t			 t_start;	/* smtp-in MAIL FROM, else t */
	int64_t			 t_end;		/* settled; 0 while not */
	enum query_status	 status;
	int			 nattempts;
	uint64_t		 evpid;
	uint32_t		 msgid;
	int64_t			 session;	/* smtp-in session.id, or 0 */
	uint64_t		 in_sid, out_sid;
	char			*from;		/* NULL unknown, "" <> */
	char			*to, *client, *relay, *helo, *reply;
};

/* One row of the session list. */
struct query_sess {
	int64_t		 id;
	uint64_t	 sid;
	int		 dir;
	int64_t		 t_start, t_end;	/* t_end 0: open */
	int		 ntx;
	char		*end_reason, *rdns, *fcrdns, *src, *dest, *helo;
	char		*tls, *auth_user;
};

/* One report event of a session. */
struct query_event {
	int64_t		 id, t;
	int		 event, dir;	/* enum proto_event, proto_dir */
	int		 has_msgid;
	uint32_t	 msgid;
	char		*text;
	size_t		 len;
};

/* What events (from, to] touched. */
struct query_delta {
	int64_t			 from, to;
	int			 reload;	/* too many: start again */
	struct query_key	*keys;
	size_t			 nkeys, kcap;
	int64_t			*sessions;	/* session.id, sorted */
	size_t			 nsessions, scap;
};

struct query_minute {
	int64_t		 minute;	/* t / QUERY_MIN; 0: empty */
	int		 msgs, delivered, deferred, failed, rejected;
};

struct query_meters {
	int64_t			 now;		/* wall clock */
	int64_t			 newest;	/* the newest event; 0: none */
	int64_t			 ref;		/* now, or newest if far */
	int			 shifted;	/* ref is newest */
	int			 open_in, open_out;
	int			 per_min;	/* messages in the last 60 s */
	int			 delivered, deferred, failed, rejected;
	struct query_minute	 m[QUERY_MINUTES];	/* oldest first */
};

enum query_stmt {
	Q_VERSION,
	Q_LAST,
	Q_EVENT_T,
	Q_NEWEST,
	Q_WIN_T0,
	Q_WIN_ENV,
	Q_WIN_REJ,
	Q_WIN_SES,
	Q_ROW_ENV,
	Q_ROW_ATT,
	Q_ROW_REJ,
	Q_ROW_SES,
	Q_DELTA,
	Q_REJ_AT,
	Q_ENV_MSGID,
	Q_ATT_SES,
	Q_IX_FROM_ENV,
	Q_IX_FROM_REJ,
	Q_IX_TO_ENV,
	Q_IX_TO_REJ,
	Q_IX_MSGID_REJ,
	Q_IX_SID_ENV,
	Q_IX_SID_REJ,
	Q_IX_SID_OUT,
	Q_IX_SID_SES,
	Q_SES_MAX,
	Q_SES_RANGE,
	Q_SES_ONE,
	Q_SES_SID,
	Q_EVENTS,
	Q_M_OPEN,
	Q_M_MSGS,
	Q_M_ATT,
	Q_M_REJ,
	Q_M_RATE,
	Q_MAX
};

struct query;

/* query.c */
struct query	*query_open(const char *);
void		 query_close(struct query *);
sqlite3_stmt	*query_stmt(struct query *, enum query_stmt);
const char	*query_error(struct query *);
int		 query_explain(struct query *, FILE *);
const char	*query_sql(enum query_stmt);
int		 query_data_version(struct query *);
int64_t		 query_last_event(struct query *);
int64_t		 query_event_time(struct query *, int64_t);
int		 query_row(struct query *, const struct query_key *,
		    struct query_row *);
void		 query_row_free(struct query_row *);
int		 query_row_match(const struct model_query *,
		    const struct query_row *);
int		 query_row_cmp(const struct query_row *,
		    const struct query_row *);
enum query_status query_status_derive(int, int64_t, int64_t,
		    const struct model_attempt *, size_t);
int		 query_host_match(const char *, const char *);

/* query_feed.c */
int		 query_feed_window(struct query *, size_t, int64_t,
		    struct query_delta *);
int		 query_feed_index(struct query *, const struct model_query *,
		    size_t, struct query_delta *);
int		 query_feed_indexed(const struct model_query *);
int		 query_feed_delta(struct query *, int64_t, int64_t,
		    struct query_delta *);
void		 query_delta_clear(struct query_delta *);
void		 query_delta_free(struct query_delta *);
void		 query_delta_key(struct query_delta *, enum query_kind,
		    int64_t);
int		 query_delta_has(const struct query_delta *, enum query_kind,
		    int64_t);
int		 query_delta_session(const struct query_delta *, int64_t);

/* query_session.c */
int		 query_session_range(struct query *, int64_t, int64_t,
		    struct query_sess **, size_t *);
int		 query_session_one(struct query *, int64_t,
		    struct query_sess *);
int64_t		 query_session_max(struct query *);
int64_t		 query_session_by_sid(struct query *, uint64_t);
void		 query_sess_free(struct query_sess *);
int		 query_sess_match(const struct model_query *,
		    const struct query_sess *);
int		 query_session_events(struct query *, int64_t, int64_t,
		    struct query_event **, size_t *, size_t *);
void		 query_events_free(struct query_event *, size_t);

/* query_meter.c */
int		 query_meter_update(struct query *, struct query_meters *,
		    int64_t);

char	*query_text(sqlite3_stmt *, int);

#endif
