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
 * report_dest.c: report destinations: the health of each recipient
 * domain and each next hop (schema/dest.h has the figures and the order
 * of trouble) over every database given, and with --compare the same
 * figures of the window before, what got worse marked.  Its sections
 * are of kind RK_DEST: report.c runs them here, not as SQL.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "schema/dest.h"
#include "export.h"
#include "report_dest.h"

#define REPORT_DEST_OFF(f)	offsetof(struct dest_row, f)

#define REPORT_DEST_INT(key, head, table, worse, f) \
	{ key, head, table, RT_INT, worse, REPORT_DEST_OFF(f), NULL, 0 }

/* Every figure of a row, in the order shown. */
const struct report_dest_fig report_dest_figs[] = {
	REPORT_DEST_INT("envelopes", "envel", 1, 0, envelopes),
	REPORT_DEST_INT("delivered", "deliv", 1, 0, delivered),
	REPORT_DEST_INT("deferred", "defer", 1, 1, deferred),
	REPORT_DEST_INT("failed", "failed", 1, 1, failed),
	REPORT_DEST_INT("expired", "expired", 0, 1, expired),
	REPORT_DEST_INT("removed", "removed", 0, 0, removed),
	REPORT_DEST_INT("queued", "queued", 1, 0, queued),
	{ "first_attempt", "first", 1, RT_PCT, -1, 0, dest_first_share,
	    REPORT_DEST_OFF(envelopes) },
	{ "p50", "p50", 1, RT_DUR, 1, REPORT_DEST_OFF(p50), NULL, 0 },
	{ "p95", "p95", 1, RT_DUR, 1, REPORT_DEST_OFF(p95), NULL, 0 },
	REPORT_DEST_INT("tries", "tries", 2, 0, tries),
	REPORT_DEST_INT("deferrals", "defer", 2, 1, deferrals),
	REPORT_DEST_INT("failures", "fail", 2, 1, failures),
	{ "deferral_share", NULL, 0, RT_PCT, 1, 0, dest_deferral_share,
	    REPORT_DEST_OFF(tries) },
	{ "trouble", "trouble", 2, RT_PCT, 1, 0, dest_trouble,
	    REPORT_DEST_OFF(tries) },
	REPORT_DEST_INT("sessions", "sess", 2, 0, sessions),
	{ "tls", "tls", 2, RT_PCT, -1, 0, dest_tls_share,
	    REPORT_DEST_OFF(sessions) },
	{ "last_success", NULL, 0, RT_TIME, 0, REPORT_DEST_OFF(t_ok), NULL,
	    0 },
	{ "last_failure", NULL, 0, RT_TIME, 0, REPORT_DEST_OFF(t_fail), NULL,
	    0 },
	{ NULL, NULL, 0, RT_INT, 0, 0, NULL, 0 }
};

/*
 * The report's sections: report_dest_section() runs the first, which
 * reads both groupings in one pass and shows the others.
 */
const struct report_section report_dest_sections[] = {
	{ "domains", "Destinations by recipient domain, most trouble first",
	    RK_DEST, 0, NULL, { { NULL, RT_INT, 0 } }, NULL, NULL, 0 },
	{ "hops", "Destinations by next hop, most trouble first", RK_DEST, 0,
	    NULL, { { NULL, RT_INT, 0 } }, NULL, NULL, 0 },
	REPORT_TAB_END
};

static int64_t	report_dest_int(const struct dest_row *, size_t);
static int	report_dest_load(struct report_ctx *, int64_t, int64_t,
		    struct dest_set *);

static int64_t
report_dest_int(const struct dest_row *r, size_t off)
{
	int64_t	v;

	memcpy(&v, (const char *)r + off, sizeof(v));
	return v;
}

/* Figure f of row r (NULL: a destination absent then) as a value. */
void
report_dest_val(const struct report_dest_fig *f, const struct dest_row *r,
    struct report_val *v)
{
	memset(v, 0, sizeof(*v));
	if (r == NULL) {
		v->null = 1;
		return;
	}
	if (f->share != NULL) {
		v->r = f->share(r);
		v->null = report_dest_int(r, f->of) == 0;
		return;
	}
	v->i = report_dest_int(r, f->off);
	v->r = (double)v->i;
	v->null = (f->type == RT_DUR && v->i < 0) ||
	    (f->type == RT_TIME && v->i == 0);
}

/* Whether figure f of r is worse than of p; 0 when either is unknown. */
int
report_dest_worse(const struct report_dest_fig *f, const struct dest_row *r,
    const struct dest_row *p)
{
	struct report_val	a, b;

	if (f->worse == 0 || p == NULL)
		return 0;
	report_dest_val(f, r, &a);
	report_dest_val(f, p, &b);
	if (a.null || b.null)
		return 0;
	return f->worse > 0 ? a.r > b.r : a.r < b.r;
}

/* Every database's figures for [since, until]: by domain, by next hop. */
static int
report_dest_load(struct report_ctx *ctx, int64_t since, int64_t until,
    struct dest_set *set)
{
	struct host	*h;
	size_t		 i;

	dest_init(&set[DEST_DOMAIN], DEST_DOMAIN);
	dest_init(&set[DEST_HOP], DEST_HOP);
	for (i = 0; i < ctx->hs->n; i++) {
		h = &ctx->hs->h[i];
		if (dest_add_both(h->db.h, since, until, &set[DEST_DOMAIN],
		    &set[DEST_HOP]) == -1) {
			log_error("%s: report destinations: %s", h->path,
			    sqlite3_errmsg(h->db.h));
			dest_free(&set[DEST_DOMAIN]);
			dest_free(&set[DEST_HOP]);
			return -1;
		}
	}
	dest_sort(&set[DEST_DOMAIN]);
	dest_sort(&set[DEST_HOP]);
	return 0;
}

/*
 * The sections: the rows of the window, and with --compare those of the
 * window of the same length just before it.  The first section shows
 * them all.
 */
int
report_dest_section(struct report_ctx *ctx, const struct report_section *sec,
    FILE *fp)
{
	struct dest_set	 cur[2], prev[2];
	int64_t		 until, len;
	int		 k;

	if (sec != report_dest_sections)
		return 0;
	until = ctx->has_until ? ctx->until : ctx->now;
	if (report_dest_load(ctx, ctx->since, until, cur) == -1)
		return -1;
	dest_init(&prev[DEST_DOMAIN], DEST_DOMAIN);
	dest_init(&prev[DEST_HOP], DEST_HOP);
	len = until - ctx->since + 1;
	if (ctx->compare && report_dest_load(ctx, ctx->since - len,
	    ctx->since - 1, prev) == -1) {
		dest_free(&cur[DEST_DOMAIN]);
		dest_free(&cur[DEST_HOP]);
		return -1;
	}
	for (k = 0; k < 2; k++) {
		if (ctx->json)
			report_dest_json(ctx, &sec[k], &cur[k], &prev[k]);
		else
			report_dest_text(ctx, &sec[k], &cur[k], &prev[k], fp);
		dest_free(&cur[k]);
		dest_free(&prev[k]);
	}
	return 0;
}
