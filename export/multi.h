/*
 * multi.h: trace and export over several databases (one per mail
 * host), and export in the Elastic Common Schema.
 */
#ifndef MULTI_H
#define MULTI_H

#include "hosts.h"
#include "model.h"

struct multi_opts {
	int			 events, follow, summary, ecs;
	const struct model_query *q;
};

int	multi_trace(struct hosts *, const struct model_query *, int, int);
int	multi_export(struct hosts *, const struct multi_opts *);

#endif
