# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-report-state.sh: the views and the reports read each life's state as
# the writer keeps it (life, life_change), on the real captures with
# and without the maillogs of the same runs (tests/data/maillog):
# report queue --at against what smtpd's own maillog says was waiting
# at chosen instants, over one database and several; v_envelope's
# status is trace's (export --summary) for every envelope; the summary's
# states add up to the envelopes received; v_pending and
# v_life_change.
. "$(dirname "$0")/lib.sh"

ML=$DATA/maillog

# db NAME CAPTURE [MAILLOG]: $TMP/NAME.db, the capture replayed and the
# maillog imported
db() {
	rm -f "$TMP/$1.db"*
	"$MAILTRAIL" replay -d "$TMP/$1.db" "$2" >/dev/null 2>&1 ||
	    notok "$1: replay of $2"
	[ -z "$3" ] || "$MAILTRAIL" maillog -d "$TMP/$1.db" "$3" \
	    >/dev/null 2>&1 || notok "$1: maillog $3"
}

# queue_at DB... --at TIME: "evpid status tries reply" of each envelope
# in the queue then, by evpid, and the shape's total last
queue_at() {
	"$MAILTRAIL" report queue --json --top 0 "$@" >"$TMP/q.json" ||
	    echo "exit $?"
	jq -r '.sections[] | select(.name == "oldest") | .rows[] |
	    "\(.evpid) \(.status) \(.tries) \(.reply)"' "$TMP/q.json" | sort
	jq -r '.sections[] | select(.name == "shape") | "total " +
	    (.rows[0].total | tostring)' "$TMP/q.json"
}

# b-multi-rcpt: three recipients of one message; the maillog (with
# epoch times) says when each left the queue:
#   1795464487.069204-.069214  smtp envelope: the three are queued
#   1795464487.113958  mta delivery 1466b13205030850 TempFail 451
#   1795464487.116053  mta delivery 1466b132e53384c3 PermFail 550
#   1795464487.161674  mta delivery 1466b132288c4f36 Ok
#   1795464488.122365  smtp envelope 83e5c9a66a7d30a0 (the bounce)
#   1795464488.126847  mda delivery 83e5c9a66a7d30a0 Ok (local: no
#                      report line says it)
#   1795464500.253601  mta delivery 1466b13205030850 TempFail 451
#   1795464512.348088  Remove for 1466b13205030850
db b "$DATA/0.6/b-multi-rcpt.log" "$ML/6.8/b-multi-rcpt.maillog"
ERIN="451 4.3.0 <tempfail-erin@sink.test>: try again later"
# 07.1: after the three envelope lines, before any delivery line
check "b: queue --at 20:08:07.1, the three just queued" \
    "$(queue_at -d "$TMP/b.db" --at 2026-11-23T20:08:07.1Z)" \
    "1466b13205030850 queued 0 null
1466b132288c4f36 queued 0 null
1466b132e53384c3 queued 0 null
total 3"
# 08.124: erin deferred once, bob delivered, dave failed; the bounce
# queued, its mda delivery 3 ms later
check "b: queue --at 20:08:08.124, erin deferred, the bounce queued" \
    "$(queue_at -d "$TMP/b.db" --at 2026-11-23T20:08:08.124Z)" \
    "1466b13205030850 deferred 1 $ERIN
83e5c9a66a7d30a0 queued 0 null
total 2"
# 10: the bounce delivered by the mda
check "b: queue --at 20:08:10, erin alone, deferred" \
    "$(queue_at -d "$TMP/b.db" --at 2026-11-23T20:08:10Z)" \
    "1466b13205030850 deferred 1 $ERIN
total 1"
# 25: deferred a second time at 20:08:20.25
check "b: queue --at 20:08:25, erin deferred twice" \
    "$(queue_at -d "$TMP/b.db" --at 2026-11-23T20:08:25Z)" \
    "1466b13205030850 deferred 2 $ERIN
total 1"
# 40: removed at 20:08:32.35
check "b: queue --at 20:08:40, empty: erin was removed" \
    "$(queue_at -d "$TMP/b.db" --at 2026-11-23T20:08:40Z)" "total 0"
# trace --at: each life as it stood then, by the same changes of state
# trace_at TIME: "rcpt status attempts" of message 1466b132's lives
trace_at() {
	"$MAILTRAIL" trace -d "$TMP/b.db" --json --at "$1" 1466b132 2>&1 |
	    jq -r '"\(.rcpt_to) \(.status) \(.attempts | length)"' 2>&1 |
	    tr '\n' ' '
}
check "b: trace --at 20:08:07.1: the three queued, no attempt yet" \
    "$(trace_at 2026-11-23T20:08:07.1Z)" "bob@sink.test queued 0 \
reject-dave@sink.test queued 0 tempfail-erin@sink.test queued 0 "
check "b: trace --at 20:08:10: delivered, failed, deferred" \
    "$(trace_at 2026-11-23T20:08:10Z)" "bob@sink.test delivered 1 \
reject-dave@sink.test failed 1 tempfail-erin@sink.test deferred 1 "
check "b: trace --at 20:08:40: erin removed, after two attempts" \
    "$(trace_at 2026-11-23T20:08:40Z | cut -d' ' -f7-9)" \
    "tempfail-erin@sink.test removed 2"
"$MAILTRAIL" trace -d "$TMP/b.db" --at 2026-11-23T20:08:06Z 1466b132 \
    >/dev/null 2>"$TMP/err"
check "b: trace --at before it was received: no mail, exit 1" \
    "$? $(cat "$TMP/err")" "1 mailtrail: no mail matches the query"
"$MAILTRAIL" trace -d "$TMP/b.db" --at soon 1466b132 2>"$TMP/err"
check "b: trace --at a bad time: exit 1, naming it" "$? $(cat "$TMP/err")" \
    '1 mailtrail: bad --at time: "soon"'
check "b: queue now is the lives queued or deferred now: none" \
    "$(queue_at -d "$TMP/b.db"), $(q "$TMP/b.db" "SELECT count(*)
    FROM v_pending")" "total 0, 0"
check "b: v_life_change: erin's states in time" \
    "$(q "$TMP/b.db" "SELECT status, t_until IS NULL, reply FROM
    v_life_change WHERE evpid = '1466b13205030850' ORDER BY t")" \
    "queued|0|
deferred|0|$ERIN
deferred|0|$ERIN
removed|1|Removed by administrator"
check "b: the same without the maillog, at 20:08:10: the bounce stays" \
    "$(db bn "$DATA/0.6/b-multi-rcpt.log"
    queue_at -d "$TMP/bn.db" --at 2026-11-23T20:08:10Z)" \
    "1466b13205030850 deferred 1 $ERIN
83e5c9a66a7d30a0 queued 0 null
total 2"

# relay-suite: its maillog has no times, but its order is smtpd's and
# each line has its report event: bcb8db5b's two envelopes delivered
# (19:40:37), 7b132086's failed and delivered (19:40:38), the bounce
# 548a447af332597f delivered (19:40:39.145), e6a2001748c30318 TempFail
# (39.146), 796808e200497ce6 PermFail "sender rejected" (40.146: its
# MAIL FROM refused), the bounce 59c902ecc7577766 delivered (42.189),
# e6a2001748c30318 TempFail again (56.157); nothing removes it.
db r "$DATA/0.6/relay-suite.log" "$ML/6.8/relay-suite.maillog"
T451="451 4.3.0 try later"
check "relay-suite: queue --at 19:40:39.1, the bounce and temp1 queued" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:39.1Z)" \
    "548a447af332597f queued 0 null
e6a2001748c30318 queued 0 null
total 2"
check "relay-suite: queue --at 19:40:40.12, temp1 deferred, erin queued" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:40.12Z)" \
    "796808e200497ce6 queued 0 null
e6a2001748c30318 deferred 1 $T451
total 2"
check "relay-suite: queue --at 19:40:50, temp1 alone" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:50Z)" \
    "e6a2001748c30318 deferred 1 $T451
total 1"
check "relay-suite: queue now: temp1, deferred twice" \
    "$(queue_at -d "$TMP/r.db")" "e6a2001748c30318 deferred 2 $T451
total 1"
check "relay-suite: v_life_rejected: the refused recipient, as life" \
    "$(q "$TMP/r.db" "SELECT rcpt_to, status, attempts, t_status = t,
    reply FROM v_life_rejected")" \
    "x y|rejected|0|1|501 5.1.3 Recipient address syntax error"
check "relay-suite: v_pending is the same one" "$(q "$TMP/r.db" "SELECT
    evpid, status, attempts, reply FROM v_pending")" \
    "e6a2001748c30318|deferred|2|$T451"
check "relay-suite: report deferrals lists it, as pending" \
    "$("$MAILTRAIL" report deferrals -d "$TMP/r.db" --json --top 0 |
    jq -r '.sections[] | select(.name == "oldest") | .rows[] |
    "\(.evpid) \(.tries) \(.reply)"')" "e6a2001748c30318 2 $T451"
check "relay-suite: --at before the first mail: empty" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:00:00Z)" "total 0"
check "relay-suite: --since after temp1 was received leaves it out" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:40.12Z \
    --since 2026-11-23T19:40:40Z)" "796808e200497ce6 queued 0 null
total 1"
check "relay-suite: --until before --at leaves out what came after" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:40.12Z \
    --until 2026-11-23T19:40:40Z)" "e6a2001748c30318 deferred 1 $T451
total 1"
check "relay-suite: without --at, the queue at --until" \
    "$(queue_at -d "$TMP/r.db" --until 2026-11-23T19:40:40.12Z)" \
    "$(queue_at -d "$TMP/r.db" --at 2026-11-23T19:40:40.12Z)"

# The same, each capture with its maillog on a host of its own (named
# by its config line): the queue over both is that of both in one
# database, each row with its host.
for h in r:relay-suite b:b-multi-rcpt; do
	sed "s/^config|admd|vm$/config|admd|host-${h%%:*}/" \
	    "$DATA/0.6/${h#*:}.log" >"$TMP/host-${h%%:*}.log"
	db "host-${h%%:*}" "$TMP/host-${h%%:*}.log" "$ML/6.8/${h#*:}.maillog"
done
"$MAILTRAIL" replay -d "$TMP/both.db" "$DATA/0.6/relay-suite.log" \
    "$DATA/0.6/b-multi-rcpt.log" >/dev/null 2>&1
"$MAILTRAIL" maillog -d "$TMP/both.db" "$ML/6.8/relay-suite.maillog" \
    "$ML/6.8/b-multi-rcpt.maillog" >/dev/null 2>&1
# (at 20:08:08.124 erin deferred and the bounce queued on one host,
# temp1 deferred on the other; at 20:08:25 erin and temp1)
for at in 2026-11-23T20:08:08.124Z:3 2026-11-23T20:08:25Z:2; do
	queue_at -d "$TMP/host-r.db" -d "$TMP/host-b.db" --at "${at%:*}" \
	    >"$TMP/two.out"
	check "several: queue --at ${at%:*} over two is over both in one" \
	    "$(cat "$TMP/two.out")" \
	    "$(queue_at -d "$TMP/both.db" --at "${at%:*}")"
	check "several: queue --at ${at%:*}: ${at##*:} waiting" \
	    "$(tail -1 "$TMP/two.out")" "total ${at##*:}"
done
check "several: queue --at: each row with its host" \
    "$("$MAILTRAIL" report queue -d "$TMP/host-r.db" -d "$TMP/host-b.db" \
    --json --at 2026-11-23T20:08:25Z | jq -r '.sections[1].rows[] |
    "\(.host) \(.evpid)"' | sort)" "host-b 1466b13205030850
host-r e6a2001748c30318"

# --at: text, JSON and errors.
"$MAILTRAIL" report queue -d "$TMP/b.db" --at 2026-11-23T20:08:10Z \
    >"$TMP/q.txt"
check "--at: the text says when" "$(sed -n 2p "$TMP/q.txt")" \
    "as it stood at 2026-11-23 20:08:10 (UTC)"
check "--at: JSON at and as_of" "$("$MAILTRAIL" report queue -d \
    "$TMP/b.db" --json --at 2026-11-23T20:08:08.124Z | jq -r '.at, .as_of')" \
    "2026-11-23T20:08:08.124000Z
2026-11-23T20:08:08.124000Z"
"$MAILTRAIL" report summary -d "$TMP/b.db" --at 1h >/dev/null \
    2>"$TMP/err"
check "--at is for report queue only: exit 1 and a message" \
    "$?:$(cat "$TMP/err")" "1:mailtrail: --at: only report queue takes it"
"$MAILTRAIL" report queue -d "$TMP/b.db" --at noon >/dev/null 2>"$TMP/err"
check "--at: a bad time: exit 1" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: bad time: \"noon\""
check "--at is in the usage" "$("$MAILTRAIL" report --help |
    grep -c -- '--at time')" 2

# Every capture, without then with its maillog (if there is one):
# v_envelope's status is trace's, every envelope has one, and the
# summary's states add up to the envelopes received.
for cap in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	n=$(basename "$cap" .log)
	case $cap in
	*/0.6/*)	m=$ML/6.8/$n.maillog ;;
	*/0.7/e2e-suite.log) m=$ML/7.6/e2e-suite.maillog ;;
	*)		m=$ML/7.8/$n.maillog ;;
	esac
	for with in without with; do
		[ $with = without ] || [ -f "$m" ] || continue
		tag="$(basename "$(dirname "$cap")")/$n ($with its maillog)"
		[ $with = without ] && db c "$cap" || db c "$cap" "$m"
		check "$tag: v_envelope's status is trace's" \
		    "$(q "$TMP/c.db" "SELECT evpid, status FROM v_envelope
		    ORDER BY evpid" | tr '|' ' ')" \
		    "$("$MAILTRAIL" export -d "$TMP/c.db" --summary |
		    jq -r 'select(.evpid != null) | "\(.evpid) \(.status)"' |
		    sort)"
		check "$tag: every envelope in one status" "$(q "$TMP/c.db" \
		    "SELECT count(*), total(status IN ('queued', 'delivered',
		    'deferred', 'failed', 'expired', 'removed', 'aborted'))
		    FROM v_envelope")" "$(q "$TMP/c.db" "SELECT count(*),
		    count(*) * 1.0 FROM envelope e LEFT JOIN tx t ON t.id = e.tx
		    WHERE e.tx IS NULL OR t.t_commit IS NOT NULL OR
		    t.t_end IS NOT NULL")"
		"$MAILTRAIL" report summary -d "$TMP/c.db" --json >"$TMP/s.json"
		check "$tag: summary states add up to the envelopes received" \
		    "$(jq '.sections[0].rows[0] | [.queued + .delivered +
		    .deferred + .failed + .expired + .removed, .pending -
		    .queued - .deferred]' -c "$TMP/s.json")" \
		    "[$(q "$TMP/c.db" "SELECT count(*) FROM envelope e JOIN tx t
		    ON t.id = e.tx WHERE t.t_commit IS NOT NULL"),0]"
	done
done

# The issue's example: a local delivery, delivered per the maillog.
db k "$DATA/0.6/k-local-delivery.log" "$ML/6.8/k-local-delivery.maillog"
check "k-local-delivery: v_envelope says delivered, as trace" \
    "$(q "$TMP/k.db" "SELECT evpid, status, attempts FROM v_envelope"),
$("$MAILTRAIL" export -d "$TMP/k.db" --summary | jq -r .status)" \
    "061514604d36e202|delivered|0,
delivered"
check "k-local-delivery: the summary counts it delivered" \
    "$("$MAILTRAIL" report summary -d "$TMP/k.db" --json | jq -c \
    '.sections[0].rows[0] | [.received_envelopes, .delivered, .queued,
    .pending]')" "[1,1,0,0]"

# RSET: an envelope whose transaction never committed is aborted, in
# v_envelope as in trace, and not received.
db c "$DATA/0.6/c-rset-quit.log"
check "c-rset-quit: v_envelope shows it aborted" "$(q "$TMP/c.db" \
    "SELECT DISTINCT status FROM v_envelope")" aborted
check "c-rset-quit: the summary: aborted, none received" \
    "$("$MAILTRAIL" report summary -d "$TMP/c.db" --json | jq -c \
    '.sections[0].rows[0] | [.received_envelopes, .aborted, .queued]')" \
    "[0,$(q "$TMP/c.db" "SELECT count(*) FROM envelope"),0]"
