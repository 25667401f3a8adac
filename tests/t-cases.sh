# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-cases.sh: the cases the end-to-end scenarios captured alone
# (tests/data/README), replayed with the maillog of the same run: a
# sender refused by a builtin filter (n) and a next hop that stops
# answering after RCPT (p), from 6.8 (protocol 0.6) and 7.6 (0.7) alike;
# a relay's AUTH passed and refused on 6.8 (l, m: link-auth in 0.6's
# order); an RSET on 7.6 (d).
. "$(dirname "$0")/lib.sh"

# db NAME CAPTURE MAILLOG: a database of the capture, and NAME+ml.db of
# it with the maillog of its run
db() {
	check_cmd "$1: replay" "$MAILTRAIL" replay -d "$TMP/$1.db" "$2"
	cp "$TMP/$1.db" "$TMP/$1+ml.db"
	check_cmd "$1: its maillog imported" "$MAILTRAIL" maillog \
	    -d "$TMP/$1+ml.db" "$3"
}
# life DB FIELDS: each life's fields (jq), a line each
life() { "$MAILTRAIL" export -d "$1" | jq -r "$2"; }

for vs in 0.6:6.8 0.7:7.6; do
	p=${vs%:*} v=${vs#*:}
	n=$v-n
	db $n "$DATA/$p/n-builtin-filter.log" \
	    "$DATA/maillog/$v/n-builtin-filter.maillog"
	check "$n: the reject and its reply, then smtpd's 550 to the client" \
	    "$(q "$TMP/$n.db" "SELECT phase, decision, param FROM v_filter
	    WHERE decision != 'proceed'")|$(q "$TMP/$n.db" "SELECT command,
	    reply, filter FROM v_refusal")" "mail-from|reject|550 5.7.1 \
sender refused by builtin filter|MAIL FROM:<spammer@sink.test>|550 5.7.1 \
sender refused by builtin filter|reject"
	# export: exit 0, no life; export --sessions: the session
	kinds() {
		"$MAILTRAIL" export -d "$1" >"$TMP/k.out"
		printf '%s:%s:' $? "$(wc -l <"$TMP/k.out")"
		"$MAILTRAIL" export --sessions -d "$1" | grep -c '"kind":"session"'
	}
	check "$n: no transaction, no life, with the maillog or without" \
	    "$(q "$TMP/$n.db" "SELECT count(*) FROM tx") $(kinds \
	    "$TMP/$n.db") $(kinds "$TMP/$n+ml.db")" "0 0:0:1 0:0:1"

	n=$v-p
	db $n "$DATA/$p/p-next-hop-stalls.log" \
	    "$DATA/maillog/$v/p-next-hop-stalls.maillog"
	check "$n: a tempfail without a reply on the first session, then ok" \
	    "$(q "$TMP/$n.db" "SELECT group_concat(result || ' ' ||
	    coalesce(reply, '-'), ', ') FROM (SELECT * FROM v_attempt
	    ORDER BY t)")" "tempfail -, ok 250 2.0.0 queued as sink-000001"
	check "$n: the stalled session ended with our RCPT unanswered" \
	    "$(q "$TMP/$n.db" "SELECT group_concat(event, ' ') FROM (SELECT
	    event FROM v_event WHERE session = (SELECT session FROM v_attempt
	    WHERE result = 'tempfail') ORDER BY id DESC LIMIT 3)")" \
	    "link-disconnect tx-envelope protocol-client"
	check "$n: with the maillog, both attempts confirmed" \
	    "$(life "$TMP/$n+ml.db" '[.status, (.attempts[] | .result,
	    .confirmed)] | join(" ")')" "delivered tempfail true ok true"
	check "$n: the maillog's reason, on the tempfail's session" \
	    "$(q "$TMP/$n+ml.db" "SELECT printf('%016x', o.sid) = s.session,
	    o.stat FROM outcome o JOIN v_attempt s ON s.id = o.attempt
	    WHERE o.result = 1")" "1|Connection closed unexpectedly"
done

# l, m: smtp-out AUTH after STARTTLS, "link-auth|user|result" in 0.6
db 6.8-l "$DATA/0.6/l-relay-auth-ok.log" \
    "$DATA/maillog/6.8/l-relay-auth-ok.maillog"
check "6.8-l: relayed in TLS, AUTH as relayuser passed, the line masked" \
    "$(q "$TMP/6.8-l.db" "SELECT tls, auth_user, auth_result FROM v_session
    WHERE subsystem = 'smtp-out'")|$(q "$TMP/6.8-l.db" "SELECT params FROM
    v_event WHERE params LIKE 'AUTH%'")" "TLSv1.3:TLS_AES_256_GCM_SHA384:256\
|relayuser|pass|AUTH PLAIN ********"
check "6.8-l: delivered in one attempt, in TLS, confirmed by the maillog" \
    "$(life "$TMP/6.8-l+ml.db" '[.status, (.attempts | length),
    .attempts[0].tls, .attempts[0].confirmed] | join(" ")')" \
    "delivered 1 TLSv1.3:TLS_AES_256_GCM_SHA384:256 true"
db 6.8-m "$DATA/0.6/m-relay-auth-refused.log" \
    "$DATA/maillog/6.8/m-relay-auth-refused.maillog"
check "6.8-m: AUTH as relayuser refused in TLS, the next hop's 535" \
    "$(q "$TMP/6.8-m.db" "SELECT tls IS NOT NULL, auth_user, auth_result
    FROM v_session WHERE subsystem = 'smtp-out'")|$(q "$TMP/6.8-m.db" \
    "SELECT params FROM v_event WHERE params LIKE '535 %'")" \
    "1|relayuser|fail|535 5.7.8 Authentication credentials invalid"
check "6.8-m: no transaction out, so no attempt: queued by the reports" \
    "$(life "$TMP/6.8-m.db" '[.status, (.attempts | length)] | join(" ")')" \
    "queued 0"
check "6.8-m: the maillog's tempfail without a session, then removed" \
    "$(life "$TMP/6.8-m+ml.db" '[.status, .reply, (.attempts[] |
    .session, .result, .response)] | join("|")')" "removed|Removed by \
administrator|0000000000000000|tempfail|Network error on destination MXs"

# d: RSET after RCPT on 7.6
db 7.6-d "$DATA/0.7/d-rset-quit.log" "$DATA/maillog/7.6/d-rset-quit.maillog"
check "7.6-d: RSET rolled the transaction back, QUIT ended the session" \
    "$(q "$TMP/7.6-d.db" "SELECT t.rolled_back, t.t_commit IS NULL,
    s.end_reason FROM tx t JOIN session s ON s.id = t.session")" \
    "1|1|disconnect"
check "7.6-d: aborted, no attempt, with the maillog or without" \
    "$(life "$TMP/7.6-d.db" '[.rcpt_to, .status, (.attempts | length)] |
    join(" ")') / $(life "$TMP/7.6-d+ml.db" '[.rcpt_to, .status,
    (.attempts | length)] | join(" ")')" \
    "grace@sink.test aborted 0 / grace@sink.test aborted 0"
