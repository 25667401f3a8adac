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
 * hosts.c: the databases read together, one per mail host: opening
 * them, each host's name, the lookups that join one host's attempt to
 * the next host's smtp-in by the next hop's queue id (mailtrail(1),
 * trace), and a life's JSON with its "host" and "upstream" keys.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

const char *const hosts_sql[HQ_MAX] = {
	[HQ_ADMD] = "SELECT value FROM config WHERE key = 'admd' AND "
	    "value != '' ORDER BY rowid DESC LIMIT 1",
	[HQ_REMOTE] = "SELECT remote_id FROM attempt WHERE id = ?",
	[HQ_DOWN] = "SELECT 1 FROM tx t JOIN session s ON s.id = t.session "
	    "WHERE t.msgid = ?1 AND printf('%08x', t.msgid & 0xffffffff) = ?2 "
	    "AND s.dir = 0 AND t.t_commit BETWEEN ?3 AND ?4 LIMIT 1",
	/*
	 * By attempt_remote: "+" keeps the index of all deliveries
	 * (attempt_ok, in id order, as ORDER BY wants) from being read
	 * whole for each life that came from no other host.
	 */
	[HQ_UP] = "SELECT a.evpid, s.sid, x.msgid, r.address, ti.t_commit "
	    "FROM attempt a JOIN session s ON s.id = a.session "
	    "LEFT JOIN envelope x ON x.evpid = a.evpid LEFT JOIN rcpt r "
	    "ON r.id = x.rcpt LEFT JOIN tx ti ON ti.id = x.tx "
	    "WHERE a.remote_id = ?1 AND "
	    "+a.result = 0 AND coalesce(a.address, r.address) = ?2 "
	    "COLLATE NOCASE AND a.t_end BETWEEN ?3 AND ?4 ORDER BY a.id "
	    "LIMIT 1",
};

static int	hosts_fail(const struct host *);
static int	hosts_up_step(struct host *, struct hosts_up *, const char *,
		    int64_t);
static int	hosts_splice(cJSON *, const char *, size_t, FILE *);
static cJSON	*hosts_head(const char *);
static int	hosts_end(cJSON *, FILE *, char **, size_t *, int, FILE *);
static cJSON	*hosts_up_json(const struct hosts *, const struct hosts_up *,
		    struct buf *);

/* -1, said, if there are too many, or path is named already. */
int
hosts_add(struct hosts *hs, const char *path)
{
	size_t	i;

	if (hs->n == HOSTS_MAX) {
		log_error("at most %d databases", HOSTS_MAX);
		return -1;
	}
	if (db_named(path) != 0)
		return -1;
	for (i = 0; i < hs->n; i++)	/* its mail would count twice */
		if (strcmp(hs->h[i].path, path) == 0) {
			log_error("%s: named twice", path);
			return -1;
		}
	memset(&hs->h[hs->n], 0, sizeof(hs->h[0]));
	hs->h[hs->n++].path = path;
	return 0;
}

/* Open every database (chain: also a second model, for hops). */
int
hosts_open(struct hosts *hs, int chain)
{
	struct host	*h;
	size_t		 i;
	char		*cause;

	for (i = 0; i < hs->n; i++) {
		h = &hs->h[i];
		if (db_open(&h->db, h->path, 0, 0) == -1) {
			log_warnx("%s", db_error(&h->db));
			return -1;
		}
		db_statements(&h->db, hosts_sql, HQ_MAX);
		h->name = hosts_name(h->db.h, h->path);
		if ((h->top = model_open(h->path, &cause)) == NULL ||
		    (chain && (h->chain = model_open(h->path, &cause)) ==
		    NULL)) {
			log_warnx("%s", cause);
			free(cause);
			return -1;
		}
	}
	return 0;
}

void
hosts_close(struct hosts *hs)
{
	struct host	*h;
	size_t		 i;

	for (i = 0; i < hs->n; i++) {
		h = &hs->h[i];
		db_close(&h->db);
		if (h->top != NULL)
			model_close(h->top);
		if (h->chain != NULL)
			model_close(h->chain);
		free(h->name);
	}
	hs->n = 0;
}

/*
 * The host a database records: the admd of smtpd's latest config block
 * (smtpd.conf's admd, by default the server name), else the database's
 * file name without its directory and ".db".  The caller frees it.
 */
char *
hosts_name(sqlite3 *db, const char *path)
{
	sqlite3_stmt	*s;
	const char	*base;
	char		*name = NULL;
	size_t		 n;

	if (sqlite3_prepare_v2(db, hosts_sql[HQ_ADMD], -1, &s, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_text(s, 0) != NULL)
			name = xstrdup((const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	if (name != NULL)
		return name;
	base = (base = strrchr(path, '/')) != NULL ? base + 1 : path;
	name = xstrdup(base);
	if ((n = strlen(name)) > 3 && strcmp(name + n - 3, ".db") == 0)
		name[n - 3] = '\0';
	return name;
}

/* A lookup on h failed: say why, with the database's name. */
static int
hosts_fail(const struct host *h)
{
	log_warnx("%s: %s", h->path, sqlite3_errmsg(h->db.h));
	return -1;
}

/*
 * The next hop's queue id of attempt id into out: 1, 0 if none, -1
 * (said) on error.
 */
int
hosts_remote_id(struct host *h, int64_t id, char *out, size_t sz)
{
	sqlite3_stmt	*s;
	int		 rc, found = 0;

	if ((s = db_stmt(&h->db, HQ_REMOTE)) == NULL)
		return hosts_fail(h);
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL) {
		snprintf(out, sz, "%s", sqlite3_column_text(s, 0));
		found = 1;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? found : hosts_fail(h);
}

/*
 * A next hop's queue id that is an OpenSMTPD msgid (8 hex digits, in
 * either case): its lowercase digits into hex (9 bytes), its value in
 * *msgid.  0 if it is not one.
 */
int
hosts_msgid(const char *rid, char *hex, uint32_t *msgid)
{
	uint64_t	v;
	int		i;

	for (i = 0; i < 8; i++) {
		if (rid[i] == '\0')
			return 0;
		hex[i] = tolower((unsigned char)rid[i]);
	}
	hex[8] = '\0';
	if (rid[8] != '\0' || text_to_id(hex, 8, &v) == -1)
		return 0;
	*msgid = (uint32_t)v;
	return 1;
}

/*
 * Did h commit, on smtp-in, between from and to (with the clocks'
 * skew), a message whose msgid is the queue id rid?  1, 0, -1 (said).
 */
int
hosts_down(struct host *h, const char *rid, int64_t from, int64_t to)
{
	sqlite3_stmt	*s;
	char		 hex[9];
	uint32_t	 msgid;
	int		 rc;

	if (!hosts_msgid(rid, hex, &msgid))
		return 0;
	if ((s = db_stmt(&h->db, HQ_DOWN)) == NULL)
		return hosts_fail(h);
	sqlite3_bind_int64(s, 1, (int32_t)msgid);	/* as stored */
	sqlite3_bind_text(s, 2, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, from - HOSTS_SKEW);
	sqlite3_bind_int64(s, 4, to + HOSTS_SKEW);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : hosts_fail(h);
}

/*
 * The attempt of another host that handed over the message msgid for
 * rcpt, committed on host i at t: accepted for that recipient with the
 * msgid as its queue id, around t.  1 and *up set (with what to look
 * further up from), 0 if none, -1 (said) on error.
 */
int
hosts_up(struct hosts *hs, size_t i, uint32_t msgid, const char *rcpt,
    int64_t t, struct hosts_up *up)
{
	size_t	j;
	int	rc;

	if (rcpt == NULL || t == 0)
		return 0;
	snprintf(up->remote_id, sizeof(up->remote_id), "%08x", msgid);
	for (j = 0; j < hs->n; j++) {
		if (j == i)
			continue;
		if ((rc = hosts_up_step(&hs->h[j], up, rcpt, t)) != 0) {
			if (rc == 1)
				up->host = j;
			return rc;
		}
	}
	return 0;
}

/* One host's HQ_UP: 1 and *up set, 0, -1 (said). */
static int
hosts_up_step(struct host *h, struct hosts_up *up, const char *rcpt,
    int64_t t)
{
	const unsigned char *r;
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = db_stmt(&h->db, HQ_UP)) == NULL)
		return hosts_fail(h);
	sqlite3_bind_text(s, 1, up->remote_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, rcpt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, t - HOSTS_SKEW);
	sqlite3_bind_int64(s, 4, t + HOSTS_SKEW);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		up->evpid = (uint64_t)sqlite3_column_int64(s, 0);
		up->session = (uint64_t)sqlite3_column_int64(s, 1);
		up->msgid = (uint32_t)sqlite3_column_int64(s, 2);
		r = sqlite3_column_text(s, 3);
		snprintf(up->rcpt, sizeof(up->rcpt), "%s", r != NULL ?
		    (const char *)r : "");
		up->t = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : hosts_fail(h);
}

static cJSON *
hosts_up_json(const struct hosts *hs, const struct hosts_up *up,
    struct buf *b)
{
	cJSON	*o;
	char	 hex[17];
	const char *name;

	if (up == NULL)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	name = hs->h[up->host].name;
	cJSON_AddStringToObject(o, "host", json_utf8(name, strlen(name), b));
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)up->evpid);
	cJSON_AddStringToObject(o, "evpid", hex);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)up->session);
	cJSON_AddStringToObject(o, "session", hex);
	cJSON_AddStringToObject(o, "remote_id", up->remote_id);
	return o;
}

/* pre's members, then those of the object obj (len bytes), as one. */
static int
hosts_splice(cJSON *pre, const char *obj, size_t len, FILE *fp)
{
	char	*p;
	size_t	 n;
	int	 rv = 0;

	if ((p = cJSON_PrintUnformatted(pre)) == NULL || len < 2 ||
	    obj[0] != '{')
		rv = -1;
	else {
		n = strlen(p) - 1;	/* without its closing brace */
		if (jw_print(fp, p, n) == -1 || (obj[1] != '}' &&
		    putc(',', fp) == EOF) || fwrite(obj + 1, 1, len - 1, fp) !=
		    len - 1)
			rv = -1;
	}
	cJSON_free(p);
	cJSON_Delete(pre);
	return rv;
}

/* An object with "host" first, to splice a printed one into. */
static cJSON *
hosts_head(const char *name)
{
	struct buf	 b;
	cJSON		*o = cJSON_CreateObject();

	memset(&b, 0, sizeof(b));
	cJSON_AddStringToObject(o, "host", json_utf8(name, strlen(name), &b));
	buf_free(&b);
	return o;
}

/*
 * The end of printing an object to memory (mem, opened on text and
 * len, which its close sets; rv what the printer returned): spliced
 * after the members of head.
 */
static int
hosts_end(cJSON *head, FILE *mem, char **text, size_t *len, int rv,
    FILE *fp)
{
	if (mem == NULL)
		rv = -1;
	else if (fclose(mem) == EOF)
		rv = -1;
	if (rv == -1)
		cJSON_Delete(head);
	else
		rv = hosts_splice(head, *text, *len, fp);
	free(*text);
	return rv;
}

/*
 * The object of json_life_print() with "host" and "upstream" (null, or
 * the previous host's attempt) first: printed to memory, then spliced.
 */
int
hosts_print_json(const struct model_life *l, int with_events,
    const char *name, const struct hosts *hs, const struct hosts_up *up,
    FILE *fp)
{
	struct buf	 b;
	cJSON		*o = hosts_head(name);
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*mem;
	int		 rv = -1;

	memset(&b, 0, sizeof(b));
	cJSON_AddItemToObject(o, "upstream", hosts_up_json(hs, up, &b));
	buf_free(&b);
	if ((mem = open_memstream(&text, &len)) != NULL)
		rv = json_life_print(l, with_events, mem);
	return hosts_end(o, mem, &text, &len, rv, fp);
}

/* An event of export --events with its "host" first. */
int
hosts_print_event(const struct model_event *e, const char *name, FILE *fp)
{
	cJSON		*o = hosts_head(name);
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*mem;
	int		 rv = -1;

	if ((mem = open_memstream(&text, &len)) != NULL)
		rv = json_event_print(e, 1, mem);
	return hosts_end(o, mem, &text, &len, rv, fp);
}

/* A session with no life of its own (export --sessions), "host" first. */
int
hosts_print_session(const struct model_alone *a, int with_events,
    const char *name, FILE *fp)
{
	cJSON		*o = hosts_head(name);
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*mem;
	int		 rv = -1;

	if ((mem = open_memstream(&text, &len)) != NULL)
		rv = json_session_print(a, with_events, mem);
	return hosts_end(o, mem, &text, &len, rv, fp);
}
