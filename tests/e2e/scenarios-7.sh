# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# scenarios-7.sh -- the scenarios run.sh adds for OpenSMTPD 7.x
# (E2E_MORE=this file, with E2E_CONF=smtpd-7.conf.in): what Debian 12's
# 6.8 cannot do (inbound STARTTLS, so inbound AUTH), and streams later
# work needs.  Sourced by run.sh, which calls more_setup before smtpd
# starts and more_scenarios once its own have run.
#   h  STARTTLS on the submission port, AUTH PLAIN: passes, relayed
#   i  STARTTLS, AUTH PLAIN with a wrong password: 535
#   j  STARTTLS, AUTH LOGIN: passes, relayed
#   k  STARTTLS, AUTH LOGIN with a wrong password: 535
#   l  relayed over STARTTLS with AUTH to the TLS sink: passes
#   m  the same with a password the sink refuses: deferred, then removed
#   n  a sender refused at MAIL FROM by a builtin filter
#   o  a client that gives up after the 220 to STARTTLS
#   p  a next hop that stops answering after RCPT, then drops the
#      connection: deferred; delivered on the retry (smtpctl schedule)
# The secrets are written to $E2E_DIR/secrets, one a line, so that the
# test can look for them (and their base64) where none may be.

# shellcheck disable=SC2034 # read by run.sh
MORE_PORTS="PORT_SUB PORT_CHK PORT_TLS PORT_STALL"
# smtp-in users (table users) and the TLS sink's one (table relaycreds)
AUTH_USER=ann
AUTH_PASS=ann-pw-7c1d9e
AUTH_BAD=ann-wrong-4b2f80
RELAY_USER=relayuser
RELAY_PASS=relay-pw-e05a31
RELAY_BAD=relay-wrong-9d6c27

# e2e_in_root CMD...: CMD in E2E_ROOT (chrooted), or on the host
e2e_in_root() {
	if [ -n "$E2E_ROOT" ]; then
		chroot "$E2E_ROOT" "$@"
	else
		"$@"
	fi
}

more_setup() {
	local hash
	SINK_TLS_LOG=$E2E_DIR/sink-tls.log
	SINK_STALL_LOG=$E2E_DIR/sink-stall.log
	mkdir -m 0700 "$E2E_DIR/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=e2e.test \
	    -keyout "$E2E_DIR/tls/e2e.key" -out "$E2E_DIR/tls/e2e.crt" \
	    >/dev/null 2>&1 || e2e_die "openssl could not make a certificate"
	chmod 0600 "$E2E_DIR/tls/e2e.key"
	hash=$(e2e_in_root "$SMTPCTL" encrypt "$AUTH_PASS") ||
		e2e_die "smtpctl encrypt failed"
	printf '%s %s\n' "$AUTH_USER" "$hash" >"$E2E_DIR/users"
	printf 'good %s:%s\nbad %s:%s\n' "$RELAY_USER" "$RELAY_PASS" \
	    "$RELAY_USER" "$RELAY_BAD" >"$E2E_DIR/relaycreds"
	chmod 0600 "$E2E_DIR/users" "$E2E_DIR/relaycreds"
	printf '%s\n' "$AUTH_PASS" "$AUTH_BAD" "$RELAY_PASS" "$RELAY_BAD" \
	    >"$E2E_DIR/secrets"
	e2e_sink_start "$PORT_TLS" "$SINK_TLS_LOG" --tls "$E2E_DIR/tls/e2e.crt" \
	    "$E2E_DIR/tls/e2e.key" --auth "$RELAY_USER:$RELAY_PASS"
	e2e_sink_start "$PORT_STALL" "$SINK_STALL_LOG" --stall 3
}

# swaks_auth NAME WANT-RC MECH PASSWORD TO: STARTTLS, then AUTH on the
# submission port
swaks_auth() {
	local name=$1 want=$2 mech=$3 pass=$4 to=$5 rc=0
	e2e_require_smtpd "scenario $name"
	printf '\n=== %s: STARTTLS, AUTH %s as %s -> %s\n' "$name" "$mech" \
	    "$AUTH_USER" "$to" >>"$CLIENT_LOG"
	swaks --server 127.0.0.1 --port "$PORT_SUB" --helo client.test --tls \
	    --auth "$mech" --auth-user "$AUTH_USER" --auth-password "$pass" \
	    --from "$AUTH_USER@sink.test" --to "$to" \
	    --header "Subject: mailtrail e2e $name" --timeout 20 \
	    >>"$CLIENT_LOG" 2>&1 || rc=$?
	e2e_log "scenario $name: swaks exit $rc"
	case $want in
	0) [ "$rc" = 0 ] || fail "scenario $name: swaks exit $rc, see $CLIENT_LOG" ;;
	*) [ "$rc" != 0 ] || fail "scenario $name: swaks succeeded but a refusal was expected" ;;
	esac
}

sink_tls_saw() { grep -q -- "$1" "$SINK_TLS_LOG"; }
sink_stall_saw() { grep -q -- "$1" "$SINK_STALL_LOG"; }

# evpid_of ADDR: the evpid smtpd logged for the recipient ADDR
evpid_of() {
	sed -n "s/.*smtp envelope evpid=\([0-9a-f]*\) .*to=<$1>.*/\1/p" \
	    "$SMTPD_LOG" | head -1
}

scenario_h() {
	swaks_auth h 0 PLAIN "$AUTH_PASS" h-plain@sink.test
	grep -q '<~  *235 ' "$CLIENT_LOG" ||
		fail "scenario h: no 235 to AUTH PLAIN"
}

scenario_i() {
	swaks_auth i nonzero PLAIN "$AUTH_BAD" i-plain@sink.test
}

scenario_j() {
	swaks_auth j 0 LOGIN "$AUTH_PASS" j-login@sink.test
}

scenario_k() {
	swaks_auth k nonzero LOGIN "$AUTH_BAD" k-login@sink.test
	[ "$(grep -c '<~\* *535 ' "$CLIENT_LOG")" = 2 ] ||
		fail "scenario k: not two 535 (i and k) from smtpd"
}

scenario_l() {
	swaks_send l 0 alice@sink.test l-auth@auth.sink.test
	e2e_wait_for 20 "the TLS sink's delivery for l" \
	    sink_tls_saw 'message sink-[0-9]* .*to=<l-auth@auth.sink.test>' ||
		fail "scenario l: not delivered to the TLS sink"
}

no_session_open() { [ "$(e2e_open_sessions "$RAW")" = 0 ]; }

# smtpd defers a refused AUTH only when it has no other session to
# 127.0.0.1 (a route it knows good is tried again and again, every 5 s):
# so m waits until every session has closed
scenario_m() {
	local evpid
	e2e_wait_for 30 "every session closed" no_session_open ||
		{ fail "scenario m: sessions still open"; return 0; }
	swaks_send m 0 alice@sink.test m-badauth@badauth.sink.test
	e2e_wait_for 20 "the TLS sink's refusal of bad" \
	    sink_tls_saw "auth PLAIN fail $RELAY_USER" ||
		{ fail "scenario m: the TLS sink refused no AUTH"; return 0; }
	e2e_wait_for 20 "a tempfail for m-badauth" smtpd_logged \
	    'mta delivery .*to=<m-badauth@badauth.sink.test>.*result="TempFail"' ||
		{ fail "scenario m: no tempfail for m-badauth"; return 0; }
	evpid=$(evpid_of m-badauth@badauth.sink.test)
	e2e_wait_for 15 "m-badauth waiting in the queue" \
	    queued_waiting m-badauth@badauth.sink.test ||
		{ fail "scenario m: m-badauth not waiting"; return 0; }
	e2e_ctl remove "$evpid" >>"$CLIENT_LOG" 2>&1 ||
		fail "scenario m: smtpctl remove $evpid failed"
}

scenario_n() {
	local rc=0
	e2e_require_smtpd "scenario n"
	printf '\n=== n: spammer@sink.test on the filtered port\n' >>"$CLIENT_LOG"
	swaks --server 127.0.0.1 --port "$PORT_CHK" --helo client.test \
	    --from spammer@sink.test --to n-victim@sink.test --timeout 20 \
	    >>"$CLIENT_LOG" 2>&1 || rc=$?
	e2e_log "scenario n: swaks exit $rc"
	[ "$rc" != 0 ] || fail "scenario n: the builtin filter let the sender in"
	grep -q '<\*\* *550 5.7.1 sender refused by builtin filter' \
	    "$CLIENT_LOG" || fail "scenario n: no 550 from the builtin filter"
}

# EHLO, STARTTLS, and once smtpd said 220: hang up
scenario_o() {
	local rc=0
	e2e_require_smtpd "scenario o"
	printf '\n=== o: STARTTLS, then hang up\n' >>"$CLIENT_LOG"
	"$PY" - "$PORT_SUB" >>"$CLIENT_LOG" 2>&1 <<'EOF' || rc=$?
import smtplib, sys
s = smtplib.SMTP("127.0.0.1", int(sys.argv[1]), local_hostname="client.test",
    timeout=20)
s.ehlo()
code, text = s.docmd("STARTTLS")
print("STARTTLS -> %d %s" % (code, text.decode()))
s.sock.close()
sys.exit(0 if code == 220 else 1)
EOF
	e2e_log "scenario o: exit $rc"
	[ "$rc" = 0 ] || fail "scenario o: smtpd did not answer 220 to STARTTLS"
}

scenario_p() {
	swaks_send p 0 alice@sink.test stall-p@stall.test
	e2e_wait_for 20 "the stall sink to drop stall-p" sink_stall_saw drop ||
		{ fail "scenario p: the sink never stalled"; return 0; }
	e2e_wait_for 20 "a tempfail for stall-p" smtpd_logged \
	    'mta delivery .*to=<stall-p@stall.test>.*result="TempFail"' ||
		{ fail "scenario p: no tempfail for stall-p"; return 0; }
	e2e_wait_for 15 "stall-p back in the queue" \
	    queued_waiting stall-p@stall.test ||
		{ fail "scenario p: stall-p not waiting in the queue"; return 0; }
	e2e_ctl schedule all >>"$CLIENT_LOG" 2>&1
	e2e_log "scenario p: smtpctl schedule all"
	e2e_wait_for 60 "retry delivered to stall-p" sink_stall_saw \
	    'message sink-[0-9]* .*to=<stall-p@stall.test>' ||
		fail "scenario p: retry for stall-p not delivered"
}

more_scenarios() {
	scenario_h
	scenario_i
	scenario_j
	scenario_k
	scenario_l
	scenario_n
	scenario_o
	scenario_p
	# last: two refused AUTHs make smtpd hold back every relay to
	# 127.0.0.1 for 15 s
	scenario_m
}
