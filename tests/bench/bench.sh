#!/bin/sh
# bench.sh MAILTRAIL: the performance figures, one per line, each with its
# input size.  Input: streams generated from a real capture with fresh
# ids (tests/bench/gen.sh).  BENCH_LINES sets the sizes (default "1000000
# 10000000"); the read figures use the largest.  Also runs
# tests/bench/bench-*.sh if present (trace, export, reports, TUI, live smtpd).
set -eu
mt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sizes=${BENCH_LINES:-"1000000 10000000"}
cap=tests/data/0.6/relay-suite.log

# peak RSS in KiB, and wall and user+system seconds: "KIB WALL CPU"
measure() {
	/usr/bin/time -f '%M %e %U %S' -o "$dir/time" "$@" >/dev/null
	awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$dir/time"
}
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
min() { echo "$1 $2" | awk '{ print ($1 < $2 ? $1 : $2) }'; }
persec() { echo "$1 $2" | awk '{ printf "%d", $1 / $2 }'; }

# The naive baseline: sqlite3's .import of the same lines, split into
# five text columns, into a WAL table indexed on session and time; the
# better of two runs: "SECONDS BYTES".
baseline() {
	local best=
	awk -F'|' -v OFS='\t' '{ rest = $7; for (i = 8; i <= NF; i++)
	    rest = rest "|" $i; print $3, $4, $5, $6, rest }' "$1" >"$dir/tsv"
	for run in 1 2; do
		rm -f "$dir/b.db"*
		sqlite3 "$dir/b.db" "PRAGMA journal_mode = WAL;
		    CREATE TABLE ev(t TEXT, subsystem TEXT, event TEXT,
		    session TEXT, rest TEXT);
		    CREATE INDEX ev_session ON ev(session);
		    CREATE INDEX ev_t ON ev(t);" >/dev/null
		set -- $(measure taskset -c 0 sqlite3 "$dir/b.db" ".mode tabs" \
		    ".import $dir/tsv ev")
		best=$(min "$2" "${best:-$2}")
	done
	echo "$best $(stat -c %s "$dir/b.db")"
	rm -f "$dir/tsv" "$dir/b.db"*
}

# replay's time on one core, the better of two runs; the database of
# the last one stays for the read figures
replay_secs() {
	local best= stream=$1
	for run in 1 2; do
		rm -f "$dir/r.db"*
		set -- $(measure taskset -c 0 "$mt" replay -d "$dir/r.db" \
		    "$stream")
		best=$(min "$2" "${best:-$2}")
	done
	echo "$best"
}

for n in $sizes; do
	sh tests/bench/gen.sh "$cap" "$n" >"$dir/stream"
	lines=$(wc -l <"$dir/stream")
	bytes=$(wc -c <"$dir/stream")
	secs=$(replay_secs "$dir/stream")
	db=$(stat -c %s "$dir/r.db")
	set -- $(baseline "$dir/stream")
	bsecs=$1
	bdb=$2
	echo "ingest: replay $(persec "$lines" "$secs") lines/s on one core" \
	    "($lines lines, $secs s, best of 2) [target >= 1.1x baseline]"
	echo "ingest: baseline sqlite3 .import $(persec "$lines" "$bsecs")" \
	    "lines/s ($lines lines, $bsecs s, best of 2)"
	echo "ingest: ratio replay/baseline $(ratio "$bsecs" "$secs")x"
	echo "storage: database $(ratio "$db" "$bytes")x the stream's bytes" \
	    "($db / $bytes bytes, $lines lines) [target <= 1.0x]"
	echo "storage: baseline $(ratio "$bdb" "$bytes")x the stream's bytes" \
	    "($bdb bytes)"
	rm -f "$dir/c.db"*
	set -- $(measure sh -c "cat '$dir/stream' | '$mt' collect -d '$dir/c.db'")
	echo "memory: collect peak RSS $(($1 / 1024)) MiB ($lines lines)" \
	    "[target <= 32 MiB, flat]"
	rm -f "$dir/c.db"*
	last=$n
done
# The read figures, on the database of the largest stream.
for b in tests/bench/bench-*.sh; do
	[ -f "$b" ] || continue
	BENCH_DB=$dir/r.db BENCH_STREAM=$dir/stream bash "$b" "$mt" || \
	    echo "$b: failed"
done
