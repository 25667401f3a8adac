-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 6.

-- The few events the report views pick out of all others: link-auth
-- (k % 64 = 6), filter-report (17, 49), a 4xx or 5xx reply on smtp-in
-- (16) and MAIL FROM on smtp-out (47).  The collector adds each one here
-- with its event (collector/ingest.c), so that a report reads them by
-- kind and time instead of scanning every event.  A partial index on
-- event would do the same, but would cost every insert; this costs only
-- these.  The views keep their own conditions: this is a superset.
CREATE TABLE event_rare (
	id	INTEGER PRIMARY KEY,	-- event.id
	k	INTEGER NOT NULL,	-- event.k % 64
	t	INTEGER NOT NULL	-- event.t
);
CREATE INDEX event_rare_k ON event_rare(k, t);
INSERT INTO event_rare(id, k, t) SELECT id, k % 64, t FROM event
	WHERE k % 64 IN (6, 17, 49) OR (k % 64 = 16 AND
	(x LIKE '4%' OR x LIKE '5%')) OR (k % 64 = 47 AND
	x LIKE 'MAIL FROM:%');
