# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-dest.sh: report destinations on the real smtpd's captures: the
# sink's refusals (reject* 550 5.1.1, tempfail* 451, stall* no reply)
# under their classes per domain and next hop, with the counts the
# lines give; --json; --compare against a window before with a clean
# delivery of the same domain (what got worse is marked); several -d
# merged per destination.
. "$(dirname "$0")/lib.sh"

cap="$DATA/0.7/e2e-suite.log"
ok1="$DATA/0.7/a-relay-ok.log"
db="$TMP/d.db"
"$MAILTRAIL" replay -d "$db" "$cap" >/dev/null 2>&1

# The window: the capture's first and last report line.
first=$(awk -F'|' '$1 == "report" { print int($3); exit }' "$cap")
last=$(awk -F'|' '$1 == "report" { t = $3 } END { print int(t) + 1 }' "$cap")
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S; }
win="--since $(iso "$first") --until $(iso "$last")"

"$MAILTRAIL" report destinations -d "$db" $win --json --top 0 \
    >"$TMP/j" 2>"$TMP/err"
check "report destinations --json: exit 0, nothing on stderr" \
    "$?:$(cat "$TMP/err")" "0:"
dom() { jq -c ".sections[0].rows[] | select(.domain == \"$1\") | $2" \
    "$TMP/j"; }

# What the sink refused, from the lines smtpd wrote about it.
rejects=$(grep 'smtp-out' "$cap" | grep -o 'reject-[a-z]*@sink.test>: user unknown' |
    sort -u | wc -l)
temps=$(grep -c 'smtp-out|tx-rcpt|.*|tempfail|tempfail-' "$cap")
check "sink.test: the 550 5.1.1 of each reject* recipient, unknown-user" \
    "$(dom sink.test '[.classes[] | select(.class == "unknown-user") |
    .failures, .deferrals]')" "[$rejects,0]"
check "sink.test: the 451 of the tempfail* recipient, a deferral (other)" \
    "$(dom sink.test '[.classes[] | select(.class == "other") |
    .deferrals, .failures, (.reply | test("^451 4.3.0 <tempfail-"))]')" \
    "[$temps,0,true]"
check "stall.test: the stall (no reply), a connection deferral" \
    "$(dom stall.test '[.classes[] | select(.class == "connection") |
    .deferrals, .reply]')" "[1,null]"

# Envelopes and tries of sink.test, as the lines count them: each
# smtp-in RCPT accepted for it, each smtp-out RCPT or refusal.
rcpt_ok=$(grep -c 'smtp-out|tx-rcpt|.*|ok|[^|]*@sink.test$' "$cap")
check "sink.test: delivered, failed, deferrals, failures, trouble" \
    "$(dom sink.test '[.delivered, .failed, .deferrals, .failures,
    .trouble, .last_failure_class]')" \
    "[$rcpt_ok,$rejects,$temps,$rejects,40,\"unknown-user\"]"
check "sink.test: p50 and p95 accept to delivery are known" \
    "$(dom sink.test '[.p50 > 0, .p95 >= .p50]')" "[true,true]"

# The envelopes received are report summary's, the maillog's removals
# and an envelope aborted before its commit (never received) among them:
# each row's are its states' sum, and all rows' the summary's count.
ml=$TMP/dml.db
cp "$db" "$ml"
"$MAILTRAIL" maillog -d "$ml" "$DATA/maillog/7.6/e2e-suite.maillog" \
    >/dev/null 2>&1
"$MAILTRAIL" report destinations -d "$ml" --json --top 0 >"$TMP/mlj"
"$MAILTRAIL" report summary -d "$ml" --json >"$TMP/mls"
check "with the maillog: removed and aborted envelopes, as summary says" \
    "$(jq -c '.sections[0].rows[0] | [.removed > 0, .aborted > 0]' \
    "$TMP/mls")" "[true,true]"
check "with the maillog: each domain's envelopes, the sum of their states" \
    "$(jq -c '[.sections[0].rows[] | select(.envelopes != .delivered +
    .deferred + .failed + .expired + .removed + .queued) | .domain]' \
    "$TMP/mlj")" "[]"
check "with the maillog: all domains' envelopes, the envelopes received" \
    "$(jq '[.sections[0].rows[].envelopes] | add' "$TMP/mlj")" \
    "$(jq '.sections[0].rows[0].received_envelopes' "$TMP/mls")"

# By next hop: the sessions that never connected, a connection class
# of their own; the AUTH the sink refused, auth.
hop() { jq -c "[.sections[1].rows[] | $1]" "$TMP/j"; }
check "next hops: the connect failures, connection, under (unknown)" \
    "$(hop 'select(.next_hop == "") | .classes[0].class, .deferrals')" \
    "[\"connection\",$(q "$db" "SELECT count(*) FROM session WHERE
    outcome = 'connect-failed'")]"
check "next hops: the sink's 535 after AUTH, class auth" \
    "$(hop '.classes[] | select(.class == "auth") | .deferrals')" "[1]"
check "next hops: the order of trouble (deferrals + failures) / tries" \
    "$(hop '.trouble' | jq -c '. == (. | sort | reverse)')" "true"

# Text: the same, escaped, within the width.
"$MAILTRAIL" report destinations -d "$db" $win >"$TMP/t"
check "text: the classes table names sink.test's unknown-user" \
    "$(grep -c '^  sink.test  *unknown-user  *0  *'"$rejects " "$TMP/t")" 1

# --compare: the window before holds a clean delivery to sink.test
# (a-relay-ok.log moved there).
len=$((last - first + 1))
awk -F'|' -v OFS='|' -v d=$((first - len + 5 - 1795464063)) \
    '$1 == "report" { $3 = sprintf("%.6f", $3 + d) } { print }' "$ok1" \
    >"$TMP/before.log"
cp "$db" "$TMP/c.db"
"$MAILTRAIL" replay -d "$TMP/c.db" "$TMP/before.log" >/dev/null 2>&1
"$MAILTRAIL" report destinations -d "$TMP/c.db" $win --compare --json \
    >"$TMP/cj"
check "--compare --json: sink.test before: 1 delivered, 0 trouble" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "sink.test") |
    [.previous.delivered, .previous.trouble, .previous.tries]' "$TMP/cj")" \
    "[1,0,1]"
check "--compare --json: sink.test got worse in trouble and failures" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "sink.test") |
    [.worse[] | select(. == "trouble" or . == "failures" or
    . == "failed")]' "$TMP/cj")" '["failed","failures","trouble"]'
check "--compare --json: stall.test was absent before: previous null" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "stall.test") |
    [.previous, .worse]' "$TMP/cj")" '[null,[]]'
"$MAILTRAIL" report destinations -d "$TMP/c.db" $win --compare >"$TMP/ct"
check "--compare text: trouble 40.0%/0.0%* for sink.test" \
    "$(grep -c '^  sink.test .* 40.0%/0.0%\*' "$TMP/ct")" 1
"$MAILTRAIL" report destinations -d "$db" --compare >/dev/null 2>"$TMP/err"
check "--compare without --since: exit 1, said why" \
    "$?:$(grep -c 'compare' "$TMP/err")" "1:1"

# Several -d: one row per destination, the sum of both.  The second
# host relays to the first's busiest next hop.
e=$(dom sink.test .envelopes)
dl=$(dom sink.test .delivered)
top=$(jq -r '[.sections[1].rows[] | select(.next_hop != "")] |
    max_by(.tries) | "\(.next_hop) \(.tries)"' "$TMP/j")
sed "s/|127\.0\.0\.1:3526\$/|${top% *}/" "$TMP/before.log" >"$TMP/b.log"
"$MAILTRAIL" replay -d "$TMP/b.db" "$TMP/b.log" >/dev/null 2>&1
"$MAILTRAIL" report destinations -d "$db" -d "$TMP/b.db" --json \
    --top 0 >"$TMP/mj"
check "-d -d: sink.test envelopes and delivered, summed" \
    "$(jq -c '[.sections[0].rows[] | select(.domain == "sink.test") |
    .envelopes, .delivered]' "$TMP/mj")" \
    "[$((e + 1)),$((dl + 1))]"
check "-d -d: each next hop of each host, once" \
    "$(jq '[.sections[1].rows[].next_hop] | length == (unique | length)' \
    "$TMP/mj")" "true"
check "-d -d: the next hop both hosts tried, its tries summed" \
    "$(jq -c --arg h "${top% *}" '[.sections[1].rows[] |
    select(.next_hop == $h) | .tries]' "$TMP/mj")" "[$((${top#* } + 1))]"

# A generated stream whose outcomes are set (tests/dest-gen.sh): the
# exact counts, shares and times to delivery of each domain, in JSON
# and text, and --compare against the hour before.
T0=1795100000
{
	# good.test: 20 delivered at the first try, 1 to 20 s after commit
	i=1; while [ $i -le 20 ]; do
		echo "$((T0 + 60 * i)) u$i@good.test ok:$i"; i=$((i + 1)); done
	# slow.test: 4 deferred once (451), then delivered after 300 to 600 s
	for d in 300 400 500 600; do
		echo "$((T0 + 1300 + d)) u$d@slow.test tf:60 ok:$d"; done
	# bad.test: 3 refused (550), 1 deferred and waiting
	for i in 1 2 3; do echo "$((T0 + 2000 + i)) u$i@bad.test pf:2"; done
	echo "$((T0 + 2010)) w@bad.test tf:5"
	# Mixed.TEST and mixed.test: one domain, in lower case
	echo "$((T0 + 2100)) Bob@Mixed.TEST ok:1"
	echo "$((T0 + 2101)) eve@mixed.test ok:3"
	# the hour before: bad.test delivered twice, at the first try
	echo "$((T0 - 3000)) p1@bad.test ok:1"
	echo "$((T0 - 2900)) p2@bad.test ok:1"
} | sort -n | sh "$TESTS/dest-gen.sh" >"$TMP/known.log"
"$MAILTRAIL" replay -d "$TMP/k.db" "$TMP/known.log" >/dev/null 2>&1
kwin="--since $(iso $T0) --until $(iso $((T0 + 3599)))"
"$MAILTRAIL" report destinations -d "$TMP/k.db" $kwin --json --top 0 \
    >"$TMP/kj"
kd() { jq -c "[.sections[0].rows[] | select(.domain == \"$1\") |
    .envelopes, .delivered, .deferred, .failed, .first_attempt, .p50, .p95,
    .tries, .deferrals, .failures, .trouble]" "$TMP/kj"; }
check "known: good.test: 20 delivered first, p50 10 s, p95 19 s" \
    "$(kd good.test)" "[20,20,0,0,100,10,19,20,0,0,0]"
check "known: slow.test: 4 delivered second, p50 400 s, p95 600 s" \
    "$(kd slow.test)" "[4,4,0,0,0,400,600,8,4,0,50]"
check "known: bad.test: 3 failed, 1 deferred, no time to delivery" \
    "$(kd bad.test)" "[4,0,1,3,0,null,null,4,1,3,100]"
check "known: Mixed.TEST and mixed.test, one domain; p50 of 2: the 1st" \
    "$(kd mixed.test)" "[2,2,0,0,100,1,3,2,0,0,0]"
check "known: the domains, by trouble" \
    "$(jq -c '[.sections[0].rows[].domain]' "$TMP/kj")" \
    '["bad.test","slow.test","good.test","mixed.test"]'
check "known: bad.test's classes, exactly" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "bad.test") |
    [.classes[] | [.class, .deferrals, .failures]]' "$TMP/kj")" \
    '[["unknown-user",0,3],["other",1,0]]'
"$MAILTRAIL" report destinations -d "$TMP/k.db" $kwin >"$TMP/kt"
check "known text: good.test's row" \
    "$(grep -c '^  good.test  *20  *20  *0  *0  *0  *100.0%  *10.00s  *19.00s$' \
    "$TMP/kt")" 1
check "known text: slow.test's tries, 50.0% trouble" \
    "$(grep -c '^  slow.test  *8  *4  *0  *50.0% ' "$TMP/kt")" 1
"$MAILTRAIL" report destinations -d "$TMP/k.db" $kwin --compare --json \
    >"$TMP/kc"
check "known --compare: bad.test before: 2 delivered, first, 0 trouble" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "bad.test") |
    .previous | [.envelopes, .delivered, .first_attempt, .p50, .trouble]' \
    "$TMP/kc")" "[2,2,100,1,0]"
check "known --compare: bad.test got worse, in all but delivered" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "bad.test") |
    .worse' "$TMP/kc")" \
    '["deferred","failed","first_attempt","deferrals","failures","deferral_share","trouble"]'
check "known --compare: good.test had nothing before" \
    "$(jq -c '.sections[0].rows[] | select(.domain == "good.test") |
    [.previous, .worse]' "$TMP/kc")" '[null,[]]'
# A window that starts between an envelope's first sight (its RCPT)
# and its commit: received in it (a read bounded by the window).
"$MAILTRAIL" report destinations -d "$TMP/k.db" --json --top 0 \
    --since "$(iso $((T0 + 2100)))" --until "$(iso $((T0 + 3599)))" \
    >"$TMP/kl"
check "known: committed at since, first seen before: received" \
    "$(jq -c '[.sections[0].rows[] | select(.domain == "mixed.test") |
    .envelopes, .delivered]' "$TMP/kl")" "[2,2]"
