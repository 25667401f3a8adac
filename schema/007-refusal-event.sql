-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 7.

-- The MAIL FROM event a refusal answered, as the collector saw it, so
-- that a reader need not look for it among the session's events.  NULL
-- for refusals stored before, or when the dialogue is not stored
-- (collect --no-dialogue): readers then look for it as before.
ALTER TABLE out_refusal ADD COLUMN event INTEGER;
