# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-trace-others.sh: what a life's timeline says that is not its own.
# In a transaction shared with other recipients, the lines after a
# recipient's refusal (on smtp-out and at smtp-in, 0.6 and 0.7) are
# marked the other recipients', in text and JSON; and a waiting life
# in a replayed database stands as of its last event, not now.
. "$(dirname "$0")/lib.sh"

# A recipient refused alongside accepted ones.  On a reused smtp-out
# session (0.6 b-multi-rcpt, 0.7 e2e-suite, both 1466b132/565749a8:
# reject-dave refused 550, tempfail-erin 451, the others accepted), the
# refused one's attempt goes on with the others' DATA, "250 ... queued
# as" and commit: each of those lines is marked the other recipients',
# in text and JSON; an accepted recipient's are its own.
# others_text DESC DB QUERY: the dialogue lines of the attempt after
# the refusal, up to QUIT, each marked; the next hop's 250 never bare.
others_text() {
	"$MAILTRAIL" trace -d "$2" "$3" >"$TMP/others.text"
	check "$1: after its refusal, the others' lines are marked" \
	    "$(awk '/^  [-+0-9.s ]+attempt   1 /{ a = 1; next }
	    /^  [-+0-9]/{ a = 0 } a && / < [45][0-9][0-9] /{ r = 1; next }
	    a && r && /> QUIT/{ exit }
	    a && r && !/= transaction rolled back|= envelope/{
	    sub(/^ +[-+0-9.s]+ +/, ""); print }' "$TMP/others.text" |
	    sed 's/^(other recipients) \([<>=]\).*/\1/' | tr '\n' ' ')" \
	    "> < > < = "
	check "$1: no bare reply to DATA nor commit (the others' are there)" \
	    "$(grep -c '[0-9]s    \(< 250 2.0.0 queued\|= committed$\)' \
	    "$TMP/others.text") $(grep -c '(other recipients) = committed' \
	    "$TMP/others.text")" "0 1"
}
others_json() {
	"$MAILTRAIL" trace -d "$2" --json "$3" >"$TMP/others.ndjson"
	check "$1: JSON: the others' events are marked, smtp-out only" \
	    "$(jq -r '[.events[] | select(.others) | .subsystem + " " +
	    .event] | unique | join(",")' "$TMP/others.ndjson")" \
	    "smtp-out protocol-client,smtp-out protocol-server,smtp-out tx-commit,smtp-out tx-data,smtp-out tx-reset"
	"$MAILTRAIL" trace -d "$2" --json "$4" >"$TMP/mine.ndjson"
	check "$1: JSON: an accepted recipient's are all its own" \
	    "$(jq '[.events[] | select(.others)] | length' \
	    "$TMP/mine.ndjson")" 0
}
DB6=$TMP/others6.db
"$MAILTRAIL" replay -d "$DB6" "$DATA/0.6/b-multi-rcpt.log"
DB7=$TMP/others7.db
"$MAILTRAIL" replay -d "$DB7" "$DATA/0.7/e2e-suite.log"
others_text "0.6 refused 550 on smtp-out" "$DB6" 1466b132e53384c3
others_text "0.6 refused 451 on smtp-out" "$DB6" 1466b13205030850
others_json "0.6 refused on smtp-out" "$DB6" 1466b132e53384c3 \
    1466b132288c4f36
others_text "0.7 refused 550 on smtp-out" "$DB7" 565749a8469e800e
others_json "0.7 refused on smtp-out" "$DB7" 565749a8469e800e \
    565749a877206999

# At smtp-in: no capture has a recipient refused in a transaction that
# went on, so one is added to each capture's three-recipient message:
# the lines of the refused RCPT of d-relay-denied / scenario g, after
# the last accepted one.  Its life must not show the message's commit
# as its own.
# refuse_in FILE SESSION AFTER T1 T2 T3 T4: FILE with RCPT TO:<mallory>
# refused 550 after the tx-rcpt of AFTER on SESSION, at times T1..T4.
refuse_in() {
	awk -F'|' -v s="$2" -v a="$3" -v t1="$4" -v t2="$5" -v t3="$6" \
	    -v t4="$7" '{ print }
	$4 == "smtp-in" && $5 == "tx-rcpt" && $6 == s && $NF == a {
	p = "report|" $2 "|"; q = "|smtp-in|"; m = "mallory@elsewhere.invalid"
	print p t1 q "protocol-client|" s "|RCPT TO:<" m ">"
	print p t2 q "filter-response|" s "|rcpt-to|proceed"
	print p t3 q "protocol-server|" s "|550 Invalid recipient: <" m ">"
	print p t4 q "tx-rcpt|" s "|" $7 "|permfail|" m }' "$1"
}
refuse_in "$DATA/0.6/b-multi-rcpt.log" 04f9ab474fa335c6 \
    tempfail-erin@sink.test 1795464487.065500 1795464487.065550 \
    1795464487.065600 1795464487.065601 >"$TMP/in6.log"
refuse_in "$DATA/0.7/e2e-suite.log" ec419edf6ffe614f \
    tempfail-erin@sink.test 1796515507.631900 1796515507.631950 \
    1796515507.632000 1796515507.632001 >"$TMP/in7.log"
for v in 6:1466b132 7:565749a8; do
	m=${v#*:}
	v=${v%:*}
	"$MAILTRAIL" replay -d "$TMP/in$v.db" "$TMP/in$v.log"
	"$MAILTRAIL" trace -d "$TMP/in$v.db" status:rejected \
	    to:mallory@elsewhere.invalid "$m" >"$TMP/in$v.text"
	check "0.$v refused at smtp-in: the message's commit is the others'" \
	    "$(grep -c '[0-9]s    .*committed' "$TMP/in$v.text") $(grep -c \
	    '[0-9]s    (other recipients) = committed, [0-9]* bytes' \
	    "$TMP/in$v.text")" "1 1"
	check "0.$v refused at smtp-in: its refusal, then the others' DATA" \
	    "$(grep -A1 '< 550 Invalid recipient' "$TMP/in$v.text" |
	    sed -n 2p | sed 's/^ *[-+0-9.s]* *//')" \
	    "(other recipients) > DATA"
	"$MAILTRAIL" trace -d "$TMP/in$v.db" --json status:rejected \
	    to:mallory@elsewhere.invalid "$m" >"$TMP/in$v.ndjson"
	check "0.$v refused at smtp-in: JSON: DATA to the commit marked" \
	    "$(jq -r '[.events[] | select(.others) | .event] | unique |
	    join(",")' "$TMP/in$v.ndjson")" \
	    "filter-response,protocol-client,protocol-server,tx-commit,tx-data,tx-reset"
	check "0.$v refused at smtp-in: QUIT is its own" \
	    "$(jq -r '[.events[] | select(.params == "QUIT") | .others] |
	    unique | tostring' "$TMP/in$v.ndjson")" "[null]"
done

# A waiting life in a replayed database (its last event long before the
# clock) stands as of that event, not now: text and JSON say when.  The
# same capture moved to the present reads "now", as_of null.
# as_of NAME FILE QUERY STATUS: both ways, for a life in STATUS.
as_of() {
	last=$(tail -n 1 "$2" | cut -d'|' -f3)
	iso=$(date -u -d "@${last%.*}" +%Y-%m-%dT%H:%M:%SZ)
	"$MAILTRAIL" replay -d "$TMP/asof-$1.db" "$2"
	"$MAILTRAIL" trace -d "$TMP/asof-$1.db" "$3" >"$TMP/asof-$1.text"
	check "$1: replayed, a $4 life stands as of the last event" \
	    "$(grep "^  [-+0-9.smhd]* *$4 " "$TMP/asof-$1.text" | tail -n 1 |
	    grep -o ' as of [^:]*:[^:]*:[^:]*: ')" " as of the last event ($iso): "
	check "$1: replayed, nothing said to be now (its steps are there)" \
	    "$(grep -c '^  now' "$TMP/asof-$1.text") $(grep -c "^  [-+0-9.]" \
	    "$TMP/asof-$1.text" | awk '{ print ($1 > 0) ? "some" : "none" }')" \
	    "0 some"
	check "$1: replayed, JSON as_of is the last event's time" \
	    "$("$MAILTRAIL" trace -d "$TMP/asof-$1.db" --json "$3" |
	    jq -r '.as_of')" "$(date -u -d "@${last%.*}" +%Y-%m-%dT%H:%M:%S).${last#*.}Z"
	awk -F'|' -v off="$(($(date +%s) - ${last%.*} - 10))" 'BEGIN { OFS = "|" }
	    $1 == "report" { split($3, t, "."); $3 = (t[1] + off) "." t[2] }
	    { print }' "$2" >"$TMP/asof-$1-now.log"
	"$MAILTRAIL" replay -d "$TMP/asof-$1-now.db" "$TMP/asof-$1-now.log"
	"$MAILTRAIL" trace -d "$TMP/asof-$1-now.db" --json "$3" \
	    >"$TMP/asof-$1-now.json"
	check "$1: live, JSON as_of is null" \
	    "$(jq -r '.as_of' "$TMP/asof-$1-now.json")" null
	if [ "$4" = queued ]; then
		check "$1: live, queued now" "$("$MAILTRAIL" trace \
		    -d "$TMP/asof-$1-now.db" "$3" | grep -c '^  now *queued ')" 1
	fi
}
as_of "0.6 queued bounce" "$DATA/0.6/b-multi-rcpt.log" 83e5c9a66a7d30a0 queued
as_of "0.6 deferred" "$DATA/0.6/b-multi-rcpt.log" 1466b13205030850 deferred
as_of "0.7 queued" "$DATA/0.7/e2e-suite.log" a0539b8e535af35c queued
