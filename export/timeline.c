/*
 * timeline.c: a life as text for people: its status and the reply that
 * decided it first, then one line per step (received, queued, each
 * attempt, outcome) with the SMTP dialogue indented under its session.
 * Network bytes are escaped; colour only when asked for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

const char *const timeline_status_color[MODEL_NSTATUS] = {
	[MODEL_QUEUED] = TL_CYAN,
	[MODEL_DELIVERED] = TL_GREEN,
	[MODEL_DEFERRED] = TL_YELLOW,
	[MODEL_FAILED] = TL_RED,
	[MODEL_REJECTED] = TL_RED,
	[MODEL_ABORTED] = TL_MAGENTA,
	[MODEL_EXPIRED] = TL_RED,
	[MODEL_REMOVED] = TL_MAGENTA,
};

static void	timeline_connect(char *, size_t, const char *);
static void	timeline_fields(char *, size_t, const char *, const char *,
		    const char *);
static const char *timeline_reply_color(const char *);
static void	timeline_header(struct timeline *);
static void	timeline_dialogue(struct timeline *, uint64_t, int, int64_t,
		    int64_t);
static int64_t	timeline_mail_from(const struct timeline *, uint64_t, int64_t);
static size_t	timeline_event(struct timeline *, size_t);
static const char *timeline_event_text(struct timeline *,
		    const struct model_event *, char *, size_t, const char **);
static void	timeline_received(struct timeline *);
static void	timeline_attempt_line(const struct model_attempt *, size_t,
		    char *, size_t);
static void	timeline_attempts(struct timeline *);

const char *
timeline_esc(struct timeline *tl, const char *s, size_t len)
{
	size_t	sz = len * 4 + 1;

	if (s == NULL)
		return "-";
	if (tl->esc.cap < sz) {
		tl->esc.p = xreallocarray(tl->esc.p, sz, 1);
		tl->esc.cap = sz;
	}
	escape_bytes(tl->esc.p, sz, s, len);
	return tl->esc.p;
}

const char *
timeline_c(const struct timeline *tl, const char *code)
{
	return tl->color ? code : "";
}

static const char *
timeline_reply_color(const char *reply)
{
	if (reply == NULL)
		return TL_YELLOW;
	switch (reply[0]) {
	case '2':
		return TL_GREEN;
	case '4':
		return TL_YELLOW;
	case '5':
		return TL_RED;
	default:
		return "";
	}
}

/* Status first, the reply that decided it, then what and how long. */
static void
timeline_header(struct timeline *tl)
{
	const struct model_life	*l = tl->l;
	struct model_timings	 tm;
	char			 iso[40], d[32];
	const char		*rc = timeline_reply_color(l->reply);

	fprintf(tl->fp, "%s%s%s%s  %s -> ", timeline_c(tl, TL_BOLD),
	    timeline_c(tl, timeline_status_color[l->status]),
	    model_status_name(l->status), timeline_c(tl, TL_RESET),
	    l->mail_from == NULL ? "?" : *l->mail_from == '\0' ? "<>" :
	    timeline_esc(tl, l->mail_from, strlen(l->mail_from)));
	fprintf(tl->fp, "%s\n", l->rcpt_to == NULL ? "?" :
	    timeline_esc(tl, l->rcpt_to, strlen(l->rcpt_to)));
	if (l->reply != NULL)
		fprintf(tl->fp, "  %s%s%s\n", timeline_c(tl, rc),
		    timeline_esc(tl, l->reply, strlen(l->reply)),
		    timeline_c(tl, TL_RESET));
	if (l->has_evpid)
		fprintf(tl->fp, "  envelope %016llx, ",
		    (unsigned long long)l->evpid);
	else
		fprintf(tl->fp, "  no envelope, ");
	fprintf(tl->fp, "message %08x", l->msgid);
	if (l->size >= 0 && l->status != MODEL_REJECTED)
		fprintf(tl->fp, ", %lld bytes", (long long)l->size);
	time_to_text(tl->t0, TO_ISO_US, iso, sizeof(iso));
	fprintf(tl->fp, ", %s %s\n", l->has_received ? "connected" :
	    "first seen", iso);
	model_timings(l, &tm);
	fprintf(tl->fp, "  ");
	if (tm.accepted != 0 && tm.start != 0) {
		duration_to_text(tm.accepted - tm.start, d, sizeof(d));
		fprintf(tl->fp, "accepted in %s, ", d);
	}
	if (tm.first_attempt != 0 && tm.accepted != 0) {
		duration_to_text(tm.first_attempt - tm.accepted, d, sizeof(d));
		fprintf(tl->fp, "%s in the queue, ", d);
	}
	fprintf(tl->fp, "%zu attempt%s", l->nattempts,
	    l->nattempts == 1 ? "" : "s");
	if (tm.final != 0 && tm.start != 0) {
		duration_to_text(tm.final - tm.start, d, sizeof(d));
		fprintf(tl->fp, ", %s after %s", model_status_name(l->status),
		    d);
	}
	fprintf(tl->fp, "\n\n");
}

/* One step of the path: relative time, name, what. */
void
timeline_step(struct timeline *tl, int64_t t, const char *name,
    const char *color, const char *what)
{
	char	rel[32];

	if (t == INT64_MIN)
		rel[0] = '\0';
	else if (t == 0)
		snprintf(rel, sizeof(rel), "now");
	else
		offset_to_text(t - tl->t0, rel, sizeof(rel));
	fprintf(tl->fp, "  %-10s %s%s%-9s%s %s\n", rel,
	    timeline_c(tl, TL_BOLD), timeline_c(tl, color), name,
	    timeline_c(tl, TL_RESET), what);
}

/*
 * prefix, then the '|'-separated fields of x (escaped) as words: the
 * first followed by sep, the others by a space; the last keeps its '|'.
 */
static void
timeline_fields(char *out, size_t sz, const char *prefix, const char *x,
    const char *sep)
{
	const char	*bar = strchr(x, '|');
	const char	*rest = bar ? strchr(bar + 1, '|') : NULL;

	if (bar == NULL)
		snprintf(out, sz, "%s%s", prefix, x);
	else if (rest == NULL)
		snprintf(out, sz, "%s%.*s%s%s", prefix, (int)(bar - x), x, sep,
		    bar + 1);
	else
		snprintf(out, sz, "%s%.*s%s%.*s %s", prefix, (int)(bar - x), x,
		    sep, (int)(rest - bar - 1), bar + 1, rest + 1);
}

/* link-connect's rdns|fcrdns|src|dest (already escaped) as words. */
static void
timeline_connect(char *out, size_t sz, const char *x)
{
	const char	*f[4];
	int		 len[4], i;

	for (i = 0; i < 4; i++) {
		f[i] = x;
		x += strcspn(x, "|");
		len[i] = (int)(x - f[i]);
		if (*x == '|' && i < 3)
			x++;
	}
	snprintf(out, sz, "= connected %.*s -> %.*s (rdns %.*s, fcrdns %.*s)",
	    len[2], f[2], len[3], f[3], len[0], f[0], len[1], f[1]);
}

/*
 * What a dialogue line shows for an event, NULL to leave it out (the
 * reporting mechanics: greeting, identify, tx-begin, tx-mail, tx-rcpt,
 * tx-data, tx-reset, and filter decisions that let it proceed).
 */
static const char *
timeline_event_text(struct timeline *tl, const struct model_event *e,
    char *out, size_t sz, const char **color)
{
	const char	*x = timeline_esc(tl, e->text, e->len), *bar;

	*color = "";
	switch (e->event) {
	case EVT_PROTOCOL_CLIENT:
		*color = TL_CYAN;
		snprintf(out, sz, "> %s", x);
		return out;
	case EVT_PROTOCOL_SERVER:
		*color = timeline_reply_color(e->text);
		snprintf(out, sz, "< %s", x);
		return out;
	case EVT_FILTER_RESPONSE:	/* phase|response[|param] */
		if ((bar = strchr(e->text, '|')) != NULL &&
		    strncmp(bar + 1, "proceed", 7) == 0)
			return NULL;
		*color = TL_MAGENTA;
		timeline_fields(out, sz, "! filter ", x, ": ");
		return out;
	case EVT_FILTER_REPORT:		/* kind|name|message */
		*color = TL_MAGENTA;
		timeline_fields(out, sz, "! filter report ", x, " ");
		return out;
	case EVT_TX_ENVELOPE:
		if (e->dir == DIR_OUT)
			return NULL;
		snprintf(out, sz, "= envelope %s", x);
		return out;
	case EVT_TX_COMMIT:	/* on smtp-out its size counts per session */
		snprintf(out, sz, "= committed%s%s%s", e->dir == DIR_IN ?
		    ", " : "", e->dir == DIR_IN ? x : "", e->dir == DIR_IN ?
		    " bytes" : "");
		return out;
	case EVT_LINK_CONNECT:
		timeline_connect(out, sz, x);
		return out;
	case EVT_LINK_DISCONNECT:
		return "= disconnected";
	case EVT_TX_ROLLBACK:
		return "= transaction rolled back";
	case EVT_LINK_TLS:
	case EVT_LINK_AUTH:
	case EVT_TIMEOUT:
	case EVT_NONE:
		snprintf(out, sz, "= %s%s%s", e->event == EVT_NONE ? "line" :
		    proto_event_name(e->event), e->len ? " " : "", x);
		return out;
	default:
		return NULL;
	}
}

/* Print event i of the life; with a multi-line reply, how many follow. */
static size_t
timeline_event(struct timeline *tl, size_t i)
{
	const struct model_event *e = &tl->l->events[i];
	const char	*text, *color;
	char		 rel[32], *out;
	size_t		 j, more = 0, sz = e->len * 4 + 64;

	out = xmalloc(sz);
	if ((text = timeline_event_text(tl, e, out, sz, &color)) == NULL) {
		free(out);
		return 0;
	}
	if (e->event == EVT_PROTOCOL_SERVER && e->len > 3 && e->text[3] == '-')
		for (j = i + 1; j < tl->l->nevents; j++) {
			if (tl->l->events[j].session != e->session ||
			    tl->l->events[j].event != EVT_PROTOCOL_SERVER)
				continue;
			more++;
			if (tl->l->events[j].len <= 3 ||
			    tl->l->events[j].text[3] != '-')
				break;
		}
	offset_to_text(e->t - tl->t0, rel, sizeof(rel));
	fprintf(tl->fp, "      %s%-10s%s %s%s%s", timeline_c(tl, TL_DIM), rel,
	    timeline_c(tl, TL_RESET), timeline_c(tl, color), text,
	    timeline_c(tl, TL_RESET));
	if (more > 0)
		fprintf(tl->fp, " %s(+%zu lines)%s", timeline_c(tl, TL_DIM),
		    more, timeline_c(tl, TL_RESET));
	fputc('\n', tl->fp);
	free(out);
	return more;
}

/* The dialogue of one session (event ids in [lo, hi)), indented. */
static void
timeline_dialogue(struct timeline *tl, uint64_t sid, int dir, int64_t lo,
    int64_t hi)
{
	const struct model_event *e;
	size_t			 i, n, skip = 0;

	for (i = 0; i < tl->l->nevents; i++) {
		e = &tl->l->events[i];
		if (e->session != sid || e->dir != dir || e->id < lo ||
		    e->id >= hi)
			continue;
		if (skip > 0 && e->event == EVT_PROTOCOL_SERVER) {
			skip--;
			continue;
		}
		if ((n = timeline_event(tl, i)) > 0)
			skip = n;
	}
}

/* The smtp-in session: who connected, then its dialogue. */
static void
timeline_received(struct timeline *tl)
{
	const struct model_session *s = &tl->l->in;
	struct buf	 what = { NULL, 0, 0 };
	char		 line[1024];

	if (!tl->l->has_received) {
		timeline_step(tl, tl->t0, "received", "",
		    "not seen on smtp-in (not reported to mailtrail)");
		return;
	}
	snprintf(line, sizeof(line), "smtp-in %016llx from %s",
	    (unsigned long long)s->sid, s->src ? s->src : "?");
	buf_set(&what, line, strlen(line));
	snprintf(line, sizeof(line), " (rdns %s", s->rdns ? s->rdns : "-");
	buf_append(&what, line, strlen(line));
	snprintf(line, sizeof(line), ", fcrdns %s), helo %s",
	    s->fcrdns ? s->fcrdns : "-", s->helo ? s->helo : "-");
	buf_append(&what, line, strlen(line));
	snprintf(line, sizeof(line), ", %s%s, %s%s", s->tls ? "TLS " : "no TLS",
	    s->tls ? s->tls : "", s->auth_user ? "AUTH " : "no AUTH",
	    s->auth_user ? s->auth_user : "");
	buf_append(&what, line, strlen(line));
	timeline_step(tl, s->t_start, "received", "",
	    timeline_esc(tl, what.p, what.len));
	buf_free(&what);
	timeline_dialogue(tl, s->sid, DIR_IN, 0, INT64_MAX);
}

/* The id of the MAIL FROM that began an attempt at t on session sid. */
static int64_t
timeline_mail_from(const struct timeline *tl, uint64_t sid, int64_t t)
{
	const struct model_event *e;
	int64_t			 id = 0;
	size_t			 i;

	for (i = 0; i < tl->l->nevents; i++) {
		e = &tl->l->events[i];
		if (e->session == sid && e->dir == DIR_OUT && e->t <= t &&
		    e->event == EVT_PROTOCOL_CLIENT && e->len >= 9 &&
		    strncasecmp(e->text, "MAIL FROM", 9) == 0)
			id = e->id;
	}
	return id;
}

/*
 * What an attempt line says: where, the result, the next hop's queue
 * id, and where the fact comes from when not the report stream alone.
 */
static void
timeline_attempt_line(const struct model_attempt *a, size_t i, char *line,
    size_t sz)
{
	char	d[32];
	int	n;

	if (a->t_end != 0)
		duration_to_text(a->t_end - a->t, d, sizeof(d));
	if (a->source == MODEL_SRC_MAILLOG && a->session.id == 0)
		n = snprintf(line, sz, "%zu to %s, %s: %s (maillog): %s", i + 1,
		    a->session.dest ? a->session.dest : "?", a->session.sid ?
		    "session not reported" : "no session", a->result ==
		    MODEL_PENDING ? "?" : model_result_name(a->result),
		    a->reply ? a->reply : "-");
	else
		n = snprintf(line, sz, "%zu via %s on smtp-out %016llx, "
		    "%s%s: %s%s%s%s", i + 1, a->session.dest ?
		    a->session.dest : "?", (unsigned long long)a->session.sid,
		    a->session.tls ? "TLS " : "no TLS",
		    a->session.tls ? a->session.tls : "",
		    a->result == MODEL_PENDING ? "in progress" :
		    model_result_name(a->result), a->t_end ? " in " : "",
		    a->t_end ? d : "", a->source == MODEL_SRC_REFUSAL ?
		    " (MAIL FROM refused)" : "");
	if (n < 0 || (size_t)n >= sz)
		return;
	if (a->remote_id != NULL)
		n += snprintf(line + n, sz - n, ", next hop id %s",
		    a->remote_id);
	if ((size_t)n < sz && a->source == MODEL_SRC_REFUSAL)
		snprintf(line + n, sz - n, a->inferred ? ", inferred" :
		    ", named by the maillog");
	else if ((size_t)n < sz && a->confirmed &&
	    a->source == MODEL_SRC_REPORT)
		snprintf(line + n, sz - n, ", maillog agrees");
}

/*
 * Each attempt with its part of its session's dialogue: from its MAIL
 * FROM to the next attempt's on the same session (the first also has
 * the connection's opening lines, the last its closing ones).
 */
static void
timeline_attempts(struct timeline *tl)
{
	const struct model_life	*l = tl->l;
	const struct model_attempt *a;
	char			 line[2048];
	size_t			 i, j;
	int64_t			 lo, hi;

	for (i = 0; i < l->nattempts; i++) {
		a = &l->attempts[i];
		timeline_attempt_line(a, i, line, sizeof(line));
		timeline_step(tl, a->t, "attempt", "",
		    timeline_esc(tl, line, strlen(line)));
		if (a->source == MODEL_SRC_MAILLOG && a->session.id == 0)
			continue;
		for (j = 0; j < i; j++)
			if (l->attempts[j].session.id == a->session.id)
				break;
		lo = j < i ? timeline_mail_from(tl, a->session.sid, a->t) : 0;
		for (j = i + 1; j < l->nattempts; j++)
			if (l->attempts[j].session.id == a->session.id)
				break;
		hi = j < l->nattempts ? timeline_mail_from(tl, a->session.sid,
		    l->attempts[j].t) : INT64_MAX;
		timeline_dialogue(tl, a->session.sid, DIR_OUT, lo, hi);
	}
}

/* The whole timeline of one life. */
void
timeline_print(const struct model_life *l, FILE *fp, int color)
{
	struct timeline	 tl;
	char		 what[64];

	memset(&tl, 0, sizeof(tl));
	tl.fp = fp;
	tl.color = color;
	tl.l = l;
	tl.t0 = l->has_received ? l->in.t_start : l->nevents ?
	    l->events[0].t : l->nattempts ? l->attempts[0].t : l->t;
	timeline_header(&tl);
	timeline_received(&tl);
	if (l->status != MODEL_REJECTED && l->status != MODEL_ABORTED &&
	    l->t_received != 0 && l->has_received) {
		snprintf(what, sizeof(what), "msgid %08x", l->msgid);
		timeline_step(&tl, l->t_received, "queued", "", what);
	}
	timeline_attempts(&tl);
	timeline_fate_outcomes(&tl);
	timeline_fate_status(&tl);
	timeline_fate_links(&tl);
	fputc('\n', fp);
	buf_free(&tl.esc);
}
