# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-gen.sh: the bench's generator of realistic streams
# (tests/bench/gen-traffic.py), small: every line parses, time never goes
# back, ids are fresh per copy and consistent within it, the top sender's
# share it prints is the stream's, bounces go back to their sender and
# trace links one to its original.
. "$(dirname "$0")/lib.sh"

GEN=$TESTS/bench/gen-traffic.py
command -v python3 >/dev/null 2>&1 || { skip "gen-traffic.py: no python3"; exit 0; }

for c in busy blast; do
	S=$TMP/$c.s
	DB=$TMP/$c.db
	check_cmd "$c: generated" sh -c "python3 '$GEN' $c 15000 >'$S' \
	    2>'$TMP/$c.err'"
	sed 's/^/  /' "$TMP/$c.err"
	n=$(wc -l <"$S")
	check "$c: about the lines asked for" \
	    "$(awk -v n="$n" 'BEGIN { print (n >= 15000 && n < 15400) }')" 1
	check "$c: every line a report line of 0.6 or 0.7, time never back" \
	    "$(awk -F'|' '$1 != "report" || ($2 != "0.6" && $2 != "0.7") ||
	    $3 !~ /^[0-9]+\.[0-9]+$/ || length($3) != 17 || $3 "" < p "" {
	    bad++ }
	    { p = $3 } END { print bad + 0 }' "$S")" 0
	check "$c: every evpid in its message, every msgid begun once on smtp-in" \
	    "$(awk -F'|' '$5 == "tx-envelope" && substr($8, 1, 8) != $7 {
	    bad++ } $4 == "smtp-in" && $5 == "tx-begin" && b[$7]++ { bad++ }
	    END { print bad + 0 }' "$S")" 0
	check "$c: every session connects once, within a minute of its end" \
	    "$(awk -F'|' '!($6 in t0) { t0[$6] = $3 } { t1[$6] = $3 }
	    $5 == "link-connect" { c[$6]++ } END { for (s in t0)
	    if (c[s] != 1 || t1[s] - t0[s] > 60) bad++; print bad + 0 }' "$S")" 0
	# each bounce (null sender on smtp-in) to one who sent mail before
	check "$c: every bounce goes to an earlier sender" \
	    "$(awk -F'|' '$4 != "smtp-in" { next } $5 == "tx-mail" {
	    a = $9; for (i = 10; i <= NF; i++) a = a "|" $i; from[$7] = a
	    if (a != "") sent[a] = 1 } $5 == "tx-rcpt" && from[$7] == "" &&
	    !($9 in sent) { bad++ } END { print bad + 0 }' "$S")" 0
	# the top sender's share of the messages received, from the stream
	share=$(awk -F'|' '$4 != "smtp-in" { next } $5 == "tx-mail" {
	    from[$7] = $9 } $5 == "tx-commit" { n++; if (from[$7] != "")
	    k[from[$7]]++ } END { for (a in k) if (k[a] > m) m = k[a]
	    printf "%.0f\n", 100 * m / n }' "$S")
	check "$c: the top sender's share printed is the stream's" \
	    "$(sed -n 's/.*top sender: \([0-9]*\)% of messages.*/\1/p' \
	    "$TMP/$c.err")" "$share"
	check_cmd "$c: replayed" "$MAILTRAIL" replay -d "$DB" "$S"
	check "$c: every line stored, none rejected" \
	    "$(counter "$DB" lines) $(counter "$DB" rejected)" "$n 0"
	# the address with the fewest bounces; trace links one to a failed
	# message of that sender
	to=$(q "$DB" "SELECT rcpt_to FROM v_life WHERE mail_from = ''
	    GROUP BY rcpt_to ORDER BY count(*), rcpt_to LIMIT 1")
	orig=$("$MAILTRAIL" trace -d "$DB" --json "to:$to" |
	    jq -r '.bounce_of[] | .msgid + " " + .status' | head -1)
	check "$c: trace to:$to links a bounce to a failed message of $to" \
	    "$(echo "$orig" | awk '{ print $2 }') $(awk -F'|' -v m="${orig%% *}" \
	    '$4 == "smtp-in" && $5 == "tx-mail" && $7 == m { print $9 }' "$S")" \
	    "failed $to"
done
check "blast: one sender" "$(awk -F'|' '$4 == "smtp-in" &&
    $5 == "tx-mail" && $9 != "" { print $9 }' "$TMP/blast.s" | sort -u)" \
    news@lists.shop.test
