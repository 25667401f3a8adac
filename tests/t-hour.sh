# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-hour.sh: the counts per hour the writer keeps (schema 9, table hour)
# equal a count over the stored rows: for each bundled capture replayed
# alone, for all of them in one database, and after a collector killed
# with kill -9 in the middle of a stream and started again; and the
# reports that read them give what the rows give.  The migration from
# version 8 is checked by tests/t-schema.sh.
. "$(dirname "$0")/lib.sh"

# hour_rows DB: the counts per hour as the rows give them
hour_rows() {
	q "$1" "SELECT t_start / 3600000000, 1 + dir, coalesce(tls, ''),
	    count(*) FROM session GROUP BY 1, 2, 3;
	SELECT t / 3600000000, 3 + (subsystem = 'smtp-out'),
	    phase || '|' || decision, count(*) FROM v_filter GROUP BY 1, 2, 3;
	SELECT h, kind, key, count(*) FROM (SELECT min(t) / 3600000000 AS h,
	    5 + (subsystem = 'smtp-out') AS kind,
	    phase || '|' || decision AS key FROM v_filter
	    GROUP BY session_id, 2, 3) GROUP BY 1, 2, 3;
	SELECT * FROM (SELECT t / 3600000000 AS h, kind, CASE WHEN kind < 10
	    THEN coalesce('=' || mail_from, '') ELSE coalesce('=' || client,
	    '') || '|' || coalesce('=' || rdns, '') END AS key,
	    sum(CASE kind % 3 WHEN 1 THEN 1 WHEN 2 THEN envelopes
	    ELSE size END) AS n FROM v_message CROSS JOIN (SELECT column1
	    AS kind FROM (VALUES (7), (8), (9), (10), (11), (12)))
	    GROUP BY 1, 2, 3) WHERE n != 0;
	SELECT t / 3600000000, CASE result WHEN 'ok' THEN 13
	    WHEN 'tempfail' THEN 14 ELSE 15 END, domain, count(*)
	    FROM v_delivery WHERE t IS NOT NULL GROUP BY 1, 2, 3;
	SELECT t_commit / 3600000000, 16, status_n, count(*) FROM v_life
	    WHERE t_commit IS NOT NULL GROUP BY 1, 3;
	SELECT t_status / 3600000000, 17, status, count(*) FROM life
	    WHERE t_status IS NOT NULL GROUP BY 1, 3;
	SELECT t / 3600000000, 18, '', count(*) FROM v_life_rejected
	    GROUP BY 1" | sort
}

# hour_kept DB: the counts per hour of the table
hour_kept() {
	q "$1" "SELECT hour, kind, key, n FROM hour WHERE n != 0" | sort
}

# same_hours LABEL DB: the table counts what the rows hold
same_hours() {
	hour_rows "$2" >"$TMP/rows"
	hour_kept "$2" >"$TMP/kept"
	if [ -s "$TMP/rows" ] && cmp -s "$TMP/rows" "$TMP/kept"; then
		ok "$1: the counts per hour equal a count over the rows"
	else
		notok "$1: the counts per hour equal a count over the rows"
		diff "$TMP/rows" "$TMP/kept" | head -10 | sed 's/^/  /'
	fi
}

# The filter responses other than proceed are all in event_rare.
rare_refusals() {
	q "$1" "SELECT count(*) FROM v_filter f WHERE decision != 'proceed'
	    AND NOT EXISTS (SELECT 1 FROM event_rare r WHERE r.id = f.id)"
}

for f in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	label=${f#"$DATA"/}
	db=$TMP/$(echo "$label" | tr / -).db
	"$MAILTRAIL" replay -d "$db" "$f" 2>"$TMP/err" ||
	    sed 's/^/  /' "$TMP/err"
	same_hours "$label" "$db"
done
ALL=$TMP/all.db
"$MAILTRAIL" replay -d "$ALL" "$DATA"/0.6/*.log "$DATA"/0.7/*.log
same_hours "all captures" "$ALL"
check "all captures: filter refusals are in event_rare" "$(rare_refusals \
    "$ALL")" 0
check "all captures: some sessions with TLS, some filter refusals" \
    "$(q "$ALL" "SELECT count(*) > 0 FROM hour WHERE kind IN (1, 2) AND
    key != '' AND n > 0") $(q "$ALL" "SELECT count(*) > 0 FROM hour
    WHERE kind = 3 AND key NOT LIKE '%|proceed'")" "1 1"

# The reports read these counts over the whole hours of a window (the
# filter decisions: over the whole database) and the rows over the rest
# of it: both give the same numbers.  A window that ends a microsecond
# before the hour does has no whole hour from 19:00, and reads that
# hour from the rows; no line is in that microsecond.
# sections DB REPORT ARGS...: the report's sections, as JSON
sections() {
	db=$1 r=$2
	shift 2
	outjq '.sections' report "$r" -d "$db" --json --top 0 "$@"
}
for r in summary tls filters; do
	check "report $r: whole hours from the counts, as from the rows" \
	    "$(sections "$ALL" $r --since 2026-11-23T19:00:00Z \
	    --until 2026-11-23T20:59:59.999999Z)" \
	    "$(sections "$ALL" $r --since 2026-11-23T19:00:00Z \
	    --until 2026-11-23T20:59:59.999998Z)"
	check "report $r: cut hours at both ends, as from the rows" \
	    "$(sections "$ALL" $r --since 2026-11-23T18:59:59.999999Z \
	    --until 2026-11-23T19:59:59.999999Z)" \
	    "$(sections "$ALL" $r --since 2026-11-23T18:59:59.999999Z \
	    --until 2026-11-23T19:59:59.999998Z)"
	check "report $r: all of it from the counts, as from the rows" \
	    "$(sections "$ALL" $r)" \
	    "$(sections "$ALL" $r --until 2026-12-06T23:59:59Z)"
done

# A window that cuts an hour at each end, with whole hours between them
# and lines on both sides of each cut: the whole hours from the counts
# and the cut ones from the rows, as counted from the rows alone.
A=1795463400000000	# 2026-11-23T19:50:00Z: after 19:40, before 19:56
B=$(q "$ALL" "SELECT t_start FROM session WHERE t_start >= 1796515200000000
    ORDER BY t_start LIMIT 1 OFFSET 15")	# 2026-12-06, some 00:05
iso() {
	q "$ALL" "SELECT strftime('%Y-%m-%dT%H:%M:%S', $1 / 1000000,
	    'unixepoch') || printf('.%06dZ', $1 % 1000000)"
}
# cut REPORT JQ: the report over [A, B], its rows as JQ prints them
cut() {
	"$MAILTRAIL" report "$1" -d "$ALL" --json --top 0 --since "$(iso $A)" \
	    --until "$(iso "$B")" | jq -r ".sections[] | $2" | sort
}
# rows SQL: what SQL counts over the rows of [A, B], sorted
rows() {
	q "$ALL" "$1" | sort
}
check "cut hours: lines on both sides of each cut" \
    "$(q "$ALL" "SELECT count(*) > 0 FROM session WHERE t_start < $A AND
    t_start >= 1795460400000000") $(q "$ALL" "SELECT count(*) > 0 FROM
    session WHERE t_start > $B AND t_start < 1796518800000000")" "1 1"
check "report summary: cut hours, sessions as counted from the rows" \
    "$(cut summary 'select(.name == "totals") | .rows[0] |
    "\(.sessions_in) \(.sessions_out)"')" \
    "$(rows "SELECT sum(dir = 0) || ' ' || sum(dir = 1) FROM session
    WHERE t_start BETWEEN $A AND $B")"
check "report tls: cut hours, sessions as counted from the rows" \
    "$(cut tls 'select(.name == "by_direction") | .rows[] |
    "\(.direction) \(.sessions) \(.tls_sessions)"')" \
    "$(rows "SELECT subsystem || ' ' || count(*) || ' ' || count(tls)
    FROM v_tls WHERE t BETWEEN $A AND $B GROUP BY subsystem")"
check "report tls: cut hours, versions as counted from the rows" \
    "$(cut tls 'select(.name == "versions") | .rows[] |
    "\(.direction) \(.version) \(.cipher) \(.bits) \(.sessions)"')" \
    "$(rows "SELECT subsystem || ' ' || coalesce(version, 'null') || ' ' ||
    coalesce(cipher, 'null') || ' ' || coalesce(bits, 'null') || ' ' ||
    count(*) FROM v_tls WHERE t BETWEEN $A AND $B GROUP BY subsystem,
    version, cipher, bits")"
# decisions ARGS...: report filters' decisions over ARGS, sorted;
# decided COND: the same counted from the rows of v_filter under COND
FDB=$ALL
decisions() {
	"$MAILTRAIL" report filters -d "$FDB" --json --top 0 "$@" |
	    jq -r '.sections[] | select(.name == "decisions") | .rows[] |
	    "\(.direction) \(.phase) \(.decision) \(.count) \(.sessions)"' |
	    sort
}
decided() {
	q "$FDB" "SELECT subsystem || ' ' || phase || ' ' || decision || ' ' ||
	    count(*) || ' ' || count(DISTINCT session_id) FROM v_filter
	    WHERE $1 GROUP BY subsystem, phase, decision" | sort
}
check "report filters: cut hours, decisions as counted from the rows" \
    "$(decisions --since "$(iso $A)" --until "$(iso "$B")")" \
    "$(decided "t BETWEEN $A AND $B")"
check "report filters: to a cut hour, decisions as counted from the rows" \
    "$(decisions --until "$(iso "$B")")" "$(decided "t <= $B")"
# A window that starts in a session, between two of its responses of
# one phase and decision: the session counts once for it, though its
# first such response is before the window (the counts per hour hold
# it there).  As counted from the rows.
M=$(q "$ALL" "SELECT (min(t) + max(t)) / 2 FROM v_filter GROUP BY session_id,
    phase, decision ORDER BY max(t) - min(t) DESC LIMIT 1")
check "a session's responses of one decision before M and after it" \
    "$(q "$ALL" "SELECT count(*) > 0 FROM (SELECT 1 FROM v_filter GROUP BY
    session_id, phase, decision HAVING min(t) < $M AND max(t) >= $M)")" 1
check "report filters: from within a session, as counted from the rows" \
    "$(decisions --since "$(iso "$M")")" "$(decided "t >= $M")"
check "and to within it, over whole hours between" \
    "$(decisions --since "$(iso $A)" --until "$(iso "$M")")" \
    "$(decided "t BETWEEN $A AND $M")"
# A window that holds every line without being whole hours reads the
# filter decisions from the counts: as counted from the rows.
check "report filters: every line, from the counts, as from the rows" \
    "$(decisions --since 2026-11-23T19:40:00Z \
    --until 2026-12-06T23:59:59Z)" "$(decided 1)"

# A session whose responses of one phase and decision are two hours
# apart, another's between them: b-multi-rcpt with every line after its
# first session's second RCPT TO response two hours later, but for the
# next session's, one hour later, in the order of their times.  Each
# window from one of the first session's responses to the same or the
# next, exactly at them or a microsecond inside, counts as the rows do:
# the last kind holds none of the session's responses though it has
# some before and after.
FDB=$TMP/straddle.db
f=$DATA/0.6/b-multi-rcpt.log
{ grep '^config|' "$f"; grep -v '^config|' "$f" | awk -F'|' -v OFS='|' '
    moved { d = $6 == "04f9ab4b26c6bffd" ? 3600 : 7200; split($3, t, ".")
    $3 = sprintf("%d.%s", t[1] + d, t[2]) } { print }
    $5 == "filter-response" && $6 == "04f9ab474fa335c6" &&
    $7 == "rcpt-to" && ++n == 2 { moved = 1 }' | sort -s -t'|' -k3,3; } \
    >"$TMP/straddle.log"
"$MAILTRAIL" replay -d "$FDB" "$TMP/straddle.log"
STRADDLE="SELECT t FROM v_filter WHERE session_id = (SELECT session_id
    FROM v_filter WHERE phase = 'rcpt-to' GROUP BY session_id
    HAVING count(*) = 3) ORDER BY t"
check "a session's RCPT TO responses in hours h and h + 2" \
    "$(q "$FDB" "SELECT group_concat(h - m) FROM (SELECT t / 3600000000
    AS h, min(t / 3600000000) OVER () AS m FROM v_filter WHERE phase =
    'rcpt-to' AND t IN ($STRADDLE) ORDER BY t)")" "0,0,2"
bad= n=0
set -- $(q "$FDB" "$STRADDLE")
while [ $# -ge 1 ]; do
	t=$1 u=${2:-$1}
	for w in "$t $t" "$t $u" "$((t + 1)) $((u - 1))"; do
		lo=${w% *} hi=${w#* }
		[ "$lo" -le "$hi" ] || continue
		n=$((n + 1))
		[ "$(decisions --since "$(iso "$lo")" \
		    --until "$(iso "$hi")")" = \
		    "$(decided "t BETWEEN $lo AND $hi")" ] || bad="$bad [$w]"
	done
	shift
done
check "report filters: 26 windows at a straddling session's responses" \
    "$n${bad}" 26
FDB=$ALL

# A MAIL FROM after its transaction's commit (smtpd sends it before):
# the message, counted at the commit under its first sender, moves to
# the new one.
LATE=$TMP/late.log
awk -F'|' '{ print }
    $4 == "smtp-in" && $5 == "tx-commit" { print "report|0.7|" $3 \
    "|smtp-in|tx-mail|" $6 "|" $7 "|ok|late@moved.test" }' \
    "$DATA"/0.7/a-relay-ok.log >"$LATE"
"$MAILTRAIL" replay -d "$TMP/late.db" "$LATE"
check "late MAIL FROM: the message is counted under its new sender" \
    "$(q "$TMP/late.db" "SELECT key || ' ' || n FROM hour WHERE kind = 7
    AND n != 0")" "=late@moved.test 1"
same_hours "late MAIL FROM" "$TMP/late.db"

# An envelope after its transaction's commit, and its recipient: the
# message, counted at the commit, counts it too.
LATE=$TMP/late-envelope.log
awk -F'|' '{ print }
    $4 == "smtp-in" && $5 == "tx-commit" { print "report|0.7|" $3 \
    "|smtp-in|tx-envelope|" $6 "|" $7 "|" $7 "00000042"; print \
    "report|0.7|" $3 "|smtp-in|tx-rcpt|" $6 "|" $7 "|ok|late@y.test" }' \
    "$DATA"/0.7/a-relay-ok.log >"$LATE"
"$MAILTRAIL" replay -d "$TMP/late-envelope.db" "$LATE"
check "late envelope: the message counts two envelopes" \
    "$(q "$TMP/late-envelope.db" "SELECT kind || ' ' || n FROM hour WHERE
    kind IN (8, 11) AND n != 0 ORDER BY kind")" "8 2
11 2"
same_hours "late envelope" "$TMP/late-envelope.db"

# The commit sent twice, the second with another size: the message is
# counted once, with the size of the second.
TWICE=$TMP/twice.log
awk -F'|' -v OFS='|' '{ print }
    $4 == "smtp-in" && $5 == "tx-commit" { $8 = $8 + 1000; print }' \
    "$DATA"/0.7/a-relay-ok.log >"$TWICE"
"$MAILTRAIL" replay -d "$TMP/twice.db" "$TWICE"
check "commit twice: the message is counted once, with its last size" \
    "$(q "$TMP/twice.db" "SELECT kind || ' ' || n FROM hour WHERE kind IN
    (7, 9) AND n != 0 ORDER BY kind")" "7 1
9 $(($(awk -F'|' '$5 == "tx-commit" && $4 == "smtp-in" { print $8 }' \
    "$DATA"/0.7/a-relay-ok.log) + 1000))"
same_hours "commit twice" "$TMP/twice.db"

# kill -9 in the middle of a session, then the rest of the stream: the
# restarted collector takes the open sessions back from the database,
# and counts each once.
STREAM=$TMP/stream
report_lines "$DATA"/0.7/*.log >"$STREAM"
TOTAL=$(wc -l <"$STREAM")
DB=$TMP/crash.db
half=$((TOTAL / 2))
head -n "$half" "$STREAM" | "$MAILTRAIL" replay -d "$DB" - 2>/dev/null
rm -f "$TMP/fifo"
mkfifo "$TMP/fifo"
"$MAILTRAIL" collect -d "$DB" <"$TMP/fifo" >/dev/null 2>&1 &
CPID=$!
exec 3>"$TMP/fifo"
stored() { q "$DB" "SELECT count(*) FROM event"; }
sed -n "$((half + 1)),$((half + 200))p" "$STREAM" >&3
wait_until 30 sh -c "[ \$(sqlite3 -readonly '$DB' \
    'SELECT count(*) FROM event') -ge $((half + 100)) ]"
kill -9 "$CPID"
wait "$CPID" 2>/dev/null
exec 3>&-
n=$(stored)
check "kill -9: it was killed with lines left to store" \
    "$([ "$n" -gt "$half" ] && [ "$n" -lt "$TOTAL" ] && echo yes)" yes
tail -n +$((n + 1)) "$STREAM" | "$MAILTRAIL" collect -d "$DB" >/dev/null
check "kill -9: then the whole stream is stored" "$(stored)" "$TOTAL"
same_hours "kill -9 and restart" "$DB"
"$MAILTRAIL" replay -d "$TMP/straight.db" "$STREAM"
check "kill -9 and restart: the counts of a straight replay" \
    "$(hour_kept "$DB" | md5sum)" "$(hour_kept "$TMP/straight.db" | md5sum)"

# prune removes whole traces: their sessions and filter responses go
# out of the counts; at the end of time, nothing is left to count.
cp "$ALL" "$TMP/prune.db"
"$MAILTRAIL" prune -d "$TMP/prune.db" --older-than 2026-11-23T19:40:50Z \
    >/dev/null
left=$(q "$TMP/prune.db" "SELECT count(*) FROM session")
check "prune: some sessions went, some are left" \
    "$([ "$left" -gt 0 ] && [ "$left" -lt "$(q "$ALL" "SELECT count(*)
    FROM session")" ] && echo yes)" yes
same_hours "prune" "$TMP/prune.db"
"$MAILTRAIL" prune -d "$TMP/prune.db" --older-than 2100-01-01 >/dev/null
check "prune of everything: every count is 0" "$(q "$TMP/prune.db" \
    "SELECT count(*) FROM hour WHERE n != 0")" 0
