# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# fault-disk.sh DIR STREAM: run inside a private mount namespace by
# t-faults.sh.  A small tmpfs on DIR holds the database; it is filled up
# while the collector runs, then space comes back.  Prints check lines.
. "$(dirname "$0")/lib.sh"

DIR=$1
STREAM=$2
mount -t tmpfs -o size=24m tmpfs "$DIR" || { skip "disk faults: cannot mount a tmpfs"; exit 0; }
DB=$DIR/d.db
mkfifo "$TMP/fifo"
"$MAILTRAIL" collect -d "$DB" <"$TMP/fifo" >/dev/null 2>"$TMP/err" &
CPID=$!
exec 3>"$TMP/fifo"
alive() { kill -0 "$CPID" 2>/dev/null && echo alive; }

head -5000 "$STREAM" >&3
wait_until 20 events_are "$DB" 5000
dd if=/dev/zero of="$DIR/filler" bs=64k >/dev/null 2>&1
sed -n '5001,25000p' "$STREAM" >&3
wait_until 10 grep -q 'cannot commit' "$TMP/err"
sleep 1
check "disk full: collector alive" "$(alive)" alive
check "disk full: logged once, no flood" \
    "$(grep -c 'cannot commit' "$TMP/err")" 1
check "disk full: nothing stored meanwhile" \
    "$(q "$DB" "SELECT count(*) FROM event")" 5000
rm -f "$DIR/filler"
wait_until 30 events_are "$DB" 25000
check "disk full: recovered by itself once space came back" \
    "$(q "$DB" "SELECT count(*) FROM event")" 25000

exec 3>&-
wait $CPID
check "disk faults: exit 0 at EOF" "$?" 0
head -25000 "$STREAM" >"$TMP/want"
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "disk faults: every line stored, in order" cmp "$TMP/want" "$TMP/got"
check "disk faults: none lost" "$(counter "$DB" lost)" 0
check "disk faults: failed commits counted" \
    "$(test "$(counter "$DB" db_errors)" -gt 0 && echo yes)" yes
echo "# disk: $(counter "$DB" db_errors) failed commits; log:"
sed 's/^/#   /' "$TMP/err"
