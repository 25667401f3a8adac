-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 3.

-- smtp-out: the next hop refused MAIL FROM.  No tx-* event follows, so
-- the envelopes concerned are not named in the report stream; readers
-- attribute the refusal by sender and time (maillog names them).
CREATE TABLE out_refusal (
	id	INTEGER PRIMARY KEY,
	session	INTEGER NOT NULL,	-- session.id (smtp-out)
	t	INTEGER NOT NULL,
	mail_from TEXT,
	result	INTEGER,		-- 1 tempfail, 2 permfail
	reply	TEXT
);
CREATE INDEX out_refusal_from ON out_refusal(mail_from, t);
CREATE INDEX out_refusal_session ON out_refusal(session);

-- since: and until: on recipients refused at smtp-in.
CREATE INDEX rcpt_t ON rcpt(t);

-- The next hop's own queue id, from its reply to the end of DATA
-- ("queued as X", "X Message accepted", "id=X", "<X>").
ALTER TABLE attempt ADD COLUMN remote_id TEXT;
CREATE INDEX attempt_remote ON attempt(remote_id) WHERE remote_id IS NOT NULL;
