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
 * dest.h: the health of each destination over a window, as data: one
 * row per recipient domain or per next hop, sorted by trouble.  What
 * report destinations prints, the TUI's destinations screen shows and
 * a monitoring check reads: the same figures, from dest_load().
 *
 * The window [since, until] (microseconds, both included) selects:
 *   envelopes  received in it (the smtp-in commit; first seen when not
 *              seen on smtp-in), counted by their state now (life);
 *   tries      the smtp-out sessions started in it: each settled
 *              attempt, each refused MAIL FROM (per envelope it was
 *              given to, by domain; per session, by next hop) and, by
 *              next hop, each session that failed before any
 *              transaction (connection, TLS, HELO, timeout);
 *   sessions   the smtp-out sessions started in it (TLS share).
 * A deferral is a try that failed temporarily, a failure one that failed
 * permanently.  Trouble (the sort): the share of tries that failed,
 * (deferrals + failures) / tries, highest first; then the most tries,
 * then the most envelopes, then the key.
 *
 * The connection must have the SQL function reply_class() (class.c:
 * class_rules() before it is opened).
 */
#ifndef DEST_H
#define DEST_H

#include <stddef.h>
#include <stdint.h>

struct sqlite3;

#define DEST_CLASSES	16	/* room for every class of class.c */
#define DEST_VERSIONS	6	/* TLS versions kept; more: "other" */

enum dest_by {
	DEST_DOMAIN,	/* the recipient's domain, in lower case */
	DEST_HOP	/* the next hop: its address (session.dest) */
};

/* The deferrals and failures of one class, and its latest reply. */
struct dest_class {
	const char	*name;		/* class.c's name: static */
	int64_t		 deferrals;
	int64_t		 failures;
	int64_t		 t_last;	/* the latest of them */
	char		*reply;		/* its reply; NULL: none (a
					   session's outcome says it) */
};

/* Sessions per TLS version ("TLSv1.3"). */
struct dest_tls {
	char		*version;
	int64_t		 sessions;
};

struct dest_row {
	char		*key;		/* the domain, or the next hop's
					   address; "" unknown */
	char		*name;		/* next hop: its name (rdns); NULL */

	/* Envelopes received in the window, by their state now. */
	int64_t		 envelopes;
	int64_t		 delivered, deferred, failed, expired, removed;
	int64_t		 queued;
	int64_t		 first;		/* delivered at the first attempt */
	int64_t		 p50, p95;	/* accept to delivery (t_final -
					   t_accepted), us; -1: none */

	/* Tries of sessions started in the window. */
	int64_t		 tries, deferrals, failures;
	struct dest_class classes[DEST_CLASSES];	/* most first */
	size_t		 nclasses;
	int64_t		 t_ok;		/* the last success; 0: none */
	int64_t		 t_fail;	/* the last deferral or failure */
	char		*fail_reply;	/* its reply; NULL: none */
	const char	*fail_class;	/* its class: static; NULL */

	/* smtp-out sessions started in the window. */
	int64_t		 sessions, sessions_tls;
	struct dest_tls	 versions[DEST_VERSIONS];	/* most first */
	size_t		 nversions;

	/* Inside (dest_row.c): the times to delivery, until sorted. */
	int64_t		*ttd;
	size_t		 nttd, capttd;
	int64_t		 last_session;	/* the session counted last */
};

struct dest_set {
	enum dest_by	 by;
	struct dest_row	*rows;		/* sorted by trouble */
	size_t		 n;
	/* Inside (dest_row.c): rows by key. */
	size_t		 cap, *slot, nslot;
};

/*
 * dest.c: dest_load() is dest_init(), dest_add() and dest_sort().  With
 * several databases (one per mail host), dest_add() each into one set,
 * then dest_sort() (percentiles and the order) once.  dest_add_both()
 * fills a set by domain and one by next hop in one pass.  -1: the reason is
 * sqlite3_errmsg() of that connection.
 */
void		 dest_init(struct dest_set *, enum dest_by);
int		 dest_load(struct sqlite3 *, enum dest_by, int64_t, int64_t,
		    struct dest_set *);
int		 dest_add(struct sqlite3 *, int64_t, int64_t,
		    struct dest_set *);
int		 dest_add_both(struct sqlite3 *, int64_t, int64_t,
		    struct dest_set *, struct dest_set *);
void		 dest_sort(struct dest_set *);
void		 dest_free(struct dest_set *);
const struct dest_row *dest_find(const struct dest_set *, const char *);
/* Shares in percent, 0 to 100; 0 of nothing. */
double		 dest_share(int64_t, int64_t);
double		 dest_trouble(const struct dest_row *);
double		 dest_deferral_share(const struct dest_row *);
double		 dest_first_share(const struct dest_row *);
double		 dest_tls_share(const struct dest_row *);

#endif
