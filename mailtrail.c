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
 * runs it, or hands it to mailtrail-live (live.c) when it needs libevent
 * or ncurses.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"

#ifndef MAILTRAIL_LIBEXECDIR
#define MAILTRAIL_LIBEXECDIR	"/usr/local/libexec/mailtrail"
#endif

/* Run by mailtrail-live: their usage is its to print. */
static const struct cmd_entry mailtrail_collect = {
	"collect", NULL, COLLECT_HELP, NULL
};
static const struct cmd_entry mailtrail_tui = {
	"tui", NULL, TUI_HELP, NULL
};
static const struct cmd_entry mailtrail_metrics = {
	"metrics", NULL, METRICS_HELP, NULL
};

static const struct cmd_entry *mailtrail_cmds[] = {
	&mailtrail_collect,
	&replay_entry,
	&trace_entry,
	&export_entry,
	&stats_entry,
	&mailtrail_tui,
	&report_entry,
	&sql_entry,
	&prune_cmd_entry,
	&maillog_cmd_entry,
	&check_entry,
	&mailtrail_metrics,
};

#define MAILTRAIL_NCMDS	(sizeof(mailtrail_cmds) / sizeof(mailtrail_cmds[0]))

/* as smtpd or the shell ran it: mailtrail-live's too, for ps(1) */
static char	*mailtrail_argv0;

static int	mailtrail_usage(int);
static int	mailtrail_run(const struct cmd_entry *, int, char **);
static int	mailtrail_live(const char *, int, char **);

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

static int
mailtrail_run(const struct cmd_entry *e, int argc, char **argv)
{
	if (e->exec == NULL)
		return mailtrail_live(e->name, argc, argv);
	return util_run(e, argc, argv);
}

/*
 * Hand command NAME and its arguments (argv[0] is the command; argc may
 * be 0) to mailtrail-live: the one beside this program if there is one,
 * as in a build tree, else the one make install put in
 * MAILTRAIL_LIBEXECDIR.  The process stays the same: smtpd's report
 * process is still its child, on the same pipe, and ps(1) shows the
 * command line smtpd ran.
 */
static int
mailtrail_live(const char *name, int argc, char **argv)
{
	char		 self[PATH_MAX], path[PATH_MAX], **av;
	ssize_t		 n;
	int		 i, len = -1;

	if ((n = readlink("/proc/self/exe", self, sizeof(self))) > 0 &&
	    (size_t)n < sizeof(self)) {
		self[n] = '\0';
		len = snprintf(path, sizeof(path), "%s/mailtrail-live",
		    dirname(self));
	}
	if (len < 0 || (size_t)len >= sizeof(path) ||
	    access(path, F_OK) == -1)
		(void)snprintf(path, sizeof(path), "%s/mailtrail-live",
		    MAILTRAIL_LIBEXECDIR);
	av = xcalloc(argc + 3, sizeof(*av));
	av[0] = mailtrail_argv0;
	av[1] = xstrdup(name);
	for (i = 1; i < argc; i++)
		av[i + 1] = argv[i];
	execv(path, av);
	log_warn("%s: cannot run %s", name, path);
	free(av[1]);
	free(av);
	return 1;
}

int
main(int argc, char **argv)
{
	static char	help[] = "--help", name[] = "mailtrail";
	size_t		i;

	log_init("mailtrail");
	util_stdout();
	mailtrail_argv0 = argc > 0 ? argv[0] : name;
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
		return mailtrail_run(&mailtrail_tui, argc, argv);
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
