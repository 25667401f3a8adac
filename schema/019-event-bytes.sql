-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 19: an event row in fewer bytes.  The event table
-- holds a row for every line received, and its time and kind took ten
-- of them: eight for a time in microseconds since 1970, two for a kind
-- of 128 or more.  They are now stored as offsets that take six bytes
-- and one: t_off, the microseconds from 2027-01-01 00:00 UTC (six bytes
-- hold a time from 2022-07 to 2031-06, any other time takes eight), and
-- k_off, k - 128.  t and k read as before: they are columns computed
-- from the offsets, and the writer's INSERT (collector/evq.c, one
-- row or EVQ_ROWS) is the one statement that stores them.  Only s declares
-- a type, INTEGER, without which a join on it could not use event_s:
-- the writer binds each value with its own type, and a declared type
-- costs a conversion of each value at each insert (150 instructions a
-- row for these five).  A database of an older schema copies its
-- events into the new table once.
CREATE TABLE event_new (
	id	INTEGER PRIMARY KEY,
	t	GENERATED ALWAYS AS (t_off + 1798761600000000) VIRTUAL,
				-- event time
	k	GENERATED ALWAYS AS (k_off + 128) VIRTUAL,
				-- kind, as in schema 1
	s	INTEGER,	-- session.id
	m,			-- msgid, for tx-* events
	x,			-- parameters after the msgid, as on the wire
	raw,			-- original line when it cannot be rebuilt
	t_off,			-- t - 1798761600000000
	k_off	NOT NULL	-- k - 128
);
INSERT INTO event_new(id, s, m, x, raw, t_off, k_off)
	SELECT id, s, m, x, raw, t - 1798761600000000, k - 128 FROM event;
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;
CREATE INDEX event_s ON event(s);
PRAGMA incremental_vacuum;
