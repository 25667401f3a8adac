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
 * test_reply.c: the next hop's queue id in replies to the end of DATA,
 * in the formats of common MTAs, and replies that have none.
 */
#include "mailtrail.h"
#include "collector/collector.h"
#include "test.h"

static const struct {
	const char	*reply;
	const char	*id;	/* NULL: none */
} cases[] = {
	{ "250 2.0.0 Ok: queued as 4Xyz1230Abcd", "4Xyz1230Abcd" },
	{ "250 2.0.0 queued as sink-000001", "sink-000001" },
	{ "250 2.0.0 Ok: queued as 3C2D41E0B9.", "3C2D41E0B9" },
	{ "250 OK id=1qXyZa-0003Kb-Tq", "1qXyZa-0003Kb-Tq" },
	{ "250 2.0.0 1466b132 Message accepted for delivery", "1466b132" },
	{ "250 2.0.0 4ANAbcd0123456 Message accepted for delivery",
	    "4ANAbcd0123456" },
	{ "250 2.6.0 <a1b2c3d4@EX01.example.com> [InternalId=123] Queued mail "
	    "for delivery", "a1b2c3d4@EX01.example.com" },
	{ "250 Message accepted", NULL },
	{ "250 2.0.0 Ok", NULL },
	{ "250 2.0.0 OK  1700000000 - gsmtp", NULL },
	{ "550 5.1.1 queued as nothing", NULL },
	{ "451 4.3.0 id=temporary", NULL },
	{ "250", NULL },
	{ "", NULL },
	{ "250 2.0.0 queued as ab", NULL },
	{ "250 2.0.0 queued as \x1b[2Jx", NULL },
};

int
main(void)
{
	struct proto_str id;
	size_t		 i;
	int		 found;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		found = reply_queue_id(cases[i].reply, strlen(cases[i].reply),
		    &id);
		if (cases[i].id == NULL)
			CHECK_MSG(!found, "\"%s\" gave \"%.*s\"", cases[i].reply,
			    found ? (int)id.len : 0, found ? id.p : "");
		else {
			CHECK_MSG(found, "no id in \"%s\"", cases[i].reply);
			if (found)
				CHECK_FIELD(id, cases[i].id);
		}
	}
	TEST_END();
}
