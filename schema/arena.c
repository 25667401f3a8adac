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
 * arena.c: a chained bump allocator for the read model's per-life
 * strings and arrays.  arena_reset() frees every block but the first.
 */
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define ARENA_BLOCK	65536
#define ARENA_ALIGN	16

struct arena_block {
	struct arena_block	*next;
	size_t			 len, cap;
	char			*data;
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 cap;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (b == NULL || b->len + n > b->cap) {
		cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = xmalloc(sizeof(*b));
		b->data = xmalloc(cap);
		b->len = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	b->len += n;
	return b->data + b->len - n;
}

/* A NUL-terminated copy of len bytes (NULL stays NULL). */
char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char	*p;

	if (s == NULL)
		return NULL;
	p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	struct arena_block	*b, *next;

	if (a->head == NULL)
		return;
	for (b = a->head->next; b != NULL; b = next) {
		next = b->next;
		free(b->data);
		free(b);
	}
	/* Keep the newest block: usually the largest needed so far. */
	a->head->next = NULL;
	a->head->len = 0;
}

void
arena_free(struct arena *a)
{
	arena_reset(a);
	if (a->head != NULL) {
		free(a->head->data);
		free(a->head);
		a->head = NULL;
	}
}
