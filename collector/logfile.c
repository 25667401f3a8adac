/*
 * Copyright (c) 2026 The mailtrail authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


/*
 * logfile.c: reading one log file: a path or standard input, plain or
 * gzip (told by its first two bytes, so rotated .gz files need no
 * option), and following it as it grows and across rotation as tail -F
 * does: another file at the path, or a file that shrank, is read anew.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector.h"

#define LOGFILE_BUF	(256 * 1024)	/* compressed bytes read at once */
#define LOGFILE_POLL_MS	250		/* a pipe is waited for this long */

static int	logfile_stat(struct logfile *);
static ssize_t	logfile_raw(struct logfile *, void *, size_t);
static ssize_t	logfile_sniff(struct logfile *);
static ssize_t	logfile_inflate(struct logfile *, char *, size_t);

/* -1 and lf->err if it cannot be opened. */
int
logfile_open(struct logfile *lf, const char *name)
{
	memset(lf, 0, sizeof(*lf));
	lf->name = name;
	if (strcmp(name, "-") == 0)
		lf->fd = STDIN_FILENO;
	else if ((lf->fd = open(name, O_RDONLY | O_CLOEXEC)) == -1) {
		lf->err = strerror(errno);
		return -1;
	}
	if (logfile_stat(lf) == -1) {
		logfile_close(lf);
		return -1;
	}
	lf->in = xmalloc(LOGFILE_BUF);
	return 0;
}

void
logfile_close(struct logfile *lf)
{
	if (lf->zopen)
		inflateEnd(&lf->z);
	lf->zopen = 0;
	if (lf->fd != -1 && strcmp(lf->name, "-") != 0)
		close(lf->fd);
	lf->fd = -1;
	free(lf->in);
	lf->in = NULL;
}

static int
logfile_stat(struct logfile *lf)
{
	struct stat	sb;

	if (fstat(lf->fd, &sb) == -1) {
		lf->err = strerror(errno);
		return -1;
	}
	lf->dev = sb.st_dev;
	lf->ino = sb.st_ino;
	lf->regular = S_ISREG(sb.st_mode);
	lf->mtime = sb.st_mtim.tv_sec * US_PER_SEC +
	    sb.st_mtim.tv_nsec / 1000;
	return 0;
}

/* Only a plain regular file grows and rotates. */
int
logfile_followable(const struct logfile *lf)
{
	return lf->regular && !lf->gz && strcmp(lf->name, "-") != 0;
}

/*
 * Up to size bytes of text, inflated if need be.  0 at the end (for
 * now: a followed file may grow), LOGFILE_AGAIN when a pipe has had
 * nothing for a while, -1 on error (lf->err).
 */
ssize_t
logfile_read(struct logfile *lf, char *buf, size_t size)
{
	ssize_t	n;
	size_t	k;

	if (!lf->sniffed && (n = logfile_sniff(lf)) != 1)
		return n;
	if (lf->gz)
		return logfile_inflate(lf, buf, size);
	if (lf->inoff < lf->inlen) {
		k = lf->inlen - lf->inoff < size ? lf->inlen - lf->inoff : size;
		memcpy(buf, lf->in + lf->inoff, k);
		lf->inoff += k;
		return k;
	}
	return logfile_raw(lf, buf, size);
}

/* Read the first two bytes: the gzip magic, or plain text.  1: known. */
static ssize_t
logfile_sniff(struct logfile *lf)
{
	ssize_t	n;

	while (lf->inlen < 2) {
		n = logfile_raw(lf, lf->in + lf->inlen,
		    LOGFILE_BUF - lf->inlen);
		if (n == 0)
			break;
		if (n < 0)
			return n;
		lf->inlen += n;
	}
	lf->sniffed = 1;
	if (lf->inlen < 2 || lf->in[0] != 0x1f || lf->in[1] != 0x8b)
		return 1;
	if (inflateInit2(&lf->z, 15 + 16) != Z_OK) {
		lf->err = "cannot inflate";
		return -1;
	}
	lf->zopen = lf->gz = 1;
	lf->z.next_in = lf->in;
	lf->z.avail_in = lf->inlen;
	lf->inlen = 0;
	return 1;
}

/* read(2), after waiting for a pipe at most LOGFILE_POLL_MS. */
static ssize_t
logfile_raw(struct logfile *lf, void *buf, size_t size)
{
	struct pollfd	pfd;
	ssize_t		n;

	if (!lf->regular) {
		pfd.fd = lf->fd;
		pfd.events = POLLIN;
		n = poll(&pfd, 1, LOGFILE_POLL_MS);
		if (n == 0 || (n == -1 && errno == EINTR))
			return LOGFILE_AGAIN;
	}
	while ((n = read(lf->fd, buf, size)) == -1 && errno == EINTR)
		;
	if (n == -1) {
		lf->err = strerror(errno);
		return -1;
	}
	lf->off += n;
	return n;
}

/* gzip members one after the other (as gzip -c a b > c makes) too. */
static ssize_t
logfile_inflate(struct logfile *lf, char *buf, size_t size)
{
	ssize_t	n;
	int	rc;

	for (;;) {
		if (lf->z.avail_in == 0) {
			n = logfile_raw(lf, lf->in, LOGFILE_BUF);
			if (n == 0 && lf->zmid) {
				lf->err = "unexpected end of gzip data";
				return -1;
			}
			if (n <= 0)
				return n;
			lf->z.next_in = lf->in;
			lf->z.avail_in = n;
		}
		lf->z.next_out = (unsigned char *)buf;
		lf->z.avail_out = size;
		rc = inflate(&lf->z, Z_NO_FLUSH);
		lf->zmid = rc != Z_STREAM_END;
		if ((rc == Z_STREAM_END && inflateReset(&lf->z) != Z_OK) ||
		    (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)) {
			lf->err = "bad gzip data";
			return -1;
		}
		if (lf->z.avail_out < size)
			return size - lf->z.avail_out;
	}
}

/*
 * At the end of a followed file: has it been rotated (another file at
 * its path; none yet is not a change) or truncated (then read anew)?
 */
enum logfile_change
logfile_check(struct logfile *lf)
{
	struct stat	sb;

	if (!logfile_followable(lf) || stat(lf->name, &sb) == -1)
		return LOGFILE_SAME;
	if (sb.st_dev != lf->dev || sb.st_ino != lf->ino)
		return LOGFILE_ROTATED;
	if (sb.st_size < lf->off && lseek(lf->fd, 0, SEEK_SET) == 0) {
		lf->off = 0;
		return LOGFILE_TRUNCATED;
	}
	return LOGFILE_SAME;
}

/* The file now at the path, from its start. */
int
logfile_reopen(struct logfile *lf)
{
	const char	*name = lf->name;

	logfile_close(lf);
	return logfile_open(lf, name);
}
