/*
 * jw.h: a JSON writer, one object per line (jw.c).
 */
#ifndef JW_H
#define JW_H

#include <stdio.h>

#include "util.h"

struct jw {
	struct buf	 b;		/* the line being built */
	int		 first;		/* no member yet at this level */
	int		 depth;
};

void	jw_begin(struct jw *);
int	jw_end(struct jw *, FILE *);
void	jw_free(struct jw *);
void	jw_str(struct jw *, const char *, const char *);
void	jw_raw(struct jw *, const char *, const char *);
void	jw_bool(struct jw *, const char *, int);
void	jw_open(struct jw *, const char *, char);
void	jw_close(struct jw *, char);

#endif
