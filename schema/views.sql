-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail read model: views over the write model (001-base.sql).
-- The database holds none: each connection that reads them (sql, report,
-- the writer's prune) makes them as TEMP views (db.c, db_views()), so
-- they always match the running version, and a reader that reads none
-- (trace, export, the TUI) does not parse them.  mailtrail sql --views
-- prints them for sqlite3 -cmd.

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

-- Sessions, both directions, with their ids in hex; client is the
-- address of src without its port ('local' for the unix socket).
CREATE VIEW v_session AS
SELECT s.id AS id, printf('%016x', s.sid) AS session,
	CASE s.dir WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	s.dir AS dir,
	CASE WHEN s.src LIKE 'unix:%' THEN 'local'
	    WHEN s.src LIKE '[%]:%' THEN substr(s.src, 2, instr(s.src, ']') - 2)
	    WHEN instr(s.src, ':') > 0 THEN
	    substr(s.src, 1, length(rtrim(s.src, '0123456789')) - 1)
	    ELSE s.src END AS client,
	s.t_start, s.t_end, s.end_reason, s.rdns, s.fcrdns, s.src, s.dest,
	s.greeting, s.helo_method, s.helo, s.tls, s.auth_user,
	CASE s.auth_result WHEN 0 THEN 'pass' WHEN 2 THEN 'fail'
	    WHEN 3 THEN 'error' END AS auth_result,
	s.outcome, s.reason AS reason_event,
	(SELECT e.x FROM event e WHERE e.id = s.reason) AS reason,
	s.mail_from AS refused_from
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

-- The lives (issue #4), as the writer keeps them (the tables life and
-- life_change, schema 8; collector/life*.c): a life is one recipient's
-- path, an envelope in the queue or a recipient refused at smtp-in, and
-- its status is decided by one rule (docs/json.md), in the writer.
-- These views only read it: none derives a status of its own.

-- The name of each status number of life and life_change (to.c,
-- status_to_text(), has the same names).
CREATE VIEW v_status(status, name) AS VALUES (0, 'queued'),
	(1, 'delivered'), (2, 'deferred'), (3, 'failed'), (4, 'rejected'),
	(5, 'aborted'), (6, 'expired'), (7, 'removed');

-- One row per envelope whose smtp-in transaction ended, or that was
-- never seen on smtp-in (envelopes of a transaction still in progress
-- have no life yet).  status: 'queued', 'delivered', 'deferred',
-- 'failed', 'expired', 'removed' or 'aborted' (the smtp-in transaction
-- ended without a commit: never queued); reply is the reply or the
-- maillog stat that decided it, t_status when it took that status;
-- attempts counts the maillog's attempts of its own and the refused
-- MAIL FROM the writer gave it too.  The C read model reads the table
-- life itself (schema/model_sql.c); this view and v_life_rejected are
-- for sql and the reports.
CREATE VIEW v_life AS
SELECT l.evpid AS evpid_n, printf('%016x', l.evpid) AS evpid,
	l.msgid AS msgid_n, printf('%08x', l.msgid & 4294967295) AS msgid,
	l.t AS t, l.tx AS tx_in, l.rcpt AS rcpt_id, t.session AS session_in,
	l.t_begin AS t_begin, l.t_accepted AS t_commit, t.t_end AS t_in_end,
	t.size AS size, l.mail_from AS mail_from, l.rcpt_to AS rcpt_to,
	l.attempts AS attempts,
	(SELECT n.name FROM v_status n WHERE n.status = l.status) AS status,
	l.reply AS reply, l.t_status AS t_status, l.t_first AS t_first,
	l.t_final AS t_final, l.remote_id AS remote_id, l.host AS host,
	l.id AS life_id, l.status AS status_n, l.decisive AS decisive,
	l.outcome AS outcome_id, l.refusal AS refusal_id, l.local AS local,
	l.bounce AS bounce, l.bounce_exact AS bounce_exact,
	l.bounce_queue AS bounce_queue
FROM life l
LEFT JOIN tx t ON t.id = l.tx
WHERE l.evpid IS NOT NULL;

-- One row per recipient smtpd refused at smtp-in (no envelope exists),
-- with smtpd's reply line.  By way of rcpt, so that its transaction
-- (tx_in) is found by index.
CREATE VIEW v_life_rejected AS
SELECT l.rcpt AS rcpt_id, l.msgid AS msgid_n,
	printf('%08x', l.msgid & 4294967295) AS msgid, l.t AS t,
	r.tx AS tx_in, t.session AS session_in, l.t_begin AS t_begin,
	l.mail_from AS mail_from, l.rcpt_to AS rcpt_to,
	(SELECT n.name FROM v_status n WHERE n.status = l.status) AS status,
	l.reply AS reply, l.t_status AS t_status, l.attempts AS attempts,
	l.id AS life_id, l.status AS status_n
FROM rcpt r
JOIN life l ON l.rcpt = r.id AND l.evpid IS NULL
LEFT JOIN tx t ON t.id = r.tx;

-- Both kinds together, in time order, for reading with sqlite3.
CREATE VIEW v_life_all AS
SELECT CASE WHEN l.evpid IS NOT NULL THEN printf('%016x', l.evpid) END
	AS evpid, printf('%08x', l.msgid & 4294967295) AS msgid, l.t AS t,
	l.mail_from AS mail_from, l.rcpt_to AS rcpt_to,
	(SELECT n.name FROM v_status n WHERE n.status = l.status) AS status,
	l.attempts AS attempts, l.reply AS reply, l.t_status AS t_status
FROM life l
ORDER BY l.t;

-- Each life's states in time: its status from t until t_until (NULL:
-- its state now), and the reply that decided it.  What was waiting in
-- the queue at an instant T: status 'queued' or 'deferred', t <= T and
-- (t_until IS NULL OR t_until > T).
CREATE VIEW v_life_change AS
SELECT CASE WHEN l.evpid IS NOT NULL THEN printf('%016x', l.evpid) END
	AS evpid, printf('%08x', l.msgid & 4294967295) AS msgid, c.t AS t,
	c.t_until AS t_until,
	(SELECT n.name FROM v_status n WHERE n.status = c.status) AS status,
	c.reply AS reply, l.rcpt_to AS rcpt_to
FROM life_change c
JOIN life l ON l.id = c.life;

-- What happened to each envelope: where it came from, how many
-- attempts (v_life's), the last attempt the report stream saw, and its
-- status (v_life's).  Envelopes of a transaction still in progress
-- have no row yet.
CREATE VIEW v_envelope AS
SELECT l.evpid AS evpid, l.msgid AS msgid, l.t AS t_received,
	l.mail_from AS mail_from, l.rcpt_to AS rcpt_to,
	printf('%016x', si.sid) AS in_session, si.src AS client,
	si.helo AS helo, l.attempts AS attempts, la.result AS last_result,
	la.reply AS last_reply, la.t_end AS t_last, l.status AS status
FROM v_life l
LEFT JOIN session si ON si.id = l.session_in
LEFT JOIN attempt la ON la.id =
	(SELECT max(a.id) FROM attempt a WHERE a.evpid = l.evpid_n);

-- Every MAIL FROM the next hop refused on smtp-out (4xx or 5xx): smtpd
-- then sends RSET and reports no tx-* line at all, so no attempt row
-- exists; the writer keeps each refusal (out_refusal) with the MAIL
-- FROM event it answered (NULL before schema 7: the session's last
-- MAIL FROM by then).  mail_from is the address between < and >; reply
-- is the first reply line that followed the command.
CREATE VIEW v_mail_refused AS
SELECT c.id AS id, c.s AS session_id, c.t AS t,
	substr(c.x, instr(c.x, '<') + 1,
	    instr(c.x, '>') - instr(c.x, '<') - 1) AS mail_from,
	r.id AS reply_id, r.t AS t_reply, r.x AS reply
FROM out_refusal f
JOIN event c ON c.id = coalesce(f.event, (SELECT max(e.id) FROM event e
	WHERE e.s = f.session AND e.t <= f.t AND e.k % 64 = 47 AND
	e.x LIKE 'MAIL FROM:%'))
JOIN event r ON r.id = (SELECT n.id FROM event n
	WHERE n.s = c.s AND n.id > c.id AND n.k % 64 = 48
	ORDER BY n.id LIMIT 1)
WHERE c.k % 64 = 47 AND c.x LIKE 'MAIL FROM:%' AND
	(r.x LIKE '4%' OR r.x LIKE '5%');

-- The views behind mailtrail report (issue #6), one row per fact the
-- reports count.  Client addresses lose their port ('local' for the
-- unix socket); domains are the lowercased part after the first '@'
-- ('' for the null sender).  Times are microseconds, like the tables.

-- Every message smtpd accepted on smtp-in (its transaction committed).
CREATE VIEW v_message AS
SELECT t.id AS tx_id, t.msgid AS msgid_n,
	printf('%08x', t.msgid & 4294967295) AS msgid, t.t_commit AS t,
	t.mail_from AS mail_from,
	CASE WHEN instr(t.mail_from, '@') > 0 THEN
	    lower(substr(t.mail_from, instr(t.mail_from, '@') + 1))
	    ELSE '' END AS sender_domain,
	t.size AS size,
	(SELECT count(*) FROM envelope e WHERE e.msgid = t.msgid AND
	    e.tx = t.id) AS envelopes,
	s.id AS session_id, s.session AS session, s.client AS client,
	s.rdns AS rdns, s.fcrdns AS fcrdns, s.helo AS helo, s.tls AS tls,
	s.auth_user AS auth_user
FROM tx t
JOIN v_session s ON s.id = t.session
-- "+": or SQLite takes session_dir_outcome for the equality and reads
-- every smtp-in session, where tx_commit finds a window of t
WHERE +s.dir = 0 AND t.t_commit IS NOT NULL;

-- Every envelope accepted on smtp-in, with its recipient's domain.
CREATE VIEW v_received AS
SELECT e.evpid AS evpid_n, printf('%016x', e.evpid) AS evpid,
	m.msgid AS msgid, m.t AS t, m.mail_from AS mail_from,
	r.address AS rcpt_to,
	CASE WHEN instr(r.address, '@') > 0 THEN
	    lower(substr(r.address, instr(r.address, '@') + 1))
	    ELSE '' END AS domain,
	m.client AS client, m.rdns AS rdns, m.session AS session
FROM v_message m
JOIN envelope e ON e.msgid = m.msgid_n AND e.tx = m.tx_id
LEFT JOIN rcpt r ON r.id = e.rcpt;

-- Every settled smtp-out attempt.  t is when it was decided, t_start
-- when its MAIL FROM was accepted, duration the difference; try is
-- the attempt's number for its envelope (1 = first); t_received is the
-- smtp-in commit of its envelope (NULL if not seen on smtp-in).  The
-- writer keeps domain and t_received on each attempt (schema 16).
CREATE VIEW v_delivery AS
SELECT a.id AS id, a.evpid AS evpid_n, printf('%016x', a.evpid) AS evpid,
	a.session AS session_id, printf('%016x', s.sid) AS session,
	coalesce((SELECT o.t_begin FROM tx o WHERE o.id = a.tx), a.t)
	    AS t_start, a.t_end AS t,
	a.t_end - coalesce((SELECT o.t_begin FROM tx o WHERE o.id = a.tx),
	    a.t) AS duration,
	CASE a.result WHEN 0 THEN 'ok' WHEN 1 THEN 'tempfail'
	    WHEN 2 THEN 'permfail' END AS result,
	(SELECT o.mail_from FROM tx o WHERE o.id = a.tx) AS mail_from,
	a.rcpt_to AS rcpt_to,
	(SELECT d.name FROM domain d WHERE d.id = a.domain) AS domain,
	s.dest AS relay, s.rdns AS relay_rdns, s.tls AS tls, a.reply AS reply,
	(SELECT count(*) FROM attempt p WHERE p.evpid = a.evpid AND
	    p.id <= a.id) AS try,
	a.t_received AS t_received
FROM (SELECT *, coalesce(address, (SELECT r.address FROM envelope e
	JOIN rcpt r ON r.id = e.rcpt WHERE e.evpid = attempt.evpid))
	AS rcpt_to FROM attempt WHERE result IS NOT NULL) a
JOIN session s ON s.id = a.session;

-- Every envelope waiting in the queue now: its life is queued or
-- deferred.  t_accepted is since when (the smtp-in commit; NULL if not
-- seen on smtp-in), reply and t_last the deferral's reply and time.
CREATE VIEW v_pending AS
SELECT l.evpid AS evpid_n, printf('%016x', l.evpid) AS evpid,
	printf('%08x', l.msgid & 4294967295) AS msgid, l.t AS t,
	l.mail_from AS mail_from, l.rcpt_to AS rcpt_to,
	CASE WHEN instr(l.rcpt_to, '@') > 0 THEN
	    lower(substr(l.rcpt_to, instr(l.rcpt_to, '@') + 1))
	    ELSE '' END AS domain,
	l.attempts AS attempts,
	(SELECT n.name FROM v_status n WHERE n.status = l.status) AS status,
	l.reply AS reply, CASE WHEN l.status = 2 THEN l.t_status END AS t_last,
	l.t_accepted AS t_accepted
FROM life l
WHERE l.status IN (0, 2) AND l.evpid IS NOT NULL;

-- Every refusal smtpd sent on smtp-in: each final 4xx or 5xx reply
-- line (reply) of a session that is kept, at t.
CREATE VIEW v_refusal_row AS
SELECT r.id AS id, q.t AS t, r.s AS session_id, r.x AS reply
FROM event_rare q
JOIN event r ON r.id = q.id
JOIN session s ON s.id = r.s
WHERE q.k = 16 AND r.k % 64 = 16 AND (r.x LIKE '4%' OR r.x LIKE '5%') AND
	substr(r.x, 4, 1) != '-';

-- Every refusal (v_refusal_row) with the command it answered (NULL:
-- none yet, the connection itself) and verb, its first word ('CONNECT'
-- if none, 'EOM' for the end of DATA); filter is the filter decision
-- ('reject', 'disconnect') reported between the command and the reply,
-- NULL if smtpd itself refused.  An answer to a 334 challenge of AUTH
-- (masked '********', '=' empty, '*' cancel) is named by the command
-- the exchange began with: 'AUTH LOGIN', not the secret.  The command
-- (the session's last protocol-client event before the reply) and the
-- filter decision are as the writer keeps them (event_rare.c and f,
-- schema 16).
CREATE VIEW v_refusal AS
SELECT v.id AS id, v.t AS t, v.session_id AS session_id,
	printf('%016x', s.sid) AS session,
	CASE WHEN s.src LIKE 'unix:%' THEN 'local'
	    WHEN s.src LIKE '[%]:%' THEN substr(s.src, 2, instr(s.src, ']') - 2)
	    WHEN instr(s.src, ':') > 0 THEN
	    substr(s.src, 1, length(rtrim(s.src, '0123456789')) - 1)
	    ELSE s.src END AS client,
	s.rdns AS rdns, s.fcrdns AS fcrdns, s.helo AS helo,
	coalesce(a.x, c.x) AS command,
	CASE WHEN c.x IS NULL THEN 'CONNECT' WHEN c.x = '.' THEN 'EOM'
	    WHEN a.x IS NOT NULL THEN 'AUTH'
	    WHEN instr(c.x, ' ') > 0 THEN upper(substr(c.x, 1,
	    instr(c.x, ' ') - 1)) ELSE upper(c.x) END AS verb,
	substr(v.reply, 1, 3) AS code, v.reply AS reply,
	CASE w.f WHEN 1 THEN 'reject' WHEN 2 THEN 'disconnect' END AS filter
FROM v_refusal_row v
JOIN session s ON s.id = v.session_id
LEFT JOIN event_rare w ON w.id = v.id
LEFT JOIN event c ON c.id = w.c
LEFT JOIN event a ON a.id = CASE WHEN c.x IN ('********', '=', '*') THEN
	(SELECT p.id FROM event p WHERE p.s = v.session_id AND p.id < c.id AND
	p.k % 64 = 15 AND p.x NOT IN ('********', '=', '*')
	ORDER BY p.id DESC LIMIT 1) END AND a.x LIKE 'AUTH %';

-- Every AUTH of both directions (link-auth): on smtp-in, the AUTH smtpd
-- answered (client is the client's address); on smtp-out (0.7), ours
-- to the next hop (client is the next hop, dest).  user and result,
-- 'pass', 'fail' or 'error'.
DROP VIEW IF EXISTS v_auth_all;
CREATE VIEW v_auth_all AS
SELECT a.id AS id, a.t AS t, a.s AS session_id,
	printf('%016x', s.sid) AS session,
	CASE s.dir WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	CASE WHEN s.dir = 1 THEN s.dest
	    WHEN s.src LIKE 'unix:%' THEN 'local'
	    WHEN s.src LIKE '[%]:%' THEN substr(s.src, 2, instr(s.src, ']') - 2)
	    WHEN instr(s.src, ':') > 0 THEN
	    substr(s.src, 1, length(rtrim(s.src, '0123456789')) - 1)
	    ELSE s.src END AS client,
	s.rdns AS rdns, s.fcrdns AS fcrdns, a.user AS user, a.result AS result
FROM (SELECT e.id, q.t AS t, e.s,
	CASE WHEN e.k / 64 + 4 >= 7 THEN substr(e.x, instr(e.x, '|') + 1)
	    ELSE substr(e.x, 1, length(e.x) -
	    length(ltrim(substr(e.x, -5), '|')) - 1) END AS user,
	CASE WHEN e.k / 64 + 4 >= 7 THEN substr(e.x, 1, instr(e.x, '|') - 1)
	    ELSE ltrim(substr(e.x, -5), '|') END AS result
	FROM event_rare q JOIN event e ON e.id = q.id
	WHERE q.k IN (6, 38) AND e.k % 32 = 6) a
JOIN session s ON s.id = a.s;

-- Every AUTH smtpd answered on smtp-in (link-auth): the user and the
-- result, 'pass', 'fail' or 'error'.
CREATE VIEW v_auth AS
SELECT id, t, session_id, session, client, rdns, fcrdns, user, result
FROM v_auth_all WHERE subsystem = 'smtp-in';

-- Every session with its TLS parameters split: version, cipher, bits
-- (all NULL without TLS).  peer is the client's address on smtp-in,
-- the next hop on smtp-out.
CREATE VIEW v_tls AS
SELECT s.id AS id, printf('%016x', s.sid) AS session,
	CASE s.dir WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	s.t_start AS t, CASE WHEN s.dir = 1 THEN s.dest
	    WHEN s.src LIKE 'unix:%' THEN 'local'
	    WHEN s.src LIKE '[%]:%' THEN substr(s.src, 2, instr(s.src, ']') - 2)
	    WHEN instr(s.src, ':') > 0 THEN
	    substr(s.src, 1, length(rtrim(s.src, '0123456789')) - 1)
	    ELSE s.src END AS peer,
	s.rdns AS rdns, s.tls AS tls,
	CASE WHEN instr(s.tls, ':') > 0 THEN
	    substr(s.tls, 1, instr(s.tls, ':') - 1) ELSE s.tls END AS version,
	CASE WHEN instr(s.tls, ':') > 0 THEN
	    substr(substr(s.tls, instr(s.tls, ':') + 1), 1,
	    instr(substr(s.tls, instr(s.tls, ':') + 1), ':') - 1) END AS cipher,
	CASE WHEN instr(s.tls, ':') > 0 THEN
	    CAST(ltrim(substr(s.tls, length(rtrim(s.tls, '0123456789')) + 1))
	    AS INTEGER) END AS bits
FROM session s;

-- The sessions of each hour (schema 9, kept by the writer) by their TLS
-- parameters, split as v_tls splits them: t is the hour's first
-- microsecond, n the sessions started in it.
CREATE VIEW v_tls_hour AS
SELECT h.hour * 3600000000 AS t,
	CASE h.kind WHEN 1 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	h.tls AS tls,
	CASE WHEN instr(h.tls, ':') > 0 THEN
	    substr(h.tls, 1, instr(h.tls, ':') - 1) ELSE h.tls END AS version,
	CASE WHEN instr(h.tls, ':') > 0 THEN
	    substr(substr(h.tls, instr(h.tls, ':') + 1), 1,
	    instr(substr(h.tls, instr(h.tls, ':') + 1), ':') - 1) END AS cipher,
	CASE WHEN instr(h.tls, ':') > 0 THEN
	    CAST(ltrim(substr(h.tls, length(rtrim(h.tls, '0123456789')) + 1))
	    AS INTEGER) END AS bits,
	h.n AS n
FROM (SELECT hour, kind, nullif(key, '') AS tls, n FROM hour
	WHERE kind IN (1, 2)) h;

-- The filter responses of each hour (schema 9) by direction, phase and
-- decision: n responses, and sessions the sessions whose first response
-- of that phase and decision was in that hour.
CREATE VIEW v_filter_hour AS
SELECT h.hour * 3600000000 AS t,
	CASE h.kind WHEN 3 THEN 'smtp-in' ELSE 'smtp-out' END AS subsystem,
	substr(h.key, 1, instr(h.key, '|') - 1) AS phase,
	substr(h.key, instr(h.key, '|') + 1) AS decision,
	h.n AS n, coalesce(s.n, 0) AS sessions
FROM hour h LEFT JOIN hour s ON s.kind = h.kind + 2 AND s.key = h.key AND
	s.hour = h.hour
WHERE h.kind IN (3, 4);

-- Every filter decision (filter-response): the phase, the decision
-- (proceed, junk, rewrite, reject, disconnect, report) and its
-- parameter (the reply line of a reject or disconnect).  The report
-- stream does not name the filter that decided.
CREATE VIEW v_filter AS
SELECT f.id AS id, f.t AS t, f.s AS session_id,
	CASE (f.k / 32) % 2 WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END
	    AS subsystem,
	substr(f.x, 1, instr(f.x, '|') - 1) AS phase,
	CASE WHEN instr(f.rest, '|') > 0 THEN
	    substr(f.rest, 1, instr(f.rest, '|') - 1) ELSE f.rest END
	    AS decision,
	CASE WHEN instr(f.rest, '|') > 0 THEN
	    substr(f.rest, instr(f.rest, '|') + 1) END AS param
FROM (SELECT e.*, substr(e.x, instr(e.x, '|') + 1) AS rest FROM event e
	WHERE e.k % 32 = 18) f;

-- Every filter-report line: what a filter said about a session, and
-- its name ('builtin' filters of smtpd.conf, or 'proc' filters).
CREATE VIEW v_filter_report AS
SELECT f.id AS id, f.t AS t, f.s AS session_id,
	CASE (f.k / 32) % 2 WHEN 0 THEN 'smtp-in' ELSE 'smtp-out' END
	    AS subsystem,
	substr(f.x, 1, instr(f.x, '|') - 1) AS kind,
	substr(f.rest, 1, instr(f.rest, '|') - 1) AS filter,
	substr(f.rest, instr(f.rest, '|') + 1) AS message
FROM (SELECT e.id, q.t AS t, e.k, e.s, e.x,
	substr(e.x, instr(e.x, '|') + 1) AS rest
	FROM event_rare q JOIN event e ON e.id = q.id
	WHERE q.k IN (17, 49) AND e.k % 32 = 17) f;
