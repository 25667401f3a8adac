-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- The writer's own: made at each read-write open, gone at its close.
-- Every change to the facts of a life marks the life; the writer
-- builds the marked lives again before it commits (collector/life.c).
-- collector/join.c marks in C an envelope new or given its recipient,
-- an attempt new, a recipient refused or given its reply, and the
-- lives of a tx whose sender or times it sets (the only statements
-- that insert into envelope, attempt and rcpt or update envelope, rcpt
-- and tx); these triggers mark what the others change.

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
CREATE TEMP TRIGGER IF NOT EXISTS life_attempt_upd AFTER UPDATE
ON main.attempt BEGIN
	INSERT OR IGNORE INTO life_dirty VALUES (new.evpid);
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

-- The sessions of each hour by their TLS parameters (schema 9, hour).
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_ins AFTER INSERT
ON main.session BEGIN
	INSERT INTO hour(hour, kind, key, n) VALUES
	    (new.t_start / 3600000000, 1 + new.dir, coalesce(new.tls, ''), 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_upd
AFTER UPDATE OF t_start, dir, tls ON main.session
WHEN old.t_start != new.t_start OR old.dir != new.dir OR
    old.tls IS NOT new.tls BEGIN
	UPDATE hour SET n = n - 1 WHERE kind = 1 + old.dir AND
	    key = coalesce(old.tls, '') AND hour = old.t_start / 3600000000;
	INSERT INTO hour(hour, kind, key, n) VALUES
	    (new.t_start / 3600000000, 1 + new.dir, coalesce(new.tls, ''), 1)
	    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER IF NOT EXISTS hour_session_del AFTER DELETE
ON main.session BEGIN
	UPDATE hour SET n = n - 1 WHERE kind = 1 + old.dir AND
	    key = coalesce(old.tls, '') AND hour = old.t_start / 3600000000;
END;
