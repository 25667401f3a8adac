-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 9.

-- Counts per hour of report time (hour = t / 3600000000), kept by the
-- writer in the transaction of the lines they count, so that a report
-- over whole hours reads hours, not lines.  kind says what is counted
-- and key by what (few values each: no row per session or message):
--   1, 2  sessions started (smtp-in, smtp-out) by their TLS parameters
--         (session.tls, '' without TLS): writer.sql's triggers
--   3, 4  filter responses (smtp-in, smtp-out) by 'phase|decision'
--   5, 6  sessions, counted at their first response of 'phase|decision'
--         (collector/hour.c)
CREATE TABLE hour (
	hour	INTEGER NOT NULL,
	kind	INTEGER NOT NULL,
	key	TEXT NOT NULL,
	n	INTEGER NOT NULL,
	PRIMARY KEY (kind, key, hour)
) WITHOUT ROWID;

-- Filter responses that are not 'proceed' join the events the report
-- views pick out (schema 6): a filter refusal is found without a scan.
INSERT INTO event_rare(id, k, t) SELECT id, k % 64, t FROM (SELECT id, k,
	t, substr(x, instr(x, '|') + 1) AS rest FROM event WHERE k % 32 = 18)
	WHERE CASE WHEN instr(rest, '|') > 0 THEN
	substr(rest, 1, instr(rest, '|') - 1) ELSE rest END != 'proceed';

-- An older database: the counts of the rows it holds, once.
INSERT INTO hour(hour, kind, key, n)
	SELECT t_start / 3600000000, 1 + dir, coalesce(tls, ''), count(*)
	FROM session GROUP BY 1, 2, 3;
INSERT INTO hour(hour, kind, key, n)
	SELECT h, kind, key, count(*) FROM (SELECT t / 3600000000 AS h,
	3 + (k / 32) % 2 AS kind, CASE WHEN instr(rest, '|') > 0 THEN
	substr(x, 1, instr(x, '|') + instr(rest, '|') - 1) ELSE x END AS key
	FROM (SELECT t, k, x, substr(x, instr(x, '|') + 1) AS rest
	FROM event WHERE k % 32 = 18 AND instr(x, '|') > 0)) GROUP BY 1, 2, 3;
INSERT INTO hour(hour, kind, key, n)
	SELECT h, kind, key, count(*) FROM (SELECT min(t) / 3600000000 AS h,
	5 + (k / 32) % 2 AS kind, CASE WHEN instr(rest, '|') > 0 THEN
	substr(x, 1, instr(x, '|') + instr(rest, '|') - 1) ELSE x END AS key
	FROM (SELECT t, k, s, x, substr(x, instr(x, '|') + 1) AS rest
	FROM event WHERE k % 32 = 18 AND instr(x, '|') > 0)
	GROUP BY s, 2, 3) GROUP BY 1, 2, 3;
