# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-life.sh: the envelope life with smtpd's maillog (issue 7), on the
# real captures and the maillogs of the same runs (tests/data/maillog):
# local delivery by the mda, a removal, an expiry (a line made in the
# captured format), a refused MAIL FROM the maillog names, the next
# hop's queue id, and bounces linked both ways, exactly (smtpd -v's
# "bouncing" lines) or inferred without the maillog.  Golden JSON as in
# t-trace.sh (tests/golden/life-*.json, without events; UPDATE_GOLDEN=1
# writes them).
. "$(dirname "$0")/lib.sh"

ML=$DATA/maillog/6.8

# life DB NAME QUERY...: trace --json into $TMP/NAME.ndjson; with a
# golden name (life-*), compared without events.
life() {
	db=$1
	name=$2
	shift 2
	"$MAILTRAIL" trace -d "$db" --json "$@" >"$TMP/$name.ndjson" 2>&1
	case $name in
	life-*)	;;
	*)	return ;;
	esac
	jq -S 'del(.events)' "$TMP/$name.ndjson" >"$TMP/$name.json"
	golden "$name"
}

# fact NAME DESC JQ-EXPR: true of the traced lives (as one array)
fact() {
	if jq -e -s "$3" "$TMP/$1.ndjson" >/dev/null 2>&1; then
		ok "$1: $2"
	else
		notok "$1: $2"
		jq -c -s 'map(del(.events))' "$TMP/$1.ndjson" 2>&1 |
		    head -c 400 | sed 's/^/  got: /'
		echo
	fi
}

# text NAME DESC QUERY PATTERN: trace's text has a line matching PATTERN
text() {
	if NO_COLOR=1 "$MAILTRAIL" trace -d "$1" "$3" | grep -q -- "$4"; then
		ok "text: $2"
	else
		notok "text: $2"
	fi
}

# --- b-multi-rcpt: 1466b132 from labuser@local.test to bob (ok),
# reject-dave (550: bounced, the bounce 83e5c9a6 delivered locally to
# labuser by the mda) and tempfail-erin (451 twice, then removed).
B=$TMP/b.db
check_cmd "b: replay" "$MAILTRAIL" replay -d "$B" "$DATA/0.6/b-multi-rcpt.log"
life "$B" b-before 1466b132e53384c3
fact b-before "without the maillog: the bounce is inferred" \
    '.[0].bounce.link == "inferred" and .[0].bounce.evpid ==
    "83e5c9a66a7d30a0" and .[0].bounce.queue_evpid == null and
    .[0].bounce.status == "queued"'
check_cmd "b: maillog" "$MAILTRAIL" maillog -d "$B" "$ML/b-multi-rcpt.maillog"
life "$B" life-b-multi-rcpt 1466b132
life "$B" life-b-bounce 83e5c9a66a7d30a0
fact life-b-multi-rcpt "bob delivered, the sink's queue id, confirmed" \
    'map(select(.rcpt_to == "bob@sink.test"))[0] | .status ==
    "delivered" and .attempts[0].remote_id == "sink-000002" and
    .attempts[0].confirmed and .attempts[0].source == "report"'
fact life-b-multi-rcpt "reject-dave failed, bounced: exact, delivered" \
    'map(select(.rcpt_to == "reject-dave@sink.test"))[0] | .status ==
    "failed" and .bounce == {"evpid": "83e5c9a66a7d30a0", "msgid":
    "83e5c9a6", "status": "delivered", "link": "exact", "queue_evpid":
    "1466b132d3d0ffa3", "reply": "Delivered"}'
fact life-b-multi-rcpt "tempfail-erin: two 451s, then removed" \
    'map(select(.rcpt_to == "tempfail-erin@sink.test"))[0] | .status ==
    "removed" and .reply == "Removed by administrator" and
    (.attempts | map(.result)) == ["tempfail", "tempfail"] and
    .outcomes == [{"kind": "remove", "time":
    "2026-11-23T20:08:32.348088Z", "session": null, "result": null,
    "stat": "Removed by administrator", "class": "other", "user": null,
    "agent": "relay", "time_estimated": false}] and .timings.total > 25 and
    .timings.time_estimated == false'
fact life-b-bounce "the bounce: delivered by the mda as labuser" \
    '.[0].status == "delivered" and .[0].reply == "Delivered" and
    .[0].mail_from == "" and (.[0].attempts | length) == 0 and
    .[0].outcomes[0].kind == "mda" and .[0].outcomes[0].user ==
    "labuser" and .[0].outcomes[0].session == "04f9ab4d4785e3df"'
fact life-b-bounce "the bounce names its cause, exactly" \
    '.[0].bounce_of == [{"evpid": "1466b132e53384c3", "msgid": "1466b132",
    "status": "failed", "link": "exact", "queue_evpid":
    "1466b132d3d0ffa3", "reply":
    "550 5.1.1 <reject-dave@sink.test>: user unknown"}]'
life "$B" b-status status:removed
fact b-status "status:removed finds tempfail-erin" \
    'length == 1 and .[0].evpid == "1466b13205030850"'
life "$B" b-delivered from:'<>' status:delivered
fact b-delivered "status:delivered finds the locally delivered bounce" \
    'map(.evpid) == ["83e5c9a66a7d30a0"]'
text "$B" "the original shows its bounce and the bounce's fate" \
    1466b132e53384c3 "its bounce 83e5c9a66a7d30a0 (message 83e5c9a6), exact: delivered"
text "$B" "the bounce shows its cause" 83e5c9a66a7d30a0 \
    "bounce of 1466b132e53384c3 (message 1466b132), exact: failed"
text "$B" "the local delivery, as a step" 83e5c9a66a7d30a0 \
    "mda .*local delivery 04f9ab4d4785e3df as user labuser: ok: Delivered"
text "$B" "delivered locally, in the status line" 83e5c9a66a7d30a0 \
    "delivered delivered locally by the mda as user labuser: Delivered"
text "$B" "removed, in the status line" 1466b13205030850 \
    "removed   removed from the queue: Removed by administrator; no bounce"

# --- relay-suite: bare maillog lines (no time: the reports' times).
R=$TMP/r.db
check_cmd "relay-suite: replay" "$MAILTRAIL" replay -d "$R" \
    "$DATA/0.6/relay-suite.log"
life "$R" r-before 796808e200497ce6
fact r-before "without the maillog: the refused MAIL FROM is inferred" \
    '.[0].status == "failed" and .[0].attempts[0].inferred and
    .[0].attempts[0].source == "refusal" and
    .[0].attempts[0].confirmed == false'
check_cmd "relay-suite: maillog" "$MAILTRAIL" maillog -d "$R" \
    "$ML/relay-suite.maillog"
life "$R" life-relay-suite-refused 796808e200497ce6
fact life-relay-suite-refused "the maillog names it: the refusal is exact" \
    '.[0].status == "failed" and (.[0].attempts | length) == 1 and
    (.[0].attempts[0] | .inferred == false and .source == "refusal" and
    .confirmed and .response == "550 5.7.1 sender rejected" and
    .session == "6d45c9244db742cd")'
fact life-relay-suite-refused "its bounce, exact, relayed" \
    '.[0].bounce | .evpid == "59c902ecc7577766" and .link == "exact" and
    .queue_evpid == "796808e2a2e429b7" and .status == "delivered"'
life "$R" life-relay-suite-bounce 548a447af332597f
fact life-relay-suite-bounce "perm1's bounce, exact, relayed to alice" \
    '.[0].bounce_of[0] | .evpid == "7b132086d993e289" and .link ==
    "exact" and .queue_evpid == "7b1320863388d17e"'
life "$R" r-temp e6a2001748c30318
fact r-temp "temp1: two confirmed tempfails, deferred" \
    '.[0].status == "deferred" and (.[0].attempts | map(.confirmed)) ==
    [true, true] and .[0].bounce == null'

# Expiry: smtpd's line for temp1, in the capture's format (bare, queue.c
# queue_log()); it comes 4 days after the envelope was queued.
printf '%s\n' 'relay: Expire for e6a2001748c30318: from=<alice@example.test>, to=<temp1@dest.test>, rcpt=<->, delay=4d, stat=Envelope expired' \
    >"$TMP/expire.maillog"
check_cmd "relay-suite: an Expire line" "$MAILTRAIL" maillog -d "$R" \
    "$TMP/expire.maillog"
life "$R" r-expired e6a2001748c30318
fact r-expired "temp1 expired, after its two tempfails" \
    '.[0].status == "expired" and .[0].reply == "Envelope expired" and
    (.[0].attempts | length) == 2 and .[0].outcomes[0].kind == "expire"
    and .[0].outcomes[0].time_estimated and .[0].timings.total > 345599
    and .[0].timings.time_estimated'
life "$R" r-expired-q status:expired
fact r-expired-q "status:expired finds it, only it" \
    'map(.evpid) == ["e6a2001748c30318"]'
text "$R" "expired, in the status line" e6a2001748c30318 \
    "expired   smtpd gave up: Envelope expired; smtpd bounces it"

# --- a failure before any session: no MX reachable (session 0)
check_cmd "relay-suite: a session-0 tempfail for dave" "$MAILTRAIL" \
    maillog -d "$R" /dev/stdin <<'EOF2'
1795462900.000000 0000000000000000 mta delivery evpid=7b132086886ffd4a from=<alice@example.test> to=<dave@dest.test> rcpt=<-> source="-" relay="dest.test" delay=62s result="TempFail" stat="Network error on destination MXs"
EOF2
life "$R" r-net 7b132086886ffd4a
fact r-net "the latest fact wins: deferred, no MX reachable" \
    '.[0].status == "deferred" and .[0].reply ==
    "Network error on destination MXs" and (.[0].attempts | last |
    .source == "maillog" and .session == "0000000000000000" and
    .relay == "dest.test" and .result == "tempfail" and .inferred ==
    false)'
text "$R" "the session-0 step" 7b132086886ffd4a \
    "attempt   2 to dest.test, no session: tempfail (maillog): Network error on destination MXs"

# Every life in time order keeps what an original found for its bounce;
# a query searches back from the bounce instead.  Both give the same.
for db in "$B" "$R"; do
	"$MAILTRAIL" export -d "$db" >"$TMP/all.ndjson"
	"$MAILTRAIL" export -d "$db" since:2000-01-01 >"$TMP/since.ndjson"
	check "$(basename "$db"): bounce links alike in export and a query" \
	    "$(jq -c 'select(.bounce_of != [] or .bounce != null) |
	    [.evpid, .bounce.evpid, (.bounce_of | map(.evpid))]' \
	    "$TMP/all.ndjson" | sort | cksum) $(cksum <"$TMP/all.ndjson")" \
	    "$(jq -c 'select(.bounce_of != [] or .bounce != null) |
	    [.evpid, .bounce.evpid, (.bounce_of | map(.evpid))]' \
	    "$TMP/since.ndjson" | sort | cksum) $(cksum <"$TMP/since.ndjson")"
	check "$(basename "$db"): there are bounce links to compare" \
	    "$(jq -c 'select(.bounce_of != [])' "$TMP/all.ndjson" | wc -l |
	    awk '$1 > 0 { print "yes" }')" yes
done

# A bounce can come before an original that links to it: alice's
# e6a20017 is received 10 ms after the bounce 548a447a to alice, and
# fails (a maillog line; its later retry left out) within two seconds
# of that bounce's commit.  Every life in time order finds it too.
C=$TMP/cut.db
grep -v '|6d45c9326b3f5eea|' "$DATA/0.6/relay-suite.log" >"$TMP/cut.log"
"$MAILTRAIL" replay -d "$C" "$TMP/cut.log"
"$MAILTRAIL" maillog -d "$C" /dev/stdin <<'EOF2'
1795462839.500000 0000000000000000 mta delivery evpid=e6a2001748c30318 from=<alice@example.test> to=<temp1@dest.test> rcpt=<-> source="-" relay="dest.test" delay=0s result="PermFail" stat="Host not found"
EOF2
links() {
	"$MAILTRAIL" export -d "$C" "$@" | jq -r 'select(.evpid ==
	    "548a447af332597f") | [.bounce_of[].evpid] | join(" ")'
}
check "a bounce before its original: both causes, in export" "$(links)" \
    "7b132086d993e289 e6a2001748c30318"
check "a bounce before its original: the same in a query" \
    "$(links since:2000-01-01)" "7b132086d993e289 e6a2001748c30318"

# A bounce without its original (the collector came later, or prune
# took it): b-multi-rcpt's bounce 83e5c9a6 alone, its session and no
# other.  Every life in time order finds no cause kept for it.
A=$TMP/alone.db
grep -E '^config\||\|04f9ab4b26c6bffd\|' "$DATA/0.6/b-multi-rcpt.log" \
    >"$TMP/alone.log"
"$MAILTRAIL" replay -d "$A" "$TMP/alone.log"
check_cmd "a bounce alone: export of every life" "$MAILTRAIL" export -d "$A"
check "a bounce alone: no cause" "$("$MAILTRAIL" export -d "$A" |
    jq -r '[.mail_from, (.bounce_of | length)] | join(" ")')" " 0"

# Every life shows every attempt row of its envelope, whatever the
# writer counted: an smtp-in session id connected again inside a
# transaction closes the first one (reused), so its envelope stays in a
# transaction never committed (aborted, no attempt counted) while the
# relay went on and was recorded.
R=$TMP/reused.db
awk -F'|' '{ print } $4 == "smtp-in" && $5 == "tx-envelope" {
    print "report|0.7|" $3 "|smtp-in|link-connect|" $6 \
    "|localhost|pass|127.0.0.1:40000|127.0.0.1:25" }' \
    "$DATA/0.7/a-relay-ok.log" >"$TMP/reused.log"
"$MAILTRAIL" replay -d "$R" "$TMP/reused.log"
check "a session id reused in a transaction: aborted, one attempt row" \
    "$(q "$R" "SELECT s.name || ' ' || (SELECT count(*) FROM attempt a
    WHERE a.evpid = l.evpid) FROM life l JOIN v_status s ON
    s.status = l.status")" "aborted 1"
check "a session id reused in a transaction: export shows the attempt" \
    "$("$MAILTRAIL" export --summary -d "$R" | jq -r '[.status,
    (.attempts | length)] | join(" ")')" "aborted 1"
check "a session id reused in a transaction: so does trace --json" \
    "$("$MAILTRAIL" trace --json -d "$R" 949aa28f5e4e5821 | jq -r '[.status,
    (.attempts | length)] | join(" ")')" "aborted 1"
# And the rule the readers rely on, on every capture: a life counted
# without attempts, unless aborted, has no attempt row.
E=$TMP/every.db
"$MAILTRAIL" replay -d "$E" "$DATA"/0.6/*.log "$DATA"/0.7/*.log
check "every capture: no attempt row for a life counted without one" \
    "$(q "$E" "SELECT count(*) FROM life l WHERE l.attempts = 0 AND
    l.status <> 5 AND EXISTS (SELECT 1 FROM attempt a WHERE
    a.evpid = l.evpid)") of $(q "$E" "SELECT count(*) > 0 FROM life WHERE
    attempts = 0") $(q "$E" "SELECT count(*) > 0 FROM attempt")" "0 of 1 1"

# The refusal rule asks whether another message of the sender waited
# all through the window, and asks again once every marked life is
# written.  A, then B, from one sender, wait; a MAIL FROM of theirs is
# refused.  Later lines say that B was delivered before the refusal
# (they come late) and that A is being relayed: A, built first, still
# sees B waiting; asked again, B is done and the refusal is A's.
awk -v t=1795464000 -v part="$TMP/refuse-1.log" 'function r(s, dt, e) {
	printf "report|0.6|%d.000000|%s|%s\n", t + dt, s, e >part }
function msg(sid, dt, m, to) {
	r("smtp-in", dt, "link-connect|" sid "|c|pass|10.0.0.1:1|10.0.0.9:25")
	r("smtp-in", dt, "tx-begin|" sid "|" m)
	r("smtp-in", dt, "tx-mail|" sid "|" m "|ok|s@x.test")
	r("smtp-in", dt, "tx-envelope|" sid "|" m "|" m "00000001")
	r("smtp-in", dt, "tx-rcpt|" sid "|" m "|ok|" to)
	r("smtp-in", dt + 1, "tx-commit|" sid "|" m "|100")
	r("smtp-in", dt + 1, "tx-reset|" sid "|" m)
	r("smtp-in", dt + 1, "link-disconnect|" sid)
}
function out(sid, dt, m, to, done) {
	r("smtp-out", dt, "link-connect|" sid "|c|pass|10.0.0.9:2|10.0.0.2:25")
	r("smtp-out", dt, "protocol-client|" sid "|MAIL FROM:<s@x.test>")
	r("smtp-out", dt, "protocol-server|" sid "|250 ok")
	r("smtp-out", dt, "tx-begin|" sid "|" m)
	r("smtp-out", dt, "tx-mail|" sid "|" m "|ok|s@x.test")
	r("smtp-out", dt, "protocol-client|" sid "|RCPT TO:<" to ">")
	r("smtp-out", dt, "tx-envelope|" sid "|" m "|" m "00000001")
	if (!done)
		return
	r("smtp-out", dt, "protocol-server|" sid "|250 ok")
	r("smtp-out", dt, "tx-rcpt|" sid "|" m "|ok|" to)
	r("smtp-out", dt, "protocol-client|" sid "|DATA")
	r("smtp-out", dt, "protocol-server|" sid "|354 go")
	r("smtp-out", dt, "tx-data|" sid "|" m "|ok")
	r("smtp-out", dt, "protocol-client|" sid "|.")
	r("smtp-out", dt + 1, "protocol-server|" sid "|250 2.0.0 queued")
	r("smtp-out", dt + 1, "tx-commit|" sid "|" m "|100")
	r("smtp-out", dt + 1, "link-disconnect|" sid)
}
BEGIN {
	msg("00000000000000a1", 0, "0bbbbbbb", "b@y.test")
	msg("00000000000000a2", 3, "0aaaaaaa", "a@z.test")
	r("smtp-out", 20, "link-connect|00000000000000a3|c|pass|" \
	    "10.0.0.9:3|10.0.0.3:25")
	r("smtp-out", 20, "protocol-client|00000000000000a3|" \
	    "MAIL FROM:<s@x.test>")
	r("smtp-out", 20, "protocol-server|00000000000000a3|" \
	    "550 5.7.1 sender rejected")
	r("smtp-out", 20, "link-disconnect|00000000000000a3")
	part = part
	sub(/-1\.log$/, "-2.log", part)
	out("00000000000000a4", 10, "0bbbbbbb", "b@y.test", 1)
	out("00000000000000a5", 30, "0aaaaaaa", "a@z.test", 0)
}'
R=$TMP/refuse.db
"$MAILTRAIL" replay -d "$R" "$TMP/refuse-1.log"
check "refusal, asked again: before, A and B wait, the refusal no one's" \
    "$(q "$R" "SELECT s.name, l.refusal IS NOT NULL FROM life l JOIN
    v_status s ON s.status = l.status ORDER BY l.evpid" | tr '\n' ' ')" \
    "queued|0 queued|0 "
"$MAILTRAIL" replay -d "$R" "$TMP/refuse-2.log"
check "refusal, asked again: B delivered, the refusal A's" \
    "$(q "$R" "SELECT s.name, l.refusal IS NOT NULL FROM life l JOIN
    v_status s ON s.status = l.status ORDER BY l.evpid" | tr '\n' ' ')" \
    "failed|1 delivered|0 "
cat "$TMP/refuse-1.log" "$TMP/refuse-2.log" >"$TMP/refuse.log"
"$MAILTRAIL" replay -d "$TMP/refuse-all.db" "$TMP/refuse.log"
check "refusal, asked again: as a straight replay" \
    "$(q "$R" "SELECT evpid, status, refusal IS NOT NULL FROM life")" \
    "$(q "$TMP/refuse-all.db" "SELECT evpid, status, refusal IS NOT NULL
    FROM life")"
