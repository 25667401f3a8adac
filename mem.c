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
 * writer, 8% of a replay in libc's malloc() and free().  Here a block of
 * up to MEM_SMALL bytes comes from a free list of its size and goes
 * back to it; a larger one is libc's.  Small blocks are carved from
 * slabs that are never given back: SQLite's small allocations at any
 * one time are few (its pages are larger).  One thread only, as
 * db_setup() sets SQLite up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"

#define MEM_ALIGN	16		/* the size of a block is a multiple */
#define MEM_SMALL	1024		/* the largest block from a free list */
#define MEM_NLISTS	(MEM_SMALL / MEM_ALIGN)
#define MEM_SLAB	65536		/* what the small blocks are cut from */
#define MEM_HEAD	8		/* the block's size, before it */

struct mem_free {
	struct mem_free	*next;
};

static struct mem_free	*mem_lists[MEM_NLISTS];
static char		*mem_slab;	/* the rest of the current slab */
static size_t		 mem_left;

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

/* A new small block of size n (rounded), from the current slab. */
static void *
mem_carve(size_t n)
{
	char	*p;

	if (mem_left < MEM_HEAD + n) {
		/* The rest of the old slab is left: less than a block. */
		if ((mem_slab = malloc(MEM_SLAB)) == NULL)
			return NULL;
		mem_left = MEM_SLAB;
	}
	p = mem_slab;
	mem_slab += MEM_HEAD + n;
	mem_left -= MEM_HEAD + n;
	return p;
}

static void *
mem_malloc(int size)
{
	struct mem_free	*f;
	char		*p;
	size_t		 n;

	if (size <= 0)
		return NULL;
	n = (size_t)mem_roundup(size);
	if (n > MEM_SMALL)
		p = malloc(MEM_HEAD + n);
	else if ((f = mem_lists[n / MEM_ALIGN - 1]) != NULL) {
		mem_lists[n / MEM_ALIGN - 1] = f->next;
		return f;
	} else
		p = mem_carve(n);
	if (p == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + MEM_HEAD;
}

static void
mem_free(void *v)
{
	struct mem_free	*f = v;
	size_t		 n;

	if (v == NULL)
		return;
	memcpy(&n, (char *)v - MEM_HEAD, sizeof(n));
	if (n > MEM_SMALL) {
		free((char *)v - MEM_HEAD);
		return;
	}
	f->next = mem_lists[n / MEM_ALIGN - 1];
	mem_lists[n / MEM_ALIGN - 1] = f;
}

static void *
mem_realloc(void *v, int size)
{
	void	*p;
	int	 old = mem_size(v);

	if (size <= 0)
		return NULL;
	if (mem_roundup(size) == old)
		return v;
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
