# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-marks-prune.sh: as t-marks.sh, on the 0.7 captures and a capture cut
# in DATA, then a prune that takes traces away: the lives left are those
# built from scratch.
. "$(dirname "$0")/lib.sh"
. "$TESTS/marks.sh"

# 0.7: STARTTLS and AUTH, a message cut in DATA, a next hop stalling
fresh
stepped replay "$DATA/0.7/c-starttls-auth-plain.log" 1
fresh
stepped replay "$DATA/0.6/e-disconnect-in-data.log" 1
fresh
stepped replay "$DATA/0.7/p-next-hop-stalls.log" 1

# a prune takes traces away: the lives of what is left are kept
fresh
"$MAILTRAIL" replay -d "$INC" "$DATA/0.6/relay-suite.log"
"$MAILTRAIL" maillog -d "$INC" "$DATA/maillog/6.8/relay-suite.maillog"
cut=$(q "$INC" "SELECT (min(t_start) + max(t_start)) / 2000000 FROM session")
n0=$(q "$INC" "SELECT count(*) FROM life")
"$MAILTRAIL" prune -d "$INC" --no-vacuum \
    --older-than "$(date -u -d "@$cut" +%FT%TZ)" >/dev/null 2>"$TMP/err"
n1=$(q "$INC" "SELECT count(*) FROM life")
check "prune: some lives cut, some left ($n0 before, $n1 after)" \
    "$([ "$n1" -lt "$n0" ] && [ "$n1" -gt 0 ] && echo yes)" yes
built_again 2>>"$TMP/err"
same_lives "prune: the lives left as built again" "$TMP/ref.db" "$INC"
