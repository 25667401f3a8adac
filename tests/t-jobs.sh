# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-jobs.sh: export -j: the lives cut by time and written by several
# processes in turn are the same bytes, in the same order, as one
# process writes: on the bundled captures, a generated busy stream and
# a blast (many parts, some empty), with and without --summary and a
# query; what -j refuses; a reader that goes away and a full disk end
# it cleanly, each error said once.
. "$(dirname "$0")/lib.sh"

M=$TMP/mixed.db
for f in $MIXED; do
	"$MAILTRAIL" replay -d "$M" "$f" >/dev/null 2>&1
done
DBS=$M
if command -v python3 >/dev/null 2>&1; then
	for c in busy blast; do
		python3 "$TESTS/bench/gen-traffic.py" $c 20000 \
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
	    "$("$MAILTRAIL" export -d "$db" | cmp -s - "$TMP/one"; echo $?)" 0
done
check "a query: the same lives, split" \
    "$(same "$M" from:@sink.test status:delivered)" \
    "2 0 same 3 0 same 7 0 same "
check "a query, split: not empty" \
    "$("$MAILTRAIL" export -j 3 -d "$M" status:delivered | wc -l |
    tr -d ' ')" "$(q "$M" "SELECT count(*) FROM life WHERE status = 1")"

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
check "-j 1 with --events: as without it" \
    "$("$MAILTRAIL" export -j 1 --events -d "$M" | cmp -s - \
    "$("$MAILTRAIL" export --events -d "$M" >"$TMP/ev"; echo "$TMP/ev")";
    echo $?)" 0

# --- a reader that goes away, a full disk ----------------------------
B=$TMP/busy.db
[ -f "$B" ] || B=$M
rc=$({ timeout 60 "$MAILTRAIL" export -j 3 -d "$B" 2>"$TMP/err"
    echo $? >"$TMP/rc"; } | head -n 1 >/dev/null; cat "$TMP/rc")
case $rc in 0|1|141) rc=ended ;; esac
check "a reader gone after one line: no hang, no message" \
    "$rc $(wc -c <"$TMP/err")" "ended 0"
if [ -w /dev/full ]; then
	timeout 60 "$MAILTRAIL" export -j 3 -d "$B" >/dev/full 2>"$TMP/err"
	check "stdout full: exit 1, the error said once" \
	    "$? $(cat "$TMP/err")" "1 mailtrail: write error"
else
	skip "stdout full: no /dev/full"
fi
