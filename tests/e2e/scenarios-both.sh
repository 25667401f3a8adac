# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# scenarios-both.sh -- the scenarios run.sh drives besides a-g on every
# smtpd, 6.8 and 7.x alike (their listener and actions are in
# smtpd-both.conf.in).  Sourced by run.sh, which calls both_setup before
# smtpd starts, then their scenario_X in turn: m_send, p_send and l
# first, n (BOTH_SCENARIOS) after g, then p and m.
#   l  relayed over STARTTLS with AUTH to the TLS sink: passes
#   m  the same with a password the sink refuses: deferred, then removed
#   n  a sender refused at MAIL FROM by a builtin filter
#   p  a next hop that stops answering after RCPT, then drops the
#      connection: deferred; delivered on the retry (smtpctl schedule)
# The relay's secrets are written to $E2E_DIR/secrets, one a line, so
# that the test can look for them (and their base64) where none may be.

# shellcheck disable=SC2034 # read by run.sh
BOTH_PORTS="PORT_CHK PORT_TLS PORT_STALL"
# shellcheck disable=SC2034
BOTH_SCENARIOS="n"
# the next hops' addresses (smtpd-both.conf.in says why each has its own)
ADDR_AUTH=127.0.0.3
ADDR_BADAUTH=127.0.0.4
ADDR_STALL=127.0.0.5
# shellcheck disable=SC2034
BOTH_ADDRS="ADDR_AUTH ADDR_BADAUTH ADDR_STALL"
# the TLS sink's user (table relaycreds)
RELAY_USER=relayuser
RELAY_PASS=relay-pw-e05a31
RELAY_BAD=relay-wrong-9d6c27

# both_setup: the certificate (the TLS sink's; 7.x's submission port
# uses it too), the relay's credentials, the TLS and the stall sinks
both_setup() {
	SINK_TLS_LOG=$E2E_DIR/sink-tls.log
	SINK_BAD_LOG=$E2E_DIR/sink-tls-3.log
	SINK_STALL_LOG=$E2E_DIR/sink-stall.log
	mkdir -m 0700 "$E2E_DIR/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=e2e.test \
	    -keyout "$E2E_DIR/tls/e2e.key" -out "$E2E_DIR/tls/e2e.crt" \
	    >/dev/null 2>&1 || e2e_die "openssl could not make a certificate"
	chmod 0600 "$E2E_DIR/tls/e2e.key"
	printf 'good %s:%s\nbad %s:%s\n' "$RELAY_USER" "$RELAY_PASS" \
	    "$RELAY_USER" "$RELAY_BAD" >"$E2E_DIR/relaycreds"
	chmod 0600 "$E2E_DIR/relaycreds"
	printf '%s\n' "$RELAY_PASS" "$RELAY_BAD" >>"$E2E_DIR/secrets"
	e2e_sink_start "$PORT_TLS" "$SINK_TLS_LOG" --tls "$E2E_DIR/tls/e2e.crt" \
	    "$E2E_DIR/tls/e2e.key" --auth "$RELAY_USER:$RELAY_PASS" \
	    --addr "$ADDR_AUTH"
	e2e_sink_start "$PORT_TLS" "$SINK_BAD_LOG" --tls "$E2E_DIR/tls/e2e.crt" \
	    "$E2E_DIR/tls/e2e.key" --auth "$RELAY_USER:$RELAY_PASS" \
	    --addr "$ADDR_BADAUTH"
	e2e_sink_start "$PORT_STALL" "$SINK_STALL_LOG" --stall 3 \
	    --addr "$ADDR_STALL"
}

sink_tls_saw() { grep -q -- "$1" "$SINK_TLS_LOG"; }
sink_bad_saw() { grep -q -- "$1" "$SINK_BAD_LOG"; }
sink_stall_saw() { grep -q -- "$1" "$SINK_STALL_LOG"; }

scenario_l() {
	swaks_send l 0 alice@sink.test l-auth@auth.sink.test
	e2e_wait_for 20 "the TLS sink's delivery for l" \
	    sink_tls_saw 'message sink-[0-9]* .*to=<l-auth@auth.sink.test>' ||
		fail "scenario l: not delivered to the TLS sink"
}

# the relay whose AUTH the sink refuses: smtpd tries the route again for
# about 10 s before it defers, so the message goes first (scenario_m_send)
# and the rest runs meanwhile
scenario_m_send() {
	swaks_send m 0 alice@sink.test m-badauth@badauth.sink.test
}

scenario_m() {
	local evpid
	e2e_wait_for 20 "the TLS sink's refusal of bad" \
	    sink_bad_saw "auth PLAIN fail $RELAY_USER" ||
		{ fail "scenario m: the TLS sink refused no AUTH"; return 0; }
	e2e_wait_for 30 "a tempfail for m-badauth" smtpd_logged \
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

# the next hop stops answering after our RCPT and drops the connection
# (sink.py --stall): sent first (scenario_p_send), then retried
scenario_p_send() {
	swaks_send p 0 alice@sink.test stall-p@stall.test
}

scenario_p() {
	e2e_wait_for 20 "the stall sink to drop stall-p" sink_stall_saw drop ||
		{ fail "scenario p: the sink never stalled"; return 0; }
	e2e_wait_for 20 "a tempfail for stall-p" smtpd_logged \
	    'mta delivery .*to=<stall-p@stall.test>.*result="TempFail"' ||
		{ fail "scenario p: no tempfail for stall-p"; return 0; }
	e2e_wait_for 15 "stall-p back in the queue" \
	    queued_waiting stall-p@stall.test ||
		{ fail "scenario p: stall-p not waiting in the queue"; return 0; }
	retry stall-p@stall.test
	e2e_wait_for 60 "retry delivered to stall-p" sink_stall_saw \
	    'message sink-[0-9]* .*to=<stall-p@stall.test>' ||
		fail "scenario p: retry for stall-p not delivered"
}
