#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench.sh MAILTRAIL: the performance figures, one per line, each after
# the name of the case it is for, with its input size.  Each case is a
# generated stream, replayed into a database:
#   busy     a busy day: tests/bench/gen-traffic.py busy, overlapping
#            copies of every capture, 2 messages a second, senders and
#            recipients drawn from Zipf laws
#   blast    a newsletter blast: gen-traffic.py blast, 100 messages a
#            second from one sender, the bounces back to it; a fifth of
#            the lines of the others
#   uniform  the stream of the first rounds: tests/bench/gen.sh, copies
#            of relay-suite.log one after another, 1,000 address tags
#            cycled evenly
# BENCH_LINES sets the sizes (default "1000000 10000000"); each case of
# BENCH_CASES (default "busy blast uniform") gets the ingest, storage and
# memory figures at each size, and each of BENCH_READS (default "busy
# blast") the read figures, tests/bench/bench-*.sh (trace, export,
# reports, TUI, grep), on the database of its largest stream.
# tests/bench/bench-live.sh (a live smtpd; no stream) runs once, at the
# end, unless BENCH_LIVE=0.
set -eu
mt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cd "$(dirname "$0")/../.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sizes=${BENCH_LINES:-"1000000 10000000"}
cases=${BENCH_CASES:-"busy blast uniform"}
reads=${BENCH_READS:-"busy blast"}
largest=$(echo $sizes | tr ' ' '\n' | sort -n | tail -n 1)

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

# gen CASE LINES: the case's stream of about LINES lines into
# $dir/stream; says how, what the generator says of it, and its wall
# and CPU seconds
gen() {
	c=$1
	case $1 in
	busy|blast) set -- python3 tests/bench/gen-traffic.py "$1" "$2" ;;
	uniform) set -- sh tests/bench/gen.sh tests/data/0.6/relay-suite.log \
	    "$2" ;;
	*) echo "bench.sh: no case $1" >&2; return 1 ;;
	esac
	echo "$c: stream: $*"
	/usr/bin/time -f '%e %U %S' -o "$dir/time" "$@" >"$dir/stream" \
	    2>"$dir/gen" || { cat "$dir/gen" >&2; return 1; }
	sed "s/^/$c: stream: /" "$dir/gen"
	awk -v c="$c" -v n="$(wc -l <"$dir/stream")" '{ printf "%s: stream:" \
	    " %d lines generated in %s s (%.2f s of CPU)\n", c, n, $1,
	    $2 + $3 }' "$dir/time"
}

# ingest CASE: the ingest, storage and memory figures of $dir/stream,
# each after "CASE: "; the replay's database stays in $dir/r.db
ingest() {
	lines=$(wc -l <"$dir/stream")
	bytes=$(wc -c <"$dir/stream")
	secs=$(replay_secs "$dir/stream")
	db=$(stat -c %s "$dir/r.db")
	set -- "$1" $(baseline "$dir/stream")
	bsecs=$2
	bdb=$3
	echo "$1: ingest: replay $(persec "$lines" "$secs") lines/s on one" \
	    "core ($lines lines, $secs s, best of 2) [target >= 1.1x baseline]"
	echo "$1: ingest: baseline sqlite3 .import $(persec "$lines" \
	    "$bsecs") lines/s ($lines lines, $bsecs s, best of 2)"
	echo "$1: ingest: ratio replay/baseline $(ratio "$bsecs" "$secs")x"
	echo "$1: storage: database $(ratio "$db" "$bytes")x the stream's" \
	    "bytes ($db / $bytes bytes, $lines lines) [target <= 1.0x]"
	echo "$1: storage: baseline $(ratio "$bdb" "$bytes")x the stream's" \
	    "bytes ($bdb bytes)"
	rm -f "$dir/c.db"*
	set -- "$1" $(measure sh -c "cat '$dir/stream' | '$mt' collect \
	    -d '$dir/c.db'")
	echo "$1: memory: collect peak RSS $(($2 / 1024)) MiB ($lines lines)" \
	    "[target <= 32 MiB, flat]"
	rm -f "$dir/c.db"*
}

# reads: the read figures on $dir/r.db, a replay of $dir/stream
reads() {
	for b in tests/bench/bench-*.sh; do
		case $b in */bench-live.sh) continue ;; esac
		[ -f "$b" ] || continue
		BENCH_DB=$dir/r.db BENCH_STREAM=$dir/stream bash "$b" "$mt" ||
		    echo "$b: failed"
	done
}

for c in $cases; do
	for n in $sizes; do
		# the blast: a fifth of the lines
		if [ "$c" = blast ]; then
			gen "$c" $((n / 5))
		else
			gen "$c" "$n"
		fi
		ingest "$c"
		case " $reads " in
		*" $c "*)
			if [ "$n" = "$largest" ]; then
				reads | sed "s/^/$c: /"
			fi
			;;
		esac
		rm -f "$dir/stream" "$dir/r.db"*
	done
done
if [ "${BENCH_LIVE:-1}" != 0 ] && [ -f tests/bench/bench-live.sh ]; then
	echo "live smtpd (no generated stream):"
	bash tests/bench/bench-live.sh "$mt" || echo "bench-live.sh: failed"
fi
