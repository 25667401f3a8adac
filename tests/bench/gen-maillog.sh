#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# gen-maillog.sh STREAM [HOST]: the maillog OpenSMTPD 6.8 would have
# written (info level, as syslog writes it: "Nov 23 20:08:07 HOST
# smtpd[2190]: ...", times in UTC) for a report stream such as tests/bench/gen.sh
# makes ('-' or nothing: standard input).  smtp connected, tls,
# authentication, failed-command, message, envelope and disconnected for
# smtp-in; mta connecting, connected, tls, delivery and disconnected for
# smtp-out.  A next hop refusing MAIL FROM names no envelope in the
# stream: its delivery lines go to the envelopes still waiting of the
# oldest message from that sender.  What leaves no report (local
# delivery, expiry, a connection that failed, bouncing) is not written.
set -eu
in=${1:--}
host=${2:-vm}
awk -F'|' -v host="$host" '
function rest(k,   i, p) {
	if (NF == k)
		return $k
	p = 0
	for (i = 1; i < k; i++)
		p += length($i) + 1
	return substr($0, p + 1)
}
function out(sid, msg) {
	if (sec != lsec) {
		lsec = sec
		stamp = strftime("%b %e %H:%M:%S", sec, 1) " " host " smtpd[2190]: "
	}
	print stamp sid " " msg
}
function addr(a) {
	if (a ~ /^unix:/)
		return "local"
	if (a ~ /^\[/)
		return "IPv6:" substr(a, 2, index(a, "]") - 2)
	sub(/:[0-9]+$/, "", a)
	return a
}
function dur(t,   s) {
	if (t <= 0)
		return "0s"
	s = ""
	if (t >= 86400)
		s = s int(t / 86400) "d"
	if (int(t / 3600) % 24)
		s = s (int(t / 3600) % 24) "h"
	if (int(t / 60) % 60)
		s = s (int(t / 60) % 60) "m"
	if (t % 60)
		s = s (t % 60) "s"
	return s
}
function angle(c,   i) {
	i = index(c, "<")
	c = substr(c, i + 1)
	return substr(c, 1, index(c, ">") - 1)
}
# the outcome of one envelope of smtp-out session sid; a final one
# forgets the envelope
function deliver(sid, e, res, stat,   to) {
	to = (e in oto) ? oto[e] : ito[e]
	out(sid, "mta delivery evpid=" e " from=<" ofrom[sid] "> to=<" to \
	    "> rcpt=<-> source=\"" osrc[sid] "\" relay=\"" orelay[sid] \
	    "\" delay=" dur((e in born) ? sec - born[e] : 0) " result=\"" \
	    res "\" stat=\"" stat "\"")
	delete oto[e]
	if (res != "TempFail") {
		delete born[e]
		delete ito[e]
		delete wait[e]
	}
}
function failed(reply) {
	return substr(reply, 1, 1) == "4" ? "TempFail" : "PermFail"
}
$1 != "report" || $5 == "filter-response" { next }
{
	sid = $6
	sec = int($3)
}
$4 == "smtp-in" {
	ev = $5
	if (ev == "protocol-client") {
		cmd[sid] = rest(7)
	} else if (ev == "protocol-server") {
		r = rest(7)
		c = substr(r, 1, 1)
		if (c == "4" || c == "5") {
			x = cmd[sid]
			if (x ~ /^[Aa][Uu][Tt][Hh] [Pp][Ll][Aa][Ii][Nn]/)
				x = "AUTH PLAIN (...)"
			else if (x ~ /^[Aa][Uu][Tt][Hh] [Ll][Oo][Gg][Ii][Nn]/)
				x = "AUTH LOGIN (username)"
			out(sid, "smtp failed-command command=\"" x \
			    "\" result=\"" r "\"")
		}
	} else if (ev == "tx-envelope") {
		evp[sid] = $8
		born[$8] = sec
	} else if (ev == "tx-rcpt") {
		if ($8 == "ok") {
			e = evp[sid]
			ito[e] = rest(9)
			envs[sid] = envs[sid] " " e
			nrcpt[sid]++
		}
	} else if (ev == "tx-mail") {
		from[sid] = $2 + 0 >= 0.6 ? rest(9) : $8
	} else if (ev == "tx-begin") {
		envs[sid] = ""
		nrcpt[sid] = 0
	} else if (ev == "tx-commit") {
		f = from[sid]
		out(sid, "smtp message msgid=" $7 " size=" $8 " nrcpt=" \
		    nrcpt[sid] " proto=" proto[sid])
		n = split(substr(envs[sid], 2), l, " ")
		for (i = 1; i <= n; i++) {
			out(sid, "smtp envelope evpid=" l[i] " from=<" f \
			    "> to=<" ito[l[i]] ">")
			wait[l[i]] = $7
		}
		if (n) {
			queue[f] = queue[f] " " $7
			menvs[$7] = substr(envs[sid], 2)
		}
		envs[sid] = ""
	} else if (ev == "link-connect") {
		out(sid, "smtp connected address=" addr($9) " host=" $7)
		proto[sid] = "SMTP"
		cmd[sid] = ""
	} else if (ev == "link-identify") {
		proto[sid] = toupper($7) == "HELO" ? "SMTP" : "ESMTP"
	} else if (ev == "link-tls") {
		out(sid, "smtp tls ciphers=" $7)
	} else if (ev == "link-auth") {
		if ($2 + 0 >= 0.7) {
			u = rest(8)
			a = $7
		} else {
			a = $NF
			u = substr(rest(7), 1, length(rest(7)) - length(a) - 1)
		}
		a = a == "pass" ? "ok" : a == "fail" ? "permfail" : "tempfail"
		out(sid, "smtp authentication user=" u " result=" a)
	} else if (ev == "link-disconnect") {
		x = toupper(cmd[sid])
		out(sid, "smtp disconnected reason=" (x == "QUIT" ? "quit" : \
		    sec - last[sid] >= 300 ? "timeout" : "disconnect"))
		delete cmd[sid]; delete evp[sid]; delete envs[sid]
		delete nrcpt[sid]; delete from[sid]; delete proto[sid]
		delete last[sid]
		next
	}
	last[sid] = sec
	next
}
$4 == "smtp-out" {
	ev = $5
	if (ev == "protocol-client") {
		x = rest(7)
		ocmd[sid] = x
		c = toupper(substr(x, 1, 4))
		if (c == "MAIL") {
			ofrom[sid] = angle(x)
			oenvs[sid] = ""
		} else if (c == "RCPT")
			orcpt[sid] = angle(x)
	} else if (ev == "protocol-server") {
		r = rest(7)
		oreply[sid] = r
		c = substr(r, 1, 1)
		if (c != "4" && c != "5")
			next
		x = toupper(substr(ocmd[sid], 1, 4))
		if (x == "RCPT") {
			e = ocur[sid]
			if (e != "") {
				deliver(sid, e, failed(r), r)
				sub(" " e, "", oenvs[sid])
				ocur[sid] = ""
			}
		} else if (x == "DATA" || x == ".") {
			n = split(substr(oenvs[sid], 2), l, " ")
			for (i = 1; i <= n; i++)
				deliver(sid, l[i], failed(r), r)
			oenvs[sid] = ""
		} else if (x == "MAIL") {
			# the oldest message from this sender still waiting
			f = ofrom[sid]
			n = split(queue[f], q, " ")
			for (j = 1; j <= n; j++) {
				m = split(menvs[q[j]], l, " ")
				k = 0
				for (i = 1; i <= m; i++)
					if (l[i] in wait) {
						deliver(sid, l[i], failed(r), r)
						k++
					}
				if (k)
					break
			}
			# forget the messages with nothing waiting
			s = ""
			for (j = 1; j <= n; j++) {
				m = split(menvs[q[j]], l, " ")
				k = 0
				for (i = 1; i <= m; i++)
					if (l[i] in wait)
						k++
				if (k)
					s = s " " q[j]
				else
					delete menvs[q[j]]
			}
			if (s == "")
				delete queue[f]
			else
				queue[f] = s
		}
	} else if (ev == "tx-envelope") {
		ocur[sid] = $8
		oto[$8] = orcpt[sid]
		oenvs[sid] = oenvs[sid] " " $8
	} else if (ev == "tx-commit") {
		n = split(substr(oenvs[sid], 2), l, " ")
		for (i = 1; i <= n; i++)
			deliver(sid, l[i], "Ok", oreply[sid])
		oenvs[sid] = ""
		omsgs[sid]++
	} else if (ev == "link-connect") {
		out(sid, "mta connecting address=smtp://" $10 " host=" $7)
		out(sid, "mta connected")
		osrc[sid] = addr($9)
		d = addr($10)
		orelay[sid] = ($7 == "" || $7 == "<unknown>") ? d : d " (" $7 ")"
		omsgs[sid] = 0
	} else if (ev == "link-tls") {
		out(sid, "mta tls ciphers=" $7)
	} else if (ev == "link-disconnect") {
		if (toupper(ocmd[sid]) == "QUIT")
			out(sid, "mta disconnected reason=quit messages=" \
			    omsgs[sid] + 0)
		delete ocmd[sid]; delete ofrom[sid]; delete orcpt[sid]
		delete oreply[sid]; delete ocur[sid]; delete oenvs[sid]
		delete omsgs[sid]; delete osrc[sid]; delete orelay[sid]
	}
}' "$in"
