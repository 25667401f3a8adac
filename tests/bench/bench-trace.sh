#!/bin/bash
# bench-trace.sh MAILTRAIL: the read side: the time to trace by evpid
# (target < 5 ms), by a recipient's address (to:ADDR) and by a session id
# (smtp-in or smtp-out), p50 and p99 over BENCH_TRACE_N random lookups
# each (default 1000; the whole command, as a user waits for it), and
# export throughput in lives/s, with and without their events (target
# >= 150k/s).  On BENCH_DB, a replay of BENCH_STREAM, as tests/bench/bench.sh
# gives them; alone, on a database of about BENCH_LINES report lines
# (default a million; tests/bench/gen.sh copies of relay-suite.log).
set -eu
mt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
db=${BENCH_DB:+$(abs "$BENCH_DB")}
stream=${BENCH_STREAM:+$(abs "$BENCH_STREAM")}
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
n=${BENCH_TRACE_N:-1000}

if [ -z "$db" ]; then
	stream=$dir/stream
	db=$dir/db
	sh tests/bench/gen.sh tests/data/0.6/relay-suite.log \
	    "${BENCH_LINES:-1000000}" >"$stream"
	"$mt" replay -d "$db" "$stream" >/dev/null 2>&1
fi
if [ -n "$stream" ]; then
	lines=$(wc -l <"$stream")
else
	lines=$(sqlite3 -readonly "$db" "SELECT count(*) FROM event")
fi
lives=$(sqlite3 -readonly "$db" "SELECT count(*) FROM v_life_all")
echo "database: $lines report lines, $lives lives"

# lookups FILE: trace each query of FILE (one a line), the first once
# more before to warm the cache; prints "P50 P99 COUNT LIVES MAX", LIVES
# the average number of lives a query matched, MAX the most
lookups() {
	local q t0 t1
	"$mt" trace -d "$db" --json "$(head -1 "$1")" >/dev/null
	: >"$dir/t"
	while read -r q; do
		t0=$EPOCHREALTIME
		"$mt" trace -d "$db" --json "$q" >"$dir/out"
		t1=$EPOCHREALTIME
		mapfile -t <"$dir/out"
		echo "$t0 $t1 ${#MAPFILE[@]}" >>"$dir/t"
	done <"$1"
	awk '{ print ($2 - $1) * 1000, $3 }' "$dir/t" | sort -n | awk '
	{ v[NR] = $1; l += $2; if ($2 > max) max = $2 }
	END { printf "%.2f %.2f %d %.1f %d\n", v[int(NR * 0.5 + 0.5)],
	    v[int(NR * 0.99 + 0.5)], NR, l / NR, max }'
}

# inproc FILE: the same queries answered by one process (trace -),
# each timed by trace --timer from the query to its last line out:
# "P50 P99 COUNT"
inproc() {
	"$mt" trace -d "$db" --json --timer - <"$1" 2>&1 >/dev/null |
	    sed -n 's/^trace: .* lives, \([0-9.]*\) ms$/\1/p' | sort -n |
	    awk '{ v[NR] = $1 } END { printf "%.2f %.2f %d\n",
	    v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)], NR }'
}

# what every command pays: start, open the database, find nothing
t0=$EPOCHREALTIME
for i in 1 2 3 4 5 6 7 8 9 10; do
	"$mt" trace -d "$db" 0000000000000000 >/dev/null 2>&1 || :
done
t1=$EPOCHREALTIME
echo "$t0 $t1" | awk '{printf "process start and open, nothing found: " \
    "%.2f ms\n", ($2 - $1) * 100}'

# random envelopes; recipients as envelopes have them (an address that
# recurs is drawn more often); sessions of both directions
sqlite3 -readonly "$db" "SELECT evpid FROM v_life ORDER BY random()
    LIMIT $n" >"$dir/evpids"
sqlite3 -readonly "$db" "SELECT 'to:' || rcpt_to FROM v_life
    WHERE rcpt_to != '' ORDER BY random() LIMIT $n" >"$dir/addrs"
sqlite3 -readonly "$db" "SELECT printf('%016x', sid) FROM session
    ORDER BY random() LIMIT $n" >"$dir/sessions"
out=$(sqlite3 -readonly "$db" "SELECT count(*) FROM session WHERE dir = 1")
all=$(sqlite3 -readonly "$db" "SELECT count(*) FROM session")

set -- $(lookups "$dir/evpids")
echo "trace by evpid: p50 $1 ms, p99 $2 ms over $3 lookups, $lines lines" \
    "(target < 5 ms)"
set -- $(lookups "$dir/addrs")
echo "trace by address (to:, a random envelope's recipient): p50 $1 ms," \
    "p99 $2 ms over $3 lookups, $lines lines; $4 lives matched on" \
    "average, at most $5"
set -- $(lookups "$dir/sessions")
echo "trace by session (random, $((out * 100 / all))% of them smtp-out):" \
    "p50 $1 ms, p99 $2 ms over $3 lookups, $lines lines; $4 lives" \
    "matched on average, at most $5"
for k in evpids addrs sessions; do
	set -- $(inproc "$dir/$k")
	echo "trace - (one process, the same $k): p50 $1 ms, p99 $2 ms" \
	    "over $3 lookups, $lines lines"
done

# export throughput: full objects (with events) and --summary
for mode in "" --summary; do
	t0=$EPOCHREALTIME
	got=$("$mt" export -d "$db" $mode | wc -l)
	t1=$EPOCHREALTIME
	echo "$got $t0 $t1" | awk -v m="${mode:-with events}" '{
	    s = $3 - $2; printf "export (%s): %d lives in %.2f s: %d lives/s" \
	    " (target >= 150000)\n", m, $1, s, $1 / s }'
done
