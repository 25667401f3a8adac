# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# outcomes.awk: what each session came to by smtpd's own log (lines
# "SESSION smtp|mta WHAT ...", the time stripped), in the words of
# session.outcome: "SESSION OUTCOME", one a session, for the sessions
# the log decides.  A message accepted or delivered is mail for good;
# otherwise the last failure the log names; an smtp-in session with
# none is no-mail when the client said QUIT, and undecided when the
# connection dropped (the log does not say whether a transaction was
# open, which makes it aborted).
function fail(o) { if (!(s in mail)) last[s] = o }
$2 == "smtp" || $2 == "mta" { s = $1; dir[s] = $2 }
$2 == "smtp" && $3 == "message" { mail[s] = 1; delete last[s] }
$2 == "mta" && $3 == "delivery" && /result="Ok"/ { mail[s] = 1; delete last[s] }
$2 == "smtp" && $3 == "failed-command" {
	c = $0
	sub(/.* command="/, "", c)
	if (c ~ /^AUTH /) fail("auth-failed")
	else if (c ~ /^MAIL /) fail("refused-mail")
	else if (c ~ /^RCPT /) fail("refused-rcpt")
	else if (c ~ /^(DATA|\.)/) fail("refused-data")
	else if (c ~ /^(EHLO|HELO|LHLO) /) fail("refused-helo")
	else if (c ~ /^STARTTLS/) fail("tls-failed")
}
$2 == "smtp" && $3 == "authentication" && /result=(permfail|tempfail)/ {
	fail("auth-failed")
}
$2 == "smtp" && $3 == "disconnected" && !/reason=quit/ { dropped[s] = 1 }
$2 == "smtp" && $3 == "disconnected" && /handshake failed/ { fail("tls-failed") }
$2 == "smtp" && $3 == "disconnected" && /reason=timeout/ { fail("timeout") }
$2 == "mta" && $3 == "error" && /Connection refused/ { fail("connect-failed") }
$2 == "mta" && $3 == "error" && /AUTH rejected/ { fail("auth-failed") }
$2 == "mta" && $3 == "error" && /Connection closed unexpectedly/ {
	fail("aborted")
}
END {
	for (s in dir) {
		if (s in mail)
			print s, "mail"
		else if (s in last)
			print s, last[s]
		else if (dir[s] == "smtp" && !(s in dropped))
			print s, "no-mail"
	}
}
