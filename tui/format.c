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
 * format.c: text for the terminal.  Network bytes keep escape_bytes()'s
 * rules (printable ASCII stays, "\" becomes "\\", any other byte
 * "\xHH") except that a valid UTF-8 sequence of a printable character
 * stays whole when the terminal takes UTF-8.  Fields are cut to a width
 * in columns (wcwidth), with a mark.  Times are UTC, as trace prints.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

struct format_unit {
	char	 text[8];
	size_t	 tlen;		/* bytes of text */
	size_t	 slen;		/* bytes of the source it stands for */
	int	 w;		/* columns */
};

#define FORMAT_NOMAIL	LIFE_NSTATUS	/* format_kind(): no status */

static const char format_hex[] = "0123456789abcdef";
static const char *const format_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static size_t	format_utf8(const unsigned char *, size_t, uint32_t *);
static int	format_kind(const struct query_row *);
static void	format_unit(const unsigned char *, size_t, int,
		    struct format_unit *);
static int	format_layout(int, const int *, const int *, int,
		    struct format_col *);

/* The length of the valid UTF-8 sequence at s (code point in *cp), or 0. */
static size_t
format_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t		len, i;
	uint32_t	c, min;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* What the bytes at s (n left) show as: one character or one escape. */
static void
format_unit(const unsigned char *s, size_t n, int flags,
    struct format_unit *u)
{
	uint32_t	cp;
	size_t		len;
	int		w;

	u->slen = 1;
	if (s[0] >= 0x20 && s[0] < 0x7f && s[0] != '\\') {
		u->text[0] = (char)s[0];
		u->tlen = u->w = 1;
		return;
	}
	if (s[0] == '\\') {
		memcpy(u->text, "\\\\", 2);
		u->tlen = u->w = 2;
		return;
	}
	/* Printable only: no C1 controls, no zero-width or bidi marks. */
	if ((flags & FORMAT_UTF8) && (len = format_utf8(s, n, &cp)) > 0 &&
	    (w = wcwidth((wchar_t)cp)) > 0) {
		memcpy(u->text, s, len);
		u->tlen = u->slen = len;
		u->w = w;
		return;
	}
	u->text[0] = '\\';
	u->text[1] = 'x';
	u->text[2] = format_hex[s[0] >> 4];
	u->text[3] = format_hex[s[0] & 0xf];
	u->tlen = u->w = 4;
}

/*
 * len bytes of in made safe, the first skip columns left out, cut to
 * width columns (width < 0: no limit) with a mark ("…", or "~" without
 * UTF-8).  Writes whole characters and escapes only, NUL-terminated,
 * into out (outsz >= 8).  Returns the columns written.
 */
int
format_field(char *out, size_t outsz, const char *in, size_t len, int skip,
    int width, int flags)
{
	const unsigned char	*s = (const unsigned char *)in;
	struct format_unit	 u;
	const char		*mark;
	size_t			 i, o = 0, po = 0;
	int			 col = 0, used = 0, pused = 0, cut = 0;

	mark = flags & FORMAT_UTF8 ? "\xe2\x80\xa6" : "~";
	for (i = 0; i < len; i += u.slen) {
		format_unit(s + i, len - i, flags, &u);
		col += u.w;
		if (col - u.w < skip)
			continue;
		if ((width >= 0 && used + u.w > width) ||
		    o + u.tlen + 4 > outsz) {
			cut = 1;
			break;
		}
		po = o;
		pused = used;
		memcpy(out + o, u.text, u.tlen);
		o += u.tlen;
		used += u.w;
	}
	if (cut && width != 0) {
		if (width > 0 && used + 1 > width) {
			o = po;
			used = pused;
		}
		memcpy(out + o, mark, strlen(mark));
		o += strlen(mark);
		used++;
	}
	out[o] = '\0';
	return used;
}

/* The columns len bytes of in take once made safe. */
int
format_width(const char *in, size_t len, int flags)
{
	struct format_unit	u;
	size_t			i;
	int			w = 0;

	for (i = 0; i < len; i += u.slen) {
		format_unit((const unsigned char *)in + i, len - i, flags, &u);
		w += u.w;
	}
	return w;
}

/* A list time: HH:MM:SS within a day of ref, else "Mon DD". */
void
format_clock(int64_t t, int64_t ref, char *out, size_t sz)
{
	struct tm	tm;
	time_t		s = (time_t)(t / US_PER_SEC);

	if (ref - t < 86400 * US_PER_SEC && t - ref < 86400 * US_PER_SEC) {
		time_to_text(t, TO_CLOCK, out, sz);
		return;
	}
	gmtime_r(&s, &tm);
	snprintf(out, sz, "%s %2d", format_months[tm.tm_mon], tm.tm_mday);
}

/* An address without its port: "a.b.c.d:p" and "[v6]:p" to the host. */
void
format_host(const char *addr, char *out, size_t sz)
{
	const char	*colon, *end;

	if (addr == NULL) {
		snprintf(out, sz, "-");
		return;
	}
	if (addr[0] == '[' && (end = strstr(addr, "]:")) != NULL) {
		snprintf(out, sz, "%.*s", (int)(end - addr - 1), addr + 1);
		return;
	}
	colon = strrchr(addr, ':');
	if (colon != NULL && strchr(addr, ':') == colon &&
	    strncmp(addr, "unix:", 5) != 0 && colon[1] >= '0' &&
	    colon[1] <= '9')
		snprintf(out, sz, "%.*s", (int)(colon - addr), addr);
	else
		snprintf(out, sz, "%s", addr);
}

/*
 * The last width of n values as a sparkline scaled to the largest:
 * blocks with UTF-8, else ASCII; a blank is zero.
 */
void
format_spark(const int *v, int n, int width, char *out, size_t sz, int flags)
{
	static const char *const blocks[8] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char ascii[8] = { '_', '.', '-', '~', '=', '+', '*', '#' };
	size_t	o = 0;
	int	i, max = 0, lvl;

	if (width > n)
		width = n;
	for (i = n - width; i < n; i++)
		if (v[i] > max)
			max = v[i];
	for (i = n - width; i < n && o + 4 < sz; i++) {
		if (v[i] <= 0) {
			out[o++] = ' ';
			continue;
		}
		lvl = (int)(((long long)v[i] * 8 - 1) / max);
		if (flags & FORMAT_UTF8) {
			memcpy(out + o, blocks[lvl], 3);
			o += 3;
		} else
			out[o++] = ascii[lvl];
	}
	out[o] = '\0';
}

/*
 * What a row's marks and words are looked up by: its life's status as
 * the writer keeps it, or FORMAT_NOMAIL for a session without mail.
 */
static int
format_kind(const struct query_row *r)
{
	if (r->kind == QUERY_SESSION)
		return FORMAT_NOMAIL;
	if ((int)r->status < 0 || (int)r->status >= LIFE_NSTATUS)
		return -1;
	return (int)r->status;
}

const char *
format_status(const struct query_row *r)
{
	if (r->kind == QUERY_SESSION)
		return "no mail";
	return status_to_text(r->status);
}

/* How the read model's tone of a line looks here. */
enum format_tone
format_model_tone(enum model_tone tone)
{
	static const enum format_tone tones[MODEL_TONE_MAX] = {
		[MODEL_TONE_PLAIN] = TONE_PLAIN, [MODEL_TONE_GOOD] = TONE_GOOD,
		[MODEL_TONE_WARN] = TONE_WARN, [MODEL_TONE_BAD] = TONE_BAD,
		[MODEL_TONE_INFO] = TONE_INFO, [MODEL_TONE_ODD] = TONE_ODD,
		[MODEL_TONE_DIM] = TONE_DIM, [MODEL_TONE_BOLD] = TONE_BOLD,
	};

	return tone < MODEL_TONE_MAX ? tones[tone] : TONE_PLAIN;
}

/* How a life's status looks: the list's words and the header's counts. */
enum format_tone
format_life_tone(enum life_status status)
{
	static const enum format_tone tones[LIFE_NSTATUS] = {
		[LIFE_QUEUED] = TONE_INFO, [LIFE_DELIVERED] = TONE_GOOD,
		[LIFE_DEFERRED] = TONE_WARN, [LIFE_FAILED] = TONE_BAD,
		[LIFE_REJECTED] = TONE_BAD, [LIFE_ABORTED] = TONE_ODD,
		[LIFE_EXPIRED] = TONE_BAD, [LIFE_REMOVED] = TONE_ODD,
	};

	if ((int)status < 0 || (int)status >= LIFE_NSTATUS)
		return TONE_PLAIN;
	return tones[status];
}

/*
 * How a session's outcome looks (NULL: none yet): mail good, a refusal
 * or a failure bad, a timeout a warning, an abort odd, no mail dim.
 */
enum format_tone
format_outcome_tone(const char *outcome)
{
	if (outcome == NULL)
		return TONE_INFO;
	if (strcmp(outcome, "mail") == 0)
		return TONE_GOOD;
	if (strcmp(outcome, "timeout") == 0)
		return TONE_WARN;
	if (strcmp(outcome, "aborted") == 0)
		return TONE_ODD;
	if (strcmp(outcome, "no-mail") == 0)
		return TONE_DIM;
	return TONE_BAD;
}

enum format_tone
format_status_tone(const struct query_row *r)
{
	if (r->kind == QUERY_SESSION)
		return TONE_DIM;
	return format_life_tone(r->status);
}

/*
 * Two cells: where the peer column looks ("<" the client that sent
 * it, ">" the relay of its attempt), then the status as one glyph.
 */
const char *
format_mark(const struct query_row *r, int flags)
{
	static const char *const utf8[FORMAT_NOMAIL + 1][2] = {
		[LIFE_QUEUED] = { "<\xc2\xb7", ">\xc2\xb7" },
		[LIFE_DELIVERED] = { "<\xe2\x9c\x93", ">\xe2\x9c\x93" },
		[LIFE_DEFERRED] = { "<\xe2\x86\xbb", ">\xe2\x86\xbb" },
		[LIFE_FAILED] = { "<\xe2\x9c\x97", ">\xe2\x9c\x97" },
		[LIFE_REJECTED] = { "<\xe2\x8a\x98", ">\xe2\x8a\x98" },
		[LIFE_ABORTED] = { "<-", ">-" },
		[LIFE_EXPIRED] = { "<\xe2\xa7\x96", ">\xe2\xa7\x96" },
		[LIFE_REMOVED] = { "<\xe2\x8c\xab", ">\xe2\x8c\xab" },
		[FORMAT_NOMAIL] = { "<\xe2\x88\x85", ">\xe2\x88\x85" },
	};
	static const char *const ascii[FORMAT_NOMAIL + 1][2] = {
		[LIFE_QUEUED] = { "<.", ">." },
		[LIFE_DELIVERED] = { "<+", ">+" },
		[LIFE_DEFERRED] = { "<~", ">~" },
		[LIFE_FAILED] = { "<x", ">x" },
		[LIFE_REJECTED] = { "<!", ">!" },
		[LIFE_ABORTED] = { "<-", ">-" },
		[LIFE_EXPIRED] = { "<%", ">%" },
		[LIFE_REMOVED] = { "</", ">/" },
		[FORMAT_NOMAIL] = { "<0", ">0" },
	};
	int	k = format_kind(r), out = r->relay != NULL;

	if (k < 0)
		return "  ";
	return flags & FORMAT_UTF8 ? utf8[k][out] : ascii[k][out];
}

/*
 * n columns across width: fixed[i] columns each, or a share weight[i]
 * of what is left; one blank between.  -1 if they do not fit.
 */
static int
format_layout(int width, const int *fixed, const int *weight, int n,
    struct format_col *c)
{
	int	i, x = 0, left = width - (n - 1), total = 0, shared, flex;

	for (i = 0; i < n; i++) {
		left -= fixed[i];
		total += weight[i];
	}
	if (left < 0)
		return -1;
	shared = left;
	for (i = 0; i < n; i++) {
		flex = total > 0 && weight[i] > 0 ? shared * weight[i] / total :
		    0;
		c[i].x = x;
		c[i].w = fixed[i] + flex;
		left -= flex;
		x += c[i].w + 1;
	}
	/* What rounding left over goes to the last flexible column. */
	for (i = n - 1; i >= 0 && left > 0; i--)
		if (weight[i] > 0) {
			c[i].w += left;
			for (i = i + 1; i < n; i++)
				c[i].x += left;
			break;
		}
	return 0;
}

void
format_lives_layout(int width, struct format_col *c)
{
	static const int fixed[LCOL_MAX] = { 8, 2, 0, 0, 0, 9, 7 };
	static const int weight[LCOL_MAX] = { 0, 0, 35, 35, 30, 0, 0 };

	if (format_layout(width, fixed, weight, LCOL_MAX, c) == -1)
		memset(c, 0, sizeof(*c) * LCOL_MAX);
}

/* The reason an outcome came to has a column when there is room. */
void
format_sess_layout(int width, struct format_col *c)
{
	static const int fixed[SCOL_MAX] = { 8, 3, 0, 0, 0, 3, 3, 15, 7, 0 };
	static const int narrow[SCOL_MAX] = { 0, 0, 40, 30, 30, 0, 0, 0, 0 };
	static const int wide[SCOL_MAX] = { 0, 0, 25, 20, 20, 0, 0, 0, 0, 35 };
	int		 wider = width >= FORMAT_SESS_WIDE;

	if (format_layout(width, fixed, wider ? wide : narrow, wider ?
	    SCOL_MAX : SCOL_REASON, c) == -1)
		memset(c, 0, sizeof(*c) * SCOL_MAX);
	if (!wider) {
		c[SCOL_REASON].x = width;
		c[SCOL_REASON].w = 0;
	}
}

/* The latest reply has a column when there is room. */
void
format_dest_layout(int width, struct format_col *c)
{
	static const int fixed[DCOL_MAX] = { 0, 6, 6, 6, 5, 7, 7, 12, 0 };
	static const int narrow[DCOL_MAX] = { 100, 0, 0, 0, 0, 0, 0, 0 };
	static const int wide[DCOL_MAX] = { 35, 0, 0, 0, 0, 0, 0, 0, 65 };
	int		 wider = width >= FORMAT_DEST_WIDE;

	if (format_layout(width, fixed, wider ? wide : narrow, wider ?
	    DCOL_MAX : DCOL_REPLY, c) == -1)
		memset(c, 0, sizeof(*c) * DCOL_MAX);
	if (!wider) {
		c[DCOL_REPLY].x = width;
		c[DCOL_REPLY].w = 0;
	}
}
