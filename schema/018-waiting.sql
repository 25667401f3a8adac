-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 18: the waiting lives of a sender, by index again.
-- A refused MAIL FROM on smtp-out asks for the sender's lives that wait
-- (collector/life.c, LS_REFUSAL_LIVES); without this index it read
-- every life of the sender by life_sender, done ones too, which grows
-- with the sender's traffic: a newsletter's, on each refusal.
CREATE INDEX IF NOT EXISTS life_waiting ON life(mail_from COLLATE NOCASE)
	WHERE status IN (0, 2);
