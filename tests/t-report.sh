# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-report.sh: mailtrail report and mailtrail sql.  Every report on the
# real captures and on a generated stream (tests/bench/gen-known.sh), its
# numbers checked against the same numbers counted from the report
# lines with awk (never by the views the reports read); --since and
# --until at an event's exact time; an empty database; 80 columns,
# escaped network bytes, one valid JSON document; sql read-only.
# Several databases at once: t-report-multi.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports.sh"

val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

# all_reports DB TAG [ARGS]: every report as text and JSON into $TMP
all_reports() {
	db=$1
	tag=$2
	shift 2
	for r in $REPORTS; do
		"$MAILTRAIL" report "$r" -d "$db" "$@" >"$TMP/$tag-$r.txt" \
		    2>"$TMP/$tag-$r.err" || echo "$r: exit $?" >>"$TMP/$tag.fail"
		"$MAILTRAIL" report "$r" -d "$db" --json "$@" \
		    >"$TMP/$tag-$r.json" 2>>"$TMP/$tag-$r.err" ||
		    echo "$r --json: exit $?" >>"$TMP/$tag.fail"
		jq -e . "$TMP/$tag-$r.json" >/dev/null 2>&1 ||
		    echo "$r: not one JSON document" >>"$TMP/$tag.fail"
		awk -v r="$r" 'length($0) > 80 { print r ": " length($0) \
		    " columns: " $0; exit }' "$TMP/$tag-$r.txt" >>"$TMP/$tag.fail"
	done
	if [ -s "$TMP/$tag.fail" ]; then
		notok "$tag: every report runs, fits 80 columns, --json is JSON"
		head -5 "$TMP/$tag.fail" | sed 's/^/  /'
	else
		ok "$tag: every report runs, fits 80 columns, --json is JSON"
	fi
}

# compare TAG JSON-DIR-PREFIX EXPECT-FILE: the summary, tls, auth,
# filters and latency numbers against the counted ones
compare() {
	tag=$1
	p=$2
	e=$3
	for k in received_messages received_envelopes received_bytes \
	    queued delivered deferred failed expired removed pending \
	    deferrals aborted rejected smtp_in_refusals sessions_in \
	    sessions_out; do
		check "$tag: summary $k" "$(j "$p-summary.json" totals \
		    ".rows[0].$k")" "$(val "$k" "$e")"
	done
	check "$tag: tls sessions in, out" "$(j "$p-tls.json" by_direction \
	    '[.rows[].tls_sessions] | join(" ")')" \
	    "$(val tls_in "$e") $(val tls_out "$e")"
	check "$tag: tls plaintext mail in, out" "$(j "$p-tls.json" \
	    by_direction '[.rows[].plaintext] | join(" ")')" \
	    "$(val plain_in "$e") $(val plain_out "$e")"
	check "$tag: tls mail out is every attempt" "$(j "$p-tls.json" \
	    by_direction '.rows[1].mail')" "$(val attempts "$e")"
	check "$tag: auth pass and fail" "$(j "$p-auth.json" by_user \
	    '[([.rows[].pass] | add // 0), ([.rows[].fail] | add // 0)] |
	    join(" ")')" "$(val auth_pass "$e") $(val auth_fail "$e")"
	check "$tag: auth by client adds up" "$(j "$p-auth.json" by_client \
	    '[.rows[].fail] | add // 0')" "$(val auth_fail "$e")"
	check "$tag: filter decisions" "$(j "$p-filters.json" decisions \
	    '.rows[] | "\(.phase)/\(.decision) \(.count)"' | sort)" \
	    "$(awk '$1 == "fr" { print $2, $3 }' "$e" | sort)"
	check "$tag: filter reports" "$(j "$p-filters.json" reports \
	    '[.rows[].count] | add // 0')" "$(val filter_reports "$e")"
	check "$tag: bounced mail listed" "$(j "$p-bounces.json" mail \
	    '(.rows | length) + .omitted')" "$(val bounced "$e")"
	check "$tag: summary states add up to the envelopes received" \
	    "$(j "$p-summary.json" totals '.rows[0] | .queued + .delivered +
	    .deferred + .failed + .expired + .removed')" \
	    "$(val received_envelopes "$e")"
	check "$tag: deferrals by destination add up" "$(j "$p-deferrals.json" \
	    by_destination '[.rows[].deferrals] | add // 0')" \
	    "$(val deferrals "$e")"
	for d in $(j "$p-latency.json" accept_to_delivery '.rows[].domain'); do
		check "$tag: latency $d count p50 p95 p99 max" \
		    "$(j "$p-latency.json" accept_to_delivery ".rows[] |
		    select(.domain == \"$d\") | [.count, ((.p50, .p95, .p99,
		    .max) * 1000000 | round)] | join(\" \")")" \
		    "$(percentiles "$d" "$e")"
	done
}

# The real captures.
CAP=$TMP/cap.db
check_cmd "replay of the captures" "$MAILTRAIL" replay -d "$CAP" $CAPS
report_lines $CAPS | expect 1795467600000000 >"$TMP/cap.expect"
all_reports "$CAP" cap --top 0
all_reports "$CAP" capq --top 0 --until 2026-11-23T21:00:00Z
compare captures "$TMP/cap" "$TMP/cap.expect"
check "captures: refusals by reply" "$(j "$TMP/cap-rejections.json" \
    by_reply '.rows[] | "\(.command) \(.reply) \(.by)"' | sort)" \
    "DATA 503 5.5.4 Invalid command arguments: No recipient specified smtpd
MAIL 553 5.1.0 Sender address syntax error smtpd
RCPT 501 5.1.3 Recipient address syntax error smtpd
RCPT 550 Invalid recipient: <mallory@elsewhere.invalid> smtpd"

# 0.7 e2e scenarios h and k (no capture of 0.6 has AUTH): AUTH PLAIN and
# AUTH LOGIN with a wrong password, both refused 535.  A refusal of AUTH
# LOGIN answers the masked password line ("********"): its command is
# the AUTH that began the exchange.
AUTHDB=$TMP/auth.db
"$MAILTRAIL" replay -d "$AUTHDB" "$DATA/0.7/e2e-suite.log"
"$MAILTRAIL" report rejections -d "$AUTHDB" --json --top 0 \
    >"$TMP/auth-rejections.json"
check "AUTH refused: the latest name the command the exchange began with" \
    "$(j "$TMP/auth-rejections.json" latest \
    '.rows[] | select(.reply | startswith("535")) | .command')" \
    "AUTH LOGIN
AUTH PLAIN ********"
check "AUTH refused: by reply, one verb AUTH for both" \
    "$(j "$TMP/auth-rejections.json" by_reply \
    '.rows[] | select(.reply | startswith("535")) |
    "\(.command) \(.refusals)"')" "AUTH 2"
check "captures: the deferred envelopes, twice each, still pending" \
    "$(j "$TMP/cap-deferrals.json" oldest '.rows[] |
    "\(.evpid) \(.tries) \(.reply)"')" \
    "e6a2001748c30318 2 451 4.3.0 try later
1466b13205030850 2 451 4.3.0 <tempfail-erin@sink.test>: try again later"
check "captures: MAIL FROM refused by the next hop" \
    "$(j "$TMP/cap-bounces.json" sender_refused '.rows[] |
    "\(.relay) \(.sender) \(.reply)"')" \
    "127.0.0.1:12526 rejectme@example.test 550 5.7.1 sender rejected"
check "captures: bounces" "$(j "$TMP/cap-bounces.json" mail \
    '.rows[] | "\(.evpid) \(.recipient)"' | sort)" \
    "1466b132e53384c3 reject-dave@sink.test
7b132086d993e289 perm1@dest.test"
check "captures: TLS versions" "$(j "$TMP/cap-tls.json" versions \
    '.rows[] | select(.version != null) | "\(.direction) \(.version) \(.cipher) \(.bits) \(.sessions)"')" \
    "smtp-in TLSv1.3 TLS_AES_256_GCM_SHA384 256 1
smtp-out TLSv1.3 TLS_AES_256_GCM_SHA384 256 1"
check "captures: AUTH" "$(j "$TMP/cap-auth.json" by_user \
    '.rows[] | "\(.user) \(.pass) \(.fail) \(.clients)"')" "labuser 1 0 1"
# shape JSON EXPECT: the queue's TOTAL row, and the one counted
shape() {
	check "$1: queue by age, at --until" "$(j "$2" shape '.rows[0] |
	    [.total, .["5"], .["10"], .["20"], .["40"], .["80"], .["160"],
	    .["320"], .["640"], .["1280"], .["1280+"]] | join(" ")')" \
	    "$(awk '$1 == "Q" { n++; c[$2]++ } END { printf "%d", n
	    split("5 10 20 40 80 160 320 640 1280 1280+", b, " ")
	    for (i = 1; i <= 10; i++) printf " %d", c[b[i]]; print "" }' "$3")"
}
shape captures "$TMP/capq-queue.json" "$TMP/cap.expect"
# (erin@dest.test is not there: its sender's MAIL FROM was refused with
# a 550, and mailtrail gave the refusal to it, the one envelope of that
# sender waiting: failed)
check "captures: queue by domain" "$(j "$TMP/capq-queue.json" shape \
    '.rows[] | "\(.domain) \(.total)"')" "TOTAL 4
local.test 2
dest.test 1
sink.test 1"
check "captures: text shows the report, its window and sections" \
    "$(sed -n '1p;3p' "$TMP/capq-summary.txt")" \
    "mailtrail report summary, from the start to 2026-11-23 21:00:00 (UTC)
Totals"

# A generated stream with known numbers: 1500 instances, 20 s apart.
GEN=$TMP/gen.log
sh "$TESTS/bench/gen-known.sh" -n 1500 -s 20 -t 1795000000 >"$GEN"
DB=$TMP/gen.db
check_cmd "replay of the generated stream" "$MAILTRAIL" replay -d "$DB" "$GEN"
U=1795100000
expect ${U}000000 <"$GEN" >"$TMP/gen.expect"
all_reports "$DB" gen --top 0 --until "$(date -u -d @$U +%FT%TZ)"
compare generated "$TMP/gen" "$TMP/gen.expect"
shape generated "$TMP/gen-queue.json" "$TMP/gen.expect"
check "generated: per-attempt latency counts every settled attempt" \
    "$(j "$TMP/gen-latency.json" per_attempt '.rows[0].count')" \
    "$(val attempts "$TMP/gen.expect")"
for v in 7; do
	sh "$TESTS/bench/gen-known.sh" -n 300 -v $v -r 7 >"$TMP/v$v.log"
	"$MAILTRAIL" replay -d "$TMP/v$v.db" "$TMP/v$v.log"
	"$MAILTRAIL" report auth -d "$TMP/v$v.db" --json --top 0 >"$TMP/v$v.json"
	expect 0 <"$TMP/v$v.log" >"$TMP/v$v.expect"
	check "protocol 0.$v: AUTH users and results" "$(j "$TMP/v$v.json" \
	    by_user '[([.rows[].pass] | add // 0), ([.rows[].fail] | add // 0)] |
	    join(" ")'), $(j "$TMP/v$v.json" by_user '.rows[].user' | sort |
	    tr '\n' ' ')" "$(val auth_pass "$TMP/v$v.expect") $(val auth_fail \
	    "$TMP/v$v.expect"), admin info test user1 user2 user3 user4 user5 user6 user7 user8 "
done

# --since and --until: both include an event at their exact time.
TC=$(awk -F'|' '$4 == "smtp-in" && $5 == "tx-commit" { n++ }
    n == 400 { print $3; exit }' "$GEN")
ISO=$(date -u -d @"${TC%.*}" +%FT%T).${TC#*.}Z
PREV=$(awk -v t="$TC" 'BEGIN { split(t, a, "."); s = a[1]; u = a[2] - 1
    if (u < 0) { s--; u += 1000000 }; printf "%d.%06d", s, u }')
PISO=$(date -u -d @"${PREV%.*}" +%FT%T).${PREV#*.}Z
since_n=$(awk -F'|' -v t="$TC" '$4 == "smtp-in" && $5 == "tx-commit" &&
    $3 >= t' "$GEN" | wc -l)
until_n=$(awk -F'|' -v t="$TC" '$4 == "smtp-in" && $5 == "tx-commit" &&
    $3 <= t' "$GEN" | wc -l)
msgs() {
	"$MAILTRAIL" report summary -d "$DB" --json "$@" |
	    jq '.sections[0].rows[0].received_messages'
}
check "--since an event's exact time counts it" "$(msgs --since "$ISO")" \
    "$since_n"
check "--until an event's exact time counts it" "$(msgs --until "$ISO")" \
    "$until_n"
check "--until a microsecond before does not" "$(msgs --until "$PISO")" \
    "$((until_n - 1))"
check "--since and --until the same time: that event" \
    "$(msgs --since "$ISO" --until "$ISO")" 1
check "volume rows add up to the window's envelopes (some)" \
    "$(outjq '[.sections[1].rows[].received] | add' report summary \
    -d "$DB" --json --since "$ISO")" \
    "$(outjq '.sections[0].rows[0].received_envelopes | select(. > 0)' \
    report summary -d "$DB" --json --since "$ISO")"
check "a long window is shown per day" "$("$MAILTRAIL" report summary \
    -d "$DB" --json --since 2026-11-01 --until 2026-11-30 | jq -r .bucket)" day

# An empty database.
"$MAILTRAIL" replay -d "$TMP/empty.db" /dev/null
all_reports "$TMP/empty.db" empty
check "empty: totals are zero" "$(j "$TMP/empty-summary.json" totals \
    '[.rows[0][]] | add')" 0
check "empty: tables say (none)" "$(grep -c '(none)' \
    "$TMP/empty-deferrals.txt")" 5

# Options and errors.
"$MAILTRAIL" report >"$TMP/list.out"
check "report without a name lists the reports" \
    "$(awk '/^  [a-z]/ { print $1 }' "$TMP/list.out" | tr '\n' ' ')" \
    "$(echo $REPORTS) "
"$MAILTRAIL" report nosuch -d "$DB" 2>"$TMP/err.out"
check "an unknown report: exit 1 and a message" "$?:$(cat "$TMP/err.out")" \
    "1:mailtrail: unknown report: nosuch (mailtrail report lists them)"
"$MAILTRAIL" report summary -d "$DB" --since yesterday 2>"$TMP/err.out"
check "a bad time: exit 1" "$?:$(cat "$TMP/err.out")" \
    "1:mailtrail: bad time: \"yesterday\""
"$MAILTRAIL" report summary -d "$TMP/none.db" 2>"$TMP/err.out"
check "a missing database: exit 1, named" "$?:$(cat "$TMP/err.out")" \
    "1:mailtrail: $TMP/none.db: No such file or directory"
check "--top 3 keeps three rows and says how many more" \
    "$("$MAILTRAIL" report summary -d "$DB" --top 3 --json |
    jq -c '.sections[] | select(.name == "recipients") |
    [(.rows | length), .omitted > 0]')" "[3,true]"
check "relative times are accepted" "$("$MAILTRAIL" report tls -d "$DB" \
    --since 2h --json | jq -r '.since | test("Z$")')" true

# Network bytes: escaped in text, valid JSON.
ESC=$(printf '\033')
sed "s/550 5.1.1 no such user/550 5.1.1 no${ESC}[31m such user/" \
    "$DATA/0.6/relay-suite.log" >"$TMP/esc.log"
"$MAILTRAIL" replay -d "$TMP/esc.db" "$TMP/esc.log"
"$MAILTRAIL" report bounces -d "$TMP/esc.db" >"$TMP/esc.txt"
if grep -q "$ESC" "$TMP/esc.txt"; then
	notok "a control byte from the network is escaped in text"
else
	check "a control byte from the network is escaped in text" \
	    "$(grep -c '550 5\.1\.1 no\\x1b' "$TMP/esc.txt")" 2
fi
check "and kept as \\u001b in JSON" "$("$MAILTRAIL" report bounces \
    -d "$TMP/esc.db" --json | jq -r '.sections[] |
    select(.name == "replies").rows[] |
    select(.domain == "dest.test") | .reply')" "550 5.1.1 no${ESC}[31m such user"

# mailtrail sql
sqlq() { "$MAILTRAIL" sql -d "$CAP" "$@"; }
Q="SELECT status, count(*) AS n FROM v_life_all GROUP BY 1 ORDER BY 1"
sqlq "$Q" >"$TMP/sql.out"
check "sql: a table with a heading, the rows sqlite3 gives" \
    "$(sed 1d "$TMP/sql.out" | awk '{ print $1 "|" $2 }')" "$(q "$CAP" "$Q")"
check "sql: columns aligned, numbers right-aligned" \
    "$(head -1 "$TMP/sql.out"), $(awk '{ print length($0) }' "$TMP/sql.out" |
    sort -u | wc -l)" "status     n, 1"
check "sql --json: objects, exact 64-bit integers" \
    "$(sqlq --json "SELECT evpid_n, evpid FROM v_life WHERE
    evpid = '9fea1a242921f70f'" | jq -r '.[0].evpid')" 9fea1a242921f70f
check "sql --json: the integer is exact" "$(sqlq --json "SELECT evpid_n
    FROM v_life WHERE evpid = 'bcb8db5ba68c4c2b'" | tr -d '\n')" \
    '[{"evpid_n":-4847883812181619669}]'
want='[{"e":"x\u0000y","b":"A\u0000B\u0000","c":"q\"\\"}]'
check "sql --json: text whole, a NUL byte too, quotes escaped" \
    "$(sqlq --json "SELECT 'x' || char(0) || 'y' AS e, x'41004200' AS b,
    'q\"\\' AS c" | tr -d '\n')" "$want"
SUM=$(cat "$CAP" "$CAP-wal" 2>/dev/null | cksum)
for w in "DELETE FROM event" "INSERT INTO config VALUES (1, 'a', 'b')" \
    "PRAGMA user_version = 3" "CREATE TABLE x(a)" "VACUUM"; do
	sqlq "$w" >/dev/null 2>"$TMP/err.out"
	rc=$?
	check "sql refuses: $w" "$rc $(grep -c '^mailtrail: ' "$TMP/err.out")" \
	    "1 1"
done
check "sql: the database is unchanged" \
    "$(cat "$CAP" "$CAP-wal" 2>/dev/null | cksum)" "$SUM"
sqlq "SELECT 1; SELECT 2" >/dev/null 2>"$TMP/err.out"
check "sql: one statement only" "$?:$(cat "$TMP/err.out")" \
    "1:mailtrail: one statement only"
sqlq "SELEKT 1" >/dev/null 2>&1
check "sql: a syntax error exits 1" "$?" 1
check "sql: control bytes escaped" "$("$MAILTRAIL" sql -d "$TMP/esc.db" \
    "SELECT reply FROM attempt WHERE reply LIKE '%such user'")" \
    'reply
550 5.1.1 no\x1b[31m such user'

# The queries of mailtrail.1 (Post-mortem queries) run, read only, on
# the generated database; the latency one gives the report's numbers.
awk '/^\.Ss Post-mortem queries/ { on = 1; next }
    on && /^\.S[sh] / { exit }
    on && /^\.Bd -literal/ { f = 1; n++; next }
    on && /^\.Ed/ { f = 0; next }
    f { sub(/\\e/, "\\"); print > (dir "/doc-" n ".sql") }' \
    dir="$TMP" "$TESTS/../mailtrail.1"
n=0
bad=
for f in "$TMP"/doc-*.sql; do
	n=$((n + 1))
	sqlite3 -readonly -batch -cmd ".read $TMP/views.sql" "$DB" <"$f" \
	    >"$f.out" 2>&1 &&
	    ! grep -q '^\(Error\|Parse error\)' "$f.out" || bad="$bad $(basename "$f")"
done
check "mailtrail.1: at least ten post-mortem queries, all run" \
    "$([ $n -ge 10 ] && echo many)$bad" many
check "mailtrail.1: its p95 query agrees with report latency" \
    "$(sqlite3 -readonly -batch -cmd ".read $TMP/views.sql" "$DB" \
    <"$(grep -l 'p95' "$TMP"/doc-*.sql)" |
    awk -F'|' '{ printf "%s %d %.0f\n", $1, $2, $4 * 1000000 }' | sort)" \
    "$(j "$TMP/gen-latency.json" accept_to_delivery '.rows[] |
    select(.domain != "(all)") | "\(.domain) \(.count) \(.p95 * 1000000 |
    round)"' | sort)"

# Deliveries whose envelope was never seen on smtp-in (only the smtp-out
# lines of a capture): they count per attempt, not from accept.
grep -v '|smtp-in|' "$DATA/0.6/relay-suite.log" >"$TMP/out-only.log"
"$MAILTRAIL" replay -d "$TMP/out-only.db" "$TMP/out-only.log" >/dev/null 2>&1
check "latency: deliveries never received count per attempt only" \
    "$("$MAILTRAIL" report latency -d "$TMP/out-only.db" --json |
    jq -c '[.sections[] | [.name, (.rows | map(.count) | max)]]')" \
    '[["accept_to_delivery",null],["per_attempt",8],["per_relay",null]]'

# The database holds no view: readers make them as TEMP views, over
# those an older collector stored (here a wrong one), and leave the
# database as it was; a writer drops the stored ones.
"$MAILTRAIL" replay -d "$TMP/old.db" $CAPS
check "views: the database holds none" "$(sqlite3 -readonly "$TMP/old.db" \
    "SELECT count(*) FROM sqlite_master WHERE type = 'view'")" 0
sqlite3 "$TMP/old.db" "CREATE VIEW v_delivery AS SELECT 1 AS x;
    CREATE VIEW v_message AS SELECT 1 AS x"
check "older views: the report is the same" \
    "$(outjq '.sections[0].rows' report summary -d "$TMP/old.db" --json \
    --top 0)" "$(jq -c '.sections[0].rows | select(length > 0)' \
    "$TMP/cap-summary.json")"
check "older views: sql reads this version's" "$("$MAILTRAIL" sql \
    -d "$TMP/old.db" "SELECT count(*) AS n FROM v_message" | sed 1d |
    tr -d ' ')" "$(q "$CAP" "SELECT count(*) FROM v_message")"
check "older views: the database still has them" "$(sqlite3 -readonly \
    "$TMP/old.db" "SELECT count(*) FROM sqlite_master WHERE type = 'view'")" 2
"$MAILTRAIL" replay -d "$TMP/old.db" /dev/null
check "older views: a writer drops them" "$(sqlite3 -readonly \
    "$TMP/old.db" "SELECT count(*) FROM sqlite_master WHERE type = 'view'")" 0
