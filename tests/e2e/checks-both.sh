# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# checks-both.sh -- the checks of the end-to-end scenarios l, m, n and p
# (tests/e2e/scenarios-both.sh) on the run's database, whatever smtpd ran
# them: sourced by tests/t-e2e.sh (6.8) and tests/t-e2e-7.sh (7.x) after
# checks.sh (DB, RAW, tj, tfact, $TMP/all.ndjson).  Defines vs.

# vs SESSION COLUMNS: v_session's columns for a session
vs() { q "$DB" "SELECT $2 FROM v_session WHERE session = '$1'"; }

tfact "l: relayed over STARTTLS with AUTH, the sink's reply kept" \
    to:l-auth@auth.sink.test '.[0].status == "delivered" and
    (.[0].attempts | length) == 1 and (.[0].attempts[0].tls |
    startswith("TLSv1.")) and (.[0].attempts[0].response |
    test("^250 2.0.0 queued as sink-[0-9]+$"))'
l=$(tj to:l-auth@auth.sink.test | jq -r '.attempts[0].session')
check "l: smtp-out AUTH as relayuser passed, masked" \
    "$(vs "$l" "auth_user, auth_result")|$(q "$DB" "SELECT params FROM
    v_event WHERE session = '$l' AND params LIKE 'AUTH%'")" \
    "relayuser|pass|AUTH PLAIN ********"
check "m: smtp-out AUTH refused by the next hop: fail, after TLS" \
    "$(q "$DB" "SELECT count(*) >= 1, min(tls IS NOT NULL) FROM v_session
    WHERE subsystem = 'smtp-out' AND auth_result = 'fail' AND
    auth_user = 'relayuser'")" "1|1"
check "m: the next hop's 535 on that session" \
    "$(q "$DB" "SELECT DISTINCT e.params FROM v_event e JOIN v_session s
    ON s.session = e.session WHERE s.auth_result = 'fail' AND
    s.subsystem = 'smtp-out' AND e.event = 'protocol-server' AND
    e.params LIKE '535%'")" "535 5.7.8 Authentication credentials invalid"
tfact "m: refused AUTH: deferred without an attempt, then removed" \
    to:m-badauth@badauth.sink.test '.[0].status == "removed" and
    ([.[0].attempts[] | select(.source == "report")] | length) == 0'
check "n: the builtin filter's reject at MAIL FROM, with its reply" \
    "$(q "$DB" "SELECT decision, param FROM v_filter WHERE
    phase = 'mail-from' AND decision != 'proceed'")" \
    "reject|550 5.7.1 sender refused by builtin filter"
check "n: no transaction began for the refused sender" \
    "$(q "$DB" "SELECT count(*) FROM tx WHERE mail_from = 'spammer@sink.test'")" 0
tfact "n: the refused MAIL FROM is no life: its session is the answer" \
    from:spammer@sink.test 'length == 1 and .[0].kind == "session" and
    .[0].outcome == "refused-mail" and .[0].mail_from == "spammer@sink.test"
    and .[0].reason.params == "550 5.7.1 sender refused by builtin filter"'
tfact "p: the next hop stopped answering after RCPT, then delivered" \
    to:stall-p@stall.test '.[0].status == "delivered" and
    (.[0].attempts | map(.result)) == ["tempfail", "ok"] and
    .[0].attempts[0].response == null and
    .[0].attempts[0].session != .[0].attempts[1].session and
    .[0].attempts[0].duration >= 2'
p=$(tj to:stall-p@stall.test | jq -r '.attempts[0].session')
check "p: its last line was our RCPT, unanswered" \
    "$(q "$DB" "SELECT event, params FROM v_event WHERE session = '$p' AND
    event LIKE 'protocol-%' ORDER BY id DESC LIMIT 1")" \
    "protocol-client|RCPT TO:<stall-p@stall.test>"

# No secret in the database nor in any export: the passwords, and their
# base64 as AUTH PLAIN and LOGIN send them.
: >"$TMP/secrets"
while read -r pw; do
	printf '%s\n' "$pw" "$(printf '%s' "$pw" | base64)"
	for u in ann relayuser; do
		printf '\0%s\0%s' "$u" "$pw" | base64 -w0
		echo
		printf '%s\0%s\0%s' "$u" "$u" "$pw" | base64 -w0
		echo
	done
done <"$dir/secrets" >"$TMP/secrets"
sqlite3 "$DB" .dump >"$TMP/dump.sql"
"$MAILTRAIL" export -d "$DB" --raw >"$TMP/raw.out"
"$MAILTRAIL" export -d "$DB" --events >"$TMP/events.out"
check "no AUTH secret in the database (.dump) nor the exports" \
    "$(cat "$TMP/dump.sql" "$TMP/raw.out" "$TMP/events.out" "$TMP/all.ndjson" |
    grep -c -F -f "$TMP/secrets")" 0
check "the secrets were sent: the sink saw relayuser's" \
    "$(grep -c "auth PLAIN ok relayuser" "$dir/sink-tls.log")" 1
