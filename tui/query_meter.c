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
 * query_meter.c: the header's meters: sessions open, messages a
 * minute (the last hour's minute by minute: a minute two minutes past
 * is counted once and kept; each update counts only the newest two
 * again, all sixty when the clock jumps), and the lives that took each
 * status in the last hour, as the writer keeps them (life.status,
 * life.t_status).
 */
#include <string.h>

#include "mailtrail.h"
#include "schema/model.h"
#include "tui.h"

static int	query_meter_open(struct query *, struct query_meters *);
static int	query_meter_count(struct query *, struct query_meters *,
		    int64_t,
		    int64_t);
static int	query_meter_lives(struct query *, struct query_meters *);
static struct query_minute *query_meter_minute(struct query_meters *, int64_t);
static int64_t	query_meter_int(struct query *, enum query_stmt, int64_t,
		    int64_t);

static struct query_minute *
query_meter_minute(struct query_meters *mt, int64_t minute)
{
	int64_t	i = minute - mt->m[0].minute;

	if (i < 0 || i >= QUERY_MINUTES)
		return NULL;
	return &mt->m[i];
}

static int64_t
query_meter_int(struct query *q, enum query_stmt n, int64_t a, int64_t b)
{
	sqlite3_stmt	*s;
	int64_t		 v = -1;

	if ((s = query_stmt(q, n)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(s) >= 2) {
		sqlite3_bind_int64(s, 1, a);
		sqlite3_bind_int64(s, 2, b);
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return v;
}

/*
 * Sessions started in the last hour and not ended: open, as outcome:open
 * finds them (an end after ref is an end all the same: ref, the newest
 * event of a replayed database, is read from the indexed times).
 */
static int
query_meter_open(struct query *q, struct query_meters *mt)
{
	sqlite3_stmt	*s;
	int		 rc;

	mt->open_in = mt->open_out = 0;
	if ((s = query_stmt(q, Q_M_OPEN)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, mt->ref - QUERY_HOUR);
	sqlite3_bind_int64(s, 2, mt->ref);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (sqlite3_column_int(s, 0) == 0)
			mt->open_in = sqlite3_column_int(s, 1);
		else
			mt->open_out = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Count the messages of minutes lo to hi (inclusive) again. */
static int
query_meter_count(struct query *q, struct query_meters *mt, int64_t lo,
    int64_t hi)
{
	struct query_minute	*m;
	sqlite3_stmt		*s;
	int64_t			 minute;
	int			 rc;

	for (minute = lo; minute <= hi; minute++)
		if ((m = query_meter_minute(mt, minute)) != NULL) {
			memset(m, 0, sizeof(*m));
			m->minute = minute;
		}
	if ((s = query_stmt(q, Q_M_MSGS)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, lo * QUERY_MIN);
	sqlite3_bind_int64(s, 2, (hi + 1) * QUERY_MIN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((m = query_meter_minute(mt, sqlite3_column_int64(s, 0))) !=
		    NULL)
			m->msgs = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The lives that took each status in the sixty minutes shown, counted
 * whole each time: a life that moves on leaves the minute it was in.
 */
static int
query_meter_lives(struct query *q, struct query_meters *mt)
{
	sqlite3_stmt	*s;
	int		 rc, status;

	memset(mt->n, 0, sizeof(mt->n));
	if ((s = query_stmt(q, Q_M_LIFE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, mt->m[0].minute * QUERY_MIN);
	sqlite3_bind_int64(s, 2, (mt->m[QUERY_MINUTES - 1].minute + 1) *
	    QUERY_MIN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		status = sqlite3_column_int(s, 0);
		if (status >= 0 && status < LIFE_NSTATUS)
			mt->n[status] = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Bring the meters to wall clock now.  The last hour ends at now, or,
 * when the newest event is more than an hour away from it (a copied
 * or replayed database), at the newest event (shifted is set).
 */
int
query_meter_update(struct query *q, struct query_meters *mt, int64_t now)
{
	struct query_minute	 old[QUERY_MINUTES];
	int64_t			 last, cur, lo, minute, newest;
	int			 i;

	last = query_last_event(q);
	mt->now = now;
	/* Replays need not come in time order: the indexed times too. */
	mt->newest = last > 0 ? query_event_time(q, last) : 0;
	if ((newest = query_meter_int(q, Q_NEWEST, 0, 0)) > mt->newest)
		mt->newest = newest;
	mt->ref = now;
	mt->shifted = mt->newest != 0 && (now - mt->newest > QUERY_HOUR ||
	    mt->newest - now > QUERY_HOUR);
	if (mt->shifted)
		mt->ref = mt->newest;
	cur = mt->ref / QUERY_MIN;
	memcpy(old, mt->m, sizeof(old));
	lo = cur + 1;
	for (i = 0; i < QUERY_MINUTES; i++) {
		minute = cur - (QUERY_MINUTES - 1) + i;
		memset(&mt->m[i], 0, sizeof(mt->m[i]));
		mt->m[i].minute = minute;
		if (old[0].minute != 0 && minute - old[0].minute >= 0 &&
		    minute - old[0].minute < QUERY_MINUTES &&
		    old[minute - old[0].minute].minute == minute &&
		    minute < cur - 1)
			mt->m[i] = old[minute - old[0].minute];
		else if (minute < lo)
			lo = minute;
	}
	if ((lo <= cur && query_meter_count(q, mt, lo, cur) == -1) ||
	    query_meter_lives(q, mt) == -1)
		return -1;
	mt->per_min = (int)query_meter_int(q, Q_M_RATE, mt->ref - QUERY_MIN,
	    mt->ref);
	return query_meter_open(q, mt);
}
