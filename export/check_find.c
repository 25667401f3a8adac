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
 * check_find.c: what "mailtrail check" measures, each as a finding with
 * a phrase for the status line: the oldest mail in the queue (the life
 * state, and its class by class_life()), the destination with the
 * highest share of deferrals and the replies of a class in the window
 * (destination health, schema/dest.h), the collector's silence after
 * traffic and the lines it lost (its counters, as collector/ingest.c
 * names them).  check.c judges them against the thresholds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/dest.h"
#include "export.h"

static int		 check_find_class_name(struct check *);
static int		 check_find_open(struct check *);
static sqlite3_stmt	*check_find_stmt(struct check *, const char *);
static int		 check_find_done(struct check *, sqlite3_stmt *, int);
static int		 check_find_counter(struct check *, enum counter,
			    int64_t *);
static const char	*check_find_text(struct check *, const char *);
static const char	*check_find_life_class(struct check *, uint64_t);
static int		 check_find_queue(struct check *);
static int		 check_find_defer(struct check *,
			    const struct dest_set *);
static int		 check_find_class(struct check *,
			    const struct dest_set *);
static int		 check_find_dests(struct check *);
static int		 check_find_stall(struct check *);
static int		 check_find_lost(struct check *);

/* --class names one of class.c's classes. */
static int
check_find_class_name(struct check *c)
{
	const char	*n;
	int		 i;

	if (c->class == NULL) {
		if (!c->lim[CHECK_CLASS].set[0] &&
		    !c->lim[CHECK_CLASS].set[1])
			return 0;
		snprintf(c->err, sizeof(c->err), "--class-warning and "
		    "--class-critical need --class");
		return -1;
	}
	for (i = 0; (n = class_name(i)) != NULL; i++)
		if (strcmp(n, c->class) == 0)
			return 0;
	snprintf(c->err, sizeof(c->err), "bad value for --class: \"%s\"",
	    c->class);
	return -1;
}

/* The database read-only, with the views. */
static int
check_find_open(struct check *c)
{
	if (db_open(&c->db, c->path, 0, 0) == -1) {
		snprintf(c->err, sizeof(c->err), "%s", db_error(&c->db));
		return -1;
	}
	if (db_views(&c->db) == -1) {
		snprintf(c->err, sizeof(c->err), "%s: cannot make the views: "
		    "%s", c->path, sqlite3_errmsg(c->db.h));
		return -1;
	}
	return 0;
}

static sqlite3_stmt *
check_find_stmt(struct check *c, const char *sql)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(c->db.h, sql, -1, &s, NULL) == SQLITE_OK)
		return s;
	snprintf(c->err, sizeof(c->err), "%s: %s", c->path,
	    sqlite3_errmsg(c->db.h));
	return NULL;
}

/* Finalize s after its last step rc: -1 with the reason if it failed. */
static int
check_find_done(struct check *c, sqlite3_stmt *s, int rc)
{
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->path,
		    sqlite3_errmsg(c->db.h));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

/* A counter the collector saves with each commit; 0 if never saved. */
static int
check_find_counter(struct check *c, enum counter cnt, int64_t *v)
{
	sqlite3_stmt	*s;
	int		 rc;

	*v = 0;
	if ((s = check_find_stmt(c, "SELECT value FROM counter WHERE name ="
	    " ?1")) == NULL)
		return -1;
	sqlite3_bind_text(s, 1, counter_to_text(cnt), -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	return check_find_done(c, s, rc);
}

/* Bytes from the network, safe on a terminal and on the status line. */
static const char *
check_find_text(struct check *c, const char *s)
{
	char	*p;

	buf_escape(&c->esc, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
	for (p = c->esc.p; *p != '\0'; p++)
		if (*p == '|')
			*p = '/';
	return c->esc.p;
}

/* The class of what decided a life (its last deferral): NULL if none. */
static const char *
check_find_life_class(struct check *c, uint64_t evpid)
{
	struct model_query	 q;
	struct model		*m;
	struct model_iter	*it;
	const struct model_life	*l;
	const char		*cls = NULL;
	char			*cause = NULL;

	memset(&q, 0, sizeof(q));
	q.terms[0].kind = TERM_ID16;
	q.terms[0].id = evpid;
	q.n = 1;
	if ((m = model_open(c->path, &cause)) == NULL) {
		free(cause);
		return NULL;
	}
	if ((it = model_lives(m, &q, MODEL_NOLINKS)) != NULL) {
		while ((l = model_next(it)) != NULL)
			if (l->has_evpid && l->evpid == evpid) {
				cls = class_life(l);
				break;
			}
		model_iter_free(it);
	}
	model_close(m);
	return cls;
}

/*
 * The queue (v_pending: lives queued or deferred) and its oldest mail:
 * its age at --now, its status, domain and class.
 */
static int
check_find_queue(struct check *c)
{
	struct check_finding	*f = &c->f[CHECK_QUEUE];
	sqlite3_stmt		*s;
	const char		*cls;
	char			 age[32], dom[160];
	uint64_t		 evpid;
	int			 rc;

	if ((s = check_find_stmt(c, "SELECT (SELECT count(*) FROM v_pending),"
	    " p.evpid_n, coalesce(p.t_accepted, p.t), p.domain, p.status"
	    " FROM v_pending p ORDER BY 3, 2 LIMIT 1")) == NULL)
		return -1;
	f->run = 1;
	snprintf(f->text, sizeof(f->text), "queue empty");
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		c->queue = sqlite3_column_int64(s, 0);
		evpid = (uint64_t)sqlite3_column_int64(s, 1);
		f->value = c->now - sqlite3_column_int64(s, 2);
		if (f->value < 0)
			f->value = 0;
		duration_to_text(f->value, age, sizeof(age));
		snprintf(dom, sizeof(dom), "%s", check_find_text(c,
		    (const char *)sqlite3_column_text(s, 3)));
		snprintf(f->text, sizeof(f->text), "oldest %s %s to %s",
		    (const char *)sqlite3_column_text(s, 4), age,
		    *dom != '\0' ? dom : "(no domain)");
		if ((cls = check_find_life_class(c, evpid)) != NULL)
			snprintf(f->text + strlen(f->text), sizeof(f->text) -
			    strlen(f->text), " (%s)", cls);
	}
	return check_find_done(c, s, rc);
}

/*
 * The destination (recipient domain) with the highest share of
 * deferrals among its tries in the window, of those with at least
 * --deferral-min tries, as destination health (schema/dest.h) has it.
 */
static int
check_find_defer(struct check *c, const struct dest_set *set)
{
	struct check_finding	*f = &c->f[CHECK_DEFER];
	const struct dest_row	*r, *worst = NULL;
	char			 dom[160], cls[64] = "";
	size_t			 i;

	for (i = 0; i < set->n; i++) {
		r = &set->rows[i];
		if (r->tries >= c->defer_min && r->tries > 0 && (worst == NULL
		    || dest_deferral_share(r) > dest_deferral_share(worst)))
			worst = r;
	}
	f->run = 1;
	if (worst == NULL || worst->deferrals == 0) {
		if (worst == NULL)
			snprintf(f->text, sizeof(f->text), "no destination "
			    "with %lld %s in %s", (long long)c->defer_min,
			    c->defer_min == 1 ? "try" : "tries", c->window_arg);
		else
			snprintf(f->text, sizeof(f->text), "no deferrals in "
			    "%s", c->window_arg);
		return 0;
	}
	f->value = (int64_t)(dest_deferral_share(worst) * 100 + 0.5);
	for (i = 0; i < worst->nclasses; i++)
		if (worst->classes[i].deferrals > 0) {
			snprintf(cls, sizeof(cls), " (%s)",
			    worst->classes[i].name);
			break;
		}
	snprintf(dom, sizeof(dom), "%s", check_find_text(c, worst->key));
	snprintf(f->text, sizeof(f->text), "%.*f%% of %lld tries to %s "
	    "deferred in %s%s", f->value % 100 ? 1 : 0,
	    (double)f->value / 100,
	    (long long)worst->tries, *dom != '\0' ? dom : "(no domain)",
	    c->window_arg, cls);
	return 0;
}

/*
 * The next hop's replies of --class in the window, deferrals and
 * failures, each counted once per next hop as destination health has
 * them (a refused MAIL FROM, a session refused before any transaction).
 */
static int
check_find_class(struct check *c, const struct dest_set *set)
{
	struct check_finding	*f = &c->f[CHECK_CLASS];
	const struct dest_class	*k;
	size_t			 i, j;

	f->run = 1;
	for (i = 0; i < set->n; i++)
		for (j = 0; j < set->rows[i].nclasses; j++) {
			k = &set->rows[i].classes[j];
			if (strcmp(k->name, c->class) == 0)
				f->value += k->deferrals + k->failures;
		}
	snprintf(f->text, sizeof(f->text), "%lld %s %s in %s",
	    (long long)f->value, c->class, f->value == 1 ? "reply" :
	    "replies", c->window_arg);
	return 0;
}

/*
 * The window's destinations, in one pass: by domain for the share, by
 * next hop for --class.
 */
static int
check_find_dests(struct check *c)
{
	struct dest_set	dom, hop;
	int		rv = 0;

	dest_init(&dom, DEST_DOMAIN);
	dest_init(&hop, DEST_HOP);
	if (dest_add_both(c->db.h, c->now - c->window, c->now, &dom,
	    c->class != NULL ? &hop : NULL) == -1) {
		snprintf(c->err, sizeof(c->err), "%s: %s", c->path,
		    sqlite3_errmsg(c->db.h));
		rv = -1;
	} else {
		dest_sort(&dom);
		dest_sort(&hop);
		if (check_find_defer(c, &dom) == -1 ||
		    (c->class != NULL && check_find_class(c, &hop) == -1))
			rv = -1;
	}
	dest_free(&dom);
	dest_free(&hop);
	return rv;
}

/*
 * The collector's silence: --now less its last commit, when the window
 * before that commit saw sessions start (smtpd was sending); 0 if not.
 */
static int
check_find_stall(struct check *c)
{
	struct check_finding	*f = &c->f[CHECK_STALL];
	sqlite3_stmt		*s;
	int64_t			 last, n = 0;
	char			 d[32];
	int			 rc;

	if (check_find_counter(c, CNT_LAST_COMMIT, &last) == -1)
		return -1;
	f->run = 1;
	if (last == 0) {
		snprintf(f->text, sizeof(f->text), "no commit by the "
		    "collector yet");
		return 0;
	}
	if ((s = check_find_stmt(c, "SELECT count(*) FROM session"
	    " WHERE t_start > ?1 AND t_start <= ?2")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, last - c->window);
	sqlite3_bind_int64(s, 2, last);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	duration_to_text(c->now - last, d, sizeof(d));
	if (n > 0) {
		f->value = c->now > last ? c->now - last : 0;
		snprintf(f->text, sizeof(f->text), "collector silent %s after "
		    "%lld session%s in %s", d, (long long)n, n == 1 ? "" : "s",
		    c->window_arg);
	} else
		snprintf(f->text, sizeof(f->text), "collector silent %s, "
		    "no sessions in %s before", d, c->window_arg);
	return check_find_done(c, s, rc);
}

/* Lines the collector could not keep at all; spilled ones are kept. */
static int
check_find_lost(struct check *c)
{
	struct check_finding	*f = &c->f[CHECK_LOST];

	if (check_find_counter(c, CNT_LOST, &f->value) == -1 ||
	    check_find_counter(c, CNT_SPILLED, &c->spilled) == -1)
		return -1;
	f->run = 1;
	if (f->value == 0)
		snprintf(f->text, sizeof(f->text), "no lines lost");
	else
		snprintf(f->text, sizeof(f->text), "%lld line%s lost",
		    (long long)f->value, f->value == 1 ? "" : "s");
	return 0;
}

/* Every finding; -1 with the reason in c->err. */
int
check_find(struct check *c)
{
	if (check_find_class_name(c) == -1 || check_find_open(c) == -1 ||
	    check_find_queue(c) == -1 || check_find_dests(c) == -1 ||
	    check_find_stall(c) == -1 || check_find_lost(c) == -1)
		return -1;
	return 0;
}
