#!/usr/bin/python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# tslog.py -- put the epoch time (microseconds) in front of each line of
# stdin, as the lab's maillogs have it: smtpd -d -v writes bare log lines
# to stderr, and "mailtrail maillog" takes "<epoch> <message>" lines.
import sys
import time

out = sys.stdout.buffer
for line in iter(sys.stdin.buffer.readline, b""):
	out.write(b"%.6f " % time.time() + line)
	out.flush()
