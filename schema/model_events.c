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
 * model_events.c: which events of a session concern one life.  A
 * session is cut into its connection's own lines and transactions (from
 * MAIL FROM on); a life keeps the connection lines and its own
 * transaction, less the RCPT cycles of other recipients.  When its own
 * RCPT was refused and another's accepted, what follows in the
 * transaction (DATA, the reply to it, the commit) is the others'.
 */
#include <string.h>
#include <strings.h>

#include "mailtrail.h"
#include "model.h"
#include "model_int.h"

#define MODEL_EVENTS_MINE	0x1	/* model_events_cycle() */
#define MODEL_EVENTS_REFUSED	0x2
#define MODEL_EVENTS_ACCEPTED	0x4

static int	model_events_cmd(const struct model_event *, const char *);
static size_t	model_events_segment_end(const struct model_event *, size_t,
		    size_t, int);
static int	model_events_segment_mine(const struct model_event *, size_t,
		    size_t, int, uint32_t, uint64_t, int64_t);
static int	model_events_cycle(const struct model_event *, size_t, size_t,
		    uint64_t, int64_t, size_t *);
static void	model_events_cycles(const struct model_event *, size_t, size_t,
		    uint64_t, int64_t, char *);
static int	model_events_has_evpid(const struct model_event *, uint64_t);

/* A client command line starting with cmd (case-insensitive). */
static int
model_events_cmd(const struct model_event *e, const char *cmd)
{
	size_t	len = strlen(cmd);

	return e->event == EVT_PROTOCOL_CLIENT && e->len >= len &&
	    strncasecmp(e->text, cmd, len) == 0;
}

static int
model_events_has_evpid(const struct model_event *e, uint64_t evpid)
{
	uint64_t	v;

	if (e->event != EVT_TX_ENVELOPE || e->len != 16 || evpid == 0)
		return 0;
	return text_to_id(e->text, 16, &v) == 0 && v == evpid;
}

/*
 * The end (exclusive) of the transaction starting at i.  smtp-in: its
 * tx-reset; smtp-out, where a refused RCPT also resets, the next MAIL
 * FROM or QUIT.  Both end at a new connection or the disconnect.
 */
static size_t
model_events_segment_end(const struct model_event *ev, size_t n, size_t i,
    int dir)
{
	int		 has_msgid = 0;
	uint32_t	 msgid = 0;
	size_t		 j;

	for (j = i; j < n; j++) {
		if (j > i && (model_events_cmd(&ev[j], "MAIL FROM") ||
		    ev[j].event == EVT_LINK_CONNECT ||
		    ev[j].event == EVT_LINK_DISCONNECT))
			return j;
		if (j > i && dir == DIR_OUT && model_events_cmd(&ev[j], "QUIT"))
			return j;
		if (!has_msgid && ev[j].has_msgid) {
			has_msgid = 1;
			msgid = ev[j].msgid;
		}
		if (dir == DIR_IN && ev[j].event == EVT_TX_RESET &&
		    has_msgid && ev[j].msgid == msgid)
			return j + 1;
	}
	return n;
}

/*
 * Is the transaction [i, end) this life's?  smtp-in: its msgid;
 * smtp-out: it offered the envelope, or it is the refused MAIL FROM
 * the life was given (starting at event id from).
 */
static int
model_events_segment_mine(const struct model_event *ev, size_t i, size_t end,
    int dir, uint32_t msgid, uint64_t evpid, int64_t from)
{
	size_t	j;

	if (from != 0 && ev[i].id == from)
		return 1;
	for (j = i; j < end; j++) {
		if (dir == DIR_IN && ev[j].has_msgid)
			return ev[j].msgid == msgid;
		if (dir == DIR_OUT && model_events_has_evpid(&ev[j], evpid))
			return 1;
	}
	return 0;
}

/*
 * The RCPT cycle starting at j, up to *c: from RCPT TO to its tx-rcpt
 * (or, when smtp-out reports none, to the next command).  Its bits:
 * MODEL_EVENTS_MINE if it offered the envelope or is the refused RCPT
 * answered at rcpt_t, MODEL_EVENTS_REFUSED if the reply was 4xx or
 * 5xx, MODEL_EVENTS_ACCEPTED if 2xx.
 */
static int
model_events_cycle(const struct model_event *ev, size_t j, size_t end,
    uint64_t evpid, int64_t rcpt_t, size_t *c)
{
	int	bits = 0;

	for (*c = j + 1; *c < end && ev[*c].event != EVT_PROTOCOL_CLIENT;
	    (*c)++) {
		if (model_events_has_evpid(&ev[*c], evpid) || (rcpt_t != 0 &&
		    ev[*c].event == EVT_TX_RCPT && ev[*c].t == rcpt_t))
			bits |= MODEL_EVENTS_MINE;
		if (ev[*c].event == EVT_PROTOCOL_SERVER && ev[*c].len > 0)
			bits |= ev[*c].text[0] == '2' ? MODEL_EVENTS_ACCEPTED :
			    ev[*c].text[0] == '4' || ev[*c].text[0] == '5' ?
			    MODEL_EVENTS_REFUSED : 0;
		if (ev[*c].event == EVT_TX_RCPT) {
			(*c)++;
			break;
		}
	}
	return bits;
}

/*
 * Keep the transaction [i, end) but the RCPT cycles of others
 * (MODEL_KEEP_MINE, or 0).  If its own RCPT was refused and another's
 * accepted, the lines after its own cycle are the others'
 * (MODEL_KEEP_OTHERS).
 */
static void
model_events_cycles(const struct model_event *ev, size_t i, size_t end,
    uint64_t evpid, int64_t rcpt_t, char *keep)
{
	size_t	j, k, c, after = end;
	int	bits, other = 0;

	for (j = i; j < end; j = c) {
		if (!model_events_cmd(&ev[j], "RCPT TO")) {
			keep[j] = MODEL_KEEP_MINE;
			c = j + 1;
			continue;
		}
		bits = model_events_cycle(ev, j, end, evpid, rcpt_t, &c);
		if ((bits & MODEL_EVENTS_MINE) &&
		    (bits & MODEL_EVENTS_REFUSED) && !(bits &
		    MODEL_EVENTS_ACCEPTED))
			after = c;
		else if (!(bits & MODEL_EVENTS_MINE) &&
		    (bits & MODEL_EVENTS_ACCEPTED))
			other = 1;
		for (k = j; k < c; k++)
			keep[k] = (bits & MODEL_EVENTS_MINE) ?
			    MODEL_KEEP_MINE : 0;
	}
	for (k = after; other && k < end; k++)
		if (keep[k] == MODEL_KEEP_MINE)
			keep[k] = MODEL_KEEP_OTHERS;
}

/*
 * Mark in keep[] the events of one session (in id order) that concern
 * the life (MODEL_KEEP_MINE, or MODEL_KEEP_OTHERS for those that follow
 * its refused RCPT for the other recipients; 0: not): msgid on smtp-in,
 * evpid (0: none), rcpt_t (a rejected recipient's tx-rcpt time, 0:
 * none), from (an inferred attempt's MAIL FROM event id, 0: none).
 */
void
model_events_select(const struct model_event *ev, size_t n, int dir,
    uint32_t msgid, uint64_t evpid, int64_t rcpt_t, int64_t from,
    char *keep)
{
	size_t	i, end, k;

	for (i = 0; i < n; i = end) {
		if (!model_events_cmd(&ev[i], "MAIL FROM") &&
		    !ev[i].has_msgid) {
			keep[i] = MODEL_KEEP_MINE;
			end = i + 1;
			continue;
		}
		end = model_events_segment_end(ev, n, i, dir);
		if (model_events_segment_mine(ev, i, end, dir, msgid, evpid,
		    from))
			model_events_cycles(ev, i, end, evpid, rcpt_t, keep);
		else
			for (k = i; k < end; k++)
				keep[k] = 0;
	}
}
