-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 16: what report latency and report rejections read
-- on each row, kept by the writer (collector/join.c, collector/ingest.c)
-- instead of derived at each read.

-- The recipient domains of smtp-out attempts, each once: the part after
-- the first '@' of the address, in lower case ('' without an '@'), as
-- util_domain() gives it.
CREATE TABLE domain (
	id	INTEGER PRIMARY KEY,
	name	TEXT NOT NULL UNIQUE
);

-- attempt.domain: the domain (domain.id) of its recipient (its address,
-- else the smtp-in recipient of its envelope); attempt.t_received: the
-- smtp-in commit of its envelope (NULL if not seen on smtp-in).  The
-- writer sets both when it stores the attempt.
ALTER TABLE attempt ADD COLUMN domain INTEGER;
ALTER TABLE attempt ADD COLUMN t_received INTEGER;

-- For a refusal on smtp-in (k = 16): event_rare.c, the command it
-- answered, the session's last protocol-client event before it (NULL
-- if none); event_rare.f, the filter decision that refused it, the last
-- filter-response reject (1) or disconnect (2) between the command and
-- the refusal (NULL if smtpd itself refused).
ALTER TABLE event_rare ADD COLUMN c INTEGER;
ALTER TABLE event_rare ADD COLUMN f INTEGER;

-- Fill them for the rows already kept, by the rules the views used.
CREATE TEMP TABLE m016 (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO m016(id, name)
SELECT a.id AS id, CASE WHEN instr(a.to_, '@') > 0 THEN
	    lower(substr(a.to_, instr(a.to_, '@') + 1)) ELSE '' END AS name
FROM (SELECT id, coalesce(address, (SELECT r.address FROM envelope e
	JOIN rcpt r ON r.id = e.rcpt WHERE e.evpid = attempt.evpid)) AS to_
	FROM attempt) a;
INSERT OR IGNORE INTO domain(name) SELECT name FROM m016 ORDER BY name;
UPDATE attempt SET
	domain = (SELECT d.id FROM m016 m JOIN domain d ON d.name = m.name
	    WHERE m.id = attempt.id),
	t_received = (SELECT ti.t_commit FROM envelope e
	    JOIN tx ti ON ti.id = e.tx WHERE e.evpid = attempt.evpid);
DROP TABLE m016;
UPDATE event_rare SET c = (SELECT p.id FROM event p
	WHERE p.s = (SELECT r.s FROM event r WHERE r.id = event_rare.id) AND
	p.id < event_rare.id AND p.k % 64 = 15 ORDER BY p.id DESC LIMIT 1)
WHERE k = 16;
UPDATE event_rare SET f = (SELECT CASE WHEN e.x LIKE '%|reject%' THEN 1
	ELSE 2 END FROM event e
	WHERE e.s = (SELECT r.s FROM event r WHERE r.id = event_rare.id) AND
	e.id > coalesce(event_rare.c, 0) AND e.id < event_rare.id AND
	e.k % 64 = 18 AND (e.x LIKE '%|reject%' OR e.x LIKE '%|disconnect%')
	ORDER BY e.id DESC LIMIT 1)
WHERE k = 16;
