#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# two-hosts.sh -- two real smtpd relaying to each other, each with its
# own mailtrail collect (issue 7): host A (admd host-a.test) listens on
# P1 and relays sink.test to host B (host-b.test) on P2, which relays it
# to tests/e2e/sink.py.  Each smtpd runs in its own mount namespace with
# its own tmpfs queue and /run (both use the same compiled-in paths).
# One message is sent to A with swaks; once both are idle, one
# "trace --json -d a.db -d b.db" must show A's life and B's joined by
# the next hop's queue id, and the delivery at the sink.
#
# Needs MAILTRAIL (the binary under test).  Prints "ok - ..." or
# "not ok - ..." per check.  Exit: 0 ok, 1 failure, 77 skipped.
# E2E_KEEP=1 keeps the scratch directory.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"
: "${MAILTRAIL:?MAILTRAIL must name the binary under test}"

PID_A=
PID_B=
FAILS=0

two_ok() { echo "ok - two real smtpd: $*"; }
two_notok() {
	echo "not ok - two real smtpd: $*"
	FAILS=$((FAILS + 1))
}

# Stop both smtpd, by pid (their report processes go with them), and
# the one being started if its start failed: lib.sh records SMTPD_PID
# the moment it starts, before it waits for it to be ready.
two_stop() {
	local p
	for p in $(printf '%s\n' "$SMTPD_PID" "$PID_A" "$PID_B" | sort -u); do
		SMTPD_PID=$p
		e2e_smtpd_stop
	done
	PID_A=
	PID_B=
	SMTPD_PID=
}

# Stop what we started: both smtpd, then the sink.
two_cleanup() {
	two_stop
	e2e_sink_stop
	if [ -n "$E2E_DIR" ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$E2E_DIR"
	fi
}

# two_start NAME ADMD PORT-IN NEXT-PORT: one smtpd; sets SMTPD_PID.
two_start() {
	local name=$1 admd=$2 collect
	PORT_IN=$3
	PORT_SINK=$4
	collect="$E2E_DIR/bin/tee-collect.sh $E2E_DIR/out/$name.raw -- \
$MAILTRAIL collect -d $E2E_DIR/out/$name.db"
	sed "s/@ADMD@/$admd/g" "$HERE/two-hosts.conf.in" \
	    >"$E2E_DIR/$name.conf.in"
	e2e_render_conf "$E2E_DIR/$name.conf.in" "$E2E_DIR/$name.conf" \
	    "$collect"
	e2e_smtpd_start "$E2E_DIR/$name.conf" "$E2E_DIR/$name.log"
}

# two_idle PID NAME: that smtpd's queue empty, its sessions closed.
two_idle() {
	SMTPD_PID=$1
	e2e_wait_idle "$E2E_DIR/out/$2.raw" 30
}

e2e_require
[ -x "$MAILTRAIL" ] || e2e_skip "$MAILTRAIL is not executable"
trap two_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
T0=$(date +%s)
e2e_setup_dir
e2e_check_collect_access "$E2E_DIR/bin/tee-collect.sh" "$MAILTRAIL" \
    "$(dirname "$MAILTRAIL")/mailtrail-live"
read -r P1 P2 P3 < <(e2e_free_ports 3)
e2e_sink_start "$P3" "$E2E_DIR/sink.log"
two_start b host-b.test "$P2" "$P3"
PID_B=$SMTPD_PID
two_start a host-a.test "$P1" "$P2"
PID_A=$SMTPD_PID

swaks --server 127.0.0.1 --port "$P1" --helo client.test \
    --from alice@sink.test --to bob@sink.test \
    --header "Subject: mailtrail two hosts" --timeout 20 \
    >"$E2E_DIR/client.log" 2>&1 || two_notok "swaks to host A failed"
e2e_wait_for 20 "the sink got bob's mail" \
    grep -q 'to=<bob@sink.test>' "$E2E_DIR/sink.log" ||
    two_notok "the sink never got the mail"
two_idle "$PID_A" a || two_notok "host A did not become idle"
two_idle "$PID_B" b || two_notok "host B did not become idle"
two_stop
e2e_wait_collect_exit "$E2E_DIR/(bin|out)/" ||
    two_notok "a report process still runs after its smtpd stopped"

A=$E2E_DIR/out/a.db
B=$E2E_DIR/out/b.db
tj() {
	"$MAILTRAIL" trace --json -d "$A" -d "$B" "$@" 2>"$E2E_DIR/trace.err"
}
tfact() {
	if tj "$2" | jq -e -s "$3" >/dev/null 2>&1; then
		two_ok "$1"
	else
		two_notok "$1"
		tj "$2" | jq -c -s 'map(del(.events))' 2>&1 | head -c 800 |
		    sed 's/^/  got: /'
		echo
		sed 's/^/  stderr: /' "$E2E_DIR/trace.err" | head -5
	fi
}
rid=$(sqlite3 -readonly "$A" "SELECT remote_id FROM attempt" 2>/dev/null)
if [[ $rid =~ ^[0-9a-f]{8}$ ]]; then
	two_ok "host A's attempt kept B's queue id ($rid)"
else
	two_notok "host A's attempt kept B's queue id: got '$rid'"
fi
tfact "one trace: A's life, then B's, joined by the queue id" \
    to:bob@sink.test 'length == 2 and
    map(.host) == ["host-a.test", "host-b.test"] and
    .[0].upstream == null and .[1].msgid == "'"$rid"'" and
    .[1].upstream.host == "host-a.test" and
    .[1].upstream.evpid == .[0].evpid and
    .[1].upstream.remote_id == .[1].msgid and
    ((.[0].attempts[0] | has("remote_id") | not) or
    .[0].attempts[0].remote_id == .[1].msgid) and
    .[0].attempts[0].relay == "127.0.0.1:'"$P2"'" and
    (.[1].received.helo | ascii_downcase) == "host-a.test"'
tfact "delivered at A (B took it) and at B (the sink took it)" \
    to:bob@sink.test 'map(.status) == ["delivered", "delivered"] and
    (.[1].attempts[-1].relay == "127.0.0.1:'"$P3"'") and
    (.[1].reply | test("^250 2.0.0 queued as sink-[0-9]+$"))'
tfact "B's envelope alone traces back to A" \
    "$(sqlite3 -readonly "$B" "SELECT printf('%016x', evpid) FROM
    envelope LIMIT 1")" 'map(.host) == ["host-a.test", "host-b.test"]'
NO_COLOR=1 "$MAILTRAIL" trace -d "$A" -d "$B" to:bob@sink.test \
    >"$E2E_DIR/trace.txt" 2>&1
if grep -q "^  -> next hop host-b.test: accepted as $rid\$" \
    "$E2E_DIR/trace.txt"; then
	two_ok "text: -> next hop host-b.test: accepted as $rid"
else
	two_notok "text: no '-> next hop host-b.test' line"
	sed 's/^/  /' "$E2E_DIR/trace.txt" | head -20
fi
echo "runtime: $(($(date +%s) - T0)) s"
[ "$FAILS" = 0 ]
