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
 * spill.c: the spill journal, "<database>-spill".  Its first line names
 * it ("mailtrail-spill <id>"); raw report lines follow, in the order
 * they arrived.  The database records which journal it has read up to
 * where, in the same transaction as the lines, so a crash neither loses
 * nor repeats a line.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailtrail.h"
#include "collector.h"

#define SPILL_MAGIC	"mailtrail-spill "

void
spill_init(struct spill *sp, const char *dbpath)
{
	size_t	len = strlen(dbpath) + sizeof("-spill");

	memset(sp, 0, sizeof(*sp));
	sp->path = xmalloc(len);
	snprintf(sp->path, len, "%s-spill", dbpath);
	sp->fd = -1;
}

void
spill_free(struct spill *sp)
{
	if (sp->fd != -1)
		close(sp->fd);
	free(sp->path);
	sp->path = NULL;
}

/* A journal left by an earlier run: 1 if there is one, 0 if not. */
int
spill_find(struct spill *sp)
{
	char		 head[64];
	struct stat	 sb;
	ssize_t		 n;
	char		*nl;

	if ((sp->fd = open(sp->path, O_RDWR | O_APPEND)) == -1)
		return 0;
	n = pread(sp->fd, head, sizeof(head) - 1, 0);
	head[n > 0 ? n : 0] = '\0';
	if (fstat(sp->fd, &sb) == -1 || n <= (ssize_t)strlen(SPILL_MAGIC) ||
	    strncmp(head, SPILL_MAGIC, strlen(SPILL_MAGIC)) != 0 ||
	    (nl = strchr(head, '\n')) == NULL) {
		log_warnx("%s: not a spill journal, left alone", sp->path);
		close(sp->fd);
		sp->fd = -1;
		return 0;
	}
	sp->id = strtoll(head + strlen(SPILL_MAGIC), NULL, 10);
	sp->size = sp->start = sb.st_size;
	return 1;
}

int
spill_create(struct spill *sp)
{
	char	head[64];
	int	n;

	if ((sp->fd = open(sp->path, O_RDWR | O_APPEND | O_CREAT | O_EXCL,
	    0640)) == -1)
		return -1;
	(void)fchmod(sp->fd, 0640);	/* whatever the umask, as the database */
	sp->id = util_now();
	n = snprintf(head, sizeof(head), SPILL_MAGIC "%" PRId64 "\n", sp->id);
	sp->size = sp->start = 0;
	if (spill_append(sp, head, n) == -1) {
		spill_remove(sp);
		return -1;
	}
	return 0;
}

/* Whole or nothing: a short write is cut back off. */
int
spill_append(struct spill *sp, const char *p, size_t len)
{
	ssize_t	n;
	size_t	done = 0;

	while (done < len) {
		if ((n = write(sp->fd, p + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			if (ftruncate(sp->fd, sp->size) == -1)
				log_warn("%s: truncate", sp->path);
			return -1;
		}
		done += n;
	}
	sp->size += len;
	return 0;
}

ssize_t
spill_read(struct spill *sp, off_t off, char *buf, size_t len)
{
	ssize_t	n;

	while ((n = pread(sp->fd, buf, len, off)) == -1 && errno == EINTR)
		;
	return n;
}

/* Offset of the first line after the header. */
off_t
spill_body(const struct spill *sp)
{
	return strlen(SPILL_MAGIC) + snprintf(NULL, 0, "%" PRId64, sp->id) + 1;
}

void
spill_remove(struct spill *sp)
{
	if (sp->fd != -1)
		close(sp->fd);
	sp->fd = -1;
	if (unlink(sp->path) == -1 && errno != ENOENT)
		log_warn("%s: unlink", sp->path);
	sp->size = sp->start = 0;
	sp->id = 0;
}
