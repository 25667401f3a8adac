# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# scenarios-7.sh -- the scenarios run.sh adds for OpenSMTPD 7.x
# (E2E_MORE=this file, with E2E_CONF_MORE=smtpd-7.conf.in): what Debian
# 12's 6.8 cannot do, inbound STARTTLS and so inbound AUTH.  Sourced by
# run.sh after scenarios-both.sh, which calls more_setup before smtpd
# starts and scenario_X for each of MORE_SCENARIOS after those of
# scenarios-both.sh.
#   h  STARTTLS on the submission port, AUTH PLAIN: passes, relayed
#   i  STARTTLS, AUTH PLAIN with a wrong password: 535
#   j  STARTTLS, AUTH LOGIN: passes, relayed
#   k  STARTTLS, AUTH LOGIN with a wrong password: 535
#   o  a client that gives up after the 220 to STARTTLS
# The secrets are added to $E2E_DIR/secrets (scenarios-both.sh).

# shellcheck disable=SC2034 # read by run.sh
MORE_PORTS="PORT_SUB"
# shellcheck disable=SC2034
MORE_SCENARIOS="h i j k o"
# smtp-in users (table users)
AUTH_USER=ann
AUTH_PASS=ann-pw-7c1d9e
AUTH_BAD=ann-wrong-4b2f80

# e2e_in_root CMD...: CMD in E2E_ROOT (chrooted), or on the host
e2e_in_root() {
	if [ -n "$E2E_ROOT" ]; then
		chroot "$E2E_ROOT" "$@"
	else
		"$@"
	fi
}

# the certificate is both_setup's
more_setup() {
	local hash
	hash=$(e2e_in_root "$SMTPCTL" encrypt "$AUTH_PASS") ||
		e2e_die "smtpctl encrypt failed"
	printf '%s %s\n' "$AUTH_USER" "$hash" >"$E2E_DIR/users"
	chmod 0600 "$E2E_DIR/users"
	printf '%s\n' "$AUTH_PASS" "$AUTH_BAD" >>"$E2E_DIR/secrets"
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
