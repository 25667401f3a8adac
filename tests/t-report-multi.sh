# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-report-multi.sh: mailtrail report over several databases (-d a.db
# -d b.db): every report as over one database holding both streams,
# totals added, percentiles over both hosts' values, lists with each
# row's host, errors naming the database.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reports.sh"

# Several databases (-d a.db -d b.db, one per mail host): each report is
# computed over all of them.  Two generated streams, the second after
# the first, into mx1.db and mx2.db (no config line: the hosts are the
# file names), and both into one database: every section's rows are the
# same but for the host column of lists (a client, sender or user seen
# by both hosts counted once, percentiles over every value).
sh "$TESTS/bench/gen-known.sh" -n 600 -s 20 -t 1795000000 -r 3 >"$TMP/mx1.log"
sh "$TESTS/bench/gen-known.sh" -n 500 -s 25 -t 1795020000 -r 5 -o 100000 \
    >"$TMP/mx2.log"
M1=$TMP/mx1.db
M2=$TMP/mx2.db
check_cmd "several: replay of two streams, one per host" sh -c \
    "'$MAILTRAIL' replay -d '$M1' '$TMP/mx1.log' &&
    '$MAILTRAIL' replay -d '$M2' '$TMP/mx2.log' &&
    '$MAILTRAIL' replay -d '$TMP/both.db' '$TMP/mx1.log' '$TMP/mx2.log'"
MU=2026-11-20T00:00:00Z
# rows REPORT DB... : every section's rows (without host) and omitted
rows() {
	r=$1
	shift
	outjq '.sections[] | [.name, .omitted, (.rows | map(del(.host)))]' \
	    report "$r" --json --until "$MU" "$@"
}
for r in $REPORTS; do
	for top in 0 10; do
		check "several: $r --top $top over two is over both in one" \
		    "$(rows "$r" --top "$top" -d "$M1" -d "$M2")" \
		    "$(rows "$r" --top "$top" -d "$TMP/both.db")"
	done
done
for r in summary latency tls filters; do
	check "several: $r as text, but for the hosts line" \
	    "$(out report "$r" -d "$M1" -d "$M2" --until "$MU" | sed 2d)" \
	    "$(out report "$r" -d "$TMP/both.db" --until "$MU")"
done
check "several: the hosts, in text and JSON" \
    "$("$MAILTRAIL" report tls -d "$M1" -d "$M2" | sed -n 2p),
$("$MAILTRAIL" report tls -d "$M1" -d "$M2" --json | jq -c .hosts)" \
    'hosts: mx1, mx2,
["mx1","mx2"]'
check "one database: no hosts" "$("$MAILTRAIL" report tls -d "$M1" \
    --json | jq 'has("hosts")')" false

# A client seen by both hosts is counted once, not once per host.
dist() {
	"$MAILTRAIL" report auth --json --top 0 "$@" |
	    jq '[.sections[0].rows[].clients] | add'
}
n1=$(dist -d "$M1")
n2=$(dist -d "$M2")
n12=$(dist -d "$M1" -d "$M2")
check "several: AUTH clients per user over both hosts, each once" \
    "$n12 $([ "$n12" -lt $((n1 + n2)) ] && echo fewer)" \
    "$(dist -d "$TMP/both.db") fewer"

# Percentiles over the union of both hosts' values, counted from the
# lines, not from either host's percentiles.
cat "$TMP/mx1.log" "$TMP/mx2.log" | expect 0 >"$TMP/mx.expect"
"$MAILTRAIL" report latency -d "$M1" -d "$M2" --json --top 0 \
    >"$TMP/mx-latency.json"
for d in "(all)" $(j "$TMP/mx-latency.json" accept_to_delivery \
    '.rows[1:][].domain'); do
	check "several: latency $d count p50 p95 p99 max over both" \
	    "$(j "$TMP/mx-latency.json" accept_to_delivery ".rows[] |
	    select(.domain == \"$d\") | [.count, ((.p50, .p95, .p99,
	    .max) * 1000000 | round)] | join(\" \")")" \
	    "$(percentiles "$d" "$TMP/mx.expect")"
done

# The captures on two hosts: the totals add up, the lists of single
# refusals, bounces and pending mail say whose they are.
sed 's/^config|admd|vm$/config|admd|host-a.test/' $CAPS >"$TMP/ha.log"
sed 's/^config|admd|vm$/config|admd|host-b.test/' \
    "$DATA/0.6/relay-suite.log" "$DATA/0.6/d-relay-denied.log" \
    >"$TMP/hb.log"
HA=$TMP/ha.db
HB=$TMP/hb.db
"$MAILTRAIL" replay -d "$HA" "$TMP/ha.log"
"$MAILTRAIL" replay -d "$HB" "$TMP/hb.log"
added() {
	"$MAILTRAIL" report summary --json --top 0 -d "$HA" >"$TMP/sa.json"
	"$MAILTRAIL" report summary --json --top 0 -d "$HB" >"$TMP/sb.json"
	jq -S -c -n --slurpfile a "$TMP/sa.json" --slurpfile b "$TMP/sb.json" \
	    '$b[0].sections[0].rows[0] as $y | $a[0].sections[0].rows[0] |
	    with_entries(.value += $y[.key])'
}
check "several: summary totals are the sum of each host's" \
    "$(outjq '.sections[0].rows[0]' report summary --json -d "$HA" -d "$HB" |
    jq -S -c .)" "$(added)"
check "several: host B's totals are not zero (so the sum tells)" \
    "$(jq '.sections[0].rows[0] | [.[]] | map(select(. > 0)) | length' \
    "$TMP/sb.json")" 13
CU=2026-11-23T21:00:00Z
# nrows REPORT SECTION DB: its rows; hosts_of REPORT SECTION: "host
# rows" for each host with rows, over both
nrows() {
	"$MAILTRAIL" report "$1" --json --top 0 --until "$CU" -d "$3" |
	    j /dev/stdin "$2" '.rows | length'
}
hosts_of() {
	"$MAILTRAIL" report "$1" --json --top 0 --until "$CU" -d "$HA" \
	    -d "$HB" | j /dev/stdin "$2" '[.rows[].host] | group_by(.) |
	    map("\(.[0]) \(length)") | join(", ")'
}
for rs in "rejections latest" "bounces mail" "deferrals oldest" \
    "queue oldest"; do
	set -- $rs
	check "several: $1 $2: each row with its host" "$(hosts_of "$1" "$2")" \
	    "host-a.test $(nrows "$1" "$2" "$HA"), host-b.test $(nrows "$1" \
	    "$2" "$HB")"
done
check "several: a list's first column is the host" \
    "$("$MAILTRAIL" report rejections -d "$HA" -d "$HB" |
    awk '/^Latest/ { getline; print $1, $2 }')" "host time"
check "one database: no host column" "$("$MAILTRAIL" report rejections \
    -d "$HA" --json | j /dev/stdin latest '[.rows[] | has("host")] |
    any')$("$MAILTRAIL" report rejections -d "$HA" |
    awk '/^Latest/ { getline; print " " $1 }')" "false time"
check "several: a window over both hosts' days is shown per day" \
    "$("$MAILTRAIL" report summary -d "$HA" -d "$M1" --json |
    jq -r .bucket),
$("$MAILTRAIL" report summary -d "$HA" --json | jq -r .bucket)" "day,
hour"

# Errors name the database.
"$MAILTRAIL" report summary -d "$HA" -d "$TMP/none.db" >"$TMP/out" \
    2>"$TMP/err.out"
check "several: a missing database: exit 1, named" \
    "$?:$(cat "$TMP/err.out"):$(wc -c <"$TMP/out")" \
    "1:mailtrail: $TMP/none.db: No such file or directory:0"
echo "not a database" >"$TMP/bad.db"
"$MAILTRAIL" report summary -d "$HA" -d "$TMP/bad.db" --json \
    >"$TMP/out" 2>"$TMP/err.out"
check "several: not a database: exit 1, named" \
    "$?:$(sed 's/ (.*//' "$TMP/err.out"):$(wc -c <"$TMP/out")" \
    "1:mailtrail: $TMP/bad.db: not a mailtrail database:0"
cp "$HB" "$TMP/broken.db"
sqlite3 "$TMP/broken.db" "DROP TABLE event_rare"
"$MAILTRAIL" report rejections -d "$HA" -d "$TMP/broken.db" --json \
    >"$TMP/out" 2>"$TMP/err.out"
check "several: a query that fails on one: exit 1, named" \
    "$?:$(cat "$TMP/err.out"):$(wc -c <"$TMP/out")" \
    "1:mailtrail: $TMP/broken.db: report by_reply: no such table:\
 event_rare:0"
