#!/bin/bash
# bench-trace.sh MAILTRAIL: the read side on a database of about a
# million report lines (tests/gen.sh copies of relay-suite.log): the
# time to trace one envelope by evpid, p50 and p99 over 200 random
# lookups (the whole command, as a user waits for it; target < 5 ms),
# and export throughput in lives/s, with and without their events
# (target >= 100k/s).  BENCH_LINES overrides the size.
set -eu
mt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
lines=${BENCH_LINES:-1000000}

sh tests/gen.sh tests/data/0.6/relay-suite.log "$lines" >"$dir/stream"
"$mt" replay -d "$dir/db" "$dir/stream" >/dev/null 2>&1
n=$(wc -l <"$dir/stream")
lives=$(sqlite3 -readonly "$dir/db" "SELECT count(*) FROM v_life_all")
echo "database: $n report lines, $lives lives"

# p50/p99 of 200 lookups of random evpids (the first run warms the cache)
sqlite3 -readonly "$dir/db" "SELECT evpid FROM v_life ORDER BY random()
    LIMIT 200" >"$dir/evpids"
"$mt" trace -d "$dir/db" --json "$(head -1 "$dir/evpids")" >/dev/null
: >"$dir/ms"
while read -r e; do
	t0=$EPOCHREALTIME
	"$mt" trace -d "$dir/db" --json "$e" >/dev/null
	t1=$EPOCHREALTIME
	echo "$t0 $t1" | awk '{printf "%.3f\n", ($2 - $1) * 1000}' >>"$dir/ms"
done <"$dir/evpids"
# what every command pays: start, open the database, find nothing
t0=$EPOCHREALTIME
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$mt" trace -d "$dir/db" 0000000000000000 >/dev/null 2>&1 || :
done
t1=$EPOCHREALTIME
echo "$t0 $t1" | awk '{printf "process start and open, nothing found: " \
    "%.2f ms\n", ($2 - $1) * 100}'
sort -n "$dir/ms" | awk '{v[NR] = $1} END {
	printf "trace by evpid: p50 %.2f ms, p99 %.2f ms over %d lookups " \
	    "(target < 5 ms)\n", v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)], NR }'

# export throughput: full objects (with events) and --summary
for mode in "" --summary; do
	t0=$EPOCHREALTIME
	got=$("$mt" export -d "$dir/db" $mode | wc -l)
	t1=$EPOCHREALTIME
	echo "$got $t0 $t1" | awk -v m="${mode:-with events}" '{
	    s = $3 - $2; printf "export (%s): %d lives in %.2f s: %d lives/s" \
	    " (target >= 100000)\n", m, $1, s, $1 / s }'
done
