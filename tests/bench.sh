#!/bin/sh
# bench.sh MAILTRAIL: ingest figures on streams generated from a real
# capture (tests/gen.sh): lines/s of replay on one core, database bytes
# per stream byte, and peak RSS of collect at two sizes (flat = equal).
# One figure per line.  BENCH_LINES overrides the sizes ("1000000 3000000").
set -eu
mt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sizes=${BENCH_LINES:-"1000000 3000000"}
cap=tests/data/0.6/relay-suite.log

# peak RSS in KiB and wall seconds of a command: "KIB SECONDS"
measure() {
	/usr/bin/time -f '%M %e' -o "$dir/time" "$@" >/dev/null
	cat "$dir/time"
}

for n in $sizes; do
	sh tests/gen.sh "$cap" "$n" >"$dir/stream"
	lines=$(wc -l <"$dir/stream")
	bytes=$(wc -c <"$dir/stream")
	set -- $(measure taskset -c 0 "$mt" replay -d "$dir/r.db" "$dir/stream")
	dbbytes=$(stat -c %s "$dir/r.db")
	echo "replay: $lines lines in $2 s: $(echo "$lines $2" |
	    awk '{printf "%d", $1 / $2}') lines/s (one core)"
	echo "storage: $dbbytes database bytes for $bytes stream bytes:" \
	    "$(echo "$dbbytes $bytes" | awk '{printf "%.2f", $1 / $2}')x" \
	    "($lines lines)"
	set -- $(measure sh -c "cat '$dir/stream' | '$mt' collect -d '$dir/c.db'")
	echo "collect: peak RSS $(($1 / 1024)) MiB over $lines lines"
	
	rm -f "$dir"/*.db*
done
