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
 * mailtrail.c: main(): the table of commands, finds the one named and
 * runs it, and prints its usage when it says the usage was wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"

static const struct cmd_entry *mailtrail_cmds[] = {
	&collect_entry,
	&replay_entry,
	&trace_entry,
	&export_entry,
	&stats_entry,
	&tui_cmd_entry,
	&report_entry,
	&sql_entry,
	&prune_cmd_entry,
	&maillog_cmd_entry,
	&check_entry,
	&metrics_entry,
};

#define MAILTRAIL_NCMDS	(sizeof(mailtrail_cmds) / sizeof(mailtrail_cmds[0]))

static int	mailtrail_usage(int);
static int	mailtrail_run(const struct cmd_entry *, int, char **);

static int
mailtrail_usage(int status)
{
	FILE	*fp = status ? stderr : stdout;
	size_t	 i;

	fprintf(fp, "usage: mailtrail command [options]\n\ncommands:\n");
	for (i = 0; i < MAILTRAIL_NCMDS; i++)
		fprintf(fp, "  %-8s %s\n", mailtrail_cmds[i]->name,
		    mailtrail_cmds[i]->help);
	fprintf(fp, "\nThe database is %s unless -d or $MAILTRAIL_DB "
	    "says otherwise.\nSee mailtrail(1).\n", DB_DEFAULT);
	return status;
}

/*
 * Run a command; CMD_HELP and CMD_USAGE print its usage.  getopt()
 * names argv[0] in its messages: "mailtrail: unrecognized option".
 */
static int
mailtrail_run(const struct cmd_entry *e, int argc, char **argv)
{
	static char	name[] = "mailtrail";
	int		rc;

	argv[0] = name;
	switch ((rc = e->exec(argc, argv))) {
	case CMD_HELP:
	case CMD_USAGE:
		fprintf(rc == CMD_HELP ? stdout : stderr,
		    "usage: mailtrail %s %s\n  %s\n", e->name, e->usage,
		    e->help);
		return rc == CMD_HELP ? 0 : 1;
	default:
		return rc;
	}
}

int
main(int argc, char **argv)
{
	static char	help[] = "--help";
	size_t		i;

	log_init("mailtrail");
	util_stdout();
	/* "help CMD" is "CMD --help". */
	for (i = 0; argc >= 3 && strcmp(argv[1], "help") == 0 &&
	    i < MAILTRAIL_NCMDS; i++)
		if (strcmp(mailtrail_cmds[i]->name, argv[2]) == 0) {
			argv[2] = help;
			return mailtrail_run(mailtrail_cmds[i], 2, argv + 1);
		}
	if (argc >= 3 && strcmp(argv[1], "help") == 0) {
		log_warnx("help: unknown command: %s", argv[2]);
		return mailtrail_usage(1);
	}
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0))
		return mailtrail_usage(0);
	/* On a terminal, no command (or options first) is the TUI. */
	if ((argc < 2 || argv[1][0] == '-') && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO))
		return mailtrail_run(&tui_cmd_entry, argc, argv);
	if (argc < 2)
		return mailtrail_usage(1);
	if (argv[1][0] == '-') {
		log_warnx("%s: a command first (options alone start the TUI, "
		    "on a terminal)", argv[1]);
		return mailtrail_usage(1);
	}
	for (i = 0; i < MAILTRAIL_NCMDS; i++)
		if (strcmp(mailtrail_cmds[i]->name, argv[1]) == 0)
			return mailtrail_run(mailtrail_cmds[i], argc - 1,
			    argv + 1);
	log_warnx("unknown command: %s", argv[1]);
	return mailtrail_usage(1);
}
