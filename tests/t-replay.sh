# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-replay.sh: the real captures through replay: every line kept byte for
# byte, and the joined tables say what happened in each scenario.
. "$(dirname "$0")/lib.sh"

DB=$TMP/t.db

check_cmd "replay of every capture" "$MAILTRAIL" replay -d "$DB" $MIXED

# Into a new database, replay makes the readers' indexes at its end:
# then it has every index a new database has, with the same text.
indexes() {
	q "$1" "SELECT group_concat(name || ' ' || sql, '; ') FROM (SELECT
	    name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT
	    NULL ORDER BY name)"
}
: | "$MAILTRAIL" collect -d "$TMP/new.db"
check "replay into a new database: its indexes are a new database's" \
    "$(indexes "$DB")" "$(indexes "$TMP/new.db")"

# While a replay loads a new database, those indexes are not there:
# every reader still answers (none names one with INDEXED BY).
bulk=$(sed -n '/^const char \*const bulk_indexes/,/^};/p' \
    "$TESTS/../collector/bulk.c" | grep -o '"[a-z_]*"' | tr -d '"')
cp "$DB" "$TMP/bulk.db"
for i in $bulk; do
	sqlite3 "$TMP/bulk.db" "DROP INDEX $i"
done
check "replay: the readers' indexes of collector/bulk.c are found" \
    "$(echo $bulk | wc -w)" \
    "$(($(q "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'index'") -
    $(q "$TMP/bulk.db" "SELECT count(*) FROM sqlite_master WHERE
    type = 'index'")))"
readers() {
	for r in summary rejections deferrals bounces latency tls auth \
	    filters queue destinations; do
		"$MAILTRAIL" report "$r" -d "$1" >/dev/null || echo "report $r"
	done
	"$MAILTRAIL" metrics -d "$1" >/dev/null || echo metrics
	"$MAILTRAIL" export --summary -d "$1" >/dev/null || echo export
	"$MAILTRAIL" trace -d "$1" 756725bd52e6b5bc >/dev/null || echo trace
	"$MAILTRAIL" check -d "$1" >/dev/null
	[ $? -le 2 ] || echo check
	"$MAILTRAIL" tui --bench -d "$1" >/dev/null 2>&1 || echo tui
}
check "replay: without them every reader answers" "$(readers \
    "$TMP/bulk.db")" ""
check "replay: the same readers answer with them" "$(readers "$DB")" ""

# A migration of the future that drops one of them says IF EXISTS: a
# stopped replay leaves a database without it.
for f in "$TESTS"/../schema/[0-9][0-9][0-9]-*.sql; do
	n=$(basename "$f" | cut -c1-3)
	[ "$n" -gt 18 ] || continue
	for i in $bulk; do
		grep -i "DROP INDEX $i" "$f"
	done
done >"$TMP/drops"
check "replay: no later migration drops one without IF EXISTS" \
    "$(cat "$TMP/drops")" ""
report_lines $MIXED >"$TMP/want"
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/got"
check_cmd "export --raw gives back every report line, byte for byte" \
    cmp "$TMP/want" "$TMP/got"
check "no line kept raw: all rebuilt from parsed fields" \
    "$(q "$DB" "SELECT count(*) FROM event WHERE raw IS NOT NULL")" 0
check "counters: lines, events, config, rejected" \
    "$(q "$DB" "SELECT group_concat(value, ' ') FROM (SELECT value FROM
    counter WHERE name IN ('lines','events','config','rejected')
    ORDER BY name)")" \
    "$(grep -c '^config|' $MIXED | awk -F: '{n+=$2} END {print n}') \
$(wc -l <"$TMP/want") $(cat $MIXED | wc -l) 0"

# A stream that stops inside a session (the collector stopped there):
# what the session held for its rows' next write (its greeting before
# the HELO, its DATA result before the commit) is stored by the commit;
# the rest of the stream, stored after, gives the rows of a straight
# replay.
A=$DATA/0.7/a-relay-ok.log
"$MAILTRAIL" replay -d "$TMP/straight.db" "$A"
rows="SELECT * FROM session; SELECT * FROM tx; SELECT * FROM envelope"
for cut in "12 lab.test||" "36 lab.test|EHLO|client.test|0"; do
	n=${cut%% *}
	rm -f "$TMP/held.db"*
	sed -n "1,${n}p" "$A" >"$TMP/held1.log"
	sed "1,${n}d" "$A" >"$TMP/held2.log"
	"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held1.log"
	check "held, $n lines: the open session's rows as the lines say" \
	    "$(q "$TMP/held.db" "SELECT s.greeting, s.helo_method, s.helo
	    || coalesce((SELECT '|' || data_result FROM tx t WHERE
	    t.session = s.id), '') FROM session s WHERE s.dir = 0 AND
	    s.t_end IS NULL")" "${cut#* }"
	"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held2.log"
	check "held, $n lines: then the rest, the rows of a straight replay" \
	    "$(q "$TMP/held.db" "$rows" | cksum)" \
	    "$(q "$TMP/straight.db" "$rows" | cksum)"
done
# Stopped between an envelope and its tx-rcpt: the envelope is stored,
# its recipient not yet known; the rest gives it, as a straight replay.
rm -f "$TMP/held.db"*
sed -n "1,29p" "$A" >"$TMP/held1.log"
sed "1,29d" "$A" >"$TMP/held2.log"
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held1.log"
check "held, 29 lines: the envelope stored, without its recipient" \
    "$(q "$TMP/held.db" "SELECT printf('%016x', evpid), tx IS NOT NULL,
    rcpt IS NULL FROM envelope")" "949aa28f5e4e5821|1|1"
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held2.log"
check "held, 29 lines: then the rest, the rows of a straight replay" \
    "$(q "$TMP/held.db" "$rows" | cksum)" \
    "$(q "$TMP/straight.db" "$rows" | cksum)"
# An envelope after the commit (sent twice: the second changes no row),
# its tx-rcpt not come when the stream stops: the commit that ends the
# batch stores its row and its life.
awk -F'|' '{ print }
    $4 == "smtp-in" && $5 == "tx-commit" { print; print "report|0.7|" \
    $3 "|smtp-in|tx-envelope|" $6 "|" $7 "|" $7 "00000042"; exit }' \
    "$A" >"$TMP/late-env.log"
rm -f "$TMP/held.db"*
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/late-env.log"
check "held, an envelope after the commit: its row and its life stored" \
    "$(q "$TMP/held.db" "SELECT count(*), sum(l.id IS NOT NULL) FROM
    envelope e LEFT JOIN life l ON l.evpid = e.evpid")" "2|2"
# smtp-out names an envelope between its smtp-in tx-envelope and its
# tx-rcpt (not smtpd's order): the row is smtp-in's, as the lines came.
awk -F'|' '{ print }
    $4 == "smtp-in" && $5 == "tx-envelope" { t = $3; print "report|0.7|" \
    $3 "|smtp-out|tx-envelope|ffffffffffffff01|" $7 "|" $8 }' \
    "$A" >"$TMP/out-env.log"
rm -f "$TMP/held.db"*
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/out-env.log"
check "held, smtp-out first between: the envelope's row is smtp-in's" \
    "$(q "$TMP/held.db" "SELECT tx IS NOT NULL, rcpt IS NOT NULL, t =
    (SELECT min(t) FROM tx) FROM envelope")" "1|1|1"
# A database with an open session but no event left (pruned by hand):
# not a new one, so the rest of the session is taken back.
rm -f "$TMP/held.db"*
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held1.log"
sqlite3 "$TMP/held.db" "DELETE FROM event"
"$MAILTRAIL" replay -d "$TMP/held.db" "$TMP/held2.log"
check "held, no event left: the open session is taken back" \
    "$(q "$TMP/held.db" "SELECT count(*) FROM session WHERE dir = 0")" 1

# envelope STATUS LAST_REPLY ATTEMPTS for an evpid
env() {
	q "$DB" "SELECT status, attempts, last_reply FROM v_envelope
	    WHERE evpid = '$1'"
}

# a: one message relayed; same msgid/evpid on both sides
check "a: relayed envelope delivered, with the sink's reply" \
    "$(env 756725bd52e6b5bc)" "delivered|1|250 2.0.0 queued as sink-000001"
check "a: envelope joined to its smtp-in session and recipient" \
    "$(q "$DB" "SELECT in_session, client, helo, mail_from, rcpt_to
    FROM v_envelope WHERE evpid = '756725bd52e6b5bc'")" \
    "3563dfd4055bb886|127.0.0.1:39594|client.test|alice@sink.test|bob@sink.test"

# b: three recipients: ok, 550 and 451 at the next hop; 451 retried
check "b: accepted recipient delivered" "$(env 1466b132288c4f36)" \
    "delivered|1|250 2.0.0 queued as sink-000002"
check "b: 550 at the next hop is a permanent failure" \
    "$(env 1466b132e53384c3)" \
    "failed|1|550 5.1.1 <reject-dave@sink.test>: user unknown"
check "b: 451 retried on a new session, deferred twice" \
    "$(env 1466b13205030850)" \
    "deferred|2|451 4.3.0 <tempfail-erin@sink.test>: try again later"
check "b: the retry is on another smtp-out session" \
    "$(q "$DB" "SELECT count(DISTINCT session) FROM v_attempt
    WHERE evpid = '1466b13205030850'")" 2
check "b: refused RCPT does not end the transaction (one tx, committed)" \
    "$(q "$DB" "SELECT count(*), max(t_commit IS NOT NULL) FROM tx
    JOIN session s ON s.id = tx.session
    WHERE s.sid = 0x04f9ab4a91cf3dcf")" "1|1"
check "b: the bounce arrives over the local socket with a null sender" \
    "$(q "$DB" "SELECT v.src, t.mail_from FROM tx t JOIN session v
    ON v.id = t.session WHERE t.msgid = 0x83e5c9a6 - 4294967296")" \
    "unix:/var/run/smtpd.sock|"

# c: RSET then QUIT: the transaction is rolled back, nothing relayed
check "c: RSET rolls the transaction back" \
    "$(q "$DB" "SELECT rolled_back, t_commit IS NULL, t_end IS NOT NULL
    FROM tx WHERE msgid = 0x4811fa83")" "1|1|1"

# d: recipient refused at smtp-in: kept with smtpd's reply, no envelope
check "d: refused recipient kept with its reply line" \
    "$(q "$DB" "SELECT result, reply FROM rcpt
    WHERE address = 'mallory@elsewhere.invalid'")" \
    "2|550 Invalid recipient: <mallory@elsewhere.invalid>"
check "d: no envelope for a refused recipient" \
    "$(q "$DB" "SELECT count(*) FROM envelope WHERE rcpt IN
    (SELECT id FROM rcpt WHERE address = 'mallory@elsewhere.invalid')")" 0

# relay-suite: session reuse, syntax errors, several messages per session
check "suite: one smtp-out session carried every message it began" \
    "$(q "$DB" "SELECT count(*) FROM tx JOIN session s ON s.id = tx.session
    WHERE s.sid = 0x6d45c9244db742cd")" \
    "$(grep -c 'smtp-out|tx-begin|6d45c9244db742cd' "$DATA/0.6/relay-suite.log")"
check "suite: RCPT syntax error kept with its raw address and reply" \
    "$(q "$DB" "SELECT address, result, reply FROM rcpt WHERE result = 2
    AND reply LIKE '501%'")" "x y|2|501 5.1.3 Recipient address syntax error"
check "suite: 550 after RCPT at the next hop" "$(env 7b132086d993e289)" \
    "failed|1|550 5.1.1 no such user"

# 0.7: STARTTLS and AUTH on smtp-in, TLS on smtp-out
check "0.7: smtp-in TLS and AUTH (result first in 0.7)" \
    "$(q "$DB" "SELECT tls, auth_user, auth_result FROM v_session
    WHERE session = '62e3a35d30bdab0a'")" \
    "TLSv1.3:TLS_AES_256_GCM_SHA384:256|labuser|pass"
check "0.7: AUTH secret stays masked" \
    "$(q "$DB" "SELECT group_concat(params) FROM v_event
    WHERE event = 'protocol-client' AND params LIKE 'AUTH%'")" \
    "AUTH PLAIN ********"
check "0.7: relayed over TLS" "$(q "$DB" "SELECT status, attempts FROM
    v_envelope WHERE evpid = '9fea1a242921f70f'")" "delivered|1"

# Replaying the same files again adds the same again: replay is a load.
check_cmd "replay of a file twice works" "$MAILTRAIL" replay -d "$TMP/2.db" \
    "$DATA/0.6/a-relay-ok.log" "$DATA/0.6/a-relay-ok.log"
check "second replay reuses nothing of the first session" \
    "$(q "$TMP/2.db" "SELECT count(*), count(DISTINCT sid) FROM session")" "4|2"

# A progress line on stderr when it is a terminal, and nothing otherwise.
if command -v script >/dev/null; then
	script -qc "'$MAILTRAIL' replay -d '$TMP/p.db' '$DATA/0.6/relay-suite.log'" \
	    /dev/null >"$TMP/tty" 2>&1
	check "replay on a terminal: a progress line with the total" \
	    "$(tr '\r' '\n' <"$TMP/tty" | grep -c "^mailtrail: replayed $(wc -l <"$DATA/0.6/relay-suite.log") lines in .* lines/s")" 1
fi
"$MAILTRAIL" replay -d "$TMP/p2.db" "$DATA/0.6/relay-suite.log" 2>"$TMP/err"
check "replay not on a terminal: silent" "$(cat "$TMP/err")" ""

check "suite: MAIL FROM refused by the next hop is kept, with its reply" \
    "$(q "$DB" "SELECT mail_from, result, reply FROM out_refusal")" \
    "rejectme@example.test|2|550 5.7.1 sender rejected"
check "suite: the refusal names the MAIL FROM it answered" \
    "$(q "$DB" "SELECT x FROM event WHERE id = (SELECT event FROM
    out_refusal)")" "MAIL FROM:<rejectme@example.test>"
check "a: the next hop's queue id kept on the attempt" \
    "$(q "$DB" "SELECT remote_id FROM attempt WHERE evpid =
    0x756725bd52e6b5bc")" "sink-000001"
check "b: no queue id for refused recipients" \
    "$(q "$DB" "SELECT count(*) FROM attempt WHERE result != 0 AND
    remote_id IS NOT NULL")" 0

# 7.6: the stream of a run of t-e2e-7.sh (OpenSMTPD 7.6.0p1, Debian 13,
# protocol 0.7), with its maillog (tests/data/maillog/7.6); and o, cut
# out of it (its sessions' lines).
S7=$DATA/0.7/e2e-suite.log
DB7=$TMP/7.db
check_cmd "7.6: replay of the end-to-end run" "$MAILTRAIL" replay -d "$DB7" "$S7"
report_lines "$S7" >"$TMP/want7"
"$MAILTRAIL" export -d "$DB7" --raw >"$TMP/got7"
check_cmd "7.6: export --raw gives back every report line, byte for byte" \
    cmp "$TMP/want7" "$TMP/got7"
check "7.6: no line kept raw" \
    "$(q "$DB7" "SELECT count(*) FROM event WHERE raw IS NOT NULL")" 0
check "7.6: AUTH on smtp-in, two passed and two refused, each in TLS" \
    "$(q "$DB7" "SELECT a.user, a.result, count(*), sum(s.tls IS NOT NULL)
    FROM v_auth a JOIN session s ON s.id = a.session_id
    GROUP BY a.user, a.result")" "ann|fail|2|2
ann|pass|2|2"
check "7.6: AUTH on smtp-out: relayuser passed, then refused" \
    "$(q "$DB7" "SELECT group_concat(auth_user || ' ' || auth_result, ', ')
    FROM (SELECT * FROM v_session WHERE subsystem = 'smtp-out' AND
    auth_user IS NOT NULL ORDER BY t_start)")" \
    "relayuser pass, relayuser fail"
check "7.6: no AUTH payload kept: every AUTH line masked" \
    "$(q "$DB7" "SELECT DISTINCT params FROM v_event WHERE
    event = 'protocol-client' AND (params LIKE 'AUTH%' OR
    id IN (SELECT e.id + 1 FROM v_event e WHERE e.params LIKE '334 %'))
    ORDER BY 1")" "********
AUTH LOGIN
AUTH PLAIN ********"
# (grace's transaction ended in RSET: aborted, never queued)
check "7.6: each envelope's status from the reports" \
    "$(q "$DB7" "SELECT group_concat(rcpt_to || '=' || status || '/' ||
    attempts, ' ') FROM (SELECT * FROM v_envelope ORDER BY rcpt_to, evpid)")" \
    "bob@sink.test=delivered/1 carol@sink.test=delivered/1 \
e2euser@local.test=queued/0 e2euser@local.test=queued/0 \
gone@dead.test=queued/0 grace@sink.test=aborted/0 \
h-plain@sink.test=delivered/1 j-login@sink.test=delivered/1 \
l-auth@auth.sink.test=delivered/1 m-badauth@badauth.sink.test=queued/0 \
ok-dan@sink.test=delivered/1 reject-dave@sink.test=failed/1 \
reject-x@sink.test=failed/1 reject-y@sink.test=failed/1 \
stall-p@stall.test=delivered/2 tempfail-erin@sink.test=delivered/2"
cp "$DB7" "$TMP/7m.db"
check_cmd "7.6: the run's maillog imported" "$MAILTRAIL" maillog \
    -d "$TMP/7m.db" "$DATA/maillog/7.6/e2e-suite.maillog"
check "7.6: then the maillog's statuses: local, removed, rejected, aborted" \
    "$("$MAILTRAIL" export -d "$TMP/7m.db" | jq -r 'select(.status !=
    "delivered" or .attempts == []) | "\(.rcpt_to)=\(.status)"' | sort |
    tr '\n' ' ')" "e2euser@local.test=delivered \
e2euser@local.test=delivered gone@dead.test=removed \
grace@sink.test=aborted m-badauth@badauth.sink.test=removed \
mallory@elsewhere.invalid=rejected reject-dave@sink.test=failed \
reject-x@sink.test=failed reject-y@sink.test=failed "

# (n and p, cut out of it too, are in t-cases.sh with those of 6.8)

# o: a client that gave up after smtpd's 220 to STARTTLS
check_cmd "7.6 o: replay" "$MAILTRAIL" replay -d "$TMP/7o.db" \
    "$DATA/0.7/o-starttls-giveup.log"
check "7.6 o: no TLS, no AUTH, closed" \
    "$(q "$TMP/7o.db" "SELECT tls IS NULL, auth_user IS NULL,
    t_end IS NOT NULL, end_reason FROM v_session")" "1|1|1|disconnect"

# --- The state of each life is what a straight replay gives, whatever
# the order in which the facts came (tests/lib.sh: life_state) --------

# A commit may fall between any two lines: b-multi-rcpt (a bounce and
# its original, linked) and p-next-hop-stalls (deferrals) cut at every
# fifth line, each part replayed on its own (a commit each), give the
# state of the straight replay.
for c in "0.6/b-multi-rcpt 4" "0.6/p-next-hop-stalls 1"; do
	f=$DATA/${c% *}.log
	"$MAILTRAIL" replay -d "$TMP/cut-whole.db" "$f" >/dev/null
	life_state "$TMP/cut-whole.db" >"$TMP/cut.want"
	n=$(wc -l <"$f") k=5 bad=
	while [ $k -lt "$n" ]; do
		rm -f "$TMP"/cut.db*
		head -n $k "$f" >"$TMP/cut.1"
		tail -n +$((k + 1)) "$f" >"$TMP/cut.2"
		"$MAILTRAIL" replay -d "$TMP/cut.db" "$TMP/cut.1" >/dev/null
		"$MAILTRAIL" replay -d "$TMP/cut.db" "$TMP/cut.2" >/dev/null
		life_state "$TMP/cut.db" | cmp -s "$TMP/cut.want" - ||
		    bad="$bad $k"
		k=$((k + 5))
	done
	check "${c% *}: cut at every fifth line, the state of the whole" \
	    "$(grep -c '^life|' "$TMP/cut.want") lives; differ after:$bad" \
	    "${c#* } lives; differ after:"
	rm -f "$TMP"/cut-whole.db*
done

# A maillog imported in two halves, in pieces of 100 lines (a commit
# each, as when it is followed), or before the report stream, gives the
# lives of the stream followed by the whole maillog, and in halves and
# pieces the same lines of maillog stored, with the same times.  Each
# maillog of the captures as smtpd -d wrote it (in pieces too), and as
# syslog did, the year of its times to be found (its copy dated the day
# after the captures: with no report, that date gives the year), and
# the year-wrap one, which no report knows.
# state DB: life_state (tests/lib.sh), then every line of maillog stored
state() {
	life_state "$1"
	q "$1" "SELECT 'outcome', line, t, kind, printf('%016x', evpid),
	    printf('%016x', bounce_evpid) FROM outcome ORDER BY line"
}
same_state() {
	state "$2" >"$TMP/state.want"
	state "$3" >"$TMP/state.got"
	if [ -s "$TMP/state.want" ] && cmp -s "$TMP/state.want" "$TMP/state.got"
	then
		ok "$1"
	else
		notok "$1"
		diff "$TMP/state.want" "$TMP/state.got" | head -20 |
		    sed 's/^/  /'
	fi
}
for m in "$DATA"/maillog/*/*.maillog "$DATA"/maillog/syslog/*.log; do
	name=$(basename "$m")
	name=${name%.*}
	v=$(basename "$(dirname "$m")")
	case $v/$name in
	6.*) c=$DATA/0.6/$name.log ;;
	7.*) c=$DATA/0.7/$name.log ;;
	syslog/year-wrap) c= ;;
	syslog/*-6.8) c=$DATA/0.6/${name%-6.8}.log ;;
	syslog/*-7.8) c=$DATA/0.7/${name%-7.8}.log ;;
	esac
	ways="whole halves pieces"
	[ $v = syslog ] && ways="whole halves"
	ml=$TMP/ml
	cp "$m" "$ml"
	touch -d '2026-11-24 00:00:00 UTC' "$ml"
	n=$(wc -l <"$ml")
	head -n $((n / 2)) "$ml" >"$TMP/ml.1"
	tail -n +$((n / 2 + 1)) "$ml" >"$TMP/ml.2"
	rm -f "$TMP"/ml.p.* "$TMP"/ml-*.db*
	split -l 100 "$ml" "$TMP/ml.p."
	touch -r "$ml" "$TMP"/ml.1 "$TMP"/ml.2 "$TMP"/ml.p.*
	for way in $ways; do
		[ -n "$c" ] && "$MAILTRAIL" replay -d "$TMP/ml-$way.db" "$c"
		case $way in
		whole) set -- "$ml" ;;
		halves) set -- "$TMP/ml.1" "$TMP/ml.2" ;;
		pieces) set -- "$TMP"/ml.p.* ;;
		esac
		for p in "$@"; do
			"$MAILTRAIL" maillog -d "$TMP/ml-$way.db" "$p"
		done
	done
	# a run without a transaction (n: refused at MAIL FROM, o) has no
	# life to compare: none may come of it
	if [ -n "$c" ] && ! grep -q '|tx-begin|' "$c"; then
		check "maillog $v/$name: no transaction in its run, no life, however imported" \
		    "$(for w in $ways; do life_state "$TMP/ml-$w.db"; done)" ""
		continue
	fi
	# lines taken, as many each way, some when the log names a message
	# or an envelope: empty states would agree too
	taken=
	for w in $ways; do
		taken="$taken $(q "$TMP/ml-$w.db" "SELECT count(*) FROM outcome")"
	done
	some=$(grep -c 'evpid=\|msgid=' "$ml")
	check "maillog $v/$name: lines taken, as many each way" \
	    "$(echo $taken | awk -v some="$some" '{
		for (i = 1; i <= NF; i++)
			if ($i != $1 || (some > 0 && $i == 0)) {
				print "no:" $0; exit
			}
		print "yes" }')" yes
	same_state "maillog $v/$name in two halves: as whole" \
	    "$TMP/ml-whole.db" "$TMP/ml-halves.db"
	[ $v = syslog ] ||
	    same_state "maillog $v/$name in pieces of 100 lines: as whole" \
	    "$TMP/ml-whole.db" "$TMP/ml-pieces.db"
	[ -n "$c" ] || continue
	"$MAILTRAIL" maillog -d "$TMP/ml-first.db" "$ml"
	"$MAILTRAIL" replay -d "$TMP/ml-first.db" "$c"
	same_lives "maillog $v/$name before its stream: the same lives" \
	    "$TMP/ml-whole.db" "$TMP/ml-first.db"
	[ "$v/$name" = 6.8/b-multi-rcpt ] &&
	    check "maillog: the whole import gives whole lives ($v/$name)" \
	    "$(lives_whole "$TMP/ml-whole.db")" "4 lives, whole"
done

# A bounce committed before its original failed: b-multi-rcpt's bounce
# 83e5c9a6 (its smtp-in session, lines 90-125 of the capture) replayed
# before the 550 that failed 1466b132e53384c3 (line 79 on: the attempt
# had begun), each session's lines in their order, in one replay, and in
# three (a commit after each part); with the maillog, and without.
B=$DATA/0.6/b-multi-rcpt.log
BML=$DATA/maillog/6.8/b-multi-rcpt.maillog
check "bounce first: the cut falls on the sessions it should" \
    "$(sed -n '78p;79p;90p;125p' "$B" | cut -d'|' -f5,6 | tr '\n' ' ')" \
    "tx-envelope|04f9ab4a91cf3dcf protocol-server|04f9ab4a91cf3dcf \
link-connect|04f9ab4b26c6bffd link-disconnect|04f9ab4b26c6bffd "
sed -n '1,78p' "$B" >"$TMP/bf.1"
sed -n '90,125p' "$B" >"$TMP/bf.2"
sed -n '79,89p;126,$p' "$B" >"$TMP/bf.3"
cat "$TMP/bf.1" "$TMP/bf.2" "$TMP/bf.3" >"$TMP/bf.log"
check "bounce first: every line of the capture, once" \
    "$(sort "$TMP/bf.log" | cksum)" "$(sort "$B" | cksum)"
"$MAILTRAIL" replay -d "$TMP/bf-straight.db" "$B"
"$MAILTRAIL" replay -d "$TMP/bf-one.db" "$TMP/bf.log"
for p in 1 2 3; do
	"$MAILTRAIL" replay -d "$TMP/bf-three.db" "$TMP/bf.$p"
done
replays() { [ "$1" = one ] && echo "one replay" || echo "three replays"; }
check "bounce first: the straight replay's lives, whole" \
    "$(lives_whole "$TMP/bf-straight.db")" "4 lives, whole"
"$MAILTRAIL" export -d "$TMP/bf-straight.db" --summary >"$TMP/bf.want"
for way in one three; do
	w=$(replays $way)
	same_lives "bounce first, in $w: the lives of the straight replay" \
	    "$TMP/bf-straight.db" "$TMP/bf-$way.db"
	"$MAILTRAIL" export -d "$TMP/bf-$way.db" --summary >"$TMP/bf.got"
	check_cmd "bounce first, in $w: export --summary as the straight replay" \
	    cmp "$TMP/bf.want" "$TMP/bf.got"
	"$MAILTRAIL" maillog -d "$TMP/bf-$way.db" "$BML"
done
"$MAILTRAIL" maillog -d "$TMP/bf-straight.db" "$BML"
"$MAILTRAIL" export -d "$TMP/bf-straight.db" --summary >"$TMP/bf.want"
for way in one three; do
	w=$(replays $way)
	same_lives "bounce first, in $w, then the maillog: the same lives" \
	    "$TMP/bf-straight.db" "$TMP/bf-$way.db"
	"$MAILTRAIL" export -d "$TMP/bf-$way.db" --summary >"$TMP/bf.got"
	check_cmd "bounce first, in $w, then the maillog: the same export" \
	    cmp "$TMP/bf.want" "$TMP/bf.got"
done
check "bounce first: the bounce linked to its cause, as straight" \
    "$("$MAILTRAIL" trace -d "$TMP/bf-three.db" --json 83e5c9a66a7d30a0 |
    jq -r '.bounce_of[] | "\(.evpid) \(.link) \(.status)"')" \
    "1466b132e53384c3 exact failed"

# A database of schema 7 (tests/data/schema-7: made by mailtrail as of
# 46729f4) gets the state of its lives at the writer's next open, by
# replay or by maillog, equal to a replay of the same files by this one.
. "$DATA/schema-7/files.sh"
"$MAILTRAIL" replay -d "$TMP/s8.db" $REPLAY
"$MAILTRAIL" maillog -d "$TMP/s8.db" $MAILLOG
printf '%s\n' "$EXPIRE" >"$TMP/expire.maillog"
"$MAILTRAIL" maillog -d "$TMP/s8.db" "$TMP/expire.maillog"
check "schema 7: this replay's lives are whole, of all statuses but deferred" \
    "$(lives_whole "$TMP/s8.db"): $(q "$TMP/s8.db" "SELECT group_concat(s)
    FROM (SELECT DISTINCT status AS s FROM life ORDER BY 1)")" \
    "15 lives, whole: 0,1,3,4,5,6,7"
for how in replay maillog; do
	s7=$TMP/s7-$how.db
	sqlite3 "$s7" <"$DATA/schema-7/trail.sql"
	# Lines without a time were estimated otherwise then (the
	# envelope's time plus the delay): take this version's estimates.
	sqlite3 "$s7" "ATTACH '$TMP/s8.db' AS n; UPDATE outcome SET t =
	    (SELECT x.t FROM n.outcome x WHERE x.line = outcome.line)" \
	    >/dev/null
	check "schema 7 ($how): the fixture is of version 7, without lives" \
	    "$(q "$s7" "PRAGMA user_version")|$(q "$s7" "SELECT count(*) FROM
	    sqlite_master WHERE name LIKE 'life%'")" "7|0"
	# A line kept raw only: no time, kind 0.
	q "$s7" "INSERT INTO event(t, k, raw) VALUES (NULL, 0, X'7C00FF')"
	ev="SELECT id, quote(t), k, s, m, x, quote(raw) FROM event
	    ORDER BY id"
	q "$s7" "$ev" >"$TMP/s7-events.before"
	check_cmd "schema 7: $how opens it" "$MAILTRAIL" "$how" -d "$s7" /dev/null
	# Schema 19 stores an event's time and kind as offsets: each
	# event reads back as it was, and the offsets are as it says.
	q "$s7" "$ev" >"$TMP/s7-events.after"
	check "schema 7 ($how): every event as it was, of $(wc -l \
	    <"$TMP/s7-events.before") rows" \
	    "$(cmp "$TMP/s7-events.before" "$TMP/s7-events.after" &&
	    q "$s7" "SELECT count(*) FROM event WHERE
	    t_off IS t - 1798761600000000 AND k_off = k - 128")" \
	    "$(q "$s7" "SELECT count(*) FROM event")"
	check "schema 7 ($how): the current version, the build done" \
	    "$(q "$s7" "PRAGMA user_version")|$(q "$s7" "SELECT count(*) FROM
	    counter WHERE name = 'life_build' AND value != 0")" \
	    "$(q "$TMP/s8.db" "PRAGMA user_version")|0"
	same_lives "schema 7 ($how): its lives built as this replay's" \
	    "$TMP/s8.db" "$s7"
done
