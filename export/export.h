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
 * export.h: what prints the read model: trace, export, reports, sql.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cjson/cJSON.h>

/* jobs.c */
#define JOBS_MAX	64	/* export -j: processes at most */

struct model_query;
int	jobs_count(const char *, int *);
int	jobs_export(const char *, const struct model_query *, int, int);

/* table.c */
#define TABLE_COLS_MAX	32
#define TABLE_GAP	2	/* spaces between columns */
#define TABLE_MIN	8	/* a column is never cut narrower */

enum table_align {
	TABLE_LEFT,
	TABLE_RIGHT
};

struct table {
	size_t		 ncols;
	const char	*head[TABLE_COLS_MAX];
	enum table_align align[TABLE_COLS_MAX];
	int		 cut[TABLE_COLS_MAX];	/* may be cut to fit */
	size_t		 width[TABLE_COLS_MAX];
	char		**cells;		/* row-major, owned */
	size_t		 ncells, cap;
};

void	table_init(struct table *, size_t);
void	table_col(struct table *, size_t, const char *, enum table_align, int);
void	table_cell(struct table *, const char *);
size_t	table_rows(const struct table *);
void	table_fit(struct table *, size_t);
void	table_print(struct table *, FILE *, size_t, int);
void	table_free(struct table *);

/* check.c, check_find.c */
enum check_kind {
	CHECK_QUEUE,		/* the oldest mail in the queue: its age */
	CHECK_DEFER,		/* a destination's share of deferrals: % */
	CHECK_CLASS,		/* replies of --class in the window */
	CHECK_STALL,		/* the collector silent after traffic */
	CHECK_LOST,		/* lines the collector lost */
	CHECK_N
};

enum check_state {
	CHECK_OK,
	CHECK_WARNING,
	CHECK_CRITICAL,
	CHECK_UNKNOWN
};

/* A threshold pair: [0] warning, [1] critical; above it alerts. */
struct check_limit {
	int		 set[2];
	int64_t		 v[2];
};

/* What one check found: its state, the measure and a phrase. */
struct check_finding {
	int		 run;		/* measured */
	enum check_state state;
	int64_t		 value;		/* in its limit's unit */
	char		 text[256];
};

struct check {
	const char		*path;
	const char		*classes;	/* -c */
	const char		*class;		/* --class */
	const char		*window_arg;	/* as given: "15m" */
	int64_t			 now, window;	/* microseconds */
	int64_t			 defer_min;	/* attempts to judge a share */
	struct check_limit	 lim[CHECK_N];
	struct check_finding	 f[CHECK_N];
	int64_t			 queue, spilled;	/* perfdata only */
	struct db		 db;
	struct buf		 esc;
	char			 err[CLASS_ERR + 64];	/* why UNKNOWN */
};

int	check_find(struct check *);

/* jw.c */
struct jw {
	struct buf	 b;		/* the line being built */
	int		 first;		/* no member yet at this level */
	int		 depth;
};

void	jw_begin(struct jw *);
int	jw_end(struct jw *, FILE *);
void	jw_free(struct jw *);
void	jw_key(struct jw *, const char *);
void	jw_str(struct jw *, const char *, const char *);
void	jw_strn(struct jw *, const char *, const char *, size_t);
void	jw_lit(struct jw *, const char *, const char *);
void	jw_raw(struct jw *, const char *, const char *);
void	jw_bool(struct jw *, const char *, int);
void	jw_open(struct jw *, const char *, char);
void	jw_close(struct jw *, char);
/* The most a string of n bytes takes quoted: each byte as \u00XX. */
#define JW_QUOTED(n)	(6 * (n) + 2)
char	*jw_quote(char *, const char *, size_t);
int	 jw_print(FILE *, const char *, size_t);
unsigned int jw_unsafe(const unsigned char *, size_t, size_t *);
char	*jw_room(struct jw *, size_t);
void	jw_wrote(struct jw *, char *);

/* json.c */

/*
 * What writing an object uses, kept from one to the next: buffers, the
 * dates of the last two days printed (a life's times and its as_of are
 * often a day apart).
 */
struct json_ctx {
	struct jw	 w;
	struct buf	 b;		/* a string made UTF-8 */
	char		 hex[17];
	int64_t		 day[2];	/* days since the epoch */
	char		 date[2][12];	/* theirs: "2026-11-23T" */
	int		 older;		/* the slot to replace next */
	int		 has_sec;
	int64_t		 sec;		/* the last second printed, */
	char		 second[20];	/* as "2026-11-23T10:00:00" */
};

const char	*json_utf8(const char *, size_t, struct buf *);
const char	*json_utf8n(const char *, size_t, struct buf *, size_t *);
struct json_ctx	*json_begin(const char *);
void		 json_str(struct json_ctx *, const char *, const char *);
void		 json_hex(struct json_ctx *, const char *, uint64_t, int);
void		 json_int(struct json_ctx *, const char *, int64_t);
void		 json_at(struct json_ctx *, const char *, int64_t);
void		 json_at_estimate(struct json_ctx *, const char *, int64_t);
void		 json_secs(struct json_ctx *, const char *, int64_t, int64_t);
void		 json_events(const struct model_event *, size_t,
		    struct json_ctx *);
int		 json_event_print(const struct model_event *, int, FILE *);
int		 json_session_print(const struct model_alone *, int, FILE *);
int		 json_print(cJSON *, FILE *);

/* json_life.c */
int		 json_life_print(const struct model_life *, int, FILE *);

/* ecs.c */
#define ECS_VERSION	"8.11.0"

/* What a life's document says beyond the life itself. */
struct ecs_extra {
	const char	*host;		/* host.name */
	const char	*remote_id;	/* the next hop's queue id, or NULL */
	const char	*up_host;	/* the previous host, or NULL */
	uint64_t	 up_evpid;	/* its envelope */
};

int	ecs_life_print(const struct model_life *, const struct ecs_extra *,
	    FILE *);
int	ecs_event_print(const struct model_event *, const char *, FILE *);
int	ecs_session_print(const struct model_alone *, const char *, FILE *);

/* hosts.c */
#define HOSTS_MAX	64
#define HOSTS_SKEW	(3600 * US_PER_SEC)	/* clocks agree within */

enum hosts_stmt {
	HQ_ADMD,
	HQ_REMOTE,
	HQ_DOWN,
	HQ_UP,
	HQ_MAX
};

/* Their statements (tests/test_report_plan.c checks HQ_UP's plan). */
extern const char *const hosts_sql[HQ_MAX];

struct host {
	const char	*path;
	char		*name;		/* hosts_name() */
	struct model	*top;		/* the query's lives */
	struct model	*chain;		/* lives reached by a hop */
	struct db	 db;		/* the hop lookups: hosts_sql */
	int		 on_path;	/* in the chain being printed */
};

struct hosts {
	struct host	 h[HOSTS_MAX];
	size_t		 n;
};

/* Where a life came from: the previous host's attempt. */
struct hosts_up {
	size_t		 host;
	uint64_t	 evpid;		/* upstream envelope */
	uint64_t	 session;	/* its smtp-out session id */
	char		 remote_id[64];	/* = this life's msgid, hex */
	uint32_t	 msgid;		/* the upstream envelope's message, */
	char		 rcpt[512];	/* its recipient on smtp-in */
	int64_t		 t;		/* and its commit there */
};

int		 hosts_add(struct hosts *, const char *);
int		 hosts_open(struct hosts *, int);
void		 hosts_close(struct hosts *);
char		*hosts_name(sqlite3 *, const char *);
int		 hosts_remote_id(struct host *, int64_t, char *, size_t);
int		 hosts_msgid(const char *, char *, uint32_t *);
int		 hosts_down(struct host *, const char *, int64_t, int64_t);
int		 hosts_up(struct hosts *, size_t, uint32_t, const char *,
		    int64_t, struct hosts_up *);
int		 hosts_print_json(const struct model_life *, int, const char *,
		    const struct hosts *, const struct hosts_up *, FILE *);
int		 hosts_print_event(const struct model_event *, const char *,
		    FILE *);
int		 hosts_print_session(const struct model_alone *, int,
		    const char *, FILE *);

/* multi_trace.c, multi_export.c */
struct multi_opts {
	int			 events, follow, summary, ecs, sessions;
	const struct model_query *q;
};

int	multi_trace(struct hosts *, const struct model_query *, int, int);
int	multi_export(struct hosts *, const struct multi_opts *);

/* report.c */
#define REPORT_COLS_MAX		18
#define REPORT_WIDTH		80	/* text output fits this */
#define REPORT_TOP		10	/* rows per table unless --top */
#define REPORT_HOUR		(3600 * US_PER_SEC)
#define REPORT_DAY		(24 * REPORT_HOUR)
#define REPORT_HOURLY_MAX	(2 * REPORT_DAY)	/* longer: per day */
#define REPORT_PART_COLS	18	/* columns of a query's rows */

/*
 * With several databases, each section's rows of every database (its
 * part query, else its query) are kept in this table with the name of
 * their host, and its merge query over the table gives the rows.
 */
#define REPORT_PART_TABLE \
	"CREATE TABLE part (host TEXT, c0, c1, c2, c3, c4, c5, c6, c7, c8," \
	" c9, c10, c11, c12, c13, c14, c15, c16, c17)"

/*
 * SQL parameters of every section: ?1 since, ?2 until (microseconds,
 * both included), ?3 the time ages and states are counted at (--at,
 * else --until, else now), ?4 the volume bucket (an hour or a day, in
 * microseconds).
 */
enum report_type {
	RT_TEXT,	/* bytes from the network: escaped */
	RT_ADDR,	/* a mail address; "" is the null sender, <> */
	RT_INT,
	RT_BYTES,
	RT_PCT,		/* a real number, 0 to 100 */
	RT_TIME,	/* microseconds since the epoch */
	RT_BUCKET,	/* the start of an hour or a day */
	RT_DUR,		/* microseconds */
	RT_HEX16	/* an evpid or session id (INTEGER) */
};

enum report_kind {
	RK_ROWS,	/* a table */
	RK_RECORD,	/* one row, shown as name and value */
	RK_PCTL,	/* rows (group, value), in any order: count and
			   percentiles per group, and over all, by count;
			   a NULL value is not counted */
	RK_DEST		/* report_dest.c: destinations, by its key
			   ("domains", "hops"), over every database */
};

struct report_col {
	const char		*name;	/* heading and JSON key */
	enum report_type	 type;
	int			 hide;	/* JSON only */
};

struct report_section {
	const char		*key;		/* NULL ends a list */
	const char		*title;
	enum report_kind	 kind;
	int			 all;		/* never cut by --top */
	const char		*sql;
	struct report_col	 cols[REPORT_COLS_MAX];
	/* several databases: */
	const char		*merge;		/* the rows, from table part */
	const char		*part;		/* each one's rows; NULL: sql */
	int			 host;		/* a host column first */
};

struct report_def {
	const char			*name;	/* NULL ends the list */
	const char			*help;
	const struct report_section	*sections;
	int				 at;	/* takes --at */
};

/* A value to show: from a result column or computed. */
struct report_val {
	int		 null;
	int64_t		 i;
	double		 r;
	const char	*s;
	size_t		 len;
};

struct hosts;

struct report_ctx {
	sqlite3		*db;		/* what the section runs on */
	const char	*path;		/* its file; NULL: the merge */
	struct hosts	*hs;		/* every database */
	sqlite3		*merge;		/* several: the part table */
	sqlite3_stmt	*ins;		/* a row into it */
	int64_t		 since, until, now, bucket;
	int64_t		 at;		/* --at: the queue then */
	int		 has_since, has_until, has_at;
	int		 json;
	int		 compare;	/* --compare: the window before */
	size_t		 top;		/* 0: every row */
	struct buf	 tmp;
	void		*doc;		/* cJSON: the document */
	void		*sections;	/* cJSON: its array of sections */
};

/* report_tab.c, report_tab_queue.c, report_dest.c */
#define REPORT_TAB_END \
	{ NULL, NULL, RK_ROWS, 0, NULL, { { NULL, RT_INT, 0 } }, NULL, NULL, 0 }

extern const struct report_section report_tab_tls[];	/* report_tab_tls.c */
extern const struct report_section report_tab_auth[];	/* report_tab_auth.c */

extern const struct report_def	 report_tab_list[];
extern const struct report_section report_tab_queue[];

/* report_dest.c */
extern const struct report_section report_dest_sections[];
int		 report_dest_section(struct report_ctx *,
		    const struct report_section *, FILE *);

/* report_fmt.c */
void		 report_fmt_val(struct report_val *, sqlite3_stmt *, int);
const char	*report_fmt_text(struct report_ctx *, enum report_type,
		    const struct report_val *, char *, size_t);
void		*report_fmt_json(struct report_ctx *, enum report_type,
		    const struct report_val *);
void		 report_fmt_stamp(int64_t, int, char *, size_t);

/* report_run.c */
int		 report_run_section(struct report_ctx *,
		    const struct report_section *, FILE *);
int		 report_run_bind(struct report_ctx *, sqlite3_stmt *);
int		 report_run_error(struct report_ctx *,
		    const struct report_section *);

/* report_multi.c */
int		 report_multi_open(struct report_ctx *);
int		 report_multi_section(struct report_ctx *,
		    const struct report_section *, FILE *);
void		 report_multi_close(struct report_ctx *);

/* metrics.c, metrics_out.c, metrics_read.c, metrics_sess.c, metrics_http.c */
#define METRICS_TOP_MAX	1000	/* --top-domains at most */
#define METRICS_CLASS_TABLE	"metrics_class"	/* temp: reply, its class */
#define METRICS_READ_NSQL	4
#define METRICS_SESS_NSQL	7

/* Their statements (tests/test_report_plan.c checks the plans). */
extern const char *const metrics_read_sql[METRICS_READ_NSQL];
extern const char *const metrics_sess_sql[METRICS_SESS_NSQL];

/* The families, in the order printed (metrics_out.c names them). */
enum metrics_fam {
	MF_ENVELOPES,
	MF_QUEUE,
	MF_QUEUE_OLDEST,
	MF_QUEUE_DEFERRED,
	MF_DELIVERY,
	MF_ATTEMPTS,
	MF_SESSIONS,
	MF_REFUSED,
	MF_AUTH,
	MF_TLS,
	MF_FILTER,
	MF_DOMAIN_ENVELOPES,
	MF_DOMAIN_QUEUE,
	MF_LINES,
	MF_MALFORMED,
	MF_SPILLED,
	MF_LOST,
	MF_COMMITS,
	MF_LAST_COMMIT,
	MF_MAX
};

/* One sample: its family, name suffix, labels as printed, value. */
struct metrics_sample {
	enum metrics_fam	 fam;
	const char		*suffix;	/* "_bucket", or "" */
	char			*labels;	/* k="v",... or "" */
	double			 v;
};

struct metrics {
	struct hosts		*hs;
	size_t			 top;		/* --top-domains */
	int64_t			 now;		/* of the scrape */
	struct host		*h;		/* the database being read */
	struct metrics_sample	*s;
	size_t			 n, cap;
	struct buf		 out;		/* the exposition */
	struct buf		 lab;		/* labels being made */
	struct buf		 tmp;		/* a value made UTF-8 */
};

void		 metrics_out_add(struct metrics *, enum metrics_fam,
		    const char *, double, ...);
void		 metrics_out_print(struct metrics *);
void		 metrics_out_free(struct metrics *);
sqlite3_stmt	*metrics_read_prepare(struct metrics *, const char *);
int		 metrics_read_exec(struct metrics *, const char *);
int		 metrics_read_step(struct metrics *, sqlite3_stmt *);
int		 metrics_read(struct metrics *);
int		 metrics_sess(struct metrics *);
int		 metrics_scrape(struct metrics *);
int		 metrics_http(struct metrics *, const char *);

/* sql.c */
int	sql_open(struct db *, const char *);

/* timeline.c */
void	timeline_print(const struct model_life *, FILE *, int);
void	timeline_session_print(const struct model_alone *, FILE *, int);

#endif
