/*
 * timeline_int.h: what timeline.c and timeline_fate.c share: the
 * printing state and the colours.
 */
#ifndef TIMELINE_INT_H
#define TIMELINE_INT_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "util.h"

#define TL_RESET	"\033[0m"
#define TL_BOLD		"\033[1m"
#define TL_DIM		"\033[2m"
#define TL_RED		"\033[31m"
#define TL_GREEN	"\033[32m"
#define TL_YELLOW	"\033[33m"
#define TL_MAGENTA	"\033[35m"
#define TL_CYAN		"\033[36m"

struct timeline {
	FILE			*fp;
	int			 color;
	int64_t			 t0;
	const struct model_life	*l;
	struct buf		 esc;
};

extern const char *const timeline_status_color[MODEL_NSTATUS];

/* timeline.c */
const char	*timeline_esc(struct timeline *, const char *, size_t);
const char	*timeline_c(const struct timeline *, const char *);
void		 timeline_step(struct timeline *, int64_t, const char *,
		    const char *, const char *);

/* timeline_fate.c */
void		 timeline_fate_outcomes(struct timeline *);
void		 timeline_fate_status(struct timeline *);
void		 timeline_fate_links(struct timeline *);

#endif
