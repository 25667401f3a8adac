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
 * util.c: allocation that cannot fail (running out of memory is fatal),
 * a growable byte buffer, bytes from the network made safe for a
 * terminal or a log, standard output written in large blocks, the
 * input files of a writer asked for first, and a command run with its
 * usage printed when it asks.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/tree.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fatal("malloc");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if ((p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		fatal("calloc");
	return p;
}

void *
xreallocarray(void *o, size_t n, size_t sz)
{
	void	*p;

	if ((p = reallocarray(o, n == 0 ? 1 : n, sz == 0 ? 1 : sz)) == NULL)
		fatal("reallocarray");
	return p;
}

char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("strdup");
	return p;
}

/*
 * Room for one more element after n in an array of *cap elements of sz
 * bytes: doubles it when full, from first.  Returns the array.
 */
void *
xgrow(void *p, size_t n, size_t *cap, size_t first, size_t sz)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : first;
	return xreallocarray(p, *cap, sz);
}

static int
idset_cmp(const struct idset_node *a, const struct idset_node *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_PROTOTYPE(idset_tree, idset_node, entry, idset_cmp);
RB_GENERATE(idset_tree, idset_node, entry, idset_cmp);

/* Add id to a set of ids: 1 if it is new, 0 if it was there. */
int
idset_add(struct idset *set, int64_t id)
{
	struct idset_node	*n;

	n = xmalloc(sizeof(*n));
	n->id = id;
	if (RB_INSERT(idset_tree, &set->tree, n) != NULL) {
		free(n);
		return 0;
	}
	set->n++;
	return 1;
}

int
idset_has(struct idset *set, int64_t id)
{
	struct idset_node	find;

	find.id = id;
	return RB_FIND(idset_tree, &set->tree, &find) != NULL;
}

void
idset_free(struct idset *set)
{
	struct idset_node	*n, *next;

	RB_FOREACH_SAFE(n, idset_tree, &set->tree, next) {
		RB_REMOVE(idset_tree, &set->tree, n);
		free(n);
	}
	set->n = 0;
}

/*
 * Standard output to a pipe or a file goes in UTIL_OBUF writes, where
 * stdio would write a pipe's 4 KiB at a time: each write to a pipe
 * wakes the reader, and those wake-ups took a third of an export's
 * time.  A terminal keeps its lines as they come; what prints as it
 * goes (export --follow) flushes each round.  Before any output.
 */
void
util_stdout(void)
{
	static char	obuf[UTIL_OBUF];

	if (!isatty(STDOUT_FILENO))
		(void)setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
}

/*
 * Run a command (argv[0] is its name); CMD_HELP and CMD_USAGE print its
 * usage.  getopt() names argv[0] in its messages, so it becomes
 * "mailtrail": "mailtrail: unrecognized option".
 */
int
util_run(const struct cmd_entry *e, int argc, char **argv)
{
	static char	name[] = "mailtrail";
	int		rc;

	argv[0] = name;
	switch ((rc = e->exec(argc, argv))) {
	case CMD_HELP:
	case CMD_USAGE:
		fprintf(rc == CMD_HELP ? stdout : stderr,
		    "usage: mailtrail %s %s\n  %s\n", e->name, e->usage,
		    e->help);
		return rc == CMD_HELP ? 0 : 1;
	default:
		return rc;
	}
}

void
buf_set(struct buf *b, const char *p, size_t len)
{
	b->len = 0;
	buf_append(b, p, len);
}

/*
 * The files named in argv (n of them; "-" is stdin) can be read: a
 * command that writes what it reads asks before it makes or opens its
 * database, so a name mistyped leaves nothing behind.  1, said, if not.
 */
int
util_inputs(int n, char **argv)
{
	struct stat	sb;
	int		i, fd;

	for (i = 0; i < n; i++) {
		if (strcmp(argv[i], "-") == 0)
			continue;
		if ((fd = open(argv[i], O_RDONLY)) == -1)
			return log_error("%s: %s", argv[i], strerror(errno));
		if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			close(fd);
			return log_error("%s: %s", argv[i], strerror(EISDIR));
		}
		close(fd);
	}
	return 0;
}

/* Room for len more bytes and a NUL after b's: the end of its text. */
char *
buf_reserve(struct buf *b, size_t len)
{
	size_t	cap;

	if (b->p == NULL || b->len + len + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 64; cap < b->len + len + 1;)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
	return b->p + b->len;
}

void
buf_append(struct buf *b, const char *p, size_t len)
{
	if (b->p != NULL && len == 0)
		return;
	buf_reserve(b, len);
	if (len > 0)
		memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* The wall clock in microseconds since the epoch. */
int64_t
util_now(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/*
 * The p-th percentile of n sorted values, nearest rank: the smallest
 * value with at least p% of the values at or below it; 0 of none.
 * Every report's percentiles are these.
 */
int64_t
util_pctl(const int64_t *v, size_t n, int p)
{
	size_t	rank;

	if (n == 0)
		return 0;
	rank = ((size_t)p * n + 99) / 100;
	return v[rank > 0 ? rank - 1 : 0];
}

/*
 * FNV-1a of the len bytes at p, from h: UTIL_HASH_INIT, or the hash of
 * the bytes before.  The hash of every table kept in memory by a key.
 */
uint64_t
util_hash(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*c = p;
	size_t			 i;

	for (i = 0; i < len; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}

/*
 * The domain of an address: the part after its first '@', in lower case
 * (ASCII, as SQL's lower()); "" without an '@'.  The rule of the views'
 * domain columns (schema/views.sql), for a reader that reads addresses
 * as they are stored: in b, returned.
 */
const char *
util_domain(struct buf *b, const char *addr)
{
	const char	*at;
	size_t		 i;

	if (addr == NULL || (at = strchr(addr, '@')) == NULL)
		at = "";
	else
		at++;
	buf_set(b, at, strlen(at));
	b->p[b->len] = '\0';	/* "" too */
	for (i = 0; i < b->len; i++)
		if (b->p[i] >= 'A' && b->p[i] <= 'Z')
			b->p[i] += 'a' - 'A';
	return b->p;
}

static const char escape_hex[] = "0123456789abcdef";

static size_t	escape_run(char *, size_t, const char *, size_t, int);

/*
 * Escape len bytes of network data into dst (size dstsz, NUL-terminated,
 * whole escapes only): printable ASCII stays, a backslash becomes two,
 * every other byte "\xHH".  Returns the number of source bytes consumed.
 */
size_t
escape_bytes(char *dst, size_t dstsz, const char *src, size_t len)
{
	return escape_run(dst, dstsz, src, len, 1);
}

/*
 * The same, a backslash left as it is: for a message, which may quote a
 * value escape_quote() escaped already.
 */
size_t
escape_text(char *dst, size_t dstsz, const char *src, size_t len)
{
	return escape_run(dst, dstsz, src, len, 0);
}

static size_t
escape_run(char *dst, size_t dstsz, const char *src, size_t len,
    int backslash)
{
	size_t		 i, o = 0;
	unsigned char	 c;

	if (dstsz == 0)
		return 0;
	for (i = 0; i < len; i++) {
		c = (unsigned char)src[i];
		if (c >= 0x20 && c < 0x7f && (c != '\\' || !backslash)) {
			if (o + 1 >= dstsz)
				break;
			dst[o++] = c;
		} else if (c == '\\') {
			if (o + 2 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else {
			if (o + 4 >= dstsz)
				break;
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = escape_hex[c >> 4];
			dst[o++] = escape_hex[c & 0xf];
		}
	}
	dst[o] = '\0';
	return i;
}

/* Network bytes escaped whole into b (which grows): returns b->p. */
const char *
buf_escape(struct buf *b, const char *src, size_t len)
{
	size_t	sz = len * 4 + 1;

	if (b->cap < sz) {
		b->p = xreallocarray(b->p, sz, 1);
		b->cap = sz;
	}
	escape_bytes(b->p, sz, src, len);
	b->len = strlen(b->p);
	return b->p;
}

/*
 * A line for a log message: in double quotes, its first ESCAPE_QUOTE_MAX
 * bytes escaped, then "..." if it was longer.  dst has ESCAPE_QUOTE_SIZE
 * bytes.
 */
const char *
escape_quote(char *dst, const char *src, size_t len)
{
	size_t	n = len < ESCAPE_QUOTE_MAX ? len : ESCAPE_QUOTE_MAX, o;

	dst[0] = '"';
	escape_bytes(dst + 1, ESCAPE_QUOTE_SIZE - 5, src, n);
	o = strlen(dst);
	memcpy(dst + o, n < len ? "\"..." : "\"", n < len ? 5 : 2);
	return dst;
}
