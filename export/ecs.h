/*
 * ecs.h: lives and report events as Elastic Common Schema documents
 * (export --format ecs), for shipping through Vector or Fluent Bit.
 */
#ifndef ECS_H
#define ECS_H

#include <stdio.h>

#include "model.h"

#define ECS_VERSION	"8.11.0"

/* What a life's document says beyond the life itself. */
struct ecs_extra {
	const char	*host;		/* host.name */
	const char	*remote_id;	/* the next hop's queue id, or NULL */
	const char	*up_host;	/* the previous host, or NULL */
	uint64_t	 up_evpid;	/* its envelope */
};

int	ecs_life_print(const struct model_life *, const struct ecs_extra *,
	    FILE *);
int	ecs_event_print(const struct model_event *, const char *, FILE *);

#endif
