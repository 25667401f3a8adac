#!/usr/bin/python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
"""SMTP load generator for tests/bench/bench-live.sh (Python stdlib only).

Usage: load.py PORT MESSAGES CLIENTS [DOMAIN]

CLIENTS threads each open one connection to 127.0.0.1:PORT and send their
share of MESSAGES over it (MAIL, one RCPT, DATA; then QUIT), to
load-N@DOMAIN (default sink.test).  The threads wait on a barrier, so the
connections are made together.  The wall time runs from the first connect
to the last 250 after DATA (QUIT is not counted).

Prints one line:
  start=EPOCH end=EPOCH secs=S sent=N failed=F
and exits 0 when every message was accepted, 1 otherwise (the first
errors go to stderr).  start/end are time.time() values so that the
caller can relate them to other clocks (the sink's log).
"""

import smtplib
import sys
import threading
import time

lock = threading.Lock()
starts = []
ends = []
sent = 0
failed = 0
errors = []
# fewer than smtpd's listen backlog of 5
CONNECTING = 4


def note_error(what):
	global failed
	with lock:
		failed += 1
		if len(errors) < 5:
			errors.append(what)


def client(idx, port, n, first, domain, barrier, connecting):
	global sent
	barrier.wait()
	done = 0
	last = None
	try:
		with connecting:
			t0 = time.time()
			with lock:
				starts.append(t0)
			# local_hostname: no getfqdn() (DNS) in the client
			smtp = smtplib.SMTP("127.0.0.1", port,
			                    local_hostname="load%d.test" % idx, timeout=60)
	except (OSError, smtplib.SMTPException) as e:
		note_error("client %d: connect: %s" % (idx, e))
		for _ in range(n - 1):
			note_error("client %d: not sent" % idx)
		return
	try:
		smtp.ehlo()
		for k in range(first, first + n):
			rcpt = "load-%d@%s" % (k, domain)
			msg = ("From: <bench@%s>\r\nTo: <%s>\r\n"
			       "Subject: mailtrail live bench %d\r\n"
			       "Message-ID: <bench-%d@load.test>\r\n\r\n"
			       "bench message %d from client %d\r\n"
			       % (domain, rcpt, k, k, k, idx))
			try:
				refused = smtp.sendmail("bench@" + domain, [rcpt], msg)
			except smtplib.SMTPResponseException as e:
				note_error("client %d: message %d: %s %s" % (idx, k, e.smtp_code, e.smtp_error))
				smtp.rset()
				continue
			except smtplib.SMTPRecipientsRefused as e:
				note_error("client %d: message %d: refused %s" % (idx, k, e.recipients))
				smtp.rset()
				continue
			if refused:
				note_error("client %d: message %d: refused %s" % (idx, k, refused))
				continue
			last = time.time()
			done += 1
	except (OSError, smtplib.SMTPException) as e:
		note_error("client %d: after %d messages: %s" % (idx, done, e))
		for _ in range(n - done - 1):
			note_error("client %d: not sent" % idx)
	finally:
		with lock:
			sent += done
			if last is not None:
				ends.append(last)
		try:
			smtp.quit()
		except (OSError, smtplib.SMTPException):
			smtp.close()


def main():
	if len(sys.argv) not in (4, 5):
		sys.stderr.write("usage: load.py PORT MESSAGES CLIENTS [DOMAIN]\n")
		return 64
	port, total, nclients = (int(a) for a in sys.argv[1:4])
	domain = sys.argv[4] if len(sys.argv) == 5 else "sink.test"
	barrier = threading.Barrier(nclients)
	connecting = threading.BoundedSemaphore(CONNECTING)
	threads = []
	first = 0
	for i in range(nclients):
		n = total // nclients + (1 if i < total % nclients else 0)
		t = threading.Thread(target=client,
		                     args=(i, port, n, first, domain, barrier,
		                           connecting))
		first += n
		threads.append(t)
		t.start()
	for t in threads:
		t.join()
	for e in errors:
		sys.stderr.write("load.py: %s\n" % e)
	start = min(starts) if starts else 0.0
	end = max(ends) if ends else start
	print("start=%.6f end=%.6f secs=%.3f sent=%d failed=%d"
	      % (start, end, end - start, sent, failed))
	return 0 if failed == 0 and sent == total else 1


if __name__ == "__main__":
	sys.exit(main())
