# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-e2e.sh: the real smtpd (Debian's OpenSMTPD, private mount namespace,
# 127.0.0.1) with mailtrail collect as its report process for smtp-in,
# the local socket and the relay actions; mail sent with swaks.  Asserts
# from the database what happened to each envelope, and that the raw
# export equals the stream smtpd sent (recorded by a tee in front).
# Scenarios a-g, then l, m, n, p (tests/e2e/scenarios-both.sh): relay
# AUTH over STARTTLS passed and refused, a builtin filter's reject, a
# next hop that stops answering; no relay secret may be stored.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ]; then
	skip "end-to-end test against the real smtpd: SKIPPED: needs root" \
	    "(smtpd must start as root)"
	exit 0
fi
for t in /usr/sbin/smtpd swaks unshare nsenter; do
	if ! command -v $t >/dev/null 2>&1; then
		skip "end-to-end test: SKIPPED: $t is not installed (make deps)"
		exit 0
	fi
done

E2E_COLLECTOR="$MAILTRAIL collect -d @OUT@/mailtrail.db" \
    bash "$TESTS/e2e/run.sh" >"$TMP/e2e.out" 2>&1
rc=$?
dir=$(sed -n 's/^scratch dir: *\([^ ]*\).*/\1/p' "$TMP/e2e.out")
if [ $rc = 77 ]; then
	skip "end-to-end test: $(grep SKIPPED "$TMP/e2e.out" | head -1)"
	exit 0
fi
check "real smtpd run: all scenarios sent, smtpd stayed up" "$rc" 0
if [ $rc != 0 ] || [ -z "$dir" ]; then
	sed 's/^/  /' "$TMP/e2e.out" | tail -30
	exit 0
fi
# the checks of scenarios a-g, then l, m, n, p, shared with t-e2e-7.sh
. "$TESTS/e2e/checks.sh"
. "$TESTS/e2e/checks-both.sh"
rm -rf "$dir"
