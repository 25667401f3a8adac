# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-maillog.sh: "mailtrail maillog", smtpd's maillog into the outcome
# table: the real maillogs of the lab (6.8 and 7.8) after their report
# captures, the same lines as syslog and rsyslog write them, smtpd -d
# output without times; the year of syslog times, lines stored once,
# .gz files, standard input, --follow across rotation.
. "$(dirname "$0")/lib.sh"

export TZ=UTC
ML=$DATA/maillog
DB=$TMP/t.db

# what one outcome row says: query DB "WHERE ..."
row() {
	q "$1" "SELECT kind, printf('%016x', sid), mail_from, rcpt_to,
	    orig_rcpt, source, relay, mda_user, agent, delay, result, stat,
	    printf('%016x', bounce_evpid) FROM outcome WHERE $2 ORDER BY id"
}
# every row, without the line itself or its host: to compare two imports
rows() {
	q "$1" "SELECT t, kind, sid, evpid, msgid, mail_from, rcpt_to,
	    orig_rcpt, source, relay, mda_user, agent, delay, result, stat,
	    size, nrcpt, proto, bounce_evpid FROM outcome ORDER BY t, id"
}
# times as text, in the order of the lines
times() {
	q "$1" "SELECT group_concat(strftime('%Y-%m-%d %H:%M:%S',
	    t / 1000000, 'unixepoch'), ',') FROM (SELECT t FROM outcome
	    ORDER BY id)"
}
counters() {
	q "$1" "SELECT group_concat(value, ' ') FROM (SELECT value FROM
	    counter WHERE name IN ('maillog_lines', 'maillog_taken',
	    'maillog_skipped', 'maillog_malformed', 'maillog_duplicates')
	    ORDER BY name)"
}
outcomes_are() {
	[ "$(q "$1" "SELECT count(*) FROM outcome" 2>/dev/null)" = "$2" ]
}
TAKEN='mta delivery|mda delivery|: Expire for|: Remove for|smtp message|smtp envelope|bouncing evp|scheduler: evp:[0-9a-f]{16} removed'

# 6.8: the lab's maillogs ("<epoch> <message>") after their reports
LAB68="$ML/6.8/a-relay-ok.maillog $ML/6.8/b-multi-rcpt.maillog
$ML/6.8/c-rset-quit.maillog $ML/6.8/d-relay-denied.maillog
$ML/6.8/e-disconnect-in-data.maillog $ML/6.8/k-local-delivery.maillog"
check_cmd "replay of the 6.8 report captures" "$MAILTRAIL" replay -d "$DB" \
    $DATA/0.6/[a-k]*.log
check_cmd "maillog of the 6.8 lab maillogs" "$MAILTRAIL" maillog -d "$DB" \
    $LAB68
n=$(cat $LAB68 | grep -cE "$TAKEN")
all=$(cat $LAB68 | wc -l)
check "every line of a kind taken stored" \
    "$(q "$DB" "SELECT count(*) FROM outcome")" "$n"
check "counters: duplicates, lines, malformed, skipped, taken" \
    "$(counters "$DB")" "0 $all 0 $((all - n)) $n"
check "b: reject-dave refused by the next hop: PermFail and its reply" \
    "$(row "$DB" "kind = 'mta' AND evpid = 0x1466b132e53384c3")" \
    "mta|04f9ab4a91cf3dcf|labuser@local.test|reject-dave@sink.test||127.0.0.1|127.0.0.1 (localhost)|||0|2|550 5.1.1 <reject-dave@sink.test>: user unknown|0000000000000000"
check "b: tempfail-erin deferred twice, 13 s later on another session" \
    "$(row "$DB" "kind = 'mta' AND evpid = 0x1466b13205030850" |
    cut -d'|' -f2,10-12 | tr '\n' ' ')" \
    "04f9ab4a91cf3dcf|0|1|451 4.3.0 <tempfail-erin@sink.test>: try again later 04f9ab51524c007c|13|1|451 4.3.0 <tempfail-erin@sink.test>: try again later "
check "b: then removed by the administrator" \
    "$(row "$DB" "kind = 'remove'")" \
    "remove|0000000000000000|labuser@local.test|tempfail-erin@sink.test|||||relay|25||Removed by administrator|0000000000000000"
check "b: the failed envelope and its bounce envelope (debug line)" \
    "$(q "$DB" "SELECT printf('%016x %016x', evpid, bounce_evpid)
    FROM outcome WHERE kind = 'bounce'")" \
    "1466b132e53384c3 1466b132d3d0ffa3"
check "b: the bounce delivered to labuser by the mda" \
    "$(row "$DB" "kind = 'mda' AND evpid = 0x83e5c9a66a7d30a0")" \
    "mda|04f9ab4d4785e3df||labuser@local.test|labuser@local.test|||labuser||0|0|Delivered|0000000000000000"
check "b: smtp message: msgid, size, recipients, protocol" \
    "$(q "$DB" "SELECT printf('%016x %08x', sid, msgid), size, nrcpt, proto
    FROM outcome WHERE kind = 'smtp-message' AND msgid = 0x1466b132")" \
    "04f9ab474fa335c6 1466b132|541|3|ESMTP"
check "b: smtp envelope: one per accepted recipient, msgid from the evpid" \
    "$(q "$DB" "SELECT group_concat(rcpt_to, ' ') FROM outcome
    WHERE kind = 'smtp-envelope' AND msgid = 0x1466b132")" \
    "bob@sink.test reject-dave@sink.test tempfail-erin@sink.test"
check "b: the time of each line, to the microsecond" \
    "$(q "$DB" "SELECT t FROM outcome WHERE kind = 'bounce'")" \
    1795464487116780
check "k: a local delivery by the mda" \
    "$(row "$DB" "kind = 'mda' AND evpid = 0x061514604d36e202")" \
    "mda|b522d22db233ae9b|alice@sink.test|labuser@local.test|labuser@local.test|||labuser||0|0|Delivered|0000000000000000"

# The same files again: nothing new, every line counted as a duplicate
rows "$DB" >"$TMP/before"
check_cmd "maillog of the same files again" "$MAILTRAIL" maillog -d "$DB" \
    $LAB68
rows "$DB" >"$TMP/after"
check_cmd "a line imported twice is stored once" cmp "$TMP/before" \
    "$TMP/after"
check "counters: the second time, every line taken was a duplicate" \
    "$(counters "$DB")" "$n $((all * 2)) 0 $(((all - n) * 2)) $((n * 2))"

# relay-suite: smtpd -d output without times, after its report capture
SDB=$TMP/suite.db
check_cmd "replay of relay-suite" "$MAILTRAIL" replay -d "$SDB" \
    "$DATA/0.6/relay-suite.log"
check_cmd "maillog of relay-suite's smtpd -d output (no times)" \
    "$MAILTRAIL" maillog -d "$SDB" "$ML/6.8/relay-suite.maillog"
check "suite: rejectme's envelope, refused at MAIL FROM by the next hop" \
    "$(row "$SDB" "kind = 'mta' AND evpid = 0x796808e200497ce6")" \
    "mta|6d45c9244db742cd|rejectme@example.test|erin@dest.test||127.0.0.1|127.0.0.1 (localhost)|||0|2|550 5.7.1 sender rejected|0000000000000000"
check "suite: its bounce relayed back to rejectme" \
    "$(row "$SDB" "kind = 'mta' AND rcpt_to = 'rejectme@example.test'" |
    cut -d'|' -f3,11,12)" "|0|250 2.0.0 queued as SINK"
check "suite: the two debug lines link each failure to its bounce" \
    "$(q "$SDB" "SELECT group_concat(printf('%016x>%016x', evpid,
    bounce_evpid), ' ') FROM outcome WHERE kind = 'bounce'")" \
    "7b132086d993e289>7b1320863388d17e 796808e200497ce6>796808e2a2e429b7"
check "suite: an mta line takes the time of its attempt in the reports" \
    "$(q "$SDB" "SELECT o.t = coalesce(a.t_end, a.t) FROM outcome o
    JOIN attempt a ON a.evpid = o.evpid JOIN session s ON s.id = a.session
    AND s.sid = o.sid WHERE o.kind = 'mta' AND
    o.evpid = 0x7b132086d993e289")" 1
check "suite: the retry on a new session, 17 s after queueing" \
    "$(row "$SDB" "kind = 'mta' AND evpid = 0xe6a2001748c30318" |
    cut -d'|' -f2,10,11 | tr '\n' ' ')" \
    "6d45c9244db742cd|0|1 6d45c9326b3f5eea|17|1 "
check "suite: no line without a time" \
    "$(q "$SDB" "SELECT count(*) FROM outcome WHERE t IS NULL")" 0

# Lines without a time are estimated, marked so, and never placed before
# the step they follow: a delivery, removal or bounce not before the
# commit, the attempts and the lines of its envelope in the second its
# delay names.  (lives DB: those of its steps after the commit that came
# before the commit or before the step ahead of them, as text)
early() {
	q "$1" "SELECT group_concat(printf('%s %016x', o.kind, o.evpid), ' ')
	    FROM outcome o JOIN envelope e ON e.evpid = o.evpid
	    JOIN tx x ON x.id = e.tx WHERE o.kind IN ('mta', 'mda', 'expire',
	    'remove', 'bounce') AND (o.t < x.t_commit OR o.t < (SELECT
	    max(p.t) FROM outcome p WHERE p.evpid = o.evpid AND p.id < o.id
	    AND p.kind IN ('mta', 'mda', 'bounce')))"
}
# every step of each life's JSON (trace DB QUERY) not before the commit
# in_order DB QUERY: how many steps come before the commit, 0 unless no
# step was looked at ("none"): a trace that printed nothing has none
in_order() {
	"$MAILTRAIL" trace -d "$1" --json "$2" | jq -rs '[.[] | select(
	    .received.time != null) | .received.time as $c |
	    (.attempts + .outcomes)[] | [.time, $c]] |
	    if length == 0 then "none" else map(select((.[0] |
	    sub("Z$"; "")) < (.[1] | sub("Z$"; "")))) | length end'
}
check "suite: no step after the queue before what it follows" \
    "$(early "$SDB")" ""
IDB=$TMP/suite-in.db
grep -v '|smtp-out|' "$DATA/0.6/relay-suite.log" >"$TMP/suite-in.log"
check_cmd "relay-suite, its smtp-in reports only" "$MAILTRAIL" replay \
    -d "$IDB" "$TMP/suite-in.log"
check_cmd "relay-suite, then its smtpd -d output (no times)" "$MAILTRAIL" \
    maillog -d "$IDB" "$ML/6.8/relay-suite.maillog"
check "suite, smtp-in only: every line's time estimated, and marked" \
    "$(q "$IDB" "SELECT count(*), sum(t_estimated) FROM outcome")" \
    "$(grep -cE "$TAKEN" "$ML/6.8/relay-suite.maillog")|$(grep -cE \
    "$TAKEN" "$ML/6.8/relay-suite.maillog")"
check "suite, smtp-in only: no delivery before its commit, no retry before the first" \
    "$(early "$IDB")" ""
check "suite, smtp-in only: the JSON steps after the commit" \
    "$(in_order "$IDB" since:2026-01-01)" 0
check "suite, smtp-in only: the retry 17 s after, to the second, marked" \
    "$("$MAILTRAIL" trace -d "$IDB" --json e6a2001748c30318 | jq -c \
    '[.received.time, (.attempts[] | .time, .end_time, .duration,
    .source, .time_estimated), .timings.time_estimated]')" \
    '["2026-11-23T19:40:39.072764Z","2026-11-23T19:40:40Z","2026-11-23T19:40:40Z",null,"maillog",true,"2026-11-23T19:40:56Z","2026-11-23T19:40:56Z",null,"maillog",true,true]'
"$MAILTRAIL" trace -d "$IDB" bcb8db5ba68c4c2b >"$TMP/bob.txt"
check "suite, smtp-in only: trace: the estimate as ~, to the second" \
    "$(grep -E '^  ([+~]|accepted)' "$TMP/bob.txt" | cut -c1-44)" \
    "  accepted in 4.6ms, ~1s in the queue, 1 att
  +0.000s    received  smtp-in 6d45c92089799
  +0.006s    queued    msgid bcb8db5b
  ~+1s       attempt   1 to 127.0.0.1 (local
  ~+1s       delivered the next hop took it:"

# The lab's maillogs (6.8 and 7.6) with their times cut off: each
# estimate falls in the second before the line's real time
for v in 6.8 7.6; do
	if [ $v = 6.8 ]; then
		logs="$DATA/0.6/a-relay-ok.log $DATA/0.6/b-multi-rcpt.log
		    $DATA/0.6/k-local-delivery.log"
		mls="$ML/6.8/a-relay-ok.maillog $ML/6.8/b-multi-rcpt.maillog
		    $ML/6.8/k-local-delivery.maillog"
	else
		logs=$DATA/0.7/e2e-suite.log
		mls=$ML/7.6/e2e-suite.maillog
	fi
	"$MAILTRAIL" replay -d "$TMP/real-$v.db" $logs
	cp "$TMP/real-$v.db" "$TMP/cut-$v.db"
	"$MAILTRAIL" maillog -d "$TMP/real-$v.db" $mls
	cat $mls | sed -E 's/^[0-9]+\.[0-9]+ //' >"$TMP/cut-$v.maillog"
	check_cmd "$v: its maillog without times" "$MAILTRAIL" maillog \
	    -d "$TMP/cut-$v.db" "$TMP/cut-$v.maillog"
	check "$v: each delivery, removal and bounce in the second before its line" \
	    "$(q "$TMP/cut-$v.db" "ATTACH '$TMP/real-$v.db' AS r;
	    SELECT count(*), sum(o.t_estimated), sum(r.t - o.t >= 0 AND
	    r.t - o.t < 1000000) FROM outcome o JOIN r.outcome r ON
	    substr(r.line, instr(r.line, ' ') + 1) = o.line WHERE o.kind IN
	    ('mta', 'mda', 'expire', 'remove', 'bounce')" |
	    awk -F'|' '$1 > 5 && $1 == $2 && $2 == $3 { print "yes" }')" yes
	check "$v: no step before what it follows" "$(early "$TMP/cut-$v.db")" ""
	check "$v: the JSON steps after the commit" \
	    "$(in_order "$TMP/cut-$v.db" since:2026-01-01)" 0
done

# smtpd -v: "scheduler: evp:X removed" is the removal when the maillog
# has no "Remove for X" (6.8: b's tempfail-erin; 7.6: two envelopes);
# "removing evp:X" alone is a request only (smtpctl remove of an
# envelope the scheduler no longer holds fails)
for v in 6.8 7.6; do
	grep -v ': Remove for ' "$TMP/cut-$v.maillog" >"$TMP/sched-$v.maillog"
	cp "$TMP/real-$v.db" "$TMP/sched-$v.db"
	q "$TMP/real-$v.db" "SELECT printf('%016x', evpid) FROM outcome
	    WHERE kind = 'remove'" >"$TMP/removed-$v"
	sqlite3 "$TMP/sched-$v.db" "DELETE FROM outcome"
	check_cmd "$v: the maillog without its Remove lines" "$MAILTRAIL" \
	    maillog -d "$TMP/sched-$v.db" "$TMP/sched-$v.maillog"
	for e in $(cat "$TMP/removed-$v"); do
		check "$v: $e removed, known from the scheduler's line alone" \
		    "$("$MAILTRAIL" trace -d "$TMP/sched-$v.db" --json "$e" |
		    jq -c '[.status, (.outcomes[] | .kind, .agent,
		    .time_estimated)]')" '["removed","remove",null,true]'
	done
	check "$v: as many removals as with the Remove lines" \
	    "$(wc -l <"$TMP/removed-$v")" \
	    "$(q "$TMP/sched-$v.db" "SELECT count(*) FROM life WHERE
	    status = 7")"
	check_cmd "$v: then the Remove lines" "$MAILTRAIL" maillog \
	    -d "$TMP/sched-$v.db" "$TMP/cut-$v.maillog"
	for e in $(cat "$TMP/removed-$v"); do
		check "$v: $e: then its Remove line is the removal" \
		    "$("$MAILTRAIL" trace -d "$TMP/sched-$v.db" --json "$e" |
		    jq -c '[.status, .reply, (.outcomes[] | .kind, .agent)]')" \
		    '["removed","Removed by administrator","remove","relay"]'
	done
	check "$v: one removal each, the Remove line's" \
	    "$(q "$TMP/sched-$v.db" "SELECT count(*), group_concat(DISTINCT
	    kind || ' ' || coalesce(agent, '-')) FROM outcome WHERE kind =
	    'remove' UNION ALL SELECT count(*), group_concat(DISTINCT kind)
	    FROM outcome WHERE kind = 'scheduler-remove'")" \
	    "$(wc -l <"$TMP/removed-$v")|remove relay
$(wc -l <"$TMP/removed-$v")|scheduler-remove"
done
check "6.8 and 7.6: envelopes removed" \
    "$(cat "$TMP/removed-6.8" "$TMP/removed-7.6" | wc -l)" 3
grep -v -e ': Remove for ' -e 'scheduler: evp:' "$TMP/cut-7.6.maillog" \
    >"$TMP/request.maillog"
cp "$TMP/real-7.6.db" "$TMP/request.db"
sqlite3 "$TMP/request.db" "DELETE FROM outcome"
"$MAILTRAIL" maillog -d "$TMP/request.db" "$TMP/request.maillog"
check "7.6: 'removing evp' alone (a request) removes nothing (lines taken)" \
    "$(q "$TMP/request.db" "SELECT count(*) FROM life WHERE status = 7")
$(grep -c 'scheduler: removing evp:' "$TMP/request.maillog")
$(q "$TMP/request.db" "SELECT count(*) > 0 FROM outcome")" "0
2
1"

# 7.8: the lab's maillogs, and the same lines in rsyslog's RFC 3339 form
DB7=$TMP/78.db
DB7S=$TMP/78s.db
check_cmd "replay of the 0.7 report captures" "$MAILTRAIL" replay \
    -d "$DB7" "$DATA/0.7/a-relay-ok.log" \
    "$DATA/0.7/c-starttls-auth-plain.log"
cp "$DB7" "$DB7S"
check_cmd "maillog of the 7.8 lab maillogs" "$MAILTRAIL" maillog \
    -d "$DB7" $ML/7.8/*.maillog
check_cmd "maillog of them as rsyslog writes them (RFC 3339)" \
    "$MAILTRAIL" maillog -d "$DB7S" $ML/syslog/*-7.8.log
check "7.8: three lines each: message, envelope, delivery" \
    "$(q "$DB7" "SELECT group_concat(kind, ' ') FROM outcome")" \
    "smtp-message smtp-envelope mta smtp-message smtp-envelope mta"
rows "$DB7" >"$TMP/lab78"
rows "$DB7S" >"$TMP/rfc78"
check_cmd "7.8: RFC 3339 lines give the same outcomes, to the microsecond" \
    cmp "$TMP/lab78" "$TMP/rfc78"
check "7.8: the syslog host" \
    "$(q "$DB7S" "SELECT DISTINCT host FROM outcome")" lab

# 6.8 through Debian's rsyslog: the year comes from the reports of the
# same envelope or session, even when newer reports are a year on
DBS=$TMP/syslog.db
check_cmd "replay of b and k, and of a report line a year later" \
    "$MAILTRAIL" replay -d "$DBS" "$DATA/0.6/b-multi-rcpt.log" \
    "$DATA/0.6/k-local-delivery.log"
printf 'report|0.6|1827000000.000000|smtp-in|link-connect|0123456789abcdef|localhost|pass|127.0.0.1:1|127.0.0.1:25\n' |
    "$MAILTRAIL" replay -d "$DBS" -
check_cmd "maillog of b and k in syslog's format" "$MAILTRAIL" maillog \
    -d "$DBS" "$ML/syslog/b-multi-rcpt-6.8.log" \
    "$ML/syslog/k-local-delivery-6.8.log"
q "$DB" "SELECT t / 1000000 * 1000000, kind, sid, evpid, mail_from,
    rcpt_to, delay, result, stat, bounce_evpid FROM outcome WHERE
    msgid IN (0x1466b132, 0x83e5c9a6 - 4294967296, 0x06151460)
    ORDER BY id" >"$TMP/lab68"
q "$DBS" "SELECT t, kind, sid, evpid, mail_from, rcpt_to, delay, result,
    stat, bounce_evpid FROM outcome ORDER BY id" >"$TMP/sys68"
check_cmd "syslog: the outcomes of the lab's lines, in 2026, to the second" \
    cmp "$TMP/lab68" "$TMP/sys68"
check "syslog: the host" "$(q "$DBS" "SELECT DISTINCT host FROM outcome")" vm
printf 'Nov 23 20:08:07 vm smtpd[2190]: relay: Remove for 0123456701234567: from=<a@b>, to=<c@d>, rcpt=<->, delay=1s, stat=Removed by administrator\n' |
    "$MAILTRAIL" maillog -d "$DBS" -
check "syslog: an envelope no report knows: the year of the newest report" \
    "$(q "$DBS" "SELECT strftime('%Y-%m-%d %H:%M:%S', t / 1000000,
    'unixepoch') FROM outcome WHERE evpid = 0x0123456701234567")" \
    "2027-11-23 20:08:07"

# Years across a new year: nearest to the newest report; with none, the
# last year that does not put a line after the file was written
YDB=$TMP/year.db
check_cmd "replay of b" "$MAILTRAIL" replay -d "$YDB" \
    "$DATA/0.6/b-multi-rcpt.log"
check_cmd "maillog of lines about envelopes no report knows" \
    "$MAILTRAIL" maillog -d "$YDB" "$ML/syslog/year-wrap.log"
check "years: nearest to the newest report (2026-11-23)" \
    "$(times "$YDB")" \
    "2026-12-30 08:00:00,2026-12-30 08:00:00,2026-12-31 23:59:58,2027-01-02 00:00:01,2027-01-03 10:00:00,2027-01-03 11:00:00,2027-01-03 11:05:00,2027-02-10 09:30:00"
cp "$ML/syslog/year-wrap.log" "$TMP/year.log"
touch -d '2027-01-05 12:00:00 UTC' "$TMP/year.log"
check_cmd "maillog into an empty database" "$MAILTRAIL" maillog \
    -d "$TMP/empty.db" "$TMP/year.log"
check "years: none after the file's mtime (2027-01-05)" \
    "$(times "$TMP/empty.db")" \
    "2026-12-30 08:00:00,2026-12-30 08:00:00,2026-12-31 23:59:58,2027-01-02 00:00:01,2027-01-03 10:00:00,2027-01-03 11:00:00,2027-01-03 11:05:00,2026-02-10 09:30:00"
check "expire: relay, a bounce's null sender, 4 days 2 hours" \
    "$(row "$YDB" "kind = 'expire' AND evpid = 0xbbbb0002cccc0003")" \
    "expire|0000000000000000||carol@example.org|||||relay|352800||Envelope expired|0000000000000000"
check "no session (0000000000000000): the reason, the domain as relay" \
    "$(row "$YDB" "kind = 'mta'")" \
    "mta|0000000000000000|a@example.org|b@example.net|||example.net|||345597|1|Network error on destination MXs|0000000000000000"
check "remove of a local delivery: agent 'delivery', the original rcpt" \
    "$(row "$YDB" "kind = 'remove' AND agent = 'delivery'" | cut -d'|' -f4,5,9)" \
    "dave@mx.example.org|dave@example.org|delivery"

# .gz, several gzip members, standard input (plain and gzip)
GDB=$TMP/gz.db
"$MAILTRAIL" replay -d "$GDB" $DATA/0.6/[a-k]*.log
gzip -c $LAB68 >"$TMP/maillog.1.gz"
check_cmd "maillog of a rotated .gz" "$MAILTRAIL" maillog -d "$GDB" \
    "$TMP/maillog.1.gz"
rows "$GDB" >"$TMP/gz"
check_cmd ".gz: the same outcomes as the plain files" cmp "$TMP/before" \
    "$TMP/gz"
for f in $LAB68; do gzip -c "$f"; done >"$TMP/members.gz"
"$MAILTRAIL" maillog -d "$GDB" "$TMP/members.gz"
check "gzip members one after the other: read to the end" \
    "$(counters "$GDB")" "$n $((all * 2)) 0 $(((all - n) * 2)) $((n * 2))"
IDB=$TMP/stdin.db
cat $LAB68 | "$MAILTRAIL" maillog -d "$IDB" -
check "stdin: every line read" "$(counters "$IDB")" \
    "0 $all 0 $((all - n)) $n"
gzip -c $LAB68 | "$MAILTRAIL" maillog -d "$IDB" -
check "stdin: gzip too" "$(counters "$IDB")" \
    "$n $((all * 2)) 0 $(((all - n) * 2)) $((n * 2))"

# Bad input: a malformed line is counted and logged, bad gzip is an error
printf '%s\n%s' \
    '04f9ab4a91cf3dcf mta delivery evpid=1466b132 from=<a> to=<b> rcpt=<-> source="-" relay="x" delay=0s result="Ok" stat="250"' \
    'relay: Remove for 0123456789abcdef: from=<a@b>, to=<c@d>, rcpt=<->, delay=1s, stat=Removed by administrator' |
    "$MAILTRAIL" maillog -d "$TMP/bad.db" - 2>"$TMP/err"
check "a malformed line is counted, the last line without its newline read" \
    "$(counters "$TMP/bad.db")" "0 2 1 0 1"
check "a malformed line is logged" "$(cut -c1-60 "$TMP/err")" \
    "mailtrail: maillog: bad id, number, delay or result, skipped"
head -c 300 "$TMP/maillog.1.gz" >"$TMP/short.gz"
"$MAILTRAIL" maillog -d "$TMP/bad.db" "$TMP/short.gz" 2>"$TMP/err"
check "a cut .gz: exit 1" "$?" 1
check "a cut .gz: said so" "$(cat "$TMP/err")" \
    "mailtrail: $TMP/short.gz: unexpected end of gzip data"
printf '\037\213garbage' >"$TMP/bad.gz"
"$MAILTRAIL" maillog -d "$TMP/bad.db" "$TMP/bad.gz" 2>"$TMP/err"
check "not gzip after the magic: exit 1, said so" "$? $(cat "$TMP/err")" \
    "1 mailtrail: $TMP/bad.gz: bad gzip data"
"$MAILTRAIL" maillog -d "$TMP/bad.db" "$TMP/none" 2>"$TMP/err"
check "a missing file: exit 1, said so" "$? $(cat "$TMP/err")" \
    "1 mailtrail: $TMP/none: No such file or directory"
"$MAILTRAIL" maillog -d "$TMP/bad.db" 2>"$TMP/err"
check "no file: usage, exit 1" "$? $(head -1 "$TMP/err" | cut -c1-24)" \
    "1 usage: mailtrail maillog"
for c in maillog replay; do
	"$MAILTRAIL" $c -d "$TMP/typo.db" "$DATA/0.6/a-relay-ok.log" \
	    "$TMP/none" 2>"$TMP/err"
	check "$c: a missing file among others: exit 1, no database made" \
	    "$? $(cat "$TMP/err") $(ls "$TMP" | grep -c typo)" \
	    "1 mailtrail: $TMP/none: No such file or directory 0"
done

# export --follow sees maillog lines imported later: the local delivery
# of k is queued in the report stream, then delivered by the mda
KDB=$TMP/kfollow.db
"$MAILTRAIL" replay -d "$KDB" "$DATA/0.6/k-local-delivery.log"
"$MAILTRAIL" export -d "$KDB" --follow --summary >"$TMP/kfollow.out" \
    2>"$TMP/kfollow.err" &
epid=$!
"$MAILTRAIL" export -d "$KDB" --follow --summary --format ecs \
    >"$TMP/kfollow.ecs" 2>>"$TMP/kfollow.err" &
epid2=$!
lines_are() { [ "$(wc -l <"$1")" -ge "$2" ]; }
wait_until 10 lines_are "$TMP/kfollow.out" 1
wait_until 10 lines_are "$TMP/kfollow.ecs" 1
"$MAILTRAIL" maillog -d "$KDB" "$ML/6.8/k-local-delivery.maillog"
wait_until 10 lines_are "$TMP/kfollow.out" 2
wait_until 10 lines_are "$TMP/kfollow.ecs" 2
sleep 0.5
kill "$epid" "$epid2"
wait "$epid" "$epid2" 2>/dev/null
check "export --follow: queued, then delivered by the mda once imported" \
    "$(jq -r '[.evpid, .status, (.outcomes | map(.kind + ":" +
    (.user // "")) | join(","))] | join(" ")' "$TMP/kfollow.out")" \
    "061514604d36e202 queued 
061514604d36e202 delivered mda:labuser"
check "export --follow --format ecs: the same two documents" \
    "$(jq -r '[.email.local_id, .event.action] | join(" ")' \
    "$TMP/kfollow.ecs")" "061514604d36e202 queued
061514604d36e202 delivered"
check "export --follow: nothing on stderr" "$(cat "$TMP/kfollow.err")" ""

# --follow: appended lines, rotation (rename, more lines to the old file,
# a new file), truncation, a last line without its newline, SIGTERM
FDB=$TMP/follow.db
SRC=$ML/syslog/b-multi-rcpt-6.8.log
grep -E "$TAKEN" "$SRC" >"$TMP/taken"
part() { sed -n "$1p" "$TMP/taken"; }
mkdir "$TMP/log"
LOG=$TMP/log/mail.log
{ grep -v -E "$TAKEN" "$SRC" | head -20; part 1,4; } >"$LOG"
"$MAILTRAIL" maillog -d "$FDB" --follow "$LOG" 2>"$TMP/follow.err" &
pid=$!
wait_until 10 outcomes_are "$FDB" 4
check "follow: the file as it was" "$?" 0
part 5,8 >>"$LOG"
wait_until 10 outcomes_are "$FDB" 8
check "follow: lines appended" "$?" 0
mv "$LOG" "$LOG.1"
part 9 >>"$LOG.1"
part 10,11 >"$LOG"
wait_until 10 outcomes_are "$FDB" 11
check "follow: rotated: the old file's last lines, then the new file" "$?" 0
: >"$LOG"
part 12 >>"$LOG"
wait_until 10 outcomes_are "$FDB" 12
check "follow: truncated: read again from the start" "$?" 0
part 13 | tr -d '\n' >>"$LOG"
sleep 1
kill -TERM "$pid"
wait "$pid"
check "follow: SIGTERM: exit 0" "$?" 0
check "follow: the last line, without its newline, stored at exit" \
    "$(q "$FDB" "SELECT count(*) FROM outcome")" 13
check "follow: each line once, nothing on stderr" \
    "$(counters "$FDB") $(cat "$TMP/follow.err")" "0 33 0 20 13 "

# The same run's log kept twice, by syslog and by smtpd -d (microseconds,
# other bytes): each mta line copies the other, and confirms the same
# attempt.  The lives are those of one log.
for w in one both; do
	"$MAILTRAIL" replay -d "$TMP/twice-$w.db" "$DATA/0.6/b-multi-rcpt.log"
done
"$MAILTRAIL" maillog -d "$TMP/twice-one.db" \
    "$ML/6.8/b-multi-rcpt.maillog" 2>/dev/null
"$MAILTRAIL" maillog -d "$TMP/twice-both.db" \
    "$ML/6.8/b-multi-rcpt.maillog" "$ML/syslog/b-multi-rcpt-6.8.log" \
    2>/dev/null
mta="SELECT count(*) FROM outcome WHERE kind = 'mta'"
check "a log and its syslog copy: each mta line twice" \
    "$(q "$TMP/twice-both.db" "$mta")" \
    "$(q "$TMP/twice-one.db" "SELECT 2 * ($mta) WHERE ($mta) > 0")"
tries='[.evpid, .status, [.attempts[] | .session, .source, .result,
    .confirmed]]'
check "a log and its syslog copy: no attempt more, the same lives" \
    "$(outjq "$tries" export -d "$TMP/twice-both.db")" \
    "$(outjq "$tries" export -d "$TMP/twice-one.db")"
