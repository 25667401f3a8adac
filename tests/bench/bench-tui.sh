#!/bin/sh
# bench-tui.sh [MAILTRAIL]: how fast mailtrail tui starts (to its first
# full draw) and refreshes, on a database of a million report lines
# (tests/bench/gen.sh copies of relay-suite), drawn on a terminal that is
# /dev/null (tui --bench), and the plan of each of its statements.
# The database is kept in $BENCH_DIR (build/bench-tui) for the next run.
set -eu
BIN=${1:-./mailtrail}
DIR=${BENCH_DIR:-build/bench-tui}
LINES=${BENCH_LINES:-1000000}
mkdir -p "$DIR"
# made again for another size, generator or schema
key="$LINES $(cksum <tests/bench/gen.sh) $(ls schema/[0-9]*.sql | wc -l)"
if [ ! -s "$DIR/tui.db" ] || [ "$(cat "$DIR/key" 2>/dev/null)" != "$key" ]
then
	rm -f "$DIR/tui.db" "$DIR/tui.db-wal" "$DIR/tui.db-shm"
	sh tests/bench/gen.sh tests/data/0.6/relay-suite.log "$LINES" >"$DIR/s"
	"$BIN" replay -d "$DIR/tui.db" "$DIR/s"
	echo "$key" >"$DIR/key"
	rm -f "$DIR/s"
fi
echo "database: $(du -h "$DIR/tui.db" | cut -f1), $(sqlite3 -readonly \
    "$DIR/tui.db" 'SELECT (SELECT count(*) FROM event) || " events, " ||
    (SELECT count(*) FROM envelope) || " envelopes, " ||
    (SELECT count(*) FROM session) || " sessions"')"
# run [QUERY...]: one start-up and refresh, and the whole process's time
run() {
	t0=$(date +%s%N)
	TERM=xterm-256color "$BIN" tui --bench -d "$DIR/tui.db" "$@"
	t1=$(date +%s%N)
	echo "process $(( (t1 - t0) / 1000000 )) ms (exec to exit)"
}
for i in 1 2 3; do
	echo "-- run $i"
	run
done
for q in from:alice@example.test to:temp1@dest.test ip:127.0.0.1 \
    status:deferred; do
	echo "-- filter $q"
	run "$q"
done
echo "-- plans (tests/test_tui_query.c checks none is a full scan)"
TERM=xterm-256color MAILTRAIL_BENCH_PLANS=1 "$BIN" tui --bench \
    -d "$DIR/tui.db" | sed -n '/^ *[0-9]* [A-Z]/,$p'
