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
 * format_row.c: list rows as cells fitted to their columns, and a
 * session's events as dialogue lines with the tone of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

static void	format_row_cell(struct format_cells *, int,
		    const struct format_col *, const char *, enum format_tone,
		    int);
static void	format_row_delay(const struct query_row *, int64_t, char *,
		    size_t);
static void	format_row_count(struct format_cells *, int,
		    const struct format_col *, int64_t, enum format_tone, int);
static void	format_row_dur(struct format_cells *, int,
		    const struct format_col *, int64_t, int);

static void
format_row_cell(struct format_cells *c, int i, const struct format_col *col,
    const char *text, enum format_tone tone, int flags)
{
	format_field(c->text[i], sizeof(c->text[i]), text, strlen(text), 0,
	    col[i].w, flags);
	c->tone[i] = tone;
}

/* Settled: how long it took; waiting: its age; refused: none. */
static void
format_row_delay(const struct query_row *r, int64_t ref, char *out, size_t sz)
{
	if (r->kind == QUERY_REJECTED)
		snprintf(out, sz, "-");
	else if (r->t_end != 0)
		duration_to_text(r->t_end - r->t_start, out, sz);
	else
		duration_to_text(ref - r->t_start, out, sz);
}

void
format_row_life(const struct query_row *r, int64_t ref, int flags,
    const struct format_col *col, struct format_cells *c)
{
	char			 buf[FORMAT_CELL];
	enum format_tone	 tone = format_status_tone(r);

	format_clock(r->t, ref, buf, sizeof(buf));
	format_row_cell(c, LCOL_TIME, col, buf, TONE_PLAIN, flags);
	format_row_cell(c, LCOL_MARK, col, format_mark(r, flags), tone, flags);
	if (r->kind == QUERY_SESSION) {
		snprintf(buf, sizeof(buf), "helo %s", r->helo ? r->helo : "-");
		format_row_cell(c, LCOL_FROM, col, buf, TONE_DIM, flags);
		format_row_cell(c, LCOL_TO, col, "-", TONE_DIM, flags);
	} else {
		format_row_cell(c, LCOL_FROM, col, r->from == NULL ? "?" :
		    *r->from == '\0' ? "<>" : r->from, TONE_PLAIN, flags);
		format_row_cell(c, LCOL_TO, col, r->to ? r->to : "?",
		    TONE_PLAIN, flags);
	}
	format_host(r->relay != NULL ? r->relay : r->client, buf, sizeof(buf));
	format_row_cell(c, LCOL_PEER, col, buf, TONE_PLAIN, flags);
	format_row_cell(c, LCOL_STATUS, col, format_status(r), tone,
	    flags);
	format_row_delay(r, ref, buf, sizeof(buf));
	format_row_cell(c, LCOL_DELAY, col, buf, TONE_PLAIN, flags);
}

void
format_row_sess(const struct query_sess *s, int64_t ref, int flags,
    const struct format_col *col, struct format_cells *c)
{
	char			 buf[FORMAT_CELL];

	format_clock(s->t_start, ref, buf, sizeof(buf));
	format_row_cell(c, SCOL_TIME, col, buf, TONE_PLAIN, flags);
	format_row_cell(c, SCOL_DIR, col, s->dir ? "out" : "in", TONE_PLAIN,
	    flags);
	format_host(s->dir ? s->dest : s->src, buf, sizeof(buf));
	format_row_cell(c, SCOL_PEER, col, buf, TONE_PLAIN, flags);
	format_row_cell(c, SCOL_RDNS, col, s->rdns ? s->rdns : "-", TONE_PLAIN,
	    flags);
	format_row_cell(c, SCOL_HELO, col, s->helo ? s->helo : "-", TONE_PLAIN,
	    flags);
	format_row_cell(c, SCOL_TLS, col, s->tls ? "tls" : "-", TONE_PLAIN,
	    flags);
	snprintf(buf, sizeof(buf), "%d", s->ntx);
	format_row_cell(c, SCOL_TX, col, buf, TONE_PLAIN, flags);
	format_row_cell(c, SCOL_OUTCOME, col, s->outcome != NULL ? s->outcome :
	    s->t_end == 0 ? "open" : "-", format_outcome_tone(s->outcome),
	    flags);
	duration_to_text((s->t_end ? s->t_end : ref) - s->t_start, buf,
	    sizeof(buf));
	format_row_cell(c, SCOL_DUR, col, buf, TONE_PLAIN, flags);
	/* Network bytes: format_field() escapes them. */
	format_row_cell(c, SCOL_REASON, col, s->reason != NULL ? s->reason :
	    "", TONE_DIM, flags);
}

/* A number, right-aligned; 0 plain, else in tone. */
static void
format_row_count(struct format_cells *c, int i, const struct format_col *col,
    int64_t n, enum format_tone tone, int flags)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%*lld", col[i].w, (long long)n);
	format_row_cell(c, i, col, buf, n ? tone : TONE_PLAIN, flags);
}

/* A duration, right-aligned; "-" for none (us < 0). */
static void
format_row_dur(struct format_cells *c, int i, const struct format_col *col,
    int64_t us, int flags)
{
	char	d[32], buf[48];

	if (us < 0)
		strlcpy(d, "-", sizeof(d));
	else
		duration_to_text(us, d, sizeof(d));
	snprintf(buf, sizeof(buf), "%*s", col[i].w, d);
	format_row_cell(c, i, col, buf, TONE_PLAIN, flags);
}

/*
 * A destination (schema/dest.h): its envelopes delivered, its tries
 * deferred and failed, the share of envelopes delivered at the first
 * attempt, the time to delivery, the class of most deferrals and
 * failures and the latest one's reply (network bytes: escaped).
 */
void
format_row_dest(const struct dest_row *r, int flags,
    const struct format_col *col, struct format_cells *c)
{
	const struct dest_class	*top = r->nclasses ? &r->classes[0] : NULL;
	char			 buf[FORMAT_CELL];

	/* A next hop's name, unless its address says it already. */
	if (r->name != NULL && strncmp(r->key, r->name, strlen(r->name)) != 0)
		snprintf(buf, sizeof(buf), "%s (%s)", r->key, r->name);
	else
		strlcpy(buf, *r->key ? r->key : "-", sizeof(buf));
	format_row_cell(c, DCOL_NAME, col, buf, TONE_PLAIN, flags);
	format_row_count(c, DCOL_DELIV, col, r->delivered, TONE_GOOD, flags);
	format_row_count(c, DCOL_DEFER, col, r->deferrals, TONE_WARN, flags);
	format_row_count(c, DCOL_FAIL, col, r->failures, TONE_BAD, flags);
	if (r->envelopes > 0)
		snprintf(buf, sizeof(buf), "%*.0f%%", col[DCOL_FIRST].w - 1,
		    dest_first_share(r));
	else
		snprintf(buf, sizeof(buf), "%*s", col[DCOL_FIRST].w, "-");
	format_row_cell(c, DCOL_FIRST, col, buf, TONE_PLAIN, flags);
	format_row_dur(c, DCOL_P50, col, r->p50, flags);
	format_row_dur(c, DCOL_P95, col, r->p95, flags);
	format_row_cell(c, DCOL_CLASS, col, top ? top->name : "-", top ==
	    NULL ? TONE_DIM : top->failures ? TONE_BAD : TONE_WARN, flags);
	format_row_cell(c, DCOL_REPLY, col, r->fail_reply ? r->fail_reply :
	    r->fail_class ? "no reply" : "", TONE_DIM, flags);
}

/*
 * One event as a dialogue line, raw bytes (escaped when drawn): the
 * time since t0, then "> " a client line, "< " a server line, "! " a
 * filter's word, "= " what smtpd reported.  Returns its tone.
 */
enum format_tone
format_row_event(const struct query_event *e, int64_t t0, struct buf *out)
{
	char		 head[96];
	const char	*name;
	int		 n, pad;

	offset_to_text(e->t - t0, head, sizeof(head));
	n = (int)strlen(head);
	pad = n < 11 ? 11 - n : 1;
	name = e->event == EVT_NONE ? "line" : proto_event_name(e->event);
	if (e->event == EVT_PROTOCOL_CLIENT || e->event == EVT_PROTOCOL_SERVER)
		snprintf(head + n, sizeof(head) - n, "%*s%c ", pad, "",
		    e->event == EVT_PROTOCOL_CLIENT ? '>' : '<');
	else if (e->event == EVT_FILTER_REPORT ||
	    e->event == EVT_FILTER_RESPONSE)
		snprintf(head + n, sizeof(head) - n, "%*s! %s ", pad, "",
		    name);
	else if (e->event == EVT_LINK_AUTH)
		snprintf(head + n, sizeof(head) - n, "%*s= ", pad, "");
	else if (e->has_msgid)
		snprintf(head + n, sizeof(head) - n, "%*s= %s %08x%s", pad, "",
		    name, e->msgid, e->len ? " " : "");
	else
		snprintf(head + n, sizeof(head) - n, "%*s= %s%s", pad, "",
		    name, e->len ? " " : "");
	buf_set(out, head, strlen(head));
	if (e->event != EVT_LINK_AUTH ||
	    model_step_auth_text(e->minor, e->text, e->len, out) == -1)
		buf_append(out, e->text, e->len);
	return format_model_tone(model_step_event_tone(e->event, e->text));
}
