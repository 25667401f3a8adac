#!/usr/bin/python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# lock.py DB SECONDS: hold an exclusive write lock on DB for SECONDS,
# then let go.  Prints "locked" once the lock is held.
import sqlite3
import sys
import time

db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
db.execute("INSERT INTO config(t, key, value) VALUES (0, 'test', 'lock')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("ROLLBACK")
