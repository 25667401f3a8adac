-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 8.

-- The state of every life, kept by the writer (collector/life*.c) in
-- the transaction that stores the lines that change it: one row per
-- envelope (evpid) and per recipient refused at smtp-in (evpid NULL,
-- rcpt).  Readers read it; none derives a status of its own.  status:
-- 0 queued, 1 delivered, 2 deferred, 3 failed, 4 rejected, 5 aborted,
-- 6 expired, 7 removed (docs/json.md).
CREATE TABLE life (
	id	INTEGER PRIMARY KEY,
	evpid	INTEGER,		-- NULL: refused at smtp-in
	rcpt	INTEGER,		-- rcpt.id, when seen on smtp-in
	msgid	INTEGER NOT NULL,
	tx	INTEGER,		-- the smtp-in tx.id
	t	INTEGER NOT NULL,	-- first seen: the order of lives
	mail_from TEXT,
	rcpt_to	TEXT,
	status	INTEGER NOT NULL,
	t_status INTEGER,		-- when it took that status
	reply	TEXT,			-- the reply or maillog text that decided it
	attempts INTEGER NOT NULL DEFAULT 0,	-- made, inferred ones too
	decisive INTEGER,		-- attempt.id that decided it, if one
	outcome	INTEGER,		-- outcome.id (maillog) that decided it
	refusal	INTEGER,		-- out_refusal.id that decided it
	remote_id TEXT,			-- the next hop's queue id, from it
	t_begin	INTEGER,		-- smtp-in MAIL FROM accepted
	t_accepted INTEGER,		-- smtp-in commit (queued)
	t_first	INTEGER,		-- first attempt
	t_final	INTEGER,		-- delivered, failed, expired, removed
	t_done	INTEGER,		-- first reported attempt that delivered
					-- or failed it (the refusal rule's)
	host	TEXT,			-- syslog host of its maillog lines
	local	INTEGER NOT NULL DEFAULT 0,	-- received on the local socket
	t_fail	INTEGER,		-- when it failed, for its bounce
	bounce	INTEGER,		-- evpid of the bounce smtpd sent for it
	bounce_exact INTEGER,		-- 1: a "bouncing" line of maillog says so
	bounce_queue INTEGER		-- the bounce envelope that line names
);
CREATE UNIQUE INDEX life_evpid ON life(evpid) WHERE evpid IS NOT NULL;
CREATE UNIQUE INDEX life_rcpt ON life(rcpt) WHERE evpid IS NULL;
CREATE INDEX life_t ON life(t);
CREATE INDEX life_status ON life(status, t_status);
-- The waiting lives of a sender: a refused MAIL FROM looks there; and
-- the messages of a sender no attempt had finished by a time (t_done
-- NULL or after it), whatever the sender's traffic.
CREATE INDEX life_waiting ON life(mail_from COLLATE NOCASE)
	WHERE status IN (0, 2);
CREATE INDEX life_sender ON life(mail_from COLLATE NOCASE, t_done,
	t_accepted) WHERE evpid IS NOT NULL;
-- Bounces (docs/bounces.md): the bounce messages to an address by the
-- time they were queued, the failures of a sender by their time, and
-- the failures a bounce is for.
CREATE INDEX life_bounces ON life(rcpt_to COLLATE NOCASE, t_accepted)
	WHERE mail_from = '' AND local = 1;
CREATE INDEX life_failures ON life(mail_from COLLATE NOCASE, t_fail)
	WHERE t_fail IS NOT NULL;
CREATE INDEX life_bounce_of ON life(bounce) WHERE bounce IS NOT NULL;

-- Each change of a life's state, in time: the status it took at t,
-- until t_until (NULL: its current state).
CREATE TABLE life_change (
	id	INTEGER PRIMARY KEY AUTOINCREMENT,	-- never reused: a
					-- follower's cursor (export --follow)
	life	INTEGER NOT NULL,	-- life.id
	t	INTEGER NOT NULL,
	t_until	INTEGER,
	status	INTEGER NOT NULL,
	reply	TEXT
);
CREATE INDEX life_change_life ON life_change(life);
CREATE INDEX life_change_wait ON life_change(t) WHERE status IN (0, 2);

-- The refused MAIL FROM the writer gave to a waiting envelope: smtpd
-- says no more than the sender (docs/json.md has the rule).
CREATE TABLE life_refusal (
	evpid	INTEGER NOT NULL,
	refusal	INTEGER NOT NULL,	-- out_refusal.id
	PRIMARY KEY (evpid, refusal)
) WITHOUT ROWID;
CREATE INDEX life_refusal_refusal ON life_refusal(refusal);

-- What an mta line of maillog is about, as the writer matched it: the
-- attempt it confirms, or the refused MAIL FROM of its session.
ALTER TABLE outcome ADD COLUMN attempt INTEGER;
ALTER TABLE outcome ADD COLUMN refusal INTEGER;

-- The lives of an older database are built by the writer's next open.
INSERT INTO counter(name, value) VALUES ('life_build', 1)
	ON CONFLICT(name) DO UPDATE SET value = 1;
