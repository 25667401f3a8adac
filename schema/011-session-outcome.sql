-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 11.

-- What each session came to, kept by the writer as its lines arrive
-- (collector/sess_outcome.c is the one rule):
--   mail             a message was committed (final: nothing overrides it)
--   refused-connect  the banner, or a filter at connect, refused the link
--   refused-helo     HELO/EHLO refused
--   refused-mail     MAIL FROM refused
--   refused-rcpt     RCPT TO refused (the last refusal of the session)
--   refused-data     DATA or the message refused
--   auth-failed      AUTH refused, or link-auth reported a failure
--   tls-failed       STARTTLS refused, or accepted and never completed
--   timeout          smtpd reported a timeout
--   connect-failed   smtp-out: the connection failed (a disconnect alone)
--   aborted          the link closed inside a transaction, or in DATA
--   no-mail          the session ended with none of the above
-- Until a message is committed, the last failure wins; NULL while the
-- session is open and nothing has happened yet.  reason is the event
-- (event.id) of the line that decided the outcome, when there is one.
-- mail_from: smtp-in, the address of a MAIL FROM that was refused (no
-- transaction need exist for it: a filter refuses before tx-begin).
ALTER TABLE session ADD COLUMN outcome TEXT;
ALTER TABLE session ADD COLUMN reason INTEGER;
ALTER TABLE session ADD COLUMN mail_from TEXT;
CREATE INDEX session_mail_from ON session(mail_from COLLATE NOCASE)
    WHERE mail_from IS NOT NULL;
CREATE INDEX session_outcome ON session(outcome, t_start);

-- Sessions stored before version 11: what the rows still say.  A
-- refusal known only from the session's events stays unknown (NULL).
UPDATE session SET outcome = CASE
	WHEN EXISTS (SELECT 1 FROM tx WHERE tx.session = session.id AND
	    tx.t_commit IS NOT NULL) THEN 'mail'
	WHEN end_reason = 'timeout' THEN 'timeout'
	WHEN auth_result IS NOT NULL AND auth_result <> 0 THEN 'auth-failed'
	WHEN EXISTS (SELECT 1 FROM out_refusal r WHERE r.session = session.id)
	    THEN 'refused-mail'
	WHEN EXISTS (SELECT 1 FROM tx WHERE tx.session = session.id AND
	    tx.mail_result IS NOT NULL AND tx.mail_result <> 0)
	    THEN 'refused-mail'
	WHEN src IS NULL AND dir = 1 THEN 'connect-failed'
	END
WHERE t_end IS NOT NULL;
