#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench-tui.sh [MAILTRAIL]: how fast mailtrail tui starts (to its first
# full draw) and refreshes, drawn on a terminal that is /dev/null (tui
# --bench), unfiltered and filtered on the busiest sender and recipient,
# and the plan of each of its statements.  On BENCH_DB if set (make
# bench: each case's database); else on a database of BENCH_LINES report
# lines (default a million; tests/bench/gen.sh copies of relay-suite),
# kept in $BENCH_DIR (build/bench-tui) for the next run.
set -eu
BIN=${1:-./mailtrail}
DIR=${BENCH_DIR:-build/bench-tui}
LINES=${BENCH_LINES:-1000000}
DB=${BENCH_DB:-$DIR/tui.db}
# made again for another size, generator or schema
key="$LINES $(cksum <tests/bench/gen.sh) $(ls schema/[0-9]*.sql | wc -l)"
if [ -z "${BENCH_DB:-}" ] && { [ ! -s "$DB" ] ||
    [ "$(cat "$DIR/key" 2>/dev/null)" != "$key" ]; }
then
	mkdir -p "$DIR"
	rm -f "$DB" "$DIR/tui.db-wal" "$DIR/tui.db-shm"
	sh tests/bench/gen.sh tests/data/0.6/relay-suite.log "$LINES" >"$DIR/s"
	"$BIN" replay -d "$DB" "$DIR/s"
	echo "$key" >"$DIR/key"
	rm -f "$DIR/s"
fi
echo "database: $(du -h "$DB" | cut -f1), $(sqlite3 -readonly \
    "$DB" 'SELECT (SELECT count(*) FROM event) || " events, " ||
    (SELECT count(*) FROM envelope) || " envelopes, " ||
    (SELECT count(*) FROM session) || " sessions"')"
# run [QUERY...]: one start-up and refresh, and the whole process's time
run() {
	t0=$(date +%s%N)
	TERM=xterm-256color "$BIN" tui --bench -d "$DB" "$@"
	t1=$(date +%s%N)
	echo "process $(( (t1 - t0) / 1000000 )) ms (exec to exit)"
}
for i in 1 2 3; do
	echo "-- run $i"
	run
done
# the busiest sender and recipient (bounces are mail to their sender)
from=$(sqlite3 -readonly "$DB" "SELECT mail_from FROM tx WHERE mail_from
    LIKE '%@%' GROUP BY mail_from ORDER BY count(*) DESC LIMIT 1")
to=$(sqlite3 -readonly "$DB" "SELECT address FROM rcpt WHERE address
    LIKE '%@%' GROUP BY address ORDER BY count(*) DESC LIMIT 1")
for q in "from:$from" "to:$to" ip:127.0.0.1 status:deferred; do
	echo "-- filter $q"
	run "$q"
done
echo "-- plans (tests/test_tui_query.c checks none is a full scan)"
TERM=xterm-256color MAILTRAIL_BENCH_PLANS=1 "$BIN" tui --bench \
    -d "$DB" | sed -n '/^ *[0-9]* [A-Z]/,$p'
