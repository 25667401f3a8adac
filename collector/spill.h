/*
 * spill.h: the journal next to the database that takes the lines memory
 * cannot hold while the database refuses writes.
 */
#ifndef SPILL_H
#define SPILL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct spill {
	char		*path;		/* "<database>-spill" */
	int		 fd;		/* -1 when there is no journal */
	int64_t		 id;		/* from the journal's first line */
	off_t		 size;		/* bytes in the journal */
	off_t		 start;		/* size when this process found it */
};

void	spill_init(struct spill *, const char *);
void	spill_free(struct spill *);
int	spill_find(struct spill *);
int	spill_create(struct spill *);
int	spill_append(struct spill *, const char *, size_t);
ssize_t	spill_read(struct spill *, off_t, char *, size_t);
off_t	spill_body(const struct spill *);
void	spill_remove(struct spill *);

#endif
