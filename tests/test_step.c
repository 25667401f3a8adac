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
 * test_step.c: a life's steps as the read model builds them (their
 * kinds, tones, sessions and bytes; link-auth of each protocol), and
 * their printers: trace's text of them, UTF-8 made safe for JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export/export.h"
#include "test.h"

#define SEC	1000000LL
#define NOW	(1795464487LL * SEC)	/* 2026-11-23T20:08:07Z */

static void	test_steps(void);
static void	test_auth(void);
static void	test_timeline(void);
static void	test_utf8(void);

#define SID_IN	0x6d45c9299480ed09ULL
#define SID_OUT	0x6d45c9244db742cdULL

static struct model_event	 step_ev[5];
static struct model_attempt	 step_att;

static void
step_event(int i, int64_t t, int event, int dir, uint64_t sid,
    const char *text)
{
	struct model_event	*e = &step_ev[i];

	memset(e, 0, sizeof(*e));
	e->id = i + 1;
	e->t = t;
	e->event = event;
	e->dir = dir;
	e->session = sid;
	e->text = text;
	e->len = strlen(text);
}

/*
 * A life deferred after one attempt: its smtp-in dialogue (a two-line
 * reply, a byte that is no text), the next hop's 451.
 */
static void
step_life(struct model_life *l)
{
	memset(l, 0, sizeof(*l));
	l->status = LIFE_DEFERRED;
	l->has_evpid = 1;
	l->evpid = 0xe6a2001748c30318ULL;
	l->msgid = 0xe6a20017;
	l->mail_from = "a@b";
	l->rcpt_to = "c@d";
	l->reply = "451 4.3.0 try later";
	l->has_received = 1;
	l->in.sid = SID_IN;
	l->in.t_start = NOW;
	l->t_received = NOW + 50000;
	l->t_final = NOW + 76000;
	l->size = -1;
	step_event(0, NOW, EVT_PROTOCOL_CLIENT, DIR_IN, SID_IN,
	    "HELO cli\x1b" "ent.test");
	step_event(1, NOW + 1000, EVT_PROTOCOL_SERVER, DIR_IN, SID_IN,
	    "250-first");
	step_event(2, NOW + 1000, EVT_PROTOCOL_SERVER, DIR_IN, SID_IN,
	    "250 Ok");
	step_event(3, NOW + 1000, EVT_TX_ENVELOPE, DIR_IN, SID_IN,
	    "e6a2001748c30318");
	step_event(4, NOW + 76000, EVT_PROTOCOL_SERVER, DIR_OUT, SID_OUT,
	    "451 4.3.0 try later");
	l->events = step_ev;
	l->nevents = 5;
	memset(&step_att, 0, sizeof(step_att));
	step_att.id = 1;
	step_att.session.id = 2;
	step_att.session.sid = SID_OUT;
	step_att.session.dest = "r";
	step_att.t = NOW + 75000;
	step_att.t_end = NOW + 76000;
	step_att.result = MODEL_TEMPFAIL;
	l->attempts = &step_att;
	l->nattempts = 1;
}

static void
test_steps(void)
{
	static const enum model_step_kind kinds[] = {
		MODEL_STEP_TITLE, MODEL_STEP_REPLY, MODEL_STEP_FACTS,
		MODEL_STEP_FACTS, MODEL_STEP_BLANK, MODEL_STEP_STEP,
		MODEL_STEP_LINE, MODEL_STEP_LINE, MODEL_STEP_LINE,
		MODEL_STEP_STEP, MODEL_STEP_STEP, MODEL_STEP_LINE,
		MODEL_STEP_FATE, MODEL_STEP_BLANK
	};
	static const enum model_tone tones[] = {
		MODEL_TONE_WARN, MODEL_TONE_WARN, MODEL_TONE_PLAIN,
		MODEL_TONE_PLAIN, MODEL_TONE_PLAIN, MODEL_TONE_BOLD,
		MODEL_TONE_INFO, MODEL_TONE_GOOD, MODEL_TONE_DIM,
		MODEL_TONE_INFO, MODEL_TONE_WARN, MODEL_TONE_WARN,
		MODEL_TONE_WARN, MODEL_TONE_PLAIN
	};
	struct model_life	 l;
	struct model_steps	 st;
	size_t			 i, n = sizeof(kinds) / sizeof(kinds[0]);

	memset(&st, 0, sizeof(st));
	step_life(&l);
	model_step_build(&st, &l);
	CHECK_MSG(st.n == n, "%zu steps", st.n);
	for (i = 0; i < n && i < st.n; i++) {
		CHECK_MSG(st.v[i].kind == kinds[i], "line %zu: kind %d", i,
		    st.v[i].kind);
		CHECK_MSG(st.v[i].tone == tones[i], "line %zu: tone %d", i,
		    st.v[i].tone);
	}
	if (st.n < n)
		return;
	/* The sessions the steps name: received, the attempt. */
	CHECK(st.v[5].sid == SID_IN && st.v[10].sid == SID_OUT);
	CHECK(st.v[0].sid == 0 && st.v[12].sid == 0);
	CHECK(strcmp(st.v[0].name, "deferred") == 0 &&
	    strcmp(st.v[0].text, "a@b -> c@d") == 0);
	CHECK(strcmp(st.v[10].name, "attempt") == 0 &&
	    strcmp(st.v[10].when, "+0.075s") == 0);
	/* Bytes as they came, and a reply's continuation folded in. */
	CHECK(st.v[6].len == 19 && memcmp(st.v[6].text,
	    "> HELO cli\x1b" "ent.test", 19) == 0);
	CHECK(strcmp(st.v[7].text, "< 250-first") == 0 && st.v[7].more == 1);
	CHECK(strcmp(st.v[7].when, "+0.001s") == 0);
	CHECK(strcmp(st.v[8].text, "= envelope e6a2001748c30318") == 0);
	CHECK(strcmp(st.v[12].text, "451 4.3.0 try later; smtpd will try "
	    "again") == 0);
	/* Given up: where it stands is bad. */
	l.status = LIFE_EXPIRED;
	model_step_build(&st, &l);
	CHECK(st.n == n && st.v[n - 2].kind == MODEL_STEP_FATE &&
	    st.v[n - 2].tone == MODEL_TONE_BAD &&
	    strcmp(st.v[n - 2].name, "expired") == 0);
	CHECK(!st.v[10].estimated && !st.v[n - 2].estimated);
	/* A time estimated from a maillog line without one: "~", seconds. */
	step_att.source = MODEL_SRC_MAILLOG;
	step_att.session.id = 0;
	step_att.estimated = 1;
	step_att.t = step_att.t_end = NOW + 1050000;
	model_step_build(&st, &l);
	for (i = 0; i < st.n && (st.v[i].name == NULL ||
	    strcmp(st.v[i].name, "attempt") != 0); i++)
		;
	CHECK(i < st.n && st.v[i].estimated &&
	    strcmp(st.v[i].when, "~+1s") == 0);
	CHECK(i < st.n && !st.v[i - 1].estimated &&
	    strcmp(st.v[i - 1].when, "+0.050s") == 0);
	model_step_free(&st);
}

/*
 * link-auth reads the same in 0.6 (user|result) and 0.7 (result|user,
 * the user may hold '|'); a line that does not parse is shown as it is.
 */
static void
test_auth(void)
{
	static const struct {
		int		 minor;
		const char	*text, *want;
	} cases[] = {
		{ 6, "ann|fail", "= auth ann: fail" },
		{ 7, "fail|ann", "= auth ann: fail" },
		{ 5, "bob|pass", "= auth bob: pass" },
		{ 7, "pass|a|b", "= auth a|b: pass" },
		{ 6, "a|b|error", "= auth a|b: error" },
		{ 7, "ann", "= link-auth ann" },
	};
	struct model_life	 l;
	struct model_steps	 st;
	size_t			 i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		step_life(&l);
		step_event(3, NOW + 1000, EVT_LINK_AUTH, DIR_IN, SID_IN,
		    cases[i].text);
		step_ev[3].minor = cases[i].minor;
		model_step_build(&st, &l);
		CHECK_MSG(st.n > 8 && strcmp(st.v[8].text, cases[i].want) == 0,
		    "0.%d %s: %s", cases[i].minor, cases[i].text, st.n > 8 ?
		    st.v[8].text : "-");
	}
	model_step_free(&st);
}

/* trace's text of the steps: escaped, in columns, coloured by tone. */
static void
test_timeline(void)
{
	static const char	*head = "deferred  a@b -> c@d\n"
	    "  451 4.3.0 try later [other]\n";
	static const char	*title = "\033[1m\033[33mdeferred\033[0m  a@b";
	struct model_life	 l;
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*fp;

	step_life(&l);
	if ((fp = open_memstream(&text, &len)) == NULL)
		return;
	timeline_print(&l, fp, 0);
	fclose(fp);
	CHECK(strncmp(text, head, strlen(head)) == 0);
	CHECK(strstr(text, "\n  +0.000s    received  smtp-in "
	    "6d45c9299480ed09 from ?") != NULL);
	CHECK(strstr(text, "\n      +0.000s    > HELO cli\\x1bent.test\n")
	    != NULL);
	CHECK(strstr(text, "\n      +0.001s    < 250-first (+1 lines)\n")
	    != NULL);
	/* waiting: where it stands now, not when it was received */
	CHECK(strstr(text, "\n  now        deferred  451 4.3.0 try later; "
	    "smtpd will try again\n\n") != NULL);
	free(text);
	text = NULL;
	if ((fp = open_memstream(&text, &len)) == NULL)
		return;
	timeline_print(&l, fp, 1);
	fclose(fp);
	CHECK(strncmp(text, title, strlen(title)) == 0);
	CHECK(strstr(text, "\033[1m\033[33mdeferred \033[0m 451") != NULL);
	CHECK(strstr(text, "\033[1mattempt  \033[0m 1 via r") != NULL);
	CHECK(strstr(text, "\033[2m+0.000s   \033[0m \033[36m> HELO") !=
	    NULL);
	free(text);
}

static void
test_utf8(void)
{
	struct buf	b = { NULL, 0, 0 };

	CHECK(strcmp(json_utf8("b\xc3\xb8" "b", 4, &b), "b\xc3\xb8" "b") == 0);
	CHECK(strcmp(json_utf8("a\xff" "b", 3, &b), "a\xef\xbf\xbd" "b") == 0);
	/* A truncated sequence, an overlong form, a surrogate. */
	CHECK(strcmp(json_utf8("\xe2\x82", 2, &b),
	    "\xef\xbf\xbd\xef\xbf\xbd") == 0);
	CHECK(strcmp(json_utf8("\xc0\xaf", 2, &b),
	    "\xef\xbf\xbd\xef\xbf\xbd") == 0);
	CHECK(strcmp(json_utf8("\xed\xa0\x80", 3, &b),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") == 0);
	CHECK(strcmp(json_utf8("\xf0\x9f\x93\xa7", 4, &b),
	    "\xf0\x9f\x93\xa7") == 0);
	CHECK(strcmp(json_utf8("\x1b[2J", 4, &b), "\x1b[2J") == 0);
	buf_free(&b);
}

int
main(void)
{
	test_steps();
	test_timeline();
	test_auth();
	test_utf8();
	TEST_END();
}
