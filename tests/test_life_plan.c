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
 * test_life_plan.c: the writer's look-up of a sender's waiting lives,
 * which each refused MAIL FROM on smtp-out makes (collector/life.c,
 * LS_REFUSAL_LIVES), gives the waiting lives of one message, and its
 * work grows neither with the sender's finished mail nor with the
 * number of its messages waiting: SQLite's count of the statement's
 * steps is the same beside 50 finished lives as beside 5,000, and with
 * two messages waiting as with 2,002.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"
#include "test_db.h"

#define TEST_SENDER	"News@Lists.test"

static void	test_life_plan_add(struct db *, int64_t, int64_t, int, int);
static int	test_life_plan_ask(struct life_writer *, int *);

/* n lives of the sender, messages from msgid on, each of status. */
static void
test_life_plan_add(struct db *db, int64_t msgid, int64_t n, int status,
    int per_msg)
{
	char	sql[512];

	snprintf(sql, sizeof(sql), "WITH RECURSIVE k(i) AS (SELECT 0 UNION "
	    "ALL SELECT i + 1 FROM k WHERE i + 1 < %lld) INSERT INTO "
	    "life(evpid, msgid, t, mail_from, rcpt_to, status, t_accepted) "
	    "SELECT ((%lld + i / %d) << 32) + i, %lld + i / %d, 1000 + i, "
	    "'news@lists.test', 'u' || i || '@d.test', %d, 1000 + i FROM k",
	    (long long)n, (long long)msgid, per_msg, (long long)msgid,
	    per_msg, status);
	CHECK_MSG(db_exec(db, sql) == 0, "%s", sqlite3_errmsg(db->h));
}

/* The lives the look-up gives; *steps, SQLite's steps for it. */
static int
test_life_plan_ask(struct life_writer *lw, int *steps)
{
	sqlite3_stmt	*s;
	int		 n = 0;

	if ((s = life_stmt(lw, LS_REFUSAL_LIVES)) == NULL) {
		CHECK(0);
		return -1;
	}
	sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
	sqlite3_bind_text(s, 1, TEST_SENDER, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, 0);
	while (sqlite3_step(s) == SQLITE_ROW)
		n++;
	*steps = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0);
	sqlite3_reset(s);
	return n;
}

int
main(void)
{
	char			 dir[] = "/tmp/test_life_plan.XXXXXX";
	char			 path[64];
	struct db		 db;
	struct life_writer	 lw;
	struct hour_tab		 ht;
	int			 one, two, two_more, one_more;

	if (test_db_dir(dir, path, sizeof(path)) == -1)
		return 1;
	CHECK(test_db_writer(path, &db, &ht, &lw) == 0);

	/* Finished mail of the sender, then one message waiting. */
	test_life_plan_add(&db, 1, 50, LIFE_DELIVERED, 1);
	test_life_plan_add(&db, 100000, 3, LIFE_DEFERRED, 3);
	CHECK(test_life_plan_ask(&lw, &one) == 3);
	/* A second message waiting: no life is its. */
	test_life_plan_add(&db, 200000, 1, LIFE_QUEUED, 1);
	CHECK(test_life_plan_ask(&lw, &two) == 0);

	/*
	 * A hundred times the finished mail, and 2,000 more messages
	 * waiting: the same work.
	 */
	test_life_plan_add(&db, 300000, 4950, LIFE_DELIVERED, 1);
	test_life_plan_add(&db, 400000, 2000, LIFE_DEFERRED, 1);
	CHECK(test_life_plan_ask(&lw, &two_more) == 0);
	CHECK_MSG(two_more == two, "%d steps, %d before", two_more, two);
	CHECK(db_exec(&db, "DELETE FROM life WHERE msgid = 200000 OR "
	    "msgid >= 400000") == 0);
	CHECK(test_life_plan_ask(&lw, &one_more) == 3);
	CHECK_MSG(one_more == one, "%d steps, %d before", one_more, one);

	life_close(&lw);
	hour_close(&ht);
	db_close(&db);
	test_db_remove(dir);
	TEST_END();
}
