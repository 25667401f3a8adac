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
 * report_fmt.c: how report values look: for people (escaped text,
 * human sizes, UTC times, durations like trace's) and in JSON (numbers,
 * ISO 8601 times, durations in seconds, ids as hex strings); and the
 * nearest-rank percentile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static void	report_fmt_bytes(int64_t, char *, size_t);

/* Column i of the current row. */
void
report_fmt_val(struct report_val *v, sqlite3_stmt *s, int i)
{
	memset(v, 0, sizeof(*v));
	if (sqlite3_column_type(s, i) == SQLITE_NULL) {
		v->null = 1;
		return;
	}
	v->i = sqlite3_column_int64(s, i);
	v->r = sqlite3_column_double(s, i);
	v->s = (const char *)sqlite3_column_text(s, i);
	v->len = sqlite3_column_bytes(s, i);
}

/* 532, 12.3K, 4.5M, 1.2G (powers of 1024). */
static void
report_fmt_bytes(int64_t n, char *out, size_t sz)
{
	static const char units[] = "KMGTP";
	double		 d = n;
	int		 u = -1;

	if (n < 1024) {
		snprintf(out, sz, "%lld", (long long)n);
		return;
	}
	while (d >= 1024 && u < (int)sizeof(units) - 2) {
		d /= 1024;
		u++;
	}
	snprintf(out, sz, d < 10 ? "%.1f%c" : "%.0f%c", d, units[u]);
}

/*
 * A UTC time: "2026-11-23 20:07:53"; with bucket an hour
 * "2026-11-23 20:00", a day "2026-11-23".
 */
void
report_fmt_stamp(int64_t us, int bucket, char *out, size_t sz)
{
	time_to_text(us, bucket == 2 ? TO_DAY : bucket == 1 ? TO_MINUTE :
	    TO_DATETIME, out, sz);
}

/* v as text for a table; out (sz bytes) or ctx->tmp hold it. */
const char *
report_fmt_text(struct report_ctx *ctx, enum report_type t,
    const struct report_val *v, char *out, size_t sz)
{
	if (v->null)
		return "-";
	switch (t) {
	case RT_ADDR:
		if (v->len == 0)
			return "<>";
		/* FALLTHROUGH */
	case RT_TEXT:
		return buf_escape(&ctx->tmp, v->s, v->len);
	case RT_INT:
		snprintf(out, sz, "%lld", (long long)v->i);
		break;
	case RT_BYTES:
		report_fmt_bytes(v->i, out, sz);
		break;
	case RT_PCT:
		snprintf(out, sz, "%.1f%%", v->r);
		break;
	case RT_TIME:
	case RT_BUCKET:
		report_fmt_stamp(v->i, t == RT_TIME ? 0 :
		    ctx->bucket >= REPORT_DAY ? 2 : 1, out, sz);
		break;
	case RT_DUR:
		duration_to_text(v->i, out, sz);
		break;
	case RT_HEX16:
		snprintf(out, sz, "%016llx", (unsigned long long)v->i);
		break;
	}
	return out;
}

/* v as a cJSON value. */
void *
report_fmt_json(struct report_ctx *ctx, enum report_type t,
    const struct report_val *v)
{
	char	buf[64];

	if (v->null)
		return cJSON_CreateNull();
	switch (t) {
	case RT_TEXT:
	case RT_ADDR:
		return cJSON_CreateString(json_utf8(v->s, v->len, &ctx->tmp));
	case RT_INT:
	case RT_BYTES:
		return cJSON_CreateNumber((double)v->i);
	case RT_PCT:
		return cJSON_CreateNumber(v->r);
	case RT_TIME:
	case RT_BUCKET:
		time_to_text(v->i, TO_ISO_US, buf, sizeof(buf));
		return cJSON_CreateString(buf);
	case RT_DUR:
		return cJSON_CreateNumber((double)v->i / US_PER_SEC);
	case RT_HEX16:
		snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)v->i);
		return cJSON_CreateString(buf);
	}
	return cJSON_CreateNull();
}

