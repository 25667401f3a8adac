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
 * test_db.h: the database the read side's unit tests share, replayed
 * from nine captures of both protocol versions (the list tests/lib.sh
 * calls MIXED).  For a test that includes mailtrail.h and test.h.
 */
#ifndef TEST_DB_H
#define TEST_DB_H

#include <stdint.h>

static const char *const test_db_captures[] = {
	"tests/data/0.6/a-relay-ok.log",
	"tests/data/0.6/b-multi-rcpt.log",
	"tests/data/0.6/c-rset-quit.log",
	"tests/data/0.6/d-relay-denied.log",
	"tests/data/0.6/e-disconnect-in-data.log",
	"tests/data/0.6/k-local-delivery.log",
	"tests/data/0.6/relay-suite.log",
	"tests/data/0.7/a-relay-ok.log",
	"tests/data/0.7/c-starttls-auth-plain.log"
};

/* Replay the captures into a new database at path: 0, or -1. */
static inline int
test_db_mixed(char *path)
{
	char	*argv[4 + sizeof(test_db_captures) /
		    sizeof(test_db_captures[0])];
	size_t	 i;
	int	 argc = 0;

	argv[argc++] = (char *)(uintptr_t)"replay";
	argv[argc++] = (char *)(uintptr_t)"-d";
	argv[argc++] = path;
	for (i = 0; i < sizeof(test_db_captures) /
	    sizeof(test_db_captures[0]); i++)
		argv[argc++] = (char *)(uintptr_t)test_db_captures[i];
	argv[argc] = NULL;
	return replay_entry.exec(argc, argv) == 0 ? 0 : -1;
}

#endif
