/*
 * timeline.h: a life as a readable timeline (mailtrail trace).
 */
#ifndef TIMELINE_H
#define TIMELINE_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

void	timeline_print(const struct model_life *, FILE *, int);
void	timeline_duration(int64_t, char *, size_t);
void	timeline_reltime(int64_t, char *, size_t);

#endif
