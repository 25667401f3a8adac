-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- The writer's own: made at each read-write open, gone at its close.
-- Every change to the facts of a life marks the life; the writer
-- builds the marked lives again before it commits (collector/life.c).
-- collector/join.c marks in C an envelope new or given its recipient,
-- an attempt new or settled, a recipient refused or given its reply,
-- and the lives of a tx whose sender or times it sets (the only
-- statements that insert into envelope, attempt and rcpt or update
-- envelope, attempt, rcpt and tx); these triggers mark what the others
-- change.

CREATE TEMP TABLE IF NOT EXISTS life_dirty (
	evpid	INTEGER PRIMARY KEY
);
CREATE TEMP TABLE IF NOT EXISTS life_dirty_rcpt (
	id	INTEGER PRIMARY KEY	-- rcpt.id of a refused recipient
);
CREATE TEMP TABLE IF NOT EXISTS life_dirty_refusal (
	id	INTEGER PRIMARY KEY	-- out_refusal.id, new
);

CREATE TEMP TRIGGER IF NOT EXISTS life_envelope_del AFTER DELETE
ON main.envelope BEGIN
	INSERT OR IGNORE INTO life_dirty VALUES (old.evpid);
END;
CREATE TEMP TRIGGER IF NOT EXISTS life_attempt_del AFTER DELETE
ON main.attempt BEGIN
	INSERT OR IGNORE INTO life_dirty VALUES (old.evpid);
END;
CREATE TEMP TRIGGER IF NOT EXISTS life_rcpt_del AFTER DELETE
ON main.rcpt BEGIN
	INSERT OR IGNORE INTO life_dirty_rcpt VALUES (old.id);
END;
CREATE TEMP TRIGGER IF NOT EXISTS life_outcome_ins AFTER INSERT
ON main.outcome WHEN new.evpid IS NOT NULL BEGIN
	INSERT OR IGNORE INTO life_dirty VALUES (new.evpid);
END;
CREATE TEMP TRIGGER IF NOT EXISTS life_outcome_del AFTER DELETE
ON main.outcome WHEN old.evpid IS NOT NULL BEGIN
	INSERT OR IGNORE INTO life_dirty VALUES (old.evpid);
END;
-- A refused MAIL FROM may be a waiting envelope's of its sender: once
-- the other lives are written, life_refuse_marked() builds them again
-- when one message of the sender waits.
CREATE TEMP TRIGGER IF NOT EXISTS life_refusal_ins AFTER INSERT
ON main.out_refusal BEGIN
	INSERT OR IGNORE INTO life_dirty_refusal VALUES (new.id);
END;
CREATE TEMP TRIGGER IF NOT EXISTS life_refusal_del AFTER DELETE
ON main.out_refusal BEGIN
	INSERT OR IGNORE INTO life_dirty SELECT evpid FROM main.life_refusal
	    WHERE refusal = old.id;
	INSERT OR IGNORE INTO life_dirty SELECT evpid FROM main.outcome
	    WHERE refusal = old.id AND evpid IS NOT NULL;
END;

-- The counts per hour (table hour) below go through hour_count(hour,
-- kind, key, n), the writer's SQL function (collector/hour.c): it adds
-- them up in memory and writes each (hour, kind, key) once before the
-- transaction commits.  A row made by an insert into session, envelope
-- or life, and the writer's updates of attempt, life and a tx's counted
-- columns, are counted by the writer around its statement, through the
-- same views (hour_new(); the statements named below), not by a
-- trigger: a statement that fires a trigger that calls a function
-- keeps a copy of each page it changes, to take that statement back
-- alone, and these were most of the writer's copies (nine tenths of a
-- million pages, 4 KiB each, for a million lines).

-- The sessions of each hour by their TLS parameters (schema 9, hour).
-- The writer is the only one to insert a session or change its time,
-- direction or TLS (STMT_SESSION_NEW and STMT_SESSION_TLS): it counts
-- a new one, and takes the counts out before the TLS and puts them in
-- after (hour_new(), HOUR_SESSION).  A delete, by any writer, counts
-- here.
CREATE TEMP VIEW IF NOT EXISTS hour_session AS
SELECT id, t_start / 3600000000 AS hour, 1 + dir AS kind,
	coalesce(tls, '') AS key FROM main.session;
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_del BEFORE DELETE
ON main.session BEGIN
	SELECT hour_count(hour, kind, key, -1)
	    FROM hour_session WHERE id = old.id;
END;

-- The messages received each hour, by sender and by client (schema 15,
-- hour kinds 7 to 12): each committed smtp-in transaction of v_message
-- counts one message, its envelopes and its bytes under its sender's
-- key (kinds 7, 8, 9) and under its client's (10, 11, 12).  A row here
-- is one of the two keys, with the three counts: hour_count() with six
-- arguments counts them as kind, kind + 1 and kind + 2.  A change takes
-- the old counts out and puts the new ones in: the writer around its
-- commit and late MAIL FROM, the triggers below for the rest (an
-- envelope's or session's change, a delete).  The two kinds are a
-- table: as a VALUES list they were made into a table anew at each
-- firing.
CREATE TEMP TABLE IF NOT EXISTS hour_kind (kind INTEGER PRIMARY KEY);
INSERT OR IGNORE INTO hour_kind VALUES (7), (10);
CREATE TEMP VIEW IF NOT EXISTS hour_message AS
SELECT m.tx_id AS tx, m.session_id AS session, m.msgid_n AS msgid,
	m.t / 3600000000 AS hour, k.kind AS kind,
	CASE WHEN k.kind = 7 THEN
	    coalesce('=' || m.mail_from, '') ELSE
	    coalesce('=' || m.client, '') || '|' || coalesce('=' || m.rdns, '')
	    END AS key,
	m.envelopes AS envelopes, coalesce(m.size, 0) AS size
FROM v_message m
CROSS JOIN temp.hour_kind k;
-- A tx is inserted open (STMT_TX_NEW, the only insert into tx): it
-- counts from the update that commits it (STMT_TX_COMMIT), after which
-- the writer puts its counts in.  The writer's later updates of its
-- counted columns, a second commit (STMT_TX_RECOMMIT) and a MAIL FROM
-- after the commit (STMT_TX_MAIL_LATE), take its counts out before and
-- put them in after (store_tx(), HOUR_TX), with no trigger: a
-- delete, by any writer, takes them out here.
CREATE TEMP TRIGGER IF NOT EXISTS hour_tx_del BEFORE DELETE ON main.tx
WHEN old.t_commit IS NOT NULL BEGIN
	SELECT hour_count(hour, kind, key, -1, -envelopes, -size)
	    FROM hour_message WHERE tx = old.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_envelope_old
BEFORE UPDATE OF msgid, tx ON main.envelope
WHEN old.tx IS NOT NULL AND (old.tx IS NOT new.tx OR
    old.msgid != new.msgid) BEGIN
	SELECT hour_count(hour, kind + 1, key, -1)
	    FROM hour_message WHERE tx = old.tx AND msgid = old.msgid;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_envelope_new
AFTER UPDATE OF msgid, tx ON main.envelope
WHEN new.tx IS NOT NULL AND (old.tx IS NOT new.tx OR
    old.msgid != new.msgid) BEGIN
	SELECT hour_count(hour, kind + 1, key, 1)
	    FROM hour_message WHERE tx = new.tx AND msgid = new.msgid;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_envelope_del BEFORE DELETE
ON main.envelope WHEN old.tx IS NOT NULL BEGIN
	SELECT hour_count(hour, kind + 1, key, -1)
	    FROM hour_message WHERE tx = old.tx AND msgid = old.msgid;
END;
-- A session's direction, client or rdns: the messages of its
-- transactions move to their new keys.
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_msg_old
BEFORE UPDATE OF dir, src, rdns ON main.session
WHEN (old.dir != new.dir OR old.src IS NOT new.src OR
    old.rdns IS NOT new.rdns) AND EXISTS (SELECT 1 FROM main.tx
    WHERE session = old.id AND t_commit IS NOT NULL) BEGIN
	SELECT hour_count(hour, kind, key, -1, -envelopes, -size)
	    FROM hour_message WHERE session = old.id;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_msg_new
AFTER UPDATE OF dir, src, rdns ON main.session
WHEN (old.dir != new.dir OR old.src IS NOT new.src OR
    old.rdns IS NOT new.rdns) AND EXISTS (SELECT 1 FROM main.tx
    WHERE session = new.id AND t_commit IS NOT NULL) BEGIN
	SELECT hour_count(hour, kind, key, 1, envelopes, size)
	    FROM hour_message WHERE session = new.id;
END;

-- The settled smtp-out attempts of each hour (schema 15, hour kinds 13
-- to 15: ok, tempfail, permfail) by their recipient's domain, as
-- v_delivery has them, at their end.  The domain is the attempt's own
-- (attempt.domain, set at its insert), so only a change of the
-- attempt's session, end or result moves a count: the envelope and
-- the recipient do not.
CREATE TEMP VIEW IF NOT EXISTS hour_delivery AS
SELECT d.id AS id, d.t / 3600000000 AS hour,
	CASE d.result WHEN 'ok' THEN 13 WHEN 'tempfail' THEN 14
	    WHEN 'permfail' THEN 15 END AS kind, d.domain AS key
FROM v_delivery d
WHERE d.t IS NOT NULL;
-- An attempt is inserted unsettled (STMT_ATTEMPT_NEW, the only insert
-- into attempt): it counts from the update that settles it, the
-- writer's only update of attempt (STMT_ATTEMPT_END, of an unsettled
-- one), after which the writer counts it and marks its life
-- (hour_new(), HOUR_ATTEMPT).  A delete, by any writer, counts here.
CREATE TEMP TRIGGER IF NOT EXISTS hour_attempt_del BEFORE DELETE
ON main.attempt WHEN old.result IS NOT NULL BEGIN
	SELECT hour_count(hour, kind, key, -1)
	    FROM hour_delivery WHERE id = old.id;
END;

-- The lives of each hour (schema 15, hour kinds 16 to 18): each
-- envelope's life at the hour it was received (t_accepted), each life
-- at the hour it took its status (t_status), both by that status, and
-- each recipient refused at smtp-in at its time.
CREATE TEMP VIEW IF NOT EXISTS hour_life AS
SELECT id, t_accepted / 3600000000 AS hour, 16 AS kind,
	CAST(status AS TEXT) AS key FROM life
	WHERE evpid IS NOT NULL AND t_accepted IS NOT NULL
UNION ALL SELECT id, t_status / 3600000000, 17, CAST(status AS TEXT)
	FROM life WHERE t_status IS NOT NULL
UNION ALL SELECT id, t / 3600000000, 18, '' FROM life WHERE evpid IS NULL;
-- The life writer is the only one to insert or update a life (LS_INSERT
-- and LS_UPDATE, collector/life.c): it counts the row after an insert,
-- and takes its counts out before an update and puts them in after
-- (hour_new(), HOUR_LIFE).  A delete, by any writer, counts here.
CREATE TEMP TRIGGER IF NOT EXISTS hour_life_del BEFORE DELETE ON main.life
BEGIN
	SELECT hour_count(hour, kind, key, -1)
	    FROM hour_life WHERE id = old.id;
END;
