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
 * ingest.c: one line at a time into the database.  Every line is kept:
 * a report line as its parsed parts when it can be rebuilt from them,
 * any other line as its raw bytes.  Nothing here ever stops the caller:
 * a bad line is counted, logged (rate-limited) and stored raw.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "collector.h"

#define INGEST_EXPIRE_EVERY	8192	/* events between two expiry sweeps */
/* A session silent this long (report time) is gone: smtpd times out
 * idle sessions after 300 s, so it was killed or lost the line. */
#define INGEST_EXPIRE_AFTER	(3600 * US_PER_SEC)
#define INGEST_MAX_ARG		100000000	/* --max-sessions at most */

static void	ingest_config(struct ingest *, const char *, size_t);
static void	ingest_reject(struct ingest *, const struct report *, int);
static void	ingest_rare_store(struct ingest *, struct sess *, int64_t,
		    int64_t, int64_t);
static void	ingest_store(struct ingest *, struct sess *,
		    const struct report *);
static int	ingest_mask(struct ingest *, struct sess *, struct report *);
static int	ingest_rare(const struct report *, const struct proto_str *);
static int	ingest_refused(const struct proto_str *);
static void	ingest_expire(struct ingest *, int64_t);
static void	ingest_evict(struct ingest *);

void
ingest_init(struct ingest *ing, struct store *st, int flags)
{
	memset(ing, 0, sizeof(*ing));
	ing->st = st;
	ing->flags = flags;
	ing->max_sessions = INGEST_MAX_SESSIONS;
	sess_init(&ing->sessions);
	store_counters(st, ing->count, CNT_MAX);
}

/* Forget every session; they are reloaded from the database on use. */
void
ingest_clear(struct ingest *ing)
{
	sess_free_all(&ing->sessions);
	buf_free(&ing->scratch);
	ing->fresh = 0;
}

void
ingest_line(struct ingest *ing, const char *line, size_t len)
{
	struct report	 r;
	struct sess	*s;
	int		 rv;

	ing->count[CNT_LINES]++;
	if (len >= 7 && memcmp(line, "config|", 7) == 0) {
		ingest_config(ing, line + 7, len - 7);
		return;
	}
	if ((rv = proto_parse(&r, line, len)) != PROTO_OK) {
		ingest_reject(ing, &r, rv);
		return;
	}
	ing->count[CNT_EVENTS]++;
	if (r.time > ing->latest)
		ing->latest = r.time;
	if (ing->count[CNT_EVENTS] % INGEST_EXPIRE_EVERY == 0)
		ingest_expire(ing, ing->latest - INGEST_EXPIRE_AFTER);
	s = join_session(ing, &r);
	if (r.event == EVT_PROTOCOL_CLIENT && ingest_mask(ing, s, &r) == -1)
		return;
	ing->event = 0;
	if ((ing->flags & INGEST_NO_DIALOGUE) &&
	    (r.event == EVT_PROTOCOL_CLIENT || r.event == EVT_PROTOCOL_SERVER))
		ing->count[CNT_DIALOGUE_SKIPPED]++;
	else
		ingest_store(ing, s, &r);
	join_event(ing, s, &r);
	ingest_evict(ing);
}

/*
 * tx-* events start with the msgid: it goes in its own column, and
 * the rest of the parameters as they came.
 */
static void
ingest_store(struct ingest *ing, struct sess *s, const struct report *r)
{
	struct proto_str x = { r->params, r->paramslen };
	int64_t		 k, m = 0, id;
	int		 canon;

	if (r->f[F_MSGID].p != NULL) {
		m = (int32_t)r->msgid;
		if (r->paramslen > 9) {
			x.p = r->params + 9;
			x.len = r->paramslen - 9;
		} else
			x.p = NULL;
	}
	k = proto_kind(r);
	canon = proto_canonical(r);
	id = store_event(ing->st, &r->time, k, s->id, r->f[F_MSGID].p ? &m :
	    NULL, &x, canon ? NULL : r->line, canon ? (size_t)0 : r->len);
	ing->event = id > 0 ? id : 0;
	if (id > 0 && ingest_rare(r, &x))
		ingest_rare_store(ing, s, id, k % 64, r->time);
	if (id > 0)
		sess_seen(s, r->event, id, &x);
	if (id > 0 && r->event == EVT_FILTER_RESPONSE)
		store_filter(ing->st, s, id, r->time, &x);
}

/* A rare event; a refusal of smtp-in with what sess_seen() kept. */
static void
ingest_rare_store(struct ingest *ing, struct sess *s, int64_t id, int64_t k,
    int64_t t)
{
	int	refusal = k == EVT_PROTOCOL_SERVER;

	store_run(ing->st, STMT_EVENT_RARE, "iiizz", id, k, t,
	    refusal ? s->client_event : (int64_t)0,
	    refusal ? (int64_t)s->client_filter : (int64_t)0);
}

/*
 * One of the events the report views look for (schema/006-event-rare.sql
 * says which): AUTH, filter reports, smtp-in refusals, smtp-out MAIL
 * FROM.  More is harmless, less would hide them from the reports.
 */
static int
ingest_rare(const struct report *r, const struct proto_str *x)
{
	switch (r->event) {
	case EVT_LINK_AUTH:
	case EVT_FILTER_REPORT:
		return 1;
	case EVT_FILTER_RESPONSE:
		return ingest_refused(x);
	case EVT_PROTOCOL_SERVER:
		return r->dir == DIR_IN && x->len > 0 &&
		    (x->p[0] == '4' || x->p[0] == '5');
	case EVT_PROTOCOL_CLIENT:
		return r->dir == DIR_OUT && x->len >= 10 &&
		    strncasecmp(x->p, "MAIL FROM:", 10) == 0;
	default:
		return 0;
	}
}

/*
 * A filter response other than proceed ("phase|decision[|param]", as
 * v_filter splits it): a filter refused or changed something.
 */
static int
ingest_refused(const struct proto_str *x)
{
	const char	*d, *end;
	size_t		 len;

	if (x->p == NULL || (d = memchr(x->p, '|', x->len)) == NULL)
		return 1;
	d++;
	len = x->len - (d - x->p);
	if ((end = memchr(d, '|', len)) != NULL)
		len = end - d;
	return len != 7 || memcmp(d, "proceed", 7) != 0;
}

static void
ingest_reject(struct ingest *ing, const struct report *r, int rv)
{
	char	quoted[ESCAPE_QUOTE_SIZE];

	ing->count[CNT_REJECTED]++;
	log_limited(&ing->limit, "%s, kept raw: %s", proto_strerror(rv),
	    escape_quote(quoted, r->line, r->len));
	store_event(ing->st, NULL, 0, 0, NULL, NULL, r->line, r->len);
}

static void
ingest_config(struct ingest *ing, const char *p, size_t len)
{
	struct proto_str key = { p, len }, value = { NULL, 0 };
	const char	*bar;

	ing->count[CNT_CONFIG]++;
	if ((bar = memchr(p, '|', len)) != NULL) {
		key.len = bar - p;
		value.p = bar + 1;
		value.len = len - key.len - 1;
	}
	store_run(ing->st, STMT_CONFIG, "itt", util_now(), &key, &value);
}

/*
 * smtpd masks AUTH secrets as "********"; should one come through
 * unmasked, r is made to point at a masked copy.  -1 if that fails.
 */
static int
ingest_mask(struct ingest *ing, struct sess *s, struct report *r)
{
	const struct proto_str *t = &r->f[F_TEXT];
	size_t	off;

	if (!proto_secret(t->p, t->len, s->authing, &off))
		return 0;
	ing->count[CNT_AUTH_MASKED]++;
	buf_set(&ing->scratch, r->line, t->p + off - r->line);
	buf_append(&ing->scratch, "********", 8);
	return proto_parse(r, ing->scratch.p, ing->scratch.len) == PROTO_OK ?
	    0 : -1;
}

/*
 * Close the sessions that have been silent since before; smtpd times a
 * session out long before, so they were lost (smtpd killed, say).
 */
static void
ingest_expire(struct ingest *ing, int64_t before)
{
	struct sess	*s;

	while ((s = sess_oldest(&ing->sessions)) != NULL && s->last < before) {
		join_close(ing, s, s->last, "expired");
		ing->count[CNT_EXPIRED]++;
	}
}

/*
 * Past max_sessions open sessions (disconnects missed, a hostile file),
 * the longest silent are closed as expiry would close them, early.
 */
static void
ingest_evict(struct ingest *ing)
{
	struct sess	*s;

	while (ing->sessions.n > ing->max_sessions &&
	    (s = sess_oldest(&ing->sessions)) != NULL) {
		join_close(ing, s, s->last, "evicted");
		ing->count[CNT_EVICTED]++;
	}
}

/* The value of --max-sessions; 0, said, if it is not one. */
size_t
ingest_max_arg(const char *arg)
{
	const char	*errstr;
	long long	 n;

	n = strtonum(arg, 1, INGEST_MAX_ARG, &errstr);
	if (errstr != NULL) {
		log_warnx("--max-sessions %s: %s", arg, errstr);
		return 0;
	}
	return n;
}

/*
 * What the batch leaves in memory, written before its commit: the
 * columns the open sessions hold (join_held.c) and the counters.
 */
int
ingest_save(struct ingest *ing)
{
	int	i;

	join_held_flush(ing);
	for (i = 0; i < CNT_MAX; i++)
		if (store_run(ing->st, STMT_COUNTER, "si",
		    counter_to_text(i), ing->count[i]) == -1)
			return -1;
	return 0;
}
