# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-answers.sh: a session with no life of its own is an answer of trace
# and export --sessions (its outcome as the writer keeps it, the line
# and the filter that decided it, its dialogue), on real captures of
# smtpd 7.6 (0.7); a session with lives is answered by them alone, on
# real captures of smtpd 6.8 (0.6) and 7.6.
. "$(dirname "$0")/lib.sh"

for f in 0.6/d-relay-denied 0.6/c-rset-quit 0.6/e-disconnect-in-data \
    0.6/relay-suite 0.7/n-builtin-filter 0.7/o-starttls-giveup \
    0.7/p-next-hop-stalls 0.7/e2e-suite; do
	"$MAILTRAIL" replay -d "$TMP/$(echo $f | tr / -).db" "$DATA/$f.log" \
	    >/dev/null 2>&1
done
N=$TMP/0.7-n-builtin-filter.db
O=$TMP/0.7-o-starttls-giveup.db
E=$TMP/0.7-e2e-suite.db

# trace DB QUERY...: the text, without colour
trace() {
	db=$1
	shift
	NO_COLOR=1 "$MAILTRAIL" trace -d "$db" "$@"
}

# --- 7.6: a sender refused at MAIL FROM by a filter, no transaction ---
trace "$N" from:spammer@sink.test >"$TMP/n.txt" 2>&1
check "0.7 from: of a sender a filter refused: answered, exit 0" "$?" 0
check "0.7 its head: the outcome, the session, the 550, the filter" \
    "$(sed -n 1,4p "$TMP/n.txt" | sed 's/connected .*//')" \
    "refused-mail  smtp-in session ec419ef3b6c91bca from 127.0.0.1:57500: MAIL FROM refused
  550 5.7.1 sender refused by builtin filter
  a filter at mail-from: reject, 550 5.7.1 sender refused by builtin filter
  no envelope, refused sender spammer@sink.test, "
check "0.7 its dialogue, the filter's decision and the 550 in it" \
    "$(grep -c -e '! filter mail-from: reject' -e '< 550 5.7.1' \
    "$TMP/n.txt")" 2
check "0.7 where it ended: refused by a filter, no mail" \
    "$(grep '^  +[0-9.]*s *refused-mail ' "$TMP/n.txt" |
    sed 's/^  +[0-9.]*s *//')" \
    "refused-mail MAIL FROM refused by a filter: 550 5.7.1 sender refused by builtin filter; no mail"
check "0.7 the domain, the session id and ip: find it too" \
    "$(for t in from:@SINK.test ec419ef3b6c91bca ip:127.0.0.1:57500; do
    trace "$N" --json "$t" | jq -r '.kind + " " + .outcome'; done |
    sort | uniq -c | sed 's/^ *//')" "3 session refused-mail"
trace "$N" --json from:spammer@sink.test >"$TMP/n.json"
check "0.7 --json: kind session, its outcome, reply, filter, sender" \
    "$(jq -r '[.kind, .subsystem, .session, .outcome, .reason.event,
    .reason.params, .filter, .mail_from, (.events | length)] | @tsv' \
    "$TMP/n.json")" \
    "$(printf 'session\tsmtp-in\tec419ef3b6c91bca\trefused-mail\tprotocol-server\t550 5.7.1 sender refused by builtin filter\tmail-from|reject|550 5.7.1 sender refused by builtin filter\tspammer@sink.test\t20')"
check "0.7 a sender the session did not refuse: nothing matches" \
    "$(trace "$N" from:alice@sink.test 2>&1; echo $?)" \
    "mailtrail: no mail matches the query
1"

# --- 7.6: a client that gave up after the 220 to STARTTLS -------------
for t in ip:127.0.0.1:50118 ec419ef46078f9f8 outcome:tls-failed; do
	trace "$O" "$t" | head -2
done >"$TMP/o.txt"
check "0.7 STARTTLS given up: ip:, its id and outcome: say tls-failed" \
    "$(sort "$TMP/o.txt" | uniq -c | sed 's/^ *//')" \
    "3   220 2.0.0 Ready to start TLS
3 tls-failed  smtp-in session ec419ef46078f9f8 from 127.0.0.1:50118: TLS never established"
check "0.7 outcome:tls-failed --json: one session object" \
    "$(trace "$O" --json outcome:tls-failed | jq -r '.kind + " " +
    .outcome + " " + .reason.params')" \
    "session tls-failed 220 2.0.0 Ready to start TLS"

# --- e2e-suite: lives and sessions together -----------------------------
check "0.7 status:refused: the refused recipient's life and the session" \
    "$(trace "$E" --json status:refused | jq -r '.kind + " " +
    (.status // .outcome)')" "life rejected
session refused-mail"
check "0.7 status:refused in text: both, in time order" \
    "$(trace "$E" status:refused | grep '^[a-z]' | cut -d' ' -f1)" \
    "rejected
refused-mail"
check "0.7 AUTH failures: two clients in, our AUTH refused by a relay" \
    "$(trace "$E" --json outcome:auth-failed | jq -r '[.subsystem,
    .session, .reason.params] | @tsv')" \
    "$(printf 'smtp-in\tec419eed41c55437\t535 Authentication failed
smtp-in\tec419eef05a5da42\t535 Authentication failed
smtp-out\tec419eff90fa862e\t535 5.7.8 Authentication credentials invalid')"
check "0.7 smtp-out connections that failed: to:?, no mail" \
    "$(trace "$E" outcome:connect-failed | grep '^[a-z]')" \
    "connect-failed  smtp-out session ec419eda52673399 to ?: the connection failed
connect-failed  smtp-out session ec419efad29d67cb to ?: the connection failed"
check "0.7 outcome:refused matches every refused-* outcome" \
    "$(trace "$E" --json outcome:refused | jq -r '.kind' | sort | uniq -c |
    sed 's/^ *//' | tr '\n' ' ')" "1 life 1 session "
check "0.7 a session with lives (the aborted attempt) is its life's" \
    "$(trace "$TMP/0.7-p-next-hop-stalls.db" --json ec419ef796b40967 |
    jq -r '.kind + " " + .status')" "life delivered"
check "0.7 a bad outcome: term is said" \
    "$(trace "$E" outcome:bogus 2>&1; echo $?)" \
    "mailtrail: bad query term: \"outcome:bogus\"
1"

# --- export --sessions ---------------------------------------------------
"$MAILTRAIL" export -d "$E" --sessions >"$TMP/e.ndjson"
check "0.7 export --sessions: the 17 lives and the 7 sessions alone" \
    "$(jq -r .kind "$TMP/e.ndjson" | sort | uniq -c | sed 's/^ *//' |
    tr '\n' ' ')" "17 life 7 session "
check "0.7 export --sessions: the sessions' outcomes, in time order" \
    "$(jq -r 'select(.kind == "session") | .outcome' "$TMP/e.ndjson" |
    tr '\n' ' ')" \
    "connect-failed auth-failed auth-failed refused-mail tls-failed connect-failed auth-failed "
# the order of lives (first seen) and of these sessions (their start)
order() {
	q "$E" "SELECT k FROM (SELECT 'life' AS k, t, 0 AS o FROM life
	    UNION ALL SELECT 'session', t_start, 1 FROM session WHERE
	    printf('%016x', sid) IN ($(jq -r 'select(.kind == "session") |
	    "'"'"'\(.session)'"'"'"' "$TMP/e.ndjson" | paste -sd,))) ORDER BY
	    t, o"
}
check "0.7 export --sessions: lives and sessions in one time order" \
    "$(jq -r .kind "$TMP/e.ndjson" | tr '\n' ' ')" "$(order | tr '\n' ' ')"
check "0.7 export without --sessions: the lives alone, as before" \
    "$("$MAILTRAIL" export -d "$E" | jq -r .kind | sort | uniq -c |
    sed 's/^ *//')" "17 life"
check "0.7 export --sessions --summary: no events" \
    "$("$MAILTRAIL" export -d "$E" --sessions --summary |
    jq -r 'has("events")' | sort -u)" false
"$MAILTRAIL" export -d "$E" --sessions --summary --format ecs \
    >"$TMP/e.ecs"
check "0.7 export --sessions --format ecs: 7 session documents" \
    "$(jq -r 'select(.event.dataset == "mailtrail.session") |
    [.event.action, .event.outcome, .labels.subsystem] | @tsv' \
    "$TMP/e.ecs" | sort | uniq -c | sed 's/^ *//' | tr '\t' ' ')" \
    "2 auth-failed failure smtp-in
1 auth-failed failure smtp-out
2 connect-failed failure smtp-out
1 refused-mail failure smtp-in
1 tls-failed failure smtp-in"
check "0.7 ECS: the refused sender, the reply, the client" \
    "$(jq -r 'select(.event.action == "refused-mail") |
    [.email.from.address[0], .event.reason, .source.ip] | @tsv' \
    "$TMP/e.ecs")" \
    "$(printf 'spammer@sink.test\t550 5.7.1 sender refused by builtin filter\t127.0.0.1')"
check "0.7 ECS: no empty object (email of a session with no sender)" \
    "$(jq -c '[paths(type == "object" and length == 0)]' "$TMP/e.ecs" |
    sort -u)" "[]"
"$MAILTRAIL" export -d "$E" -d "$N" --sessions --summary >"$TMP/two.ndjson"
check "0.7 export --sessions of two databases: host first, 8 sessions" \
    "$(jq -r 'select(.kind == "session") | keys_unsorted[0]' \
    "$TMP/two.ndjson" | uniq -c | sed 's/^ *//')" "8 host"
check "0.7 trace of two databases: the session with its host" \
    "$("$MAILTRAIL" trace -d "$N" -d "$TMP/0.6-relay-suite.db" --json \
    from:spammer@sink.test | jq -r '.host + " " + .kind + " " + .outcome')" \
    "vm session refused-mail"
check "export --sessions takes neither --events nor --follow" \
    "$("$MAILTRAIL" export -d "$E" --sessions --events >/dev/null 2>&1;
    echo $?; "$MAILTRAIL" export -d "$E" --sessions --follow \
    >/dev/null 2>&1; echo $?)" "1
1"

# --- 6.8: every session has its life: answered by it alone ---------------
for c in d-relay-denied:8ac4f04475bd5ced c-rset-quit:ade7e665d87da510 \
    e-disconnect-in-data:969f194803e361ae; do
	db=$TMP/0.6-${c%%:*}.db
	echo "$(trace "$db" --json "${c#*:}" | jq -r '.kind + " " +
	    .status') / $("$MAILTRAIL" export -d "$db" --sessions | wc -l)"
done >"$TMP/six.txt"
check "0.6 relay denied, RSET and QUIT, lost in DATA: their lives alone" \
    "$(cat "$TMP/six.txt")" "life rejected / 1
life aborted / 1
life aborted / 1"
check "0.6 outcome:refused-rcpt finds the refused recipient's life" \
    "$(trace "$TMP/0.6-d-relay-denied.db" --json outcome:refused-rcpt |
    jq -r '.kind + " " + .rcpt_to')" "life mallory@elsewhere.invalid"
check "0.6 status:refused: the refused recipients, no session alone" \
    "$(trace "$TMP/0.6-relay-suite.db" --json status:refused |
    jq -r '.kind + " " + .status')" "life rejected"
check "0.6 relay-suite: export --sessions is export" \
    "$(out export -d "$TMP/0.6-relay-suite.db" --sessions | cksum)" \
    "$(out export -d "$TMP/0.6-relay-suite.db" | cksum)"
