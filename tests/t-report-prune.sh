# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-report-prune.sh: retention.  mailtrail prune removes whole traces
# only: every life that survives has the same trace --json (export)
# before and after, no surviving row or event names what was removed,
# and what goes is what the rule says, counted from the stream with awk;
# a retried envelope keeps its old first attempt; collect --retain
# prunes while it ingests; the space comes back.
. "$(dirname "$0")/lib.sh"

NOW=$(date +%s)
WAIT=$((5 * 86400 * 1000000))	# us: a waiting envelope stays 5 days more

# lives DB OUT: every life, as export prints it (trace --json's objects)
lives() { "$MAILTRAIL" export -d "$1" >"$2"; }

# survivors TAG BEFORE AFTER: every life left is the same as before
survivors() {
	n=$(grep -cFxvf "$2" "$3")
	check "$1: every surviving life's trace is unchanged" "$n" 0
}

# whole TAG DB: nothing left names a row that went
whole() {
	check "$1: no half trace is left" "$(q "$2" "SELECT
	    (SELECT count(*) FROM attempt a WHERE NOT EXISTS (SELECT 1 FROM
	    envelope e WHERE e.evpid = a.evpid) OR NOT EXISTS (SELECT 1 FROM
	    session s WHERE s.id = a.session)) +
	    (SELECT count(*) FROM envelope e WHERE e.tx IS NOT NULL AND NOT
	    EXISTS (SELECT 1 FROM tx t WHERE t.id = e.tx)) +
	    (SELECT count(*) FROM tx t WHERE NOT EXISTS (SELECT 1 FROM
	    session s WHERE s.id = t.session)) +
	    (SELECT count(*) FROM rcpt r WHERE NOT EXISTS (SELECT 1 FROM tx t
	    WHERE t.id = r.tx)) +
	    (SELECT count(*) FROM event v WHERE v.s IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM session s WHERE s.id = v.s)) +
	    (SELECT count(*) FROM event v WHERE v.k % 32 = 11 AND NOT EXISTS
	    (SELECT 1 FROM envelope e WHERE printf('%016x', e.evpid) =
	    substr(v.x, instr(v.x, '|') + 1))) +
	    (SELECT count(*) FROM out_refusal o WHERE NOT EXISTS (SELECT 1
	    FROM session s WHERE s.id = o.session))")" 0
}

# removable CUTOFF: the sessions the rule removes, counted from a
# generated stream on stdin, where each instance (the first 8 digits of
# a session id) is one trace: it goes if all of it happened before the
# cutoff and each of its envelopes was delivered or failed, or first
# seen WAIT before the cutoff.  Prints "sessions envelopes".
removable() {
	awk -F'|' -v cut="$1" -v wait="$WAIT" '
	function us(t,    p) {
		p = index(t, ".")
		return substr(t, 1, p - 1) * 1000000 + substr(t, p + 1)
	}
	function fin(e) { final[e] = 1 }
	{ t = us($3); i = substr($6, 1, 8); if (t > last[i]) last[i] = t }
	$5 == "link-connect" { ns[i]++ }
	$4 == "smtp-in" && $5 == "tx-envelope" { env[$8] = i; first[$8] = t }
	$4 == "smtp-out" && $5 == "tx-envelope" { w[$6] = $8 }
	$4 == "smtp-out" && $5 == "protocol-client" { cmd[$6] = $7 }
	$4 == "smtp-out" && $5 == "protocol-server" {
		c = substr($7, 1, 1)
		if (w[$6] != "") {
			if (c == "2")
				acc[$6] = acc[$6] " " w[$6]
			else if (c == "5")
				fin(w[$6])
			w[$6] = ""
		} else if (cmd[$6] == ".") {
			n = split(acc[$6], a, " ")
			for (k = 1; k <= n; k++)
				if (c != "4")
					fin(a[k])
			acc[$6] = ""
		}
	}
	END {
		for (e in env)
			if (!(e in final) && first[e] >= cut - wait)
				young[env[e]] = 1
		for (i in last)
			if (last[i] < cut && !(i in young)) {
				s += ns[i]
				for (e in env)
					if (env[e] == i)
						ne++
			}
		print s + 0, ne + 0
	}'
}

# The real captures: at 19:40:50 only the session of refused commands
# (no envelope) has ended with all of its trace; the shared smtp-out
# session 6d45c9244db742cd keeps every message it carried, and the
# envelope whose MAIL FROM the next hop refused still waits.
CAP=$TMP/cap.db
"$MAILTRAIL" replay -d "$CAP" "$DATA/0.6/relay-suite.log" \
    "$DATA/0.6/b-multi-rcpt.log" "$DATA/0.7/c-starttls-auth-plain.log"
lives "$CAP" "$TMP/cap.before"
check_cmd "prune of the captures" "$MAILTRAIL" prune -d "$CAP" \
    --older-than 2026-11-23T19:40:50Z
check "captures: what it says" "$(head -2 "$TMP/cmd.out")" \
    "removed 1 traces ended before 2026-11-23T19:40:50.000000Z: 1 sessions, 0 envelopes, 48 rows
kept 8 sessions of traces that go on past it"
lives "$CAP" "$TMP/cap.after"
survivors captures "$TMP/cap.before" "$TMP/cap.after"
check "captures: the life that went is the refused recipient" \
    "$(grep -Fxvf "$TMP/cap.after" "$TMP/cap.before" |
    jq -r '"\(.status) \(.rcpt_to) \(.received.session)"')" \
    "rejected x y 6d45c92d43667b22"
check "captures: the report views' events were there to go" \
    "$(q "$CAP" "SELECT count(*) > 0 FROM event_rare")" 1
check "captures: its session went with its events" "$(q "$CAP" "SELECT
    count(*) FROM session WHERE sid = 0x6d45c92d43667b22") $(q "$CAP" \
    "SELECT count(*) FROM v_event WHERE session = '6d45c92d43667b22'")" "0 0"
whole captures "$CAP"
check_cmd "captures: prune again at the end of time" "$MAILTRAIL" prune \
    -d "$CAP" --older-than 2030-01-01
check "captures: then nothing is left" "$(q "$CAP" "SELECT (SELECT count(*)
    FROM event) + (SELECT count(*) FROM session) + (SELECT count(*) FROM
    envelope) + (SELECT count(*) FROM tx) + (SELECT count(*) FROM rcpt) +
    (SELECT count(*) FROM attempt) + (SELECT count(*) FROM out_refusal) +
    (SELECT count(*) FROM event_rare)")" 0

# What maillog said of the envelopes removed goes with them.
ML=$TMP/ml.db
"$MAILTRAIL" replay -d "$ML" "$DATA/0.6/a-relay-ok.log" \
    "$DATA/0.6/b-multi-rcpt.log"
"$MAILTRAIL" maillog -d "$ML" "$DATA/maillog/6.8/a-relay-ok.maillog" \
    "$DATA/maillog/6.8/b-multi-rcpt.maillog" >/dev/null
q "$ML" "SELECT evpid FROM envelope" >"$TMP/ml.evpids"
n=$(q "$ML" "SELECT count(*) FROM outcome WHERE evpid IN
    (SELECT evpid FROM envelope)")
"$MAILTRAIL" prune -d "$ML" --older-than 2030-01-01 >/dev/null
check "maillog: the outcome rows of removed envelopes go too" \
    "$([ "$n" -gt 0 ] && echo some) $(q "$ML" "SELECT count(*) FROM outcome
    WHERE evpid IN ($(paste -sd, "$TMP/ml.evpids")) OR kind =
    'smtp-message'")" "some 0"

# A generated stream over 8 days, ten days ago; the cutoff seven days
# in.
START=$((NOW - 10 * 86400))
CUT=$((START + 7 * 86400))
GEN=$TMP/gen.log
sh "$TESTS/bench/gen-known.sh" -n 1200 -s 600 -t "$START" -r 3 >"$GEN"
DB=$TMP/gen.db
"$MAILTRAIL" replay -d "$DB" "$GEN"
lives "$DB" "$TMP/gen.before"
SIZE0=$(stat -c %s "$DB")
check_cmd "prune of the generated stream" "$MAILTRAIL" prune -d "$DB" \
    --older-than "$(date -u -d @$CUT +%FT%TZ)"
lives "$DB" "$TMP/gen.after"
survivors generated "$TMP/gen.before" "$TMP/gen.after"
whole generated "$DB"
set -- $(removable ${CUT}000000 <"$GEN")
check "generated: the sessions and envelopes the rule removes" \
    "$(sed -n 's/.*: \([0-9]*\) sessions, \([0-9]*\) envelopes.*/\1 \2/p' \
    "$TMP/cmd.out")" "$1 $2"
check "generated: and they are gone" "$(q "$DB" "SELECT count(*) FROM
    session") $(q "$DB" "SELECT count(*) FROM envelope")" \
    "$(($(grep -c '|link-connect|' "$GEN") - $1)) $(($(grep -c \
    '|smtp-in|tx-envelope|' "$GEN") - $2))"
check "generated: lives removed = lives before - lives after" \
    "$(grep -cFxvf "$TMP/gen.after" "$TMP/gen.before")" \
    "$(($(wc -l <"$TMP/gen.before") - $(wc -l <"$TMP/gen.after")))"
check "generated: the space given back (new databases: incremental)" \
    "$(grep -c '(incremental vacuum)' "$TMP/cmd.out") $([ "$(stat -c %s \
    "$DB")" -lt "$SIZE0" ] && echo smaller)" "1 smaller"

# A deferred envelope retried after the cutoff keeps its first attempt,
# the session that made it, and all that session carried.
R=$(awk -F'|' '$4 == "smtp-out" && $5 == "tx-envelope" { n[$8]++; s[$8] = s[$8] " " $6 }
    END { for (e in n) if (n[e] == 2) { print e, s[e]; exit } }' "$GEN")
set -- $R
EVP=$1
S1=$2
S2=$3
END1=$(awk -F'|' -v s="$S1" '$6 == s && $5 == "link-disconnect" {
    print substr($3, 1, index($3, ".") - 1) }' "$GEN")
DB2=$TMP/retry.db
"$MAILTRAIL" replay -d "$DB2" "$GEN"
"$MAILTRAIL" trace -d "$DB2" --json "$EVP" >"$TMP/retry.before"
lives "$DB2" "$TMP/retry.all"
"$MAILTRAIL" prune -d "$DB2" --no-vacuum --older-than \
    "$(date -u -d @$((END1 + 1)) +%FT%TZ)" >/dev/null
"$MAILTRAIL" trace -d "$DB2" --json "$EVP" >"$TMP/retry.after"
check "retried $EVP: its trace is the same" "$(cmp -s "$TMP/retry.before" \
    "$TMP/retry.after" && echo same)" same
check "retried: both attempts' sessions are kept" "$(q "$DB2" "SELECT
    count(*) FROM session WHERE printf('%016x', sid) IN ('$S1', '$S2')")" 2
check "retried: the retry's session goes on past the cutoff" \
    "$(q "$DB2" "SELECT t_end > $((END1 + 1)) * 1000000 FROM session
    WHERE printf('%016x', sid) = '$S2'")" 1
lives "$DB2" "$TMP/retry.rest"
survivors retried "$TMP/retry.all" "$TMP/retry.rest"
whole retried "$DB2"

# A database made with auto_vacuum INCREMENTAL: the pages are given
# back by incremental vacuum.
sqlite3 "$TMP/inc.db" "PRAGMA auto_vacuum = INCREMENTAL; VACUUM"
"$MAILTRAIL" replay -d "$TMP/inc.db" "$DATA/0.6/relay-suite.log"
check_cmd "auto_vacuum INCREMENTAL: prune" "$MAILTRAIL" prune \
    -d "$TMP/inc.db" --older-than 2030-01-01
check "auto_vacuum INCREMENTAL: incremental vacuum, no free page left" \
    "$(grep -c '(incremental vacuum)' "$TMP/cmd.out") $(q "$TMP/inc.db" \
    "PRAGMA freelist_count")" "1 0"
sqlite3 "$TMP/inc2.db" "PRAGMA auto_vacuum = INCREMENTAL; VACUUM"
"$MAILTRAIL" replay -d "$TMP/inc2.db" "$DATA/0.6/relay-suite.log"
check_cmd "auto_vacuum INCREMENTAL: prune --no-vacuum" "$MAILTRAIL" prune \
    -d "$TMP/inc2.db" --older-than 2030-01-01 --no-vacuum
check "auto_vacuum INCREMENTAL, --no-vacuum: the freed pages left for reuse" \
    "$(grep -c 'not vacuumed' "$TMP/cmd.out") $(q "$TMP/inc2.db" \
    "SELECT freelist_count > 0 FROM pragma_freelist_count")" "1 1"

# A database made without auto_vacuum (as version 1 made them): a full
# VACUUM gives the space back, --no-vacuum leaves the pages for reuse.
for f in full nov; do
	sqlite3 "$TMP/$f.db" <"$TESTS/../schema/001-base.sql"
	sqlite3 "$TMP/$f.db" "PRAGMA user_version = 1" >/dev/null
	"$MAILTRAIL" replay -d "$TMP/$f.db" "$DATA/0.6/relay-suite.log"
done
s0=$(stat -c %s "$TMP/full.db")
check_cmd "no auto_vacuum: prune" "$MAILTRAIL" prune -d "$TMP/full.db" \
    --older-than 2030-01-01
check "no auto_vacuum: VACUUM gave the space back" \
    "$(grep -c '(VACUUM)' "$TMP/cmd.out") $([ "$(stat -c %s \
    "$TMP/full.db")" -lt "$s0" ] && echo smaller)" "1 smaller"
check_cmd "no auto_vacuum: prune --no-vacuum" "$MAILTRAIL" prune \
    -d "$TMP/nov.db" --older-than 2030-01-01 --no-vacuum
check "no auto_vacuum, --no-vacuum: says so" \
    "$(grep -c 'not vacuumed' "$TMP/cmd.out")" 1

# A relative time, and errors.
check_cmd "--older-than 9d" "$MAILTRAIL" prune -d "$DB" --older-than 9d \
    --no-vacuum
check "--older-than 9d --no-vacuum: not vacuumed" "$(grep -c 'not vacuumed' \
    "$TMP/cmd.out")" 1
"$MAILTRAIL" prune -d "$DB" >/dev/null 2>&1
check "no --older-than: exit 1" "$?" 1
"$MAILTRAIL" prune -d "$DB" --older-than soon 2>"$TMP/err"
check "a bad time: exit 1" "$?:$(cat "$TMP/err")" \
    '1:mailtrail: bad time: "soon"'
"$MAILTRAIL" prune -d "$TMP/none.db" --older-than 1d 2>/dev/null
check "no database: exit 1, none made" "$?:$(ls "$TMP/none.db" 2>&1 |
    grep -c 'No such')" "1:1"

# A writer takes no other program's SQLite database, nor two of them;
# a reader given a directory says so.
sqlite3 "$TMP/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
cp "$TMP/other.db" "$TMP/other.orig"
for c in "prune --older-than 1d" "replay $DATA/0.6/a-relay-ok.log" \
    "maillog $DATA/maillog/6.8/a-relay-ok.maillog"; do
	"$MAILTRAIL" ${c%% *} -d "$TMP/other.db" ${c#* } 2>"$TMP/err"
	check "${c%% *}: another program's database refused, untouched" \
	    "$?:$(cat "$TMP/err"):$(cmp "$TMP/other.db" "$TMP/other.orig" &&
	    echo same)" "1:mailtrail: $TMP/other.db: not a mailtrail \
database (schema version 0, and it holds tables): not written:same"
done
for c in "prune --older-than 1d" "stats" "sql SELECT 1" "replay -"; do
	"$MAILTRAIL" ${c%% *} -d "$DB" -d "$TMP/other.db" ${c#* } \
	    </dev/null >/dev/null 2>"$TMP/err"
	check "${c%% *}: two -d refused" "$?:$(cat "$TMP/err")" \
	    "1:mailtrail: -d: this command takes one database, not \"$DB\" \
and \"$TMP/other.db\""
done
for c in stats "report summary"; do
	"$MAILTRAIL" $c -d "" 2>"$TMP/err"
	check "$c -d '': exit 1, said" "$?:$(cat "$TMP/err")" \
	    "1:mailtrail: -d: an empty name"
done
mkdir "$TMP/dir.db"
"$MAILTRAIL" stats -d "$TMP/dir.db" 2>"$TMP/err"
check "a directory: exit 1, said" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: $TMP/dir.db: Is a directory"

# collect --retain: old traces go in small steps while new lines come in.
RDB=$TMP/retain.db
sh "$TESTS/bench/gen-known.sh" -n 100 -s 600 -t $((NOW - 20 * 86400)) -r 5 \
    >"$TMP/old.log"
"$MAILTRAIL" replay -d "$RDB" "$TMP/old.log"
sh "$TESTS/bench/gen-known.sh" -n 20 -s 10 -t $((NOW - 3600)) -r 6 -o 100000 \
    >"$TMP/new.log"
# old: the sessions older than the retention
old() {
	q "$RDB" "SELECT count(*) FROM session WHERE
	    t_start < ($NOW - 12 * 86400) * 1000000"
}
# stdin stays open until they are gone (at most 60 s), as smtpd keeps it
{ sleep 1; cat "$TMP/new.log"; sleep 2; i=0; while [ "$(old)" != 0 ] &&
    [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done; } |
    "$MAILTRAIL" collect -d "$RDB" --retain 12d 2>"$TMP/collect.err"
check "collect --retain: the old traces are gone" "$(old)" 0
check "collect --retain: every new line is stored" "$(q "$RDB" "SELECT
    count(*) FROM event")" "$(wc -l <"$TMP/new.log")"
whole "collect --retain" "$RDB"
check "collect --retain: nothing on stderr" "$(cat "$TMP/collect.err")" ""
"$MAILTRAIL" collect -d "$RDB" --retain 2020-01-01 </dev/null 2>"$TMP/err"
check "collect --retain takes a duration only" "$?:$(cat "$TMP/err")" \
    "1:mailtrail: bad --retain: 2020-01-01"
