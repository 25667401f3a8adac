/*
 * mailtrail.h: the subcommands and what they share.
 */
#ifndef MAILTRAIL_H
#define MAILTRAIL_H

#define MAILTRAIL_DB	"/var/lib/mailtrail/trail.db"

const char	*mailtrail_db_default(void);
int		 mailtrail_usage_cmd(const char *, int);
int		 mailtrail_error(const char *, ...)
		    __attribute__((__format__(printf, 1, 2)));

int	collect_main(int, char **);
int	replay_main(int, char **);
int	export_main(int, char **);
int	stats_main(int, char **);
int	trace_main(int, char **);
int	tui_main(int, char **);
int	report_main(int, char **);
int	sql_main(int, char **);
int	prune_main(int, char **);
int	mlog_main(int, char **);

#endif
