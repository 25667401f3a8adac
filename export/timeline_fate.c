/*
 * timeline_fate.c: the end of a timeline: the maillog's outcomes of a
 * life (local delivery, expiry, removal), where it stands now and why,
 * and its bounce links: the bounce it caused and that bounce's fate, or
 * the failures a bounce reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "export.h"

static void	timeline_fate_abort(const struct model_life *, char *,
		    size_t);
static const struct model_outcome *timeline_fate_decider(
		    const struct model_life *);
static void	timeline_fate_link(struct timeline *, const char *,
		    const struct model_link *);

/* Why an smtp-in transaction ended without a commit. */
static void
timeline_fate_abort(const struct model_life *l, char *out, size_t sz)
{
	const struct model_event *last = NULL;
	size_t			 i;

	for (i = 0; i < l->nevents; i++)
		if (l->events[i].dir == DIR_IN &&
		    l->events[i].event == EVT_PROTOCOL_CLIENT)
			last = &l->events[i];
	if (last != NULL && last->len >= 4 &&
	    strncasecmp(last->text, "RSET", 4) == 0)
		snprintf(out, sz, "the client reset the transaction (RSET)");
	else if (last != NULL && last->len >= 4 &&
	    strncasecmp(last->text, "QUIT", 4) == 0)
		snprintf(out, sz, "the client quit before the message was "
		    "accepted");
	else if (l->in.end_reason && strcmp(l->in.end_reason, "timeout") == 0)
		snprintf(out, sz, "the session timed out");
	else
		snprintf(out, sz, "the connection was lost%s%.*s",
		    last != NULL ? " after " : "", last != NULL ?
		    (int)(last->len > 16 ? 16 : last->len) : 0,
		    last != NULL ? last->text : "");
}

/* The outcome that decided the status, NULL if an attempt did. */
static const struct model_outcome *
timeline_fate_decider(const struct model_life *l)
{
	size_t	i;

	for (i = l->noutcomes; i > 0; i--)
		if (l->outcomes[i - 1].stat == l->reply &&
		    l->outcomes[i - 1].t == l->t_final)
			return &l->outcomes[i - 1];
	return NULL;
}

/* One step per maillog outcome. */
void
timeline_fate_outcomes(struct timeline *tl)
{
	const struct model_outcome *o;
	char			 what[1024];
	size_t			 i;

	for (i = 0; i < tl->l->noutcomes; i++) {
		o = &tl->l->outcomes[i];
		if (o->kind == MODEL_OC_MDA)
			snprintf(what, sizeof(what), "local delivery %016llx "
			    "as user %s: %s: %s (maillog)",
			    (unsigned long long)o->sid, o->user ? o->user : "?",
			    o->result == MODEL_PENDING ? "?" :
			    model_result_name(o->result), o->stat ? o->stat :
			    "-");
		else
			snprintf(what, sizeof(what), "%s: %s (maillog, %s)",
			    o->kind == MODEL_OC_EXPIRE ? "expired in the queue" :
			    "removed from the queue", o->stat ? o->stat : "-",
			    o->agent ? o->agent : "-");
		timeline_step(tl, o->t, model_outcome_name(o->kind), "",
		    timeline_esc(tl, what, strlen(what)));
	}
}

/* Where the life stands now. */
void
timeline_fate_status(struct timeline *tl)
{
	const struct model_life	*l = tl->l;
	const struct model_outcome *dec = timeline_fate_decider(l);
	const char		*color = timeline_status_color[l->status];
	const char		*reply = l->reply ? l->reply : "-";
	char			 what[1024];
	int64_t			 t = l->t_final ? l->t_final : l->t_received;

	switch (l->status) {
	case MODEL_QUEUED:
		snprintf(what, sizeof(what), "waiting for %s delivery attempt "
		    "(local deliveries: see mailtrail maillog)", l->nattempts ?
		    "a settled" : "a first");
		t = 0;
		break;
	case MODEL_DELIVERED:
		if (dec != NULL)
			snprintf(what, sizeof(what), "delivered locally by the "
			    "mda as user %s: %s", dec->user ? dec->user : "?",
			    reply);
		else
			snprintf(what, sizeof(what), "the next hop took it: %s",
			    reply);
		break;
	case MODEL_DEFERRED:
		snprintf(what, sizeof(what), "%s; smtpd will try again",
		    l->reply ? l->reply : "no reply (connection lost or "
		    "timeout)");
		break;
	case MODEL_FAILED:
	case MODEL_EXPIRED:
		snprintf(what, sizeof(what), "%s%s; %s", l->status ==
		    MODEL_EXPIRED ? "smtpd gave up: " : "", reply,
		    l->mail_from && *l->mail_from ? "smtpd bounces it to "
		    "the sender" : "null sender: no bounce");
		break;
	case MODEL_REMOVED:
		snprintf(what, sizeof(what), "removed from the queue: %s; "
		    "no bounce", reply);
		break;
	case MODEL_REJECTED:
		snprintf(what, sizeof(what), "at RCPT TO, no envelope: %s",
		    reply);
		break;
	case MODEL_ABORTED:
		timeline_fate_abort(l, what, sizeof(what));
		strlcat(what, "; never queued", sizeof(what));
		break;
	default:
		what[0] = '\0';
	}
	timeline_step(tl, t, model_status_name(l->status), color,
	    timeline_esc(tl, what, strlen(what)));
}

static void
timeline_fate_link(struct timeline *tl, const char *name,
    const struct model_link *k)
{
	char	what[1024];
	int	n;

	if (k->evpid != 0)
		n = snprintf(what, sizeof(what), "%s %016llx (message %08x), "
		    "%s: %s%s%s", name, (unsigned long long)k->evpid, k->msgid,
		    k->exact ? "exact" : "inferred", model_status_name(k->status),
		    k->reply ? ": " : "", k->reply ? k->reply : "");
	else
		n = snprintf(what, sizeof(what), "%s not seen on smtp-in, "
		    "%s", name, k->exact ? "exact" : "inferred");
	if (n >= 0 && (size_t)n < sizeof(what) && k->queue_evpid != 0)
		snprintf(what + n, sizeof(what) - n, " (bounce envelope "
		    "%016llx)", (unsigned long long)k->queue_evpid);
	timeline_step(tl, INT64_MIN, "bounce", "", timeline_esc(tl, what,
	    strlen(what)));
}

/* The bounce a life caused, or what a bounce reports. */
void
timeline_fate_links(struct timeline *tl)
{
	size_t	i;

	if (tl->l->has_bounce)
		timeline_fate_link(tl, "its bounce", &tl->l->bounce);
	for (i = 0; i < tl->l->nbounce_of; i++)
		timeline_fate_link(tl, "bounce of", &tl->l->bounce_of[i]);
}
