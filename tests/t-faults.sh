# t-faults.sh: faults injected while the collector runs.  Each asserts
# that no line was lost and that the collector never exited.
. "$(dirname "$0")/lib.sh"

LOCK_S=${FAULT_LOCK_S:-30}
STREAM=$TMP/stream
sh "$TESTS/gen.sh" "$DATA/0.6/relay-suite.log" 200000 >"$STREAM"
TOTAL=$(wc -l <"$STREAM")
"$MAILTRAIL" replay -d "$TMP/straight.db" "$STREAM"
envelopes "$TMP/straight.db" >"$TMP/straight.env"
refusals "$TMP/straight.db" >"$TMP/straight.ref"

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
check "lock: spilled lines counted, none lost" \
    "$(test "$(counter "$DB" spilled)" -gt 0 && echo yes) $(counter "$DB" lost)" \
    "yes 0"
check "lock: journal removed once read" \
    "$(test -e "$DB-spill" && echo left || echo removed)" removed
echo "# lock: $TOTAL lines sent, $(counter "$DB" spilled) spilled," \
    "$(counter "$DB" db_errors) failed commits, lock ${LOCK_S}s," \
    "stream read in $((t1 - t0))s"

# --- 2. kill -9 at random points, then restart with what is missing ----
DB=$TMP/crash.db
kills=0
integrity=ok
prefix=ok
for i in $(seq 12); do
	done_n=$(q "$DB" "SELECT count(*) FROM event" 2>/dev/null || echo 0)
	[ "$done_n" -ge "$TOTAL" ] && break
	start_collect "$DB"
	sh "$TESTS/pace.sh" "$STREAM" $((done_n + 1)) >&3 &
	FEED=$!
	sleep "0.$(shuf -i 10-60 -n 1)"
	kill -9 "$CPID" 2>/dev/null && kills=$((kills + 1))
	wait "$CPID" 2>/dev/null
	kill "$FEED" 2>/dev/null
	wait "$FEED" 2>/dev/null
	exec 3>&-
	[ "$(q "$DB" "PRAGMA integrity_check")" = ok ] || integrity=bad
	n=$(q "$DB" "SELECT count(*) FROM event")
	"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
	head -n "$n" "$STREAM" | cmp -s - "$TMP/got" || prefix=bad
	echo "# kill $i: $n lines stored"
done
check "kill -9: integrity_check ok after every kill ($kills kills)" \
    "$integrity" ok
check "kill -9: what is stored is always a whole prefix of the stream" \
    "$prefix" ok
done_n=$(q "$DB" "SELECT count(*) FROM event")
tail -n +$((done_n + 1)) "$STREAM" | "$MAILTRAIL" collect -d "$DB" >/dev/null
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "kill -9: a restarted collector continues: raw export whole" \
    cmp "$STREAM" "$TMP/got"
envelopes "$DB" >"$TMP/got.env"
check_cmd "kill -9: joined envelopes equal those of a straight replay" \
    cmp "$TMP/straight.env" "$TMP/got.env"
refusals "$DB" >"$TMP/got.ref"
check "kill -9: refused MAIL FROM and their events as in a straight replay" \
    "$(cmp "$TMP/straight.ref" "$TMP/got.ref" && wc -l <"$TMP/got.ref" |
    awk '$1 > 0 { print "same, some" }')" "same, some"
echo "# kill -9: $kills kills"

# --- 3. sessions that never disconnect are expired: memory stays flat ---
# RSS is measured on the build without sanitizers (MAILTRAIL_PLAIN), at
# two sizes past the point where SQLite's page cache is full.
PLAIN=${MAILTRAIL_PLAIN:-$MAILTRAIL}
sh "$TESTS/gen.sh" "$DATA/0.6/relay-suite.log" 600000 |
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
fi
echo "# memory: peak RSS ${r1} KiB at 300000 lines, ${r2} KiB at 600000" \
    "lines, $exp2 sessions expired"

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
