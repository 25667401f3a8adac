# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-access.sh: a reader who is only a member of the database's group
# (directory 2750, database 0640, as the collector leaves them) reads it
# whether or not the collector is running; when it cannot, the error
# names the path and says why.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "a reader in the database's group: SKIPPED: needs root" \
	    "(to make the group and the user)"
	exit 0
fi
GROUP=mtreaders
READER=mtreader
getent group $GROUP >/dev/null || groupadd -r $GROUP
id $READER >/dev/null 2>&1 || useradd -r -M -N -g nogroup -G $GROUP \
    -s /usr/sbin/nologin $READER
CAP=$DATA/0.6/b-multi-rcpt.log
DIR=$TMP/lib
mkdir -m 2750 "$DIR"
chgrp $GROUP "$DIR"
chmod 0755 "$TMP"
as_reader() { runuser -u $READER -- "$MAILTRAIL" "$@"; }

"$MAILTRAIL" replay -d "$DIR/trail.db" "$CAP"
check "a writer leaves the -wal and -shm files, group readable" \
    "$(cd "$DIR" && stat -c '%n %a %G' trail.db* | tr '\n' ' ')" \
    "trail.db 640 $GROUP trail.db-shm 640 $GROUP trail.db-wal 640 $GROUP "
check "a writer leaves the -wal file empty: no reader reads it again" \
    "$(stat -c %s "$DIR/trail.db-wal")" 0
as_reader trace -d "$DIR/trail.db" to:reject-dave@sink.test \
    >"$TMP/out" 2>"$TMP/err"
check "no collector: trace as a group member" \
    "$?:$(head -1 "$TMP/out" | cut -c1-40):$(cat "$TMP/err")" \
    "0:failed  labuser@local.test -> reject-dav:"

# Without them (an older database, or checkpointed by another program),
# the reader cannot make the -shm file: it reads the file as it is.
sqlite3 "$DIR/trail.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$DIR/trail.db-wal" "$DIR/trail.db-shm"
as_reader trace -d "$DIR/trail.db" to:reject-dave@sink.test \
    >"$TMP/out" 2>"$TMP/err"
check "no -wal nor -shm: trace as a group member" \
    "$?:$(head -1 "$TMP/out" | cut -c1-40):$(cat "$TMP/err")" \
    "0:failed  labuser@local.test -> reject-dav:"
as_reader report summary -d "$DIR/trail.db" >"$TMP/out" 2>"$TMP/err"
check "no -wal nor -shm: report as a group member" "$?:$(cat \
    "$TMP/err"):$(grep -c 'received' "$TMP/out" |
    awk '$1 > 0 { print "some" }')" "0::some"
check "no -wal nor -shm: the reader left no file behind" \
    "$(ls "$DIR" | tr '\n' ' ')" "trail.db "

# The collector running: its -wal and -shm are there, group readable.
mkfifo "$TMP/fifo"
"$MAILTRAIL" collect -d "$DIR/trail.db" <"$TMP/fifo" >/dev/null 2>&1 &
cpid=$!
exec 3>"$TMP/fifo"
grep -v '^config|' "$DATA/0.6/a-relay-ok.log" >&3
wait_until 10 [ -n "$(as_reader sql -d "$DIR/trail.db" "SELECT 1 FROM
    v_envelope WHERE rcpt_to = 'bob@sink.test' LIMIT 1" 2>/dev/null)" ]
check "collector running: a group member reads what it committed" \
    "$(as_reader trace -d "$DIR/trail.db" to:bob@sink.test 2>&1 |
    head -1 | cut -c1-9)" "delivered"
check "collector running: its files are group readable" \
    "$(stat -c '%a %G' "$DIR/trail.db-wal" "$DIR/trail.db-shm" |
    tr '\n' ' ')" "640 $GROUP 640 $GROUP "
exec 3>&-
wait $cpid

# When it truly cannot read, the error says why and names the path.
chmod 0600 "$DIR/trail.db"
as_reader trace -d "$DIR/trail.db" to:bob@sink.test >/dev/null 2>"$TMP/err"
check "no permission: exit 1, the path and why" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: $DIR/trail.db: cannot read: Permission denied"
as_reader report summary -d "$DIR/none.db" >/dev/null 2>"$TMP/err"
check "no such file: exit 1, the path and why" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: $DIR/none.db: No such file or directory"

# A writer that may not write: the file (it is there: not "create"),
# or the directory its -wal and -shm files go in.
chmod 0640 "$DIR/trail.db"
as_reader replay -d "$DIR/trail.db" "$CAP" >/dev/null 2>"$TMP/err"
check "a file it may not write: exit 1, said so" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: $DIR/trail.db: cannot write the database file: \
Permission denied"
mkdir -m 0755 "$TMP/ro"
cp "$DIR/trail.db" "$TMP/ro/trail.db"
chown $READER "$TMP/ro/trail.db"
as_reader replay -d "$TMP/ro/trail.db" "$CAP" >/dev/null 2>"$TMP/err"
check "a directory it may not write: exit 1, which files need it" \
    "$?:$(sed 's/: [^:(]*(/: (/' "$TMP/err")" "1:mailtrail: \
$TMP/ro/trail.db: cannot set up the database: (the -wal and -shm files \
need a directory it may write)"

# A writer run as root before the collector made the database (maillog
# on a new install) makes it the directory owner's, as the collector
# would have: not root's, which the collector could not write.
COL=$TMP/col
mkdir -m 750 "$COL"
chown $READER:$GROUP "$COL"
"$MAILTRAIL" maillog -d "$COL/trail.db" \
    "$DATA/maillog/syslog/b-multi-rcpt-6.8.log" 2>/dev/null
check "root's new database in another's directory: that user's" \
    "$(cd "$COL" && stat -c '%n %U %G %a' trail.db* | tr '\n' ' ')" \
    "trail.db $READER $GROUP 640 trail.db-shm $READER $GROUP 640 \
trail.db-wal $READER $GROUP 640 "
runuser -u $READER -- "$MAILTRAIL" replay -d "$COL/trail.db" "$CAP" \
    2>"$TMP/err"
check "then its owner writes it" "$?:$(cat "$TMP/err"):$(q "$COL/trail.db" \
    "SELECT count(*) > 0 FROM life")" "0::1"
# ... but not a file it did not make: a link the directory's owner put
# there leads to a file that stays root's
: >"$TMP/roots"
chmod 600 "$TMP/roots"
ln -s "$TMP/roots" "$COL/link.db"
"$MAILTRAIL" maillog -d "$COL/link.db" \
    "$DATA/maillog/syslog/b-multi-rcpt-6.8.log" >/dev/null 2>&1
check "a link to root's file: the file stays root's" \
    "$(stat -c '%U' "$TMP/roots")" root
