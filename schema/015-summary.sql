-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 15: report summary reads hours, not lines.

-- More counts per hour (table hour, schema 9), kept by the triggers of
-- schema/writer.sql:
--   7, 8, 9    messages received (v_message), their envelopes, their
--              bytes, by sender: key '=' || mail_from ('' if none)
--   10, 11, 12 the same by client: key '=' || client, '|', '=' || rdns
--              (each '' if none; a client has no '|')
--   13, 14, 15 settled smtp-out attempts (v_delivery) by their end:
--              ok, tempfail, permfail, key the recipient's domain
--   16         envelopes' lives by the hour they were received
--              (t_accepted), key their status ('0' to '7')
--   17         lives by the hour they took their status (t_status),
--              key that status
--   18         recipients refused at smtp-in (lives without evpid),
--              by their time, key ''
-- The cut hours at a window's edges are read from the rows, by these
-- indexes on the times the reports cut.
CREATE INDEX IF NOT EXISTS tx_commit ON tx(t_commit)
	WHERE t_commit IS NOT NULL;
CREATE INDEX IF NOT EXISTS attempt_end ON attempt(t_end)
	WHERE result IS NOT NULL;
CREATE INDEX IF NOT EXISTS life_accepted ON life(t_accepted)
	WHERE evpid IS NOT NULL;

-- An older database: the counts of the rows it holds, once (the rules
-- of v_message and v_session as version 15 has them).
INSERT INTO hour(hour, kind, key, n)
	SELECT h, k.kind, CASE WHEN k.kind < 10 THEN s ELSE c END,
	sum(CASE k.kind % 3 WHEN 1 THEN 1 WHEN 2 THEN e ELSE b END)
	FROM (SELECT t.t_commit / 3600000000 AS h,
	coalesce('=' || t.mail_from, '') AS s,
	coalesce('=' || CASE WHEN x.src LIKE 'unix:%' THEN 'local'
	    WHEN x.src LIKE '[%]:%' THEN substr(x.src, 2, instr(x.src, ']') - 2)
	    WHEN instr(x.src, ':') > 0 THEN
	    substr(x.src, 1, length(rtrim(x.src, '0123456789')) - 1)
	    ELSE x.src END, '') || '|' || coalesce('=' || x.rdns, '') AS c,
	(SELECT count(*) FROM envelope v WHERE v.msgid = t.msgid AND
	    v.tx = t.id) AS e, coalesce(t.size, 0) AS b
	FROM tx t JOIN session x ON x.id = t.session
	WHERE x.dir = 0 AND t.t_commit IS NOT NULL)
	CROSS JOIN (SELECT column1 AS kind FROM (VALUES (7), (8), (9), (10),
	(11), (12))) k GROUP BY 1, 2, 3;
INSERT INTO hour(hour, kind, key, n)
	SELECT a.t_end / 3600000000, 13 + a.result,
	CASE WHEN instr(a.rcpt_to, '@') > 0 THEN
	    lower(substr(a.rcpt_to, instr(a.rcpt_to, '@') + 1)) ELSE '' END,
	count(*) FROM (SELECT *, coalesce(address, (SELECT r.address
	FROM envelope e JOIN rcpt r ON r.id = e.rcpt
	WHERE e.evpid = attempt.evpid)) AS rcpt_to FROM attempt
	WHERE result IN (0, 1, 2) AND t_end IS NOT NULL) a
	JOIN session s ON s.id = a.session GROUP BY 1, 2, 3;
INSERT INTO hour(hour, kind, key, n)
	SELECT hour, kind, key, count(*) FROM (SELECT t_accepted / 3600000000
	AS hour, 16 AS kind, CAST(status AS TEXT) AS key FROM life
	WHERE evpid IS NOT NULL AND t_accepted IS NOT NULL
	UNION ALL SELECT t_status / 3600000000, 17, CAST(status AS TEXT)
	FROM life WHERE t_status IS NOT NULL
	UNION ALL SELECT t / 3600000000, 18, '' FROM life WHERE evpid IS NULL)
	GROUP BY 1, 2, 3;
