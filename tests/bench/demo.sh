#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# demo.sh MAILTRAIL: load bundled real captures (OpenSMTPD 6.8.0p2 and
# 7.8) into a fresh database, show what mailtrail made of them, and how
# to look further.
set -eu
mt=$1
cd "$(dirname "$0")/../.."
db=build/demo.db
mkdir -p build
rm -f "$db" "$db-wal" "$db-shm"
"$mt" replay -d "$db" tests/data/0.6/relay-suite.log \
    tests/data/0.6/b-multi-rcpt.log tests/data/0.7/c-starttls-auth-plain.log
echo "== loaded into $db"
"$mt" stats -d "$db" | sed -n '1p;5,7p;16,18p'
echo
echo "== what happened to each recipient (mailtrail export --summary | jq)"
"$mt" export -d "$db" --summary | jq -r '[.evpid // "-", .status,
    (if .mail_from == "" then "<>" else .mail_from end), .rcpt_to,
    (.attempts | length), ((.reply // "")[0:40])] | @tsv' |
    awk -F '\t' 'BEGIN { f = "%-16s  %-9s  %-21s  %-24s  %5s  %s\n";
    printf f, "EVPID", "STATUS", "FROM", "TO", "TRIES", "REPLY" }
    { printf f, $1, $2, $3, $4, $5, $6 }'
echo
echo "== where is the mail alice sent to bob? (mailtrail trace to:bob@dest.test)"
"$mt" trace -d "$db" to:bob@dest.test
cat <<EOT
Look further:
  ./mailtrail trace -d $db status:failed        (also: deferred, rejected, ...)
  ./mailtrail trace -d $db 6d45c9244db742cd     (every mail of one session)
  ./mailtrail trace -d $db --json e6a2001748c30318 | jq .
  ./mailtrail export -d $db --events | head     (docs/json.md)
  ./mailtrail stats -d $db
  man ./mailtrail.1
EOT
