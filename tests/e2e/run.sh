#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# run.sh -- mailtrail end-to-end test against the real OpenSMTPD: Debian
# 12's 6.8.0p2, or 7.x in another root (E2E_ROOT, tests/t-e2e-7.sh).
#
# Starts tests/e2e/sink.py and smtpd (private mount namespace, 127.0.0.1 on
# free ports) with a report process attached to smtp-in, the local socket
# and the relay actions, drives scenarios a-g with swaks / rset-dialog.py
# (e-g: local delivery, connection refused then smtpctl remove, a bounce
# to a local sender; smtpd -d -v, its log timestamped, for the maillog),
# then those of scenarios-both.sh (l m n p: relay AUTH passed and refused,
# a builtin filter, a next hop that stalls), waits until everything is
# idle, stops smtpd and summarises the captured report stream.
#
# Knobs:
#   E2E_COLLECTOR  collector command fed through tee-collect.sh, e.g.
#                  '/path/to/mailtrail collect -d @OUT@/mailtrail.db'
#                  (@OUT@ = the scratch out/ dir, writable by opensmtpd;
#                  @BIN@ = its bin/, where E2E_INSTALL's files are copied).
#                  Empty (default): tee-collect.sh answers the handshake
#                  itself and only records the stream.
#   E2E_MAXWAIT    max seconds to wait for idle (default 60)
#   E2E_ROOT       run smtpd chrooted in this root (lib.sh), e.g. the
#                  Debian 13 one of debroot.sh, for OpenSMTPD 7.x
#   E2E_CONF_MORE  a template appended to smtpd.conf.in and
#                  smtpd-both.conf.in (smtpd-7.conf.in)
#   E2E_MORE       a file of more scenarios (scenarios-7.sh): sourced; its
#                  more_setup runs before smtpd starts (MORE_PORTS names
#                  the port variables it needs), its MORE_SCENARIOS after
#                  those of scenarios-both.sh
#   E2E_ONLY       run only these scenarios (letters, e.g. "n p"): the
#                  stream and maillog of one case alone, as those of
#                  tests/data were made (the checks need every scenario)
#
# Exit: 0 ok, 1 failure, 77 skipped (not root, tools missing).
# Scratch files stay in /tmp/mailtrail-e2e.XXXXXX (path printed at the end).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

e2e_require
T0=$(date +%s.%N)
e2e_traps
e2e_setup_dir

RAW=$E2E_DIR/out/raw.log
CLIENT_LOG=$E2E_DIR/client.log
SINK_LOG=$E2E_DIR/sink.log
SMTPD_LOG=$E2E_DIR/smtpd.log
FAILS=0

# The report process command (proc-exec).  tee-collect.sh always records the
# raw stream; with E2E_COLLECTOR it also pipes it into the real collector.
COLLECTOR=${E2E_COLLECTOR:-}
COLLECTOR=${COLLECTOR//@OUT@/$E2E_DIR/out}
COLLECTOR=${COLLECTOR//@BIN@/$E2E_DIR/bin}
COLLECT="$E2E_DIR/bin/tee-collect.sh $RAW${COLLECTOR:+ -- $COLLECTOR}"

fail() {
	e2e_log "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# swaks_send NAME WANT-RC FROM TO[,TO...]: one message; WANT-RC is 0 or
# "nonzero" (swaks exits non-zero when the server refuses something)
swaks_send() {
	local name=$1 want=$2 from=$3 to=$4 rc=0
	e2e_require_smtpd "scenario $name"
	printf '\n=== %s: %s -> %s\n' "$name" "$from" "$to" >>"$CLIENT_LOG"
	swaks --server 127.0.0.1 --port "$PORT_IN" --helo client.test \
		--from "$from" --to "$to" --header "Subject: mailtrail e2e $name" \
		--timeout 20 >>"$CLIENT_LOG" 2>&1 || rc=$?
	e2e_log "scenario $name: swaks exit $rc"
	# 2: no connection, 21: no banner (smtpd withholds it until the report
	# process sent register|ready); every later step would hang the same way
	case $rc in
	2 | 21) e2e_die "scenario $name: smtpd did not connect/greet (swaks exit $rc); is the report process registering? see $CLIENT_LOG and $SMTPD_LOG" ;;
	esac
	case $want in
	0) [ "$rc" = 0 ] || fail "scenario $name: swaks exit $rc, see $CLIENT_LOG" ;;
	*) [ "$rc" != 0 ] || fail "scenario $name: swaks succeeded but a refusal was expected" ;;
	esac
}

sink_saw() { grep -q -- "$1" "$SINK_LOG"; }

# an envelope for ADDR is queued and waiting (not being delivered right now),
# so "smtpctl schedule" will pick it up
queued_waiting() {
	local q
	q=$(e2e_ctl show queue 2>/dev/null) || return 1
	printf '%s\n' "$q" | grep -F -- "$1" | grep -qv inflight
}

# evpid_of ADDR: the evpid smtpd logged for the recipient ADDR
evpid_of() {
	sed -n "s/.*smtp envelope evpid=\([0-9a-f]*\) .*to=<$1>.*/\1/p" \
	    "$SMTPD_LOG" | head -1
}

# retry ADDR: "smtpctl schedule" its envelope alone, so that another
# scenario's envelope waiting in the queue then stays there
retry() {
	local evpid
	evpid=$(evpid_of "$1")
	e2e_ctl schedule "$evpid" >>"$CLIENT_LOG" 2>&1
	e2e_log "smtpctl schedule $evpid ($1)"
}

scenario_a() {
	swaks_send a 0 alice@sink.test bob@sink.test
}

# 3 recipients: the sink accepts ok-dan, refuses reject-dave (550, bounce to
# carol, relayed to the sink too) and tempfails tempfail-erin once; a forced
# retry (smtpctl schedule) then delivers it.
scenario_b() {
	swaks_send b 0 carol@sink.test \
		ok-dan@sink.test,reject-dave@sink.test,tempfail-erin@sink.test
	e2e_wait_for 15 "sink 451 for tempfail-erin" \
		sink_saw '451 4.3.0 <tempfail-erin@sink.test>' ||
		{ fail "scenario b: sink never tempfailed tempfail-erin"; return 0; }
	e2e_wait_for 15 "tempfail-erin back in the queue" \
		queued_waiting tempfail-erin@sink.test ||
		{ fail "scenario b: tempfail-erin not waiting in the queue"; return 0; }
	{ echo "=== b: smtpctl show queue before retry"; e2e_ctl show queue; } >>"$CLIENT_LOG" 2>&1
	retry tempfail-erin@sink.test
	e2e_wait_for 20 "retry delivered to tempfail-erin" \
		sink_saw 'message sink-[0-9]* .*to=<[^ ]*tempfail-erin@sink.test' ||
		fail "scenario b: retry for tempfail-erin not delivered"
}

# refused by smtpd itself: no rule matches the domain
scenario_c() {
	swaks_send c nonzero mallory@sink.test mallory@elsewhere.invalid
	grep -q '<\*\* *550 .*Invalid recipient' "$CLIENT_LOG" ||
		fail "scenario c: no '550 ... Invalid recipient' from smtpd"
}

scenario_d() {
	local rc=0
	e2e_require_smtpd "scenario d"
	printf '\n=== d: EHLO MAIL RCPT RSET QUIT\n' >>"$CLIENT_LOG"
	"$PY" "$HERE/rset-dialog.py" "$PORT_IN" >>"$CLIENT_LOG" 2>&1 || rc=$?
	e2e_log "scenario d: rset-dialog exit $rc"
	[ "$rc" = 0 ] || fail "scenario d: dialogue failed, see $CLIENT_LOG"
}

# --- the maillog's facts (issue 7): smtpd runs with -v, its log
# timestamped (E2E_SMTPD_VERBOSE); t-e2e.sh imports it with mailtrail
# maillog.  E2E_LOCAL_USER gets mail for @local.test in ~/Maildir.
E2E_LOCAL_USER=e2euser

smtpd_logged() { grep -qE -- "$1" "$SMTPD_LOG"; }

# local delivery by the mda to ~e2euser/Maildir
scenario_e() {
	swaks_send e 0 alice@sink.test "$E2E_LOCAL_USER@local.test"
	e2e_wait_for 15 "mda delivery to $E2E_LOCAL_USER" smtpd_logged \
	    "mda delivery .*to=<$E2E_LOCAL_USER@local.test>.* result=Ok" ||
		fail "scenario e: no local delivery to $E2E_LOCAL_USER"
}

# nothing listens on PORT_DEAD: connection refused; smtpd tries the
# route for about a minute before it logs the tempfail, so the message
# goes first (scenario_f_send) and the rest runs meanwhile.  At the
# tempfail the log is kept as smtpd-deferred.log, then smtpctl remove.
scenario_f_send() {
	swaks_send f 0 alice@sink.test gone@dead.test
}

scenario_f() {
	local evpid
	e2e_wait_for 120 "a tempfail for gone@dead.test" smtpd_logged \
	    'mta delivery .*to=<gone@dead.test>.*result="TempFail"' ||
		{ fail "scenario f: no tempfail for gone@dead.test"; return 0; }
	cp "$SMTPD_LOG" "$E2E_DIR/smtpd-deferred.log"
	evpid=$(evpid_of gone@dead.test)
	echo "$evpid" >"$E2E_DIR/dead.evpid"
	e2e_wait_for 15 "gone@dead.test waiting in the queue" \
	    queued_waiting gone@dead.test ||
		{ fail "scenario f: gone@dead.test not waiting"; return 0; }
	e2e_ctl remove "$evpid" >>"$CLIENT_LOG" 2>&1 ||
		fail "scenario f: smtpctl remove $evpid failed"
	e2e_wait_for 15 "Remove for $evpid" smtpd_logged "Remove for $evpid" ||
		fail "scenario f: smtpd did not log the removal of $evpid"
}

# a local sender's mail to two recipients, both refused 550 by the sink:
# one bounce for the two, delivered to the sender's Maildir
scenario_g() {
	swaks_send g 0 "$E2E_LOCAL_USER@local.test" \
	    reject-x@sink.test,reject-y@sink.test
	e2e_wait_for 20 "the bounce delivered to $E2E_LOCAL_USER" smtpd_logged \
	    "mda delivery .*from=<> to=<$E2E_LOCAL_USER@local.test>.* result=Ok" ||
		fail "scenario g: bounce not delivered to $E2E_LOCAL_USER"
}

# count "report" lines per direction and event, plus the config lines
summary() {
	awk -F'|' '$1 == "report" { n[$4 " " $5]++; r++ }
		$1 == "config" { c++ }
		END {
			printf "  %-34s %5d\n", "config lines", c
			printf "  %-34s %5d\n", "report lines", r
			for (k in n) printf "  %-34s %5d\n", k, n[k] | "sort"
		}' "$1"
}

# --- main ------------------------------------------------------------------

# shellcheck source=scenarios-both.sh
. "$HERE/scenarios-both.sh"
MORE_PORTS=
MORE_SCENARIOS=
if [ -n "${E2E_MORE:-}" ]; then
	# shellcheck source=scenarios-7.sh
	. "$E2E_MORE"
fi
# mailtrail-live, beside it in a build tree or a copy, runs the collector
live=${COLLECTOR:+$(dirname "${COLLECTOR%% *}")/mailtrail-live}
[ -e "$live" ] || live=
e2e_check_collect_access "$E2E_DIR/bin/tee-collect.sh" \
    ${COLLECTOR:+${COLLECTOR%% *}} $live
e2e_add_user "$E2E_LOCAL_USER" || e2e_die "cannot add user $E2E_LOCAL_USER"
# all ports at once, so that they differ
port_vars="$BOTH_PORTS $MORE_PORTS"
read -r -a ports < <(e2e_free_ports $((3 + $(echo $port_vars | wc -w))))
PORT_IN=${ports[0]} PORT_SINK=${ports[1]} PORT_DEAD=${ports[2]}
i=3
for v in $port_vars; do
	printf -v "$v" %s "${ports[i]}"
	i=$((i + 1))
done
E2E_CONF_VARS="$port_vars $BOTH_ADDRS"
E2E_SMTPD_VERBOSE=1
e2e_sink_start "$PORT_SINK" "$SINK_LOG"
both_setup
[ -z "${E2E_MORE:-}" ] || more_setup
cat "$HERE/smtpd.conf.in" "$HERE/smtpd-both.conf.in" \
	${E2E_CONF_MORE:+"$E2E_CONF_MORE"} >"$E2E_DIR/smtpd.conf.in"
e2e_render_conf "$E2E_DIR/smtpd.conf.in" "$E2E_DIR/smtpd.conf" "$COLLECT"
e2e_smtpd_start "$E2E_DIR/smtpd.conf" "$SMTPD_LOG"

# the messages of f, m and p first (smtpd tries their routes for a while,
# the rest runs meanwhile), their outcome last
for s in f_send m_send p_send l a b c d e g $BOTH_SCENARIOS $MORE_SCENARIOS \
    p m f; do
	case " ${E2E_ONLY:-${s%_send}} " in
	*" ${s%_send} "*) "scenario_$s" ;;
	esac
done

e2e_wait_idle "$RAW" "${E2E_MAXWAIT:-60}" || fail "smtpd did not become idle"

# "stayed up the whole time": still alive now, and never lost its processor
if e2e_smtpd_alive; then
	SMTPD_UP=1
else
	SMTPD_UP=0
	fail "smtpd is no longer running, see $SMTPD_LOG"
fi
e2e_smtpd_stop
e2e_wait_collect_exit "$E2E_DIR/(bin|out)/" || fail "report process still running after smtpd stopped"
if grep -qiE 'lost processor|fatal' "$SMTPD_LOG"; then
	fail "smtpd log reports a fatal error: $(grep -iE 'lost processor|fatal' "$SMTPD_LOG" | head -1)"
fi
e2e_sink_stop

[ -s "$RAW" ] || fail "no report stream captured in $RAW"
dirs="smtp-in smtp-out"
# E2E_ONLY: one case may have no smtp-out session
[ -z "${E2E_ONLY:-}" ] || dirs=smtp-in
for dir in $dirs; do
	grep -q "^report|[^|]*|[^|]*|$dir|link-connect|" "$RAW" 2>/dev/null ||
		fail "no $dir link-connect in $RAW"
done

T1=$(date +%s.%N)
cat <<EOF

raw report stream: $RAW
scratch dir:       $E2E_DIR (smtpd.log sink.log client.log smtpd.conf)
smtpd version:     $(sed -n 's/^config|smtpd-version|//p' "$RAW" | head -1)
ports:             smtp-in 127.0.0.1:$PORT_IN, sink 127.0.0.1:$PORT_SINK
smtpd stayed up:   $([ "$SMTPD_UP" = 1 ] && echo yes || echo NO)
runtime:           $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f s", b - a }')
events:
EOF
[ -f "$RAW" ] && summary "$RAW"

if [ "$FAILS" -gt 0 ]; then
	echo "RESULT: FAIL ($FAILS problems, see messages above)"
	exit 1
fi
echo "RESULT: OK"
