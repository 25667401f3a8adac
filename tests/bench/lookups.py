#!/usr/bin/env python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# lookups.py MAILTRAIL DB FILE CUT [cold]: run "MAILTRAIL trace -d DB
# --json QUERY" once for each line of FILE, each the whole process as a
# user waits for it: from the spawn to its exit, its output read.  The
# first query runs once more before, to warm the page cache, unless
# cold.  A run longer than CUT seconds is killed and counts as CUT; the
# same query again counts as cut without being run.  Prints
# "P50 P99 COUNT LIVES MAX CUT": LIVES the average number of lives a
# query matched (lines out), MAX the most, CUT how many were cut; the
# queries answered in time go to FILE.ok.
#
# The timer is the spawn itself (vfork and exec), with no wrapper
# process between: a timeout(1) around each run would add its own
# start, about a millisecond, to every figure.  The cut is an interval
# timer whose signal kills the run, so the wait for the exit blocks: a
# wait with a timeout polls, sleeping a millisecond (then 2, 4 ...)
# between polls, which added about a millisecond to every figure too.
import os
import signal
import subprocess
import sys
import time

# the run in progress, for the cut to kill; whether the cut came
child = None
expired = False


def expire(signum, frame):
    """The cut: kill the run in progress, and any process it started."""
    global expired
    expired = True
    if child is not None:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass    # it ended as the cut came


def run(argv, cut):
    """(seconds, lines out, cut?) of one whole run of argv."""
    global child, expired
    expired = False
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
    signal.setitimer(signal.ITIMER_REAL, cut)
    try:
        out = child.communicate()[0]
    except KeyboardInterrupt:
        os.killpg(child.pid, signal.SIGKILL)
        raise
    secs = time.perf_counter() - t0
    signal.setitimer(signal.ITIMER_REAL, 0)
    child = None
    if expired:
        return cut, out.count(b"\n"), True
    return secs, out.count(b"\n"), False


def pick(v, q):
    """The q quantile of sorted v, as the shell version took it."""
    return v[max(0, min(len(v) - 1, int(len(v) * q + 0.5) - 1))]


def main():
    mt, db, path, cut = sys.argv[1:5]
    cut = float(cut)
    signal.signal(signal.SIGALRM, expire)
    cold = len(sys.argv) > 5
    with open(path) as f:
        queries = [line.rstrip("\n") for line in f if line.strip()]
    base = [mt, "trace", "-d", db, "--json"]
    if queries and not cold:
        run(base + [queries[0]], cut)
    times, lives, slow, ncut = [], [], {}, 0
    with open(path + ".ok", "w") as ok:
        for q in queries:
            if q in slow:
                times.append(cut)
                lives.append(slow[q])
                ncut += 1
                continue
            secs, n, was_cut = run(base + [q], cut)
            times.append(secs)
            lives.append(n)
            if was_cut:
                slow[q] = n
                ncut += 1
            else:
                ok.write(q + "\n")
    if not times:
        print("0 0 0 0 0 0")
        return
    times.sort()
    print("%.2f %.2f %d %.1f %d %d" % (pick(times, 0.5) * 1000,
          pick(times, 0.99) * 1000, len(times), sum(lives) / len(lives),
          max(lives), ncut))


main()
