# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-stored.sh: what the writer keeps for report latency and report
# rejections (schema 16): each attempt's domain and smtp-in commit,
# each smtp-in refusal's command and filter decision, equal on the real
# captures to what the views derived before; and a database migrated to
# schema 16 answers as a fresh replay does.
. "$(dirname "$0")/lib.sh"
ML=$DATA/maillog

# The derivations of the views before schema 16, as they were.
OLD_ATTEMPT="SELECT count(*) || ' ' || coalesce(sum(d.name IS NOT
    (CASE WHEN instr(o.to_, '@') > 0 THEN lower(substr(o.to_,
    instr(o.to_, '@') + 1)) ELSE '' END) OR o.t_received IS NOT
    (SELECT ti.t_commit FROM envelope e JOIN tx ti ON ti.id = e.tx
    WHERE e.evpid = o.evpid)), 0) || ' ' ||
    coalesce(sum(o.t_received IS NOT NULL), 0)
    FROM (SELECT *, coalesce(address, (SELECT r.address FROM envelope e
    JOIN rcpt r ON r.id = e.rcpt WHERE e.evpid = attempt.evpid)) AS to_
    FROM attempt) o LEFT JOIN domain d ON d.id = o.domain"
OLD_REFUSAL="SELECT count(*) || ' ' || coalesce(sum(z.c IS NOT z.oc OR
    z.f IS NOT (SELECT CASE WHEN e.x LIKE '%|reject%' THEN 1 ELSE 2 END
    FROM event e WHERE e.s = z.s AND e.id > coalesce(z.oc, 0) AND
    e.id < z.id AND e.k % 64 = 18 AND (e.x LIKE '%|reject%' OR
    e.x LIKE '%|disconnect%') ORDER BY e.id DESC LIMIT 1)), 0) || ' ' ||
    coalesce(sum(z.f IS NOT NULL), 0)
    FROM (SELECT w.id, w.c, w.f, r.s, (SELECT p.id FROM event p
    WHERE p.s = r.s AND p.id < w.id AND p.k % 64 = 15
    ORDER BY p.id DESC LIMIT 1) AS oc FROM event_rare w
    JOIN event r ON r.id = w.id WHERE w.k = 16) z"

# Every capture, each in its own database with its maillog if the lab
# kept one: sums of (rows, rows that differ, rows with a value).
na=0; da=0; ta=0; nr=0; dr=0; fr=0
for f in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	b=$(basename "$f" .log)
	db=$TMP/$(basename "$(dirname "$f")")-$b.db
	"$MAILTRAIL" replay -d "$db" "$f" 2>/dev/null
	case $f in
	*/0.6/*) m=$(ls "$ML"/6.8/"$b".maillog 2>/dev/null) ;;
	*) m=$(ls "$ML"/7.6/"$b".maillog "$ML"/7.8/"$b".maillog 2>/dev/null) ;;
	esac
	[ -n "$m" ] && "$MAILTRAIL" maillog -d "$db" $m 2>/dev/null
	set -- $(q "$db" "$OLD_ATTEMPT") $(q "$db" "$OLD_REFUSAL")
	na=$((na + $1)); da=$((da + $2)); ta=$((ta + $3))
	nr=$((nr + $4)); dr=$((dr + $5)); fr=$((fr + $6))
done
echo "# $na attempts, $nr refusals" >&2
check "attempts: domain and t_received as the views derived them" \
    "$da of $na, $(test $ta -gt 0 && echo some received)" \
    "0 of $na, some received"
check "refusals: command and filter as the views derived them" \
    "$dr of $nr, $(test $fr -gt 0 && echo some by a filter)" \
    "0 of $nr, some by a filter"
check "and there are many of each" \
    "$(test $na -gt 20 && test $nr -gt 5 && echo yes)" yes

# A database as schema 14 left it, migrated: the same answers as the
# fresh replay it was made from.
FRESH=$TMP/fresh.db
"$MAILTRAIL" replay -d "$FRESH" "$DATA/0.6/relay-suite.log" \
    "$DATA/0.7/e2e-suite.log" "$DATA/0.7/n-builtin-filter.log"
"$MAILTRAIL" maillog -d "$FRESH" "$ML/7.6/e2e-suite.maillog" 2>/dev/null
cp "$FRESH" "$TMP/v14.db"
back_to_14 "$TMP/v14.db"
check_cmd "a version 14 database is migrated" "$MAILTRAIL" replay \
    -d "$TMP/v14.db" /dev/null
kept() {
	q "$1" "SELECT a.id, d.name, a.t_received FROM attempt a
	    LEFT JOIN domain d ON d.id = a.domain ORDER BY a.id;
	    SELECT id, c, f FROM event_rare ORDER BY id"
}
check "version 16: the migration keeps what a replay keeps" \
    "$(kept "$TMP/v14.db" | md5sum)" "$(kept "$FRESH" | md5sum)"
asof() { sed 's/"as_of":"[^"]*"//'; }
for r in latency rejections; do
	for j in "" --json; do
		check "version 16: report $r $j as a fresh replay's" \
		    "$(out report $r $j -d "$TMP/v14.db" | asof)" \
		    "$(out report $r $j -d "$FRESH" | asof)"
	done
done
check "version 16: and the reports have rows" \
    "$("$MAILTRAIL" report latency --json -d "$FRESH" |
    jq '[.. | arrays | length] | add > 2')" true
