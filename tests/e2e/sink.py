#!/usr/bin/python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
"""Tiny SMTP sink for the mailtrail end-to-end test.

Usage: sink.py PORT [--tls CERT KEY] [--auth USER:PASSWORD] [--stall SECS]
               [--addr ADDR]
  listens on ADDR:PORT (default 127.0.0.1, loopback only: 127.x.y.z)
  --tls    offers STARTTLS with that certificate and key
  --auth   offers AUTH PLAIN and LOGIN once in TLS, and requires it before
           MAIL: USER with PASSWORD passes, anything else gets 535
  --stall  how long a stalled session stays silent before the sink drops
           it (default 3)

Per RCPT TO, by local part:
  reject*    -> 550 5.1.1 <addr>: user unknown
  tempfail*  -> 451 4.3.0 <addr>: try again later, the first time this exact
                address is seen by this process, 250 afterwards (so a retry
                forced with `smtpctl schedule` is delivered)
  stall*     -> no answer at all, the first time this exact address is seen:
                the sink stops answering, then drops the connection after
                --stall seconds; 250 afterwards
  other      -> 250
Messages are counted, not stored.  Every event is logged to stdout, one
line each, flushed, so the test can poll the log.
"""

import argparse
import base64
import socketserver
import ssl
import sys
import threading
import time

lock = threading.Lock()
tempfail_seen = set()
stall_seen = set()
counter = 0
opts = None
tls_ctx = None


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


def first_time(seen, addr):
	with lock:
		first = addr.lower() not in seen
		seen.add(addr.lower())
	return first


def rcpt_reply(addr):
	"""The reply to RCPT TO:<addr>, or None for no reply at all."""
	local = addr.split("@", 1)[0].lower()
	if local.startswith("reject"):
		return "550 5.1.1 <%s>: user unknown" % addr
	if local.startswith("tempfail") and first_time(tempfail_seen, addr):
		return "451 4.3.0 <%s>: try again later" % addr
	if local.startswith("stall") and first_time(stall_seen, addr):
		return None
	return "250 2.1.5 Ok"


def b64(text):
	"""Decoded base64 text, or None if it is not base64."""
	try:
		return base64.b64decode(text, validate=True).decode("utf-8",
		    "replace")
	except ValueError:
		return None


class Session(socketserver.StreamRequestHandler):
	def setup(self):
		super().setup()
		self.peer = "%s:%d" % self.client_address
		self.mail = None
		self.rcpts = []
		self.tls = False
		self.authed = False

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
			verb, _, arg = line.partition(" ")
			verb = verb.upper()
			if verb == "AUTH":
				# the secret is not logged
				log(self.peer, "recv AUTH " + arg.split(" ")[0])
			else:
				log(self.peer, "recv " + line)
			if verb == "EHLO":
				self.send("250-sink.test hello " + arg)
				if tls_ctx is not None and not self.tls:
					self.send("250-STARTTLS")
				if opts.auth and self.tls:
					self.send("250-AUTH PLAIN LOGIN")
				self.send("250-8BITMIME")
				self.send("250 ENHANCEDSTATUSCODES")
			elif verb == "HELO":
				self.send("250 sink.test hello " + arg)
			elif verb == "STARTTLS" and tls_ctx is not None and not self.tls:
				self.send("220 2.0.0 Ready to start TLS")
				self.starttls()
			elif verb == "AUTH" and opts.auth and self.tls:
				self.auth(arg)
			elif verb == "MAIL" and opts.auth and not self.authed:
				self.send("530 5.7.0 Authentication required")
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
				if reply is None:
					self.stall()
					return
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

	def starttls(self):
		self.wfile.flush()
		self.request = tls_ctx.wrap_socket(self.request, server_side=True)
		self.rfile = self.request.makefile("rb")
		self.wfile = self.request.makefile("wb")
		self.tls = True
		self.mail, self.rcpts = None, []
		log(self.peer, "tls %s %s" % (self.request.version(),
		    self.request.cipher()[0]))

	def auth(self, arg):
		"""AUTH PLAIN [initial response] or AUTH LOGIN."""
		mech, _, initial = arg.partition(" ")
		mech = mech.upper()
		if mech == "PLAIN":
			if not initial:
				self.send("334 ")
				initial = self.readline() or ""
			parts = (b64(initial) or "").split("\0")
			user, password = (parts[1], parts[2]) if len(parts) == 3 \
			    else ("", None)
		elif mech == "LOGIN":
			self.send("334 VXNlcm5hbWU6")
			user = b64(self.readline() or "") or ""
			self.send("334 UGFzc3dvcmQ6")
			password = b64(self.readline() or "")
		else:
			self.send("504 5.5.4 Unrecognized authentication type")
			return
		if "%s:%s" % (user, password) == opts.auth:
			self.authed = True
			log(self.peer, "auth %s ok %s" % (mech, user))
			self.send("235 2.7.0 Authentication successful")
		else:
			log(self.peer, "auth %s fail %s" % (mech, user))
			self.send("535 5.7.8 Authentication credentials invalid")

	def stall(self):
		"""Stop answering; drop the connection after --stall seconds."""
		log(self.peer, "stall %g s" % opts.stall)
		time.sleep(opts.stall)
		log(self.peer, "drop")

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
	global opts, tls_ctx
	ap = argparse.ArgumentParser(description="SMTP sink for the e2e test")
	ap.add_argument("port", type=int)
	ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
	ap.add_argument("--auth", metavar="USER:PASSWORD")
	ap.add_argument("--stall", type=float, default=3)
	ap.add_argument("--addr", default="127.0.0.1")
	opts = ap.parse_args()
	if opts.tls:
		tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
		tls_ctx.load_cert_chain(*opts.tls)
	port = opts.port
	if not opts.addr.startswith("127."):
		ap.error("--addr must be a loopback address")
	with Server((opts.addr, port), Session) as srv:
		log("-", "listening %s:%d" % (opts.addr, port))
		try:
			srv.serve_forever()
		except KeyboardInterrupt:
			pass
	return 0


if __name__ == "__main__":
	sys.exit(main())
