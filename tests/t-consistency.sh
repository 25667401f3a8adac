# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-consistency.sh: every reader says of every life the status the
# writer keeps in the table life: trace (text and JSON, and its status:
# term), export --summary and --format ecs, sql on v_envelope, v_life_all
# and life, report summary's counts and report queue's envelopes, and
# v_pending (tests/readers.sh), for each bundled capture replayed alone
# and again with the maillog of the same run, relay-suite's with an
# expiry, and e2e-suite's with two lives edited in the table (the
# readers read it, none derives a status of its own); then the list of
# the TUI, in tmux, for e2e-suite with its maillog.  A disagreement names
# the reader, the database and the life (its evpid, or msgid/recipient
# for a recipient refused at smtp-in).  Each session's outcome too:
# trace, trace --json, export --sessions and its ECS form answer a
# session with no life with session.outcome, and one with lives through
# them (tests/readers.sh).
. "$(dirname "$0")/lib.sh"
. "$TESTS/readers.sh"

# maillog_of CAPTURE: the maillogs of the same run (none, or several)
maillog_of() {
	name=$(basename "$1" .log)
	case $1 in
	*/0.6/*) vs=6.8 ;;
	*) vs="7.6 7.8" ;;
	esac
	for v in $vs; do
		[ -f "$DATA/maillog/$v/$name.maillog" ] &&
		    echo "$DATA/maillog/$v/$name.maillog"
	done
}

# read CAPTURE: replayed alone, then with each maillog of its run
read_capture() {
	label=${1#"$DATA"/}
	label=${label%.log}
	db=$TMP/$(echo "$label" | tr / -).db
	if ! "$MAILTRAIL" replay -d "$db" "$1" 2>"$db.err"; then
		notok "$label: replay"
		sed 's/^/  /' "$db.err"
		return
	fi
	# the readers agree on the lives stored: are they all there?
	check "$label: a life for each RCPT smtp-in answered" \
	    "$(q "$db" "SELECT count(*) FROM life")" \
	    "$(grep -c '|smtp-in|tx-rcpt|' "$1")"
	readers_collect "$db" "$label"
	for m in $(maillog_of "$1"); do
		v=$(basename "$(dirname "$m")")
		cp "$db" "$db.$v"
		if ! "$MAILTRAIL" maillog -d "$db.$v" "$m" 2>"$db.err"; then
			notok "$label: maillog $v"
			sed 's/^/  /' "$db.err"
			continue
		fi
		readers_collect "$db.$v" "$label+maillog-$v"
	done
}

# relay-suite's deferred envelope expired, in the format of smtpd
expire() {
	db=$TMP/0.6-relay-suite.db.6.8
	cp "$db" "$db.expired"
	printf '%s\n' 'relay: Expire for e6a2001748c30318: from=<alice@example.test>, to=<temp1@dest.test>, rcpt=<->, delay=4d, stat=Envelope expired' \
	    >"$TMP/expire.maillog"
	"$MAILTRAIL" maillog -d "$db.expired" "$TMP/expire.maillog"
	readers_collect "$db.expired" 0.6/relay-suite+maillog-6.8+expire
}

# The readers read the table and derive no status of their own: two
# lives of e2e-suite edited in it, each reader follows (a delivered one
# said removed, another deferred, so waiting in the queue).  The edit
# moves the life's counts per hour (schema 15) as the writer would.
edited() {
	db=$TMP/0.7-e2e-suite.db.7.6
	cp "$db" "$db.edited"
	for e in "68b31882355679d2 7 removed" "565749a877206999 2 deferred"; do
		set -- $e
		sqlite3 "$db.edited" "UPDATE hour SET n = n - 1 WHERE key =
		    (SELECT CAST(status AS TEXT) FROM life WHERE evpid = 0x$1)
		    AND (kind = 16 AND hour = (SELECT t_accepted / 3600000000
		    FROM life WHERE evpid = 0x$1) OR kind = 17 AND hour =
		    (SELECT t_status / 3600000000 FROM life WHERE evpid = 0x$1));
		    INSERT INTO hour(hour, kind, key, n)
		    SELECT t_accepted / 3600000000, 16, '$2', 1 FROM life
		    WHERE evpid = 0x$1 UNION ALL SELECT t_status / 3600000000,
		    17, '$2', 1 FROM life WHERE evpid = 0x$1
		    ON CONFLICT DO UPDATE SET n = n + 1;
		    UPDATE life SET status = $2,
		    reply = 'edited: $3' WHERE evpid = 0x$1;
		    UPDATE life_change SET status = $2, reply = 'edited: $3'
		    WHERE life = (SELECT id FROM life WHERE evpid = 0x$1) AND
		    t_until IS NULL"
	done
	readers_collect "$db.edited" "0.7/e2e-suite+maillog-7.6, edited"
}

# two at a time: the captures in turn to each of two workers
readers_reset
set -- "$DATA"/0.6/*.log "$DATA"/0.7/*.log
for w in 0 1; do
	(
		i=0
		for c in "$@"; do
			[ $((i % 2)) = $w ] && read_capture "$c"
			i=$((i + 1))
		done
	) &
done
wait
expire
edited
n=$(ls "$READERS" | wc -l)
check "every capture read, with and without its maillog, and 2 more" \
    "$n" 38
check "the lives read are of every status" \
    "$(cat "$READERS"/*/sql-life.want | cut -d'|' -f2 | sort -u |
    tr '\n' ' ')" \
    "aborted deferred delivered expired failed queued rejected removed "
readers_check "$n databases"

# --- the TUI's list: each row's status is its life's -------------------
if ! command -v tmux >/dev/null 2>&1; then
	skip "tui: tmux is not installed"
	exit 0
fi
T="tmux -L mailtrail-consistency-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
# A copy: a binary that runs cannot be rebuilt under it.
cp "$MAILTRAIL" "$LIVE" "$TMP/"
# rows NAME N: the list in window NAME shows N lives (the sessions that
# ended before MAIL FROM aside), kept in $TMP/NAME.rows
rows() {
	$T capture-pane -p -t "$1" |
	    sed -n 's/^[0-9][0-9]:[0-9][0-9]:[0-9][0-9] //p' |
	    grep -v ' no mail ' >"$TMP/$1.rows"
	[ "$(wc -l <"$TMP/$1.rows")" = "$2" ]
}
# tui NAME DB LABEL: the TUI on DB, 200x60; each row's status, by its
# sender and recipient, against the life's
tui() {
	{
		echo "export LANG=C.UTF-8 TZ=UTC"
		echo "\"$TMP/mailtrail\" tui -d \"$2\" 2>&1"
		echo 'echo "TUI-EXIT=$?"'
		echo 'exec sleep 600'
	} >"$TMP/$1.sh"
	$T new-session -d -s "$1" -x 200 -y 60 "sh $TMP/$1.sh"
	n=$(q "$2" "SELECT count(*) FROM life")
	if ! wait_until 30 rows "$1" "$n"; then
		notok "tui: a row for each of the $n lives ($3)"
		$T capture-pane -p -t "$1" | sed 's/^/  | /'
		return
	fi
	ok "tui: a row for each of the $n lives ($3)"
	awk '{ print $2, $3 "|" $(NF - 1) }' "$TMP/$1.rows" |
	    sort -t'|' -k1,1 >"$TMP/$1.got"
	q "$2" "SELECT CASE mail_from WHEN '' THEN '<>' ELSE mail_from END ||
	    ' ' || rcpt_to, $READERS_STATUS FROM life" |
	    sort -t'|' -k1,1 >"$TMP/$1.want"
	if cmp -s "$TMP/$1.want" "$TMP/$1.got"; then
		ok "tui: each row's status is its life's ($3)"
	else
		notok "tui: each row's status is its life's ($3)"
		join -t'|' -a1 -a2 -e nothing -o 0,1.2,2.2 "$TMP/$1.want" \
		    "$TMP/$1.got" | awk -F'|' '$2 != $3 {
			printf "  %s %s: life says %s, tui says %s\n", l, $1,
			    $2, $3 }' l="$3"
	fi
	$T send-keys -t "$1" q
	wait_until 10 sh -c "$T capture-pane -p -t $1 | grep -q TUI-EXIT=0" ||
	    notok "tui: exits 0 on q ($3)"
}
tui e2e "$TMP/0.7-e2e-suite.db.7.6" 0.7/e2e-suite+maillog-7.6
tui edited "$TMP/0.7-e2e-suite.db.7.6.edited" \
    "0.7/e2e-suite+maillog-7.6, edited"
