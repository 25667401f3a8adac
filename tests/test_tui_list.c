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
 * test_tui_list.c: the list widget's keys, following, search and
 * mouse (no drawing), and the pure parts of the TUI's queries:
 * filters on rows (the status the writer stored) and sessions.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui/tui.h"
#include "test.h"

static const char *const words[] = {
	"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
	"hotel", "india", "juliet"
};

static void	test_keys(void);
static void	test_follow(void);
static void	test_search(void);
static void	test_match(void);

static int
match(void *arg, size_t i, const char *needle)
{
	(void)arg;
	return list_icontains(words[i], strlen(words[i]), needle);
}

static void
test_keys(void)
{
	struct list	l;

	list_init(&l, NULL, match, NULL, 0);
	l.height = 4;
	list_set_count(&l, 10);
	CHECK(l.cur == 0 && l.top == 0 && !l.follow);
	CHECK(list_key(&l, 'j') && l.cur == 1);
	CHECK(list_key(&l, KEY_DOWN) && l.cur == 2);
	CHECK(list_key(&l, KEY_NPAGE) && l.cur == 5 && l.top == 2);
	CHECK(list_key(&l, 'G') && l.cur == 9 && l.top == 6 && !l.follow);
	CHECK(list_key(&l, KEY_PPAGE) && l.cur == 6);
	CHECK(list_key(&l, 'k') && l.cur == 5 && l.top == 5);
	CHECK(list_key(&l, 'g') && l.cur == 0 && l.top == 0);
	CHECK(list_key(&l, 'k') && l.cur == 0);
	CHECK(!list_key(&l, 'F'));	/* not a live list */
	CHECK(!list_key(&l, 'x'));
	/* Mouse: a click selects, a second one on it says "open". */
	CHECK(list_click(&l, 2) == 0 && l.cur == 2);
	CHECK(list_click(&l, 2) == 1);
	CHECK(list_click(&l, 40) == 0 && l.cur == 2);
	list_wheel(&l, 1);
	CHECK(l.cur == 2 + LIST_WHEEL);
	list_wheel(&l, -1);
	list_wheel(&l, -1);
	CHECK(l.cur == 0);
	list_set_count(&l, 0);
	CHECK(l.cur == 0 && l.top == 0 && list_key(&l, 'j') && l.cur == 0);
}

/* Like tail -f: on the last row as rows come, until the cursor moves. */
static void
test_follow(void)
{
	struct list	l;

	list_init(&l, NULL, match, NULL, 1);
	l.height = 4;
	list_set_count(&l, 6);
	CHECK(l.follow && l.cur == 5 && l.top == 2);
	list_set_count(&l, 8);
	CHECK(l.cur == 7 && l.top == 4);
	CHECK(list_key(&l, 'k') && !l.follow && l.cur == 6);
	list_set_count(&l, 10);
	CHECK(l.cur == 6 && !l.follow);
	CHECK(list_key(&l, 'F') && l.follow && l.cur == 9);
	CHECK(list_key(&l, 'F') && !l.follow && l.cur == 9);
	CHECK(list_key(&l, 'g') && list_key(&l, 'G') && l.follow);
	list_wheel(&l, -1);
	CHECK(!l.follow);
}

static void
test_search(void)
{
	struct list	l;

	list_init(&l, NULL, match, NULL, 1);
	l.height = 4;
	list_set_count(&l, 10);
	CHECK(list_search(&l, "ECHO", 0, 1) && l.cur == 4 && !l.follow);
	/* Forward round the end, backward round the start. */
	CHECK(list_search(&l, "a", 5, 1) && l.cur == 8);	/* india */
	CHECK(list_search(&l, "a", 9, 1) && l.cur == 0);	/* alpha */
	CHECK(list_search(&l, "o", 0, -1) && l.cur == 7);	/* hotel */
	CHECK(list_search(&l, "o", 3, -1) && l.cur == 1);	/* bravo */
	CHECK(list_search(&l, "tel", 2, -1) && l.cur == 7);
	CHECK(!list_search(&l, "zulu", 0, 1) && l.cur == 7);
	CHECK(!list_search(&l, "", 0, 1));
	CHECK(list_icontains("Bob@Example.ORG", 15, "example.org"));
	CHECK(!list_icontains("ab", 2, "abc"));
}

static int
match_terms(const char *s, const struct query_row *r)
{
	struct model_query	 q;
	const char		*bad;
	char			 buf[256], *argv[8], *p;
	int			 argc = 0;

	strlcpy(buf, s, sizeof(buf));
	for (p = strtok(buf, " "); p != NULL && argc < 8; p = strtok(NULL, " "))
		argv[argc++] = p;
	if (model_query_parse(&q, argc, argv, 1000 * 1000000LL, &bad) == -1)
		return -1;
	return query_row_match(&q, "", r);
}

static void
test_match(void)
{
	struct query_row	r;
	struct query_sess	s;
	struct model_query	q;

	memset(&r, 0, sizeof(r));
	r.kind = QUERY_ENVELOPE;
	r.evpid = 0xe6a2001748c30318ULL;
	r.msgid = 0xe6a20017;
	r.t = 900 * 1000000LL;
	r.status = LIFE_QUEUED;
	r.from = (char *)(uintptr_t)"Alice@Example.test";
	r.to = (char *)(uintptr_t)"temp1@dest.test";
	r.client = (char *)(uintptr_t)"127.0.0.1:45180";
	r.relay = (char *)(uintptr_t)"[2001:db8::1]:25";
	r.session = 3;
	r.in_sid = 0x6d45c9299480ed09ULL;
	r.nattempts = 1;
	r.out_sid = 0x6d45c9244db742cdULL;
	CHECK(match_terms("from:alice@example.test", &r) == 1);
	CHECK(match_terms("from:@EXAMPLE.test to:temp1@dest.test", &r) == 1);
	CHECK(match_terms("from:<>", &r) == 0);
	CHECK(match_terms("ip:127.0.0.1", &r) == 1);
	CHECK(match_terms("ip:2001:db8::1", &r) == 1);
	CHECK(match_terms("ip:127.0.0.2", &r) == 0);
	CHECK(match_terms("status:queued", &r) == 1);
	CHECK(match_terms("status:deferred", &r) == 0);
	r.status = LIFE_REMOVED;
	CHECK(match_terms("status:removed", &r) == 1 &&
	    match_terms("status:queued", &r) == 0);
	/* A session without mail has no status. */
	r.kind = QUERY_SESSION;
	r.status = LIFE_QUEUED;
	CHECK(match_terms("status:queued", &r) == 0);
	r.kind = QUERY_ENVELOPE;
	CHECK(match_terms("e6a2001748c30318", &r) == 1);
	CHECK(match_terms("6d45c9244db742cd", &r) == 1);
	CHECK(match_terms("6d45c9299480ed09 e6a20017", &r) == 1);
	CHECK(match_terms("since:1m", &r) == 0 && match_terms("since:2m",
	    &r) == 1);
	r.from = (char *)(uintptr_t)"";
	CHECK(match_terms("from:<>", &r) == 1);
	CHECK(query_row_match(NULL, "", &r));
	memset(&s, 0, sizeof(s));
	s.sid = 0x6d45c9244db742cdULL;
	s.src = (char *)(uintptr_t)"192.0.2.1:4444";
	s.helo = (char *)(uintptr_t)"Client.Test";
	memset(&q, 0, sizeof(q));
	q.n = 2;
	q.terms[0].kind = TERM_HELO;
	q.terms[0].s = "client.test";
	q.terms[1].kind = TERM_FROM;	/* about mail: ignored */
	q.terms[1].s = "x@y";
	CHECK(query_session_match(&q, "", &s));
	q.terms[1].kind = TERM_IP;
	q.terms[1].s = "192.0.2.2";
	CHECK(!query_session_match(&q, "", &s));
}

int
main(void)
{
	test_keys();
	test_follow();
	test_search();
	test_match();
	TEST_END();
}
