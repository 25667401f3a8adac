/*
 * log.h: one-line messages on stderr (smtpd relays a report process's
 * stderr to maillog).
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>
#include <time.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif

/* Allows one message per interval and counts the ones it held back. */
struct log_limit {
	time_t		last;
	unsigned long	held;
};

void	log_init(const char *);
void	log_warn(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
void	log_limited(struct log_limit *, const char *, ...)
	    __attribute__((__format__(printf, 2, 3)));
__dead void fatal(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));
__dead void fatalx(const char *, ...)
	    __attribute__((__format__(printf, 1, 2)));

#endif
