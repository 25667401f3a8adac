# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-check.sh: mailtrail check, the monitoring plugin, on a real capture
# (0.6 relay-suite: seven tries to dest.test, two deferred by "451 4.3.0
# try later", the envelope still deferred at the end): each threshold
# (queue age, deferral share, replies of a class, the collector's
# silence, lines lost) crosses OK, WARNING and CRITICAL as --now or the
# threshold moves, with the exact status line and exit code; the worst
# finding first; UNKNOWN (exit 3) on a missing database, a bad option,
# a bad threshold value.
. "$(dirname "$0")/lib.sh"

DB=$TMP/rs.db
"$MAILTRAIL" replay -d "$DB" "$DATA/0.6/relay-suite.log" >/dev/null 2>&1
# The collector's last commit, as it stands for a stream read live: at
# its last line, to the second (T0, in seconds).
T0=$(sqlite3 "$DB" "SELECT max(t) / 1000000 FROM event")
sqlite3 "$DB" "UPDATE counter SET value = $T0 * 1000000
    WHERE name = 'last_commit'"
# ACC: when the deferred envelope was accepted, in seconds
ACC=$(q "$DB" "SELECT t_accepted / 1000000 FROM v_pending")
echo "greylisted try later" >"$TMP/classes"

# at SECONDS: that time as --now takes it
at() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}
# st ARGS...: the exit code and the status line of check -c classes
st() {
	"$MAILTRAIL" check -c "$TMP/classes" "$@" >"$TMP/st.out" 2>&1
	echo "$?|$(cat "$TMP/st.out")"
}
# levels DESC ARGS OK-LINE FINDINGS OK OK-OPTS WARN WARN-OPTS CRIT
# CRIT-OPTS: one threshold crossing OK, WARNING and CRITICAL as its
# options move (st ARGS OPTS each): "DESC OK" is OK-LINE whole, "DESC
# WARN" and "DESC CRIT" are FINDINGS (the worst first) after their exit
# code and state, without the perfdata
levels() {
	check "$1 $5" "$(st $2 $6)" "$3"
	check "$1 $7" "$(st $2 $8 | cut -d'|' -f1,2)" \
	    "1|MAILTRAIL WARNING - $4 "
	check "$1 $9" "$(st $2 ${10} | cut -d'|' -f1,2)" \
	    "2|MAILTRAIL CRITICAL - $4 "
}

check "capture: one envelope deferred, accepted 27s before the last event" \
    "$(q "$DB" "SELECT evpid, status, domain, $T0 - $ACC FROM v_pending")" \
    "e6a2001748c30318|deferred|dest.test|27"

# The queue's oldest mail: its age against 1h and 4h (the defaults), the
# collector's silence held aside.
QUIET="--silence-warning 1d --silence-critical 2d"
check "queue: 1m26.9s old: OK, its destination and class named" \
    "$(st -d "$DB" $QUIET --now "$(at $((T0 + 60)))")" \
    "0|MAILTRAIL OK - oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1m00s after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=0.00%;;;0;100 silence=60s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "queue: 2h old: WARNING" \
    "$(st -d "$DB" $QUIET --now "$(at $((ACC + 7201)))")" \
    "1|MAILTRAIL WARNING - oldest deferred 2h00m to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1h59m after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=7200s;3600;14400;0 deferred=0.00%;;;0;100 silence=7174s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "queue: 5h old: CRITICAL" \
    "$(st -d "$DB" $QUIET --now "$(at $((ACC + 18001)))")" \
    "2|MAILTRAIL CRITICAL - oldest deferred 5h00m to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 4h59m after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=18000s;3600;14400;0 deferred=0.00%;;;0;100 silence=17974s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "queue: 1m26.9s old, --queue-age-warning 1m: WARNING" \
    "$(st -d "$DB" $QUIET --now "$(at $((T0 + 60)))" \
    --queue-age-warning 1m | cut -d'|' -f1,2)" \
    "1|MAILTRAIL WARNING - oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1m00s after 9 sessions in 15m, no lines lost "
# exactly 87s old (--now to the microsecond): a value above alerts, not
# one equal
ACCU=$(q "$DB" "SELECT t_accepted + 87000000 FROM v_pending")
AT87=$(date -u -d "@$((ACCU / 1000000))" +%Y-%m-%dT%H:%M:%S).$(printf %06d \
    $((ACCU % 1000000)))Z
check "queue: 87s old, --queue-age-critical 87s: OK (only above alerts)" \
    "$(st -d "$DB" $QUIET --now "$AT87" --queue-age-critical 87s |
    sed 's/, .*oldest=/ oldest=/; s/ deferred=.*//')" \
    "0|MAILTRAIL OK - oldest deferred 1m27s to dest.test (greylisted) oldest=87s;;87;0"
check "queue: 87s old, --queue-age-critical 86s: CRITICAL" \
    "$(st -d "$DB" $QUIET --now "$AT87" --queue-age-critical 86s |
    sed 's/ oldest deferred.*//')" "2|MAILTRAIL CRITICAL -"
check "queue: without the rules file, the class is the table's" \
    "$("$MAILTRAIL" check -d "$DB" $QUIET --now "$(at $((T0 + 60)))" |
    sed 's/,.*//')" "MAILTRAIL OK - oldest deferred 1m26s to dest.test (other)"

# Several waiting (0.7 e2e-suite: four queued, none tried yet): the
# oldest, and the count, as report queue has them at the same time.
E7=$TMP/e2e.db
"$MAILTRAIL" replay -d "$E7" "$DATA/0.7/e2e-suite.log" >/dev/null 2>&1
NOW=2026-12-06T01:00:00Z
"$MAILTRAIL" report queue -d "$E7" --at "$NOW" --json >"$TMP/rq.json"
check "queue: the oldest of four, queued (no class)" \
    "$(st -d "$E7" $QUIET --now "$NOW" | sed 's/, .*//')" \
    "0|MAILTRAIL OK - oldest queued 54m52s to dead.test"
check "queue: count and age equal report queue's" \
    "$(st -d "$E7" $QUIET --now "$NOW" | sed 's/.* | queue=\([0-9]*\);;;0 oldest=\([0-9]*\)s.*/\1 \2/')" \
    "$(jq -r '[.sections[0].rows[0].total, (.sections[1].rows[0].age |
    floor)] | join(" ")' "$TMP/rq.json")"

# A recipient's domain is bytes from the network: escaped, and no '|'
# that would start the perfdata.
cp "$DB" "$TMP/evil.db"
sqlite3 "$TMP/evil.db" "UPDATE life SET rcpt_to = 'x@Evil|te' || char(10) ||
    char(27) || 'st' WHERE status = 2"
check "queue: the domain escaped, its '|' made '/'" \
    "$(st -d "$TMP/evil.db" $QUIET --now "$(at $((T0 + 60)))" |
    sed 's/, .*//')" \
    '0|MAILTRAIL OK - oldest deferred 1m26s to evil/te\x0a\x1bst (greylisted)'

# The deferral share per destination over the window: 2 of 7 tries to
# dest.test (28.6%), of destinations with at least --deferral-min tries.
DW="-d $DB $QUIET --now $(at $((T0 + 60))) --deferral-min 5"
check "deferrals: 28.6% against 30% and 50%: OK" \
    "$(st $DW --deferral-warning 30 --deferral-critical 50%)" \
    "0|MAILTRAIL OK - oldest deferred 1m26s to dest.test (greylisted), 28.6% of 7 tries to dest.test deferred in 15m (greylisted), collector silent 1m00s after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=28.57%;30;50;0;100 silence=60s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "deferrals: 28.6% against 25%: WARNING" \
    "$(st $DW --deferral-warning 25% --deferral-critical 50%)" \
    "1|MAILTRAIL WARNING - 28.6% of 7 tries to dest.test deferred in 15m (greylisted), oldest deferred 1m26s to dest.test (greylisted), collector silent 1m00s after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=28.57%;25;50;0;100 silence=60s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "deferrals: 28.6% against 20% and 28%: CRITICAL" \
    "$(st $DW --deferral-warning 20 --deferral-critical 28)" \
    "2|MAILTRAIL CRITICAL - 28.6% of 7 tries to dest.test deferred in 15m (greylisted), oldest deferred 1m26s to dest.test (greylisted), collector silent 1m00s after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=28.57%;20;28;0;100 silence=60s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0"
check "deferrals: fewer tries than --deferral-min 8: not judged" \
    "$(st $DW --deferral-min 8 --deferral-critical 1 | cut -d'|' -f1,2 |
    sed 's/, collector.*//')" \
    "0|MAILTRAIL OK - oldest deferred 1m26s to dest.test (greylisted), no destination with 8 tries in 15m"
check "deferrals: the window moved past them (--now 16m on): OK" \
    "$(st -d "$DB" $QUIET --now "$(at $((T0 + 960)))" --deferral-min 1 \
    --deferral-critical 1 | cut -d'|' -f1,2 | sed 's/, collector.*//')" \
    "0|MAILTRAIL OK - oldest deferred 16m26s to dest.test (greylisted), no destination with 1 try in 15m"

# Replies of a class in the window: the two deferrals, greylisted by the
# rules file (-c); the table alone calls them "other".
CW="-d $DB $QUIET --now $(at $((T0 + 60))) --class greylisted"
levels "class: 2 greylisted against" "$CW" \
    "0|MAILTRAIL OK - oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, 2 greylisted replies in 15m, collector silent 1m00s after 9 sessions in 15m, no lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=0.00%;;;0;100 class_greylisted=2;2;5;0 silence=60s;86400;172800;0 lost=0c;;;0 spilled=0c;;;0" \
    "2 greylisted replies in 15m, oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1m00s after 9 sessions in 15m, no lines lost" \
    "2 and 5: OK" "--class-warning 2 --class-critical 5" \
    "1: WARNING" "--class-warning 1 --class-critical 5" \
    "0 and 1: CRITICAL" "--class-warning 0 --class-critical 1"
check "class: the window moved past them: 0, OK" \
    "$(st -d "$DB" $QUIET --now "$(at $((T0 + 960)))" --class greylisted \
    --class-warning 0 | cut -d'|' -f1,2 | sed 's/|MAILTRAIL OK - .*, \(0 grey\)/|\1/;
    s/, collector.*//')" "0|0 greylisted replies in 15m"
check "class: without the rules file, none is greylisted" \
    "$("$MAILTRAIL" check $CW --class-warning 0 | sed 's/ |.*//;
    s/ - .*, \(0 grey\)/ - \1/; s/, collector.*//')" \
    "MAILTRAIL OK - 0 greylisted replies in 15m"

# The collector's silence after a window with traffic: against 10m and
# 30m (the defaults); with no session in the window before its last
# commit, smtpd was quiet and silence is no fault.
check "silence: 5m after 9 sessions: OK" \
    "$(st -d "$DB" --now "$(at $((T0 + 300)))" | cut -d'|' -f1,2)" \
    "0|MAILTRAIL OK - oldest deferred 5m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 5m00s after 9 sessions in 15m, no lines lost "
check "silence: 20m: WARNING" \
    "$(st -d "$DB" --now "$(at $((T0 + 1200)))")" \
    "1|MAILTRAIL WARNING - collector silent 20m00s after 9 sessions in 15m, oldest deferred 20m26s to dest.test (greylisted), no destination with 10 tries in 15m, no lines lost | queue=1;;;0 oldest=1226s;3600;14400;0 deferred=0.00%;;;0;100 silence=1200s;600;1800;0 lost=0c;;;0 spilled=0c;;;0"
check "silence: 45m: CRITICAL" \
    "$(st -d "$DB" --now "$(at $((T0 + 2700)))" | cut -d'|' -f1,2)" \
    "2|MAILTRAIL CRITICAL - collector silent 45m00s after 9 sessions in 15m, oldest deferred 45m26s to dest.test (greylisted), no destination with 10 tries in 15m, no lines lost "
check "silence: 20m against --silence-warning 30m: OK" \
    "$(st -d "$DB" --now "$(at $((T0 + 1200)))" --silence-warning 30m \
    --silence-critical 1h | sed 's/ after .*//')" "0|MAILTRAIL OK - \
oldest deferred 20m26s to dest.test (greylisted), no destination with 10 \
tries in 15m, collector silent 20m00s"
check "silence: 45m against --silence-warning 1h alone: OK (no default critical)" \
    "$(st -d "$DB" --now "$(at $((T0 + 2700)))" --silence-warning 1h |
    sed 's/.* silence=/silence=/; s/ .*//')" "silence=2700s;3600;;0"
cp "$DB" "$TMP/quiet.db"
sqlite3 "$TMP/quiet.db" "UPDATE counter SET value = ($T0 + 3600) * 1000000
    WHERE name = 'last_commit'"
check "silence: 45m after a quiet hour: no fault" \
    "$(st -d "$TMP/quiet.db" --now "$(at $((T0 + 6300)))" \
    --queue-age-warning 1d | cut -d'|' -f1,2)" \
    "0|MAILTRAIL OK - oldest deferred 1h45m to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 45m00s, no sessions in 15m before, no lines lost "

# Lines lost: the collector's counter, as it saves it with each commit.
sqlite3 "$DB" "INSERT OR REPLACE INTO counter(name, value)
    VALUES ('lost', 3), ('spilled', 40)"
LW="-d $DB $QUIET --now $(at $((T0 + 60)))"
levels "lost: 3 against" "$LW" \
    "0|MAILTRAIL OK - oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1m00s after 9 sessions in 15m, 3 lines lost | queue=1;;;0 oldest=86s;3600;14400;0 deferred=0.00%;;;0;100 silence=60s;86400;172800;0 lost=3c;5;;0 spilled=40c;;;0" \
    "3 lines lost, oldest deferred 1m26s to dest.test (greylisted), no destination with 10 tries in 15m, collector silent 1m00s after 9 sessions in 15m" \
    "5: OK, spilled in the perfdata" "--lost-warning 5" \
    "0: WARNING" "--lost-warning 0" \
    "0 and 2: CRITICAL" "--lost-warning 0 --lost-critical 2"

# The worst state wins, its findings first, then the warnings.
check "worst first: lost (critical), then silence (warning), then OK" \
    "$(st -d "$DB" --now "$(at $((T0 + 1200)))" --lost-critical 2 |
    cut -d'|' -f1,2)" \
    "2|MAILTRAIL CRITICAL - 3 lines lost, collector silent 20m00s after 9 sessions in 15m, oldest deferred 20m26s to dest.test (greylisted), no destination with 10 tries in 15m "

# UNKNOWN, exit 3, the reason on the status line (not "mailtrail: ...").
check "missing database: UNKNOWN" "$(st -d "$TMP/none.db")" \
    "3|MAILTRAIL UNKNOWN - $TMP/none.db: No such file or directory"
echo "not a database" >"$TMP/junk.db"
check "not a database: UNKNOWN" "$(st -d "$TMP/junk.db" | sed 's/ (.*//')" \
    "3|MAILTRAIL UNKNOWN - $TMP/junk.db: not a mailtrail database"
check "unknown option: UNKNOWN" "$(st -d "$DB" --queue-warning 1h)" \
    "3|MAILTRAIL UNKNOWN - unknown option --queue-warning"
check "unknown option in a group: itself named" "$(st -d "$DB" -xy)" \
    "3|MAILTRAIL UNKNOWN - unknown option -x"
check "a prefix of two options: ambiguous, said so" \
    "$(st -d "$DB" --lost 3)" \
    "3|MAILTRAIL UNKNOWN - ambiguous option --lost: it begins 2 of them"
check "two -d: UNKNOWN" "$(st -d "$DB" -d "$DB")" \
    "3|MAILTRAIL UNKNOWN - -d: one database, not two"
check "option without its value: UNKNOWN" "$(st -d "$DB" --window)" \
    "3|MAILTRAIL UNKNOWN - option --window needs a value"
check "bad duration: UNKNOWN, the value named" \
    "$(st -d "$DB" --queue-age-critical 4hours)" \
    "3|MAILTRAIL UNKNOWN - bad value for --queue-age-critical: \"4hours\""
check "bad share: UNKNOWN, the value named" \
    "$(st -d "$DB" --deferral-warning 120%)" \
    "3|MAILTRAIL UNKNOWN - bad value for --deferral-warning: \"120%\""
check "bad count: UNKNOWN, the value named" \
    "$(st -d "$DB" --lost-warning -1)" \
    "3|MAILTRAIL UNKNOWN - bad value for --lost-warning: \"-1\""
check "bad class: UNKNOWN, the value named" \
    "$(st -d "$DB" --class greylist)" \
    "3|MAILTRAIL UNKNOWN - bad value for --class: \"greylist\""
check "bad --now: UNKNOWN" "$(st -d "$DB" --now soon)" \
    "3|MAILTRAIL UNKNOWN - bad value for --now: \"soon\""
check "unreadable rules file: UNKNOWN" \
    "$("$MAILTRAIL" check -d "$DB" -c "$TMP/none"; echo "rc=$?")" \
    "MAILTRAIL UNKNOWN - $TMP/none: No such file or directory
rc=3"
