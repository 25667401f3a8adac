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
 * fuzz_proto.c: libFuzzer target for the report line parser and
 * escape_bytes().  The input is split at '\n' and each line is parsed
 * from a buffer of exactly its size, so ASan sees any read past it;
 * what a parse returns is checked against the line, abort() on error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"

#define FUZZ_PROTO_ESCAPE	48
#define FUZZ_PROTO_CHECK(c)	do {					\
	if (!(c))							\
		abort();						\
} while (0)

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
static char	*fuzz_proto_copy(const char *, size_t);
static void	 fuzz_proto_line(const char *, size_t);
static void	 fuzz_proto_inside(const struct report *, const char *,
		    size_t);
static void	 fuzz_proto_tiles(const struct report *);
static void	 fuzz_proto_values(const struct report *);
static void	 fuzz_proto_same(const struct report *,
		    const struct report *);
static void	 fuzz_proto_header(const struct report *);
static void	 fuzz_proto_rebuild(const struct report *);
static void	 fuzz_proto_secret(const char *, size_t);
static void	 fuzz_proto_escape(const char *, size_t, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*buf;
	const char	*p, *end, *nl;

	if (size == 0) {
		fuzz_proto_line("", 0);
		return 0;
	}
	buf = fuzz_proto_copy((const char *)data, size);
	p = buf;
	end = buf + size;
	for (;;) {
		nl = memchr(p, '\n', end - p);
		fuzz_proto_line(p, (nl != NULL ? nl : end) - p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(buf);
	return 0;
}

/* A copy in a buffer of exactly len bytes (no NUL after it). */
static char *
fuzz_proto_copy(const char *src, size_t len)
{
	char	*p;

	if ((p = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	memcpy(p, src, len);
	return p;
}

static void
fuzz_proto_line(const char *src, size_t srclen)
{
	struct report	 r;
	char		*line = fuzz_proto_copy(src, srclen);
	int		 rv;

	rv = proto_parse(&r, line, srclen);
	FUZZ_PROTO_CHECK(rv >= PROTO_OK && rv <= PROTO_ENUL);
	FUZZ_PROTO_CHECK(proto_strerror(rv) != NULL);
	FUZZ_PROTO_CHECK((rv == PROTO_ENUL) ==
	    (memchr(line, '\0', srclen) != NULL));
	fuzz_proto_inside(&r, line, srclen);
	if (rv == PROTO_OK) {
		fuzz_proto_tiles(&r);
		fuzz_proto_values(&r);
		fuzz_proto_header(&r);
		fuzz_proto_rebuild(&r);
	}
	fuzz_proto_secret(line, srclen);
	fuzz_proto_escape(line, srclen, 1);
	fuzz_proto_escape(line, srclen, 7);
	fuzz_proto_escape(line, srclen, FUZZ_PROTO_ESCAPE);
	free(line);
}

/* Whatever was parsed, even on error, points inside the line. */
static void
fuzz_proto_inside(const struct report *r, const char *line, size_t len)
{
	const char	*end = line + len;
	int		 k;

	FUZZ_PROTO_CHECK(r->line == line && r->len == len);
	for (k = 0; k < F_MAX; k++) {
		if (r->f[k].p == NULL)
			continue;
		FUZZ_PROTO_CHECK(r->f[k].p >= line && r->f[k].p <= end);
		FUZZ_PROTO_CHECK(r->f[k].len <= (size_t)(end - r->f[k].p));
	}
	if (r->params == NULL) {
		FUZZ_PROTO_CHECK(r->paramslen == 0);
		return;
	}
	FUZZ_PROTO_CHECK(r->params > line && r->params <= end);
	FUZZ_PROTO_CHECK(r->paramslen == (size_t)(end - r->params));
	FUZZ_PROTO_CHECK(r->params[-1] == '|');
}

/*
 * After a successful parse the fields tile the parameters: in line
 * order, one '|' between two, the first at the start, the last at the
 * end.  (Events without parameters have no fields.)
 */
static void
fuzz_proto_tiles(const struct report *r)
{
	const char	*at, *end;
	int		 k, next, nf = 0, seen = 0;

	for (k = 0; k < F_MAX; k++)
		nf += r->f[k].p != NULL;
	if (r->params == NULL) {
		FUZZ_PROTO_CHECK(nf == 0);
		return;
	}
	end = r->params + r->paramslen;
	for (at = r->params;; at += r->f[next].len + 1) {
		for (next = -1, k = 0; k < F_MAX; k++)
			if (r->f[k].p == at)
				next = next == -1 ? k : F_MAX;
		FUZZ_PROTO_CHECK(next >= 0 && next < F_MAX);
		seen++;
		if (at + r->f[next].len == end)
			break;
		FUZZ_PROTO_CHECK(at[r->f[next].len] == '|');
	}
	FUZZ_PROTO_CHECK(seen == nf);
}

static void
fuzz_proto_values(const struct report *r)
{
	const struct proto_str *f = r->f;
	uint64_t	 v;

	FUZZ_PROTO_CHECK(r->minor >= 4 && r->minor <= 7);
	FUZZ_PROTO_CHECK(r->dir == DIR_IN || r->dir == DIR_OUT);
	FUZZ_PROTO_CHECK(r->event > EVT_NONE && r->event < EVT_MAX);
	FUZZ_PROTO_CHECK(proto_event_lookup(proto_event_name(r->event),
	    strlen(proto_event_name(r->event))) == r->event);
	FUZZ_PROTO_CHECK(r->time >= 0);
	FUZZ_PROTO_CHECK((f[F_RESULT].p != NULL) == (r->result != RES_NONE));
	FUZZ_PROTO_CHECK(r->result == RES_NONE ||
	    proto_result_name(r->result) != NULL);
	FUZZ_PROTO_CHECK((f[F_SIZE].p != NULL) == (r->size >= 0));
	FUZZ_PROTO_CHECK(r->size >= -1);
	if (f[F_MSGID].p != NULL)
		FUZZ_PROTO_CHECK(f[F_MSGID].len == 8 &&
		    text_to_id(f[F_MSGID].p, 8, &v) == 0 && v == r->msgid);
	else
		FUZZ_PROTO_CHECK(r->msgid == 0);
	if (f[F_EVPID].p != NULL)
		FUZZ_PROTO_CHECK(f[F_EVPID].len == 16 &&
		    text_to_id(f[F_EVPID].p, 16, &v) == 0 && v == r->evpid);
	else
		FUZZ_PROTO_CHECK(r->evpid == 0);
}

/* Two parses agree on the header. */
static void
fuzz_proto_same(const struct report *a, const struct report *b)
{
	FUZZ_PROTO_CHECK(a->minor == b->minor && a->dir == b->dir);
	FUZZ_PROTO_CHECK(a->event == b->event && a->session == b->session);
	FUZZ_PROTO_CHECK(a->time == b->time);
}

/*
 * The formatted header reparses to the same header, and the line is
 * canonical exactly when it starts with that header.
 */
static void
fuzz_proto_header(const struct report *r)
{
	char		 buf[PROTO_HEADER_MAX], *copy;
	struct report	 r2;
	size_t		 n;
	int		 m, canon;

	m = proto_header_format(r, buf, sizeof(buf));
	FUZZ_PROTO_CHECK(m > 0 && m < PROTO_HEADER_MAX && buf[m] == '\0');
	n = m;
	copy = fuzz_proto_copy(buf, n);
	FUZZ_PROTO_CHECK(proto_parse(&r2, copy, n) ==
	    (r->params == NULL ? PROTO_OK : PROTO_EFIELDS));
	fuzz_proto_same(r, &r2);
	free(copy);
	canon = n <= r->len && memcmp(buf, r->line, n) == 0 &&
	    (r->params == NULL ? n == r->len : r->params == r->line + n + 1);
	FUZZ_PROTO_CHECK(proto_canonical(r) == canon);
}

/*
 * The formatted header and the parameters make a line that parses the
 * same, field for field, is canonical, and is the line itself if that
 * was canonical.
 */
static void
fuzz_proto_rebuild(const struct report *r)
{
	char		 hdr[PROTO_HEADER_MAX], *line;
	struct report	 r2;
	size_t		 n, len;
	int		 k;

	n = proto_header_format(r, hdr, sizeof(hdr));
	len = n + (r->params != NULL ? 1 + r->paramslen : 0);
	if ((line = malloc(len)) == NULL)
		abort();
	memcpy(line, hdr, n);
	if (r->params != NULL) {
		line[n] = '|';
		memcpy(line + n + 1, r->params, r->paramslen);
	}
	FUZZ_PROTO_CHECK(proto_parse(&r2, line, len) == PROTO_OK);
	FUZZ_PROTO_CHECK(proto_canonical(&r2));
	fuzz_proto_same(r, &r2);
	FUZZ_PROTO_CHECK(r2.msgid == r->msgid && r2.evpid == r->evpid &&
	    r2.size == r->size && r2.result == r->result);
	for (k = 0; k < F_MAX; k++) {
		FUZZ_PROTO_CHECK((r->f[k].p == NULL) == (r2.f[k].p == NULL));
		if (r->f[k].p != NULL)
			FUZZ_PROTO_CHECK(r->f[k].len == r2.f[k].len &&
			    r->f[k].p - r->params == r2.f[k].p - r2.params);
	}
	if (proto_canonical(r))
		FUZZ_PROTO_CHECK(len == r->len &&
		    memcmp(line, r->line, len) == 0);
	free(line);
}

/* Any bytes may be a protocol-client text. */
static void
fuzz_proto_secret(const char *p, size_t len)
{
	size_t	off;
	int	authing;

	for (authing = 0; authing <= 1; authing++) {
		off = (size_t)-1;
		if (proto_secret(p, len, authing, &off))
			FUZZ_PROTO_CHECK(off <= len);
	}
}

/* Output printable, NUL-terminated, within dstsz; whole escapes only. */
static void
fuzz_proto_escape(const char *p, size_t len, size_t dstsz)
{
	char		 out[FUZZ_PROTO_ESCAPE + 1];
	size_t		 n, o, w;
	unsigned char	 c;

	out[dstsz] = 'Z';
	n = escape_bytes(out, dstsz, p, len);
	FUZZ_PROTO_CHECK(n <= len && out[dstsz] == 'Z');
	FUZZ_PROTO_CHECK(memchr(out, '\0', dstsz) != NULL);
	o = strlen(out);
	for (w = 0; w < o; w++)
		FUZZ_PROTO_CHECK(out[w] >= 0x20 && out[w] < 0x7f);
	if (n < len) {
		c = (unsigned char)p[n];
		w = c == '\\' ? 2 : c >= 0x20 && c < 0x7f ? 1 : 4;
		FUZZ_PROTO_CHECK(o + w >= dstsz);
	}
	FUZZ_PROTO_CHECK(escape_bytes(out, 0, p, len) == 0);
}
