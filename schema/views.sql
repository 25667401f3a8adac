-- mailtrail read model: views over the write model (001-base.sql).
-- They are dropped and created again each time the collector opens the
-- database, so they always match the running version.

DROP VIEW IF EXISTS v_line;
DROP VIEW IF EXISTS v_event;
DROP VIEW IF EXISTS v_session;
DROP VIEW IF EXISTS v_attempt;
DROP VIEW IF EXISTS v_envelope;

-- Every line received, as it was received (ordered by id).
CREATE VIEW v_line AS
SELECT e.id AS id,
	CASE WHEN e.raw IS NOT NULL THEN CAST(e.raw AS TEXT) ELSE
	'report|0.' || (e.k / 64 + 4) || '|' || (e.t / 1000000) || '.' ||
	printf('%06d', e.t % 1000000) || '|' ||
	CASE (e.k / 32) % 2 WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END || '|' ||
	n.name || '|' || printf('%016x', s.sid) ||
	CASE WHEN e.m IS NOT NULL THEN '|' || printf('%08x', e.m & 4294967295)
	    ELSE '' END ||
	CASE WHEN e.x IS NOT NULL THEN '|' || e.x ELSE '' END END AS line
FROM event e
LEFT JOIN session s ON s.id = e.s
LEFT JOIN event_name n ON n.id = e.k % 32;

-- Events with readable columns.  time is ISO 8601 UTC.
CREATE VIEW v_event AS
SELECT e.id AS id, e.t AS t,
	strftime('%Y-%m-%dT%H:%M:%S', e.t / 1000000, 'unixepoch') ||
	printf('.%06dZ', e.t % 1000000) AS time,
	CASE WHEN e.k = 0 THEN NULL WHEN (e.k / 32) % 2 = 0 THEN 'smtp-in'
	    ELSE 'smtp-out' END AS subsystem,
	n.name AS event, printf('%016x', s.sid) AS session, e.s AS session_id,
	CASE WHEN e.m IS NOT NULL THEN printf('%08x', e.m & 4294967295) END
	    AS msgid,
	e.x AS params, e.raw IS NOT NULL AS kept_raw
FROM event e
LEFT JOIN session s ON s.id = e.s
LEFT JOIN event_name n ON n.id = e.k % 32 AND e.k != 0;

-- Sessions, both directions, with their ids in hex.
CREATE VIEW v_session AS
SELECT s.id AS id, printf('%016x', s.sid) AS session,
	CASE s.dir WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	s.t_start, s.t_end, s.end_reason, s.rdns, s.fcrdns, s.src, s.dest,
	s.greeting, s.helo_method, s.helo, s.tls, s.auth_user,
	CASE s.auth_result WHEN 0 THEN 'pass' WHEN 2 THEN 'fail'
	    WHEN 3 THEN 'error' END AS auth_result
FROM session s;

-- Every smtp-out attempt of every envelope.
CREATE VIEW v_attempt AS
SELECT a.id AS id, printf('%016x', a.evpid) AS evpid,
	printf('%016x', s.sid) AS session, a.t, a.t_end,
	s.dest AS relay, s.tls AS tls, a.address,
	CASE a.result WHEN 0 THEN 'ok' WHEN 1 THEN 'tempfail'
	    WHEN 2 THEN 'permfail' END AS result,
	a.reply
FROM attempt a
JOIN session s ON s.id = a.session;

-- What happened to each envelope: where it came from, how many
-- attempts, and the last one's result.  status is 'queued' (no attempt
-- yet), 'delivered', 'deferred' or 'failed'.
CREATE VIEW v_envelope AS
SELECT printf('%016x', e.evpid) AS evpid, printf('%08x', e.msgid & 4294967295)
	AS msgid, e.t AS t_received, t.mail_from AS mail_from,
	r.address AS rcpt_to, printf('%016x', si.sid) AS in_session,
	si.src AS client, si.helo AS helo,
	(SELECT count(*) FROM attempt a WHERE a.evpid = e.evpid) AS attempts,
	la.result AS last_result, la.reply AS last_reply, la.t_end AS t_last,
	CASE WHEN la.id IS NULL THEN 'queued'
	    WHEN la.result = 0 THEN 'delivered'
	    WHEN la.result = 2 THEN 'failed'
	    WHEN la.result = 1 THEN 'deferred'
	    ELSE 'queued' END AS status
FROM envelope e
LEFT JOIN tx t ON t.id = e.tx
LEFT JOIN rcpt r ON r.id = e.rcpt
LEFT JOIN session si ON si.id = t.session
LEFT JOIN attempt la ON la.id =
	(SELECT max(a.id) FROM attempt a WHERE a.evpid = e.evpid);
