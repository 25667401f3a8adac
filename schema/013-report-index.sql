-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 13: indexes that let report summary read
-- index entries where it read rows.

-- The recipients refused at smtp-in (their lives have no evpid) by
-- time (and the NULL, so that the entry alone answers): report
-- summary counts them in its window, where the index life_t would
-- lead to every life's row to find the few without an evpid.
CREATE INDEX life_rejected ON life(t, evpid) WHERE evpid IS NULL;

-- The envelopes of a message of a transaction (v_message counts them
-- for each message): the entry answers, where envelope_msgid leads to
-- each envelope's row for its tx.
CREATE INDEX envelope_tx ON envelope(tx, msgid);
