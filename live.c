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
 * live.c: main() of mailtrail-live, the program that runs the commands
 * needing libevent or ncurses (collect, tui, metrics), so that mailtrail
 * itself loads neither.  mailtrail hands them over as
 * "mailtrail-live NAME args"; run so by hand, it does the same.
 */
#include <sys/prctl.h>

#include <string.h>

#include "mailtrail.h"

static const struct cmd_entry *live_cmds[] = {
	&collect_entry,
	&tui_cmd_entry,
	&metrics_entry,
};

#define LIVE_NCMDS	(sizeof(live_cmds) / sizeof(live_cmds[0]))

int
main(int argc, char **argv)
{
	size_t	i;

	log_init("mailtrail");
	util_stdout();
	/* its name in ps -C, pgrep -x and top, as before the hand-over */
	(void)prctl(PR_SET_NAME, "mailtrail", 0, 0, 0);
	for (i = 0; argc >= 2 && i < LIVE_NCMDS; i++)
		if (strcmp(live_cmds[i]->name, argv[1]) == 0)
			return util_run(live_cmds[i], argc - 1, argv + 1);
	log_warnx("%s: mailtrail-live runs collect, tui and metrics for "
	    "mailtrail(1); run mailtrail instead",
	    argc >= 2 ? argv[1] : "no command");
	return 1;
}
