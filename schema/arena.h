/*
 * arena.h: memory for one object at a time: allocate freely, then
 * reset; the first block is kept, so memory stays flat.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block	*head;
};

void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);

#endif
