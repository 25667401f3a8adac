-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 17: indexes no reader needs, or narrower, so that the
-- database stays smaller than the stream it holds (docs/performance.md
-- has the statements that read each one and what they cost).

-- rcpt_t: the one statement that read it (the TUI's refused recipient
-- at a time) names the session and msgid; the transaction's few
-- recipients, by rcpt_tx, answer it.  life_waiting: the lives of a
-- sender that wait are read by life_sender.  attempt_perm: no statement
-- reads the permanent failures by time.
DROP INDEX IF EXISTS rcpt_t;
DROP INDEX IF EXISTS life_waiting;
DROP INDEX IF EXISTS attempt_perm;

-- A recipient is looked up by its address alone; within an address the
-- entries are in the order of the rows (the TUI's newest first), where
-- the time of schema 4 made a sort of them.
DROP INDEX IF EXISTS rcpt_address;
CREATE INDEX rcpt_address ON rcpt(address COLLATE NOCASE);

-- Sessions by outcome are read for the failures (the sessions a
-- waiting life's next hop failed, the TUI's outcome: filter, report
-- tls), never for 'mail', most sessions: their condition says so.
DROP INDEX IF EXISTS session_outcome;
CREATE INDEX session_outcome ON session(outcome, t_start)
	WHERE outcome <> 'mail';

-- The envelopes of a message are a range of evpids (mailtrail.h,
-- DB_MSGID_EVPIDS): only an envelope against smtpd's rule needs an
-- entry.
DROP INDEX IF EXISTS envelope_msgid;
CREATE INDEX envelope_msgid ON envelope(msgid) WHERE msgid != evpid >> 32;

-- event_s, the largest index, grown entry by entry, is 91% full: built
-- again, its pages are packed, and stay so (a closed session's events
-- take no new entry).  The pages freed go back to the file system.
REINDEX event_s;
PRAGMA incremental_vacuum;
