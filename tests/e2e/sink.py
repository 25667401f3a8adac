#!/usr/bin/python3
"""Tiny SMTP sink for the mailtrail end-to-end test.

Usage: sink.py PORT        (listens on 127.0.0.1:PORT)

Per RCPT TO, by local part:
  reject*    -> 550 5.1.1 <addr>: user unknown
  tempfail*  -> 451 4.3.0 <addr>: try again later, the first time this exact
                address is seen by this process, 250 afterwards (so a retry
                forced with `smtpctl schedule all` is delivered)
  other      -> 250
Messages are counted, not stored.  Every event is logged to stdout, one
line each, flushed, so the test can poll the log.
"""

import socketserver
import sys
import threading
import time

lock = threading.Lock()
tempfail_seen = set()
counter = 0


def log(peer, what):
	with lock:
		sys.stdout.write("%.6f %s %s\n" % (time.time(), peer, what))
		sys.stdout.flush()


def next_id():
	global counter
	with lock:
		counter += 1
		return "sink-%06d" % counter


def addr_of(arg):
	"""'TO:<a@b> X=Y' -> 'a@b' (lower-cased only for the lookups)."""
	_, _, rest = arg.partition(":")
	rest = rest.strip()
	if rest.startswith("<"):
		rest = rest[1:].split(">", 1)[0]
	else:
		rest = rest.split(" ", 1)[0]
	return rest


def rcpt_reply(addr):
	local = addr.split("@", 1)[0].lower()
	if local.startswith("reject"):
		return "550 5.1.1 <%s>: user unknown" % addr
	if local.startswith("tempfail"):
		with lock:
			first = addr.lower() not in tempfail_seen
			tempfail_seen.add(addr.lower())
		if first:
			return "451 4.3.0 <%s>: try again later" % addr
	return "250 2.1.5 Ok"


class Session(socketserver.StreamRequestHandler):
	def setup(self):
		super().setup()
		self.peer = "%s:%d" % self.client_address
		self.mail = None
		self.rcpts = []

	def send(self, line):
		log(self.peer, "send " + line)
		self.wfile.write(line.encode() + b"\r\n")
		self.wfile.flush()

	def readline(self):
		raw = self.rfile.readline(65536)
		if not raw:
			return None
		return raw.decode("utf-8", "replace").rstrip("\r\n")

	def handle(self):
		log(self.peer, "connect")
		self.send("220 sink.test ESMTP e2e sink")
		while True:
			line = self.readline()
			if line is None:
				log(self.peer, "eof")
				return
			log(self.peer, "recv " + line)
			verb, _, arg = line.partition(" ")
			verb = verb.upper()
			if verb == "EHLO":
				self.send("250-sink.test hello " + arg)
				self.send("250-8BITMIME")
				self.send("250 ENHANCEDSTATUSCODES")
			elif verb == "HELO":
				self.send("250 sink.test hello " + arg)
			elif verb == "MAIL":
				self.mail = addr_of(arg)
				self.rcpts = []
				self.send("250 2.1.0 Ok")
			elif verb == "RCPT":
				if self.mail is None:
					self.send("503 5.5.1 MAIL first")
					continue
				addr = addr_of(arg)
				reply = rcpt_reply(addr)
				if reply.startswith("250"):
					self.rcpts.append(addr)
				self.send(reply)
			elif verb == "DATA":
				if not self.rcpts:
					self.send("503 5.5.1 RCPT first")
					continue
				self.data()
			elif verb == "RSET":
				self.mail, self.rcpts = None, []
				self.send("250 2.0.0 Ok")
			elif verb == "NOOP":
				self.send("250 2.0.0 Ok")
			elif verb == "QUIT":
				self.send("221 2.0.0 Bye")
				log(self.peer, "disconnect")
				return
			else:
				self.send("502 5.5.2 Command not implemented")

	def data(self):
		self.send("354 End data with <CR><LF>.<CR><LF>")
		size = lines = 0
		while True:
			line = self.readline()
			if line is None:
				log(self.peer, "eof in data after %d lines" % lines)
				raise EOFError
			if line == ".":
				break
			lines += 1
			size += len(line) + 2
		qid = next_id()
		log(self.peer, "message %s from=<%s> to=<%s> lines=%d bytes=%d"
		    % (qid, self.mail, ">,<".join(self.rcpts), lines, size))
		self.mail, self.rcpts = None, []
		self.send("250 2.0.0 queued as " + qid)


class Server(socketserver.ThreadingTCPServer):
	allow_reuse_address = True
	daemon_threads = True

	def handle_error(self, request, client_address):
		# a client dropping the connection is normal; keep one log line
		log("%s:%d" % client_address, "error %s" % (sys.exc_info()[1],))


def main():
	if len(sys.argv) != 2:
		sys.stderr.write("usage: sink.py PORT\n")
		return 64
	port = int(sys.argv[1])
	with Server(("127.0.0.1", port), Session) as srv:
		log("-", "listening 127.0.0.1:%d" % port)
		try:
			srv.serve_forever()
		except KeyboardInterrupt:
			pass
	return 0


if __name__ == "__main__":
	sys.exit(main())
