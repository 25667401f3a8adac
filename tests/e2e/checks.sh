# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# checks.sh -- the checks of the end-to-end scenarios a-g (tests/e2e/run.sh)
# on what a run left in $dir, whatever smtpd ran them: sourced by
# tests/t-e2e.sh (6.8) and tests/t-e2e-7.sh (7.x), after tests/lib.sh.
# Sets DB (the run's database, into which the maillog gets imported on
# the way) and RAW (the stream smtpd sent, as the tee recorded it);
# defines tj and tfact.
DB=$dir/out/mailtrail.db
RAW=$dir/out/raw.log

check "collector logged nothing to smtpd" \
    "$(grep -c 'mailtrail' "$dir/smtpd.log")" 0
report_lines "$RAW" >"$TMP/want"
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "raw export equals the stream smtpd sent" cmp "$TMP/want" "$TMP/got"
check "every line parsed, none kept raw" \
    "$(q "$DB" "SELECT count(*) FROM event WHERE raw IS NOT NULL")" 0

# status|attempts|last reply of the envelope for a recipient
env() {
	q "$DB" "SELECT status, attempts, last_reply FROM v_envelope
	    WHERE rcpt_to = '$1'"
}
check "every envelope has its smtp-in session and client" \
    "$(q "$DB" "SELECT count(*) FROM v_envelope WHERE in_session IS NULL
    OR client IS NULL")" 0
check "a: relayed, delivered with the sink's queue id" \
    "$(env bob@sink.test | sed 's/sink-[0-9]*/sink-N/')" \
    "delivered|1|250 2.0.0 queued as sink-N"
check "b: accepted recipient delivered" \
    "$(env ok-dan@sink.test | cut -d'|' -f1,2)" "delivered|1"
check "b: 550 at the next hop: failed, with the reply" \
    "$(env reject-dave@sink.test)" \
    "failed|1|550 5.1.1 <reject-dave@sink.test>: user unknown"
check "b: 451 then delivered on the retry forced by smtpctl schedule" \
    "$(env tempfail-erin@sink.test | cut -d'|' -f1,2)" "delivered|2"
check "b: the first attempt was deferred with the sink's 451" \
    "$(q "$DB" "SELECT result, reply FROM v_attempt WHERE address =
    'tempfail-erin@sink.test' ORDER BY id LIMIT 1")" \
    "tempfail|451 4.3.0 <tempfail-erin@sink.test>: try again later"
check "b: the three envelopes share one message and smtp-in session" \
    "$(q "$DB" "SELECT count(*), count(DISTINCT msgid),
    count(DISTINCT in_session) FROM v_envelope WHERE mail_from =
    'carol@sink.test'")" "3|1|1"
check "b: the bounce for reject-dave came in over the local socket" \
    "$(q "$DB" "SELECT s.src, t.mail_from, r.address FROM tx t
    JOIN session s ON s.id = t.session JOIN rcpt r ON r.tx = t.id
    WHERE s.src LIKE 'unix:%' AND r.address = 'carol@sink.test'")" \
    "unix:/var/run/smtpd.sock||carol@sink.test"
check "c: recipient rejected at smtp-in, with smtpd's reply" \
    "$(q "$DB" "SELECT result, reply FROM rcpt
    WHERE address = 'mallory@elsewhere.invalid'")" \
    "2|550 Invalid recipient: <mallory@elsewhere.invalid>"
check "c: no envelope for it" \
    "$(q "$DB" "SELECT count(*) FROM envelope e JOIN rcpt r
    ON r.id = e.rcpt WHERE r.address = 'mallory@elsewhere.invalid'")" 0
check "d: RSET rolled the transaction back, then QUIT ended the session" \
    "$(q "$DB" "SELECT t.rolled_back, t.t_commit IS NULL, s.end_reason
    FROM tx t JOIN session s ON s.id = t.session
    WHERE t.mail_from = 'frank@sink.test'")" "1|1|disconnect"
check "every session closed" \
    "$(q "$DB" "SELECT count(*) FROM session WHERE t_end IS NULL")" 0
check "smtp-out sessions recorded with the relay address" \
    "$(q "$DB" "SELECT count(*) > 0 FROM session WHERE dir = 1 AND
    dest LIKE '127.0.0.1:%'")" 1

# trace --json on the real run: status, attempts and the replies that
# decided them, per scenario (issue #4).
tj() { "$MAILTRAIL" trace -d "$DB" --json "$@" 2>/dev/null; }
tfact() {
	if tj "$2" | jq -e -s "$3" >/dev/null; then
		ok "trace: $1"
	else
		notok "trace: $1"
		tj "$2" | jq -c -s 'map(del(.events))' | head -c 400 |
		    sed 's/^/  got: /'
		echo
	fi
}
tfact "a: bob delivered in one attempt with the sink's reply" \
    to:bob@sink.test 'length == 1 and .[0].status == "delivered" and
    (.[0].attempts | length) == 1 and (.[0].attempts[0].response |
    test("^250 2.0.0 queued as sink-[0-9]+$")) and
    .[0].received.client != null'
tfact "b: ok-dan delivered" to:ok-dan@sink.test \
    '.[0].status == "delivered" and (.[0].attempts | length) == 1'
tfact "b: reject-dave failed with the sink's 550 to its RCPT" \
    to:reject-dave@sink.test '.[0].status == "failed" and
    (.[0].attempts | length) == 1 and .[0].attempts[0].result ==
    "permfail" and .[0].reply ==
    "550 5.1.1 <reject-dave@sink.test>: user unknown"'
tfact "b: tempfail-erin 451, then delivered on the retry" \
    to:tempfail-erin@sink.test '.[0].status == "delivered" and
    (.[0].attempts | map(.result)) == ["tempfail", "ok"] and
    .[0].attempts[0].response ==
    "451 4.3.0 <tempfail-erin@sink.test>: try again later"'
tfact "b: one message, three lives" from:carol@sink.test \
    'length == 3 and (map(.msgid) | unique | length) == 1'
tfact "c: mallory rejected at smtp-in with smtpd's reply" \
    to:mallory@elsewhere.invalid '.[0].status == "rejected" and
    .[0].evpid == null and .[0].reply ==
    "550 Invalid recipient: <mallory@elsewhere.invalid>"'
tfact "d: RSET: aborted, never queued" from:frank@sink.test \
    'length >= 1 and (map(.status) | unique) == ["aborted"] and
    (map(.attempts | length) | add) == 0'

# The maillog (issue 7): smtpd ran with -d -v, its log timestamped
# (tests/e2e/tslog.py); smtpd-deferred.log is the log as it was when the
# envelope for gone@dead.test had its tempfail, before smtpctl remove.
DEAD=$(cat "$dir/dead.evpid" 2>/dev/null)
cp "$DB" "$TMP/deferred.db"
check_cmd "maillog: the log at the tempfail imported into a copy" \
    "$MAILTRAIL" maillog -d "$TMP/deferred.db" "$dir/smtpd-deferred.log"
check_cmd "maillog: smtpd's whole log imported" \
    "$MAILTRAIL" maillog -d "$DB" "$dir/smtpd.log"
check "maillog: the debug bouncing lines were taken" \
    "$(q "$DB" "SELECT count(*) >= 2 FROM outcome WHERE kind = 'bounce'")" 1
tfact "e: local delivery: delivered by the mda as e2euser" \
    to:e2euser@local.test 'map(select(.mail_from == "alice@sink.test")) |
    length == 1 and .[0].status == "delivered" and .[0].reply ==
    "Delivered" and (.[0].attempts | length) == 0 and
    .[0].outcomes[0].kind == "mda" and .[0].outcomes[0].user == "e2euser"
    and .[0].outcomes[0].result == "ok" and .[0].timings.total > 0'
DB_ALL=$DB
DB=$TMP/deferred.db
tfact "f: connection refused: deferred, with the maillog's reason" \
    "$DEAD" 'length == 1 and .[0].status == "deferred" and .[0].reply ==
    "Network error on destination MXs" and (.[0].attempts | last |
    .source == "maillog" and .session == "0000000000000000" and
    .result == "tempfail" and .relay == "127.0.0.2")'
DB=$DB_ALL
tfact "f: smtpctl remove, then the maillog: removed" "$DEAD" \
    'length == 1 and .[0].status == "removed" and .[0].reply ==
    "Removed by administrator" and (.[0].outcomes | last | .kind ==
    "remove" and .agent == "relay")'
tfact "g: the 550 for a local sender: failed, its bounce linked exactly" \
    to:reject-x@sink.test '.[0].status == "failed" and .[0].bounce.link ==
    "exact" and .[0].bounce.queue_evpid != null and
    .[0].bounce.status == "delivered" and .[0].bounce.evpid != null'
orig=$(tj to:reject-x@sink.test | jq -r '.evpid')
orig2=$(tj to:reject-y@sink.test | jq -r '.evpid')
bounce=$(tj to:reject-x@sink.test | jq -r '.bounce.evpid')
tfact "g: both recipients failed, one bounce for the two" \
    to:reject-y@sink.test ".[0].status == \"failed\" and .[0].bounce.evpid ==
    \"$bounce\" and .[0].bounce.link == \"exact\""
tfact "g: the bounce: a null-sender message on the local socket" \
    "$bounce" '.[0].mail_from == "" and (.[0].received.client |
    startswith("unix:"))'
tfact "g: the bounce names its two causes, exactly" "$bounce" \
    "(.[0].bounce_of | map(.evpid) | sort) == ([\"$orig\", \"$orig2\"] |
    sort) and (.[0].bounce_of | map(.link + .status) | unique) ==
    [\"exactfailed\"] and .[0].status == \"delivered\" and
    .[0].outcomes[0].user == \"e2euser\""
"$MAILTRAIL" export -d "$DB" >"$TMP/all.ndjson"
"$MAILTRAIL" export -d "$DB" since:2000-01-01 >"$TMP/since.ndjson"
check "g: bounce links alike in export of every life and in a query" \
    "$(cksum <"$TMP/all.ndjson")" "$(cksum <"$TMP/since.ndjson")"
tfact "b: reject-dave's bounce to carol, exact, relayed to the sink" \
    to:reject-dave@sink.test '.[0].bounce.link == "exact" and
    .[0].bounce.status == "delivered" and
    (.[0].bounce.reply | test("queued as sink-"))'
tfact "a: the sink's queue id on the attempt, confirmed by the maillog" \
    to:bob@sink.test '.[0].attempts[0].remote_id | test("^sink-[0-9]+$")'
tfact "a: every relayed attempt confirmed by an mta line" \
    to:bob@sink.test '.[0].attempts[0].confirmed == true'
NO_COLOR=1 "$MAILTRAIL" trace -d "$DB" "$orig" >"$TMP/orig.txt" 2>&1
NO_COLOR=1 "$MAILTRAIL" trace -d "$DB" "$bounce" >"$TMP/bounce.txt" 2>&1
check "g: trace of the original shows its bounce" \
    "$(grep -c "its bounce $bounce .*exact: delivered" "$TMP/orig.txt")" 1
check "g: trace of the bounce shows its cause" \
    "$(grep -c "bounce of $orig .*exact: failed" "$TMP/bounce.txt")" 1

# Every reader says of each life what the writer keeps (tests/readers.sh),
# and the lives collect kept, commit by commit as smtpd ran, are those
# of a straight replay of what smtpd sent, with the same maillog.
. "$TESTS/readers.sh"
readers_agree "$TMP/deferred.db" "e2e, with the maillog at the tempfail"
readers_agree "$DB" "e2e, with the whole maillog"
"$MAILTRAIL" replay -d "$TMP/straight.db" "$RAW"
"$MAILTRAIL" maillog -d "$TMP/straight.db" "$dir/smtpd.log"
same_lives "the lives collect kept are those of a straight replay" \
    "$TMP/straight.db" "$DB"

# What each session came to, by the collector (session.outcome) and by
# smtpd's own log (tests/e2e/outcomes.awk), for every session the log
# decides; both directions, whatever the scenarios of this smtpd.
sed 's/^[0-9.]* //' "$dir/smtpd.log" | awk -f "$TESTS/e2e/outcomes.awk" |
    sort >"$TMP/want.outcomes"
q "$DB" "SELECT session || ' ' || coalesce(outcome, 'open')
    FROM v_session" | sort >"$TMP/got.outcomes"
check "sessions: $(wc -l <"$TMP/want.outcomes") outcomes, each as smtpd's log says" \
    "$(join "$TMP/want.outcomes" "$TMP/got.outcomes" | awk '$2 != $3')" ""
check "sessions: the log decides most sessions, and several outcomes" \
    "$(test "$(join "$TMP/want.outcomes" "$TMP/got.outcomes" | wc -l)" \
    -ge $(($(wc -l <"$TMP/got.outcomes") / 2)) && cut -d' ' -f2 \
    "$TMP/want.outcomes" | sort -u | wc -l | awk '{ print ($1 >= 3) }')" 1

# report destinations: the sink's refusals under their classes, as many
# as the envelopes and attempts of the database say (550 5.1.1 of the
# reject* recipients: unknown-user failures; the 451 of tempfail*: a
# deferral of class other, with that reply the latest).
"$MAILTRAIL" report destinations -d "$DB" --json --top 0 >"$TMP/dest.json"
dest_sink() {
	jq -c ".sections[0].rows[] | select(.domain == \"sink.test\") |
	    [.classes[] | select(.class == \"$1\") | $2]" "$TMP/dest.json"
}
check "destinations: sink.test's 550 5.1.1 failures, unknown-user" \
    "$(dest_sink unknown-user '.failures')" \
    "[$(q "$DB" "SELECT count(*) FROM v_attempt WHERE result = 'permfail'
    AND address LIKE 'reject-%@sink.test' AND reply LIKE '550 5.1.1 %'")]"
check "destinations: sink.test's 451 deferrals, class other, its reply" \
    "$(dest_sink other '.deferrals, (.reply | test("^451 4.3.0 <tempfail-"))')" \
    "[$(q "$DB" "SELECT count(*) FROM v_attempt WHERE result = 'tempfail'
    AND address LIKE 'tempfail-%@sink.test'"),true]"
