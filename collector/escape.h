/*
 * escape.h: bytes from the network made safe to print.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>

size_t	escape_bytes(char *, size_t, const char *, size_t);

#endif
