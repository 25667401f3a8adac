-- Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
-- mailtrail schema, version 10.

-- The TUI's meters count the last hour's messages a minute (envelope
-- time and msgid) and the sessions open (start, direction, end): these
-- indexes answer both without a look at the tables' rows, which on a
-- busy server's database are spread over many pages.  Each replaces an
-- index on its first column alone.
DROP INDEX envelope_t;
CREATE INDEX envelope_t ON envelope(t, msgid);
DROP INDEX session_t;
CREATE INDEX session_t ON session(t_start, dir, t_end);
