-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema 14: the indexes mailtrail metrics reads.  A scrape counts
-- whole tables, so each count is one scan of a small covering index,
-- never of the rows: IF NOT EXISTS, for a database that had them.

-- Sessions by direction and outcome; AUTH by direction and result.
CREATE INDEX IF NOT EXISTS session_dir_outcome ON session(dir, outcome);
CREATE INDEX IF NOT EXISTS session_auth ON session(dir, auth_result)
	WHERE auth_result IS NOT NULL;

-- Failed attempts by result and reply (a class per distinct reply); the
-- delivered ones, that have no class, counted on a narrow index.
CREATE INDEX IF NOT EXISTS attempt_result ON attempt(result, reply)
	WHERE result > 0;
CREATE INDEX IF NOT EXISTS attempt_ok ON attempt(result) WHERE result = 0;

-- The queue: status, the reply of the last deferral, since when.
CREATE INDEX IF NOT EXISTS life_queue ON life(status, reply,
	coalesce(t_accepted, t)) WHERE status IN (0, 2) AND evpid IS NOT NULL;

-- Time to delivery: one per delivered envelope.
CREATE INDEX IF NOT EXISTS life_delivered ON life(t_final - t_accepted)
	WHERE status = 1;
