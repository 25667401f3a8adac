/*
 * tui.h: mailtrail tui: the state the screens share and the screen
 * vtable (init, draw, key, update, free: tmux's window modes, ncdu's
 * X_init/X_draw/X_key).  Every screen is one struct list of rows.
 */
#ifndef TUI_H
#define TUI_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "list.h"
#include "model.h"
#include "query.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_LINES	24
#define TUI_HEAD	3	/* header lines: title, meters, sparkline */
#define TUI_STACK	8
#define TUI_TEXT	512
#define TUI_WINDOW	5000	/* rows kept in a list */
#define TUI_TICK_MS	250	/* how often the database is looked at */

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
	struct screen		*lives, *sessions;	/* the two lists */

	struct model_query	 filter;
	int			 filtered;
	char			 filter_text[TUI_TEXT];
	char			 filter_buf[TUI_TEXT];
	char			*filter_argv[MODEL_TERMS_MAX];

	enum tui_prompt		 prompt;
	char			 input[TUI_TEXT];
	size_t			 input_len;
	size_t			 search_from;
	char			 needle[TUI_TEXT];

	char			 msg[TUI_TEXT];
	int			 dirty;
	int64_t			 last_event;
	int			 data_version;
	struct query_delta	 delta;
};

/* tui.c */
int		 tui_main(int, char **);
int		 tui_attr(const struct tui *, enum format_tone);
void		 tui_push(struct tui *, const struct screen_ops *,
		    const void *);
void		 tui_message(struct tui *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
void		 tui_open(struct tui *, const struct tui_target *);
void		 tui_put(const struct tui *, int, int, int, const char *,
		    size_t, int, enum format_tone);

/* tui_bar.c */
int		 tui_input_key(struct tui *, int);
int		 tui_filter_set(struct tui *, const char *);
void		 tui_filter_argv(struct tui *, int, char **);
void		 tui_status_draw(struct tui *);
void		 tui_header_draw(struct tui *);

/* screen_lives.c, screen_sessions.c, screen_life.c, screen_session.c,
 * screen_help.c */
extern const struct screen_ops screen_lives_ops;
extern const struct screen_ops screen_sessions_ops;
extern const struct screen_ops screen_life_ops;
extern const struct screen_ops screen_session_ops;
extern const struct screen_ops screen_help_ops;

void		 screen_lives_reload(struct screen *, struct tui *);
void		 screen_sessions_reload(struct screen *, struct tui *);

#endif
