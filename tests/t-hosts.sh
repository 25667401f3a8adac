# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-hosts.sh: several databases, one per mail host (issue 7): each
# database's host name (smtpd's admd, else the file name); trace and
# export over -d a.db -d b.db; trace following a mail from host A's
# smtp-out attempt to host B's smtp-in by the next hop's queue id; export
# --format ecs (Elastic Common Schema) checked field by field with jq;
# then two real smtpd relaying to each other (tests/e2e/two-hosts.sh,
# root only).
#
# Host B's capture is made from a-relay-ok.log: its msgid becomes
# 1a2b3c4d, the queue id host A's next hop answered ("250 2.0.0 1a2b3c4d
# Message accepted for delivery"; the real captures' sink is not
# OpenSMTPD and answers "queued as sink-N"), its client is A's smtp-out
# side, its times 50 ms later.
. "$(dirname "$0")/lib.sh"

A=$TMP/a.db
B=$TMP/b.db
sed -e 's/^config|admd|vm$/config|admd|host-a.test/' \
    -e 's/250 2\.0\.0 queued as sink-000001/250 2.0.0 1a2b3c4d Message accepted for delivery/' \
    "$DATA/0.6/a-relay-ok.log" >"$TMP/a.log"
sed -e 's/^config|admd|vm$/config|admd|host-b.test/' -e 's/756725bd/1a2b3c4d/g' \
    -e 's/3563dfd4055bb886/5a5a5a5a00000001/g' \
    -e 's/3563dfd7e69094a9/5a5a5a5a00000002/g' \
    -e 's/127\.0\.0\.1:39594|127\.0\.0\.1:2525/127.0.0.1:36002|127.0.0.1:2526/' \
    "$DATA/0.6/a-relay-ok.log" | awk -F'|' 'BEGIN { OFS = "|" }
    $1 == "report" { split($3, p, "."); s = p[1]; f = p[2] + 50000
	if (f >= 1000000) { f -= 1000000; s++ }
	$3 = sprintf("%d.%06d", s, f) } { print }' >"$TMP/b.log"
sed 's/^config|admd|vm$/config|admd|host-a.test/' \
    "$DATA/0.6/b-multi-rcpt.log" >"$TMP/a2.log"
check_cmd "host A: replay" "$MAILTRAIL" replay -d "$A" "$TMP/a.log" \
    "$TMP/a2.log"
check_cmd "host B: replay" "$MAILTRAIL" replay -d "$B" "$TMP/b.log"
check "host A's attempt kept the next hop's queue id" \
    "$(q "$A" "SELECT remote_id FROM attempt WHERE evpid =
    0x756725bd52e6b5bc")" "1a2b3c4d"

# tj NAME ARGS...: trace --json into $TMP/NAME.ndjson; tf NAME DESC JQ
tj() {
	n=$1
	shift
	"$MAILTRAIL" trace --json "$@" >"$TMP/$n.ndjson" 2>"$TMP/$n.err"
}
tf() {
	if jq -e -s "$3" "$TMP/$1.ndjson" >/dev/null 2>&1; then
		ok "$1: $2"
	else
		notok "$1: $2"
		jq -c -s 'map(del(.events))' "$TMP/$1.ndjson" 2>&1 |
		    head -c 600 | sed 's/^/  got: /'
		echo
		sed 's/^/  stderr: /' "$TMP/$1.err" | head -5
	fi
}

# The path A -> B, whichever envelope is asked for, in either -d order.
JOIN='length == 2 and map(.host) == ["host-a.test", "host-b.test"] and
    .[0].evpid == "756725bd52e6b5bc" and .[0].upstream == null and
    .[1].msgid == "1a2b3c4d" and .[1].upstream == {"host": "host-a.test",
    "evpid": "756725bd52e6b5bc", "session": "3563dfd7e69094a9",
    "remote_id": "1a2b3c4d"} and .[1].upstream.remote_id == .[1].msgid and
    ((.[0].attempts[0] | has("remote_id") | not) or
    .[0].attempts[0].remote_id == .[1].msgid) and
    .[1].rcpt_to == .[0].rcpt_to and .[1].received.client ==
    "127.0.0.1:36002" and .[1].status == "delivered" and
    (.[1].reply | test("sink-000001"))'
tj from-a -d "$A" -d "$B" 756725bd52e6b5bc
tf from-a "A's envelope: A's life, then B's, joined by the queue id" "$JOIN"
tj from-b -d "$A" -d "$B" 1a2b3c4d52e6b5bc
tf from-b "B's envelope: the path from A all the same" "$JOIN"
tj reversed -d "$B" -d "$A" to:bob@sink.test from:alice@sink.test
tf reversed "-d b.db -d a.db, a query matching both: printed once, A first" \
    "$JOIN"
tj msgid -d "$A" -d "$B" 1466b132
tf msgid "a message on host A only: its three lives, host A's" \
    'length == 3 and (map(.host) | unique) == ["host-a.test"] and
    (map(.upstream) | unique) == [null]'
tj one -d "$A" 756725bd52e6b5bc
tf one "one database: the JSON as before (no host key)" \
    'length == 1 and (.[0] | has("host") | not)'

NO_COLOR=1 "$MAILTRAIL" trace -d "$A" -d "$B" 756725bd52e6b5bc \
    >"$TMP/text.out" 2>&1
check "text: host A, then the next hop B, then the sink not followed" \
    "$(grep -E '^on host|^  -> next hop|^[a-z]+  ' "$TMP/text.out")" \
    "on host host-a.test:
delivered  alice@sink.test -> bob@sink.test
  -> next hop host-b.test: accepted as 1a2b3c4d
delivered  alice@sink.test -> bob@sink.test
  -> next hop 127.0.0.1:2526: queued as sink-000001, not in these databases"

# host_of: no admd in the config block: the file's name; control bytes
# in the admd escaped (JSON) or shown escaped (text).
report_lines "$TMP/b.log" >"$TMP/noadmd.log"
"$MAILTRAIL" replay -d "$TMP/plain.db" "$TMP/noadmd.log"
tj plain -d "$A" -d "$TMP/plain.db" 1a2b3c4d52e6b5bc
tf plain "no admd: the host is the database's file name" \
    'map(.host) == ["host-a.test", "plain"]'
printf 'config|admd|evil\033[31mhost\nconfig|ready\n' >"$TMP/evil.log"
cat "$TMP/noadmd.log" >>"$TMP/evil.log"
"$MAILTRAIL" replay -d "$TMP/evil.db" "$TMP/evil.log"
tj evil -d "$A" -d "$TMP/evil.db" 1a2b3c4d52e6b5bc
tf evil "a control byte in admd: JSON-escaped" \
    '.[1].host == "evil\u001b[31mhost"'
"$MAILTRAIL" trace -d "$TMP/evil.db" -d "$A" 1a2b3c4d52e6b5bc >"$TMP/esc.t" \
    2>&1
check "a control byte in admd: never written raw to the terminal, shown" \
    "$(grep -c "$(printf '\033')" "$TMP/esc.t") $(grep -c 'evil\\x1b' \
    "$TMP/esc.t" | awk '{ print ($1 > 0) ? "shown" : "not shown" }')" \
    "0 shown"

# export over two databases: every life of each, in time order, with
# its host; B's with its upstream.
"$MAILTRAIL" export -d "$A" -d "$B" >"$TMP/exp.ndjson"
check "export -d -d: every life of both, in time order, with its host" \
    "$(jq -r '[.host, .evpid // "-", .upstream.evpid // "-"] | join(" ")' \
    "$TMP/exp.ndjson" | head -2)" \
    "host-a.test 756725bd52e6b5bc -
host-b.test 1a2b3c4d52e6b5bc 756725bd52e6b5bc"
check "export -d -d: as many lives as the two databases hold" \
    "$(wc -l <"$TMP/exp.ndjson")" \
    "$(($(q "$A" "SELECT count(*) FROM life") +
    $(q "$B" "SELECT count(*) FROM life")))"
"$MAILTRAIL" export -d "$A" -d "$B" --events >"$TMP/ev.ndjson"
check "export --events -d -d: every event of both, each with its host" \
    "$(jq -r .host "$TMP/ev.ndjson" | sort | uniq -c | awk '{print $1, $2}')" \
    "$(q "$A" "SELECT count(*) FROM event") host-a.test
$(q "$B" "SELECT count(*) FROM event") host-b.test"
args=
for i in $(seq 65); do	# 65 names of it: a name twice is refused
	ln -s "$A" "$TMP/l$i.db"
	args="$args -d $TMP/l$i.db"
done
check "65 databases: refused, with the limit" \
    "$("$MAILTRAIL" trace $args 756725bd52e6b5bc 2>&1 >/dev/null; echo $?)" \
    "mailtrail: at most 64 databases
1"
check "export --raw takes one database" \
    "$("$MAILTRAIL" export --raw -d "$A" -d "$B" 2>&1 >/dev/null; echo $?)" \
    "mailtrail: --raw takes no query and no other option but one -d
1"

# ECS: one document per life; the field names ECS defines.
"$MAILTRAIL" export --format ecs -d "$A" -d "$B" >"$TMP/ecs.ndjson"
ef() {
	if jq -e -s "$2" "$TMP/ecs.ndjson" >/dev/null 2>&1; then
		ok "ecs: $1"
	else
		notok "ecs: $1"
		head -c 600 "$TMP/ecs.ndjson" | sed 's/^/  got: /'
		echo
	fi
}
ef "valid JSON, one document per life" \
    "length > 0 and length == $(wc -l <"$TMP/exp.ndjson")"
ef "base and event fields on every document" \
    'length > 0 and all(.[]; (."@timestamp" | test("^[0-9-]+T[0-9:.]+Z$")) and
    .ecs.version == "8.11.0" and .event.kind == "event" and
    .event.category == ["email"] and .event.type == ["info"] and
    (.event.outcome | IN("success", "failure", "unknown")) and
    .event.module == "mailtrail" and .event.dataset == "mailtrail.life" and
    (.host.name | IN("host-a.test", "host-b.test")) and
    (.message | type) == "string" and (.labels.msgid | test("^[0-9a-f]{8}$")))'
ef "A's relayed mail: email.*, source.*, destination.*, related.*" \
    'map(select(.email.local_id == "756725bd52e6b5bc"))[0] |
    .email.from.address == ["alice@sink.test"] and
    .email.to.address == ["bob@sink.test"] and
    .event.action == "delivered" and .event.outcome == "success" and
    .source == {"address": "127.0.0.1", "ip": "127.0.0.1", "port": 39594,
    "domain": "localhost"} and .destination.address == "127.0.0.1" and
    .destination.port == 2526 and .related.ip == ["127.0.0.1"] and
    .labels.remote_id == "1a2b3c4d" and .event.duration == 91862000 and
    .host.name == "host-a.test" and .event.id ==
    "host-a.test:756725bd52e6b5bc"'
ef "B's life names its upstream; A's next-hop id is B's msgid" \
    'map(select(.host.name == "host-b.test"))[0] as $b |
    map(select(.email.local_id == "756725bd52e6b5bc"))[0] as $a |
    $b.labels.upstream_host == "host-a.test" and
    $b.labels.upstream_evpid == "756725bd52e6b5bc" and
    $a.labels.remote_id == $b.labels.msgid'
ef "a 550 at the next hop: failure, with the reply as reason" \
    'map(select(.email.to.address == ["reject-dave@sink.test"]))[0] |
    .event.action == "failed" and .event.outcome == "failure" and
    (.event.reason | startswith("550 5.1.1"))'
ef "a deferred mail: outcome unknown, no event.end" \
    'map(select(.email.to.address == ["tempfail-erin@sink.test"]))[0] |
    .event.outcome == "unknown" and (.event | has("end") | not)'

"$MAILTRAIL" replay -d "$TMP/tls.db" "$DATA/0.7/c-starttls-auth-plain.log"
"$MAILTRAIL" export --format ecs -d "$TMP/tls.db" >"$TMP/tls.ndjson"
check "ecs: TLS and AUTH of smtp-in as tls.* and user.name" \
    "$(jq -c -s 'map(select(.tls != null))[0] | [.tls.version_protocol,
    .tls.version, .tls.cipher, .user.name, .host.name]' "$TMP/tls.ndjson")" \
    '["tls","1.3","TLS_AES_256_GCM_SHA384","labuser","vm"]'
"$MAILTRAIL" export --format ecs --events -d "$B" >"$TMP/ecs-ev.ndjson"
check "ecs --events: one document per event, action the event's name" \
    "$(jq -r -s '[length, (map(.event.sequence) | unique | length),
    (map(select(.event.action == "tx-commit")) | length),
    (map(.host.name) | unique | join(",")),
    (map(.network.direction) | unique | join(","))] | join(" ")' \
    "$TMP/ecs-ev.ndjson")" \
    "$(q "$B" "SELECT count(*) FROM event") \
$(q "$B" "SELECT count(*) FROM event") 2 host-b.test inbound,outbound"
for c in "report summary" export trace metrics; do
	check "$c: a database named twice is refused (its mail would count \
twice)" "$("$MAILTRAIL" $c -d "$A" -d "$A" 2>&1 >/dev/null; echo $?)" \
	    "mailtrail: $A: named twice
1"
done
check "ecs: a bad --format is refused, named" \
    "$("$MAILTRAIL" export --format xml -d "$A" 2>&1 >/dev/null; echo $?)" \
    "mailtrail: --format xml: json or ecs
1"

# export --follow --format ecs over two databases: what a replay appends
# to either comes out, each document once it is committed.
FA=$TMP/fa.db
FB=$TMP/fb.db
"$MAILTRAIL" replay -d "$FA" "$TMP/a.log"
"$MAILTRAIL" replay -d "$FB" "$TMP/noadmd.log"
"$MAILTRAIL" export --follow --format ecs --summary -d "$FA" -d "$FB" \
    >"$TMP/follow.out" 2>&1 &
fpid=$!
sleep 0.5
"$MAILTRAIL" replay -d "$FB" "$DATA/0.6/d-relay-denied.log"
"$MAILTRAIL" replay -d "$FA" "$TMP/a2.log"
wait_until 10 sh -c "[ \$(wc -l <'$TMP/follow.out') -ge 7 ]"
sleep 0.3
kill $fpid 2>/dev/null
wait $fpid 2>/dev/null
check "export --follow --format ecs -d -d: both hosts' new lives" \
    "$(jq -r '[.host.name, .email.to.address[0], .event.action] |
    join(" ")' "$TMP/follow.out" | sort | uniq | tr '\n' ' ')" \
    "fb bob@sink.test delivered fb mallory@elsewhere.invalid rejected \
host-a.test bob@sink.test delivered host-a.test labuser@local.test queued \
host-a.test reject-dave@sink.test failed \
host-a.test tempfail-erin@sink.test deferred "

# Two real smtpd, A relaying to B, B to the sink (root only).
if [ "$(id -u)" != 0 ]; then
	skip "two real smtpd relaying to each other: SKIPPED: needs root"
	exit 0
fi
bash "$TESTS/e2e/two-hosts.sh" >"$TMP/two.out" 2>&1
rc=$?
if [ $rc = 77 ]; then
	skip "two real smtpd: $(grep SKIPPED "$TMP/two.out" | head -1)"
	exit 0
fi
grep -E '^(ok|not ok|skip) - ' "$TMP/two.out"
if [ $rc != 0 ] && ! grep -q '^not ok - ' "$TMP/two.out"; then
	notok "two real smtpd: tests/e2e/two-hosts.sh exited $rc"
	sed 's/^/  /' "$TMP/two.out" | tail -30
fi
