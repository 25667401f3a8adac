# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-marks.sh: every statement that changes the facts of a life marks the
# life, so that the writer builds it again before its commit (join.c and
# the triggers of schema/writer.sql, collector/life_mark.c).  Captures
# and maillogs are fed a line (or a few) per run, and a prune cuts some
# traces: after each step the lives are those built from scratch out of
# the same facts.  A change left unmarked leaves its life as it was, and
# the two differ at that step.
. "$(dirname "$0")/lib.sh"

INC=$TMP/inc.db
# the reference is built by the faster build when there is one
REF=${MAILTRAIL_PLAIN:-$MAILTRAIL}

# built_again: the lives of $INC built again from its facts, as an
# older database's are at its first open, into $TMP/ref.db
built_again() {
	rm -f "$TMP"/ref.db*
	cp "$INC" "$TMP/ref.db"
	sqlite3 "$TMP/ref.db" "DELETE FROM life_change; DELETE FROM life;
	    DELETE FROM life_refusal;
	    UPDATE outcome SET attempt = NULL, refusal = NULL;
	    INSERT INTO counter(name, value) VALUES ('life_build', 1)
	    ON CONFLICT(name) DO UPDATE SET value = 1" &&
	"$REF" replay -d "$TMP/ref.db" /dev/null
}

# stepped CMD FILE N: FILE through CMD (replay or maillog) N lines a run
# into $INC; the first step whose lives differ from those built again
# is said, with the lines it fed
stepped() {
	total=$(wc -l <"$2")
	k=1
	bad=
	while [ "$k" -le "$total" ] && [ -z "$bad" ]; do
		sed -n "$k,$((k + $3 - 1))p" "$2" >"$TMP/step"
		"$MAILTRAIL" "$1" -d "$INC" "$TMP/step" 2>>"$TMP/err" &&
		    built_again 2>>"$TMP/err" || bad="$k (failed)"
		life_state "$INC" >"$TMP/inc.state"
		life_state "$TMP/ref.db" >"$TMP/ref.state"
		cmp -s "$TMP/inc.state" "$TMP/ref.state" || bad=$k
		k=$((k + $3))
	done
	if [ -z "$bad" ]; then
		ok "$1 $(basename "$2"), $3 a run: each life marked"
		return
	fi
	notok "$1 $(basename "$2"), $3 a run: a life not built again" \
	    "after line $bad"
	sed 's/^/  fed: /' "$TMP/step" | cut -c1-150 | head -5
	diff "$TMP/ref.state" "$TMP/inc.state" | head -10 | sed 's/^/  /'
	head -5 "$TMP/err" | sed 's/^/  /'
}

# fresh: a new database for the next capture
fresh() { rm -f "$INC" "$INC"-*; }

# smtp-in refusals (550 to RCPT), replies before their tx-rcpt (0.6)
fresh
stepped replay "$DATA/0.6/d-relay-denied.log" 1
# several recipients, a next hop's 550 and 451, a retry and a bounce
fresh
stepped replay "$DATA/0.6/b-multi-rcpt.log" 1
# then the maillog of the same run
stepped maillog "$DATA/maillog/6.8/b-multi-rcpt.maillog" 7
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
