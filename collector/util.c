/*
 * util.c: allocation that cannot fail (running out of memory is fatal),
 * and a growable byte buffer.
 */
#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

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

void
buf_set(struct buf *b, const char *p, size_t len)
{
	b->len = 0;
	buf_append(b, p, len);
}

void
buf_append(struct buf *b, const char *p, size_t len)
{
	size_t	cap;

	if (b->p != NULL && len == 0)
		return;
	if (b->len + len + 1 > b->cap) {
		for (cap = b->cap ? b->cap : 64; cap < b->len + len + 1;)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
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
