#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench-trace.sh MAILTRAIL: the read side: the time to trace by evpid
# (target < 5 ms), by a recipient's address (to:ADDR) and by a session id
# (smtp-in or smtp-out), p50 and p99 over BENCH_TRACE_N random lookups
# each (default 1000; the whole command, as a user waits for it); the
# busiest sender's mail (from:) and the bounces back to it (to:); and
# export throughput in lives/s, with and without their events (targets
# 50k/s and 150k/s, of the whole database), and of the later half of the
# lives (a since: window) and the busiest sender's, and --summary of
# two hosts (the database and a link to it).  A lookup is cut
# after BENCH_TRACE_CUT seconds (default 10; 120 for the busiest sender)
# and counts as that long; the same query again counts as cut without
# being run; export is cut after BENCH_EXPORT_CUT seconds (default 600).
# On BENCH_DB, a replay of BENCH_STREAM, as tests/bench/bench.sh gives
# them; alone, on a database of about BENCH_LINES report lines (default
# a million; tests/bench/gen.sh copies of relay-suite.log).
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
# the views, which the database does not hold
views=$("$mt" sql --views)
lives=$(sqlite3 -readonly -cmd "$views" "$db" \
    "SELECT count(*) FROM v_life_all")
echo "database: $lines report lines, $lives lives"

cut=${BENCH_TRACE_CUT:-10}
# lookups FILE [cold]: trace each query of FILE (one a line), each the
# whole process, timed from its spawn to its exit by
# tests/bench/lookups.py; prints "P50 P99 COUNT LIVES MAX CUT" and
# writes the queries answered in time to FILE.ok
lookups() {
	python3 tests/bench/lookups.py "$mt" "$db" "$1" "$cut" ${2:+"$2"}
}
# cuts N: what the figures say of N lookups cut
cuts() {
	[ "$1" = 0 ] || echo "; $1 cut at $cut s (counted as $cut s; not in" \
	    "the one-process figures)"
}

# inproc FILE: the same queries answered by one process (trace -),
# each timed by trace --timer from the query to its last line out:
# "P50 P99 COUNT"
inproc() {
	"$mt" trace -d "$db" --json --timer - <"$1" 2>&1 >/dev/null |
	    sed -n 's/^trace: .* sessions, \([0-9.]*\) ms$/\1/p' | sort -n |
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
sqlite3 -readonly -cmd "$views" "$db" "SELECT evpid FROM v_life
    ORDER BY random() LIMIT $n" >"$dir/evpids"
sqlite3 -readonly -cmd "$views" "$db" "SELECT 'to:' || rcpt_to
    FROM v_life WHERE rcpt_to != '' ORDER BY random() LIMIT $n" >"$dir/addrs"
sqlite3 -readonly "$db" "SELECT printf('%016x', sid) FROM session
    ORDER BY random() LIMIT $n" >"$dir/sessions"
out=$(sqlite3 -readonly "$db" "SELECT count(*) FROM session WHERE dir = 1")
all=$(sqlite3 -readonly "$db" "SELECT count(*) FROM session")

set -- $(lookups "$dir/evpids")
echo "trace by evpid: p50 $1 ms, p99 $2 ms over $3 lookups, $lines lines" \
    "(target < 5 ms)$(cuts "$6")"
set -- $(lookups "$dir/addrs")
echo "trace by address (to:, a random envelope's recipient): p50 $1 ms," \
    "p99 $2 ms over $3 lookups, $lines lines; $4 lives matched on" \
    "average, at most $5$(cuts "$6")"
set -- $(lookups "$dir/sessions")
echo "trace by session (random, $((out * 100 / all))% of them smtp-out):" \
    "p50 $1 ms, p99 $2 ms over $3 lookups, $lines lines; $4 lives" \
    "matched on average, at most $5$(cuts "$6")"
for k in evpids addrs sessions; do
	set -- $(inproc "$dir/$k.ok")
	echo "trace - (one process, the same $k): p50 $1 ms, p99 $2 ms" \
	    "over $3 lookups, $lines lines"
done

# the busiest sender, as the messages received say: its mail, and the
# bounces back to it, each one lookup of the whole command
top=$(sqlite3 -readonly "$db" "SELECT t.mail_from, count(*) FROM tx t
    JOIN session s ON s.id = t.session WHERE s.dir = 0 AND t.t_commit
    IS NOT NULL GROUP BY 1 ORDER BY (t.mail_from = ''), 2 DESC LIMIT 1")
msgs=$(sqlite3 -readonly "$db" "SELECT count(*) FROM tx t JOIN session s
    ON s.id = t.session WHERE s.dir = 0 AND t.t_commit IS NOT NULL")
cut=${BENCH_TRACE_TOPCUT:-120}
for q in "from:${top%|*}" "to:${top%|*}"; do
	echo "$q" >"$dir/top"
	set -- $(lookups "$dir/top" cold)
	if [ "$6" = 0 ]; then
		t="$1 ms, $5 lives"
	else
		t="over $cut s (cut, $5 lives out by then)"
	fi
	echo "trace the busiest sender (${top#*|} of $msgs messages" \
	    "received), $q: $t, $lines lines"
done

# export throughput: full objects (with events) and --summary, cut
# after BENCH_EXPORT_CUT seconds (default 600): then the lives out by
# then; as export runs (it chooses how many processes: export -j), then
# in one process (-j 1); then the later half of the lives (since: the
# time of the middle one), and the busiest sender's (a query, one
# process), as export runs
cut=${BENCH_EXPORT_CUT:-600}
cores=$(getconf _NPROCESSORS_ONLN)
half=$(sqlite3 -readonly "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
    t / 1000000, 'unixepoch') FROM life ORDER BY t LIMIT 1 OFFSET
    (SELECT count(*) / 2 FROM life)")
for how in "" "-j 1" "since:$half" "from:${top%|*}"; do
	for mode in "" --summary; do
		case $how in
		*:*) all= label="$how, as it chooses" ;;
		-j*) all=$lives label=$how ;;
		*) all=$lives label="as it chooses, $cores cores" ;;
		esac
		t0=$EPOCHREALTIME
		got=$({ timeout "$cut" "$mt" export -d "$db" $how $mode
		    echo $? >"$dir/rc"; } | wc -l)
		t1=$EPOCHREALTIME
		echo "$got $t0 $t1 $(cat "$dir/rc")" | awk \
		    -v m="${mode:-with events}" -v all="$all" -v cut="$cut" \
		    -v j="$label" '{
		    s = $3 - $2; c = ""; g = ""
		    if ($4 == 124)
			c = sprintf("; cut after %d s, %d lives%s out", cut,
			    $1, all == "" ? "" : " of " all)
		    t = m == "--summary" ? 150000 : 50000
		    if (all != "")	# targets: of the whole database
			g = sprintf(" (target >= %d)", t)
		    printf "export (%s; %s): %d lives in %.2f s: %d lives/s" \
		    "%s%s\n", m, j, $1, s, $1 / s, g, c }'
	done
done

# two hosts: the database beside itself under another name (a link);
# each life asks the other host for the attempt that handed it over
# (export/hosts.c), one index probe a life
ln -s "$db" "$dir/other.db"
t0=$EPOCHREALTIME
got=$({ timeout "$cut" "$mt" export -d "$db" -d "$dir/other.db" --summary
    echo $? >"$dir/rc"; } | wc -l)
t1=$EPOCHREALTIME
echo "$got $t0 $t1 $(cat "$dir/rc")" | awk -v cut="$cut" '{
    s = $3 - $2; c = ""
    if ($4 == 124)
	c = sprintf("; cut after %d s", cut)
    printf "export (--summary; two hosts, the database and a link to it): " \
    "%d lives in %.2f s: %d lives/s%s\n", $1, s, $1 / s, c }'
