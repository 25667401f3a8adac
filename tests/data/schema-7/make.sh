#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# make.sh OLD-MAILTRAIL: writes on stdout trail.sql, a database of
# schema 7 made by OLD-MAILTRAIL (mailtrail as of commit 46729f4) from
# the captures and maillogs listed in FILES below (README).
set -e
: "${1:?usage: make.sh OLD-MAILTRAIL >trail.sql}"
here=$(cd "$(dirname "$0")" && pwd)
DATA=$(dirname "$here")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schema-7.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
. "$here/files.sh"
"$1" replay -d "$tmp/t.db" $REPLAY
"$1" maillog -d "$tmp/t.db" $MAILLOG
printf '%s\n' "$EXPIRE" >"$tmp/expire.maillog"
"$1" maillog -d "$tmp/t.db" "$tmp/expire.maillog"
[ "$(sqlite3 "$tmp/t.db" 'PRAGMA user_version')" = 7 ] ||
    { echo "make.sh: $1 does not make schema 7" >&2; exit 1; }
sqlite3 "$tmp/t.db" .dump
# .dump leaves the schema's version out
echo "PRAGMA user_version = 7;"
