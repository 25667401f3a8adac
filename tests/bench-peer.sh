#!/bin/bash
# bench-peer.sh MAILTRAIL: "all events of this envelope" the way an
# operator does it today, grep over the raw report stream (grep the
# msgid, then each session it names), against mailtrail trace, on the
# same data: BENCH_DB (a replay of BENCH_STREAM).  One line per figure.
set -eu
mt=$1
db=${BENCH_DB:?}
stream=${BENCH_STREAM:?}
n=${BENCH_PEER_N:-20}
evpids=$(sqlite3 -readonly "$db" "SELECT evpid FROM v_life
    ORDER BY random() LIMIT $n")

# the grep way: the message's lines, then every line of its sessions
grep_envelope() {
	local msgid=${1:0:8} s
	for s in $(grep -F "|$msgid" "$stream" | cut -d'|' -f6 | sort -u); do
		grep -F "|$s" "$stream"
	done >/dev/null
}

t0=$(date +%s%N)
for e in $evpids; do "$mt" trace -d "$db" --json "$e" >/dev/null; done
t1=$(date +%s%N)
for e in $evpids; do grep_envelope "$e"; done
t2=$(date +%s%N)
lines=$(wc -l <"$stream")
mt_ms=$(( (t1 - t0) / 1000000 / n ))
grep_ms=$(( (t2 - t1) / 1000000 / n ))
echo "peer: mailtrail trace ${mt_ms} ms per envelope ($n envelopes," \
    "$lines lines)"
echo "peer: grep over the raw report stream ${grep_ms} ms per envelope" \
    "(msgid, then each of its sessions)"
echo "peer: grep / mailtrail $(awk -v a="$grep_ms" -v b="$mt_ms" \
    'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }')x"
echo "peer: grep over maillog: not measured (no maillog for generated" \
    "streams)"
