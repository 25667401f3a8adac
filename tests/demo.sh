#!/bin/sh
# demo.sh MAILTRAIL: load bundled real captures (OpenSMTPD 6.8.0p2 and
# 7.8) into a fresh database, show what mailtrail made of them, and how
# to look further.
set -eu
mt=$1
cd "$(dirname "$0")/.."
db=build/demo.db
mkdir -p build
rm -f "$db" "$db-wal" "$db-shm"
"$mt" replay -d "$db" tests/data/0.6/relay-suite.log \
    tests/data/0.6/b-multi-rcpt.log tests/data/0.7/c-starttls-auth-plain.log
echo "== loaded into $db"
"$mt" stats -d "$db" | sed -n '1p;5,7p;16,18p'
echo
echo "== what happened to each envelope"
sqlite3 -readonly -column -header "$db" "SELECT evpid, mail_from AS 'from',
    rcpt_to AS 'to', status, attempts AS tries,
    substr(coalesce(last_reply, ''), 1, 34) AS 'last reply'
    FROM v_envelope ORDER BY t_received"
echo
echo "== recipients refused at smtp-in"
sqlite3 -readonly -column -header "$db" "SELECT r.address, r.reply
    FROM rcpt r WHERE r.result != 0"
cat <<EOT

Look further:
  ./mailtrail stats -d $db
  sqlite3 $db "SELECT * FROM v_attempt WHERE evpid = 'e6a2001748c30318'"
  sqlite3 $db "SELECT time, subsystem, event, params FROM v_event
      WHERE session = '6d45c92089799280'"
  ./mailtrail export -d $db --raw | head
  man ./mailtrail.1
EOT
