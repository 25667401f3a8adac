# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# lib.sh: helpers for the shell tests, sourced by each tests/t-*.sh.
# Every check prints one line: "ok - what", "not ok - what" or
# "skip - what: why"; tests/run.sh counts them.

: "${MAILTRAIL:?MAILTRAIL must name the binary under test}"
# collect, tui and metrics run in the program beside it
LIVE=$(dirname "$MAILTRAIL")/mailtrail-live
TESTS=$(cd "$(dirname "$0")" && pwd)
DATA=$TESTS/data
# Nine captures of both versions that the readers' tests replay into
# one database (tests/test_db.h lists the same for the unit tests).
MIXED="$DATA/0.6/a-relay-ok.log $DATA/0.6/b-multi-rcpt.log
$DATA/0.6/c-rset-quit.log $DATA/0.6/d-relay-denied.log
$DATA/0.6/e-disconnect-in-data.log $DATA/0.6/k-local-delivery.log
$DATA/0.6/relay-suite.log $DATA/0.7/a-relay-ok.log
$DATA/0.7/c-starttls-auth-plain.log"
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

# q DB SQL: one query, values separated by '|', with the views (made
# as TEMP views: the database holds none)
"$MAILTRAIL" sql --views >"$TMP/views.sql"
q() {
	sqlite3 -readonly -batch -noheader -cmd ".read $TMP/views.sql" "$1" \
	    "$2"
}

# out CMD ARGS...: what mailtrail CMD ARGS prints on stdout, or, when it
# fails or prints nothing, a line saying so that names its arguments and
# the instant: two sides of a comparison that both failed never agree,
# even the same command run twice
out() {
	"$MAILTRAIL" "$@" >"$TMP/out.$$" 2>/dev/null && [ -s "$TMP/out.$$" ] &&
	    cat "$TMP/out.$$" ||
	    echo "mailtrail $*: failed or said nothing ($(date +%s.%N))"
}

# outjq FILTER CMD ARGS...: out's JSON through jq -c FILTER; out's line
# saying it failed as it is
outjq() {
	_f=$1
	shift
	out "$@" >"$TMP/outjq.$$"
	if grep -q '^mailtrail .*: failed or said nothing (' "$TMP/outjq.$$"
	then
		cat "$TMP/outjq.$$"
	else
		jq -c "$_f" "$TMP/outjq.$$"
	fi
}

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

# life_state DB: the state the writer keeps of every life (life with
# its bounce links, life_change, life_refusal, and the attempt or
# refused MAIL FROM each line of maillog was matched to), one line per
# row, each thing named by what the stream says of it (evpid, msgid,
# address, times, session ids) and not by row ids, so that databases
# filled in different orders compare
life_state() {
	_key="CASE WHEN l.evpid IS NULL THEN '-' ELSE printf('%016x', l.evpid)
	    END, printf('%08x', l.msgid & 4294967295), l.t, l.rcpt_to"
	q "$1" "SELECT 'life', $_key, l.mail_from, l.tx IS NULL,
	    l.rcpt IS NULL, l.status, l.t_status, l.reply, l.attempts,
	    a.t, CASE WHEN s.id IS NOT NULL THEN printf('%016x', s.sid) END,
	    l.remote_id, l.t_begin, l.t_accepted,
	    l.t_first, l.t_final, l.host, printf('%016x', l.bounce),
	    l.bounce_exact, printf('%016x', l.bounce_queue) FROM life l
	    LEFT JOIN attempt a ON a.id = l.decisive
	    LEFT JOIN session s ON s.id = a.session ORDER BY 2, 3, 4, 5;
	    SELECT 'change', $_key, c.t, c.t_until, c.status, c.reply
	    FROM life_change c JOIN life l ON l.id = c.life
	    ORDER BY 2, 3, 4, 5, 6, 7, 8, 9;
	    SELECT 'given', printf('%016x', g.evpid), r.t,
	    printf('%016x', s.sid), r.mail_from, r.reply FROM life_refusal g
	    JOIN out_refusal r ON r.id = g.refusal
	    JOIN session s ON s.id = r.session ORDER BY 2, 3, 4;
	    SELECT 'matched', o.line, a.t, CASE WHEN s.id IS NOT NULL
	    THEN printf('%016x', s.sid) END, r.t
	    FROM outcome o LEFT JOIN attempt a ON a.id = o.attempt
	    LEFT JOIN session s ON s.id = a.session
	    LEFT JOIN out_refusal r ON r.id = o.refusal
	    WHERE o.attempt IS NOT NULL OR o.refusal IS NOT NULL ORDER BY 2"
}

# lives_whole DB: "N lives, whole" when there is a life for each
# envelope and each recipient refused at smtp-in, and some
lives_whole() {
	q "$1" "SELECT count(*) || ' lives, ' || CASE WHEN count(*) > 0 AND
	    count(*) = (SELECT count(*) FROM envelope) + (SELECT count(*)
	    FROM rcpt WHERE result != 0) THEN 'whole' ELSE 'not whole' END
	    FROM life"
}

# same_lives DESC WANT-DB GOT-DB: the same life_state for both
same_lives() {
	life_state "$2" >"$TMP/lives.want"
	life_state "$3" >"$TMP/lives.got"
	if [ -s "$TMP/lives.want" ] && cmp -s "$TMP/lives.want" "$TMP/lives.got"
	then
		ok "$1"
	else
		notok "$1"
		diff "$TMP/lives.want" "$TMP/lives.got" | head -20 | sed 's/^/  /'
	fi
}

# back_to_14 DB: what versions 15 and 16 added taken out of DB (version
# 17 only rebuilds indexes), and its version set to 14
back_to_14() {
	sqlite3 "$1" "DELETE FROM hour WHERE kind >= 7; DROP INDEX tx_commit;
	    DROP INDEX attempt_end; DROP INDEX life_accepted; DROP TABLE
	    domain; ALTER TABLE attempt DROP COLUMN domain; ALTER TABLE
	    attempt DROP COLUMN t_received; ALTER TABLE event_rare DROP
	    COLUMN c; ALTER TABLE event_rare DROP COLUMN f;
	    PRAGMA user_version = 14" >/dev/null
}
