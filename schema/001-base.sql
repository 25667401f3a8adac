-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 1: the write model.
--
-- Conventions: times are INTEGER microseconds since the epoch (UTC).
-- smtpd ids are stored as INTEGER: session ids and evpids as signed
-- 64-bit, msgids as signed 32-bit (the bit patterns of the unsigned hex
-- ids; readers print them with printf('%016x') / printf('%08x')).
-- dir is 0 for smtp-in, 1 for smtp-out.
-- result columns: 0 ok, 1 tempfail, 2 permfail, 3 error (link-auth only).

-- Every line received, in order.  A report line that can be rebuilt
-- byte for byte from its parsed form keeps no copy of itself (raw IS
-- NULL); any other line (malformed, unknown event or version, or
-- not in canonical form) keeps the original bytes in raw.
CREATE TABLE event (
	id	INTEGER PRIMARY KEY,
	t	INTEGER,		-- event time
	k	INTEGER NOT NULL,	-- kind: event + 32 * dir + 64 * (minor - 4); 0 = raw only
	s	INTEGER,		-- session.id
	m	INTEGER,		-- msgid, for tx-* events
	x	TEXT,			-- parameters after the msgid, as on the wire
	raw	BLOB			-- original line when it cannot be rebuilt
);
CREATE INDEX event_s ON event(s);

CREATE TABLE session (
	id	INTEGER PRIMARY KEY,
	sid	INTEGER NOT NULL,	-- smtpd session id
	dir	INTEGER NOT NULL,
	t_start	INTEGER NOT NULL,	-- first event
	t_end	INTEGER,		-- link-disconnect (NULL while open)
	end_reason TEXT,		-- 'disconnect', 'timeout', 'expired'
	rdns	TEXT,
	fcrdns	TEXT,			-- pass, fail, error
	src	TEXT,			-- in: client; out: our side
	dest	TEXT,			-- in: listener; out: next hop
	greeting TEXT,			-- name in the 220 banner
	helo_method TEXT,		-- HELO, EHLO, LHLO
	helo	TEXT,
	tls	TEXT,			-- version:cipher:bits
	auth_user TEXT,
	auth_result INTEGER
);
CREATE INDEX session_sid ON session(sid);
CREATE INDEX session_t ON session(t_start);

-- A transaction: (session, msgid).  smtp-in: tx-begin to tx-reset.
-- smtp-out: tx-begin until the next tx-begin or link-disconnect; the
-- rollback/reset after one refused RCPT does not end it.
CREATE TABLE tx (
	id	INTEGER PRIMARY KEY,
	session	INTEGER NOT NULL,	-- session.id
	msgid	INTEGER NOT NULL,
	t_begin	INTEGER NOT NULL,
	t_end	INTEGER,
	mail_from TEXT,
	mail_result INTEGER,
	data_result INTEGER,
	t_commit INTEGER,
	size	INTEGER,		-- smtp-out: a per-session running total
	rolled_back INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tx_session ON tx(session);
CREATE INDEX tx_msgid ON tx(msgid);
CREATE INDEX tx_from ON tx(mail_from COLLATE NOCASE);

-- A recipient as given to smtp-in (RCPT TO), accepted or refused.
CREATE TABLE rcpt (
	id	INTEGER PRIMARY KEY,
	tx	INTEGER NOT NULL,	-- tx.id (smtp-in)
	t	INTEGER NOT NULL,
	address	TEXT,
	result	INTEGER,
	reply	TEXT			-- smtpd's reply line to the RCPT
);
CREATE INDEX rcpt_tx ON rcpt(tx);
CREATE INDEX rcpt_address ON rcpt(address COLLATE NOCASE);

-- An envelope in the queue.  One accepted RCPT yields one or more.
CREATE TABLE envelope (
	evpid	INTEGER PRIMARY KEY,
	msgid	INTEGER NOT NULL,
	tx	INTEGER,		-- smtp-in tx.id (NULL: not seen on smtp-in)
	rcpt	INTEGER,		-- rcpt.id
	t	INTEGER NOT NULL	-- first seen
);
CREATE INDEX envelope_msgid ON envelope(msgid);
CREATE INDEX envelope_rcpt ON envelope(rcpt);
CREATE INDEX envelope_t ON envelope(t);

-- One smtp-out delivery attempt of one envelope.
CREATE TABLE attempt (
	id	INTEGER PRIMARY KEY,
	evpid	INTEGER NOT NULL,
	session	INTEGER NOT NULL,	-- session.id (smtp-out)
	tx	INTEGER,		-- tx.id (smtp-out)
	t	INTEGER NOT NULL,	-- RCPT TO sent
	t_end	INTEGER,		-- result known
	address	TEXT,			-- from tx-rcpt, when reported
	result	INTEGER,		-- NULL while in progress
	reply	TEXT			-- the next hop's reply that decided it
);
CREATE INDEX attempt_evpid ON attempt(evpid);
CREATE INDEX attempt_session ON attempt(session);
CREATE INDEX attempt_t ON attempt(t);

-- The config block of each collector start, and other facts.
CREATE TABLE config (
	t	INTEGER NOT NULL,	-- when it was read (collector clock)
	key	TEXT NOT NULL,
	value	TEXT
);

-- The collector's counters, written with each commit.
CREATE TABLE counter (
	name	TEXT PRIMARY KEY,
	value	INTEGER NOT NULL
) WITHOUT ROWID;

-- Event names by number, for readers of event.k (k % 32).
CREATE TABLE event_name (
	id	INTEGER PRIMARY KEY,
	name	TEXT NOT NULL
);
INSERT INTO event_name VALUES
	(1, 'link-connect'), (2, 'link-disconnect'), (3, 'link-greeting'),
	(4, 'link-identify'), (5, 'link-tls'), (6, 'link-auth'),
	(7, 'tx-reset'), (8, 'tx-begin'), (9, 'tx-mail'), (10, 'tx-rcpt'),
	(11, 'tx-envelope'), (12, 'tx-data'), (13, 'tx-commit'),
	(14, 'tx-rollback'), (15, 'protocol-client'), (16, 'protocol-server'),
	(17, 'filter-report'), (18, 'filter-response'), (19, 'timeout');
