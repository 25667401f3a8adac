/*
 * mailtrail.c: the mailtrail program: finds the subcommand and runs it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "mailtrail.h"

struct mailtrail_cmd {
	const char	*name;
	int		(*main)(int, char **);
	const char	*usage;
	const char	*help;
};

static const struct mailtrail_cmd mailtrail_cmds[] = {
	{ "collect", collect_main, "[-d db] [--no-dialogue] [--retain time]",
	    "read smtpd's report stream on stdin (run by smtpd)" },
	{ "replay", replay_main, "[-d db] file ...",
	    "load captured report streams ('-' for stdin)" },
	{ "trace", trace_main, "[-d db ...] [--json] [--timer] query ... | -",
	    "follow envelopes through their whole life" },
	{ "export", export_main, "[-d db ...] [--raw | [--events] [--follow] "
	    "[--summary] [--format json|ecs] [query ...]]",
	    "stream envelope lives or report events as NDJSON; --raw: "
	    "every line received" },
	{ "stats", stats_main, "[-d db]",
	    "the collector's counters and the database's size" },
	{ "tui", tui_main, "[-d db] [query ...]",
	    "watch mail live: envelopes, sessions, each life and dialogue" },
	{ "report", report_main, "[name] [-d db ...] [--since time] "
	    "[--until time] [--json] [--top n]",
	    "post-mortem reports: summary, rejections, deferrals, ..." },
	{ "sql", sql_main, "[-d db] [--json] 'SELECT ...'",
	    "run one read-only query on the database" },
	{ "prune", prune_main, "[-d db] --older-than time [--no-vacuum]",
	    "remove whole traces older than time, reclaim the space" },
	{ "maillog", mlog_main, "[-d db] [--follow] file ...",
	    "import smtpd's maillog lines ('-' for stdin, .gz too)" },
};

#define MAILTRAIL_NCMDS	(sizeof(mailtrail_cmds) / sizeof(mailtrail_cmds[0]))

static int	mailtrail_usage(int);

const char *
mailtrail_db_default(void)
{
	const char	*p = getenv("MAILTRAIL_DB");

	return p != NULL && *p != '\0' ? p : MAILTRAIL_DB;
}

int
mailtrail_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("mailtrail: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int
mailtrail_usage(int status)
{
	FILE	*fp = status ? stderr : stdout;
	size_t	 i;

	fprintf(fp, "usage: mailtrail command [options]\n\ncommands:\n");
	for (i = 0; i < MAILTRAIL_NCMDS; i++)
		fprintf(fp, "  %-8s %s\n", mailtrail_cmds[i].name,
		    mailtrail_cmds[i].help);
	fprintf(fp, "\nThe database is %s unless -d or $MAILTRAIL_DB "
	    "says otherwise.\nSee mailtrail(1).\n", MAILTRAIL_DB);
	return status;
}

int
mailtrail_usage_cmd(const char *name, int status)
{
	size_t	i;

	for (i = 0; i < MAILTRAIL_NCMDS; i++)
		if (strcmp(mailtrail_cmds[i].name, name) == 0)
			fprintf(status ? stderr : stdout,
			    "usage: mailtrail %s %s\n  %s\n", name,
			    mailtrail_cmds[i].usage, mailtrail_cmds[i].help);
	return status;
}

int
main(int argc, char **argv)
{
	size_t	i;

	log_init("mailtrail");
	/* On a terminal, no command is the TUI. */
	if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		return tui_main(argc, argv);
	if (argc < 2)
		return mailtrail_usage(1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return mailtrail_usage(0);
	for (i = 0; i < MAILTRAIL_NCMDS; i++)
		if (strcmp(mailtrail_cmds[i].name, argv[1]) == 0)
			return mailtrail_cmds[i].main(argc - 1, argv + 1);
	mailtrail_error("unknown command: %s", argv[1]);
	return mailtrail_usage(1);
}
