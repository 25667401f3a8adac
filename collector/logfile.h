/*
 * logfile.h: one log file read as it grows: a path or standard input,
 * plain or gzip, followed across rotation.
 */
#ifndef LOGFILE_H
#define LOGFILE_H

#include <sys/types.h>

#include <stdint.h>

#include <zlib.h>

#define LOGFILE_AGAIN	(-2)	/* logfile_read: nothing yet, not the end */

enum logfile_change {
	LOGFILE_SAME,
	LOGFILE_ROTATED,	/* the path names another file now */
	LOGFILE_TRUNCATED	/* the file shrank: read again from its start */
};

struct logfile {
	const char	*name;		/* as given; "-" is standard input */
	int		 fd;
	int		 regular;	/* a regular file, not a pipe */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 off;		/* bytes read from fd */
	int64_t		 mtime;		/* microseconds */
	int		 sniffed;	/* plain or gzip is known */
	int		 gz;
	int		 zopen;		/* z needs inflateEnd() */
	int		 zmid;		/* inside a gzip member */
	z_stream	 z;
	unsigned char	*in;		/* bytes read, not yet used */
	size_t		 inoff, inlen;
	const char	*err;		/* what failed (static text) */
};

int			 logfile_open(struct logfile *, const char *);
ssize_t			 logfile_read(struct logfile *, char *, size_t);
enum logfile_change	 logfile_check(struct logfile *);
int			 logfile_reopen(struct logfile *);
int			 logfile_followable(const struct logfile *);
void			 logfile_close(struct logfile *);

#endif
