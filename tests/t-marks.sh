# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-marks.sh: every statement that changes the facts of a life marks the
# life, so that the writer builds it again before its commit (join.c and
# the triggers of schema/writer.sql, collector/life_mark.c).  Captures
# and maillogs are fed a line (or a few) per run (tests/marks.sh): after
# each step the lives are those built from scratch out of the same
# facts.  A change left unmarked leaves its life as it was, and the two
# differ at that step.  t-marks-prune.sh does the same on more captures,
# then after a prune.
. "$(dirname "$0")/lib.sh"
. "$TESTS/marks.sh"

# smtp-in refusals (550 to RCPT), replies before their tx-rcpt (0.6)
fresh
stepped replay "$DATA/0.6/d-relay-denied.log" 1
# several recipients, a next hop's 550 and 451, a retry and a bounce
fresh
stepped replay "$DATA/0.6/b-multi-rcpt.log" 1
# then the maillog of the same run
stepped maillog "$DATA/maillog/6.8/b-multi-rcpt.maillog" 7
