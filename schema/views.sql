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

-- The envelope life model (issue #4).  A life is one recipient's path:
-- an envelope in the queue, or a recipient refused at smtp-in.  The C
-- read model (schema/model.c) reads these two views and adds what SQL
-- cannot say cheaply (the events that concern a life, and the refused
-- MAIL FROM that leaves no attempt row); docs/json.md has the rules.
DROP VIEW IF EXISTS v_life;
DROP VIEW IF EXISTS v_life_rejected;
DROP VIEW IF EXISTS v_life_all;

-- One row per envelope whose smtp-in transaction ended, or that was
-- never seen on smtp-in.  status: 'aborted' (the smtp-in transaction
-- ended without a commit: RSET, QUIT, disconnect or timeout: never
-- queued), else from the last settled attempt: 'delivered' (ok),
-- 'deferred' (tempfail), 'failed' (permfail), or 'queued' (none yet).
-- Envelopes of a transaction still in progress have no row yet.
CREATE VIEW v_life AS
SELECT e.evpid AS evpid_n, printf('%016x', e.evpid) AS evpid,
	e.msgid AS msgid_n, printf('%08x', e.msgid & 4294967295) AS msgid,
	e.t AS t, e.tx AS tx_in, e.rcpt AS rcpt_id, t.session AS session_in,
	t.t_begin AS t_begin, t.t_commit AS t_commit, t.t_end AS t_in_end,
	t.size AS size,
	CASE WHEN e.tx IS NOT NULL THEN t.mail_from ELSE
	    (SELECT o.mail_from FROM attempt a JOIN tx o ON o.id = a.tx
	    WHERE a.evpid = e.evpid ORDER BY a.id LIMIT 1) END AS mail_from,
	coalesce(r.address, (SELECT a.address FROM attempt a
	    WHERE a.evpid = e.evpid ORDER BY a.id LIMIT 1)) AS rcpt_to,
	(SELECT count(*) FROM attempt a WHERE a.evpid = e.evpid) AS attempts,
	CASE WHEN e.tx IS NOT NULL AND t.t_commit IS NULL THEN 'aborted'
	    ELSE coalesce((SELECT CASE a.result WHEN 0 THEN 'delivered'
	    WHEN 1 THEN 'deferred' WHEN 2 THEN 'failed' END FROM attempt a
	    WHERE a.evpid = e.evpid AND a.result IS NOT NULL
	    ORDER BY a.id DESC LIMIT 1), 'queued') END AS status,
	CASE WHEN e.tx IS NULL OR t.t_commit IS NOT NULL THEN
	    (SELECT a.reply FROM attempt a WHERE a.evpid = e.evpid AND
	    a.result IS NOT NULL ORDER BY a.id DESC LIMIT 1) END AS reply
FROM envelope e
LEFT JOIN tx t ON t.id = e.tx
LEFT JOIN rcpt r ON r.id = e.rcpt
WHERE e.tx IS NULL OR t.t_commit IS NOT NULL OR t.t_end IS NOT NULL;

-- One row per recipient smtpd refused at smtp-in (no envelope exists),
-- with smtpd's reply line.
CREATE VIEW v_life_rejected AS
SELECT r.id AS rcpt_id, t.msgid AS msgid_n,
	printf('%08x', t.msgid & 4294967295) AS msgid, r.t AS t,
	t.id AS tx_in, t.session AS session_in, t.t_begin AS t_begin,
	t.mail_from AS mail_from, r.address AS rcpt_to,
	'rejected' AS status, r.reply AS reply
FROM rcpt r
JOIN tx t ON t.id = r.tx
WHERE r.result != 0;

-- Both kinds together, in time order, for reading with sqlite3.
CREATE VIEW v_life_all AS
SELECT evpid, msgid, t, mail_from, rcpt_to, status, attempts, reply
FROM v_life
UNION ALL
SELECT NULL, msgid, t, mail_from, rcpt_to, status, 0, reply
FROM v_life_rejected
ORDER BY t;

-- Every MAIL FROM the next hop refused on smtp-out (4xx or 5xx): smtpd
-- then sends RSET and reports no tx-* line at all, so no attempt row
-- exists.  mail_from is the address between < and >; reply is the
-- first reply line that followed the command.
DROP VIEW IF EXISTS v_mail_refused;
CREATE VIEW v_mail_refused AS
SELECT c.id AS id, c.s AS session_id, c.t AS t,
	substr(c.x, instr(c.x, '<') + 1,
	    instr(c.x, '>') - instr(c.x, '<') - 1) AS mail_from,
	r.id AS reply_id, r.t AS t_reply, r.x AS reply
FROM event c
JOIN event r ON r.id = (SELECT min(n.id) FROM event n
	WHERE n.s = c.s AND n.id > c.id AND n.k % 64 = 48)
WHERE c.k % 64 = 47 AND c.x LIKE 'MAIL FROM:%' AND
	(r.x LIKE '4%' OR r.x LIKE '5%');
