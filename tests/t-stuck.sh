# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-stuck.sh: why waiting mail has not left, on real captures: the
# smtp-out sessions that failed before any transaction while it waited
# (trace, --json failed_sessions, report queue), an attempt's AUTH and
# what ended it when no reply did (failure, report deferrals), and
# report auth of both directions.
. "$(dirname "$0")/lib.sh"

# replayed DB CAPTURE: the capture replayed into DB
replayed() { "$MAILTRAIL" replay -d "$1" "$2" >/dev/null 2>&1; }
# rows DB REPORT SECTION FILTER: the rows of one section of report --json,
# each through the jq FILTER
rows() {
	"$MAILTRAIL" report --json -d "$1" "$2" | jq -r --arg s "$3" \
	    ".sections[] | select(.name == \$s) | .rows[] | $4"
}

E7=$TMP/e2e.db
replayed "$E7" "$DATA/0.7/e2e-suite.log"
# fs DB EVPID: the failed sessions of a life, one line each
fs() {
	"$MAILTRAIL" trace --json -d "$1" "$2" | jq -r '.failed_sessions[] |
	    [.relay // "-", .outcome, .reply // "-", .count, .link] | join("|")'
}

# m: relayed over STARTTLS with AUTH the sink refuses, then no
# transaction; queued after the two refused connections (f), which are
# not listed: they came before.
check "0.7 m: the refused AUTH, to its relay, with the 535, once" \
    "$(fs "$E7" a24a93aa3806a855)" \
    "127.0.0.1:38979|auth-failed|535 5.7.8 Authentication credentials invalid|1|any"
check "0.7 m: trace says it where the envelope stands (as of the last event)" \
    "$("$MAILTRAIL" trace -d "$E7" a24a93aa3806a855 |
    grep -A1 '^  [-+0-9.smhd]* *queued  *as of' | sed 's/^  [^ ]* */ /;
    s/  */ /g')" \
    " queued as of the last event (2026-12-06T00:05:43Z): no delivery attempt yet (local deliveries: see mailtrail maillog); smtp-out sessions that failed before any transaction since it was queued:
 +0.033s smtp-out to 127.0.0.1:38979: auth-failed: 535 5.7.8 Authentication credentials invalid, 1 session, any mail's: not necessarily its own"
# f: connection refused (smtp-out reports only the disconnect), twice
# while gone@dead.test waited, and the refused AUTH of m after
check "0.7 f: the refused connections since it was queued, no relay known" \
    "$(fs "$E7" a0539b8e535af35c)" \
    "127.0.0.1:38979|auth-failed|535 5.7.8 Authentication credentials invalid|1|any
-|connect-failed|-|2|any"
check "0.7 a delivered life lists none" \
    "$("$MAILTRAIL" trace --json -d "$E7" to:bob@sink.test |
    jq -c '.failed_sessions')" "[]"

# With the maillog: m is removed; smtpd's line of no session names the
# relay (127.0.0.1) it could not pass: the session is its own next hop's.
ML7=$TMP/e2e-ml.db
cp "$E7" "$ML7"
"$MAILTRAIL" maillog -d "$ML7" "$DATA/maillog/7.6/e2e-suite.maillog" \
    >/dev/null 2>&1
check "0.7 m with the maillog: removed, the AUTH failure linked by relay" \
    "$("$MAILTRAIL" trace --json -d "$ML7" a24a93aa3806a855 |
    jq -r '.status'; fs "$ML7" a24a93aa3806a855)" \
    "removed
127.0.0.1:38979|auth-failed|535 5.7.8 Authentication credentials invalid|1|relay"
check "0.7 m with the maillog, --at before the maillog's line: queued, any" \
    "$("$MAILTRAIL" trace --json -d "$ML7" --at 2026-12-06T00:05:50Z \
    a24a93aa3806a855 | jq -r '.status, (.failed_sessions[] |
    .outcome + " " + .link)')" "queued
auth-failed any"

# AUTH of an attempt: l relays with AUTH the sink takes
check "0.7 l: the attempt's AUTH, in JSON" \
    "$("$MAILTRAIL" trace --json -d "$E7" to:l-auth@auth.sink.test |
    jq -c '.attempts[0].auth')" '{"user":"relayuser","result":"pass"}'
check "0.7 l: and on the attempt's line" \
    "$("$MAILTRAIL" trace -d "$E7" to:l-auth@auth.sink.test |
    grep -c ' attempt .*, AUTH relayuser: pass')" 1

# p: the next hop stalls after RCPT and drops; the retry delivers
# ptrace DB [OPTION]: trace of p's envelope
ptrace() { "$MAILTRAIL" trace -d "$@" 0954ee4c3823e439; }
P7=$TMP/p.db
replayed "$P7" "$DATA/0.7/p-next-hop-stalls.log"
check "0.7 p: the attempt with no reply has its session's outcome" \
    "$(ptrace "$P7" --json | jq -c '[.attempts[] | [.response, .failure]]')" \
    '[[null,"aborted"],["250 2.0.0 queued as sink-000001",null]]'
check "0.7 p: trace says it on the attempt's line" \
    "$(ptrace "$P7" | grep -c \
    'attempt   1 .*tempfail in 3.01s, no reply: the next hop stopped answering (aborted)')" 1
check "0.7 p: report deferrals: no reply (aborted), not -" \
    "$(rows "$P7" deferrals replies '.reply + " " +
    (.deferrals | tostring)')" "no reply (aborted) 1"
# The capture up to the retry: deferred now.
head -n 58 "$DATA/0.7/p-next-hop-stalls.log" >"$TMP/p-first.log"
P1=$TMP/p1.db
replayed "$P1" "$TMP/p-first.log"
check "0.7 p, before the retry: deferred, and why, where it stands" \
    "$(ptrace "$P1" | sed -n 's/^  [^ ]*  *deferred  *//p')" \
    "as of the last event (2026-12-06T00:05:28Z): no reply: the next hop stopped answering (aborted); smtpd will try again"
check "0.7 p, before the retry: report deferrals oldest has the outcome" \
    "$(rows "$P1" deferrals oldest '.evpid + " " + .reply')" \
    "0954ee4c3823e439 no reply (aborted)"

# report queue: the failed sessions while that mail waited
check "0.7 report queue: failed sessions by relay, outcome and reply" \
    "$(rows "$E7" queue failed_sessions '[.relay // "-", .outcome,
    .reply // "-", .sessions, .waiting] | map(tostring) | join("|")')" \
    "-|connect-failed|-|2|3
127.0.0.1:38979|auth-failed|535 5.7.8 Authentication credentials invalid|1|4"

# report auth: both directions
check "0.7 report auth: each direction's pass and fail" \
    "$(rows "$E7" auth by_direction '[.direction, .pass, .fail,
    .sessions] | map(tostring) | join(" ")')" \
    "smtp-in 2 2 4
smtp-out 1 1 2"
check "0.7 report auth: the refused AUTH to the next hop among the failures" \
    "$(rows "$E7" auth failures 'select(.direction == "smtp-out") |
    [.client, .user, .result] | join(" ")')" \
    "127.0.0.1:38979 relayuser fail"
check "0.7 v_auth stays smtp-in's" \
    "$(q "$E7" "SELECT count(*) FROM v_auth") $(q "$E7" \
    "SELECT count(*) FROM v_auth_all")" "4 6"

# 0.6: the session of a refused RCPT had a transaction: not a failure
# before one; the deferral has its reply, so no failure.
R6=$TMP/r6.db
replayed "$R6" "$DATA/0.6/relay-suite.log"
check "0.6 deferred temp1: no failed session, its 451 and no failure" \
    "$("$MAILTRAIL" trace --json -d "$R6" status:deferred | jq -c \
    '[.failed_sessions, [.attempts[] | .failure // .response]]')" \
    '[[],["451 4.3.0 try later","451 4.3.0 try later"]]'
B6=$TMP/b6.db
replayed "$B6" "$DATA/0.6/b-multi-rcpt.log"
check "0.6 queued: the refused RCPT's session is not listed" \
    "$("$MAILTRAIL" trace --json -d "$B6" status:queued |
    jq -c '.failed_sessions'; "$MAILTRAIL" trace -d "$B6" status:queued |
    grep -c 'waiting for a first delivery attempt')" "[]
1"
check "0.6 report deferrals: the next hop's reply" \
    "$(rows "$R6" deferrals replies .reply)" "451 4.3.0 try later"

# One pass over every life (export, which keeps what it learnt of the
# failed sessions from one life to the next) gives each life the failed
# sessions a trace of it alone gives, on both 0.7 databases (the first
# has lives waiting before, between and after the failures).
# each_alone DB: every life's evpid and failed sessions, traced one by one
each_alone() {
	"$MAILTRAIL" export -d "$1" | jq -r 'select(.evpid) | .evpid' |
	    while read -r e; do
		"$MAILTRAIL" trace --json -d "$1" "$e" |
		    jq -c '[.evpid, .failed_sessions]'
	    done
}
for db in "$E7" "$ML7"; do
	"$MAILTRAIL" export -d "$db" | jq -c 'select(.evpid) |
	    [.evpid, .failed_sessions]' >"$TMP/pass"
	each_alone "$db" >"$TMP/alone"
	# the lives with failed sessions: as many, and some
	check "$(basename "$db"): export's failed sessions are each trace's" \
	    "$(cmp -s "$TMP/pass" "$TMP/alone" && grep -c ',\[{' "$TMP/pass")" \
	    "$(grep -c ',\[{' "$TMP/alone" | awk '$1 > 0')"
done
