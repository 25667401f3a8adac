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
 * report_dest.h: the inside of report destinations: report_dest.c (the
 * figures, the sets), report_dest_text.c and report_dest_json.c (what
 * prints them).
 */
#ifndef REPORT_DEST_H
#define REPORT_DEST_H

/* A figure of a destination's row. */
struct report_dest_fig {
	const char	*key;		/* JSON */
	const char	*head;		/* text heading */
	int		 table;		/* text: 1 envelopes, 2 tries; 0 none */
	enum report_type type;
	int		 worse;		/* 1: more is worse; -1: less; 0 */
	size_t		 off;		/* its int64_t in struct dest_row */
	double		(*share)(const struct dest_row *);	/* or this */
	size_t		 of;		/* share: unknown when this is 0 */
};

/* report_dest.c */
extern const struct report_dest_fig report_dest_figs[];

void	report_dest_val(const struct report_dest_fig *,
	    const struct dest_row *, struct report_val *);
int	report_dest_worse(const struct report_dest_fig *,
	    const struct dest_row *, const struct dest_row *);

/* report_dest_text.c */
void	report_dest_text(struct report_ctx *, const struct report_section *,
	    const struct dest_set *, const struct dest_set *, FILE *);

/* report_dest_json.c */
void	report_dest_json(struct report_ctx *, const struct report_section *,
	    const struct dest_set *, const struct dest_set *);

#endif
