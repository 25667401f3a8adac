/*
 * reply.h: what an SMTP reply line says beyond its code.
 */
#ifndef REPLY_H
#define REPLY_H

#include "proto.h"

int	reply_queue_id(const char *, size_t, struct proto_str *);

#endif
