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
 * test_life.c: the one status rule (collector/life_status.c): the
 * latest settled fact wins, an outcome of maillog wins a tie, an
 * expiry or removal of no time comes last, rejected and aborted stay;
 * and the changes of state the rule gives over time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"

static struct life_try	test_life_tries[4];
static struct life_end	test_life_ends[2];

/* Facts of base over the first n tries and m ends. */
static void
test_life_facts(struct life_facts *f, int base, size_t n, size_t m)
{
	memset(f, 0, sizeof(*f));
	f->base = base;
	f->t0 = 5;
	f->reply0 = "550 no";
	f->tries = test_life_tries;
	f->ntries = n;
	f->ends = test_life_ends;
	f->nends = m;
}

static int
test_life_status(int base, size_t n, size_t m, struct life_state *s)
{
	struct life_facts	f;

	test_life_facts(&f, base, n, m);
	life_status_settle(&f, INT64_MAX, s);
	return s->status;
}

static void
test_life_attempts(void)
{
	struct life_try		*a = test_life_tries;
	struct life_state	 s;

	memset(test_life_tries, 0, sizeof(test_life_tries));
	CHECK(test_life_status(LIFE_QUEUED, 0, 0, &s) == LIFE_QUEUED &&
	    s.t_status == 5 && s.decisive == SIZE_MAX);
	a[0].t = 10;
	a[0].result = RES_NONE;
	CHECK(test_life_status(LIFE_QUEUED, 1, 0, &s) == LIFE_QUEUED);
	a[0].result = RES_TEMPFAIL;
	a[0].t_end = 11;
	a[0].reply = "451 later";
	CHECK(test_life_status(LIFE_QUEUED, 1, 0, &s) == LIFE_DEFERRED &&
	    s.t_status == 11 && strcmp(s.reply, "451 later") == 0);
	a[1].t = 20;
	a[1].t_end = 21;
	a[1].result = RES_OK;
	CHECK(test_life_status(LIFE_QUEUED, 2, 0, &s) == LIFE_DELIVERED &&
	    s.decisive == 1);
	/* A refusal after a tempfail decides by time. */
	a[1].result = RES_TEMPFAIL;
	a[2].t = 30;
	a[2].t_end = 31;
	a[2].result = RES_PERMFAIL;
	a[2].given = 1;
	CHECK(test_life_status(LIFE_QUEUED, 3, 0, &s) == LIFE_FAILED &&
	    s.decisive == 2);
	CHECK(test_life_status(LIFE_REJECTED, 3, 0, &s) == LIFE_REJECTED &&
	    strcmp(s.reply, "550 no") == 0);
	CHECK(test_life_status(LIFE_ABORTED, 3, 0, &s) == LIFE_ABORTED);
}

static void
test_life_outcomes(void)
{
	struct life_try		*a = test_life_tries;
	struct life_end		*o = test_life_ends;
	struct life_state	 s;

	memset(test_life_tries, 0, sizeof(test_life_tries));
	memset(test_life_ends, 0, sizeof(test_life_ends));
	/* A tempfail, then a local delivery that worked. */
	a[0].t = 10;
	a[0].t_end = 11;
	a[0].result = RES_TEMPFAIL;
	o[0].status = LIFE_DELIVERED;
	o[0].t = 20;
	o[0].stat = "Delivered";
	CHECK(test_life_status(LIFE_QUEUED, 1, 1, &s) == LIFE_DELIVERED &&
	    strcmp(s.reply, "Delivered") == 0 && s.t_status == 20);
	/* An expiry, then one of unknown time: last of all. */
	o[0].status = LIFE_EXPIRED;
	CHECK(test_life_status(LIFE_QUEUED, 1, 1, &s) == LIFE_EXPIRED);
	o[0].t = 0;
	a[0].t_end = 1000;
	CHECK(test_life_status(LIFE_QUEUED, 1, 1, &s) == LIFE_EXPIRED);
	/* A later attempt wins over an earlier removal. */
	o[0].status = LIFE_REMOVED;
	o[0].t = 5;
	CHECK(test_life_status(LIFE_QUEUED, 1, 1, &s) == LIFE_DEFERRED &&
	    s.t_status == 1000);
	/* A tie: the outcome wins. */
	o[0].t = 1000;
	CHECK(test_life_status(LIFE_QUEUED, 1, 1, &s) == LIFE_REMOVED);
}

/* The changes in time: queued, deferred twice (new reply), removed. */
static void
test_life_history(void)
{
	struct life_try		*a = test_life_tries;
	struct life_end		*o = test_life_ends;
	struct life_facts	 f;

	memset(test_life_tries, 0, sizeof(test_life_tries));
	memset(test_life_ends, 0, sizeof(test_life_ends));
	a[0].t = 10;
	a[0].t_end = 11;
	a[0].result = RES_TEMPFAIL;
	a[0].reply = "451 a";
	a[1].t = 20;
	a[1].t_end = 21;
	a[1].result = RES_TEMPFAIL;
	a[1].reply = "451 b";
	a[2].t = 40;
	a[2].result = RES_NONE;		/* open: no change */
	o[0].status = LIFE_REMOVED;
	o[0].t = 30;
	o[0].stat = "Removed";
	test_life_facts(&f, LIFE_QUEUED, 3, 1);
	life_status_history(&f);
	CHECK(f.nchanges == 4);
	CHECK(f.nchanges == 4 && f.changes[0].t == 5 &&
	    f.changes[0].status == LIFE_QUEUED &&
	    f.changes[1].t == 11 && f.changes[1].status == LIFE_DEFERRED &&
	    f.changes[2].t == 21 && strcmp(f.changes[2].reply, "451 b") == 0 &&
	    f.changes[3].t == 30 && f.changes[3].status == LIFE_REMOVED);
	free(f.changes);
	/* A rejected recipient: one state, and no other. */
	test_life_facts(&f, LIFE_REJECTED, 3, 1);
	life_status_history(&f);
	CHECK(f.nchanges == 1 && f.changes[0].status == LIFE_REJECTED);
	free(f.changes);
	/* An expiry of no time comes last, at the last time known. */
	o[0].status = LIFE_EXPIRED;
	o[0].t = 0;
	test_life_facts(&f, LIFE_QUEUED, 2, 1);
	life_status_history(&f);
	CHECK(f.nchanges == 4 && f.changes[3].status == LIFE_EXPIRED &&
	    f.changes[3].t == 21);
	free(f.changes);
}

static void
test_life_names(void)
{
	int	i;

	for (i = 0; i < LIFE_NSTATUS; i++)
		CHECK(text_to_status(status_to_text(i)) == i);
	CHECK(text_to_status("ABORTED") == LIFE_ABORTED);
	CHECK(text_to_status("pending") == -1);
	CHECK(strcmp(status_to_text(LIFE_NSTATUS), "unknown") == 0);
}

int
main(void)
{
	test_life_attempts();
	test_life_outcomes();
	test_life_history();
	test_life_names();
	TEST_END();
}
