# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-metrics.sh: mailtrail metrics: promtool accepts the exposition of
# every bundled capture and of an empty database; its figures are the
# database's (report summary, report queue); hostile label values are
# escaped; -o replaces the file atomically; --listen refuses bad values
# clearly, answers GET /metrics and 404 otherwise, and a real
# Prometheus scraping it holds the delivered count of the database.
. "$(dirname "$0")/lib.sh"

# cannot WHY: skipped, or under CI a failure
cannot() {
	if [ "${CI:-}" = true ]; then
		notok "metrics: cannot run: $*"
	else
		skip "metrics: SKIPPED: $*"
	fi
	exit 0
}
command -v promtool >/dev/null 2>&1 ||
	cannot "promtool is not installed (make deps: Debian's prometheus)"

# metric FILE SERIES: the value of one series (name{labels} as printed)
metric() {
	awk -v s="$2" 'substr($0, 1, length(s) + 1) == s " " {
		print substr($0, length(s) + 2) }' "$1"
}
# summary DB KEY: a total of report summary --json
summary() {
	"$MAILTRAIL" report summary -d "$1" --json |
	    jq -r --arg k "$2" '.sections[] | select(.name == "totals") |
	    .rows[0][$k]'
}

# Every bundled capture: promtool, and the figures of the reports.
for f in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	n=$(basename "$(dirname "$f")")/$(basename "$f" .log)
	db=$TMP/$(echo "$n" | tr / -).db
	"$MAILTRAIL" replay -d "$db" "$f" >/dev/null 2>&1
	"$MAILTRAIL" metrics -d "$db" >"$TMP/m.txt" 2>"$TMP/m.err"
	check "$n: metrics exits 0" "$?|$(cat "$TMP/m.err")" "0|"
	check_cmd "$n: promtool check metrics accepts it" \
	    sh -c "[ -s '$TMP/m.txt' ] && promtool check metrics <'$TMP/m.txt'"
	got= want=
	for st in delivered failed expired removed aborted rejected; do
		got="$got $st=$(metric "$TMP/m.txt" \
		    "mailtrail_envelopes_total{status=\"$st\"}")"
		want="$want $st=$(summary "$db" "$st")"
	done
	check "$n: envelopes by final status = report summary" "$got" "$want"
	q0=$(metric "$TMP/m.txt" 'mailtrail_queue_envelopes{status="queued"}')
	q2=$(metric "$TMP/m.txt" \
	    'mailtrail_queue_envelopes{status="deferred"}')
	check "$n: queued, deferred = report summary" "$q0 $q2" \
	    "$(summary "$db" queued) $(summary "$db" deferred)"
	check "$n: the queue = report queue's total" \
	    "$([ -n "$q0" ] && [ -n "$q2" ] && echo $((q0 + q2)))" \
	    "$("$MAILTRAIL" report queue -d "$db" --json | jq -r '
	    [.sections[] | select(.name == "shape") | .rows[] |
	    select(.domain == "TOTAL") | .total] | add // 0')"
	check "$n: delivered observed once each in the histogram" \
	    "$(metric "$TMP/m.txt" mailtrail_delivery_duration_seconds_count)" \
	    "$(q "$db" "SELECT count(*) FROM life WHERE status = 1 AND
	    t_accepted IS NOT NULL")"
	check "$n: time to delivery: buckets of 1 s and 5 s, the sum" \
	    "$(metric "$TMP/m.txt" \
	    'mailtrail_delivery_duration_seconds_bucket{le="1"}') $(metric \
	    "$TMP/m.txt" \
	    'mailtrail_delivery_duration_seconds_bucket{le="5"}') $(metric \
	    "$TMP/m.txt" mailtrail_delivery_duration_seconds_sum |
	    awk '{ printf "%.6f", $1 }')" \
	    "$(q "$db" "SELECT total(d <= 1000000) || ' ' ||
	    total(d <= 5000000) || ' ' || printf('%.6f', total(d) / 1e6)
	    FROM (SELECT t_final - t_accepted AS d FROM life WHERE
	    status = 1 AND t_accepted IS NOT NULL)" | sed 's/\.0 / /g')"
	check "$n: lines stored = the collector's counter" \
	    "$(metric "$TMP/m.txt" mailtrail_collector_lines_total)" \
	    "$(q "$db" "SELECT value FROM counter WHERE name = 'lines'")"
done

# The suite of 0.7 once more: the families there, and their figures.
db=$TMP/0.7-e2e-suite.db
"$MAILTRAIL" metrics -d "$db" >"$TMP/m.txt"
check "e2e-suite: attempts by result and class = the database's" \
    "$(grep '^mailtrail_attempts_total' "$TMP/m.txt" | tr '\n' ' ')" \
    "$("$MAILTRAIL" sql -d "$db" --json "SELECT
    'mailtrail_attempts_total{result=\"' || r || '\"' || coalesce(',class=\"'
    || c || '\"', '') || '} ' || count(*) AS line FROM (SELECT a.result AS
    k, CASE a.result WHEN 0 THEN 'ok' WHEN 1 THEN 'tempfail' ELSE
    'permfail' END AS r, CASE WHEN a.result != 0 THEN
    coalesce(reply_class(a.reply, s.outcome), 'other') END AS c FROM
    attempt a JOIN session s ON s.id = a.session WHERE a.result IS NOT
    NULL) GROUP BY k, c ORDER BY k, c" | jq -r '.[].line' | tr '\n' ' ')"
check "e2e-suite: sessions by direction and outcome" \
    "$(metric "$TMP/m.txt" \
    'mailtrail_sessions_total{direction="in",outcome="mail"}')|$(metric \
    "$TMP/m.txt" 'mailtrail_smtp_in_refused_sessions_total{phase="rcpt"}')" \
    "$(q "$db" "SELECT count(*) FROM session WHERE dir = 0 AND
    outcome = 'mail'")|$(q "$db" "SELECT count(*) FROM session WHERE
    dir = 0 AND outcome = 'refused-rcpt'")"
check "e2e-suite: AUTH and TLS by direction" \
    "$(metric "$TMP/m.txt" \
    'mailtrail_auth_total{direction="in",result="fail"}')|$(metric \
    "$TMP/m.txt" \
    'mailtrail_tls_sessions_total{direction="in",version="TLSv1.3"}')" \
    "$(q "$db" "SELECT count(*) FROM session WHERE dir = 0 AND
    auth_result = 2")|$(q "$db" "SELECT count(*) FROM session WHERE
    dir = 0 AND tls LIKE 'TLSv1.3:%'")"
"$MAILTRAIL" metrics -d "$db" --top-domains 1 >"$TMP/top.txt"
check "--top-domains 1: one domain, the busiest" \
    "$(grep -o 'domain="[^"]*"' "$TMP/top.txt" | sort -u)" \
    "domain=\"$(q "$db" "SELECT lower(substr(rcpt_to, instr(rcpt_to, '@')
    + 1)) FROM life GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")\""
check "without --top-domains: no domain label (but series)" \
    "$(grep -c 'domain=' "$TMP/m.txt") $(grep -c '^mailtrail_' "$TMP/m.txt" |
    awk '{ print ($1 > 0) ? "some" : "none" }')" "0 some"

# An empty database.
"$MAILTRAIL" replay -d "$TMP/empty.db" /dev/null
"$MAILTRAIL" metrics -d "$TMP/empty.db" >"$TMP/e.txt"
check_cmd "empty database: promtool check metrics accepts it" \
    sh -c "[ -s '$TMP/e.txt' ] && promtool check metrics <'$TMP/e.txt'"
check "empty database: no queue, nothing delivered" \
    "$(metric "$TMP/e.txt" mailtrail_queue_oldest_age_seconds)|$(metric \
    "$TMP/e.txt" 'mailtrail_envelopes_total{status="delivered"}')" "0|0"

# Hostile label values: a recipient domain and a TLS version from the
# network with a backslash, a double quote and a newline.
cp "$db" "$TMP/bad.db"
sqlite3 "$TMP/bad.db" "UPDATE life SET rcpt_to = 'x@e\\v\"il' || char(10) ||
    'x' WHERE id IN (SELECT id FROM life ORDER BY id LIMIT 9);
    INSERT INTO hour(hour, kind, key, n) VALUES (1, 1,
    'TLS\\\"1' || char(10) || '}:c:1', 3), (1, 1, 'T' || char(27) ||
    '[1m' || char(127) || char(155) || char(8238) || ':c:1', 2)"
"$MAILTRAIL" metrics -d "$TMP/bad.db" --top-domains 1 >"$TMP/bad.txt"
check_cmd "hostile labels: promtool accepts them" \
    sh -c "[ -s '$TMP/bad.txt' ] && promtool check metrics <'$TMP/bad.txt'"
check "hostile labels: backslash, quote and newline escaped" \
    "$(grep -c 'domain="e\\\\v\\"il\\nx"' "$TMP/bad.txt")|$(grep -c \
    'version="TLS\\\\\\"1\\n}"' "$TMP/bad.txt")" \
    "$(grep -c 'domain=' "$TMP/bad.txt" | awk '$1 > 0')|1"
raw=$(printf '[\001-\011\013-\037\177]\\|\302\233')
shown='version="T\\\\x1b\[1m\\\\x7f\\\\xc2\\\\x9b\\\\xe2\\\\x80\\\\xae"'
check "hostile labels: what a terminal acts on shown as \\xHH" \
    "$(LC_ALL=C grep -c "$raw" "$TMP/bad.txt")|$(grep -c "$shown" \
    "$TMP/bad.txt")" "0|1"

# Several databases: a host label on each series.
cp "$TMP/0.6-a-relay-ok.db" "$TMP/west.db"
"$MAILTRAIL" metrics -d "$db" -d "$TMP/west.db" >"$TMP/two.txt"
check_cmd "two databases: promtool accepts them" \
    sh -c "[ -s '$TMP/two.txt' ] && promtool check metrics <'$TMP/two.txt'"
check "two databases: every series has its host (some series)" \
    "$(grep -v '^#' "$TMP/two.txt" | grep -vc '{host="') $(grep -c \
    '^mailtrail_.*{host="' "$TMP/two.txt" |
    awk '{ print ($1 > 0) ? "some" : "none" }')" "0 some"
check "two databases of one host name: told apart by their paths" \
    "$(metric "$TMP/two.txt" \
    "mailtrail_envelopes_total{host=\"$TMP/west.db\",status=\"delivered\"}")" \
    "$(q "$TMP/west.db" "SELECT count(*) FROM life WHERE status = 1")"

# -o: written to FILE.tmp, then renamed over FILE.
out=$TMP/textfile/mailtrail.prom
mkdir "$TMP/textfile"
"$MAILTRAIL" metrics -d "$db" -o "$out"
ino=$(stat -c %i "$out")
"$MAILTRAIL" metrics -d "$db" -o "$out"
check "-o: the file replaced (a new inode), no .tmp left" \
    "$([ "$(stat -c %i "$out")" != "$ino" ] &&
    echo new)|$(ls "$TMP/textfile")" \
    "new|mailtrail.prom"
check "-o: what stdout has (some)" \
    "$(grep -v oldest_age "$out")" "$(grep -v oldest_age "$TMP/m.txt" |
    grep . || echo nothing)"
cp "$out" "$TMP/before"
"$MAILTRAIL" metrics -d "$TMP/none.db" -o "$out" 2>/dev/null
check "-o: a failed run exits 1 and leaves the file whole" \
    "$?|$(cmp -s "$out" "$TMP/before" && echo same)|$(ls "$TMP/textfile")" \
    "1|same|mailtrail.prom"

# --listen: clear errors.
for a in "127.0.0.1:99999|bad port" "127.0.0.1|want address:port" \
    "localhost:9100|bad address" ":9100|bad address" "127.0.0.1:x|bad port"
do
	"$MAILTRAIL" metrics -d "$db" --listen "${a%%|*}" 2>"$TMP/err"
	check "--listen ${a%%|*}: exits 1 and says why" "$?|$(cat "$TMP/err")" \
	    "1|mailtrail: --listen ${a%%|*}: ${a#*|}"
done

# free_port: one the kernel has free now
free_port() {
	python3 -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
"$MAILTRAIL" metrics -d "$db" --listen "127.0.0.1:$port" 2>"$TMP/srv.err" &
srv=$!
if ! wait_until 10 curl -sf "http://127.0.0.1:$port/metrics"; then
	notok "--listen: the server answers"
	cat "$TMP/srv.err"
fi
curl -s "http://127.0.0.1:$port/metrics" >"$TMP/h.txt"
check_cmd "--listen: GET /metrics, promtool accepts it" \
    sh -c "[ -s '$TMP/h.txt' ] && promtool check metrics <'$TMP/h.txt'"
check "--listen: what stdout has (some)" \
    "$(grep -v oldest_age "$TMP/h.txt")" "$(grep -v oldest_age "$TMP/m.txt" |
    grep . || echo nothing)"
check "--listen: other paths 404" \
    "$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$port/")|$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$port/metricsx")" "404|404"

# A real Prometheus scrapes it; its API says the delivered count.
if ! command -v prometheus >/dev/null 2>&1; then
	kill "$srv"
	wait "$srv"
	cannot "prometheus is not installed (make deps)"
fi
pport=$(free_port)
cat >"$TMP/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: mailtrail
    static_configs:
      - targets: ['127.0.0.1:$port']
EOT
prometheus --config.file="$TMP/prometheus.yml" \
    --storage.tsdb.path="$TMP/tsdb" \
    --web.listen-address="127.0.0.1:$pport" >"$TMP/prom.log" 2>&1 &
prom=$!
api="http://127.0.0.1:$pport/api/v1/query"
# delivered: the count Prometheus holds; 1 while it has none
delivered() {
	_v=$(curl -sf "$api" --data-urlencode \
	    'query=mailtrail_envelopes_total{status="delivered"}' |
	    jq -r '.data.result[0].value[1] // empty')
	[ -n "$_v" ] && echo "$_v"
}
if wait_until 30 delivered; then
	check "prometheus: the delivered count the database holds" \
	    "$(delivered)" \
	    "$(q "$db" "SELECT count(*) FROM life WHERE status = 1")"
else
	notok "prometheus: the delivered count the database holds"
	tail -5 "$TMP/prom.log" | sed 's/^/  /'
fi
kill "$prom"
wait "$prom"
kill "$srv"
wait "$srv"
check "--listen: SIGTERM ends it cleanly" "$?|$(cat "$TMP/srv.err")" "0|"
