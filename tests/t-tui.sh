# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-tui.sh: mailtrail tui in a real terminal: tmux (a private server,
# 100x30) runs it on databases replayed from the captures, keys are
# sent and the screen is read back as a person would see it: the live
# list and its header, an envelope's life, search, filter, help,
# sessions and their outcomes, resize, the mouse, a replay appearing
# while it runs, hostile bytes shown escaped, and the terminal given
# back on q and ^C.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui.sh"

DB=$TMP/t.db
"$MAILTRAIL" replay -d "$DB" $MIXED || notok "replay of the captures"

sum_before=$(cat "$DB" "$DB-wal" 2>/dev/null | cksum)

# The list: every kind of row, the header's meters, following.
start main "" tui -d "$DB"
see main "list: the header, with the database's name" "mailtrail  t.db"
see main "list: a deferred envelope, with its relay and age" \
    "temp1@dest.test .*127.0.0.1 *deferred"
see main "list: a recipient refused at RCPT, marked" \
    "<⊘ alice@sink.test *mallory@elsewhere.inva.*rejected"
see main "list: a transaction never committed, marked" "<- .*aborted"
see main "list: delivered through a relay, marked" ">✓ .*delivered"
see main "header: an old database's hour ends at its newest event" \
    "last hour: up to the newest event, 2026-11-23 20:08:32 UTC"
# open: the sessions of that hour that have not ended, as many as
# outcome:open finds (a session ended after the newest indexed time is
# not open)
# a session not ended yet: the first lines of a capture, up to its
# smtp-in MAIL FROM
sed '/smtp-in|tx-mail|/q' "$DATA/0.6/a-relay-ok.log" >"$TMP/open.log"
"$MAILTRAIL" replay -d "$TMP/open.db" "$TMP/open.log"
start open "" tui -d "$TMP/open.db"
see open "header: a session not ended is open" "open 1 in 0 out"
keys open q
open_in() {
	q "$DB" "SELECT count(*) FROM session WHERE t_end IS NULL AND dir = $1
	    AND t_start BETWEEN strftime('%s', '2026-11-23 19:08:32') *
	    1000000 AND strftime('%s', '2026-11-23 20:08:33') * 1000000"
}
see main "header: the sessions open" "open $(open_in 0) in $(open_in 1) out"
see main "header: the lives that took each status in the last hour" \
    "9 delivered  2 deferred  3 failed  2 rejected$"
see main "header: a sparkline of messages a minute" \
    "msg/min .*[▁▂▃▄▅▆▇█]"
see main "header: the sparkline's last cell is the newest minute" \
    "[▁▂▃▄▅▆▇█]  60 min, peak 6"
see main "list: newest at the bottom, following" "\[following\]  20/20"
# the bars in reverse video end to end: no attribute but reverse ones
# (colours aside) from the first cell of the status line to its last
bars() {
	$T capture-pane -p -e -t main | sed -n "1p;\$p" >"$TMP/bars"
	echo "$(grep -c '7m' "$TMP/bars") $(grep -o \
	    "$(printf '\033')\[[0-9;]*m" "$TMP/bars" | grep -v '7m$' |
	    grep -v -e '\[39m$' -e '\[49m$' | wc -l)"
}
check "the title and status bars: reverse video throughout" "$(bars)" "2 0"

# Search: the cursor moves as you type; n and N.
keys main /
type_text main "temp"
selected main "search: the cursor on the first match while typing" \
    "temp1@dest.test"
type_text main "fail-"
selected main "search: and on as the text grows" "tempfail-erin@sink.test"
keys main C-h C-h C-h C-h C-h
selected main "search: and back as it shrinks" "temp1@dest.test"
keys main Enter
see main "search: Enter keeps the cursor there" \
    "paused: G or F follows\]  6/20"
keys main G / C-u
type_text main "dest.test"
keys main Enter
see main "search: round the end to the first match" "\]  1/20"
keys main n
see main "search: n, the next match" "\]  2/20"
keys main N
see main "search: N, the previous one" "\]  1/20"
keys main G
see main "G: back to the bottom, following again" "\[following\]  20/20"
keys main /
type_text main "temp1"
selected main "search: a match as you type leaves the bottom" \
    "temp1@dest.test"
keys main Escape
see main "search: Esc goes back, following again" "\[following\]  20/20"
keys main F
see main "F: stop following" "\[paused: G or F follows\]  20/20"
keys main Home
see main "Home: the top" "\]  1/20"
keys main F
see main "F: follow again, to the newest row" "\[following\]  20/20"
keys main C-l
see main "^L: the screen drawn again" "CLIENT/RELAY"

# An envelope's life, as trace shows it, its dialogue folding.
keys main / C-u
type_text main "temp1"
keys main Enter Enter
see main "life: status, sender and recipient first" \
    "^deferred  alice@example.test -> temp1@dest.test"
see main "life: the reply that decided it" "^  451 4.3.0 try later"
see main "life: the smtp-in session, its dialogue under it" \
    "      +0.001s    > RCPT TO:<temp1@dest.test>"
keys main d
gone main "life: d folds the dialogue away" "> RCPT TO:" \
    "^deferred  alice@example.test -> temp1@dest.test"
see main "life: folded steps are marked" "^▸ +0.075s    attempt   1"
see main "life: each attempt" "attempt   2 via 127.0.0.1:12526 on smtp-out"
see main "life: where it stands, as of the replayed database's last event" \
    "deferred  as of the last event (2026-11-23T20:01:53Z): 451 4.3.0 try later"
# right, far past every line: it stops where the widest one ends
keys main l l l l l l l l l l l l l l l l l l l l l l l l l l l l l l
gone main "life: scrolled right, the widest line's end still shown" \
    "^deferred  alice@example.test" "try later; smtpd will try again$"
keys main h h h h h h h h h h h h h h h h h h h h h h h h h h h h h h
see main "life: and back, as many left" \
    "^deferred  alice@example.test -> temp1@dest.test"
keys main d /
type_text main "< 451"
keys main Enter
see main "life: d unfolds; the next hop's reply lines" \
    "      +0.076s    < 451 4.3.0 try later"
keys main g NPage
see main "life: PgDn pages down" " line 25/56"
keys main Space
see main "life: so does Space" " line 49/56"
keys main PPage
see main "life: PgUp pages up" " line 25/56"
keys main Home s
see main "life: s opens the session of the step" \
    "session 6d45c9299480ed09: its whole dialogue"
see main "session: its dialogue" "> HELO client.test"
keys main l
see main "session: l, no line cut at 100 columns: it does not scroll" \
    "^+0.000s    > HELO client.test"
keys main /
type_text main "tx-envelope"
keys main Enter Enter
see main "session: Enter on an envelope line opens its life" \
    "^envelope e6a2001748c30318"
keys main q q q
see main "q goes back to the list" "CLIENT/RELAY"

# Help, then the session list and one session's dialogue.
keys main '?'
see main "help: every key" "follow new rows like tail -f"
keys main q
keys main Tab
see main "Tab: the session list" "DIR PEER"
see main "sessions: in and out, the newest at the bottom" \
    "^20:08:32 in  127.0.0.1 .*mail "
keys main Enter
see main "sessions: Enter shows the whole dialogue" \
    "> MAIL FROM:<alice@sink.test>"
see main "sessions: with what smtpd reported" "= tx-begin 59ad60b6"
keys main q Tab
see main "Tab: then the destinations" "DESTINATION *DELIV"
keys main Tab

# A filter: trace's QUERY, shown while it applies; Esc clears it.
keys main f C-u
type_text main "from:alice@example.test"
keys main Enter
see main "filter: the list narrows to one sender" \
    "filter: from:alice@example.test .*6/6 (all matches)"
gone main "filter: other senders are gone" "mallory" \
    "filter: from:alice@example.test .*6/6"
keys main Escape
see main "filter: Esc clears it" "\[following\]  20/20"
keys main f C-u
type_text main "ip:127.0.0.1 status:rejected"
keys main Enter
see main "filter: terms AND together" "2/2 (of the newest rows)"
keys main f C-u
type_text main "bogus"
keys main Enter
see main "filter: a bad term says so" 'bad query term: "bogus"'
keys main Escape

# The mouse: a click selects a row, a second click opens it.
keys main g
click main 10 6
see main "mouse: a click selects the row" "\]  3/20"
mouse main 65 10 6
see main "mouse: the wheel moves" "\]  6/20"
click main 10 9
see main "mouse: a click on the selected row opens it" \
    "^deferred  alice@example.test -> temp1@dest.test"
keys main q

# Resize at any time; too small says so.
$T resize-window -t main -x 60 -y 20
see main "resize: too small says so" "terminal too small: 60x20"
$T resize-window -t main -x 120 -y 40
see main "resize: larger, the list is back" "CLIENT/RELAY *STATUS *DELAY$"
see main "resize: wider columns" "mallory@elsewhere.invalid "

# q: the terminal is given back (the shell's screen, no TUI left); too
# small, q quits as it says, though a search was being typed.
keys main /
type_text main "al"
$T resize-window -t main -x 60 -y 20
see main "resize: too small, over a search" "terminal too small: 60x20"
keys main q
see main "q: the TUI exits 0" "TUI-EXIT=0"
gone main "q: the terminal is restored" "CLIENT/RELAY"
check "the database was not written" \
    "$(cat "$DB" "$DB-wal" 2>/dev/null | cksum)" "$sum_before"

# A filter on the command line (an option after it), then ^C.
start cmdline "" tui to:mallory@elsewhere.invalid -d "$DB"
see cmdline "command line: the filter shows" \
    "filter: to:mallory@elsewhere.invalid .*1/1"
keys cmdline Enter
see cmdline "a refused recipient's life" \
    "550 Invalid recipient: <mallory@elsewhere.invalid>"
keys cmdline C-c
see cmdline "^C: exits as interrupted" "TUI-EXIT=130"
gone cmdline "^C: the terminal is restored" "mailtrail  t.db"
# A recipient the next hop refused on a session that went on for the
# others (0.6 b-multi-rcpt): its life marks the others' lines.  No
# command, the options first: the TUI all the same.
start others "" -d "$DB" 1466b132e53384c3
see others "command line: one envelope" "1466b132e53384c3 .*1/1"
keys others Enter
see others "its life" "failed  labuser@local.test -> reject-dave@sink.test"
keys others /
type_text others "sink-000002"
keys others Enter
see others "refused by the next hop: its own 550" \
    "      +0.054s    < 550 5.1.1 <reject-dave@sink.test>: user unknown"
see others "then the others' reply to DATA, marked" \
    "(other recipients) < 250 2.0.0 queued as sink-000002"
gone others "no bare reply to DATA" "[0-9]s    < 250 2.0.0 queued as" \
    "(other recipients) < 250 2.0.0 queued as sink-000002"
keys others q q
start ascii "LANG=C" tui -d "$DB"
see ascii "no UTF-8: ASCII marks" "<! alice@sink.test *mallory"
see ascii "no UTF-8: ASCII sparkline" "msg/min .*[_.~#]"
keys ascii q

# Screens on screens: a life, its session, a life of that session, ...
# eight at most, and the ninth says why it does not open.
start deep "" tui -d "$DB"
see deep "deep: the list" "CLIENT/RELAY"
keys deep Enter
for i in 1 2 3; do
	keys deep s
	see deep "deep: a session ($i)" "^smtp-"
	keys deep /
	type_text deep "tx-envelope"
	keys deep Enter Enter
	see deep "deep: a life of it ($i)" "^[a-z]*  .* -> "
done
keys deep s
see deep "deep: eight screens, the ninth refused, said so" \
    "8 screens open: q closes one"
keys deep q q q q q q q q
see deep "deep: q eight times, out" "TUI-EXIT=0"

# A crash signal: the terminal is given back, then it dies of it.
start crash "" tui -d "$DB"
see crash "crash: the TUI runs" "CLIENT/RELAY"
pid=$(ps -o pid= --ppid "$($T display -p -t crash '#{pane_pid}')" |
    tr -d ' ')
[ -n "$pid" ] && kill -SEGV "$pid"
see crash "crash: SIGSEGV, re-raised after restoring" "TUI-EXIT=139"
gone crash "crash: the terminal is restored" "CLIENT/RELAY"

# Live: the operator watches a deferred envelope's retries come in.
LDB=$TMP/live.db
"$MAILTRAIL" replay -d "$LDB" "$DATA/0.6/relay-suite.log"
# retry SID TIME defer|deliver: one more smtp-out attempt of temp1
retry() {
	s=$1 t=$2
	l() { printf 'report|0.6|%s.%06d|smtp-out|%s|%s%s\n' "$t" "$1" "$2" \
	    "$s" "$3"; }
	l 1 link-connect '|localhost|pass|127.0.0.1:51800|127.0.0.1:12526'
	l 2 protocol-server '|220 sink.test ESMTP sink'
	l 3 protocol-client '|EHLO vm'
	l 4 protocol-server '|250 SIZE 10000000'
	l 5 protocol-client '|MAIL FROM:<alice@example.test>'
	l 6 protocol-server '|250 2.1.0 ok'
	l 7 tx-begin '|e6a20017'
	l 8 tx-mail '|e6a20017|ok|alice@example.test'
	l 9 protocol-client '|RCPT TO:<temp1@dest.test>'
	l 10 tx-envelope '|e6a20017|e6a2001748c30318'
	if [ "$3" = deliver ]; then
		l 11 protocol-server '|250 2.1.5 ok'
		l 12 tx-rcpt '|e6a20017|ok|temp1@dest.test'
		l 13 protocol-client '|DATA'
		l 14 protocol-server '|354 go ahead'
		l 15 tx-data '|e6a20017|ok'
		l 16 protocol-client '|.'
		l 17 protocol-server '|250 2.0.0 queued as RETRY'
		l 18 tx-commit '|e6a20017|300'
		l 19 tx-reset '|e6a20017'
	else
		l 11 protocol-server '|451 4.3.0 try later'
		l 12 tx-rollback '|e6a20017'
		l 13 tx-reset '|e6a20017'
	fi
	l 500000 protocol-client '|QUIT'
	l 500001 protocol-server '|221 2.0.0 bye'
	l 500002 link-disconnect ''
}
start live "" tui -d "$LDB"
see live "live: the list" "\[following\]  9/9"
keys live /
type_text live "temp1"
keys live Enter Enter
see live "live: the deferred envelope opened" \
    "^deferred  alice@example.test -> temp1@dest.test"
keys live d
see live "live: its two attempts" "attempt   2 via"
retry 6d45c94000000001 1795462900 defer >"$TMP/r3.log"
"$MAILTRAIL" replay -d "$LDB" "$TMP/r3.log"
see live "live: a third attempt appears as it is committed" \
    "attempt   3 via 127.0.0.1:12526 on smtp-out 6d45c94000000001"
retry 6d45c94000000002 1795462960 deliver >"$TMP/r4.log"
"$MAILTRAIL" replay -d "$LDB" "$TMP/r4.log"
see live "live: the fourth delivers it" \
    "^delivered  alice@example.test -> temp1@dest.test"
see live "live: with the relay's reply" "queued as RETRY"
keys live q
see live "live: the list row follows" "temp1@dest.test .*delivered"
keys live G
"$MAILTRAIL" replay -d "$LDB" "$DATA/0.6/b-multi-rcpt.log"
see live "live: new mail appears in the list" \
    "tempfail-erin@sink.test .*deferred"
see live "live: following, the new rows at the bottom" \
    "\[following\]  13/13"
keys live q

# smtpd's maillog imported: each row says the status the writer keeps,
# as export --summary does: a local delivery delivered, an envelope
# removed from the queue removed.
MDB=$TMP/maillog.db
"$MAILTRAIL" replay -d "$MDB" "$DATA/0.6/k-local-delivery.log" \
    "$DATA/0.6/b-multi-rcpt.log"
"$MAILTRAIL" maillog -d "$MDB" "$DATA/maillog/6.8/k-local-delivery.maillog" \
    "$DATA/maillog/6.8/b-multi-rcpt.maillog"
# summary EVPID: its status in export --summary
summary() {
	"$MAILTRAIL" export -d "$MDB" --summary | sed -n \
	    "s/^{[^{]*\"evpid\":\"$1\"[^{]*\"status\":\"\([a-z]*\)\".*/\1/p"
}
local_st=$(summary 061514604d36e202)
erin_st=$(summary 1466b13205030850)
check "maillog: export --summary, the local delivery" "$local_st" delivered
check "maillog: export --summary, tempfail-erin" "$erin_st" removed
start ml "" tui -d "$MDB"
see ml "maillog: the local delivery's row says $local_st, as export" \
    "<✓ alice@sink.test *labuser@local.test .* $local_st "
see ml "maillog: tempfail-erin's row says $erin_st, as export" \
    "tempfail-erin@sink.test .* $erin_st "
see ml "maillog: the header counts the removal" \
    "1 failed  0 rejected  1 removed$"
keys ml / C-u
type_text ml "tempfail-erin"
keys ml Enter Enter
see ml "maillog: the life says it too" \
    "^removed  labuser@local.test -> tempfail-erin@sink.test"
keys ml q q

# The same maillog imported while the TUI runs: the rows and the open
# life change as it is committed, though no report event came.
MLDB=$TMP/maillog-live.db
"$MAILTRAIL" replay -d "$MLDB" "$DATA/0.6/k-local-delivery.log" \
    "$DATA/0.6/b-multi-rcpt.log"
start mll "" tui -d "$MLDB"
see mll "maillog live: before it, the local delivery is queued" \
    "alice@sink.test *labuser@local.test .* queued "
keys mll / C-u
type_text mll "tempfail-erin"
keys mll Enter Enter
see mll "maillog live: tempfail-erin's life, deferred" \
    "^deferred  labuser@local.test -> tempfail-erin@sink.test"
"$MAILTRAIL" maillog -d "$MLDB" "$DATA/maillog/6.8/k-local-delivery.maillog" \
    "$DATA/maillog/6.8/b-multi-rcpt.maillog"
see mll "maillog live: the open life turns removed" \
    "^removed  labuser@local.test -> tempfail-erin@sink.test"
keys mll q
see mll "maillog live: its row too" "tempfail-erin@sink.test .* removed "
see mll "maillog live: the local delivery's row turns delivered" \
    "<✓ alice@sink.test *labuser@local.test .* delivered "
see mll "maillog live: the header counts the removal" "1 removed$"
keys mll q

# Hostile bytes: a HELO with a title and a colour escape is shown
# escaped, and neither reaches the terminal.
HDB=$TMP/hostile.db
E=$(printf '\033')
B=$(printf '\007')
{
	p='report|0.6|1795464600.0000'
	s='smtp-in|%s|7777000000000001'
	printf "${p}01|$s|evil.example|fail|192.0.2.66:4444|127.0.0.1:25\n" \
	    link-connect
	printf "${p}02|$s|220 vm ESMTP OpenSMTPD\n" protocol-server
	printf "${p}03|$s|EHLO ${E}]0;pwned${B}evil${E}[31mred\n" \
	    protocol-client
	printf "${p}04|$s|EHLO|${E}]0;pwned${B}evil${E}[31mred\n" \
	    link-identify
	printf "${p}05|$s|250 vm Hello\n" protocol-server
	printf "${p}06|$s|QUIT\n" protocol-client
	printf "${p}07|$s|221 2.0.0 Bye\n" protocol-server
	printf "${p}08|$s\n" link-disconnect
} >"$TMP/hostile.log"
"$MAILTRAIL" replay -d "$HDB" "$DATA/0.6/a-relay-ok.log" "$TMP/hostile.log"
title=$($T display -p -t cmdline '#{pane_title}')
start hostile "NO_COLOR=1" tui -d "$HDB"
see hostile "hostile: a session that ended before MAIL, its HELO escaped" \
    '<∅ helo \\x1b\]0;pwned\\x07e.*192.0.2.66 *no mail'
keys hostile Enter
see hostile "hostile: its dialogue, escaped" \
    '> EHLO \\x1b\]0;pwned\\x07evil\\x1b\[31mred'
$T capture-pane -p -e -t hostile >"$TMP/hostile.screen"
check "hostile: no title or colour escape reaches the terminal" \
    "$(grep -c -e "${E}]" -e "${E}\[31m" "$TMP/hostile.screen")" 0
check "hostile: the terminal's title is unchanged" \
    "$($T display -p -t hostile '#{pane_title}')" "$title"
# a search finds the text as shown, escape and all
keys hostile g /
type_text hostile '\x1b[31mred'
keys hostile Enter
see hostile "hostile: a search for an escape as shown finds it" \
    'line [0-9]*/[0-9]*'
check "hostile: ... and says nothing of not finding it" \
    "$(screen hostile | grep -c 'not found')" 0
keys hostile q q

# Each session's outcome as the writer keeps it, with the line that
# decided it, and the outcome: filter: the e2e suite (AUTH failed both
# ways, TLS failed, a refused MAIL FROM, failed connections, an abort)
# and 0.6 captures (a refused RCPT, a disconnect in DATA, RSET QUIT).
ODB=$TMP/outcome.db
"$MAILTRAIL" replay -d "$ODB" "$DATA/0.7/e2e-suite.log" \
    "$DATA/0.6/c-rset-quit.log" "$DATA/0.6/d-relay-denied.log" \
    "$DATA/0.6/e-disconnect-in-data.log" || notok "replay of the outcomes"
start outc "" tui -d "$ODB"
$T resize-window -t outc -x 160 -y 40
keys outc Tab
see outc "outcome: the column, and the reason's where there is room" \
    "TX  OUTCOME  *LENGTH  REASON"
see outc "outcome: mail accepted" "^00:05:07 in  127.0.0.1 .* 1   mail  "
see outc "outcome: AUTH failed at smtp-in, the reply" \
    "^00:05:14 in .*tls 0   auth-failed .*535 Authentication failed"
see outc "outcome: AUTH failed at smtp-out, the reply" \
    "^00:05:43 out .*auth-failed .*535 5.7.8 Authentication credentials"
see outc "outcome: TLS failed" "^00:05:20 in .* 0   tls-failed "
see outc "outcome: a refused MAIL FROM, the filter's reply" \
    "^00:05:20 in .*refused-mail .*550 5.7.1 sender refused by builtin"
see outc "outcome: a failed connection" "^00:05:28 out - .*connect-failed "
see outc "outcome: an smtp-out session aborted" "^00:05:25 out .*aborted "
see outc "outcome: a refused RCPT (0.6), the reply" \
    "^Nov 23   in .*localhost .*refused-rcpt .*550 Invalid recipient: <mal"
see outc "outcome: a disconnect in DATA (0.6), aborted" \
    "^Nov 23   in .*localhost .* 1   aborted "
see outc "outcome: RSET and QUIT (0.6), no mail" \
    "^Nov 23   in .*localhost .* 1   no-mail "
see outc "outcome: every session" "\[following\]  28/28"
# filter_count TERM N: outcome:TERM keeps N sessions, all of them
filter_count() {
	keys outc f C-u
	type_text outc "outcome:$1"
	keys outc Enter
	see outc "outcome filter: $1 keeps $2, by the index" \
	    "filter: outcome:$1  sessions .* $2/$2 (all matches)"
}
filter_count refused 3
see outc "outcome filter: refused, the refused MAIL FROM" "refused-mail "
see outc "outcome filter: refused, the refused RCPT (0.7)" \
    "^00:05:09 in .*refused-rcpt "
see outc "outcome filter: refused, the refused RCPT (0.6)" \
    "^Nov 23 .*refused-rcpt "
gone outc "outcome filter: refused, nothing else" \
    "auth-failed\|tls-failed\|aborted\|no-mail\| mail  " \
    "filter: outcome:refused  sessions"
filter_count auth-failed 3
see outc "outcome filter: auth-failed, smtp-out too" "^00:05:43 out "
gone outc "outcome filter: auth-failed, nothing else" "refused-" \
    "filter: outcome:auth-failed  sessions"
filter_count aborted 2
see outc "outcome filter: aborted, the disconnect in DATA" "^Nov 23 .*aborted"
filter_count no-mail 2
filter_count connect-failed 2
filter_count tls-failed 1
filter_count refused-rcpt 2
keys outc f C-u
type_text outc "outcome:mail"
keys outc Enter
see outc "outcome filter: mail, among the newest sessions" \
    "filter: outcome:mail  sessions .* 15/15 (of the newest"
gone outc "outcome filter: mail, nothing else" \
    "refused-\|auth-failed\|tls-failed\|connect-failed\|no-mail" \
    "filter: outcome:mail  sessions"
keys outc f C-u
type_text outc "outcome:refused-mail"
keys outc Enter Enter
see outc "outcome: a session with no mail opens its dialogue" \
    "> MAIL FROM:<spammer@sink.test>"
see outc "outcome: the reply that refused it" \
    "< 550 5.7.1 sender refused by builtin filter"
see outc "outcome: the dialogue's head says what it came to, and why" \
    "^outcome refused-mail: 550 5.7.1 sender refused by builtin filter"
keys outc q
keys outc f C-u
type_text outc "outcome:auth-failed"
keys outc Enter Enter
see outc "outcome: an AUTH refused, as user and result (0.7 order)" \
    "= auth \(ann\|relayuser\): fail"
keys outc q
keys outc f C-u
type_text outc "outcome:refused"
keys outc Enter Tab Tab
see outc "outcome filter on envelopes: the rows of refused sessions" \
    "filter: outcome:refused  \[following\]  3/3"
see outc "outcome filter on envelopes: mallory refused (0.7)" \
    "^00:05:09 .*mallory@sink.test .*rejected"
see outc "outcome filter on envelopes: the refused MAIL FROM's session" \
    "^00:05:20 .*helo client.test"
keys outc f C-u
type_text outc "outcome:bogus"
keys outc Enter
see outc "outcome filter: a bad outcome says so" \
    'bad query term: "outcome:bogus"'
keys outc f C-u
type_text outc "outcome:aborted outcome:no-mail"
keys outc Enter
see outc "outcome filter: one outcome at most" \
    'bad query term: "outcome:no-mail"'
keys outc q
start outcargv "" tui -d "$ODB" outcome:tls-failed
keys outcargv Tab
see outcargv "outcome filter on the command line" \
    "filter: outcome:tls-failed  sessions .* 1/1 (all matches)"
keys outcargv q q

# More lives than the rows read before the first draw: the rest of the
# window is read after it, each row once, in time order.
sh tests/bench/gen.sh "$DATA/0.6/relay-suite.log" 30000 >"$TMP/big.log"
"$MAILTRAIL" replay -d "$TMP/big.db" "$TMP/big.log" ||
    notok "replay of a long stream"
n=$(sqlite3 -readonly "$TMP/big.db" "SELECT count(*) FROM life")
check "long list: more lives than the first rows read" \
    "$([ "$n" -gt 600 ] && echo more)" more
start big "" tui -d "$TMP/big.db"
see big "long list: every life, the older ones read after the first draw" \
    "\[following\]  $n/$n "
selected big "long list: the newest at the bottom" "<> *rejectme+78@example"
keys big Home
selected big "long list: the oldest at the top" \
    "alice+0@example.test *bob+0@dest.test"
click big 10 29
click big 10 29
see big "long list: a click on the status line selects no row" \
    "\]  1/$n "
keys big q

# A sender of more lives than a list keeps (5000): the filter's index
# gives the newest, and the list does not say it holds all the matches.
sed 's/alice@sink/zed@sink/g; s/bob@sink/yan@sink/g' \
    "$DATA/0.6/a-relay-ok.log" >"$TMP/zed.log"
sh tests/bench/gen.sh "$TMP/zed.log" $((5100 * 64)) >"$TMP/zed-big.log"
"$MAILTRAIL" replay -d "$TMP/zed.db" "$TMP/zed-big.log" ||
    notok "replay of 5100 messages of one sender"
check "one sender, 5100 lives" "$(q "$TMP/zed.db" "SELECT count(*) FROM
    life WHERE mail_from = 'zed@sink.test'")" 5100
start zed "" tui -d "$TMP/zed.db" from:zed@sink.test
see zed "more matches than a list keeps: the newest 5000, said so" \
    "5000/5000 (the newest 5000 matches)"
keys zed q

# Without a terminal, or with a bad query: a message, exit 1.
"$BIN" tui -d "$DB" </dev/null >"$TMP/out" 2>&1
check "no terminal: exit 1 with a message" "$? $(cat "$TMP/out")" \
    "1 mailtrail: tui: not a terminal (try mailtrail trace or export)"
"$BIN" </dev/null >"$TMP/out" 2>&1
check "no command, no terminal: the usage, exit 1" \
    "$? $(head -1 "$TMP/out")" "1 usage: mailtrail command [options]"
"$BIN" -d "$DB" alice </dev/null >"$TMP/out" 2>&1
check "options first, no terminal: a command asked for, exit 1" \
    "$? $(head -1 "$TMP/out")" \
    "1 mailtrail: -d: a command first (options alone start the TUI,\
 on a terminal)"
start badq "" tui -d "$DB" xyz
see badq "a bad query term: exit 1 with a message" \
    'mailtrail: bad query term: "xyz"'
see badq "a bad query term: exit status 1" "TUI-EXIT=1"
start nodb "" tui -d "$TMP/none.db"
see nodb "no database: exit 1 with a message" "none.db: No such file"
start bare "MAILTRAIL_DB=$DB" ""
see bare "no command on a terminal: the TUI" "\[following\]  20/20"
keys bare q
see bare "no command on a terminal: q exits 0" "TUI-EXIT=0"
