-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 4.

-- Bounce links look up by address within a time window: a recipient's
-- bounce messages, a sender's messages around a refused MAIL FROM.
-- Keyed by address first, the lookup stays small however busy the
-- server; by time first, it grew with every other message in the
-- window.
DROP INDEX rcpt_address;
CREATE INDEX rcpt_address ON rcpt(address COLLATE NOCASE, t);
DROP INDEX tx_from;
CREATE INDEX tx_from ON tx(mail_from COLLATE NOCASE, t_commit);

-- The permanent failures of a time window, the causes a bounce may
-- have: few rows, so the index is small.
CREATE INDEX attempt_perm ON attempt(t) WHERE result = 2;
