#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# dest-gen.sh: a protocol 0.7 report stream of envelopes whose outcomes
# are known, made from the lines of tests/data/0.7/a-relay-ok.log and
# e2e-suite.log with the ids, addresses and times of a spec read on
# stdin, one envelope a line:
#	COMMIT ADDRESS TRY...
# COMMIT: the smtp-in commit (epoch seconds; the commit line at that
# second exactly); each TRY is RESULT:SECONDS, an smtp-out session to
# the next hop 192.0.2.(1 + n % 250) of RESULT ok (its "250 queued"
# reply SECONDS after the commit: the time to delivery), tf (451) or pf
# (550), each try a session of its own.  Envelope n (from 1) has msgid
# 1000000n (hex), evpid msgid.0000000n and session ids of its own.
set -eu
printf '%s\n' 'config|smtpd-version|7.8.0-portable' 'config|protocol|0.7' \
    'config|subsystem|smtp-in' 'config|subsystem|smtp-out' 'config|admd|vm' \
    'config|ready'
# every line in the order of time, as smtpd writes them
awk '
# t in microseconds (exact in a double)
function ln(t, dir, ev, sid, rest) {
	printf "report|0.7|%d.%06d|%s|%s|%s%s\n", int(t / 1000000),
	    t % 1000000, dir, ev, sid, rest
}
function smtp_in(c, sid, m, e, from, to) {
	ln(c - 5000, "smtp-in", "link-connect", sid,
	    "|localhost|pass|127.0.0.1:43466|127.0.0.1:25")
	ln(c - 4900, "smtp-in", "protocol-server", sid, "|220 lab.test ESMTP OpenSMTPD")
	ln(c - 4800, "smtp-in", "link-greeting", sid, "|lab.test")
	ln(c - 4700, "smtp-in", "link-identify", sid, "|EHLO|client.test")
	ln(c - 4600, "smtp-in", "protocol-server", sid, "|250 HELP")
	ln(c - 4000, "smtp-in", "tx-begin", sid, "|" m)
	ln(c - 3900, "smtp-in", "tx-mail", sid, "|" m "|ok|" from)
	ln(c - 3000, "smtp-in", "tx-envelope", sid, "|" m "|" e)
	ln(c - 2900, "smtp-in", "tx-rcpt", sid, "|" m "|ok|" to)
	ln(c - 2000, "smtp-in", "tx-data", sid, "|" m "|ok")
	ln(c - 6, "smtp-in", "protocol-server", sid,
	    "|250 2.0.0 " m " Message accepted for delivery")
	ln(c, "smtp-in", "tx-commit", sid, "|" m "|533")
	ln(c + 3, "smtp-in", "tx-reset", sid, "|" m)
	ln(c + 300, "smtp-in", "link-disconnect", sid, "")
}
# One try whose reply (the decisive line) comes at r.
function smtp_out(r, res, sid, hop, m, e, from, to) {
	ln(r - 50000, "smtp-out", "link-connect", sid,
	    "|localhost|pass|127.0.0.1:51356|" hop ":25")
	ln(r - 49000, "smtp-out", "protocol-server", sid, "|220 sink.lab ESMTP")
	ln(r - 48000, "smtp-out", "link-greeting", sid, "|sink.lab")
	ln(r - 47500, "smtp-out", "protocol-client", sid, "|EHLO vm")
	ln(r - 47000, "smtp-out", "link-identify", sid, "|EHLO|vm")
	ln(r - 46000, "smtp-out", "protocol-server", sid, "|250 SIZE 36700160")
	ln(r - 45000, "smtp-out", "protocol-client", sid, "|MAIL FROM:<" from ">")
	ln(r - 44000, "smtp-out", "protocol-server", sid, "|250 2.0.0 sender ok")
	ln(r - 43000, "smtp-out", "tx-begin", sid, "|" m)
	ln(r - 42000, "smtp-out", "tx-mail", sid, "|" m "|ok|" from)
	ln(r - 41000, "smtp-out", "protocol-client", sid, "|RCPT TO:<" to ">")
	ln(r - 40000, "smtp-out", "tx-envelope", sid, "|" m "|" e)
	if (res == "ok") {
		ln(r - 30000, "smtp-out", "protocol-server", sid, "|250 2.1.5 recipient ok")
		ln(r - 29000, "smtp-out", "tx-rcpt", sid, "|" m "|ok|" to)
		ln(r - 25000, "smtp-out", "protocol-client", sid, "|DATA")
		ln(r - 24000, "smtp-out", "protocol-server", sid,
		    "|354 end with <CRLF>.<CRLF>")
		ln(r - 23000, "smtp-out", "tx-data", sid, "|" m "|ok")
		ln(r - 20000, "smtp-out", "protocol-client", sid, "|.")
		ln(r, "smtp-out", "protocol-server", sid, "|250 2.0.0 queued as q-" m)
		ln(r + 17, "smtp-out", "tx-commit", sid, "|" m "|387")
		ln(r + 20, "smtp-out", "tx-reset", sid, "|" m)
	} else {
		if (res == "tf")
			x = "|451 4.3.0 <" to ">: try again later"
		else
			x = "|550 5.1.1 <" to ">: user unknown"
		ln(r, "smtp-out", "protocol-server", sid, x)
		ln(r + 16, "smtp-out", "tx-rollback", sid, "|" m)
		ln(r + 21, "smtp-out", "tx-reset", sid, "|" m)
		x = res == "tf" ? "tempfail" : "permfail"
		ln(r + 116, "smtp-out", "tx-rcpt", sid, "|" m "|" x "|" to)
	}
	ln(r + 9000, "smtp-out", "protocol-client", sid, "|QUIT")
	ln(r + 10000, "smtp-out", "protocol-server", sid, "|221 2.0.0 bye")
	ln(r + 10100, "smtp-out", "link-disconnect", sid, "")
}
NF >= 2 {
	n++
	m = sprintf("%08x", 16777216 * n)
	e = m sprintf("%08x", n)
	smtp_in($1 * 1000000, sprintf("a%07x00000000", n), m, e, "alice@lab.test", $2)
	for (i = 3; i <= NF; i++) {
		split($i, tr, ":")
		smtp_out(($1 + tr[2]) * 1000000, tr[1], sprintf("b%07x%08x",
		    n, i), "192.0.2." (1 + n % 250), m, e, "alice@lab.test", $2)
	}
}' | sort -s -t'|' -k3,3
