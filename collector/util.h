/*
 * util.h: allocation that cannot fail, and a growable byte buffer.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte string; the owner frees p. */
struct buf {
	char	*p;
	size_t	 len, cap;
};

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
void	 buf_set(struct buf *, const char *, size_t);
void	 buf_append(struct buf *, const char *, size_t);
void	 buf_free(struct buf *);
int64_t	 util_now(void);

#endif
