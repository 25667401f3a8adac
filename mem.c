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
 * mem.c: SQLite's memory.  The SQLite of Debian is built without its
 * lookaside memory, so each statement run allocates its cursors with
 * malloc() and frees them when it halts: ten times a report line in the
 * writer, 8% of a replay in libc's malloc() and free().  Here a freed
 * block of up to MEM_SMALL bytes is kept on a list of its size, at most
 * MEM_KEEP of them, and given again; any other is libc's to free.  What
 * the lists hold is bounded (4 MiB at the most), and a burst of small
 * blocks, a sort's keys in memory, goes back to libc.  Each block is
 * malloc()'s own, so the sanitizers see each; a block on a list is
 * poisoned for AddressSanitizer, but for its link, until given again.
 * One thread only, as db_setup() sets SQLite up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MEM_ASAN	1		/* clang's way of saying it */
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(MEM_ASAN)
#include <sanitizer/asan_interface.h>
#define MEM_POISON(p, n)	ASAN_POISON_MEMORY_REGION((p), (n))
#define MEM_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define MEM_POISON(p, n)	((void)(p), (void)(n))
#define MEM_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#include "mailtrail.h"

#define MEM_ALIGN	16		/* the size of a block is a multiple */
#define MEM_SMALL	1024		/* the largest block kept on a list */
#define MEM_NLISTS	(MEM_SMALL / MEM_ALIGN)
#define MEM_KEEP	128		/* the most blocks a list keeps */
#define MEM_HEAD	8		/* the block's size, before it */

struct mem_free {
	struct mem_free	*next;
};

static struct mem_free	*mem_lists[MEM_NLISTS];
static int		 mem_kept[MEM_NLISTS];

static void	*mem_malloc(int);
static void	 mem_free(void *);
static void	*mem_realloc(void *, int);
static int	 mem_size(void *);
static int	 mem_roundup(int);
static int	 mem_init(void *);
static void	 mem_shutdown(void *);

static const sqlite3_mem_methods mem_methods = {
	mem_malloc, mem_free, mem_realloc, mem_size, mem_roundup,
	mem_init, mem_shutdown, NULL
};

/* These as SQLite's allocator; before any other use of SQLite. */
int
mem_setup(void)
{
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &mem_methods) ==
	    SQLITE_OK ? 0 : -1;
}

/* The size a request is given: a multiple of MEM_ALIGN. */
static int
mem_roundup(int n)
{
	return (n + MEM_ALIGN - 1) & ~(MEM_ALIGN - 1);
}

static void *
mem_malloc(int size)
{
	struct mem_free	*f;
	char		*p;
	size_t		 n, i;

	if (size <= 0)
		return NULL;
	n = (size_t)mem_roundup(size);
	i = n / MEM_ALIGN - 1;
	if (n <= MEM_SMALL && (f = mem_lists[i]) != NULL) {
		MEM_UNPOISON(f + 1, n - sizeof(*f));
		mem_lists[i] = f->next;
		mem_kept[i]--;
		return f;
	}
	if ((p = malloc(MEM_HEAD + n)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + MEM_HEAD;
}

static void
mem_free(void *v)
{
	struct mem_free	*f = v;
	size_t		 n, i;

	if (v == NULL)
		return;
	memcpy(&n, (char *)v - MEM_HEAD, sizeof(n));
	i = n / MEM_ALIGN - 1;
	if (n > MEM_SMALL || mem_kept[i] == MEM_KEEP) {
		free((char *)v - MEM_HEAD);
		return;
	}
	f->next = mem_lists[i];
	mem_lists[i] = f;
	mem_kept[i]++;
	/* Its link stays readable: the leak checker follows the list. */
	MEM_POISON(f + 1, n - sizeof(*f));
}

static void *
mem_realloc(void *v, int size)
{
	char	*p;
	size_t	 n;
	int	 old = mem_size(v);

	if (size <= 0)
		return NULL;
	if (mem_roundup(size) == old)
		return v;
	n = (size_t)mem_roundup(size);
	if (n > MEM_SMALL && (size_t)old > MEM_SMALL) {
		/* libc's to libc's: it may grow the block where it is. */
		if ((p = realloc((char *)v - MEM_HEAD, MEM_HEAD + n)) == NULL)
			return NULL;
		memcpy(p, &n, sizeof(n));
		return p + MEM_HEAD;
	}
	if ((p = mem_malloc(size)) == NULL)
		return NULL;
	memcpy(p, v, (size_t)(old < size ? old : size));
	mem_free(v);
	return p;
}

/* The usable size of block v, as given. */
static int
mem_size(void *v)
{
	size_t	n;

	if (v == NULL)
		return 0;
	memcpy(&n, (char *)v - MEM_HEAD, sizeof(n));
	return (int)n;
}

static int
mem_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
mem_shutdown(void *arg)
{
	(void)arg;
}
