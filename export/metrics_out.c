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
 * metrics_out.c: the Prometheus text exposition of mailtrail metrics:
 * the families (name, type, help), the samples the readers add (with a
 * host label when several databases are read), each label value made
 * valid UTF-8 and escaped as the format says (backslash, double quote,
 * newline: a value may come from the network), and the text, each
 * family's samples of every database together after its HELP and TYPE.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

struct metrics_out_fam {
	const char	*name;
	const char	*type;
	const char	*help;
};

static const struct metrics_out_fam metrics_out_fams[MF_MAX] = {
	[MF_ENVELOPES] = { "mailtrail_envelopes_total", "counter",
	    "Envelopes by final status (rejected and aborted: recipients "
	    "refused, or never committed, at smtp-in)." },
	[MF_QUEUE] = { "mailtrail_queue_envelopes", "gauge",
	    "Envelopes in the queue now, queued (no settled attempt yet) "
	    "or deferred." },
	[MF_QUEUE_OLDEST] = { "mailtrail_queue_oldest_age_seconds", "gauge",
	    "Age of the oldest envelope in the queue (0: none)." },
	[MF_QUEUE_DEFERRED] = { "mailtrail_queue_deferred_envelopes",
	    "gauge", "Deferred envelopes by the reply class of their last "
	    "deferral." },
	[MF_DELIVERY] = { "mailtrail_delivery_duration_seconds", "histogram",
	    "Time from the smtp-in commit to delivery, once per delivered "
	    "envelope." },
	[MF_ATTEMPTS] = { "mailtrail_attempts_total", "counter",
	    "Settled smtp-out delivery attempts by result and reply class." },
	[MF_SESSIONS] = { "mailtrail_sessions_total", "counter",
	    "SMTP sessions by direction and what they came to (none: "
	    "open, or ended before outcomes were kept)." },
	[MF_REFUSED] = { "mailtrail_smtp_in_refused_sessions_total",
	    "counter", "smtp-in sessions that came to a refusal, by the "
	    "phase refused." },
	[MF_AUTH] = { "mailtrail_auth_total", "counter",
	    "AUTH by direction and result." },
	[MF_TLS] = { "mailtrail_tls_sessions_total", "counter",
	    "Sessions started by direction and TLS version (none: "
	    "without TLS)." },
	[MF_FILTER] = { "mailtrail_filter_responses_total", "counter",
	    "Filter responses by direction, phase and decision." },
	[MF_DOMAIN_ENVELOPES] = { "mailtrail_domain_envelopes_total",
	    "counter", "Envelopes by final status, for the busiest "
	    "recipient domains (--top-domains)." },
	[MF_DOMAIN_QUEUE] = { "mailtrail_domain_queue_envelopes", "gauge",
	    "Envelopes in the queue now, for the busiest recipient domains "
	    "(--top-domains)." },
	[MF_LINES] = { "mailtrail_collector_lines_total", "counter",
	    "Lines the collector received and stored." },
	[MF_MALFORMED] = { "mailtrail_collector_malformed_lines_total",
	    "counter", "Lines that did not parse (stored raw)." },
	[MF_SPILLED] = { "mailtrail_collector_spilled_lines_total",
	    "counter", "Lines written to the spill journal while the "
	    "database was busy." },
	[MF_LOST] = { "mailtrail_collector_lost_lines_total", "counter",
	    "Lines that could not be kept at all." },
	[MF_COMMITS] = { "mailtrail_collector_commits_total", "counter",
	    "Transactions the collector committed." },
	[MF_LAST_COMMIT] = {
	    "mailtrail_collector_last_commit_timestamp_seconds", "gauge",
	    "When the collector last committed (0: never)." },
};

static void	metrics_out_label(struct metrics *, const char *,
		    const char *);
static void	metrics_out_printf(struct metrics *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static void	metrics_out_value(struct metrics *, double);

/*
 * k="v" into m->lab, v valid UTF-8 and escaped: backslash, quote and
 * newline as the format says; another control character, or one a
 * terminal acts on (jw_unsafe()), shown as the text \xHH of each byte.
 */
static void
metrics_out_label(struct metrics *m, const char *k, const char *v)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	size_t			 n, len, i;
	char			 esc[6] = "\\\\x";

	if (m->lab.len > 0)
		buf_append(&m->lab, ",", 1);
	buf_append(&m->lab, k, strlen(k));
	buf_append(&m->lab, "=\"", 2);
	p = (const unsigned char *)json_utf8(v, strlen(v), &m->tmp);
	for (n = strlen((const char *)p); n > 0; p += len, n -= len) {
		len = 1;
		if (*p == '\\' || *p == '"' || *p == '\n') {
			buf_append(&m->lab, *p == '\\' ? "\\\\" : *p == '"' ?
			    "\\\"" : "\\n", 2);
			continue;
		}
		if (*p >= 0x20 && jw_unsafe(p, n, &len) == 0) {
			buf_append(&m->lab, (const char *)p, 1);
			continue;
		}
		for (i = 0; i < len; i++) {
			esc[3] = hex[p[i] >> 4];
			esc[4] = hex[p[i] & 0xf];
			buf_append(&m->lab, esc, 5);
		}
	}
	buf_append(&m->lab, "\"", 1);
}

/*
 * A sample of family f (its name, then suffix) of the database being
 * read, with labels as name, value pairs ended by NULL; a NULL value
 * leaves its label out.
 */
void
metrics_out_add(struct metrics *m, enum metrics_fam f, const char *suffix,
    double v, ...)
{
	struct metrics_sample	*s;
	const char		*k, *val;
	va_list			 ap;

	m->lab.len = 0;
	if (m->hs->n > 1)
		metrics_out_label(m, "host", m->h->name);
	va_start(ap, v);
	while ((k = va_arg(ap, const char *)) != NULL)
		if ((val = va_arg(ap, const char *)) != NULL)
			metrics_out_label(m, k, val);
	va_end(ap);
	m->s = xgrow(m->s, m->n, &m->cap, 64, sizeof(*m->s));
	s = &m->s[m->n++];
	s->fam = f;
	s->suffix = suffix;
	s->labels = xmalloc(m->lab.len + 1);
	memcpy(s->labels, m->lab.p, m->lab.len);
	s->labels[m->lab.len] = '\0';
	s->v = v;
}

static void
metrics_out_printf(struct metrics *m, const char *fmt, ...)
{
	va_list	ap;
	char	line[512];
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_append(&m->out, line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
}

/* An integer as one, else to the microsecond. */
static void
metrics_out_value(struct metrics *m, double v)
{
	if (isinf(v))
		metrics_out_printf(m, " %s\n", v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 9e15)
		metrics_out_printf(m, " %lld\n", (long long)v);
	else
		metrics_out_printf(m, " %.6f\n", v);
}

/* The exposition of the samples added, into m->out; then forgets them. */
void
metrics_out_print(struct metrics *m)
{
	const struct metrics_out_fam	*f;
	const struct metrics_sample	*s;
	size_t				 i, j;

	m->out.len = 0;
	for (i = 0; i < MF_MAX; i++) {
		f = &metrics_out_fams[i];
		for (j = 0; j < m->n && m->s[j].fam != i; j++)
			;
		if (j == m->n)
			continue;
		metrics_out_printf(m, "# HELP %s %s\n# TYPE %s %s\n", f->name,
		    f->help, f->name, f->type);
		for (; j < m->n; j++) {
			s = &m->s[j];
			if (s->fam != i)
				continue;
			buf_append(&m->out, f->name, strlen(f->name));
			buf_append(&m->out, s->suffix, strlen(s->suffix));
			if (*s->labels != '\0') {
				buf_append(&m->out, "{", 1);
				buf_append(&m->out, s->labels,
				    strlen(s->labels));
				buf_append(&m->out, "}", 1);
			}
			metrics_out_value(m, s->v);
		}
	}
	metrics_out_free(m);
}

/* Forget the samples (the text stays). */
void
metrics_out_free(struct metrics *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		free(m->s[i].labels);
	m->n = 0;
}
