# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# readers.sh: every reader of a life's status against the writer's
# table life, sourced after tests/lib.sh by tests/t-consistency.sh and
# by tests/e2e/checks.sh (on the database of the end-to-end runs).
#
# readers_collect DB LABEL reads DB with each reader and keeps what it
# says of each life, and what the table life says, in a directory of
# its own under $TMP/readers (READER.got, READER.want); readers_check
# then prints one check per reader over every database read, and for
# each disagreement the database's LABEL, the life (its evpid, or
# MSGID/RECIPIENT for a recipient refused at smtp-in), what life says
# and what the reader says.  readers_agree DB LABEL does both for one.
#
# The readers: trace (text) and trace --json, one query per evpid (and
# per message with a refused recipient) through "trace -"; trace's
# status: term; export --summary (NDJSON) and --format ecs
# (event.action); sql on v_envelope, v_life_all and life; the counts of
# report summary (each status's count, and the columns add up to the
# envelopes received); report queue and v_pending (exactly the lives
# queued or deferred).

READERS=$TMP/readers
READER_NAMES="trace trace-json trace-status export-summary export-ecs
sql-v_envelope sql-v_life_all sql-life summary queue sql-v_pending
session-trace session-json session-export session-ecs"
STATUS_NAMES="queued delivered deferred failed rejected aborted expired
removed"

# the SQL of a life's key and its status by name
READERS_KEY="CASE WHEN evpid IS NULL THEN printf('%08x/%s',
    msgid & 4294967295, coalesce(rcpt_to, '')) ELSE printf('%016x', evpid)
    END"
READERS_STATUS="CASE status WHEN 0 THEN 'queued' WHEN 1 THEN 'delivered'
    WHEN 2 THEN 'deferred' WHEN 3 THEN 'failed' WHEN 4 THEN 'rejected'
    WHEN 5 THEN 'aborted' WHEN 6 THEN 'expired' WHEN 7 THEN 'removed'
    ELSE 'status ' || status END"
# jq: a life's key from a JSON life of trace or export
READERS_JQ_KEY='(.evpid // "\(.msgid)/\(.rcpt_to // "")")'

readers_reset() {
	rm -rf "$READERS"
	mkdir -p "$READERS"
}

# readers_put READER LABEL want|got: lines KEY|VALUE on stdin, kept in
# the directory of the database read ($RD)
readers_put() {
	sed "s|^|$2 |" >>"$RD/$1.$3"
}

# readers_trace DB LABEL: trace and trace --json, each given on stdin one
# query a line: each envelope's evpid, each message with a refused
# recipient, then status:NAME for every status.  --timer says how many
# lives each query matched, which attributes them to their queries.
readers_trace() {
	{
		q "$1" "SELECT printf('%016x', evpid) FROM life
		    WHERE evpid IS NOT NULL ORDER BY evpid"
		q "$1" "SELECT DISTINCT printf('%08x', msgid & 4294967295)
		    FROM life WHERE evpid IS NULL"
		for s in $STATUS_NAMES; do
			echo "status:$s"
		done
	} >"$RD/queries"
	: >"$RD/trace.status"
	: >"$RD/json.status"
	NO_COLOR=1 "$MAILTRAIL" trace -d "$1" --timer - <"$RD/queries" \
	    >"$RD/trace.out" 2>"$RD/trace.err"
	# each life: KEY|STATUS, from its status line and its id line
	awk '/^[a-z]/ { st = $1; to = $0; sub(/^[^ ]*  .* -> /, "", to) }
	    /^  envelope [0-9a-f]+, message / {
		k = $2; sub(/,$/, "", k); print k "|" st }
	    /^  no envelope, message / {
		m = $4; sub(/,$/, "", m); print m "/" to "|" st }' \
	    "$RD/trace.out" >"$RD/trace.lives"
	"$MAILTRAIL" trace -d "$1" --json --timer - <"$RD/queries" \
	    2>"$RD/json.err" | jq -r "$READERS_JQ_KEY + \"|\" + .status" \
	    >"$RD/json.lives"
	for f in trace json; do
		# QUERY COUNT, one line per query, in order
		sed -n 's/^trace: \(.*\): \([0-9]*\) lives, .*/\1 \2/p' \
		    "$RD/$f.err" >"$RD/$f.counts"
		awk -v status="$RD/$f.status" '
		    NR == FNR { q[NR] = $1; n[NR] = $2; nq = NR; next }
		    { life[++nl] = $0 }
		    END {
			if (nq == 0)
				print "(no query answered)|none"
			i = 0
			for (j = 1; j <= nq; j++) {
				id = q[j] ~ /^[0-9a-f]+$/ ? length(q[j]) : 0
				got = ""
				for (c = 0; c < n[j]; c++) {
					l = life[++i]
					k = l; sub(/\|.*/, "", k)
					s = l; sub(/.*\|/, "", s)
					if (q[j] ~ /^status:/)
						print k "|" substr(q[j], 8) >status
					else if (id == 16 && k == q[j])
						got = got "," s
					else if (id == 8 && k ~ /\//)
						print l
				}
				if (id == 16)
					print q[j] "|" (got == "" ? "none" : substr(got, 2))
			}
			if (i != nl)
				print "(lives beyond the counts)|" nl - i
		    }' "$RD/$f.counts" "$RD/$f.lives" \
		    >"$RD/$f.queries"
	done
	sort -u "$RD/trace.queries" | readers_put trace "$2" got
	sort -u "$RD/json.queries" | readers_put trace-json "$2" got
	# the status: terms, of trace (text) and trace --json alike
	sort "$RD/trace.status" "$RD/json.status" | uniq -c | sed \
	    's/^ *2 //; s/^ *\([0-9]*\) \(.*\)/\2 (\1 times in 2 outputs)/' |
	    readers_put trace-status "$2" got
}

# readers_summary DB LABEL: report summary's totals against the lives:
# each status it counts (delivered, deferred, failed and rejected at
# least; pending is queued and deferred), the envelopes received, and
# its columns add up to them (when every envelope's life was received
# on smtp-in, as in the captures)
readers_summary() {
	"$MAILTRAIL" report summary -d "$1" --json --top 0 | jq -r \
	    --arg names "$(echo $STATUS_NAMES pending)" '.sections[] |
	    select(.name == "totals") | .rows[0] as $t |
	    ($names | split(" ") | .[] | select(. as $s | $t | has($s)) |
	    "\(.)|\($t[.])"),
	    "received_envelopes|\($t.received_envelopes)",
	    "columns add up|\(($t.delivered // 0) + ($t.failed // 0) +
	    ($t.expired // 0) + ($t.removed // 0) + (if $t | has("queued")
	    then $t.queued + ($t.deferred // 0) else ($t.pending // 0) end))"' \
	    >"$RD/totals"
	grep -v '^columns add up|' "$RD/totals" |
	    readers_put summary "$2" got
	q "$1" "SELECT $READERS_STATUS, count(*) FROM life GROUP BY 1
	    UNION ALL SELECT 'received_envelopes', count(*) FROM life
	    WHERE evpid IS NOT NULL AND t_accepted IS NOT NULL
	    UNION ALL SELECT 'unreceived', count(*) FROM life WHERE
	    evpid IS NOT NULL AND t_accepted IS NULL AND status != 5" |
	    awk -F'|' -v sum="$RD/sum" '
	    NR == FNR { has[$1] = 1; got[$1] = $2; next }
	    { n[$1] = $2 }
	    END {
		n["pending"] = n["queued"] + n["deferred"]
		for (s in has)
			if (s != "columns add up")
				print s "|" n[s] + 0
		split("delivered deferred failed rejected", m, " ")
		for (i in m)
			if (!(m[i] in has))
				print m[i] "|" n[m[i]] + 0
		if (n["unreceived"] == 0) {
			print "received, as the columns add up|" \
			    n["received_envelopes"]
			print "received, as the columns add up|" \
			    got["columns add up"] >sum
		}
	    }' "$RD/totals" - |
	    readers_put summary "$2" want
	readers_put summary "$2" got <"$RD/sum"
}

# a session's hex id, and "lives" if a life names it (its smtp-in
# transaction, a recipient it refused, an attempt, a refused MAIL FROM
# given to a life), else its outcome as the writer keeps it
READERS_SESSION="printf('%016x', s.sid), CASE WHEN EXISTS (SELECT 1 FROM
    tx t JOIN envelope x ON x.tx = t.id JOIN life l ON l.evpid = x.evpid
    WHERE t.session = s.id) OR EXISTS (SELECT 1 FROM tx t JOIN rcpt r ON
    r.tx = t.id JOIN life l ON l.rcpt = r.id AND l.evpid IS NULL WHERE
    t.session = s.id) OR EXISTS (SELECT 1 FROM attempt a WHERE a.session
    = s.id) OR EXISTS (SELECT 1 FROM out_refusal f JOIN life_refusal g ON
    g.refusal = f.id WHERE f.session = s.id) THEN 'lives' ELSE
    coalesce(s.outcome, 'open') END FROM session s"

# readers_sessions DB LABEL: what each session came to, as trace (text
# and JSON, one query per session id, their --timer counts saying which
# answers are whose), export --sessions and its ECS documents say
readers_sessions() {
	q "$1" "SELECT $READERS_SESSION" | sort >"$RD/sessions"
	for r in session-trace session-json session-export; do
		readers_put $r "$2" want <"$RD/sessions"
	done
	grep -v '|lives$' "$RD/sessions" | readers_put session-ecs "$2" want
	cut -d'|' -f1 "$RD/sessions" >"$RD/sids"
	NO_COLOR=1 "$MAILTRAIL" trace -d "$1" --timer - <"$RD/sids" \
	    2>"$RD/strace.err" | sed -n 's/^\([a-z-]*\)  smtp-[inout]* session [0-9a-f]\{16\} .*/\1/p' \
	    >"$RD/strace.heads"
	"$MAILTRAIL" trace -d "$1" --json --timer - <"$RD/sids" \
	    2>"$RD/sjson.err" | jq -r 'select(.kind == "session") |
	    .outcome // "open"' >"$RD/sjson.heads"
	for f in strace sjson; do
		sed -n 's/^trace: \(.*\): \([0-9]*\) lives, \([0-9]*\) sessions, .*/\1 \2 \3/p' \
		    "$RD/$f.err" | awk -v heads="$RD/$f.heads" '
		    { if ($3 == 0) { print $1 "|" ($2 > 0 ? "lives" : "none")
			next }
		      o = ""
		      for (i = 0; i < $3; i++) {
			h = "(missing)"
			getline h <heads
			o = o "," h
		      }
		      print $1 "|" substr(o, 2) }' |
		    sort >"$RD/$f.got"
	done
	readers_put session-trace "$2" got <"$RD/strace.got"
	readers_put session-json "$2" got <"$RD/sjson.got"
	"$MAILTRAIL" export -d "$1" --sessions --summary | jq -r '
	    if .kind == "session" then "\(.session)|\(.outcome // "open")"
	    else (.received.session // empty), .attempts[].session |
	    select(. != "0000000000000000") | "\(.)|lives" end' | sort -u | readers_put session-export "$2" got
	"$MAILTRAIL" export -d "$1" --sessions --summary --format ecs |
	    jq -r 'select(.event.dataset == "mailtrail.session") |
	    "\(.labels.session)|\(.event.action)"' |
	    readers_put session-ecs "$2" got
}

# readers_collect DB LABEL: in a directory of its own under $READERS,
# so that several databases may be read at once
readers_collect() {
	RD=$READERS/$(printf '%s' "$2" | tr -c 'A-Za-z0-9.+-' _)
	rm -rf "$RD"
	mkdir -p "$RD"
	for r in $READER_NAMES; do
		: >"$RD/$r.want"
		: >"$RD/$r.got"
	done
	q "$1" "SELECT $READERS_KEY, $READERS_STATUS FROM life" | sort \
	    >"$RD/life"
	grep -v '^[0-9a-f]*/' "$RD/life" >"$RD/life.env"
	for r in trace trace-json trace-status export-summary export-ecs \
	    sql-v_life_all sql-life; do
		readers_put "$r" "$2" want <"$RD/life"
	done
	readers_put sql-v_envelope "$2" want <"$RD/life.env"
	q "$1" "SELECT printf('%016x', evpid), 'waiting' FROM life WHERE
	    evpid IS NOT NULL AND status IN (0, 2)" >"$RD/waiting"
	readers_put queue "$2" want <"$RD/waiting"
	readers_put sql-v_pending "$2" want <"$RD/waiting"
	echo "total|$(wc -l <"$RD/waiting")" | readers_put queue "$2" want

	readers_trace "$1" "$2"
	readers_sessions "$1" "$2"
	"$MAILTRAIL" export -d "$1" --summary |
	    jq -r "$READERS_JQ_KEY + \"|\" + .status" |
	    readers_put export-summary "$2" got
	"$MAILTRAIL" export -d "$1" --summary --format ecs |
	    jq -r '(.email.local_id // "\(.labels.msgid)/\(.email.to.address[0]
	    // "")") + "|" + .event.action' |
	    readers_put export-ecs "$2" got
	# the views and the table through sql, at once: READER KEY STATUS
	"$MAILTRAIL" sql -d "$1" --json "SELECT 'sql-v_envelope' AS r,
	    evpid AS k, status AS s FROM v_envelope UNION ALL
	    SELECT 'sql-v_life_all', coalesce(evpid, msgid || '/' ||
	    coalesce(rcpt_to, '')), status FROM v_life_all UNION ALL
	    SELECT 'sql-life', $READERS_KEY, $READERS_STATUS FROM life UNION ALL
	    SELECT 'sql-v_pending', evpid, 'waiting' FROM v_pending" |
	    jq -r '.[] | "\(.r) \(.k)|\(.s)"' >"$RD/sql"
	for r in sql-v_envelope sql-v_life_all sql-life sql-v_pending; do
		sed -n "s/^$r //p" "$RD/sql" | readers_put "$r" "$2" got
	done
	"$MAILTRAIL" report queue -d "$1" --json --top 0 >"$RD/queue.json"
	jq -r '.sections[] | select(.name == "oldest") | .rows[] |
	    "\(.evpid)|waiting"' "$RD/queue.json" |
	    readers_put queue "$2" got
	jq -r '.sections[] | select(.name == "shape") | .rows[] |
	    select(.domain == "TOTAL") | "total|\(.total)"' \
	    "$RD/queue.json" | readers_put queue "$2" got
	readers_summary "$1" "$2"
}

# readers_check [WHAT]: one check per reader, its disagreements listed
readers_check() {
	for r in $READER_NAMES; do
		cat "$READERS"/*/"$r.want" | sort >"$READERS/w"
		cat "$READERS"/*/"$r.got" | sort >"$READERS/g"
		if cmp -s "$READERS/w" "$READERS/g"; then
			ok "$r agrees with life${1:+ ($1)}:" \
			    "$(wc -l <"$READERS/w") lives or counts"
			continue
		fi
		notok "$r agrees with life${1:+ ($1)}"
		awk -F'|' -v r="$r" '
		    NR == FNR { w[$1] = w[$1] " " $2; next }
		    { g[$1] = g[$1] " " $2 }
		    END {
			for (k in w)
				if (!(k in g))
					printf "  %s: life says%s, %s says nothing\n",
					    k, w[k], r
				else if (w[k] != g[k])
					printf "  %s: life says%s, %s says%s\n",
					    k, w[k], r, g[k]
			for (k in g)
				if (!(k in w))
					printf "  %s: life says nothing, %s says%s\n",
					    k, r, g[k]
		    }' "$READERS/w" "$READERS/g" | sort | head -40
	done
}

# readers_agree DB LABEL: every reader of DB agrees with its life table
readers_agree() {
	readers_reset
	readers_collect "$1" "$2"
	readers_check "$2"
}
