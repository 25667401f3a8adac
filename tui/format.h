/*
 * format.h: what the TUI shows, as text: bytes from the network made
 * safe for a terminal, fields fitted to a width in columns, times,
 * sparklines, list rows and dialogue lines.  Pure functions: no curses,
 * no database.  Output goes to caller-provided buffers.
 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"
#include "util.h"

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
	SCOL_STATE,
	SCOL_DUR,
	SCOL_MAX
};

/* Lines of a timeline, as trace prints it. */
enum format_tl {
	TL_HEAD,		/* status, reply, ids, timings */
	TL_BLANK,
	TL_STEP,		/* received, queued, attempt, outcome */
	TL_DIALOGUE		/* a session's line, under its step */
};

struct format_col {
	int	x, w;
};

#define FORMAT_COLS	9	/* the most columns of a list */

struct format_cells {
	char			 text[FORMAT_COLS][FORMAT_CELL];
	enum format_tone	 tone[FORMAT_COLS];
};

int		 format_field(char *, size_t, const char *, size_t, int, int,
		    int);
int		 format_width(const char *, size_t, int);
size_t		 format_unescape(char *, size_t);
void		 format_clock(int64_t, int64_t, char *, size_t);
void		 format_iso(int64_t, char *, size_t);
void		 format_host(const char *, char *, size_t);
void		 format_spark(const int *, int, int, char *, size_t, int);
const char	*format_status(enum query_status);
enum format_tone format_status_tone(enum query_status);
const char	*format_mark(const struct query_row *, int);
int		 format_layout(int, const int *, const int *, int,
		    struct format_col *);
void		 format_lives_layout(int, struct format_col *);
void		 format_sess_layout(int, struct format_col *);
void		 format_life_row(const struct query_row *, int64_t, int,
		    const struct format_col *, struct format_cells *);
void		 format_sess_row(const struct query_sess *, int64_t, int,
		    const struct format_col *, struct format_cells *);
void		 format_event(const struct query_event *, int64_t,
		    struct buf *);
enum format_tone format_line_tone(const char *, size_t);
enum format_tl	 format_tl_kind(const char *, size_t, int *);
enum format_tone format_tl_tone(enum format_tl, const char *, size_t);
int		 format_tl_sid(const char *, size_t, uint64_t *);

#endif
