-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 12: the times of maillog lines that have
-- none of their own, and smtpd -v's removals.

-- 1: the line had no time (smtpd -d output as it is): t is estimated
-- from the reports of its envelope or session (collector/outcome.c),
-- to the second at best, and never before what it follows.  Readers
-- print it as an estimate.
ALTER TABLE outcome ADD COLUMN t_estimated INTEGER NOT NULL DEFAULT 0;

-- kind 'remove' with agent NULL is smtpd -v's "scheduler: evp:X
-- removed", when no "Remove for X" line is stored; with one, that line
-- is kept as kind 'scheduler-remove', which no reader counts.
