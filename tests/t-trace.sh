# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-trace.sh: mailtrail trace and export on the real captures: every
# scenario's trace --json equals its checked-in expectation
# (tests/golden/NAME.json, as jq -S prints it; UPDATE_GOLDEN=1 writes
# them), the key facts read from the capture lines hold, the text
# timeline reads right and escapes network bytes, and export --follow
# prints what a replay appends.  What a timeline says that is not the
# life's own (the other recipients' lines, the time it stands as of):
# t-trace-others.sh.
. "$(dirname "$0")/lib.sh"

DB=$TMP/t.db

check_cmd "replay of every capture" "$MAILTRAIL" replay -d "$DB" $MIXED

# trace NAME QUERY...: trace --json into $TMP/NAME.json, compared with
# its golden file; every line must be valid JSON.
trace() {
	name=$1
	shift
	"$MAILTRAIL" trace -d "$DB" --json "$@" >"$TMP/$name.ndjson"
	if ! jq -e . "$TMP/$name.ndjson" >/dev/null; then
		notok "$name: trace --json is valid JSON"
		return
	fi
	jq -S . "$TMP/$name.ndjson" >"$TMP/$name.json"
	golden "$name"
}

# fact NAME DESC JQ-EXPR: the expression is true of the traced lives
# (read as one array).
fact() {
	if jq -e -s "$3" "$TMP/$1.ndjson" >/dev/null; then
		ok "$1: $2"
	else
		notok "$1: $2"
		jq -c -s "$3" "$TMP/$1.ndjson" | head -c 300 | sed 's/^/  got: /'
		echo
	fi
}

# a (0.6): relayed: smtp-in 3563dfd4055bb886 committed 532 bytes, one
# attempt on 3563dfd7e69094a9 answered "250 2.0.0 queued as sink-000001"
# (its tx-commit says 386: a per-session counter, not the size).
trace relayed 756725bd52e6b5bc
fact relayed "delivered in one attempt, with the sink's reply" \
    '.[0].status == "delivered" and (.[0].attempts | length) == 1 and
    .[0].attempts[0].result == "ok" and .[0].attempts[0].response ==
    "250 2.0.0 queued as sink-000001" and .[0].reply ==
    .[0].attempts[0].response'
fact relayed "received: session, client, helo, smtp-in size (not 386)" \
    '.[0].received | .session == "3563dfd4055bb886" and .client ==
    "127.0.0.1:39594" and .rdns == "localhost" and .fcrdns == "pass" and
    .helo == "client.test" and .size == 532 and
    .time == "2026-11-23T20:07:53.589008Z"'
fact relayed "attempt on the relay 127.0.0.1:2526, session 3563dfd7e69094a9" \
    '.[0].attempts[0] | .session == "3563dfd7e69094a9" and
    .relay == "127.0.0.1:2526" and .tls == null and .inferred == false'
fact relayed "events of both sessions, in order, ids lowercase hex" \
    '.[0].events | length > 40 and (map(.session) | unique) ==
    ["3563dfd4055bb886", "3563dfd7e69094a9"] and
    (map(.time) == (map(.time) | sort))'
fact relayed "timings: accept, queue wait and total are seconds" \
    '.[0].timings | .accept > 0 and .queue_wait > 0 and .total > .accept'

# b: three recipients in one message (1466b132): bob accepted, reject-dave
# refused 550 after RCPT, tempfail-erin refused 451 on 04f9ab4a91cf3dcf
# and again on the retry session 04f9ab51524c007c.
trace multi-rcpt 1466b132
fact multi-rcpt "three lives, one message, one smtp-in session" \
    'length == 3 and (map(.msgid) | unique) == ["1466b132"] and
    (map(.received.session) | unique) == ["04f9ab474fa335c6"]'
fact multi-rcpt "statuses: delivered, failed, deferred" \
    'map(.rcpt_to + "=" + .status) == ["bob@sink.test=delivered",
    "reject-dave@sink.test=failed", "tempfail-erin@sink.test=deferred"]'
trace next-hop-550 1466b132e53384c3
fact next-hop-550 "failed: the reply to its RCPT decided, not the 250 to DATA" \
    '.[0].status == "failed" and (.[0].attempts | length) == 1 and
    .[0].attempts[0].result == "permfail" and .[0].attempts[0].response ==
    "550 5.1.1 <reject-dave@sink.test>: user unknown"'
fact next-hop-550 "only its own RCPT cycle of the shared transaction" \
    '[.[0].events[] | select(.event == "protocol-client" and
    (.params | startswith("RCPT")))] | map(.params) ==
    ["RCPT TO:<reject-dave@sink.test>", "RCPT TO:<reject-dave@sink.test>"]'
fact next-hop-550 "the refused RCPT's rollback is there, the DATA too" \
    '[.[0].events[] | select(.subsystem == "smtp-out") | .event] |
    (index("tx-rollback") != null) and (index("tx-commit") != null)'

# relay-suite: temp1 refused 451 on the reused session 6d45c9244db742cd,
# retried on the new session 6d45c9326b3f5eea: 451 again.
trace tempfail-retried e6a2001748c30318
fact tempfail-retried "deferred after two attempts on two sessions" \
    '.[0].status == "deferred" and (.[0].attempts | map(.session)) ==
    ["6d45c9244db742cd", "6d45c9326b3f5eea"] and
    (.[0].attempts | map(.result)) == ["tempfail", "tempfail"] and
    .[0].reply == "451 4.3.0 try later" and .[0].timings.total == null'
# its text: where it stands is the last step, as of the last event,
# after every step before it (not at the time it was received)
NO_COLOR=1 "$MAILTRAIL" trace -d "$DB" e6a2001748c30318 >"$TMP/tr.txt"
check "tempfail-retried: where it stands, after every step before it" \
    "$(awk '/^  [+]/ { t = substr($1, 2) + 0; w = $2
	if (t < max) bad = bad " " $1 " " w; if (t > max) max = t }
	END { print w (bad == "" ? "" : ", before:" bad) }' "$TMP/tr.txt")" \
    deferred

# relay-suite: one smtp-out session carried six transactions; the
# refused MAIL FROM of rejectme@example.test is given to the only
# message of that sender waiting then (796808e2).
trace reused-session 6d45c9244db742cd
fact reused-session "every life that went through the session" \
    'map(.evpid) == ["bcb8db5ba68c4c2b", "bcb8db5bb3e0e7c7",
    "7b132086d993e289", "7b132086886ffd4a", "548a447af332597f",
    "e6a2001748c30318", "796808e200497ce6", "59c902ecc7577766"]'
fact reused-session "each sees only its own transaction's MAIL FROM" \
    'map([.events[] | select(.subsystem == "smtp-out" and
    .session == "6d45c9244db742cd" and .event == "protocol-client" and
    (.params | startswith("MAIL"))) ] | length) | unique == [1]'
fact reused-session "the connection's own lines are in each life" \
    'length > 0 and (map([.events[] | select(.session ==
    "6d45c9244db742cd") | .params] | (index("EHLO vm") != null) and
    (index("QUIT") != null)) | all)'
trace mail-from-refused 796808e200497ce6
fact mail-from-refused "failed by the 550 to MAIL FROM, attempt inferred" \
    '.[0].status == "failed" and (.[0].attempts | length) == 1 and
    .[0].attempts[0].inferred == true and .[0].attempts[0].response ==
    "550 5.7.1 sender rejected" and .[0].attempts[0].result == "permfail"'
fact mail-from-refused "its events: MAIL FROM, 550, RSET of that session" \
    '[.[0].events[] | select(.subsystem == "smtp-out") | .params] |
    (index("MAIL FROM:<rejectme@example.test>") != null) and
    (index("550 5.7.1 sender rejected") != null) and
    (index("RSET") != null) and (index("MAIL FROM:<alice@example.test>")
    == null)'

# d: mallory refused 550 at smtp-in: no envelope, the reply line kept.
trace rejected-smtp-in to:mallory@elsewhere.invalid
fact rejected-smtp-in "rejected, evpid null, smtpd's reply" \
    'length == 1 and .[0].status == "rejected" and .[0].evpid == null and
    .[0].reply == "550 Invalid recipient: <mallory@elsewhere.invalid>" and
    .[0].attempts == [] and .[0].msgid == "6e2c28d6"'
trace rejected-syntax "to:x y"
fact rejected-syntax "RCPT syntax error: rejected with its 501" \
    '.[0].status == "rejected" and .[0].reply ==
    "501 5.1.3 Recipient address syntax error"'

# c: RSET after RCPT; e: connection lost in DATA: never queued.
trace rset 59ad60b6
fact rset "aborted (never queued), evpid kept, no attempt" \
    '.[0].status == "aborted" and .[0].evpid == "59ad60b67218b451" and
    .[0].attempts == [] and .[0].reply == null and
    ([.[0].events[].params] | index("RSET") != null)'
trace disconnect-in-data 4811fa832a740b3f
fact disconnect-in-data "aborted, the rollback and disconnect in its events" \
    '.[0].status == "aborted" and ([.[0].events[].event] |
    index("tx-rollback") != null and index("link-disconnect") != null)'

# 0.7: STARTTLS and AUTH PLAIN on smtp-in, TLS on smtp-out.
trace tls-auth-0.7 9fea1a242921f70f
fact tls-auth-0.7 "TLS and AUTH user on smtp-in, TLS to the relay" \
    '.[0].received.tls == "TLSv1.3:TLS_AES_256_GCM_SHA384:256" and
    .[0].received.auth_user == "labuser" and .[0].received.size == 640 and
    .[0].attempts[0].tls == "TLSv1.3:TLS_AES_256_GCM_SHA384:256" and
    .[0].status == "delivered"'

# k: delivered by the local MDA: nothing reports it, it stays queued.
trace local-delivery 061514604d36e202
fact local-delivery "queued, no attempt" \
    '.[0].status == "queued" and .[0].attempts == [] and .[0].reply == null'

# Bounces come back with the null sender.
trace bounces "from:<>"
fact bounces "the three bounce messages, all delivered or queued" \
    'length == 3 and (map(.mail_from) | unique) == [""] and
    all(.[]; .status == "delivered" or .status == "queued")'

# The timeline: status first, then the path, the dialogue indented.
"$MAILTRAIL" trace -d "$DB" 1466b132e53384c3 >"$TMP/text" 2>&1
check "text: the first line says the status, sender and recipient" \
    "$(head -1 "$TMP/text")" "failed  labuser@local.test -> reject-dave@sink.test"
check "text: the reply that decided it comes next" \
    "$(sed -n 2p "$TMP/text")" \
    "  550 5.1.1 <reject-dave@sink.test>: user unknown [unknown-user]"
check "text: one line per step, in order" \
    "$(grep -o '^  [-+][0-9.a-z]* *[a-z]*' "$TMP/text" | awk '{print $2}' |
    tr '\n' ' ')" "received queued attempt failed "
check "text: the dialogue is indented under its session" \
    "$(grep -c '^      [-+].*> RCPT TO:<reject-dave@sink.test>' "$TMP/text")" 2
# esc FILE: how many lines hold ESC, and whether FILE holds any line
esc() {
	echo "$(grep -c "$(printf '\033')" "$1") of $([ -s "$1" ] && echo some ||
	    echo none)"
}
check "text: no colour when not on a terminal" "$(esc "$TMP/text")" \
    "0 of some"
if command -v script >/dev/null 2>&1; then
	script -qc "'$MAILTRAIL' trace -d '$DB' 1466b132e53384c3" /dev/null \
	    >"$TMP/tty" 2>&1
	check "text: colour on a terminal" \
	    "$(head -1 "$TMP/tty" | grep -c "$(printf '\033')\[31mfailed")" 1
	NO_COLOR=1 script -qc "'$MAILTRAIL' trace -d '$DB' 1466b132e53384c3" \
	    /dev/null >"$TMP/tty" 2>&1
	check "text: none with NO_COLOR" "$(esc "$TMP/tty")" "0 of some"
else
	skip "text: colour on a terminal: script(1) is not installed"
fi
check "text: the relay's reply to DATA is shown, not its per-session size" \
    "$(grep -c '= committed$' "$TMP/text")" 1

count() { "$MAILTRAIL" trace -d "$DB" --json "$@" 2>/dev/null | wc -l; }

# Bad input: a term mailtrail does not know, a bad time, a bad status.
for term in xyz status:lost since:yesterday from: 1466b13 to:@; do
	"$MAILTRAIL" trace -d "$DB" "$term" >"$TMP/out" 2>"$TMP/err"
	check "bad term $term: exit 1 and says which" \
	    "$? $(cat "$TMP/err")" "1 mailtrail: bad query term: \"$term\""
done
"$MAILTRAIL" trace -d "$DB" to:nobody@nowhere.test >/dev/null 2>"$TMP/err"
check "no match: exit 1 with a message" "$? $(cat "$TMP/err")" \
    "1 mailtrail: no mail matches the query"

# trace -: a query a line from standard input, the database opened once;
# each answered as on the command line, the bad ones said and skipped.
printf '%s\n' 1466b132e53384c3 "" "to:@dest.test status:delivered$(printf '\r')" xyz \
    to:nobody@nowhere.test "from:alice@example.test  status:failed" \
    >"$TMP/queries"
"$MAILTRAIL" trace 1466b132e53384c3 --json -d "$DB" >"$TMP/after.ndjson"
check_cmd "trace: options after the query as before it" \
    sh -c "[ -s '$TMP/after.ndjson' ] && '$MAILTRAIL' trace -d '$DB' \
    --json 1466b132e53384c3 | cmp - '$TMP/after.ndjson'"
"$MAILTRAIL" trace -d "$DB" --json --timer - <"$TMP/queries" \
    >"$TMP/stdin.ndjson" 2>"$TMP/stdin.err"
check "trace -: exit 1 when a query failed or matched nothing, the others \
answered" "$?:$([ -s "$TMP/stdin.ndjson" ] && echo some)" 1:some
for w in 1466b132e53384c3 "to:@dest.test status:delivered" \
    "from:alice@example.test status:failed"; do
	"$MAILTRAIL" trace -d "$DB" --json $w 2>/dev/null
done >"$TMP/one-by-one.ndjson"
check_cmd "trace -: the lives of each query, as one by one" \
    sh -c "[ -s '$TMP/one-by-one.ndjson' ] &&
    cmp '$TMP/one-by-one.ndjson' '$TMP/stdin.ndjson'"
check "trace -: the bad and the unmatched said, with their line" \
    "$(grep '^mailtrail: ' "$TMP/stdin.err")" \
    "mailtrail: xyz: bad query term: \"xyz\"
mailtrail: to:nobody@nowhere.test: no mail matches"
check "trace --timer: a line for each query run, with its lives" \
    "$(grep '^trace: ' "$TMP/stdin.err" | sed 's/, [0-9.]* ms$//')" \
    "trace: 1466b132e53384c3: 1 lives, 0 sessions
trace: to:@dest.test status:delivered: $(count to:@dest.test \
    status:delivered) lives, 0 sessions
trace: to:nobody@nowhere.test: 0 lives, 0 sessions
trace: from:alice@example.test  status:failed: $(count \
    from:alice@example.test status:failed) lives, 0 sessions"

# Terms AND together; addresses ignore case; @domain is a whole domain.
check "to:@DEST.test matches the domain, any case" "$(count to:@DEST.test)" 6
check "from: and status: together" \
    "$(count from:alice@example.test status:delivered)" 3
check "helo: and ip: of the client (mallory, x y)" \
    "$(count helo:CLIENT.TEST ip:127.0.0.1 status:rejected)" 2

# ip: a host with or without a port, IPv6 with or without brackets:
# the client's address, or a relay's (capture a, then a copy of it
# whose client is [::1]).
evpids() {
	"$MAILTRAIL" trace -d "$1" --json "$2" 2>/dev/null | jq -r .evpid |
	    tr '\n' ' '
}
"$MAILTRAIL" replay -d "$TMP/a.db" "$DATA/0.6/a-relay-ok.log"
check "trace ip:127.0.0.1 (no port): capture a's life" \
    "$(evpids "$TMP/a.db" ip:127.0.0.1)" "756725bd52e6b5bc "
check "ip: with the client's port: its life alone" \
    "$(evpids "$DB" ip:127.0.0.1:39594)" "756725bd52e6b5bc "
check "ip: with a relay's port: the lives relayed there" \
    "$(evpids "$TMP/a.db" ip:127.0.0.1:2526)" "756725bd52e6b5bc "
check "ip: with another port: none" "$("$MAILTRAIL" trace -d "$DB" \
    ip:127.0.0.1:1 2>&1; echo $?)" "mailtrail: no mail matches the query
1"
sed 's/|127\.0\.0\.1:39594|/|[::1]:39594|/' "$DATA/0.6/a-relay-ok.log" \
    >"$TMP/v6.log"
"$MAILTRAIL" replay -d "$TMP/v6.db" "$TMP/v6.log"
for term in ip:::1 "ip:[::1]" "ip:[::1]:39594"; do
	check "$term: the life from [::1]:39594" \
	    "$(evpids "$TMP/v6.db" "$term")" "756725bd52e6b5bc "
done
check "since: and until: (ISO 8601, UTC): a, then b's three" \
    "$(count since:2026-11-23T20:07:53Z until:2026-11-23T20:08:08)" 4
check "a relative time: since:100000d is every life" \
    "$(count since:100000d)" "$(q "$DB" "SELECT count(*) FROM v_life_all")"

# Network bytes: control characters escaped in text, JSON stays valid
# UTF-8 (invalid bytes become U+FFFD).
sed -e 's/EHLO client.test$/EHLO evil\x1b[2J.test/' \
    -e 's/EHLO|client.test$/EHLO|evil\x1b[2J.test/' \
    -e 's/bob@sink.test/b\xc3\xb8b\xff@sink.test/' \
    "$DATA/0.6/a-relay-ok.log" >"$TMP/hostile.log"
check_cmd "replay of a capture with hostile bytes" \
    "$MAILTRAIL" replay -d "$TMP/h.db" "$TMP/hostile.log"
"$MAILTRAIL" trace -d "$TMP/h.db" 756725bd52e6b5bc >"$TMP/h.txt"
check "text: no raw escape byte reaches the terminal" "$(esc "$TMP/h.txt")" \
    "0 of some"
check "text: the escape shows as \\x1b" \
    "$(grep -c 'helo evil\\x1b\[2J.test' "$TMP/h.txt")" 1
"$MAILTRAIL" trace -d "$TMP/h.db" --json 756725bd52e6b5bc >"$TMP/h.json"
check "json: valid, invalid UTF-8 replaced, valid UTF-8 kept" \
    "$(jq -r '.rcpt_to, .received.helo' "$TMP/h.json")" \
    "$(printf 'b\303\270b\357\277\275@sink.test\nevil\033[2J.test')"

# What a terminal acts on and JSON may carry raw (DEL, a C1 control, a
# bidirectional override) is escaped too; ECS, made with another
# writer, stays valid UTF-8 with a hostile TLS string; an error or a
# column name quoting a value shows its control bytes escaped.
E=$(printf '\033[1m\177\302\233\342\200\256\377')
sed -e "s/EHLO|client.test$/EHLO|t$E.test/" \
    -e "s/|TLSv1.3:TLS_AES_256_GCM_SHA384:256$/|TLSv1.3$E:C$E:256/" \
    "$DATA/0.7/c-starttls-auth-plain.log" >"$TMP/term.log"
"$MAILTRAIL" replay -d "$TMP/term.db" "$TMP/term.log"
"$MAILTRAIL" export -d "$TMP/term.db" >"$TMP/term.json"
"$MAILTRAIL" export -d "$TMP/term.db" --format ecs >"$TMP/term.ecs"
"$MAILTRAIL" sql -d "$TMP/term.db" --json "SELECT helo AS \"h$E\" FROM
    session WHERE helo IS NOT NULL" >"$TMP/term.sql"
check "json: DEL, C1 and a bidi override escaped, in every writer" \
    "$(cat "$TMP/term.json" "$TMP/term.ecs" "$TMP/term.sql" | LC_ALL=C \
    grep -c "$(printf '\177\\|\302\233\\|\342\200\256')")" 0
check "json: they read back as the characters (0xff as U+FFFD)" \
    "$(jq -r '.received.helo' "$TMP/term.json" | od -An -tx1 | tr -d ' \n')" \
    "$(printf 't\033[1m\177\302\233\342\200\256\357\277\275.test\n' |
    od -An -tx1 | tr -d ' \n')"
check_cmd "ecs, sql --json: valid UTF-8 JSON with hostile TLS and names" \
    python3 -c 'import json, sys
for f in sys.argv[1:]:
    t = open(f, "rb").read().decode("utf-8")
    if f.endswith(".sql"):
        json.loads(t)
    else:
        [json.loads(l) for l in t.splitlines()]
    assert "\\u202e" in t' "$TMP/term.ecs" "$TMP/term.sql"
"$MAILTRAIL" trace -d "$TMP/term.db" "x$E" 2>"$TMP/term.err"
"$MAILTRAIL" sql -d "$TMP/term.db" "SELECT 1 AS \"x$E\"" >>"$TMP/term.err"
check "errors and column names: control bytes shown as \\xHH" \
    "$(LC_ALL=C grep -c "$(printf '[\001-\011\013-\037\177-\377]')" \
    "$TMP/term.err")|$(grep -c 'x\\x1b\[1m\\x7f\\xc2\\x9b' "$TMP/term.err")" \
    "0|2"

# Filter decisions are part of the life: a rewritten recipient, a
# builtin filter's report (a capture edited: no filter ran in the lab).
sed -e 's/|rcpt-to|proceed$/|rcpt-to|rewrite|bob@rewritten.test/' \
    -e 's/^\(report|0.6|1795464473.584011|smtp-in|\)filter-response|\(.*\)|connected|proceed$/&\
\1filter-report|\2|builtin|check-rdns|no rDNS/' \
    "$DATA/0.6/a-relay-ok.log" >"$TMP/filters.log"
check_cmd "replay of a capture with filter decisions" \
    "$MAILTRAIL" replay -d "$TMP/f.db" "$TMP/filters.log"
"$MAILTRAIL" trace -d "$TMP/f.db" --json 756725bd52e6b5bc >"$TMP/f.json"
check "json: the rewrite and the filter report are among its events" \
    "$(jq -r '.events[] | select(.event | startswith("filter-")) |
    select(.params | endswith("proceed") | not) | .params' "$TMP/f.json")" \
    "$(printf 'builtin|check-rdns|no rDNS\nrcpt-to|rewrite|bob@rewritten.test')"
"$MAILTRAIL" trace -d "$TMP/f.db" 756725bd52e6b5bc >"$TMP/f.txt"
check "text: filter decisions shown, proceed left out" \
    "$(grep -o '! filter .*' "$TMP/f.txt" | tr '\n' '/')" \
    "! filter report builtin check-rdns no rDNS/! filter rcpt-to: rewrite bob@rewritten.test/"

# export: the same objects as trace --json, for any selection, in time
# order; --events: one object per report event.
"$MAILTRAIL" export -d "$DB" >"$TMP/all.ndjson"
check "export: every life, valid JSON" \
    "$(jq -e -s 'length' "$TMP/all.ndjson")" \
    "$(q "$DB" "SELECT count(*) FROM v_life_all")"
# (by when smtp-in created the envelope, or refused the recipient)
check "export: in time order" \
    "$(jq -e -s 'map(. as $l | [.events[] | select((.event ==
    "tx-envelope" and .params == $l.evpid) or (.event == "tx-rcpt" and
    $l.evpid == null and .subsystem == "smtp-in" and (.params |
    startswith("ok|") | not)))][0].time) | . == sort' "$TMP/all.ndjson")" \
    true
"$MAILTRAIL" export -d "$DB" 1466b132 >"$TMP/exp.ndjson"
check_cmd "export QUERY: the objects of trace --json" \
    cmp "$TMP/exp.ndjson" "$TMP/multi-rcpt.ndjson"
check "export --summary: no events" \
    "$("$MAILTRAIL" export -d "$DB" --summary | jq -r -s \
    'map(has("events")) | unique | tostring')" '[false]'
"$MAILTRAIL" export -d "$DB" --events >"$TMP/events.ndjson"
check "export --events: one object per line received" \
    "$(jq -e -s 'length' "$TMP/events.ndjson")" "$(report_lines $MIXED | wc -l)"
check "export --events SESSION: that session's events" \
    "$("$MAILTRAIL" export -d "$DB" --events 04f9ab4a91cf3dcf |
    jq -r -s 'map(.session) | unique | tostring')" '["04f9ab4a91cf3dcf"]'
"$MAILTRAIL" export -d "$DB" --events to:x >/dev/null 2>"$TMP/err"
check "export --events with a life term: exit 1" "$? $(cat "$TMP/err")" \
    "1 mailtrail: --events takes only since:, until: and session ids"

# export --follow while a replay appends to the same database: the new
# lives appear, each in its latest state.  Bounded wait; then killed.
FDB=$TMP/follow.db
"$MAILTRAIL" replay -d "$FDB" "$DATA/0.6/a-relay-ok.log"
"$MAILTRAIL" export -d "$FDB" --follow --summary >"$TMP/follow.out" 2>&1 &
fpid=$!
"$MAILTRAIL" export -d "$FDB" --events --follow 04f9ab51524c007c \
    >"$TMP/follow-ev.out" 2>&1 &
epid=$!
"$MAILTRAIL" export -d "$FDB" --follow status:failed >"$TMP/follow-q.out" \
    2>&1 &
qpid=$!
sleep 0.5
"$MAILTRAIL" replay -d "$FDB" "$DATA/0.6/b-multi-rcpt.log" \
    "$DATA/0.6/d-relay-denied.log"
n=0
while [ $n -lt 100 ] && [ "$(wc -l <"$TMP/follow.out")" -lt 6 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.3
kill $fpid $epid $qpid 2>/dev/null
wait $fpid $epid $qpid 2>/dev/null
# (Each chunk of changes comes in the order of their times.)
check "export --follow: the first life, then the new ones as committed" \
    "$(jq -e -r '[.rcpt_to, .status] | join("=")' "$TMP/follow.out" |
    sed -n 1p) $(jq -e -r '[.rcpt_to, .status] | join("=")' \
    "$TMP/follow.out" | sed 1d | sort | tr '\n' ' ')" \
    "bob@sink.test=delivered bob@sink.test=delivered \
labuser@local.test=queued mallory@elsewhere.invalid=rejected \
reject-dave@sink.test=failed tempfail-erin@sink.test=deferred "
check "export --follow QUERY: only what matches, with its events" \
    "$(jq -e -r '[.rcpt_to, .status, (.events | length > 0)] | join(" ")' \
    "$TMP/follow-q.out")" "reject-dave@sink.test failed true"
check "export --events --follow: the new session's events, once each" \
    "$(jq -e -s 'map(.seq) | if length == (unique | length) then length
    else "duplicates" end' \
    "$TMP/follow-ev.out")" \
    "$(grep -c '|04f9ab51524c007c' "$DATA/0.6/b-multi-rcpt.log")"

# export --follow on an empty database, then more than a chunk (1024
# events) at once: each chunk prints the lives its events changed, not
# every life again; only the few lives with events in two chunks twice.
EDB=$TMP/empty.db
"$MAILTRAIL" replay -d "$EDB" /dev/null
"$MAILTRAIL" export -d "$EDB" --follow --summary >"$TMP/empty.out" 2>&1 &
fpid=$!
sleep 0.5
sh "$TESTS/bench/gen.sh" "$DATA/0.6/relay-suite.log" 3000 >"$TMP/gen3k"
"$MAILTRAIL" replay -d "$EDB" "$TMP/gen3k"
all_out() {
	[ "$(jq -r 'select(.evpid != null) | .evpid' "$TMP/empty.out" \
	    2>/dev/null | sort -u | wc -l)" = \
	    "$(q "$EDB" "SELECT count(*) FROM v_life")" ]
}
wait_until 20 all_out
check "export --follow from empty: every life printed" "$?" 0
sleep 0.5
kill "$fpid"
wait "$fpid" 2>/dev/null
check "export --follow from empty: few lives twice, none more" \
    "$(jq -r 'select(.evpid != null) | .evpid' "$TMP/empty.out" | sort |
    uniq -c | awk -v n="$(q "$EDB" "SELECT count(*) FROM v_life")" '
    $1 > 2 { bad = 1 } $1 == 2 { twice++ }
    END { print (bad || twice * 10 > n) ? "no: " twice " of " n : "yes" }')" \
    yes

# export --follow and a refused MAIL FROM: the envelope is printed queued
# when committed, then again, failed, once the refusal comes in.
n=$(grep -n '|1795462840.145873|' "$DATA/0.6/relay-suite.log" | cut -d: -f1)
head -n $((n - 1)) "$DATA/0.6/relay-suite.log" >"$TMP/part1.log"
tail -n +"$n" "$DATA/0.6/relay-suite.log" >"$TMP/part2.log"
RDB=$TMP/refused.db
"$MAILTRAIL" replay -d "$RDB" "$TMP/part1.log"
"$MAILTRAIL" export -d "$RDB" --follow --summary 796808e200497ce6 \
    >"$TMP/refused.out" 2>&1 &
rpid=$!
sleep 0.5
"$MAILTRAIL" replay -d "$RDB" "$TMP/part2.log"
n=0
while [ $n -lt 100 ] && [ "$(wc -l <"$TMP/refused.out")" -lt 2 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill $rpid 2>/dev/null
wait $rpid 2>/dev/null
check "export --follow: queued, then failed by the refused MAIL FROM" \
    "$(jq -e -r '[.status, (.attempts | map(.inferred) | tostring)] |
    join(" ")' "$TMP/refused.out" | tr '\n' '/')" "queued []/failed [true]/"

# A database the read model cannot read (a table of the life query
# gone): each command says why, once, and exits 1; with several, it
# names the database.
cp "$DB" "$TMP/broken.db"
sqlite3 "$TMP/broken.db" "DROP TABLE life_refusal"
# unreadable DESC WANT ARGS...: mailtrail ARGS fails with WANT alone
unreadable() {
	d=$1
	w=$2
	shift 2
	"$MAILTRAIL" "$@" >/dev/null 2>"$TMP/broken.err"
	rc=$?
	check "$d: why, once, exit 1" \
	    "$rc: $(sed "s|$TMP/||" "$TMP/broken.err" | tr '\n' /)" "1: $w/"
}
unreadable "trace of an unreadable database" \
    "mailtrail: no such table: life_refusal" trace -d "$TMP/broken.db" 1466b132
unreadable "export of an unreadable database" \
    "mailtrail: no such table: life_refusal" export -d "$TMP/broken.db"
unreadable "trace of several, one unreadable" \
    "mailtrail: broken.db: no such table: life_refusal" \
    trace -d "$TMP/broken.db" -d "$DB" 1466b132

# 7.6: the stream of a run of t-e2e-7.sh (OpenSMTPD 7.6.0p1, protocol
# 0.7): AUTH PLAIN and LOGIN after STARTTLS on smtp-in, STARTTLS and
# AUTH to the next hop passing and refused, a next hop that stopped
# answering after RCPT.
DB=$TMP/76.db
check_cmd "7.6: replay of the end-to-end run" "$MAILTRAIL" replay -d "$DB" \
    "$DATA/0.7/e2e-suite.log"
trace e2e7-auth-plain to:h-plain@sink.test
fact e2e7-auth-plain "received in TLS from ann, relayed" \
    '.[0].received.auth_user == "ann" and (.[0].received.tls |
    startswith("TLSv1.3:")) and .[0].status == "delivered" and
    ([.[0].events[] | select(.event == "link-auth") | .params] ==
    ["pass|ann"])'
trace e2e7-auth-login to:j-login@sink.test
fact e2e7-auth-login "AUTH LOGIN: the user and password lines masked" \
    '[.[0].events[] | select(.event == "protocol-client" and
    .subsystem == "smtp-in") | .params] | index("AUTH LOGIN") as $i |
    .[$i + 1: $i + 3] == ["********", "********"]'
trace e2e7-relay-auth to:l-auth@auth.sink.test
fact e2e7-relay-auth "relayed in TLS after AUTH as relayuser" \
    '.[0].status == "delivered" and (.[0].attempts[0].tls |
    startswith("TLSv1.3:")) and ([.[0].events[] | select(.subsystem ==
    "smtp-out" and .event == "link-auth") | .params] ==
    ["pass|relayuser"])'
trace e2e7-relay-badauth to:m-badauth@badauth.sink.test
fact e2e7-relay-badauth "refused AUTH: no session carried it, queued" \
    '.[0].status == "queued" and .[0].attempts == []'
trace e2e7-stall to:stall-p@stall.test
fact e2e7-stall "no reply to RCPT, then delivered on another session" \
    '(.[0].attempts | map(.result)) == ["tempfail", "ok"] and
    .[0].attempts[0].response == null and .[0].status == "delivered"'
trace e2e7-bounces "from:<>"
fact e2e7-bounces "two bounces: to carol relayed, to e2euser local" \
    'map(.rcpt_to + "=" + .status) == ["carol@sink.test=delivered",
    "e2euser@local.test=queued"]'

# link-auth: 0.7 puts the result first (result|user), 0.4-0.6 last; a
# timeline says the user and the result the same way for both (0.6's
# order is checked on its own in test_model.c: no capture of 0.6 has
# AUTH).
printf 'to:h-plain@sink.test\nto:l-auth@auth.sink.test\n' |
    "$MAILTRAIL" trace -d "$DB" - >"$TMP/auth.text"
check "7.6: AUTH on smtp-in and to the next hop: user, then result" \
    "$(grep -o '= auth .*\|link-auth.*' "$TMP/auth.text")" \
    "= auth ann: pass
= auth relayuser: pass"
