#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# gen-known.sh [-n N] [-t START] [-s STEP] [-v MINOR] [-r SEED] [-o OFF]:
# a report stream of N instances, one every STEP seconds from START
# (epoch seconds), protocol 0.MINOR (6 or 7), ids numbered from OFF, made from the shapes of the real
# captures with fresh ids: mail received (with or without TLS and AUTH,
# recipients refused by smtpd or by a filter) and relayed per domain
# (delivered, deferred and retried, or bounced, with or without TLS),
# failed AUTH sessions, and clients a filter turns away at connect.
# Choices are pseudo-random from SEED, so the numbers are known but not
# told: tests count them from the lines (grep, awk), never from here.
set -eu
n=1000
start=1795000000
step=20
minor=6
seed=1
off=0
while getopts n:t:s:v:r:o: o; do
	case $o in
	n) n=$OPTARG ;;
	t) start=$OPTARG ;;
	s) step=$OPTARG ;;
	v) minor=$OPTARG ;;
	r) seed=$OPTARG ;;
	o) off=$OPTARG ;;
	*) echo "usage: gen-known.sh [-n N] [-t START] [-s STEP]" \
	    "[-v MINOR] [-r SEED] [-o OFF]" >&2; exit 1 ;;
	esac
done
awk -v n="$n" -v start="$start" -v step="$step" -v minor="$minor" \
    -v seed="$seed" -v off="$off" '
function at(s, u) { csec = s + int(u / 1000000); cus = u % 1000000 }
function tick(d) { cus += d; csec += int(cus / 1000000); cus %= 1000000 }
# result and address of tx-mail and tx-rcpt, in the order of the version
function ra(r, a) { return minor >= 6 ? "|" r "|" a : "|" a "|" r }
# one line at the session clock, which then moves on 50 to 400 us
function ln(dir, ev, sid, rest) {
	printf "report|0.%d|%d.%06d|%s|%s|%s%s\n", minor, csec, cus, dir, ev,
	    sid, rest
	tick(50 + int(rand() * 350))
}
function pick(s,    a, k) { k = split(s, a, " "); return a[1 + int(rand() * k)] }
function newsid() { nsid++; return sprintf("%08x%08x", off + inst + 1, nsid) }
function in_open(sid, ip, rdns, fc, helo) {
	ln("smtp-in", "link-connect", sid, "|" rdns "|" fc "|" ip ":" \
	    (30000 + int(rand() * 30000)) "|192.0.2.1:25")
	ln("smtp-in", "filter-response", sid, "|connected|proceed")
	ln("smtp-in", "protocol-server", sid, "|220 mx.local ESMTP OpenSMTPD")
	ln("smtp-in", "link-greeting", sid, "|mx.local")
	ln("smtp-in", "protocol-client", sid, "|EHLO " helo)
	ln("smtp-in", "filter-response", sid, "|ehlo|proceed")
	ln("smtp-in", "link-identify", sid, "|EHLO|" helo)
	ln("smtp-in", "protocol-server", sid, "|250-mx.local Hello " helo \
	    " [" ip "], pleased to meet you")
	ln("smtp-in", "protocol-server", sid, "|250 HELP")
}
function in_close(sid) {
	ln("smtp-in", "protocol-client", sid, "|QUIT")
	ln("smtp-in", "filter-response", sid, "|quit|proceed")
	ln("smtp-in", "protocol-server", sid, "|221 2.0.0 Bye")
	ln("smtp-in", "link-disconnect", sid, "")
}
function auth(sid, user, ok) {
	ln("smtp-in", "protocol-client", sid, "|AUTH PLAIN ********")
	ln("smtp-in", "filter-response", sid, "|auth|proceed")
	if (ok)
		ln("smtp-in", "protocol-server", sid,
		    "|235 2.0.0 Authentication succeeded")
	else
		ln("smtp-in", "protocol-server", sid,
		    "|535 5.7.8 Authentication failed")
	if (minor >= 7)
		ln("smtp-in", "link-auth", sid, "|" (ok ? "pass" : "fail") "|" user)
	else
		ln("smtp-in", "link-auth", sid, "|" user "|" (ok ? "pass" : "fail"))
}
function starttls(dir, sid, tls) {
	ln(dir, "protocol-client", sid, "|STARTTLS")
	ln(dir, "protocol-server", sid, "|220 2.0.0 Ready to start TLS")
	ln(dir, "link-tls", sid, "|" tls)
}
# the relay of one domain: its RCPT outcomes (ok, temp, perm) in out[]
function relay(dom, msgid, from, nr, rc, ev, out, t0,    sid, i, any, k) {
	sid = newsid()
	at(t0, int(rand() * 1000000))
	k = index(dom, "-") ? 2 : 3
	ln("smtp-out", "link-connect", sid, "|mx." dom "|pass|192.0.2.1:" \
	    (40000 + int(rand() * 20000)) "|203.0.113." k ":25")
	ln("smtp-out", "protocol-server", sid, "|220 mx." dom " ESMTP")
	ln("smtp-out", "link-greeting", sid, "|mx." dom)
	ln("smtp-out", "protocol-client", sid, "|EHLO mx.local")
	ln("smtp-out", "link-identify", sid, "|EHLO|mx.local")
	ln("smtp-out", "protocol-server", sid, "|250 mx." dom)
	if (dom == "dest-a.test" || (dom == "dest-c.test" && rand() < 0.5))
		starttls("smtp-out", sid, "TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256")
	ln("smtp-out", "protocol-client", sid, "|MAIL FROM:<" from ">")
	ln("smtp-out", "protocol-server", sid, "|250 2.1.0 ok")
	ln("smtp-out", "tx-begin", sid, "|" msgid)
	ln("smtp-out", "tx-mail", sid, "|" msgid ra("ok", from))
	any = 0
	for (i = 1; i <= nr; i++) {
		ln("smtp-out", "protocol-client", sid, "|RCPT TO:<" rc[i] ">")
		ln("smtp-out", "tx-envelope", sid, "|" msgid "|" ev[i])
		tick(int(rand() * 200000))
		if (out[i] == "ok") {
			ln("smtp-out", "protocol-server", sid, "|250 2.1.5 ok")
			ln("smtp-out", "tx-rcpt", sid, "|" msgid ra("ok", rc[i]))
			any = 1
			continue
		}
		if (out[i] == "temp")
			ln("smtp-out", "protocol-server", sid,
			    "|451 4.2.0 <" rc[i] ">: mailbox busy, try later")
		else
			ln("smtp-out", "protocol-server", sid,
			    "|550 5.1.1 <" rc[i] ">: user unknown")
		ln("smtp-out", "tx-rollback", sid, "|" msgid)
		ln("smtp-out", "tx-reset", sid, "|" msgid)
		ln("smtp-out", "tx-rcpt", sid, "|" msgid \
		    ra(out[i] == "temp" ? "tempfail" : "permfail", rc[i]))
	}
	if (any) {
		ln("smtp-out", "protocol-client", sid, "|DATA")
		ln("smtp-out", "protocol-server", sid, "|354 go ahead")
		ln("smtp-out", "tx-data", sid, "|" msgid "|ok")
		ln("smtp-out", "protocol-client", sid, "|.")
		tick(int(rand() * 2000000))
		ln("smtp-out", "protocol-server", sid, "|250 2.0.0 queued as " sid)
		ln("smtp-out", "tx-commit", sid, "|" msgid "|" (500 + nr * 100))
		ln("smtp-out", "tx-reset", sid, "|" msgid)
	} else {
		ln("smtp-out", "protocol-client", sid, "|RSET")
		ln("smtp-out", "protocol-server", sid, "|250 2.0.0 ok")
	}
	ln("smtp-out", "protocol-client", sid, "|QUIT")
	ln("smtp-out", "protocol-server", sid, "|221 2.0.0 bye")
	ln("smtp-out", "link-disconnect", sid, "")
}
function mail(t0,    sid, msgid, from, ip, k, nr, i, j, r, acc, nacc, dom,
    doms, nd, rc, ev, out, tmp, tev, tout, m, retry) {
	sid = newsid()
	k = 1 + int(rand() * 8)
	ip = "198.51.100." k
	at(t0, int(rand() * 500000))
	in_open(sid, ip, "mail" k ".client.test", "pass", "mail" k ".client.test")
	if (rand() < 0.4)
		starttls("smtp-in", sid, "TLSv1.3:TLS_AES_256_GCM_SHA384:256")
	if (rand() < 0.2)
		auth(sid, "user" k, 1)
	from = rand() < 0.05 ? "" : pick("alice@example.com bob@example.com " \
	    "news@lists.example.net ops@corp.example.org")
	msgid = sprintf("%08x", (off + inst + 1) * 4)
	ln("smtp-in", "protocol-client", sid, "|MAIL FROM:<" from ">")
	ln("smtp-in", "filter-response", sid, "|mail-from|proceed")
	ln("smtp-in", "protocol-server", sid, "|250 2.0.0 Ok")
	ln("smtp-in", "tx-begin", sid, "|" msgid)
	ln("smtp-in", "tx-mail", sid, "|" msgid ra("ok", from))
	nr = 1 + int(rand() * 3)
	nacc = 0
	for (i = 1; i <= nr; i++) {
		r = pick("ann bo cy di ed") i "@" pick("dest-a.test dest-b.test " \
		    "dest-c.test example.org")
		ln("smtp-in", "protocol-client", sid, "|RCPT TO:<" r ">")
		m = rand()
		if (m < 0.04) {
			ln("smtp-in", "filter-response", sid,
			    "|rcpt-to|reject|550 5.7.1 blocked by policy")
			ln("smtp-in", "protocol-server", sid,
			    "|550 5.7.1 blocked by policy")
			ln("smtp-in", "tx-rcpt", sid, "|" msgid ra("permfail", r))
			continue
		}
		ln("smtp-in", "filter-response", sid, "|rcpt-to|proceed")
		if (m < 0.12) {
			ln("smtp-in", "protocol-server", sid,
			    "|550 5.1.1 Invalid recipient: <" r ">")
			ln("smtp-in", "tx-rcpt", sid, "|" msgid ra("permfail", r))
			continue
		}
		acc[++nacc] = r
		tev[nacc] = msgid sprintf("%08x", nacc)
		ln("smtp-in", "tx-envelope", sid, "|" msgid "|" tev[nacc])
		ln("smtp-in", "protocol-server", sid,
		    "|250 2.1.5 Destination address valid: Recipient ok")
		ln("smtp-in", "tx-rcpt", sid, "|" msgid ra("ok", r))
	}
	if (nacc == 0) {
		ln("smtp-in", "protocol-client", sid, "|QUIT")
		ln("smtp-in", "filter-response", sid, "|quit|proceed")
		ln("smtp-in", "protocol-server", sid, "|221 2.0.0 Bye")
		ln("smtp-in", "tx-rollback", sid, "|" msgid)
		ln("smtp-in", "tx-reset", sid, "|" msgid)
		ln("smtp-in", "link-disconnect", sid, "")
		return
	}
	ln("smtp-in", "protocol-client", sid, "|DATA")
	ln("smtp-in", "filter-response", sid, "|data|proceed")
	ln("smtp-in", "protocol-server", sid,
	    "|354 Enter mail, end with \".\" on a line by itself")
	ln("smtp-in", "tx-data", sid, "|" msgid "|ok")
	ln("smtp-in", "protocol-client", sid, "|.")
	ln("smtp-in", "filter-response", sid, "|commit|proceed")
	if (rand() < 0.1)
		ln("smtp-in", "filter-report", sid, "|proc|rspamd|score " \
		    int(rand() * 15))
	ln("smtp-in", "protocol-server", sid, "|250 2.0.0 " msgid \
	    " Message accepted for delivery")
	ln("smtp-in", "tx-commit", sid, "|" msgid "|" (1000 + int(rand() * 90000)))
	ln("smtp-in", "tx-reset", sid, "|" msgid)
	in_close(sid)
	# one relay session per domain, 1 to 30 seconds later
	nd = 0
	for (i = 1; i <= nacc; i++) {
		dom = substr(acc[i], index(acc[i], "@") + 1)
		if (!(dom in doms))
			doms[dom] = ++nd
	}
	for (dom in doms) {
		j = 0
		for (i = 1; i <= nacc; i++) {
			if (substr(acc[i], index(acc[i], "@") + 1) != dom)
				continue
			m = rand()
			rc[++j] = acc[i]
			ev[j] = tev[i]
			out[j] = m < 0.8 ? "ok" : m < 0.92 ? "temp" : "perm"
		}
		relay(dom, msgid, from, j, rc, ev, out, t0 + 1 + int(rand() * 30))
		# deferred ones: half are retried 10 to 60 minutes later
		retry = 0
		for (i = 1; i <= j; i++)
			if (out[i] == "temp" && rand() < 0.5) {
				tmp[++retry] = rc[i]
				tout[retry] = ev[i]
			}
		for (i = 1; i <= retry; i++) {
			rc[i] = tmp[i]
			ev[i] = tout[i]
			out[i] = rand() < 0.6 ? "ok" : "temp"
		}
		if (retry > 0)
			relay(dom, msgid, from, retry, rc, ev, out,
			    t0 + 600 + int(rand() * 3000))
	}
}
function authfail(t0,    sid, k) {
	sid = newsid()
	k = 1 + int(rand() * 4)
	at(t0, int(rand() * 500000))
	in_open(sid, "203.0.113." (100 + k), "", "fail", "bot" k)
	auth(sid, pick("admin test info"), 0)
	if (rand() < 0.5)
		auth(sid, pick("admin test info"), 0)
	in_close(sid)
}
function turned_away(t0,    sid, k) {
	sid = newsid()
	k = 1 + int(rand() * 4)
	at(t0, int(rand() * 500000))
	ln("smtp-in", "link-connect", sid, "||fail|203.0.113." (200 + k) \
	    ":" (30000 + int(rand() * 30000)) "|192.0.2.1:25")
	ln("smtp-in", "filter-response", sid,
	    "|connected|disconnect|421 4.7.0 no rDNS, go away")
	ln("smtp-in", "protocol-server", sid, "|421 4.7.0 no rDNS, go away")
	ln("smtp-in", "link-disconnect", sid, "")
}
BEGIN {
	srand(seed)
	for (inst = 0; inst < n; inst++) {
		nsid = 0
		t0 = start + inst * step
		m = rand()
		if (m < 0.8)
			mail(t0)
		else if (m < 0.9)
			authfail(t0)
		else
			turned_away(t0)
	}
}' | LC_ALL=C sort -s -t'|' -k3,3
