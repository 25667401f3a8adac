# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# lib.sh: helpers for the shell tests, sourced by each tests/t-*.sh.
# Every check prints one line: "ok - what", "not ok - what" or
# "skip - what: why"; tests/run.sh counts them.

: "${MAILTRAIL:?MAILTRAIL must name the binary under test}"
TESTS=$(cd "$(dirname "$0")" && pwd)
DATA=$TESTS/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mailtrail-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; }

# golden NAME: $TMP/NAME.json (trace --json, as jq -S prints it) equals
# tests/golden/NAME.json; UPDATE_GOLDEN=1 writes it first
golden() {
	if [ -n "$UPDATE_GOLDEN" ]; then
		cp "$TMP/$1.json" "$TESTS/golden/$1.json"
	fi
	if cmp -s "$TMP/$1.json" "$TESTS/golden/$1.json"; then
		ok "$1: trace --json equals tests/golden/$1.json"
	else
		notok "$1: trace --json equals tests/golden/$1.json"
		diff "$TESTS/golden/$1.json" "$TMP/$1.json" | head -20 |
		    sed 's/^/  /'
	fi
}
skip() { echo "skip - $*"; }

# check DESC GOT WANT
check() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		notok "$1"
		printf '  got:  %s\n  want: %s\n' "$2" "$3"
	fi
}

# check_cmd DESC CMD...: the command succeeds
check_cmd() {
	d=$1
	shift
	if "$@" >"$TMP/cmd.out" 2>&1; then
		ok "$d"
	else
		notok "$d"
		sed 's/^/  /' "$TMP/cmd.out" | head -20
	fi
}

# q DB SQL: one query, values separated by '|'
q() { sqlite3 -readonly -batch -noheader "$1" "$2"; }

# report lines of capture files, as a collector keeps them
report_lines() { cat "$@" | grep -av '^config|'; }

# wait_until SECONDS CMD...: poll CMD every 0.1 s; 1 if it never succeeds
wait_until() {
	_n=$(($1 * 10))
	shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	return 1
}

# events_are DB N: the database holds N events
events_are() {
	[ "$(q "$1" "SELECT count(*) FROM event" 2>/dev/null)" = "$2" ]
}

# envelopes DB: every envelope's joined state, one line each, sorted
envelopes() {
	q "$1" "SELECT * FROM v_envelope ORDER BY evpid"
}

# refusals DB: every refused MAIL FROM on smtp-out, with the event of
# the MAIL FROM the collector saw it answer (by time and text)
refusals() {
	q "$1" "SELECT printf('%016x', s.sid), r.t, r.mail_from, r.result,
	    r.reply, e.t, e.x FROM out_refusal r JOIN session s ON
	    s.id = r.session LEFT JOIN event e ON e.id = r.event ORDER BY r.t"
}

counter() {
	q "$1" "SELECT value FROM counter WHERE name = '$2'"
}
