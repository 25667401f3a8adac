#!/usr/bin/env python3
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# gen-traffic.py [options] CASE LINES: a report stream of about LINES
# lines shaped like a real server's traffic, made of copies of the real
# captures (the report| lines of tests/data/0.6/*.log and 0.7/*.log).
#
# Each copy keeps its capture's events in their order and spacing, with
# fresh session ids (a counter in the high 32 bits, as smtpd's, random
# low bits), msgids (unique, scrambled) and evpids (the new msgid and
# random low bits), the same old id always giving the same new one
# within the copy.  Copies start as a Poisson process at a steady rate
# and overlap as sessions do; the lines of all copies are merged in time
# order, so timestamps never go back.  Senders (the addresses a capture
# uses in MAIL FROM on smtp-in) and recipients get new addresses per
# copy, the same within the copy, so that bounces go back to the copy's
# own sender.
#
#   busy   a busy day: each copy one of the nine captures, equal chance;
#          RATE (default 2) messages received a second; senders drawn
#          from a Zipf law over --senders (5000, exponent 1.2), recipients
#          from a Zipf law over --rcpts (200000, exponent 0.8) users,
#          each in one of --domains (2000) domains, themselves Zipf
#   blast  a newsletter: the captures that relay a message (a-relay-ok,
#          b-multi-rcpt, relay-suite, c-starttls-auth-plain), RATE
#          (default 100) messages a second, all from one sender, each
#          recipient a new subscriber in a Zipf-drawn domain; bounces
#          return to the one sender
#
# The stream goes to standard output; what it holds (copies, messages,
# time span, the top sender's share) to standard error.  Options:
# -r RATE, -s SEED (1), -t START (epoch seconds, 1795000000), --senders,
# --sender-zipf, --rcpts, --rcpt-zipf, --domains.
import argparse
import bisect
import heapq
import os
import random
import re
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')
ALL = ['0.6/a-relay-ok.log', '0.6/b-multi-rcpt.log', '0.6/c-rset-quit.log',
       '0.6/d-relay-denied.log', '0.6/e-disconnect-in-data.log',
       '0.6/k-local-delivery.log', '0.6/relay-suite.log',
       '0.7/a-relay-ok.log', '0.7/c-starttls-auth-plain.log']
RELAYED = ['0.6/a-relay-ok.log', '0.6/b-multi-rcpt.log',
           '0.6/relay-suite.log', '0.7/a-relay-ok.log',
           '0.7/c-starttls-auth-plain.log']

# what may need a new value in a line's text: an address, an evpid, a msgid
TOKEN = re.compile(r'(?<![\w.+-])([\w.+-]+@[\w.-]+|[0-9a-f]{16}|[0-9a-f]{8})'
                   r'(?![\w.-])')


class Capture:
    """One capture's report lines as templates: each line's time from the
    first, and the text after the time with a {N} for each id or address,
    N its slot in a copy's values: sessions, msgids, evpids, senders,
    recipients."""

    def __init__(self, name):
        self.name = name
        lines = []
        with open(os.path.join(DATA, name)) as f:
            for line in f:
                if line.startswith('report|'):
                    lines.append(line.rstrip('\n').split('|'))
        sids, msgids, evpids, senders, rcpts = {}, {}, {}, {}, {}
        mail_from = {}
        for f in lines:
            sids.setdefault(f[5], len(sids))
            if f[4].startswith('tx-'):
                msgids.setdefault(f[6], len(msgids))
            if f[4] == 'tx-envelope':
                if f[7][:8] != f[6]:
                    sys.exit('%s: evpid %s not in message %s' %
                             (name, f[7], f[6]))
                evpids.setdefault(f[7], len(evpids))
            if f[4] == 'tx-mail' and f[3] == 'smtp-in':
                a = '|'.join(f[8:])
                mail_from[f[6]] = a
                if a:
                    senders.setdefault(a, len(senders))
        for f in lines:
            if f[4] == 'tx-rcpt':
                a = '|'.join(f[8:])
                if '@' in a and a not in senders:
                    rcpts.setdefault(a, len(rcpts))
        # messages received: committed on smtp-in, by sender slot (-1: <>)
        self.received = []
        for f in lines:
            if f[4] == 'tx-commit' and f[3] == 'smtp-in':
                a = mail_from.get(f[6], '')
                self.received.append(senders[a] if a else -1)
        self.nsid, self.nmsg, self.nevp = len(sids), len(msgids), len(evpids)
        self.nsender, self.nrcpt = len(senders), len(rcpts)
        # evpid slot -> msgid slot
        self.evp_msg = [msgids[e[:8]] for e in evpids]
        slot = {}
        base = 0
        for ids in (sids, msgids, evpids, senders, rcpts):
            for k, v in ids.items():
                slot[k] = base + v
            base += len(ids)

        def sub(m):
            t = m.group(1)
            if t in slot:
                return '{%d}' % (slot[t] + 1)
            if '@' in t:
                sys.exit('%s: address %s has no role' % (name, t))
            return t

        t0 = self.us(lines[0][2])
        self.offs = []
        self.tmpl = []
        prev = 0
        for f in lines:
            off = self.us(f[2]) - t0
            if off < prev:
                sys.exit('%s: time goes back at %s' % (name, f[2]))
            prev = off
            self.offs.append(off)
            rest = '|'.join(f[3:]).replace('{', '{{').replace('}', '}}')
            self.tmpl.append('report|%s|{0}|%s\n' %
                             (f[1], TOKEN.sub(sub, rest)))
        self.span = self.offs[-1]

    @staticmethod
    def us(t):
        s, u = t.split('.')
        return int(s) * 1000000 + int(u)


class Zipf:
    """Ranks 1..n, rank k drawn with a weight of 1/k^s."""

    def __init__(self, n, s, rng):
        self.rng = rng
        self.cdf = []
        c = 0.0
        for k in range(1, n + 1):
            c += k ** -s
            self.cdf.append(c)
        self.total = c

    def draw(self):
        return bisect.bisect(self.cdf, self.rng.random() * self.total) + 1

    def at(self, u):
        """The rank at quantile u, for a fixed assignment."""
        return bisect.bisect(self.cdf, u * self.total) + 1


def main():
    p = argparse.ArgumentParser(
        description='a report stream of overlapping copies of the captures,'
        ' with Zipf-distributed senders and recipients')
    p.add_argument('case', choices=['busy', 'blast'])
    p.add_argument('lines', type=int)
    p.add_argument('-r', '--rate', type=float,
                   help='messages received a second (busy 2, blast 100)')
    p.add_argument('-s', '--seed', type=int, default=1)
    p.add_argument('-t', '--start', type=int, default=1795000000)
    p.add_argument('--senders', type=int, default=5000)
    p.add_argument('--sender-zipf', type=float, default=1.2)
    p.add_argument('--rcpts', type=int, default=200000)
    p.add_argument('--rcpt-zipf', type=float, default=0.8)
    p.add_argument('--domains', type=int, default=2000)
    a = p.parse_args()
    rng = random.Random(a.seed)
    blast = a.case == 'blast'
    rate = a.rate or (100.0 if blast else 2.0)
    caps = [Capture(n) for n in (RELAYED if blast else ALL)]
    # copies a second, for RATE messages a second on average
    per_copy = sum(len(c.received) for c in caps) / len(caps)
    lam = rate / per_copy
    domains = Zipf(a.domains, 1.0, rng)
    senders = Zipf(a.senders, a.sender_zipf, rng)
    rcpts = Zipf(a.rcpts, a.rcpt_zipf, rng)
    golden = 0.6180339887498949

    def sender_addr(k):
        return 'sender%d@org%d.test' % (k, 1 + (k * 7919) % 997)

    def rcpt_addr(k):
        # each user in one domain, fixed: the domain's quantile from k
        return 'u%d@d%d.test' % (k, domains.at(k * golden % 1.0))

    def distinct(z, n):
        # n different ranks, in the order drawn (repeats once all are out)
        ks = []
        while len(ks) < n:
            k = z.draw()
            if k not in ks or len(ks) >= len(z.cdf):
                ks.append(k)
        return ks

    nsub = 0
    news = 'news@lists.shop.test'
    sid_hi = rng.getrandbits(32)
    msg_n = rng.getrandbits(32)
    getrandbits = rng.getrandbits
    received = {}
    nreceived = nbounces = 0

    def new_copy(cap, start):
        nonlocal sid_hi, msg_n, nsub, nreceived, nbounces
        v = [None]
        for _ in range(cap.nsid):
            v.append('%08x%08x' % (sid_hi, getrandbits(32)))
            sid_hi = (sid_hi + 1) & 0xffffffff
        mids = []
        for _ in range(cap.nmsg):
            # a bijection of 32 bits: unique msgids that look random
            msg_n = (msg_n + 1) & 0xffffffff
            m = (msg_n * 0x9e3779b1 + 0x7f4a7c15) & 0xffffffff
            mids.append('%08x' % m)
        v.extend(mids)
        for i in range(cap.nevp):
            v.append('%s%08x' % (mids[cap.evp_msg[i]], getrandbits(32)))
        if blast:
            who = [news] * cap.nsender
            for _ in range(cap.nrcpt):
                nsub += 1
                who.append('sub%d@d%d.test' % (nsub, domains.draw()))
        else:
            who = [sender_addr(k) for k in distinct(senders, cap.nsender)]
            who.extend(rcpt_addr(k) for k in distinct(rcpts, cap.nrcpt))
        v.extend(who)
        for s in cap.received:
            nreceived += 1
            if s < 0:
                nbounces += 1
            else:
                received[who[s]] = received.get(who[s], 0) + 1
        times = [start + o for o in cap.offs]
        lines = []
        for t, tm in zip(times, cap.tmpl):
            v[0] = '%d.%06d' % (t // 1000000, t % 1000000)
            lines.append(tm.format(*v))
        return times, lines

    out = sys.stdout
    buf = []
    heap = []
    made = copies = emitted = peak = 0
    last = t = 0
    start = a.start * 1000000
    nxt = start
    ncap = len(caps)
    never = 1 << 62
    while True:
        # start every copy due before the next line out
        while made < a.lines and (not heap or nxt <= heap[0][0]):
            cap = caps[int(rng.random() * ncap)]
            times, lines = new_copy(cap, nxt)
            # [next time, copy number (ties), times, lines, next line]
            heapq.heappush(heap, [nxt, copies, times, lines, 0])
            copies += 1
            made += len(lines)
            if len(heap) > peak:
                peak = len(heap)
            last = nxt
            nxt += int(rng.expovariate(lam) * 1000000)
        if not heap:
            break
        # the first copy's lines up to the next line of another copy, or
        # the next copy's start
        e = heap[0]
        bound = nxt if made < a.lines else never
        n = len(heap)
        if n > 1:
            b = heap[1][0]
            if n > 2 and heap[2][0] < b:
                b = heap[2][0]
            if b < bound:
                bound = b
        times, lines, i = e[2], e[3], e[4]
        n = len(times)
        while True:
            buf.append(lines[i])
            i += 1
            if i == n or times[i] > bound:
                break
        t = times[i - 1]
        if i == n:
            heapq.heappop(heap)
        else:
            e[0] = times[i]
            e[4] = i
            heapq.heapreplace(heap, e)
        if len(buf) >= 8192:
            out.write(''.join(buf))
            emitted += len(buf)
            buf = []
    out.write(''.join(buf))
    emitted += len(buf)
    out.flush()

    hours = (t - start) / 3.6e9
    arrivals = max((last - start) / 1e6, 1e-6)
    top = sorted(received.items(), key=lambda x: -x[1])[:10] or [('-', 0)]
    share = 100.0 / max(nreceived, 1)
    say = sys.stderr.write
    say('gen-traffic: %s: %d lines over %.2f h, %d copies of %d captures '
        '(up to %d at once), %d messages received (%.1f/s)\n' %
        (a.case, emitted, hours, copies, ncap, peak, nreceived,
         nreceived / arrivals))
    say('gen-traffic: top sender: %.0f%% of messages (%s: %d of %d; the '
        'top 10 senders %.0f%%, %d senders in all, bounces from <> %.0f%%)\n'
        % (top[0][1] * share, top[0][0], top[0][1], nreceived,
           sum(n for _, n in top) * share, len(received), nbounces * share))


if __name__ == '__main__':
    main()
