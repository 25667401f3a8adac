# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# marks.sh: sourced by t-marks.sh and t-marks-prune.sh: a capture fed a
# few lines a run, the lives compared after each run with those built
# from scratch out of the same facts.

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
	# two empty states agree: there must be lives, and lines taken
	[ -z "$bad" ] && ! grep -q '^life|' "$TMP/inc.state" &&
	    bad="the last (no life at all)"
	[ -z "$bad" ] && [ "$1" = maillog ] && [ "$(q "$INC" "SELECT count(*)
	    FROM outcome")" = 0 ] && bad="the last (no maillog line taken)"
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
