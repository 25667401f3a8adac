#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench-peer.sh MAILTRAIL: "all events of this envelope" the way an
# operator does it today, with grep (the msgid, then each session it
# names), over the raw report stream and over the maillog smtpd 6.8 would
# have written for it (tests/bench/gen-maillog.sh), against mailtrail trace, on
# the same data: BENCH_DB (a replay of BENCH_STREAM).  BENCH_PEER_N
# envelopes (default 50), whole processes.  One line per figure.
set -eu
mt=$1
db=${BENCH_DB:?}
stream=${BENCH_STREAM:?}
n=${BENCH_PEER_N:-50}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
evpids=$(sqlite3 -readonly -cmd "$("$mt" sql --views)" "$db" \
    "SELECT evpid FROM v_life ORDER BY random() LIMIT $n")
maillog=$dir/maillog
sh "$(dirname "$0")/gen-maillog.sh" "$stream" >"$maillog"

# the grep way: the message's lines, then every line of its sessions
grep_stream() {
	local msgid=${1:0:8} s
	for s in $(grep -F "|$msgid" "$stream" | cut -d'|' -f6 | sort -u); do
		grep -F "|$s" "$stream"
	done >/dev/null
}
# in the maillog: the lines naming the message or its envelopes (msgid=,
# evpid=), then every line of the sessions (smtp-in and mta) they name
grep_maillog() {
	local msgid=${1:0:8} s
	for s in $(grep -F "=$msgid" "$maillog" | awk '{ print $6 }' |
	    sort -u); do
		grep -F " $s " "$maillog"
	done >/dev/null
}
# milliseconds per envelope since $1 (an $EPOCHREALTIME)
per() {
	echo "$1 $EPOCHREALTIME $n" | awk '{ printf "%.1f",
	    ($2 - $1) * 1000 / $3 }'
}
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1) }'
}

t=$EPOCHREALTIME
for e in $evpids; do "$mt" trace -d "$db" --json "$e" >/dev/null; done
mt_ms=$(per "$t")
t=$EPOCHREALTIME
for e in $evpids; do grep_stream "$e"; done
stream_ms=$(per "$t")
t=$EPOCHREALTIME
for e in $evpids; do grep_maillog "$e"; done
maillog_ms=$(per "$t")
lines=$(wc -l <"$stream")
mlines=$(wc -l <"$maillog")
echo "peer: mailtrail trace ${mt_ms} ms per envelope ($n envelopes," \
    "$lines lines)"
echo "peer: grep over the raw report stream ${stream_ms} ms per envelope" \
    "(msgid, then each of its sessions)"
echo "peer: grep / mailtrail $(ratio "$stream_ms" "$mt_ms")x"
echo "peer: grep over maillog ${maillog_ms} ms per envelope (msgid, then" \
    "each of its sessions; $mlines maillog lines, $(wc -c <"$maillog")" \
    "bytes)"
echo "peer: grep maillog / mailtrail $(ratio "$maillog_ms" "$mt_ms")x"
