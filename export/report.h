/*
 * report.h: mailtrail report: named reports, each a list of sections
 * (one SQL query over the views of schema/views.sql and how to show
 * its columns), run for a time window over one database or several
 * (one per mail host, merged) and printed as aligned tables or as one
 * JSON document.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "util.h"

#define REPORT_COLS_MAX		14
#define REPORT_WIDTH		80	/* text output fits this */
#define REPORT_TOP		10	/* rows per table unless --top */
#define REPORT_HOUR		(3600 * 1000000LL)
#define REPORT_DAY		(24 * REPORT_HOUR)
#define REPORT_HOURLY_MAX	(2 * REPORT_DAY)	/* longer: per day */
#define REPORT_PART_COLS	16	/* columns of a query's rows */

/*
 * With several databases, each section's rows of every database (its
 * part query, else its query) are kept in this table with the name of
 * their host, and its merge query over the table gives the rows.
 */
#define REPORT_PART_TABLE \
	"CREATE TABLE part (host TEXT, c0, c1, c2, c3, c4, c5, c6, c7, c8," \
	" c9, c10, c11, c12, c13, c14, c15)"

/*
 * SQL parameters of every section: ?1 since, ?2 until (microseconds,
 * both included), ?3 the time ages are counted from (--until, else
 * now), ?4 the volume bucket (an hour or a day, in microseconds).
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
	RK_PCTL		/* rows (group, value) ordered by group: count and
			   percentiles per group, and over all, by count */
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
};

#define REPORT_END \
	{ NULL, NULL, RK_ROWS, 0, NULL, { { NULL, RT_INT, 0 } }, NULL, NULL, 0 }

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
	int		 has_since, has_until;
	int		 json;
	size_t		 top;		/* 0: every row */
	struct buf	 tmp;
	void		*doc;		/* cJSON: the document */
	void		*sections;	/* cJSON: its array of sections */
};

/* report_tab.c, report_tab2.c */
extern const struct report_def		 report_list[];
extern const struct report_section	 report_summary[];
extern const struct report_section	 report_rejections[];
extern const struct report_section	 report_deferrals[];
extern const struct report_section	 report_bounces[];
extern const struct report_section	 report_latency[];
extern const struct report_section	 report_tls[];
extern const struct report_section	 report_auth[];
extern const struct report_section	 report_filters[];
extern const struct report_section	 report_queue[];

/* report_fmt.c */
void		 report_val_col(struct report_val *, sqlite3_stmt *, int);
const char	*report_text(struct report_ctx *, enum report_type,
		    const struct report_val *, char *, size_t);
void		*report_json(struct report_ctx *, enum report_type,
		    const struct report_val *);
void		 report_bytes(int64_t, char *, size_t);
void		 report_stamp(int64_t, int, char *, size_t);
int64_t		 report_pctl(const int64_t *, size_t, int);

/* report_run.c */
int		 report_section_run(struct report_ctx *,
		    const struct report_section *, FILE *);
int		 report_bind(struct report_ctx *, sqlite3_stmt *);
int		 report_error(struct report_ctx *,
		    const struct report_section *);

/* report_multi.c */
int		 report_multi_open(struct report_ctx *);
int		 report_multi_section(struct report_ctx *,
		    const struct report_section *, FILE *);
void		 report_multi_close(struct report_ctx *);

#endif
