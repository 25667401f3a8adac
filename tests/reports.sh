# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# reports.sh: for the tests of mailtrail report on one database and on
# several (t-report.sh, t-report-multi.sh), sourced after tests/lib.sh:
# the reports, the captures they read, the numbers counted from report
# lines with awk (never by the views the reports read), their
# percentiles, and a value from a report's JSON.

REPORTS="summary rejections deferrals bounces latency tls auth filters queue
    destinations"
CAPS="$DATA/0.6/relay-suite.log $DATA/0.6/b-multi-rcpt.log
$DATA/0.7/c-starttls-auth-plain.log $DATA/0.6/d-relay-denied.log
$DATA/0.6/k-local-delivery.log"

# expect: key value lines counted from report lines on stdin.  L lines
# (domain, accept-to-delivery in us) and Q lines (age bucket of what is
# pending at $1, in us) are for percentiles and the queue.  Each
# envelope received (committed) ends in the state of the last reply
# that decided it (queued if none): the summary's states add up to the
# envelopes received.
expect() {
	awk -F'|' -v until="$1" '
	function us(t,    p) {
		p = index(t, ".")
		return substr(t, 1, p - 1) * 1000000 + substr(t, p + 1)
	}
	function dom(a) { return tolower(substr(a, index(a, "@") + 1)) }
	$1 != "report" { next }
	{ t = us($3); d = $4; ev = $5; s = $6; minor = substr($2, 3) + 0 }
	ev == "link-connect" { sess[d]++ }
	ev == "link-tls" { tls[d]++; tlss[d, s] = 1 }
	ev == "link-auth" { auth[minor >= 7 ? $7 : $NF]++ }
	ev == "filter-response" { fr[$7 "/" $8]++ }
	ev == "filter-report" { frep++ }
	d == "smtp-in" && ev == "tx-envelope" { emsg[$8] = $7; et[$8] = t }
	d == "smtp-in" && ev == "tx-mail" { sender[$7] = $(minor >= 6 ? 9 : 8) }
	d == "smtp-in" && ev == "tx-commit" {
		msgs++; bytes += $8; commit[$7] = t
		if (!(("smtp-in", s) in tlss))
			plain_in++
	}
	d == "smtp-in" && ev == "tx-rcpt" && $8 != "ok" { rejected++ }
	d == "smtp-in" && ev == "protocol-server" && $7 ~ /^[45]/ &&
	    substr($7, 4, 1) != "-" { refusals++ }
	# smtp-out: the reply after an envelope decides its RCPT; the reply
	# to DATA or "." those accepted; what is open at disconnect failed
	# temporarily
	d == "smtp-out" && ev == "tx-envelope" {
		wait[s] = $8
		attempts++
		if (!(("smtp-out", s) in tlss))
			plain_out++
		edom[$8] = ""
	}
	d == "smtp-out" && ev == "protocol-client" { cmd[s] = $7 }
	d == "smtp-out" && ev == "protocol-server" && substr($7, 4, 1) != "-" {
		c = substr($7, 1, 1)
		if (wait[s] != "") {
			if (c == "2")
				acc[s] = acc[s] " " wait[s]
			else
				settle(wait[s], c, t, 1)
			wait[s] = ""
		} else if (cmd[s] == "." || (cmd[s] == "DATA" && c != "3")) {
			n = split(acc[s], a, " ")
			for (i = 1; i <= n; i++)
				settle(a[i], c, t, 1)
			acc[s] = ""
		} else if (cmd[s] ~ /^MAIL FROM:</ && c ~ /[45]/)
			refused(cmd[s], c, t)
	}
	d == "smtp-out" && ev == "link-disconnect" {
		n = split(acc[s], a, " ")
		for (i = 1; i <= n; i++)
			settle(a[i], "4", t, 1)
		acc[s] = ""
	}
	# the state of envelope e decided by reply code c at t, by an
	# attempt (att) or a refused MAIL FROM
	function settle(e, c, t, att) {
		state[e] = c
		if (!att)
			return
		if (c == "2") {
			if ((e in emsg) && (emsg[e] in commit))
				printf "L %s %.0f\n", edomain(e), t - commit[emsg[e]]
		} else if (c == "5")
			permfail[e] = 1
		else
			deferrals++
	}
	# A MAIL FROM the next hop refused names no envelope: mailtrail
	# gives it to the envelope of that sender still waiting when there
	# is one only (docs/json.md has the whole rule; the captures need
	# no more).
	function refused(m, c, t,    f, e, n, w) {
		f = substr(m, 12)
		f = substr(f, 1, index(f, ">") - 1)
		for (e in emsg)
			if ((emsg[e] in commit) && commit[emsg[e]] <= t &&
			    sender[emsg[e]] == f && state[e] !~ /[25]/) {
				n++
				w = e
			}
		if (n == 1)
			settle(w, c, t, 0)
	}
	# the domain of an envelope: its smtp-in recipient
	d == "smtp-in" && ev == "tx-envelope" { lastenv[s] = lastenv[s] " " $8 }
	d == "smtp-in" && ev == "tx-rcpt" {
		n = split(lastenv[s], a, " ")
		for (i = 1; i <= n; i++)
			rcpt[a[i]] = $(minor >= 6 ? 9 : 8)
		lastenv[s] = ""
	}
	function edomain(e) { return dom(rcpt[e]) }
	END {
		for (e in emsg) {
			if (!(emsg[e] in commit)) {
				aborted++
				continue
			}
			env++
			st[state[e] == "" ? "q" : state[e]]++
			if (state[e] == "2" || state[e] == "5")
				continue
			pending++
			age = (until - et[e]) / 60000000.0
			for (b = 5; b <= 1280 && age >= b; b *= 2)
				;
			print "Q", b <= 1280 ? b : "1280+"
		}
		for (e in permfail) bounced++
		printf "received_messages %d\nreceived_envelopes %d\n", msgs, env
		printf "received_bytes %.0f\nqueued %d\n", bytes, st["q"]
		printf "delivered %d\ndeferred %d\n", st["2"], st["4"]
		printf "failed %d\nexpired 0\nremoved 0\n", st["5"]
		printf "deferrals %d\naborted %d\n", deferrals, aborted
		printf "rejected %d\nsmtp_in_refusals %d\npending %d\n",
		    rejected, refusals, pending
		printf "sessions_in %d\nsessions_out %d\n", sess["smtp-in"],
		    sess["smtp-out"]
		printf "tls_in %d\ntls_out %d\n", tls["smtp-in"], tls["smtp-out"]
		printf "plain_in %d\nattempts %d\nplain_out %d\n", plain_in,
		    attempts, plain_out
		printf "auth_pass %d\nauth_fail %d\n", auth["pass"], auth["fail"]
		printf "filter_reports %d\nbounced %d\n", frep, bounced
		for (k in fr)
			printf "fr %s %d\n", k, fr[k]
	}'
}

# percentiles DOMAIN|(all): "count p50 p95 p99 max" from the L lines,
# nearest rank
percentiles() {
	if [ "$1" = "(all)" ]; then
		awk '$1 == "L" { print $3 }' "$2"
	else
		awk -v d="$1" '$1 == "L" && $2 == d { print $3 }' "$2"
	fi | sort -n | awk '{ v[NR] = $1 }
	function r(p,    k) { k = int((p * NR + 99) / 100); return v[k < 1 ? 1 : k] }
	END { print NR, r(50), r(95), r(99), v[NR] }'
}

# j REPORT-JSON SECTION JQ: a value from a report's JSON
j() { jq -r --arg s "$2" ".sections[] | select(.name == \$s) | $3" "$1"; }
