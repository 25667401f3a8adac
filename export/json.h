/*
 * json.h: lives and events as JSON (docs/json.md).
 */
#ifndef JSON_H
#define JSON_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "model.h"
#include "util.h"

const char	*json_utf8(const char *, size_t, struct buf *);
void		 json_time(int64_t, char *, size_t);
int		 json_life_print(const struct model_life *, int, FILE *);
int		 json_event_print(const struct model_event *, int, FILE *);
int		 json_print(cJSON *, FILE *);

#endif
