# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-jobs.sh: export -j: the lives cut by time and written by several
# processes in turn are the same bytes, in the same order, as one
# process writes: on the bundled captures, a generated busy stream and
# a blast (many parts, some empty), and a time window, with and without
# --summary, and lives too large to hold until their turn; that a query
# of other terms is one process's; what -j refuses; a reader that goes
# away and a full disk end it cleanly, each error said once.
. "$(dirname "$0")/lib.sh"

M=$TMP/mixed.db
for f in $MIXED; do
	"$MAILTRAIL" replay -d "$M" "$f" >/dev/null 2>&1
done
DBS=$M
if command -v python3 >/dev/null 2>&1; then
	# a blast of 60,000 lines: sessions enough that the kept ones share
	# hash chains and are let go and read again
	for c in busy blast; do
		n=20000
		[ $c = blast ] && n=60000
		python3 "$TESTS/bench/gen-traffic.py" $c $n \
		    >"$TMP/$c.s" 2>/dev/null
		"$MAILTRAIL" replay -d "$TMP/$c.db" "$TMP/$c.s" >/dev/null 2>&1
		DBS="$DBS $TMP/$c.db"
	done
else
	skip "export -j on generated streams: no python3"
fi

# same DB ARGS...: -j 1 against -j 2, 3 and 7, byte for byte
same() {
	db=$1
	shift
	"$MAILTRAIL" export -j 1 -d "$db" "$@" >"$TMP/one" 2>&1
	for j in 2 3 7; do
		"$MAILTRAIL" export -j $j -d "$db" "$@" >"$TMP/split" 2>&1
		echo "$j $? $(cmp -s "$TMP/one" "$TMP/split" && echo same)"
	done | tr '\n' ' '
}

for db in $DBS; do
	n=$(q "$db" "SELECT count(*) FROM life")
	check "$(basename "$db"): -j 1 writes a line a life" \
	    "$("$MAILTRAIL" export -j 1 -d "$db" | wc -l | tr -d ' ')" "$n"
	check "$(basename "$db"): -j 2, 3 and 7 write the same bytes" \
	    "$(same "$db")" "2 0 same 3 0 same 7 0 same "
	check "$(basename "$db"): and with --summary" \
	    "$(same "$db" --summary)" "2 0 same 3 0 same 7 0 same "
	"$MAILTRAIL" export -j 1 -d "$db" >"$TMP/one"
	check "$(basename "$db"): and without -j (as many as fit)" \
	    "$(out export -d "$db" | cmp -s - "$TMP/one"; echo $? $(wc -l \
	    <"$TMP/one"))" "0 $n"
done
check "a query with -j: the same lives (one process: see below)" \
    "$(same "$M" from:@sink.test status:delivered)" \
    "2 0 same 3 0 same 7 0 same "
check "a query with -j 3: every life it names" \
    "$("$MAILTRAIL" export -j 3 -d "$M" status:delivered | wc -l |
    tr -d ' ')" "$(q "$M" "SELECT count(*) FROM life WHERE status = 1")"
if [ -f "$TMP/busy.db" ]; then
	check "since: and until: of the query's own: the same" \
	    "$(same "$TMP/busy.db" since:2026-11-18T11:07:00Z \
	    until:2026-11-18T11:08:30Z)" "2 0 same 3 0 same 7 0 same "
	check "and with --summary" \
	    "$(same "$TMP/busy.db" since:2026-11-18T11:07:00Z \
	    until:2026-11-18T11:08:30Z --summary)" \
	    "2 0 same 3 0 same 7 0 same "
	check "two of each: the later since:, the earlier until:" \
	    "$(same "$TMP/busy.db" since:2026-11-18T11:06:30Z \
	    until:2026-11-18T11:09:00Z since:2026-11-18T11:07:00Z \
	    until:2026-11-18T11:08:30Z)" "2 0 same 3 0 same 7 0 same "
fi

# --- a part larger than export holds ---------------------------------
# A part whose lives print more than 8 MiB takes its turn early and is
# written as it is read.  40,000 NOOPs before the first MAIL FROM of a
# session with three recipients: each of their lives is about 12 MB.
# Their envelopes are given the first one's time, so the three are first
# seen at once and fall in one part: the second and third go out as
# they are read.
awk -F'|' -v OFS='|' -v n=40000 '
    $5 == "tx-envelope" && $6 == sid { if (te == "") te = $3; $3 = te }
    { print }
    !done && $5 == "protocol-server" && $7 == "250 HELP" {
	sid = $6
	for (i = 0; i < n; i++) {
		printf "%s|%s|%s|%s|protocol-client|%s|NOOP\n",
		    $1, $2, $3, $4, $6
		printf "%s|%s|%s|%s|protocol-server|%s|250 2.0.0 Ok\n",
		    $1, $2, $3, $4, $6
	}
	done = 1
    }' "$DATA/0.6/b-multi-rcpt.log" >"$TMP/big.s"
"$MAILTRAIL" replay -d "$TMP/big.db" "$TMP/big.s" >/dev/null 2>&1
check "three lives of 12 MB at one time: -j 2, 3 and 7, the same bytes" \
    "$("$MAILTRAIL" export -j 1 -d "$TMP/big.db" | awk 'length > 8388608' |
    wc -l | tr -d ' ') $(q "$TMP/big.db" "SELECT max(n) FROM (SELECT
    count(*) AS n FROM life GROUP BY t)") $(same "$TMP/big.db")" \
    "3 3 2 0 same 3 0 same 7 0 same "

# --- sessions shared by lives far apart -------------------------------
# In a blast, a reused smtp-out session comes back after a hundred lives
# and more: export keeps it (model_cache.c) where trace reads it anew
# for each evpid; both give each life the same object.
if [ -f "$TMP/blast.db" ]; then
	"$MAILTRAIL" export -j 1 -d "$TMP/blast.db" |
	    jq -c 'select(.evpid != null)' >"$TMP/lives"
	jq -r .evpid "$TMP/lives" | "$MAILTRAIL" trace -d "$TMP/blast.db" \
	    --json - | jq -c . >"$TMP/traced"
	check "blast: export's lives are trace's, one evpid at a time" \
	    "$(wc -l <"$TMP/lives") $(cmp -s "$TMP/lives" "$TMP/traced" &&
	    echo same)" "$(q "$TMP/blast.db" "SELECT count(*) FROM life
	    WHERE evpid IS NOT NULL") same"
fi

# --- what -j refuses -------------------------------------------------
for a in "-j 0" "-j 65" "-j two"; do
	"$MAILTRAIL" export $a -d "$M" >/dev/null 2>"$TMP/err"
	echo "$? $(cat "$TMP/err")"
done >"$TMP/bad"
check "-j out of range or not a number: exit 1, naming it" \
    "$(cut -c1-40 "$TMP/bad")" \
    "1 mailtrail: -j 0: too small (1 to 64)
1 mailtrail: -j 65: too large (1 to 64)
1 mailtrail: -j two: invalid (1 to 64)"
for a in --events --follow --sessions "--format ecs"; do
	"$MAILTRAIL" export -j 2 $a -d "$M" >/dev/null 2>"$TMP/err"
	echo "$? $(cat "$TMP/err")"
done >"$TMP/bad"
check "-j 2 with what is not split: exit 1, saying so" \
    "$(sort -u "$TMP/bad")" \
    "1 mailtrail: -j 2: only lives from one database, as JSON, are split"
"$MAILTRAIL" export --events -d "$M" >"$TMP/ev"
check "-j 1 with --events: as without it, an object an event" \
    "$(out export -j 1 --events -d "$M" | cmp -s - "$TMP/ev"; echo $? \
    $(wc -l <"$TMP/ev"))" "0 $(q "$M" "SELECT count(*) FROM event")"

# --- the processes, seen -----------------------------------------------
B=$TMP/busy.db
[ -f "$B" ] || B=$M
"$MAILTRAIL" export -j 1 -d "$B" >"$TMP/one"
# children PID: the processes PID started (a blocked reader keeps them)
children() {
	cat /proc/"$1"/task/*/children 2>/dev/null | wc -w
}
mkfifo "$TMP/fifo"
# procs N S ARGS...: export -j 3 ARGS into the FIFO, held until N more
# processes are seen (or S seconds): "STATUS PROCESSES", the output in
# split
procs() {
	want=$1
	secs=$2
	shift 2
	"$MAILTRAIL" export -j 3 -d "$B" "$@" >"$TMP/fifo" &
	pid=$!
	exec 3<"$TMP/fifo"
	wait_until $secs sh -c "[ \$(cat /proc/$pid/task/*/children |
	    wc -w) -ge $want ]" || :
	n=$(children $pid)
	cat <&3 >"$TMP/split"
	exec 3<&-
	wait $pid
	echo "$? $n"
}
check "-j 3: two more processes, their output that of one" \
    "$(procs 2 10) $(cmp -s "$TMP/one" "$TMP/split" && echo same)" "0 2 same"
# a time window is cut as the whole database is; a query's lives come
# from an index that a part's time bounds do not narrow: each part would
# read them all again, so one process does.  Each export below blocks
# on the FIFO (its output is larger than a pipe holds) until it is read.
if [ -f "$TMP/busy.db" ]; then
	w="since:2026-11-18T11:06:00Z until:2026-11-18T11:09:00Z"
	"$MAILTRAIL" export -j 1 -d "$B" $w >"$TMP/one"
	check "-j 3 with since: and until:: two more processes" \
	    "$(procs 2 10 $w) $(cmp -s "$TMP/one" "$TMP/split" && echo same)" \
	    "0 2 same"
	"$MAILTRAIL" export -j 1 -d "$B" from:sender1@org941.test >"$TMP/one"
	check "-j 3 with a query other than since: and until:: one process" \
	    "$(procs 1 2 from:sender1@org941.test) $(cmp -s "$TMP/one" \
	    "$TMP/split" && echo same)" "0 0 same"
fi

# --- errors: said once, in their turn --------------------------------
# every 40th page of events overwritten: each process meets one
C=$TMP/corrupt.db
cp "$B" "$C"
ps=$(q "$C" "PRAGMA page_size")
for p in $(q "$C" "SELECT pageno FROM dbstat WHERE name = 'event' AND
    pagetype = 'leaf'" | awk 'NR % 40 == 20'); do
	printf "%${ps}s" | dd of="$C" bs="$ps" seek=$((p - 1)) count=1 \
	    conv=notrunc 2>/dev/null
done
"$MAILTRAIL" export -j 1 -d "$C" >"$TMP/c1" 2>"$TMP/e1"
r1=$?
"$MAILTRAIL" export -j 3 -d "$C" >"$TMP/c3" 2>"$TMP/e3"
r3=$?
check "a damaged database, one process: exit 1, said once" \
    "$r1 $(cat "$TMP/e1")" "1 mailtrail: database disk image is malformed"
check "split: the same lives out first, the same error once" \
    "$r3 $(cat "$TMP/e3") $(cmp -s "$TMP/c1" "$TMP/c3" && echo same)" \
    "1 mailtrail: database disk image is malformed same"

# --- a reader that goes away, a full disk ----------------------------
# with --summary, parts of -j 3 are smaller than a pipe: the first
# process's first part goes in whole, and another meets the reader gone
for a in "-j 1" "-j 3" "-j 3 --summary"; do
	{ timeout 60 "$MAILTRAIL" export $a -d "$B" 2>"$TMP/err"
	    echo $? >"$TMP/rc"; } | head -n 1 >/dev/null
	echo "$a: $(cat "$TMP/rc") $(wc -c <"$TMP/err")"
done >"$TMP/gone"
check "a reader gone after one line: SIGPIPE, no message, as one process" \
    "$(cat "$TMP/gone")" "-j 1: 141 0
-j 3: 141 0
-j 3 --summary: 141 0"
if [ -w /dev/full ]; then
	timeout 60 "$MAILTRAIL" export -j 3 -d "$B" >/dev/full 2>"$TMP/err"
	check "stdout full: exit 1, the error said once" \
	    "$? $(cat "$TMP/err")" "1 mailtrail: write error"
else
	skip "stdout full: no /dev/full"
fi
