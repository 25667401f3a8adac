#!/usr/bin/python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
"""SMTP dialogue EHLO, MAIL, RCPT, RSET, QUIT against 127.0.0.1:PORT.

swaks cannot send RSET, hence this.  Prints every reply; exits 1 if a
reply code is not the expected one.
Usage: rset-dialog.py PORT [FROM [TO]]
"""

import smtplib
import sys


def main():
	port = int(sys.argv[1])
	sender = sys.argv[2] if len(sys.argv) > 2 else "frank@sink.test"
	rcpt = sys.argv[3] if len(sys.argv) > 3 else "grace@sink.test"
	s = smtplib.SMTP("127.0.0.1", port, local_hostname="client.test", timeout=20)
	steps = [
		("EHLO client.test", 250, s.ehlo),
		("MAIL FROM:<%s>" % sender, 250, lambda: s.mail(sender)),
		("RCPT TO:<%s>" % rcpt, 250, lambda: s.rcpt(rcpt)),
		("RSET", 250, s.rset),
		("QUIT", 221, s.quit),
	]
	ok = True
	for what, want, call in steps:
		code, text = call()
		text = text.decode("utf-8", "replace").replace("\n", " | ")
		print("%-30s -> %d %s" % (what, code, text), flush=True)
		if code != want:
			print("unexpected reply, wanted %d" % want, flush=True)
			ok = False
	return 0 if ok else 1


if __name__ == "__main__":
	sys.exit(main())
