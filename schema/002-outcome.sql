-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 2: smtpd's maillog, imported by
-- "mailtrail maillog".  (IF NOT EXISTS: some development builds had it in
-- version 1.)

-- What smtpd's maillog says happened (mailtrail maillog): one row per
-- line taken, each line once.  sid is the smtp-out session for mta (0
-- for 0000000000000000: no session, e.g. no MX reachable), the smtp-in
-- session for smtp-*, smtpd's own id for mda; evpid of a bounce row is
-- the failed envelope and bounce_evpid its bounce envelope.
CREATE TABLE IF NOT EXISTS outcome (
	id	INTEGER PRIMARY KEY,
	t	INTEGER,		-- line time; NULL if unknown
	host	TEXT NOT NULL,		-- syslog host; '' if none
	kind	TEXT NOT NULL,		-- mta, mda, expire, remove, bounce,
					-- smtp-message, smtp-envelope
	sid	INTEGER NOT NULL,
	evpid	INTEGER,
	msgid	INTEGER,		-- smtp-message's, else evpid >> 32
	mail_from TEXT,			-- '' for the null sender
	rcpt_to	TEXT,			-- to=
	orig_rcpt TEXT,			-- rcpt=: as received, before expansion
	source	TEXT,			-- mta: our address
	relay	TEXT,			-- mta: "ip (ptr)"; sid 0: the domain
	mda_user TEXT,			-- mda: the local user
	agent	TEXT,			-- expire, remove: 'relay', 'delivery'
	delay	INTEGER,		-- seconds since queued
	result	INTEGER,		-- mta, mda: 0 ok, 1 tempfail, 2 permfail
	stat	TEXT,			-- the status text
	size	INTEGER,		-- smtp-message
	nrcpt	INTEGER,		-- smtp-message
	proto	TEXT,			-- smtp-message: ESMTP or SMTP
	bounce_evpid INTEGER,		-- bounce
	line	TEXT NOT NULL		-- the line, without its end of line
);
CREATE UNIQUE INDEX IF NOT EXISTS outcome_line ON outcome(line);
CREATE INDEX IF NOT EXISTS outcome_evpid ON outcome(evpid);
CREATE INDEX IF NOT EXISTS outcome_msgid ON outcome(msgid);
CREATE INDEX IF NOT EXISTS outcome_t ON outcome(t);
CREATE INDEX IF NOT EXISTS outcome_bounce ON outcome(bounce_evpid)
	WHERE bounce_evpid IS NOT NULL;
