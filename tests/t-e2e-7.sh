# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-e2e-7.sh: the real smtpd of OpenSMTPD 7.x (report protocol 0.7):
# Debian 13's 7.6 in a trixie root (tests/e2e/debroot.sh builds it once
# and keeps it in /var/cache/mailtrail-test), chrooted in a private mount
# namespace on 127.0.0.1, with mailtrail collect as its report process.
# The scenarios of t-e2e.sh (checked by tests/e2e/checks.sh and
# checks-both.sh as there: relay AUTH, a builtin filter, a next hop that
# stops answering), then those of tests/e2e/scenarios-7.sh: STARTTLS and
# AUTH inbound, a client giving up in STARTTLS.  Every envelope, AUTH,
# TLS session and refusal in the database is checked against smtpd's own
# maillog, the raw export against the stream, and no AUTH secret may be
# stored.  Where the test cannot run it says why and is skipped, but
# fails under CI (CI=true).
. "$(dirname "$0")/lib.sh"

ROOT_DIR=${MAILTRAIL_TRIXIE:-/var/cache/mailtrail-test/trixie}

# cannot WHY: skipped, or under CI a failure
cannot() {
	if [ "${CI:-}" = true ]; then
		notok "end-to-end test against OpenSMTPD 7.x: cannot run: $*"
	else
		skip "end-to-end test against OpenSMTPD 7.x: SKIPPED: $*"
	fi
	exit 0
}

[ "$(id -u)" = 0 ] || cannot "needs root (smtpd must start as root)"
for t in swaks unshare nsenter chroot setpriv openssl; do
	command -v $t >/dev/null 2>&1 ||
		cannot "$t is not installed (make deps)"
done

ROOT=$(bash "$TESTS/e2e/debroot.sh" trixie "$ROOT_DIR" 2>"$TMP/trixie.err")
rc=$?
if [ $rc = 77 ]; then
	cannot "$(sed -n 's/^SKIPPED: //p' "$TMP/trixie.err" | head -1)"
fi
check "a Debian 13 root with OpenSMTPD 7.x in $ROOT_DIR" "$rc" 0
if [ $rc != 0 ]; then
	sed 's/^/  /' "$TMP/trixie.err" | tail -20
	exit 0
fi
# the version that runs, as Debian packages it, on a line of its own
version=$(chroot "$ROOT" dpkg-query -W -f '${Version}' opensmtpd)
echo "OpenSMTPD ${version%-*}"

E2E_ROOT=$ROOT E2E_CONF_MORE=$TESTS/e2e/smtpd-7.conf.in \
    E2E_MORE=$TESTS/e2e/scenarios-7.sh E2E_INSTALL="$MAILTRAIL $LIVE" \
    E2E_COLLECTOR="@BIN@/$(basename "$MAILTRAIL") collect -d @OUT@/mailtrail.db" \
    bash "$TESTS/e2e/run.sh" >"$TMP/e2e.out" 2>&1
rc=$?
dir=$(sed -n 's/^scratch dir: *\([^ ]*\).*/\1/p' "$TMP/e2e.out")
if [ $rc = 77 ]; then
	cannot "$(sed -n 's/^.*SKIPPED: //p' "$TMP/e2e.out" | head -1)"
fi
check "real smtpd 7.x run: all scenarios sent, smtpd stayed up" "$rc" 0
if [ $rc != 0 ] || [ -z "$dir" ]; then
	sed 's/^/  /' "$TMP/e2e.out" | tail -30
	exit 0
fi
LOG=$dir/smtpd.log
# the database as the reports alone made it (checks.sh imports the
# maillog into the run's)
cp "$dir/out/mailtrail.db" "$TMP/reports.db"

. "$TESTS/e2e/checks.sh"
# those of scenarios l, m, n and p, shared with t-e2e.sh
. "$TESTS/e2e/checks-both.sh"

check "smtpd said its version and protocol 0.7 in the handshake" \
    "$(grep -E '^config\|(smtpd-version|protocol)\|' "$RAW" |
    sed 's/-portable$//')" "config|smtpd-version|${version%%p*}
config|protocol|0.7"
check "every report line is of protocol 0.7, and there are some" \
    "$(grep -c '^report|0\.7|' "$RAW") $(grep -c '^report|' "$RAW" |
    awk '$1 > 0')" \
    "$(grep -c '^report|' "$RAW") $(grep -c '^report|' "$RAW")"

# --- every fact of the maillog, from the database the reports made ---
# maillog lines without their time stamp
ml() { sed 's/^[0-9.]* //' "$LOG"; }
R=$TMP/reports.db
"$MAILTRAIL" export -d "$R" >"$TMP/lives.ndjson"

# smtp-in: each envelope smtpd accepted (its "smtp envelope" line)
ml | sed -n 's/^\([0-9a-f]*\) smtp envelope evpid=\([0-9a-f]*\) from=<\(.*\)> to=<\(.*\)>$/\1 \2 <\3> <\4>/p' |
    sort >"$TMP/want"
jq -r 'select(.evpid != null and .status != "aborted") |
    "\(.received.session) \(.evpid) <\(.mail_from)> <\(.rcpt_to)>"' \
    "$TMP/lives.ndjson" | sort >"$TMP/got"
check "maillog: $(wc -l <"$TMP/want") envelopes, each with its session, sender and recipient" \
    "$(cat "$TMP/got")" "$(cat "$TMP/want")"

# smtp-out: each delivery attempt on a session (not the ones that never
# connected, session 0), with its result and the next hop's reply
ml | sed -n 's/^\([0-9a-f]*\) mta delivery evpid=\([0-9a-f]*\) .* result="\([A-Za-z]*\)" stat="\(.*\)"$/\1 \2 \3 \4/p' |
    grep -v '^0000000000000000 ' |
    awk '{ r = $3 == "Ok" ? "ok" : ($3 == "TempFail" ? "tempfail" : "permfail")
	s = $0; sub(/^[^ ]* [^ ]* [^ ]* /, "", s)
	print $1, $2, r, (s ~ /^[2-5][0-9][0-9] / ? s : "-") }' |
    sort >"$TMP/want"
jq -r '.evpid as $e | .attempts[] | select(.source == "report") |
    "\(.session) \($e) \(.result) \(.response // "-")"' \
    "$TMP/lives.ndjson" | sort >"$TMP/got"
check "maillog: $(wc -l <"$TMP/want") attempts, each with its session, result and reply" \
    "$(cat "$TMP/got")" "$(cat "$TMP/want")"

# every envelope's status: from the reports where they saw it end, and
# after importing the maillog (local delivery, removal, no connection)
ml | awk '$2 == "mta" && $3 == "delivery" || $2 == "mda" && $3 == "delivery" {
	e = substr($4, 7); r = $0; sub(/.* result=/, "", r); sub(/ .*/, "", r)
	gsub(/"/, "", r)
	s[e] = r == "Ok" ? "delivered" : (r == "PermFail" ? "failed" : "deferred")
	z[e] = z[e] || $1 == "0000000000000000" || $2 == "mda" }
    $2 == "Remove" && $3 == "for" { e = $4; sub(/:$/, "", e)
	s[e] = "removed"; z[e] = 1 }
    $2 == "smtp" && $3 == "envelope" { e = substr($4, 7)
	if (!(e in s)) s[e] = "queued" }
    END { for (e in s) print e, s[e], z[e] ? "maillog" : "reports" }' |
    sort >"$TMP/status"
jq -r 'select(.evpid != null and .status != "aborted") |
    "\(.evpid) \(.status)"' "$TMP/lives.ndjson" | sort >"$TMP/got"
check "maillog: every envelope the reports saw end has the maillog's status" \
    "$(join "$TMP/got" "$TMP/status" | awk '$4 == "reports" &&
    $3 != "queued" { print $1, $2 }')" \
    "$(awk '$3 == "reports" && $2 != "queued" { print $1, $2 }' \
    "$TMP/status")"
"$MAILTRAIL" export -d "$DB" | jq -r 'select(.evpid != null and
    .status != "aborted") | "\(.evpid) \(.status)"' | sort >"$TMP/got"
check "maillog imported: every envelope has the maillog's status" \
    "$(cat "$TMP/got")" "$(cut -d' ' -f1,2 "$TMP/status")"
check "maillog: the statuses seen are the ones the scenarios make" \
    "$(cut -d' ' -f2 "$TMP/status" | sort -u | tr '\n' ' ')" \
    "delivered failed removed "

# smtp-in AUTH and TLS: each the maillog logs, on its session
ml | sed -n 's/^\([0-9a-f]*\) smtp authentication user=\(.*\) result=\([a-z]*\)$/\1 \2 \3/p' |
    sed 's/ ok$/ pass/; s/ permfail$/ fail/' | sort >"$TMP/want"
q "$R" "SELECT session || ' ' || user || ' ' || result FROM v_auth" |
    sort >"$TMP/got"
check "maillog: $(wc -l <"$TMP/want") AUTH on smtp-in, each with its session, user and result" \
    "$(cat "$TMP/got")" "$(cat "$TMP/want")"
ml | sed -n 's/^\([0-9a-f]*\) \(smtp\|mta\) tls ciphers=\(.*\)$/\1 \2 \3/p' |
    sed 's/ smtp / smtp-in /; s/ mta / smtp-out /' | sort >"$TMP/want"
q "$R" "SELECT session || ' ' || subsystem || ' ' || tls FROM v_session
    WHERE tls IS NOT NULL" | sort >"$TMP/got"
check "maillog: $(wc -l <"$TMP/want") TLS sessions, each with its direction and cipher" \
    "$(cat "$TMP/got")" "$(cat "$TMP/want")"
# smtp-in refusals: each failed command, with smtpd's reply
ml | sed -n 's/^\([0-9a-f]*\) smtp failed-command command=".*" result="\(.*\)"$/\1 \2/p' |
    sort >"$TMP/want"
q "$R" "SELECT session || ' ' || reply FROM v_refusal" | sort >"$TMP/got"
check "maillog: $(wc -l <"$TMP/want") refused commands, each with its session and reply" \
    "$(cat "$TMP/got")" "$(cat "$TMP/want")"

# --- the 7.x scenarios (vs: checks-both.sh) ---
# sess RCPT: the smtp-in session of the envelope for RCPT
sess() {
	q "$R" "SELECT in_session FROM v_envelope WHERE rcpt_to = '$1'"
}
h=$(sess h-plain@sink.test)
check "h: STARTTLS, then AUTH PLAIN passed, on one smtp-in session" \
    "$(vs "$h" "tls GLOB 'TLSv1.[23]:*:*', auth_user, auth_result")" \
    "1|ann|pass"
check "h: the AUTH PLAIN line kept masked" \
    "$(q "$R" "SELECT group_concat(params, '/') FROM v_event WHERE
    session = '$h' AND event = 'protocol-client' AND params LIKE 'AUTH%'")" \
    "AUTH PLAIN ********"
tfact "h: relayed after AUTH, received with its TLS and user" \
    to:h-plain@sink.test '.[0].status == "delivered" and
    .[0].received.auth_user == "ann" and (.[0].received.tls |
    startswith("TLSv1."))'
check "i, k: the two refused AUTHs, on TLS sessions, nothing sent" \
    "$(q "$R" "SELECT count(*), sum(s.tls IS NOT NULL), sum(t.id IS NOT NULL)
    FROM v_auth a JOIN session s ON s.id = a.session_id
    LEFT JOIN tx t ON t.session = s.id WHERE a.result = 'fail'")" "2|2|0"
check "i, k: smtpd's 535, after AUTH PLAIN and after the LOGIN password (named by its AUTH LOGIN)" \
    "$(q "$R" "SELECT group_concat(command || ' -> ' || reply, '/') FROM
    (SELECT * FROM v_refusal WHERE code = '535' ORDER BY t)")" \
    "AUTH PLAIN ******** -> 535 Authentication failed/AUTH LOGIN -> 535 Authentication failed"
j=$(sess j-login@sink.test)
check "j: AUTH LOGIN passed: user and password lines masked" \
    "$(q "$R" "SELECT group_concat(params, '/') FROM v_event WHERE
    session = '$j' AND event = 'protocol-client' AND id > (SELECT min(id)
    FROM v_event WHERE session = '$j' AND params = 'AUTH LOGIN') AND
    id < (SELECT min(id) FROM v_event WHERE session = '$j' AND
    event = 'link-auth')")" "********/********"
check "j: the session's AUTH" "$(vs "$j" "auth_user, auth_result")" "ann|pass"
o=$(ml | sed -n 's/^\([0-9a-f]*\) smtp disconnected reason=.*handshake.*/\1/p')
check "o: gave up after the 220 to STARTTLS: no TLS, session closed" \
    "$(vs "$o" "tls IS NULL, t_end IS NOT NULL")|$(q "$R" "SELECT
    group_concat(params, '/') FROM (SELECT params FROM v_event WHERE
    session = '$o' AND event = 'protocol-server' ORDER BY id DESC
    LIMIT 1)")" "1|1|220 2.0.0 Ready to start TLS"

# E2E_KEEP=1 keeps the scratch dir (its path is in the run's output)
[ -n "${E2E_KEEP:-}" ] || rm -rf "$dir"
