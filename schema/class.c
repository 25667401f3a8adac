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
 * class.c: the one rule that gives a reply that decided something its
 * class: an operator's rules (-c FILE, class_rules()), then the table
 * of class_table.c, first match wins, else "other".  Replies are
 * classified as they are read, each distinct text once (a cache), and
 * the same rule is the SQL function reply_class(reply [, outcome]) of
 * every connection opened after class_rules().
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define CLASS_CACHE	16384	/* slots; emptied when 3/4 full */

struct class_slot {
	char		*key;
	enum class_id	 id;
};

/* The rules in the order they are tried, and the cache. */
struct class_state {
	regex_t			*re;
	struct class_need	*need;		/* one per rule */
	enum class_id		*id;
	const char		**src;		/* NULL once compiled */
	size_t			 n, cap;
	int			 ready;		/* the table is compiled */
	struct class_slot	*slot;
	size_t			 used;
};

static struct class_state class_st;

static const char *const class_names[CLASS_MAX] = {
	[CLASS_UNKNOWN_USER] = "unknown-user",
	[CLASS_MAILBOX_FULL] = "mailbox-full",
	[CLASS_GREYLISTED] = "greylisted",
	[CLASS_BLOCKLISTED] = "blocklisted",
	[CLASS_RATE_LIMITED] = "rate-limited",
	[CLASS_SPAM] = "spam",
	[CLASS_POLICY] = "policy",
	[CLASS_TLS] = "tls",
	[CLASS_AUTH] = "auth",
	[CLASS_DNS] = "dns",
	[CLASS_TIMEOUT] = "timeout",
	[CLASS_CONNECTION] = "connection",
	[CLASS_SIZE] = "size",
	[CLASS_OTHER] = "other",
};

static void	class_add(enum class_id, const char *);
static int	class_compile(size_t, char *, size_t);
static void	class_ready(void);
static int	class_line(char *, const char *, size_t, char *, size_t);
static enum class_id class_match(const char *);
static enum class_id class_try(const char *);
static void	class_sql_fn(sqlite3_context *, int, sqlite3_value **);
static int	class_sql_entry(sqlite3 *, char **,
		    const struct sqlite3_api_routines *);

/* A class's name, NULL for a number out of range. */
const char *
class_name(int id)
{
	return id >= 0 && id < CLASS_MAX ? class_names[id] : NULL;
}

/* Append one rule, compiled when a reply first needs it. */
static void
class_add(enum class_id id, const char *re)
{
	if (class_st.n == class_st.cap) {
		class_st.re = xgrow(class_st.re, class_st.n, &class_st.cap,
		    64, sizeof(*class_st.re));
		class_st.id = xreallocarray(class_st.id, class_st.cap,
		    sizeof(*class_st.id));
		class_st.need = xreallocarray(class_st.need, class_st.cap,
		    sizeof(*class_st.need));
		class_st.src = xreallocarray(class_st.src, class_st.cap,
		    sizeof(*class_st.src));
	}
	class_need_make(&class_st.need[class_st.n], re);
	class_st.src[class_st.n] = re;
	class_st.id[class_st.n++] = id;
}

/*
 * Compile rule i if it is not yet: -1 with regcomp()'s reason in err.
 * A command that prints one life needs a rule or two of the table, and
 * compiling all of them took longer than the rest of its work.
 */
static int
class_compile(size_t i, char *err, size_t sz)
{
	int	rc;

	if (class_st.src[i] == NULL)
		return 0;
	rc = regcomp(&class_st.re[i], class_st.src[i], REG_EXTENDED |
	    REG_ICASE | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &class_st.re[i], err, sz);
		regfree(&class_st.re[i]);
		return -1;
	}
	class_st.src[i] = NULL;
	return 0;
}

/* The table after whatever rules came first; once. */
static void
class_ready(void)
{
	size_t	i;

	if (class_st.ready)
		return;
	for (i = 0; class_table[i].re != NULL; i++)
		class_add(class_table[i].id, class_table[i].re);
	class_st.slot = xcalloc(CLASS_CACHE, sizeof(*class_st.slot));
	class_st.ready = 1;
}

/* One line of a rules file: "class regex", blank, or a # comment. */
static int
class_line(char *line, const char *path, size_t lineno, char *err,
    size_t sz)
{
	char	*name, *re, *end, why[256];
	size_t	 len;
	int	 id;

	name = line + strspn(line, " \t");
	len = strlen(name);
	while (len > 0 && isspace((unsigned char)name[len - 1]))
		name[--len] = '\0';
	if (*name == '\0' || *name == '#')
		return 0;
	end = name + strcspn(name, " \t");
	re = end + strspn(end, " \t");
	*end = '\0';
	for (id = 0; id < CLASS_MAX; id++)
		if (strcmp(name, class_names[id]) == 0)
			break;
	if (id == CLASS_MAX)
		return snprintf(err, sz, "%s:%zu: unknown class \"%s\"",
		    path, lineno, name), -1;
	if (*re == '\0')
		return snprintf(err, sz, "%s:%zu: no regular expression "
		    "after \"%s\"", path, lineno, name), -1;
	class_add(id, re);	/* compiled now, while re is there */
	if (class_compile(class_st.n - 1, why, sizeof(why)) == -1) {
		class_need_free(&class_st.need[--class_st.n]);
		return snprintf(err, sz, "%s:%zu: bad regular expression "
		    "\"%s\": %s", path, lineno, re, why), -1;
	}
	return 0;
}

/*
 * An operator's rules, before the table: path, else CLASS_FILE if it
 * exists.  Also makes reply_class() an SQL function of every database
 * opened from now on.  -1 with the reason ("FILE:LINE: ...") in err.
 */
int
class_rules(const char *path, char *err, size_t sz)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 cap = 0, lineno = 0;
	int	 rv = 0;

	class_free();
	db_setup();
	sqlite3_auto_extension((void (*)(void))class_sql_entry);
	if ((fp = fopen(path != NULL ? path : CLASS_FILE, "r")) == NULL) {
		if (path == NULL && errno == ENOENT)
			return 0;
		snprintf(err, sz, "%s: %s", path != NULL ? path : CLASS_FILE,
		    strerror(errno));
		return -1;
	}
	if (path == NULL)
		path = CLASS_FILE;
	while (rv == 0 && getline(&line, &cap, fp) != -1)
		rv = class_line(line, path, ++lineno, err, sz);
	if (rv == 0 && ferror(fp)) {
		snprintf(err, sz, "%s: read error", path);
		rv = -1;
	}
	free(line);
	fclose(fp);
	if (rv == -1)
		class_free();
	return rv;
}

/* Back to the table alone. */
void
class_free(void)
{
	size_t	i;

	for (i = 0; i < class_st.n; i++) {
		if (class_st.src[i] == NULL)
			regfree(&class_st.re[i]);
		class_need_free(&class_st.need[i]);
	}
	if (class_st.slot != NULL)
		for (i = 0; i < CLASS_CACHE; i++)
			free(class_st.slot[i].key);
	free(class_st.re);
	free(class_st.id);
	free(class_st.need);
	free(class_st.src);
	free(class_st.slot);
	memset(&class_st, 0, sizeof(class_st));
}

/* The first rule that matches s, through the cache. */
static enum class_id
class_match(const char *s)
{
	struct class_slot	*sl;
	uint64_t		 h;
	size_t			 i;
	enum class_id		 id;

	class_ready();
	h = util_hash(UTIL_HASH_INIT, s, strlen(s));
	for (;;) {
		sl = &class_st.slot[h++ % CLASS_CACHE];
		if (sl->key == NULL)
			break;
		if (strcmp(sl->key, s) == 0)
			return sl->id;
	}
	id = class_try(s);
	if (class_st.used >= CLASS_CACHE / 4 * 3) {
		for (i = 0; i < CLASS_CACHE; i++) {
			free(class_st.slot[i].key);
			class_st.slot[i].key = NULL;
		}
		class_st.used = 0;
		return id;
	}
	sl->key = xstrdup(s);
	sl->id = id;
	class_st.used++;
	return id;
}

/*
 * The first rule that matches s, trying a regex only when s holds a
 * word it needs and no word that is a whole alternative of it
 * (class_need.c).  A text not in ASCII is matched by every rule's
 * regex: in a multibyte locale, case may fold beyond ASCII.
 */
static enum class_id
class_try(const char *s)
{
	char		 buf[512], *low = buf, err[256];
	size_t		 i, len = strlen(s);
	int		 all = 0, may;

	if (len >= sizeof(buf))
		low = xmalloc(len + 1);
	for (i = 0; i <= len; i++) {
		low[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i];
		all |= (unsigned char)s[i] >= 0x80;
	}
	for (i = 0; i < class_st.n; i++) {
		if (!all && (may = class_need_test(&class_st.need[i],
		    low)) != 1) {
			if (may == 2)
				break;
			continue;
		}
		if (class_compile(i, err, sizeof(err)) == -1)
			fatalx("%s: rule %zu: %s", __func__, i, err);
		if (regexec(&class_st.re[i], s, 0, NULL, 0) == 0)
			break;
	}
	if (low != buf)
		free(low);
	return i < class_st.n ? class_st.id[i] : CLASS_OTHER;
}

/* A reply's class; NULL for none, or a 2xx or 3xx reply. */
const char *
class_reply(const char *reply)
{
	if (reply == NULL || *reply == '\0')
		return NULL;
	if ((reply[0] == '2' || reply[0] == '3') &&
	    isdigit((unsigned char)reply[1]) &&
	    isdigit((unsigned char)reply[2]) &&
	    (reply[3] == '\0' || reply[3] == ' ' || reply[3] == '-'))
		return NULL;
	return class_names[class_match(reply)];
}

/*
 * What a failed session came to (session.outcome, schema 11), when that
 * says the class without its reply: NULL otherwise.
 */
const char *
class_session(const char *outcome)
{
	if (outcome == NULL)
		return NULL;
	switch (text_to_session_outcome(outcome)) {
	case SO_TLS_FAILED:
		return class_names[CLASS_TLS];
	case SO_AUTH_FAILED:
		return class_names[CLASS_AUTH];
	case SO_TIMEOUT:
		return class_names[CLASS_TIMEOUT];
	case SO_CONNECT_FAILED:
		return class_names[CLASS_CONNECTION];
	default:
		return NULL;
	}
}

/*
 * An attempt's: its reply's, or with none, how its session ended; NULL
 * while in progress or when it delivered.
 */
const char *
class_attempt(const struct model_attempt *a)
{
	const char	*c;

	if (a->result == MODEL_PENDING || a->result == MODEL_OK)
		return NULL;
	if (a->reply == NULL) {
		c = class_session(a->session.outcome);
		return c != NULL ? c : class_names[CLASS_CONNECTION];
	}
	c = class_reply(a->reply);
	return c != NULL ? c : class_names[CLASS_OTHER];
}

/* A maillog outcome's (mda, expiry, removal): NULL for a delivery. */
const char *
class_outcome(const struct model_outcome *o)
{
	const char	*c;

	if (o->kind == MODEL_OC_MDA && o->result != MODEL_PERMFAIL &&
	    o->result != MODEL_TEMPFAIL)
		return NULL;
	c = class_reply(o->stat);
	return c != NULL ? c : class_names[CLASS_OTHER];
}

/*
 * A life's: what decided it (an attempt, a maillog outcome, a refusal
 * at smtp-in); NULL while queued, or delivered, or aborted.
 */
const char *
class_life(const struct model_life *l)
{
	size_t	i;

	if (l->status == LIFE_QUEUED || l->status == LIFE_DELIVERED ||
	    l->status == LIFE_ABORTED)
		return NULL;
	if ((i = model_life_decisive(l)) < l->nattempts)
		return class_attempt(&l->attempts[i]);
	for (i = 0; i < l->noutcomes; i++)
		if (l->decisive_outcome != 0 &&
		    l->outcomes[i].id == l->decisive_outcome)
			return class_outcome(&l->outcomes[i]);
	return class_reply(l->reply);
}

/*
 * reply_class(reply [, outcome]): the class, or NULL.  With the outcome
 * of the session (schema 11), what ended with no reply lost its
 * connection, as class_attempt() says.
 */
static void
class_sql_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*c = NULL, *reply;

	reply = (const char *)sqlite3_value_text(argv[0]);
	if (argc > 1)
		c = class_session((const char *)sqlite3_value_text(argv[1]));
	if (c == NULL)
		c = class_reply(reply);
	if (c == NULL && argc > 1 && reply == NULL)
		c = class_names[CLASS_CONNECTION];
	if (c == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, c, -1, SQLITE_STATIC);
}

/* Run by sqlite for each connection opened (sqlite3_auto_extension()). */
static int
class_sql_entry(sqlite3 *db, char **errmsg,
    const struct sqlite3_api_routines *api)
{
	(void)errmsg;
	(void)api;
	if (sqlite3_create_function(db, "reply_class", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, class_sql_fn, NULL, NULL) !=
	    SQLITE_OK || sqlite3_create_function(db, "reply_class", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, class_sql_fn, NULL,
	    NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	return SQLITE_OK;
}
