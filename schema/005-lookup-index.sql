-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 5.

-- trace by session: the envelopes a maillog line of that session names.
CREATE INDEX outcome_sid ON outcome(sid);

-- trace by address: the envelopes seen only on smtp-out (the collector
-- started after smtp-in took them) have no rcpt or tx row to be found
-- by; there are few.
CREATE INDEX envelope_orphan ON envelope(t) WHERE tx IS NULL OR rcpt IS NULL;
