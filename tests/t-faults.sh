# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-faults.sh: faults injected while the collector runs.  Each asserts
# that no line was lost and that the collector never exited; when
# nothing can keep the lines, that it says how many were lost.
. "$(dirname "$0")/lib.sh"

LOCK_S=${FAULT_LOCK_S:-10}
STREAM=$TMP/stream
sh "$TESTS/bench/gen.sh" "$DATA/0.6/relay-suite.log" 200000 >"$STREAM"
TOTAL=$(wc -l <"$STREAM")
"$MAILTRAIL" replay -d "$TMP/straight.db" "$STREAM"
envelopes "$TMP/straight.db" >"$TMP/straight.env"
refusals "$TMP/straight.db" >"$TMP/straight.ref"
check "straight replay: a life for each envelope and refused recipient" \
    "$(lives_whole "$TMP/straight.db" | sed 's/^[0-9]* //')" "lives, whole"

# start_collect DB: collect reading a FIFO held open on fd 3, like smtpd
start_collect() {
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	"$MAILTRAIL" collect -d "$1" <"$TMP/fifo" >/dev/null 2>>"$TMP/collect.err" &
	CPID=$!
	exec 3>"$TMP/fifo"
}

alive() { kill -0 "$CPID" 2>/dev/null && echo alive; }

# --- 1. another process holds the write lock for LOCK_S seconds --------
DB=$TMP/lock.db
mask=$(umask)
umask 077
start_collect "$DB"
umask "$mask"
head -1000 "$STREAM" >&3
wait_until 20 events_are "$DB" 1000
python3 "$TESTS/lock.py" "$DB" "$LOCK_S" >"$TMP/lock.out" &
LPID=$!
wait_until 20 grep -q locked "$TMP/lock.out"
t0=$(date +%s)
tail -n +1001 "$STREAM" >&3
t1=$(date +%s)
check "lock: the whole stream read while the lock was held" \
    "$(kill -0 $LPID 2>/dev/null && echo during-lock)" during-lock
check "lock: lines past the memory bound spilled to the journal" \
    "$(test -s "$DB-spill" && echo spilled)" spilled
check "lock: the journal is mode 0640, the collector's umask 077" \
    "$(stat -c %a "$DB-spill")" 640
check "lock: collector alive during the lock" "$(alive)" alive
wait $LPID
wait_until 120 events_are "$DB" "$TOTAL"
check "lock: every line in the database after the lock went" \
    "$(q "$DB" "SELECT count(*) FROM event")" "$TOTAL"
check "lock: collector alive after catching up" "$(alive)" alive
exec 3>&-
wait $CPID
check "lock: exit 0 at EOF" "$?" 0
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "lock: raw export equals the stream, in order" cmp "$STREAM" "$TMP/got"
envelopes "$DB" >"$TMP/got.env"
check_cmd "lock: joined envelopes equal those of a straight replay" \
    cmp "$TMP/straight.env" "$TMP/got.env"
same_lives "lock: lives, their changes and refusals as in a straight replay" \
    "$TMP/straight.db" "$DB"
check "lock: spilled lines counted, none lost" \
    "$(test "$(counter "$DB" spilled)" -gt 0 && echo yes) $(counter "$DB" lost)" \
    "yes 0"
check "lock: journal removed once read" \
    "$(test -e "$DB-spill" && echo left || echo removed)" removed
echo "# lock: $TOTAL lines sent, $(counter "$DB" spilled) spilled," \
    "$(counter "$DB" db_errors) failed commits, lock ${LOCK_S}s," \
    "stream read in $((t1 - t0))s"

# --- 2. kill -9 at KILLS random points of the stream, restarting with
# what is missing.  Each run is fed the stream from the first line not
# stored up to the next point, and killed once a random share of those
# lines is stored (none: as it starts), 0 to 100 ms later: while it
# opens the database, reads, joins or commits.
KILLS=${FAULT_KILLS:-100}
CHECKER=${MAILTRAIL_PLAIN:-$MAILTRAIL}	# reads back faster
DB=$TMP/crash.db
stored() { q "$DB" "SELECT count(*) FROM event" 2>/dev/null || echo 0; }
stored_past() { [ "$(stored)" -ge "$1" ]; }
# joined DB: the joined tables, row by row
joined() {
	for t in session tx rcpt attempt; do
		q "$1" "SELECT '$t', * FROM $t ORDER BY id"
	done
}
joined "$TMP/straight.db" >"$TMP/straight.joined"
shuf -i 1-"$TOTAL" -n "$KILLS" | sort -n >"$TMP/points"
kills=0
integrity=ok
prefix=ok
t0=$(date +%s)
while read -r point; do
	done_n=$(stored)
	at=$((done_n + $(shuf -i 0-$((point - done_n)) -n 1)))
	start_collect "$DB"
	sed -n "$((done_n + 1)),${point}p;${point}q" "$STREAM" | awk '{ print }
	    NR % 200 == 0 { fflush(); system("sleep 0.01") }' >&3 &
	FEED=$!
	wait_until 60 stored_past "$at"
	sleep "$(shuf -i 0-100 -n 1 | awk '{ printf "%.3f", $1 / 1000 }')"
	kill -9 "$CPID" 2>/dev/null && kills=$((kills + 1))
	wait "$CPID" 2>/dev/null
	kill "$FEED" 2>/dev/null
	wait "$FEED" 2>/dev/null
	exec 3>&-
	[ -e "$DB" ] || continue
	[ "$(q "$DB" "PRAGMA integrity_check")" = ok ] || integrity=bad
	n=$(stored)
	"$CHECKER" export -d "$DB" --raw >"$TMP/got"
	head -n "$n" "$STREAM" | cmp -s - "$TMP/got" || prefix=bad
	[ $((kills % 10)) = 0 ] &&
	    echo "# kill $kills at line $point: $n lines stored"
done <"$TMP/points"
t1=$(date +%s)
check "kill -9: $KILLS kills" "$kills" "$KILLS"
check "kill -9: integrity_check ok after every kill" "$integrity" ok
check "kill -9: what is stored is always a whole prefix of the stream" \
    "$prefix" ok
done_n=$(stored)
tail -n +$((done_n + 1)) "$STREAM" | "$MAILTRAIL" collect -d "$DB" >/dev/null
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "kill -9: a restarted collector continues: raw export whole" \
    cmp "$STREAM" "$TMP/got"
joined "$DB" >"$TMP/got.joined"
check_cmd "kill -9: session, tx, rcpt, attempt rows as in a straight replay" \
    cmp "$TMP/straight.joined" "$TMP/got.joined"
envelopes "$DB" >"$TMP/got.env"
check_cmd "kill -9: joined envelopes equal those of a straight replay" \
    cmp "$TMP/straight.env" "$TMP/got.env"
same_lives "kill -9: lives, changes and refusals as in a straight replay" \
    "$TMP/straight.db" "$DB"
refusals "$DB" >"$TMP/got.ref"
check "kill -9: refused MAIL FROM and their events as in a straight replay" \
    "$(cmp "$TMP/straight.ref" "$TMP/got.ref" && wc -l <"$TMP/got.ref" |
    awk '$1 > 0 { print "same, some" }')" "same, some"
echo "# kill -9: $kills kills in $((t1 - t0)) s, $done_n of $TOTAL lines" \
    "stored before the last start"

# --- 3. sessions that never disconnect are expired: memory stays flat ---
# RSS is measured on the build without sanitizers (MAILTRAIL_PLAIN), at
# two sizes past the point where SQLite's page cache is full.
PLAIN=${MAILTRAIL_PLAIN:-$MAILTRAIL}
sh "$TESTS/bench/gen.sh" "$DATA/0.6/relay-suite.log" 600000 |
    grep -v link-disconnect >"$TMP/nodisc"
rss() {
	head -n "$1" "$TMP/nodisc" >"$TMP/nd"
	rm -f "$TMP/nd.db"*
	/usr/bin/time -f %M -o "$TMP/rss" sh -c \
	    "cat '$TMP/nd' | '$PLAIN' collect -d '$TMP/nd.db' >/dev/null"
	cat "$TMP/rss"
}
r1=$(rss 300000)
open1=$(q "$TMP/nd.db" "SELECT count(*) FROM session WHERE t_end IS NULL")
r2=$(rss 600000)
open2=$(q "$TMP/nd.db" "SELECT count(*) FROM session WHERE t_end IS NULL")
exp2=$(counter "$TMP/nd.db" sessions_expired)
check "no disconnects: idle sessions expired" \
    "$(test "$exp2" -gt 0 && echo yes)" yes
check "no disconnects: open sessions bounded ($open1, then $open2)" \
    "$(test "$open2" -lt $((open1 * 3 / 2)) && echo flat)" flat
if [ "$PLAIN" != "$MAILTRAIL" ]; then
	check "no disconnects: peak RSS flat (${r1} KiB, then ${r2} KiB)" \
	    "$(test $((r2 - r1)) -lt 4096 && echo flat)" flat
	check "no disconnects: peak RSS under 32 MiB" \
	    "$(test "$r2" -lt 32768 && echo under)" under
else
	skip "no disconnects: peak RSS: measured on the build without" \
	    "sanitizers (MAILTRAIL_PLAIN)"
fi
echo "# memory: peak RSS ${r1} KiB at 300000 lines, ${r2} KiB at 600000" \
    "lines, $exp2 sessions expired"

# --- 3b. sessions that never disconnect, all within the hour: past
# --max-sessions (by default 20000) the longest silent are closed as
# evicted, so memory stays flat from 300000 to 1000000 of them ---------
# open_sessions N: N sessions over 50 minutes, time in order, each only
# a link-connect and a link-identify
open_sessions() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			us = int(i * 3000000000 / n)
			t = sprintf("%d.%06d", 1795462836 + int(us / 1000000),
			    us % 1000000)
			sid = sprintf("5e550000%08x", i)
			printf "report|0.6|%s|smtp-in|link-connect|%s|c%d.test|" \
			    "pass|10.%d.%d.%d:%d|10.0.0.1:25\n", t, sid, i,
			    int(i / 65536), int(i / 256) % 256, i % 256,
			    1024 + i % 60000
			printf "report|0.6|%s|smtp-in|link-identify|%s|EHLO|" \
			    "c%d.test\n", t, sid, i
		}
	}'
}
# rss_open N: collect's peak RSS (KiB) for N such sessions
rss_open() {
	rm -f "$TMP/op.db"*
	open_sessions "$1" >"$TMP/op.in"
	/usr/bin/time -f %M -o "$TMP/rss" sh -c \
	    "cat '$TMP/op.in' | '$PLAIN' collect -d '$TMP/op.db' >/dev/null"
	rm -f "$TMP/op.in"
	cat "$TMP/rss"
}
# evicted_of: open sessions, evicted ones, and the counter of the latter
evicted_of() {
	echo "$(q "$TMP/op.db" "SELECT count(*) FROM session WHERE t_end IS NULL
	    UNION ALL SELECT count(*) FROM session WHERE end_reason = 'evicted'" |
	    tr '\n' ' ')$(counter "$TMP/op.db" sessions_evicted)"
}
t0=$(date +%s)
e1=$(rss_open 300000)
ev1=$(evicted_of)
e2=$(rss_open 1000000)
ev2=$(evicted_of)
t1=$(date +%s)
check "never closed: 20000 open, the rest evicted and counted (300000)" \
    "$ev1" "20000 280000 280000"
check "never closed: 20000 open, the rest evicted and counted (1000000)" \
    "$ev2" "20000 980000 980000"
if [ "$PLAIN" != "$MAILTRAIL" ]; then
	check "never closed: peak RSS flat (${e1} KiB, then ${e2} KiB)" \
	    "$(test "$e2" -le $((e1 * 6 / 5)) && echo flat)" flat
	check "never closed: peak RSS under 32 MiB at 1000000 sessions" \
	    "$(test "$e2" -lt 32768 && echo under)" under
else
	skip "never closed: peak RSS: measured on the build without" \
	    "sanitizers (MAILTRAIL_PLAIN)"
fi
echo "# never closed: peak RSS ${e1} KiB at 300000 sessions, ${e2} KiB" \
    "at 1000000; $((t1 - t0)) s"

# --- 4. disk full on a small tmpfs (in a mount namespace of its own) ---
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	mkdir "$TMP/disk"
	head -40000 "$STREAM" >"$TMP/disk.stream"
	unshare -m --propagation private bash "$TESTS/fault-disk.sh" \
	    "$TMP/disk" "$TMP/disk.stream"
else
	skip "disk full: SKIPPED: needs root for a tmpfs"
fi

# --- 5. a read-only database: the collector's user may not write it ----
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	RO=$TMP/ro
	mkdir "$RO"
	chown nobody "$RO"
	chmod 755 "$TMP"
	head -3000 "$STREAM" | runuser -u nobody -- "$MAILTRAIL" collect \
	    -d "$RO/r.db" >/dev/null
	chmod 0440 "$RO/r.db"
	chmod 0555 "$RO"
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	chmod 666 "$TMP/fifo"
	runuser -u nobody -- "$MAILTRAIL" collect -d "$RO/r.db" \
	    <"$TMP/fifo" >/dev/null 2>"$TMP/ro.err" &
	CPID=$!
	exec 3>"$TMP/fifo"
	sed -n '3001,13000p' "$STREAM" >&3
	sleep 1.5
	check "read-only: collector alive" "$(alive)" alive
	check "read-only: the problem logged once" \
	    "$(grep -c 'will retry' "$TMP/ro.err")" 1
	# (no reader opens it meanwhile: one that did as root would make the
	# -shm file with the read-only mode of the moment)
	chmod 0755 "$RO"
	chmod 0640 "$RO/r.db"
	wait_until 30 events_are "$RO/r.db" 13000
	check "read-only: recovered by itself once writable" \
	    "$(q "$RO/r.db" "SELECT count(*) FROM event")" 13000
	exec 3>&-
	wait $CPID
	check "read-only: exit 0 at EOF" "$?" 0
	head -13000 "$STREAM" >"$TMP/want"
	"$MAILTRAIL" export -d "$RO/r.db" --raw >"$TMP/got"
	check_cmd "read-only: every line stored, in order" cmp "$TMP/want" "$TMP/got"
	echo "# read-only: $(sed 's/^/  /' "$TMP/ro.err" | tr '\n' ' ')"
else
	skip "read-only database: SKIPPED: needs root to run as another user"
fi

# --- 6. nowhere to keep the lines: a lock past the last try at EOF, and
# a directory where the journal would be made ---------------------------
DB=$TMP/nospill.db
head -1000 "$STREAM" | "$MAILTRAIL" collect -d "$DB" >/dev/null
mkdir "$DB-spill"
python3 "$TESTS/lock.py" "$DB" 50 >"$TMP/nospill.lock" &
LPID=$!
wait_until 20 grep -q locked "$TMP/nospill.lock"
sed -n '1001,4000p' "$STREAM" | "$MAILTRAIL" collect -d "$DB" >/dev/null \
    2>"$TMP/nospill.err"
check "no journal: exit 0 at EOF" "$?" 0
check "no journal: says how many lines were lost" \
    "$(grep -c 'exiting with 3000 lines lost' "$TMP/nospill.err")" 1
check "no journal: does not say they wait in it" \
    "$(grep -c 'wait in' "$TMP/nospill.err")" 0
kill "$LPID"
wait "$LPID" 2>/dev/null
check "no journal: nothing stored meanwhile" \
    "$(q "$DB" "SELECT count(*) FROM event")" 1000
echo "# no journal: $(sed 's/^/  /' "$TMP/nospill.err" | tr '\n' ' ')"
