# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-sessions.sh: what each session came to (session.outcome, decided by
# collector/sess_outcome.c), on real captures of smtpd 6.8 (0.6) and
# 7.6 (0.7), against what the stream itself shows; and the same
# outcomes when the collector is restarted every few lines.
. "$(dirname "$0")/lib.sh"

# outcomes DB: one line a session: direction, hex id, outcome, the
# line that decided it, a refused sender
outcomes() {
	q "$1" "SELECT subsystem, session, outcome, coalesce(reason, '-'),
	    coalesce(refused_from, '-') FROM v_session ORDER BY t_start, id"
}

# outcome_of DB SESSION: the outcome|reason|refused_from of one session
outcome_of() {
	q "$1" "SELECT outcome, coalesce(reason, '-'),
	    coalesce(refused_from, '-') FROM v_session WHERE session = '$2'"
}

for f in "$DATA"/0.6/*.log "$DATA"/0.7/*.log; do
	n=$(basename "$(dirname "$f")")-$(basename "$f" .log)
	"$MAILTRAIL" replay -d "$TMP/$n.db" "$f" >/dev/null 2>&1
done

check "0.7 builtin filter: the sender refused at MAIL FROM, no tx" \
    "$(outcome_of "$TMP/0.7-n-builtin-filter.db" ec419ef3b6c91bca)" \
    "refused-mail|550 5.7.1 sender refused by builtin filter|spammer@sink.test"
check "0.7 a client gives up after the 220 to STARTTLS" \
    "$(outcome_of "$TMP/0.7-o-starttls-giveup.db" ec419ef46078f9f8)" \
    "tls-failed|220 2.0.0 Ready to start TLS|-"
check "0.7 a next hop stalls after RCPT: the first session aborted" \
    "$(outcome_of "$TMP/0.7-p-next-hop-stalls.db" ec419ef796b40967)" \
    "aborted|-|-"
check "0.7 a next hop stalls after RCPT: the retry delivered" \
    "$(outcome_of "$TMP/0.7-p-next-hop-stalls.db" ec419efbeee7a889)" \
    "mail|-|-"
E2E=$TMP/0.7-e2e-suite.db
check "0.7 AUTH PLAIN with a wrong password, inbound" \
    "$(outcome_of "$E2E" ec419eed41c55437 | cut -d'|' -f1,2 |
    cut -c1-15)" "auth-failed|535"
check "0.7 AUTH LOGIN with a wrong password, inbound" \
    "$(outcome_of "$E2E" ec419eef05a5da42 | cut -d'|' -f1,2 |
    cut -c1-15)" "auth-failed|535"
check "0.7 the next hop refuses our AUTH: the reply, not link-auth" \
    "$(outcome_of "$E2E" ec419eff90fa862e)" \
    "auth-failed|535 5.7.8 Authentication credentials invalid|-"
check "0.7 smtp-out connections that failed (a disconnect alone)" \
    "$(q "$E2E" "SELECT session FROM v_session WHERE outcome =
    'connect-failed'" | tr '\n' ' ')" "ec419eda52673399 ec419efad29d67cb "
check "0.7 every other session of the suite committed mail" \
    "$(q "$E2E" "SELECT outcome, count(*) FROM session GROUP BY 1" |
    tr '\n' ' ')" "aborted|1 auth-failed|3 connect-failed|2 mail|15 no-mail|1 refused-mail|1 refused-rcpt|1 tls-failed|1 "
check "0.6 a client disconnects while sending the message" \
    "$(q "$TMP/0.6-e-disconnect-in-data.db" "SELECT outcome FROM
    session")" "aborted"
check "0.6 RSET then QUIT: no mail, nothing refused" \
    "$(q "$TMP/0.6-c-rset-quit.db" "SELECT outcome FROM session")" \
    "no-mail"
check "0.6 relaying denied at RCPT" \
    "$(q "$TMP/0.6-d-relay-denied.db" "SELECT outcome, substr(reason, 1,
    3) FROM v_session")" "refused-rcpt|550"
check "0.6 the next hop refused a recipient of a message it took: mail" \
    "$(q "$TMP/0.6-b-multi-rcpt.db" "SELECT outcome FROM v_session WHERE
    subsystem = 'smtp-out' ORDER BY t_start" | tr '\n' ' ')" \
    "mail refused-rcpt "
check "0.6 a committed session stays mail after later refusals" \
    "$(q "$TMP/0.6-relay-suite.db" "SELECT count(*) FROM session s WHERE
    EXISTS (SELECT 1 FROM tx WHERE tx.session = s.id AND t_commit IS NOT
    NULL) AND outcome IS NOT 'mail'")" 0
check "no session is left without an outcome" \
    "$(for f in "$TMP"/*.db; do q "$f" "SELECT count(*) FROM session
    WHERE outcome IS NULL"; done | sort -u)" 0

# stepped FILE N: FILE fed N lines a run into a new database, the
# collector started again each time: the outcomes of a straight replay
stepped() {
	rm -f "$TMP"/step.db*
	total=$(wc -l <"$1")
	k=1
	while [ "$k" -le "$total" ]; do
		sed -n "$k,$((k + $2 - 1))p" "$1" >"$TMP/step"
		"$MAILTRAIL" replay -d "$TMP/step.db" "$TMP/step" >/dev/null \
		    2>&1 || echo "failed at line $k"
		k=$((k + $2))
	done
	outcomes "$TMP/step.db"
}
for f in 0.7/n-builtin-filter 0.7/o-starttls-giveup 0.6/e-disconnect-in-data \
    0.6/d-relay-denied; do
	n=$(echo "$f" | tr / -)
	check "$f: a restart every line, the same outcomes" \
	    "$(stepped "$DATA/$f.log" 1)" "$(outcomes "$TMP/$n.db")"
done
# a-relay-ok with a MAIL FROM refused after its message: 'mail' is for
# good, in one run and with the collector started again after the commit
A7=$DATA/0.7/a-relay-ok.log
{ sed -n 1,39p "$A7"
  echo "report|0.7|1795464063.781000|smtp-in|protocol-client|\
2777bcbfb5f90c13|MAIL FROM:<eve@sink.test>"
  echo "report|0.7|1795464063.781100|smtp-in|protocol-server|\
2777bcbfb5f90c13|550 5.7.1 sender refused"
  sed -n '40,$p' "$A7"; } >"$TMP/late.log"
"$MAILTRAIL" replay -d "$TMP/late.db" "$TMP/late.log" >/dev/null 2>&1
check "0.7 a MAIL FROM refused after the message: the session stays mail" \
    "$(outcome_of "$TMP/late.db" 2777bcbfb5f90c13)" "mail|-|-"
check "0.7 the same with a restart after the commit" \
    "$(stepped "$TMP/late.log" 39)" "$(outcomes "$TMP/late.db")"
# the sessions of the suite with an AUTH failure both ways (a restart
# inside the AUTH LOGIN exchange) and the failed connections
grep -E 'ec419eef05a5da42|ec419eff90fa862e|ec419eda52673399' \
    "$DATA/0.7/e2e-suite.log" >"$TMP/auth.log"
"$MAILTRAIL" replay -d "$TMP/auth.db" "$TMP/auth.log" >/dev/null 2>&1
check "0.7 AUTH failures: a restart every line, the same outcomes" \
    "$(stepped "$TMP/auth.log" 1)" "$(outcomes "$TMP/auth.db")"
check "0.7 AUTH failures: decided by the 535s" \
    "$(outcomes "$TMP/auth.db" | cut -d'|' -f3,4 | cut -c1-15 |
    tr '\n' ' ')" "connect-failed| auth-failed|535 auth-failed|535 "

# report tls counts the handshakes that failed, from the outcomes
tls_failed() {
	"$MAILTRAIL" report tls -d "$1" --json | jq -r '.sections[] |
	    select(.name == "handshake_failed") | .rows[] |
	    [.direction, .peer, .sessions, .last_reply] | join("|")'
}
check "report tls: the client that gave up in STARTTLS" \
    "$(tls_failed "$TMP/0.7-o-starttls-giveup.db")" \
    "smtp-in|127.0.0.1|1|220 2.0.0 Ready to start TLS"
check "report tls: no failed handshake in the 6.8 relay suite (a section)" \
    "$(outjq '[.sections[] | select(.name == "handshake_failed") |
    .rows | length]' report tls -d "$TMP/0.6-relay-suite.db" --json)" "[0]"

# Each bundled stream beside smtpd's own log of the same run: every
# session the log decides (tests/e2e/outcomes.awk) has that outcome,
# as the end-to-end run checks live.
for ml in "$DATA"/maillog/7.6/*.maillog "$DATA"/maillog/6.8/*.maillog; do
	ver=$(basename "$(dirname "$ml")")
	p=0.7; [ "$ver" = 6.8 ] && p=0.6
	n=$p-$(basename "$ml" .maillog)
	[ -f "$TMP/$n.db" ] || continue
	sed 's/^[0-9.]* //' "$ml" | awk -f "$TESTS/e2e/outcomes.awk" |
	    sort >"$TMP/$n.want"
	q "$TMP/$n.db" "SELECT session || ' ' || coalesce(outcome, 'open')
	    FROM v_session" | sort >"$TMP/$n.got"
	# every session the log decides is found, with its outcome
	[ -s "$TMP/$n.want" ] || continue
	check "$ver $(basename "$ml" .maillog): $(wc -l <"$TMP/$n.want") \
	    sessions as smtpd's log says" "$(join -a 1 "$TMP/$n.want" \
	    "$TMP/$n.got" | awk '$2 != $3')" ""
done
