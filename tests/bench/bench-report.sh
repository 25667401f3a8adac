#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench-report.sh MAILTRAIL: the CPU time of one metrics scrape, then
# how long each report takes (text, then JSON, --until the last event),
# one line each, on $BENCH_DB (make bench: the replay of the largest
# generated stream), with its number of lines; then each over the last
# day only; then sql on one documented query, and prune of everything
# (then VACUUM) on a copy.
set -eu
mt=$1
db=${BENCH_DB:?BENCH_DB must name a database}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench-report.XXXXXX")
trap 'rm -rf "$dir"' EXIT
lines=$(sqlite3 -readonly "$db" "SELECT count(*) FROM event")
# as of the last event, so that the queue holds what the stream left
until=$(sqlite3 -readonly "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
    max(t) / 1000000 + 1, 'unixepoch') FROM event")
# the last day of it, as an operator asks most often
since=$(sqlite3 -readonly "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
    max(t) / 1000000 + 1 - 86400, 'unixepoch') FROM event")

# secs CMD...: wall seconds, or "failed"
secs() {
	if /usr/bin/time -f %e -o "$dir/time" "$@" >/dev/null; then
		cat "$dir/time"
	else
		echo failed
	fi
}

# cpu CMD...: user + system seconds, or "failed"
cpu() {
	if /usr/bin/time -f '%U %S' -o "$dir/time" "$@" >/dev/null; then
		awk '{ printf "%.2f\n", $1 + $2 }' "$dir/time"
	else
		echo failed
	fi
}

# warm PORT PID: the CPU seconds of one scrape of a running --listen,
# after its first (which matches every reply to its class once)
warm() {
	curl -sf "http://127.0.0.1:$1/metrics" >/dev/null || return 1
	t0=$(awk '{ print $14 + $15 }' "/proc/$2/stat")
	for i in 1 2 3 4 5 6 7 8 9 10; do
		curl -sf "http://127.0.0.1:$1/metrics" >/dev/null || return 1
	done
	t1=$(awk '{ print $14 + $15 }' "/proc/$2/stat")
	echo "$t0 $t1 $(getconf CLK_TCK)" |
	    awk '{ printf "%.3f\n", ($2 - $1) / $3 / 10 }'
}
port=$(python3 -c 'import socket; s = socket.socket();
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$mt" metrics -d "$db" --listen "127.0.0.1:$port" &
srv=$!
sleep 1
echo "metrics: one scrape $(cpu "$mt" metrics -d "$db") s user+sys," \
    "--top-domains 10 $(cpu "$mt" metrics -d "$db" --top-domains 10) s," \
    "a scrape of --listen $(warm "$port" "$srv" || echo failed) s" \
    "($lines lines) [target < 0.2 s]"
kill "$srv"
wait "$srv" || true
for r in $("$mt" report | awk '/^  [a-z]/ { print $1 }'); do
	echo "report $r: $(secs "$mt" report "$r" -d "$db" --until "$until")" \
	    "s, --json $(secs "$mt" report "$r" -d "$db" --json \
	    --until "$until") s" \
	    "($lines lines, all of it) [target < 1 s]"
done
for r in $("$mt" report | awk '/^  [a-z]/ { print $1 }'); do
	echo "report $r --since the last day: $(secs "$mt" report "$r" \
	    -d "$db" --since "$since" --until "$until") s ($lines lines)"
done
# the queue as it stood a quarter, half and three quarters of the way
for q in 1 2 3; do
	at=$(sqlite3 -readonly "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ',
	    (min(t) + (max(t) - min(t)) * $q / 4) / 1000000, 'unixepoch')
	    FROM event WHERE t IS NOT NULL")
	echo "report queue --at $at ($q/4 of the way): $(secs "$mt" report \
	    queue -d "$db" --at "$at") s, --json $(secs "$mt" report queue \
	    -d "$db" --json --at "$at") s ($lines lines) [target < 1 s]"
done
# report destinations against the day before, in user CPU seconds
/usr/bin/time -f %U -o "$dir/time" "$mt" report destinations -d "$db" \
    --since "$since" --until "$until" --compare >/dev/null
echo "report destinations --compare --since the last day: $(cat \
    "$dir/time") s user ($lines lines) [target < 1 s]"
echo "sql: p95 per domain $(secs "$mt" sql -d "$db" "WITH d AS (SELECT
    domain, t - t_received AS us, row_number() OVER (PARTITION BY domain
    ORDER BY t - t_received) AS k, count(*) OVER (PARTITION BY domain)
    AS n FROM v_delivery WHERE result = 'ok' AND t_received IS NOT NULL)
    SELECT domain, max(n), max(CASE WHEN k = (95 * n + 99) / 100 THEN us
    END) FROM d GROUP BY domain") s ($lines lines)"
sqlite3 "$db" ".backup '$dir/copy.db'"
echo "prune: all of it, then VACUUM $(secs "$mt" prune -d "$dir/copy.db" \
    --older-than 2100-01-01) s ($lines lines)"
