# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-collect.sh: "mailtrail collect" as smtpd runs it: the handshake, a
# pipe on stdin, hostile lines, a database that is not there yet, and
# events visible while the collector is still running.
. "$(dirname "$0")/lib.sh"

CAP=$DATA/0.6/b-multi-rcpt.log

out=$(cat "$CAP" | "$MAILTRAIL" collect -d "$TMP/a.db" 2>"$TMP/err")
check "exit 0 at EOF" "$?" 0
check "registers smtp-in and the announced smtp-out, then ready" \
    "$(echo "$out" | tr '\n' ' ')" \
    "register|report|smtp-in|* register|report|smtp-out|* register|ready "
check "nothing on stderr for a clean stream" "$(cat "$TMP/err")" ""
check "every line stored" "$(q "$TMP/a.db" "SELECT count(*) FROM event")" \
    "$(grep -c '^report|' "$CAP")"

out=$(printf 'config|smtpd-version|6.6.4p1\nconfig|smtp-session-timeout|300\nconfig|ready\n' |
    "$MAILTRAIL" collect -d "$TMP/b.db")
check "no subsystem announced: smtp-in only" "$(echo "$out" | tr '\n' ' ')" \
    "register|report|smtp-in|* register|ready "
out=$(grep '^report' "$CAP" | "$MAILTRAIL" collect -d "$TMP/c.db")
check "no config block: nothing written to stdout, every line stored" \
    "$out|$(q "$TMP/c.db" "SELECT count(*) FROM event")" \
    "|$(grep -c '^report|' "$CAP")"

# Hostile input: each kind of bad line is kept raw and counted, and the
# collector carries on to the good line after it.
{
	printf 'config|smtpd-version|6.8.0p2\nconfig|ready\n'
	printf 'report|0.9|1795464473.583747|smtp-in|link-connect|3563dfd4055bb886|x|pass|1:1|2:2\n'
	printf 'report|0.6|1795464473.583747|smtp-in|link-frobnicate|3563dfd4055bb886\n'
	printf 'report|0.6|1795464473.58|smtp-in|link-disconnect|3563dfd4055bb886\n'
	printf 'report|0.6|1795464473.583747|smtp-in|tx-begin|3563dfd4055bb886\n'
	printf 'report|0.6|1795464473.583747|smtp-in|link-disconnect|3563DFD4055BB886\n'
	printf 'report|0.6|1795464473.583747|smtp-in|protocol-client|3563dfd4055bb886|A\000B\n'
	printf '\377\376 binary \001\002\033[2J\n'
	printf '||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||||\n'
	printf '\n'
	printf 'report|0.6|1795464473.583747|smtp-in|protocol-client|3563dfd4055bb886|'
	head -c 1048576 /dev/zero | tr '\0' 'x'
	printf '\n'
	printf 'report|0.6|1795464473.583747|smtp-in|link-disconnect|3563dfd4055bb886\n'
} >"$TMP/hostile"
cat "$TMP/hostile" | "$MAILTRAIL" collect -d "$TMP/h.db" >/dev/null 2>"$TMP/err"
check "hostile stream: exit 0 only at EOF" "$?" 0
check "hostile stream: bad lines counted" \
    "$(q "$TMP/h.db" "SELECT value FROM counter WHERE name = 'rejected'")" 9
"$MAILTRAIL" collect -d "$TMP/file.db" <"$TMP/hostile" 2>"$TMP/ferr"
check "a file on stdin: exit 1, said once, as mailtrail" "$?:$(cat \
    "$TMP/ferr")" "1:mailtrail: cannot watch stdin, a file (a pipe or socket \
is needed; mailtrail replay reads files)"
check "hostile stream: a line kept raw has no time (not 1970)" \
    "$("$MAILTRAIL" export -d "$TMP/h.db" --events | jq -r \
    'select(.subsystem == null) | .time' | sort | uniq -c | awk \
    '{print $1, $2}')" "9 null"
grep -av '^config|' "$TMP/hostile" >"$TMP/want"
"$MAILTRAIL" export -d "$TMP/h.db" --raw >"$TMP/got"
if command -v script >/dev/null 2>&1; then
	script -qc "'$MAILTRAIL' export -d '$TMP/h.db' --raw; echo rc=\$?" \
	    /dev/null >"$TMP/tty" 2>&1
	check "export --raw to a terminal: refused, nothing raw written" \
	    "$(tr -d '\r' <"$TMP/tty")" "mailtrail: --raw writes each line \
byte for byte, control bytes too: to a file or a pipe, not a terminal
rc=1"
else
	skip "export --raw to a terminal: script(1) is not installed"
fi
check_cmd "hostile stream: every line back byte for byte (NUL, 1 MiB)" \
    cmp "$TMP/want" "$TMP/got"
check "hostile stream: one warning line per bad line at most, rate-limited" \
    "$(test "$(wc -l <"$TMP/err")" -le 2 && echo yes)" yes
check "hostile stream: warning quotes the line, escaped" \
    "$(grep -c 'unknown protocol version, kept raw: "report|0.9|' "$TMP/err")" 1

# Live: a FIFO held open like smtpd's socket; events must become visible
# while the collector runs, and it must not exit until EOF.  Its umask
# is 077: its files are 0640 all the same.
mkfifo "$TMP/fifo"
(umask 077 && exec "$MAILTRAIL" collect -d "$TMP/live/l.db" <"$TMP/fifo" \
    >/dev/null 2>"$TMP/lerr") &
pid=$!
exec 3>"$TMP/fifo"
grep '^report' "$CAP" | head -20 >&3
sleep 1
check "database directory missing: collector keeps running" \
    "$(kill -0 $pid 2>/dev/null && echo running)" running
mkdir "$TMP/live"
n=0
for i in $(seq 50); do
	n=$(q "$TMP/live/l.db" "SELECT count(*) FROM event" 2>/dev/null)
	[ "$n" = 20 ] && break
	sleep 0.1
done
check "lines kept in memory are stored once the database can be created" \
    "$n" 20
grep '^report' "$CAP" | sed -n '21,30p' >&3
for i in $(seq 50); do
	n=$(q "$TMP/live/l.db" "SELECT count(*) FROM event")
	[ "$n" = 30 ] && break
	sleep 0.1
done
check "new lines visible to a reader while the collector runs" "$n" 30
check "umask 077: the database, -wal and -shm are mode 0640" \
    "$(stat -c %a "$TMP/live/l.db" "$TMP/live/l.db-wal" \
    "$TMP/live/l.db-shm" | tr '\n' ' ')" "640 640 640 "
check "collector still running while stdin is open" \
    "$(kill -0 $pid 2>/dev/null && echo running)" running
exec 3>&-
wait $pid
check "exit 0 after EOF" "$?" 0
check "the database file is mode 0640" \
    "$(stat -c %a "$TMP/live/l.db")" 640
# a reader who may not write the directory could not make them
check "-wal and -shm left in place at exit, for readers" \
    "$(ls "$TMP/live" | tr '\n' ' ')" "l.db l.db-shm l.db-wal "

cat "$CAP" | "$MAILTRAIL" collect --no-dialogue -d "$TMP/n.db" >/dev/null
check "--no-dialogue keeps no protocol lines" \
    "$(q "$TMP/n.db" "SELECT count(*) FROM v_event
    WHERE event LIKE 'protocol-%'")" 0
check "--no-dialogue still joins replies into attempts" \
    "$(q "$TMP/n.db" "SELECT reply FROM attempt WHERE result = 2")" \
    "550 5.1.1 <reject-dave@sink.test>: user unknown"
cat "$DATA/0.6/relay-suite.log" | "$MAILTRAIL" collect --no-dialogue \
    -d "$TMP/n2.db" >/dev/null
check "--no-dialogue: a refused MAIL FROM, kept without its event" \
    "$(q "$TMP/n2.db" "SELECT mail_from, event IS NULL FROM out_refusal")" \
    "rejectme@example.test|1"
check "--no-dialogue: the refusal still fails the sender's envelope" \
    "$("$MAILTRAIL" trace -d "$TMP/n2.db" --json from:rejectme@example.test |
    jq -r '.status' | sort -u)" failed

# Lines that parse but make no sense: kept, joined as well as they can
# be, and nothing is dropped.
S=1795464473
{
	printf 'config|smtpd-version|6.8.0p2\nconfig|ready\n'
	# timestamps far in the past and the future
	printf 'report|0.6|0.000001|smtp-in|link-connect|00000000000000aa|a|pass|1.2.3.4:1|5.6.7.8:25\n'
	printf 'report|0.6|999999999999.999999|smtp-in|link-disconnect|00000000000000aa\n'
	# a session id reused after its disconnect
	printf 'report|0.6|%s.000001|smtp-in|link-connect|00000000000000bb|b|pass|1.2.3.4:2|5.6.7.8:25\n' $S
	printf 'report|0.6|%s.000002|smtp-in|link-disconnect|00000000000000bb\n' $S
	printf 'report|0.6|%s.000003|smtp-in|link-connect|00000000000000bb|c|fail|1.2.3.4:3|5.6.7.8:25\n' $S
	# tx events without tx-begin, and a disconnect for an unknown session
	printf 'report|0.6|%s.000004|smtp-in|tx-mail|00000000000000bb|0000abcd|ok|x@y\n' $S
	printf 'report|0.6|%s.000005|smtp-in|tx-envelope|00000000000000bb|0000abcd|0000abcd00000001\n' $S
	printf 'report|0.6|%s.000006|smtp-in|tx-rcpt|00000000000000bb|0000abcd|ok|z@y\n' $S
	printf 'report|0.6|%s.000007|smtp-out|link-disconnect|00000000000000cc\n' $S
	printf 'report|0.6|%s.000008|smtp-out|tx-rcpt|00000000000000dd|0000abcd|permfail|z@y\n' $S
	# an AUTH secret smtpd did not mask
	printf 'report|0.6|%s.000009|smtp-in|protocol-client|00000000000000bb|AUTH PLAIN dGVzdAB0ZXN0AHNlY3JldA==\n' $S
	printf 'report|0.6|%s.000010|smtp-in|protocol-server|00000000000000bb|334 \n' $S
	printf 'report|0.6|%s.000011|smtp-in|protocol-client|00000000000000bb|c2VjcmV0\n' $S
	printf 'report|0.6|%s.000012|smtp-in|protocol-server|00000000000000bb|535 no\n' $S
	printf 'report|0.6|%s.000013|smtp-in|protocol-client|00000000000000bb|QUIT\n' $S
} >"$TMP/odd"
cat "$TMP/odd" | "$MAILTRAIL" collect -d "$TMP/o.db" >/dev/null 2>"$TMP/err"
check "odd lines: exit 0" "$?" 0
check "odd lines: every one stored" \
    "$(q "$TMP/o.db" "SELECT count(*) FROM event")" \
    "$(grep -c '^report' "$TMP/odd")"
check "odd lines: timestamps kept exactly, past and future" \
    "$(q "$TMP/o.db" "SELECT min(t), max(t) FROM event")" \
    "1|999999999999999999"
check "odd lines: a reused session id makes a second session" \
    "$(q "$TMP/o.db" "SELECT count(*), group_concat(rdns) FROM session
    WHERE sid = 187")" "2|b,c"
check "odd lines: tx without tx-begin still joins rcpt and envelope" \
    "$(q "$TMP/o.db" "SELECT t.mail_from, r.address FROM envelope e
    JOIN tx t ON t.id = e.tx JOIN rcpt r ON r.id = e.rcpt")" "x@y|z@y"
check "odd lines: a disconnect for an unknown session closes a new one" \
    "$(q "$TMP/o.db" "SELECT count(*) FROM session WHERE sid = 204 AND
    t_end IS NOT NULL")" 1
check "odd lines: unmasked AUTH secrets masked before storing" \
    "$(q "$TMP/o.db" "SELECT group_concat(params, ' / ') FROM v_event
    WHERE event = 'protocol-client' AND params != 'QUIT'")" \
    "AUTH PLAIN ******** / ********"
check "odd lines: masking counted" \
    "$(q "$TMP/o.db" "SELECT value FROM counter WHERE name = 'auth_masked'")" 2
check "odd lines: no secret anywhere in the database file" \
    "$(cat "$TMP/o.db"* | grep -ac 'dGVzdAB0ZXN0AHNlY3JldA\|c2VjcmV0')" 0
"$MAILTRAIL" stats -d "$TMP/h.db" >"$TMP/stats"
check "stats reports the rejected lines of the hostile stream" \
    "$(awk '$1 == "rejected" {print $2}' "$TMP/stats")" 9
check "stats reports lines, spilled and lost" \
    "$(awk '$1 == "lines" || $1 == "spilled" || $1 == "lost" {printf "%s=%s ", $1, $2}' "$TMP/stats")" \
    "lines=$(wc -l <"$TMP/hostile") spilled=0 lost=0 "

# More sessions open than --max-sessions: the longest silent (by report
# time, not the first made) are closed as 'evicted' at their last event.
# Sessions 1-100 connect, 1-50 say EHLO later, then 101-150 connect.
awk -v t=$S 'BEGIN {
	printf "config|smtpd-version|6.8.0p2\nconfig|ready\n"
	for (i = 1; i <= 150; i++) {
		if (i == 101)
			for (j = 1; j <= 50; j++)
				printf "report|0.6|%d.%06d|smtp-in|link-identify|" \
				    "%016x|EHLO|c%d\n", t + 1, j, j, j
		printf "report|0.6|%d.%06d|smtp-in|link-connect|%016x|c%d|" \
		    "pass|10.0.0.%d:1|10.0.0.254:25\n", t + 2 * (i > 100), i,
		    i, i, i
	}
}' >"$TMP/many"
cat "$TMP/many" | "$MAILTRAIL" collect --max-sessions 100 -d "$TMP/m.db" \
    >/dev/null 2>"$TMP/err"
check "--max-sessions: exit 0, nothing said" "$? $(cat "$TMP/err")" "0 "
check "--max-sessions: the 50 longest silent evicted, at their last event" \
    "$(q "$TMP/m.db" "SELECT count(*), min(sid), max(sid), sum(t_end = t_start)
    FROM session WHERE end_reason = 'evicted'")" "50|51|100|50"
check "--max-sessions: those since heard from stay open, and the new ones" \
    "$(q "$TMP/m.db" "SELECT count(*), sum(sid <= 50) FROM session
    WHERE t_end IS NULL")" "100|50"
"$MAILTRAIL" stats -d "$TMP/m.db" >"$TMP/stats"
check "stats reports sessions_evicted" \
    "$(awk '$1 == "sessions_evicted" {print $2}' "$TMP/stats")" 50
"$MAILTRAIL" replay --max-sessions 100 -d "$TMP/mr.db" "$TMP/many"
check "replay --max-sessions: the same sessions evicted" \
    "$(q "$TMP/mr.db" "SELECT count(*), min(sid), max(sid) FROM session
    WHERE end_reason = 'evicted'")" "50|51|100"
"$MAILTRAIL" replay -d "$TMP/md.db" "$TMP/many"
check "no --max-sessions: 150 sessions are far from the default bound" \
    "$(q "$TMP/md.db" "SELECT count(*) FROM session WHERE t_end IS NULL")" 150

# A clock that goes back: session 2's last event is the oldest of all,
# though it came after session 1's; the third session evicts it.
awk -v t=$S 'BEGIN {
	printf "report|0.6|%d.000000|smtp-in|link-connect|%016x|c1|pass|" \
	    "10.0.0.1:1|10.0.0.254:25\n", t + 5, 1
	printf "report|0.6|%d.000000|smtp-in|link-connect|%016x|c2|pass|" \
	    "10.0.0.2:1|10.0.0.254:25\n", t + 10, 2
	printf "report|0.6|%d.000000|smtp-in|link-identify|%016x|EHLO|c2\n",
	    t + 3, 2
	printf "report|0.6|%d.000000|smtp-in|link-connect|%016x|c3|pass|" \
	    "10.0.0.3:1|10.0.0.254:25\n", t + 20, 3
}' >"$TMP/back"
"$MAILTRAIL" replay --max-sessions 2 -d "$TMP/mb.db" "$TMP/back"
check "--max-sessions, clock gone back: the earliest last event evicted" \
    "$(q "$TMP/mb.db" "SELECT sid, t_end - t_start FROM session
    WHERE end_reason = 'evicted'")" "2|-7000000"
"$MAILTRAIL" collect --max-sessions 0 -d "$TMP/m0.db" </dev/null \
    >/dev/null 2>"$TMP/err"
check "--max-sessions 0: refused" "$? $(cat "$TMP/err")" \
    "1 mailtrail: --max-sessions 0: too small"
