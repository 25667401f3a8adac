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

#ifndef DOMAIN_H
#define DOMAIN_H

/* domain.c: the ids of table domain, remembered */

#define DOMAIN_MAX	4096

struct domain_tab {
	struct db	*db;
	sqlite3_stmt	*stmt[2];
	struct {
		char	*name;
		int64_t	 id;
	}		*slot;		/* 2 * DOMAIN_MAX, open addressing */
	size_t		 n;
};

void	 domain_open(struct domain_tab *, struct db *);
void	 domain_close(struct domain_tab *);
void	 domain_forget(struct domain_tab *);
int64_t	 domain_id(struct domain_tab *, const char *);

#endif /* DOMAIN_H */
