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
    "$(grep -c '^  sink.test  *unknown-user  *0  *'"$rejects" "$TMP/t")" 1

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

# Several -d: one row per destination, the sum of both.
e=$(dom sink.test .envelopes)
dl=$(dom sink.test .delivered)
"$MAILTRAIL" replay -d "$TMP/b.db" "$TMP/before.log" >/dev/null 2>&1
"$MAILTRAIL" report destinations -d "$db" -d "$TMP/b.db" --json \
    --top 0 >"$TMP/mj"
check "-d -d: sink.test envelopes and delivered, summed" \
    "$(jq -c '[.sections[0].rows[] | select(.domain == "sink.test") |
    .envelopes, .delivered]' "$TMP/mj")" \
    "[$((e + 1)),$((dl + 1))]"
check "-d -d: each next hop of each host, once" \
    "$(jq '[.sections[1].rows[].next_hop] | length == (unique | length)' \
    "$TMP/mj")" "true"
