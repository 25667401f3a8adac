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
 * multi_trace.c: owns "trace" over several databases, one per mail
 * host: each matching life with its host, on the whole path the mail
 * took across the hosts: from the first host that had it (found up the
 * chain by the next hop's queue id) down through every next hop whose
 * smtp-in accepted it, as one timeline.  Each life is printed once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

struct multi_trace_ctx {
	struct hosts	*hs;
	int		 json, color, failed;
	size_t		 n;			/* lives printed */
	struct idset	 seen[HOSTS_MAX];	/* their evpids, by host */
};

/* An accepted attempt with the next hop's queue id. */
struct multi_trace_hop {
	char		 rid[64];
	char		*rcpt, *relay;
	uint64_t	 evpid, session;
	int64_t		 t, t_end;
};

static void	multi_trace_fail(struct multi_trace_ctx *, size_t,
		    struct model *);
static int	multi_trace_seen(struct multi_trace_ctx *, size_t, uint64_t);
static const char *multi_trace_name(const struct multi_trace_ctx *, size_t,
		    char *, size_t);
static void	multi_trace_print(struct multi_trace_ctx *, size_t,
		    const struct model_life *, const struct hosts_up *);
static void	multi_trace_life(struct multi_trace_ctx *, size_t,
		    const struct model_life *, const struct hosts_up *);
static size_t	multi_trace_hops(struct multi_trace_ctx *, size_t,
		    const struct model_life *, struct multi_trace_hop **);
static void	multi_trace_follow(struct multi_trace_ctx *, size_t,
		    const struct multi_trace_hop *);
static int	multi_trace_follow_host(struct multi_trace_ctx *, size_t,
		    size_t, const struct multi_trace_hop *, int);
static void	multi_trace_top(struct multi_trace_ctx *, size_t,
		    const struct model_life *);
static void	multi_trace_sessions(struct multi_trace_ctx *, size_t,
		    const struct model_query *);
static int	multi_trace_root(struct multi_trace_ctx *, size_t,
		    const struct model_life *, struct hosts_up *,
		    struct hosts_up *);

/* Was the life of evpid on host printed already? */
static int
multi_trace_seen(struct multi_trace_ctx *mt, size_t host, uint64_t evpid)
{
	return idset_has(&mt->seen[host], (int64_t)evpid);
}

/* A read of host's model m failed: say why, once; the trace ends. */
static void
multi_trace_fail(struct multi_trace_ctx *mt, size_t host, struct model *m)
{
	log_warnx("%s: %s", mt->hs->h[host].path, model_error(m));
	mt->failed = 1;
}

/* A host's name for the terminal: control bytes escaped. */
static const char *
multi_trace_name(const struct multi_trace_ctx *mt, size_t host, char *out,
    size_t sz)
{
	const char	*name = mt->hs->h[host].name;

	escape_bytes(out, sz, name, strlen(name));
	return out;
}

static void
multi_trace_print(struct multi_trace_ctx *mt, size_t host,
    const struct model_life *l, const struct hosts_up *up)
{
	char	name[256];

	mt->n++;
	if (l->has_evpid)
		idset_add(&mt->seen[host], (int64_t)l->evpid);
	if (mt->json) {
		if (hosts_print_json(l, 1, mt->hs->h[host].name, mt->hs, up,
		    stdout) == -1)
			mt->failed = log_error("write error");
		return;
	}
	if (up == NULL)
		printf("on host %s:\n", multi_trace_name(mt, host, name,
		    sizeof(name)));
	timeline_print(l, stdout, mt->color);
}

/* Print l, then follow each of its accepted attempts to the next hop. */
static void
multi_trace_life(struct multi_trace_ctx *mt, size_t host,
    const struct model_life *l, const struct hosts_up *up)
{
	struct multi_trace_hop	*hops = NULL;
	size_t		 i, n;

	multi_trace_print(mt, host, l, up);
	n = multi_trace_hops(mt, host, l, &hops);
	mt->hs->h[host].on_path = 1;
	for (i = 0; i < n && !mt->failed; i++)
		multi_trace_follow(mt, host, &hops[i]);
	mt->hs->h[host].on_path = 0;
	for (i = 0; i < n; i++) {
		free(hops[i].rcpt);
		free(hops[i].relay);
	}
	free(hops);
}

/* The attempts of l the next hop accepted with a queue id, copied. */
static size_t
multi_trace_hops(struct multi_trace_ctx *mt, size_t host,
    const struct model_life *l, struct multi_trace_hop **hops)
{
	const struct model_attempt *a;
	struct multi_trace_hop	*h;
	size_t		 i, n = 0;
	int		 rc;

	if (l->nattempts == 0)
		return 0;
	*hops = xcalloc(l->nattempts, sizeof(**hops));
	for (i = 0; i < l->nattempts; i++) {
		a = &l->attempts[i];
		h = &(*hops)[n];
		if (a->id == 0 || a->result != MODEL_OK)
			continue;
		if ((rc = hosts_remote_id(&mt->hs->h[host], a->id, h->rid,
		    sizeof(h->rid))) == -1)
			mt->failed = 1;
		if (rc != 1)
			continue;
		h->rcpt = xstrdup(a->address != NULL ? a->address :
		    l->rcpt_to != NULL ? l->rcpt_to : "");
		h->relay = xstrdup(a->session.dest != NULL ?
		    a->session.dest : "?");
		h->evpid = l->evpid;
		h->session = a->session.sid;
		h->t = a->t;
		h->t_end = a->t_end;
		n++;
	}
	return n;
}

/* The lives on the other hosts that hop handed the mail to. */
static void
multi_trace_follow(struct multi_trace_ctx *mt, size_t host,
    const struct multi_trace_hop *hop)
{
	char	esc[256];
	size_t	j;
	int	found = 0, rc;

	for (j = 0; j < mt->hs->n && !mt->failed; j++) {
		if (j == host || mt->hs->h[j].on_path)
			continue;
		if ((rc = hosts_down(&mt->hs->h[j], hop->rid, hop->t,
		    hop->t_end)) == -1)
			mt->failed = 1;
		else if (rc == 1)
			found += multi_trace_follow_host(mt, host, j, hop,
			    found);
	}
	if (found == 0 && !mt->json) {
		escape_bytes(esc, sizeof(esc), hop->rid, strlen(hop->rid));
		printf("  -> next hop %s: queued as %s, not in these "
		    "databases\n\n", hop->relay, esc);
	}
}

/* Host j's lives of the message hop->rid for hop->rcpt: how many. */
static int
multi_trace_follow_host(struct multi_trace_ctx *mt, size_t host, size_t j,
    const struct multi_trace_hop *hop, int found)
{
	struct model_query	 q;
	struct model_iter	*it;
	const struct model_life	*l;
	struct hosts_up		 up;
	char			 name[256], hex[9];
	uint32_t		 msgid;
	int			 n = 0;

	memset(&q, 0, sizeof(q));
	if (!hosts_msgid(hop->rid, hex, &msgid))
		return 0;
	q.terms[0].kind = TERM_MSGID;
	q.terms[0].id = msgid;
	q.terms[1].kind = TERM_TO;
	q.terms[1].s = hop->rcpt;
	q.terms[2].kind = TERM_SINCE;
	q.terms[2].t = hop->t - HOSTS_SKEW;
	q.terms[3].kind = TERM_UNTIL;
	q.terms[3].t = hop->t_end + HOSTS_SKEW;
	q.n = 4;
	memset(&up, 0, sizeof(up));
	up.host = host;
	up.evpid = hop->evpid;
	up.session = hop->session;
	snprintf(up.remote_id, sizeof(up.remote_id), "%s", hop->rid);
	if ((it = model_lives(mt->hs->h[j].chain, &q, MODEL_EVENTS)) == NULL) {
		multi_trace_fail(mt, j, mt->hs->h[j].chain);
		return 0;
	}
	while (!mt->failed && (l = model_next(it)) != NULL) {
		if (l->has_evpid && multi_trace_seen(mt, j, l->evpid))
			continue;
		if (n++ == 0 && found == 0 && !mt->json)
			printf("  -> next hop %s: accepted as %s\n\n",
			    multi_trace_name(mt, j, name, sizeof(name)),
			    up.remote_id);
		multi_trace_life(mt, j, l, &up);
	}
	if (!mt->failed && model_iter_failed(it))
		multi_trace_fail(mt, j, mt->hs->h[j].chain);
	model_iter_free(it);
	return n;
}

/*
 * Up the chain from l (on host): the first host's attempt (*root) and
 * the one that handed l over (*first).  0 if l came from no other host.
 */
static int
multi_trace_root(struct multi_trace_ctx *mt, size_t host,
    const struct model_life *l, struct hosts_up *root, struct hosts_up *first)
{
	struct hosts_up	 up;
	char		 seen[HOSTS_MAX], rcpt[512];
	uint32_t	 msgid = l->msgid;
	int64_t		 t = l->t_received;
	size_t		 steps;
	int		 rc;

	if (!l->has_evpid || !l->has_received || l->rcpt_to == NULL)
		return 0;
	memset(seen, 0, sizeof(seen));
	seen[host] = 1;
	snprintf(rcpt, sizeof(rcpt), "%s", l->rcpt_to);
	for (steps = 0; steps < mt->hs->n; steps++) {
		if ((rc = hosts_up(mt->hs, host, msgid, rcpt, t, &up)) == -1)
			mt->failed = 1;
		if (rc != 1 || seen[up.host])
			break;
		if (steps == 0)
			*first = up;
		*root = up;
		seen[up.host] = 1;
		host = up.host;
		msgid = up.msgid;
		snprintf(rcpt, sizeof(rcpt), "%s", up.rcpt);
		t = up.t;
	}
	return steps > 0;
}

/* A life the query matched: its whole path, unless printed already. */
static void
multi_trace_top(struct multi_trace_ctx *mt, size_t host,
    const struct model_life *l)
{
	struct model_query	 q;
	struct model_iter	*it;
	const struct model_life	*r;
	struct hosts_up		 root, first;

	if (l->has_evpid && multi_trace_seen(mt, host, l->evpid))
		return;
	if (!multi_trace_root(mt, host, l, &root, &first)) {
		multi_trace_life(mt, host, l, NULL);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.terms[0].kind = TERM_ID16;
	q.terms[0].id = root.evpid;
	q.n = 1;
	if ((it = model_lives(mt->hs->h[root.host].chain, &q,
	    MODEL_EVENTS)) == NULL) {
		multi_trace_fail(mt, root.host, mt->hs->h[root.host].chain);
		return;
	}
	while (!mt->failed && (r = model_next(it)) != NULL)
		if (r->has_evpid && r->evpid == root.evpid &&
		    !multi_trace_seen(mt, root.host, r->evpid))
			multi_trace_life(mt, root.host, r, NULL);
	if (!mt->failed && model_iter_failed(it))
		multi_trace_fail(mt, root.host, mt->hs->h[root.host].chain);
	model_iter_free(it);
	/* Not reached down from there (its clock, say): on its own. */
	if (!mt->failed && !multi_trace_seen(mt, host, l->evpid))
		multi_trace_life(mt, host, l, &first);
}

/* The sessions of host with no life of their own, after its lives. */
static void
multi_trace_sessions(struct multi_trace_ctx *mt, size_t host,
    const struct model_query *q)
{
	struct model_sessions	*ss;
	const struct model_alone *a;
	char			 name[256];

	if ((ss = model_session_open(mt->hs->h[host].top, q)) == NULL) {
		multi_trace_fail(mt, host, mt->hs->h[host].top);
		return;
	}
	while (!mt->failed && (a = model_session_next(ss)) != NULL) {
		mt->n++;
		if (mt->json) {
			if (hosts_print_session(a, 1, mt->hs->h[host].name,
			    stdout) == -1)
				mt->failed = log_error("write error");
			continue;
		}
		printf("on host %s:\n", multi_trace_name(mt, host, name,
		    sizeof(name)));
		timeline_session_print(a, stdout, mt->color);
	}
	if (!mt->failed && model_session_failed(ss))
		multi_trace_fail(mt, host, mt->hs->h[host].top);
	model_session_close(ss);
}

/* trace -d a.db -d b.db ...: every host's matching lives, joined. */
int
multi_trace(struct hosts *hs, const struct model_query *q, int json,
    int color)
{
	struct multi_trace_ctx	 mt;
	struct model_iter	*it;
	const struct model_life	*l;
	size_t			 i;

	memset(&mt, 0, sizeof(mt));
	mt.hs = hs;
	mt.json = json;
	mt.color = color;
	if (hosts_open(hs, 1) == -1)
		mt.failed = 1;
	for (i = 0; i < hs->n && !mt.failed; i++) {
		if (model_begin(hs->h[i].top) == -1 ||
		    (it = model_lives(hs->h[i].top, q, MODEL_EVENTS)) == NULL) {
			multi_trace_fail(&mt, i, hs->h[i].top);
			break;
		}
		while (!mt.failed && (l = model_next(it)) != NULL)
			multi_trace_top(&mt, i, l);
		if (!mt.failed && model_iter_failed(it))
			multi_trace_fail(&mt, i, hs->h[i].top);
		model_iter_free(it);
		if (!mt.failed)
			multi_trace_sessions(&mt, i, q);
		model_end(hs->h[i].top);
	}
	for (i = 0; i < HOSTS_MAX; i++)
		idset_free(&mt.seen[i]);
	hosts_close(hs);
	if (mt.failed)
		return 1;
	if (fflush(stdout) == EOF || ferror(stdout))
		return log_error("write error");
	if (mt.n == 0)
		return log_error("no mail matches the query");
	return 0;
}
