# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-tui-dest.sh: the TUI's destinations screen in tmux, on the end-to-end
# run against the real smtpd (deliveries, a deferral, refusals by the
# next hop, a stalled next hop, failed sessions): Tab reaches it, its
# rows and counts are the database's, the most troubled first, d groups
# by next hop, Enter lists a destination's envelopes only, the status
# line names the dominant class, and what is replayed shows up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui.sh"

DB=$TMP/dest.db
"$MAILTRAIL" replay -d "$DB" "$DATA/0.7/e2e-suite.log" ||
    notok "replay of the e2e suite"

# The figures by domain, from the tables (every envelope received, at
# its smtp-in commit, and every attempt of the capture is in the
# screen's window, the last hour up to its newest event): domain,
# delivered, deferrals, failures, the share delivered at the first
# attempt; most troubled first (the share of tries that failed, then
# the most tries, envelopes, then by name).
by_domain() {
	q "$DB" "WITH e AS (SELECT evpid, status, attempts,
	    lower(substr(rcpt_to, instr(rcpt_to, '@') + 1)) AS d FROM life
	    WHERE evpid IS NOT NULL AND t_accepted IS NOT NULL AND
	    instr(rcpt_to, '@') > 0),
	    a AS (SELECT e.d, t.result FROM attempt t JOIN e ON
	    e.evpid = t.evpid WHERE t.result IS NOT NULL),
	    g AS (SELECT d, sum(status = 1) AS ok, count(*) AS env,
	    sum(status = 1 AND attempts = 1) AS first,
	    (SELECT count(*) FROM a WHERE a.d = e.d AND result = 1) AS defer,
	    (SELECT count(*) FROM a WHERE a.d = e.d AND result = 2) AS fail,
	    (SELECT count(*) FROM a WHERE a.d = e.d) AS tries FROM e GROUP BY d)
	    SELECT d, ok, defer, fail, printf('%.0f', 100.0 * first / env)
	    FROM g ORDER BY CASE WHEN tries > 0 THEN 1.0 * (defer + fail) /
	    tries ELSE 0 END DESC, tries DESC, env DESC, d"
}
by_domain >"$TMP/domains"
check "the capture has domains in trouble and domains without" \
    "$(awk -F'|' '$3 + $4 > 0 { t++ } $3 + $4 == 0 { f++ }
    END { print (t > 1) (f > 0) }' "$TMP/domains")" 11
# The class of most deferrals and failures, by reply_class(): the rule
# of every reader; and how many there are of all.
"$MAILTRAIL" sql -d "$DB" --json "SELECT reply_class(a.reply, CASE WHEN
    a.reply IS NULL THEN s.outcome END) AS c, count(*) AS n FROM attempt a
    JOIN session s ON s.id = a.session WHERE a.result > 0 GROUP BY 1
    ORDER BY 2 DESC, 1 LIMIT 1" >"$TMP/top"
top=$(jq -r '.[0].c' "$TMP/top")
top_n=$(jq -r '.[0].n' "$TMP/top")
total=$(awk -F'|' '{ n += $3 + $4 } END { print n }' "$TMP/domains")

# rows NAME: the destinations shown, one a line, as the screen lists
# them (under the three lines of the header and the columns' names)
rows() {
	screen "$1" | sed -n '5,29p' | awk 'NF > 6 { print $1 }'
}

start dest "" tui -d "$DB"
$T resize-window -t dest -x 140 -y 30
see dest "the envelope list first" "CLIENT/RELAY"
keys dest Tab
see dest "Tab: the sessions" "DIR PEER"
keys dest Tab
see dest "Tab again: the destinations" \
    "^DESTINATION *DELIV  DEFER   FAIL  1ST%     P50     P95 TOP CLASS"
see dest "wide: the latest reply has a column" "TOP CLASS    LAST REPLY$"
while IFS='|' read -r d ok defer fail first; do
	see dest "$d: delivered $ok, deferrals $defer, failures $fail, \
$first% at the first attempt" "^$d  *$ok  *$defer  *$fail  *$first% "
done <"$TMP/domains"
check "every domain, most troubled first" "$(rows dest | tr '\n' ' ')" \
    "$(cut -d'|' -f1 "$TMP/domains" | tr '\n' ' ')"
# The same figures as report destinations, row for row.
"$MAILTRAIL" report destinations -d "$DB" --json >"$TMP/report.json"
check "the table is report destinations', in its order" \
    "$(screen dest | sed -n '5,29p' | awk 'NF > 6 {
    sub("%", "", $5); print $1, $2, $3, $4, $5 }')" \
    "$(jq -r '.sections[] | select(.name == "domains") | .rows[] |
    "\(.domain) \(.delivered) \(.deferrals) \(.failures) \(.first_attempt |
    round)"' "$TMP/report.json")"
see dest "sink.test: unknown users, the latest reply" \
    "^sink.test .*unknown-user 550 5.1.1 <reject-.@sink.test>: user unknown"
see dest "stall.test: its deferral for want of a reply" \
    "^stall.test .* connection   no reply"
see dest "the status line: the dominant class" \
    "by domain, last hour  1/$(wc -l <"$TMP/domains" | tr -d ' ')  \
dominant class: $top ($top_n of $total deferrals and failures)"

# Enter: the envelope list, filtered to the destination, on top.
n=$(awk -F'|' '$1 == "sink.test" { print NR - 1 }' "$TMP/domains")
i=0
while [ "$i" -lt "$n" ]; do
	keys dest j
	i=$((i + 1))
done
see dest "the cursor on sink.test" "  $((n + 1))/[0-9]*  dominant"
keys dest Enter
want=$(q "$DB" "SELECT count(*) FROM life WHERE rcpt_to LIKE '%@sink.test'")
see dest "Enter: the envelopes of sink.test, all of them" \
    "filter: to:@sink.test .* $want/$want "
check "Enter: only envelopes to sink.test" \
    "$(screen dest | sed -n '5,29p' | awk 'NF > 5 { print $4 }' |
    grep -c '@sink\.test$') $(screen dest | sed -n '5,29p' |
    awk 'NF > 5' | wc -l | tr -d ' ')" "$want $want"
see dest "the list on top: q goes back, Tab does not apply" \
    "f filter  ? help  q back *$"
keys dest Enter
see dest "an envelope of it opens" "^[a-z]*  .* -> .*@sink.test"
keys dest q q
see dest "q: back to the destinations" "^DESTINATION *DELIV"

# By next hop: the address smtpd connected to.
hop=$(q "$DB" "SELECT s.dest FROM attempt a JOIN session s ON
    s.id = a.session WHERE a.address LIKE '%@sink.test' LIMIT 1")
hop_ok=$(q "$DB" "SELECT count(*) FROM life l JOIN attempt a ON
    a.id = l.decisive JOIN session s ON s.id = a.session WHERE
    s.dest = '$hop' AND l.status = 1")
# the envelopes it decided, delivered or not
hop_env=$(q "$DB" "SELECT count(*) FROM life l JOIN attempt a ON
    a.id = l.decisive JOIN session s ON s.id = a.session WHERE
    s.dest = '$hop'")
hop_bad=$(q "$DB" "SELECT sum(a.result = 1), sum(a.result = 2) FROM
    attempt a JOIN session s ON s.id = a.session WHERE s.dest = '$hop'" |
    tr '|' ' ')
keys dest d
see dest "d: by next hop" "^NEXT HOP *DELIV"
see dest "the next hop of sink.test, its figures" \
    "^$hop .* $hop_ok  *$(echo "$hop_bad" | sed 's/ /  */')  "
check "by next hop: report destinations' hops, in its order" \
    "$(screen dest | sed -n '5,29p' | awk 'NF > 6 {
    sub("%", "", $5); print $1, $2, $3, $4, $5 }')" \
    "$(jq -r '.sections[] | select(.name == "hops") | .rows[] |
    "\(if (.next_hop // "") == "" then "-" else .next_hop end) \(.delivered) \(.deferrals) \(.failures) \(
    .first_attempt // "-" | if . == "-" then . else round end)"' \
    "$TMP/report.json")"
see dest "a next hop smtpd could not reach: a connection failure" \
    "^-  .*connection"
see dest "the status line says so" "by next hop, last hour"
keys dest /
type_text dest "$hop"
keys dest Enter Enter
see dest "Enter on a next hop: the envelopes it decided" \
    "filter: ip:$hop .* $hop_env/$hop_env "
keys dest q d w
see dest "w: a longer window" "by domain, last 24 hours"

# Live: another capture replayed while the screen shows.
"$MAILTRAIL" replay -d "$DB" "$DATA/0.7/p-next-hop-stalls.log" ||
    notok "replay of a stalled next hop"
by_domain >"$TMP/domains2"
line=$(grep '^stall.test|' "$TMP/domains2")
check "the new capture changes stall.test" \
    "$([ "$line" != "$(grep '^stall.test|' "$TMP/domains")" ] && echo yes)" \
    yes
IFS='|' read -r d ok defer fail first <<EOF
$line
EOF
see dest "live: stall.test read again" \
    "^stall.test  *$ok  *$defer  *$fail  *$first% "

# Back Tab goes the other way round; Tab from here to the envelopes.
keys dest BTab
see dest "BTab: the sessions" "DIR PEER"
keys dest Tab Tab
see dest "Tab: round to the envelopes" "CLIENT/RELAY"
keys dest BTab
see dest "BTab from the envelopes: the destinations" "^DESTINATION"
keys dest '?'
see dest "help: the destinations' keys" "by recipient domain / by next hop"
keys dest G
see dest "help: their columns" "DEFER FAIL *tries deferred, failed"
keys dest q
keys dest f
see dest "f: says where filters apply" "f filters the envelope and session"
keys dest q
see dest "q quits" "TUI-EXIT=0"
