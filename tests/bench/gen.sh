#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# gen.sh CAPTURE LINES: a report stream of about LINES lines made of
# copies of a real capture, each with fresh session ids, msgids and
# evpids, and shifted in time, so that nothing joins across copies.
# Addresses get a tag per copy (alice+7@example.test), 1000 tags
# in all: a server sees many senders, each now and then.
set -eu
cap=$1
want=$2
grep '^report|' "$cap" | awk -F'|' -v OFS='|' -v want="$want" '
{ line[n++] = $0 }
END {
	span = 30
	nu = split("alice bob carol dave erin perm1 temp1 rejectme", user, " ")
	for (c = 0; c * n < want; c++) {
		delete mid
		nm = 0
		for (i = 0; i < n; i++) {
			split(line[i], f, "|")
			nf = split(line[i], f, "|")
			split(f[3], ts, ".")
			f[3] = (ts[1] + c * span) "." ts[2]
			f[6] = sprintf("%08x", c + 1) substr(f[6], 9, 8)
			if (f[5] ~ /^tx-/) {
				if (!(f[7] in mid))
					mid[f[7]] = sprintf("%08x", c * 64 + nm++ + 1)
				m = mid[f[7]]
				if (f[5] == "tx-envelope")
					f[8] = m substr(f[8], 9, 8)
				f[7] = m
			}
			s = f[1]
			for (j = 2; j <= nf; j++)
				s = s "|" f[j]
			if (index(s, "@") > 0)
				for (u = 1; u <= nu; u++)
					gsub(user[u] "@", user[u] "+" c % 1000 "@", s)
			print s
		}
	}
}'
