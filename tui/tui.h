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
 * tui.h: the terminal interface: screens on one list widget.
 */
#ifndef TUI_H
#define TUI_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "schema/dest.h"

/* list.c */
#define LIST_WHEEL	3	/* rows a wheel step moves */

struct list {
	size_t		 n;		/* rows */
	size_t		 cur;		/* the cursor's row */
	size_t		 top;		/* the first row shown */
	int		 height;	/* rows shown at the last draw */
	int		 follow;	/* the cursor stays on the last row */
	int		 live;		/* follow makes sense here */
	void		(*draw)(void *, size_t, int, int, int);
	int		(*match)(void *, size_t, const char *);
	void		*arg;
};

void	list_init(struct list *, void (*)(void *, size_t, int, int, int),
	    int (*)(void *, size_t, const char *), void *, int);
void	list_set_count(struct list *, size_t);
void	list_goto(struct list *, size_t);
int	list_key(struct list *, int);
int	list_search(struct list *, const char *, size_t, int);
void	list_draw(struct list *, int, int, int);
int	list_click(struct list *, int);
void	list_wheel(struct list *, int);
int	list_icontains(const char *, size_t, const char *);

/* query.c */
#define QUERY_MIN		(60 * US_PER_SEC)
#define QUERY_HOUR		(3600 * US_PER_SEC)
#define QUERY_MINUTES		60	/* the header's last hour */
#define QUERY_DELTA_MAX		65536	/* events read per refresh */

enum query_kind {
	QUERY_ENVELOPE,		/* key: evpid */
	QUERY_REJECTED,		/* key: rcpt.id */
	QUERY_SESSION		/* key: session.id, ended before MAIL */
};

struct query_key {
	enum query_kind	 kind;
	int64_t		 key;
};

/*
 * One row of the envelope list: a life as the writer keeps it (table
 * life), or a session that ended before MAIL FROM (no status).
 */
struct query_row {
	enum query_kind		 kind;
	int64_t			 key;
	int64_t			 t;		/* first seen: the order */
	int64_t			 t_start;	/* smtp-in MAIL FROM, else t */
	int64_t			 t_end;		/* settled; 0 while waiting */
	enum life_status	 status;	/* not QUERY_SESSION's */
	int			 nattempts;
	uint64_t		 evpid;
	uint32_t		 msgid;
	int64_t			 session;	/* smtp-in session.id, or 0 */
	uint64_t		 in_sid, out_sid;
	char			*from;		/* NULL unknown, "" <> */
	char			*to, *client, *helo, *reply;
	char			*relay;		/* the deciding attempt's */
	char			*outcome;	/* the smtp-in session's */
	int			 in_open;	/* that session is open */
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
	char		*outcome;	/* the writer's; NULL: none yet */
	char		*reason;	/* the deciding line's text, or NULL */
};

/* One report event of a session. */
struct query_event {
	int64_t		 id, t;
	int		 event, dir;	/* enum proto_event, proto_dir */
	int		 minor;		/* its protocol version's */
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
	int		 msgs;
};

struct query_meters {
	int64_t			 now;		/* wall clock */
	int64_t			 newest;	/* the newest event; 0: none */
	int64_t			 ref;		/* now, or newest if far */
	int			 shifted;	/* ref is newest */
	int			 open_in, open_out;
	int			 per_min;	/* messages in the last 60 s */
	int			 n[LIFE_NSTATUS];	/* lives, by status */
	struct query_minute	 m[QUERY_MINUTES];	/* oldest first */
};

enum query_stmt {
	Q_VERSION,
	Q_LAST,
	Q_LAST_OUTCOME,
	Q_EVENT_T,
	Q_NEWEST,
	Q_WIN_T0,
	Q_WIN_LIFE,
	Q_WIN_SES,
	Q_ROW_ENV,
	Q_ROW_REJ,
	Q_ROW_SES,
	Q_DELTA,
	Q_REJ_AT,
	Q_ENV_MSGID,
	Q_ATT_SES,
	Q_OUTCOMES,
	Q_IX_FROM_ENV,
	Q_IX_FROM_OPEN,
	Q_IX_FROM_REJ,
	Q_IX_FROM_REJ_OPEN,
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
	Q_SES_OUTCOME,
	Q_EVENTS,
	Q_M_OPEN,
	Q_M_MSGS,
	Q_M_LIFE,
	Q_M_RATE,
	Q_MAX
};

struct query;

/* query.c */
struct query	*query_open(const char *, char **);
void		 query_close(struct query *);
sqlite3_stmt	*query_stmt(struct query *, enum query_stmt);
const char	*query_error(struct query *);
int		 query_explain(struct query *, FILE *);
int		 query_data_version(struct query *);
int64_t		 query_last_event(struct query *);
int64_t		 query_last_outcome(struct query *);
int64_t		 query_event_time(struct query *, int64_t);
int		 query_row(struct query *, const struct query_key *,
		    struct query_row *);
void		 query_row_free(struct query_row *);
int		 query_row_match(const struct model_query *, const char *,
		    const struct query_row *);
int		 query_row_cmp(const struct query_row *,
		    const struct query_row *);
int		 query_waiting(enum life_status);
int		 query_dest(struct query *, enum dest_by, int64_t, int64_t,
		    struct dest_set *);

/* query_feed.c */
int		 query_feed_window(struct query *, size_t, int64_t,
		    struct query_delta *);
int		 query_feed_index(struct query *, const struct model_query *,
		    size_t, struct query_delta *);
int		 query_feed_indexed(const struct model_query *);
int		 query_feed_delta(struct query *, int64_t, int64_t,
		    struct query_delta *);
int		 query_feed_outcomes(struct query *, int64_t, int64_t,
		    struct query_delta *);
void		 query_feed_free(struct query_delta *);
int		 query_feed_has(const struct query_delta *, enum query_kind,
		    int64_t);
int		 query_feed_has_session(const struct query_delta *, int64_t);

/* query_session.c */
int		 query_session_range(struct query *, int64_t, int64_t,
		    struct query_sess **, size_t *, size_t *);
int		 query_session_one(struct query *, int64_t,
		    struct query_sess *);
int64_t		 query_session_max(struct query *);
int64_t		 query_session_by_sid(struct query *, uint64_t);
void		 query_session_free(struct query_sess *);
int		 query_session_match(const struct model_query *, const char *,
		    const struct query_sess *);
int		 query_session_events(struct query *, int64_t, int64_t,
		    struct query_event **, size_t *, size_t *);
void		 query_session_events_free(struct query_event *, size_t);
int		 query_session_outcome_term(const char *);
int		 query_session_outcome_holds(const char *, const char *, int);
int		 query_session_outcome_indexed(const char *);
int		 query_session_outcome_ids(struct query *, const char *, size_t,
		    int64_t **, size_t *);

/* query_meter.c */
int		 query_meter_update(struct query *, struct query_meters *,
		    int64_t);

char	*query_text(sqlite3_stmt *, int);

/* format.c */
#define FORMAT_UTF8	0x1	/* the terminal takes UTF-8 */
#define FORMAT_CELL	512	/* bytes of one formatted cell */

/* How a piece of text is coloured; the screens map it to attributes. */
enum format_tone {
	TONE_PLAIN,
	TONE_GOOD,		/* delivered, 2xx */
	TONE_WARN,		/* deferred, 4xx */
	TONE_BAD,		/* failed, rejected, 5xx */
	TONE_INFO,		/* queued, in progress, client lines */
	TONE_ODD,		/* aborted, filters */
	TONE_DIM,		/* mechanics */
	TONE_BOLD,
	TONE_MAX
};

/* Columns of the envelope list. */
enum format_lcol {
	LCOL_TIME,
	LCOL_MARK,
	LCOL_FROM,
	LCOL_TO,
	LCOL_PEER,
	LCOL_STATUS,
	LCOL_DELAY,
	LCOL_MAX
};

/* Columns of the session list. */
enum format_scol {
	SCOL_TIME,
	SCOL_DIR,
	SCOL_PEER,
	SCOL_RDNS,
	SCOL_HELO,
	SCOL_TLS,
	SCOL_TX,
	SCOL_OUTCOME,
	SCOL_DUR,
	SCOL_REASON,
	SCOL_MAX
};

/* Columns of the destinations screen. */
enum format_dcol {
	DCOL_NAME,
	DCOL_DELIV,
	DCOL_DEFER,
	DCOL_FAIL,
	DCOL_FIRST,
	DCOL_P50,
	DCOL_P95,
	DCOL_CLASS,
	DCOL_REPLY,
	DCOL_MAX
};

struct format_col {
	int	x, w;
};

#define FORMAT_COLS	10	/* the most columns of a list */
#define FORMAT_SESS_WIDE 120	/* the session list shows reasons */
#define FORMAT_DEST_WIDE 120	/* the destinations show a reply */

struct format_cells {
	char			 text[FORMAT_COLS][FORMAT_CELL];
	enum format_tone	 tone[FORMAT_COLS];
};

int		 format_field(char *, size_t, const char *, size_t, int, int,
		    int);
int		 format_width(const char *, size_t, int);
void		 format_clock(int64_t, int64_t, char *, size_t);
void		 format_host(const char *, char *, size_t);
void		 format_spark(const int *, int, int, char *, size_t, int);
const char	*format_status(const struct query_row *);
enum format_tone format_model_tone(enum model_tone);
enum format_tone format_life_tone(enum life_status);
enum format_tone format_status_tone(const struct query_row *);
enum format_tone format_outcome_tone(const char *);
const char	*format_mark(const struct query_row *, int);
void		 format_lives_layout(int, struct format_col *);
void		 format_sess_layout(int, struct format_col *);
void		 format_dest_layout(int, struct format_col *);
void		 format_row_life(const struct query_row *, int64_t, int,
		    const struct format_col *, struct format_cells *);
void		 format_row_sess(const struct query_sess *, int64_t, int,
		    const struct format_col *, struct format_cells *);
void		 format_row_dest(const struct dest_row *, int,
		    const struct format_col *, struct format_cells *);
enum format_tone format_row_event(const struct query_event *, int64_t,
		    struct buf *);

/* tui.c, tui_cmd.c */
#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_HEAD	3	/* header lines: title, meters, sparkline */
#define TUI_STACK	8
#define TUI_TEXT	512
#define TUI_WINDOW	5000	/* rows kept in a list */
#define TUI_FIRST	500	/* rows read before the first draw */
#define TUI_CHUNK	500	/* rows read at each turn after it */
#define TUI_TICK_MS	250	/* how often the database is looked at */
#define TUI_OUTCOME	32	/* an outcome: term's value */

/* A key that is a character beyond ASCII (get_wch), not a KEY_*. */
#define TUI_WCH(c)	(0x1000000 | (int)(c))
#define TUI_IS_WCH(k)	(((k) & 0x1000000) != 0)
#define TUI_CTRL(c)	((c) & 0x1f)
#define TUI_ESC		27

enum screen_ret {
	SCREEN_UNUSED,		/* not this screen's key */
	SCREEN_DONE,		/* handled */
	SCREEN_BACK		/* close this screen */
};

struct tui;
struct screen;

struct screen_ops {
	const char	*name;
	int		(*init)(struct screen *, struct tui *, const void *);
	void		(*draw)(struct screen *, struct tui *, int, int, int);
	enum screen_ret	(*key)(struct screen *, struct tui *, int);
	void		(*update)(struct screen *, struct tui *,
			    const struct query_delta *);
	void		(*free)(struct screen *);
	const char	*hint;		/* keys shown on the status line */
};

struct screen {
	const struct screen_ops	*ops;
	struct list		 list;
	void			*data;
	int			 hscroll;	/* columns scrolled right */
	int			 wide;		/* the widest line's columns:
						   scrolling stops at its end */
	char			 note[128];	/* for the status line */
};

/* What Enter on a row opens. */
struct tui_target {
	enum query_kind	 kind;
	int64_t		 key;		/* evpid, rcpt.id, session.id */
	int64_t		 session;	/* smtp-in session.id, or 0 */
};

enum tui_prompt {
	PROMPT_NONE,
	PROMPT_SEARCH,
	PROMPT_FILTER
};

struct tui {
	struct query		*q;
	struct model		*m;
	const char		*path;
	int			 flags;		/* FORMAT_UTF8 */
	int			 color;
	int			 lines, cols;
	int64_t			 now;
	struct query_meters	 meters;

	struct screen		*stack[TUI_STACK];
	int			 depth;
	struct screen		*lives, *sessions, *dests;	/* the lists */
	const struct screen_ops	*life_ops, *session_ops;	/* tui_open() */

	struct model_query	 filter;
	int			 filtered;
	char			 filter_text[TUI_TEXT];
	char			 filter_buf[TUI_TEXT];
	char			*filter_argv[MODEL_TERMS_MAX];
	char			 filter_outcome[TUI_OUTCOME]; /* "": none */

	enum tui_prompt		 prompt;
	char			 input[TUI_TEXT];
	size_t			 input_len;
	size_t			 search_from;
	int			 search_follow;	/* the list followed then */
	char			 needle[TUI_TEXT];

	char			 msg[TUI_TEXT];
	int			 dirty;
	int64_t			 last_event;
	int64_t			 last_outcome;	/* maillog lines */
	int			 data_version;
	struct query_delta	 delta;
};

/* tui.c */
int		 tui_attr(const struct tui *, enum format_tone);
int		 tui_list(const struct tui *, const struct screen *);
const char	*tui_matches(size_t);
int		 tui_full(struct tui *);
void		 tui_push(struct tui *, const struct screen_ops *,
		    const void *);
void		 tui_message(struct tui *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
void		 tui_open(struct tui *, const struct tui_target *);
void		 tui_put(const struct tui *, int, int, int, const char *,
		    size_t, int, enum format_tone);

/* tui_bar.c */
int		 tui_bar_key(struct tui *, int);
int		 tui_bar_filter_set(struct tui *, const char *);
void		 tui_bar_filter_argv(struct tui *, int, char **);
void		 tui_bar_status_draw(struct tui *);
void		 tui_bar_header_draw(struct tui *);

/* screen_lives.c, screen_sessions.c, screen_dest.c, screen_life.c,
 * screen_session.c, screen_help.c */
extern const struct screen_ops screen_lives_ops;
extern const struct screen_ops screen_sessions_ops;
extern const struct screen_ops screen_dest_ops;
extern const struct screen_ops screen_life_ops;
extern const struct screen_ops screen_session_ops;
extern const struct screen_ops screen_help_ops;

void		 screen_lives_reload(struct screen *, struct tui *);
int		 screen_lives_fill(struct screen *, struct tui *);
void		 screen_sessions_reload(struct screen *, struct tui *);

#endif
