#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# bench-live.sh MAILTRAIL: the live cost of mailtrail to the real smtpd.
#
# Runs Debian's OpenSMTPD (tests/e2e/lib.sh: private mount namespace,
# 127.0.0.1, relaying to tests/e2e/sink.py) and sends 2,000 messages with
# 20 concurrent clients (tests/e2e/load.py), one recipient each, with:
#   without  no report process (tests/e2e/smtpd-nofilter.conf.in)
#   with     "MAILTRAIL collect -d out/mailtrail-N.db" as the report process
#            of the listeners and the relay action (tests/e2e/smtpd.conf.in)
#   null     the same filter lines, but the report process is
#            tests/e2e/tee-collect.sh /dev/null (a cat after the handshake):
#            what reporting costs smtpd itself, whoever reads the stream
# alternating without, with, null, without, ... and keeping each kind's run
# with the best acceptance rate.  Accepted: from the first connect to the
# last 250 after DATA.  Queue empty: from the first connect to the sink's
# last 250 (every message relayed), then confirmed by smtpctl show queue.
# CPU: utime+stime (+ reaped children's) from /proc/PID/stat, sampled just
# before smtpd is stopped: the collector (pgrep -f on the scratch dir) and
# every other process of smtpd's tree.  Finally the database must hold
# every smtp-in transaction, committed.
#
# Run by tests/bench/bench.sh (make bench) as: sh tests/bench/bench-live.sh /abs/mailtrail
# (BENCH_DB and BENCH_STREAM are ignored).  Knobs: BENCH_LIVE_MESSAGES
# (2000), BENCH_LIVE_CLIENTS (20), BENCH_LIVE_ROUNDS (2), BENCH_LIVE_NULL=0
# skips the null runs, BENCH_LIVE_KEEP=1 keeps the scratch dir (kept anyway
# on failure).  Prints "live: SKIPPED: why" and exits 0 when not root or
# smtpd is missing.  Stops only what it started, by pid.
# tests/bench/bench.sh runs it with sh: go on in bash
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -eu

skip() {
	echo "live: SKIPPED: $*"
	exit 0
}
[ $# = 1 ] || { echo "usage: bench-live.sh /path/to/mailtrail" >&2; exit 64; }
MT=$1
[ "$(id -u)" = 0 ] || skip "needs root (smtpd starts as root, in a private mount namespace)"
[ -x /usr/sbin/smtpd ] || skip "/usr/sbin/smtpd is missing (apt-get install opensmtpd)"

HERE=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=e2e/lib.sh
. "$HERE/e2e/lib.sh"

for c in "$SMTPCTL" "$PY"; do
	[ -x "$c" ] || skip "$c is missing"
done
for c in sqlite3 unshare nsenter ss runuser mountpoint pgrep getconf; do
	command -v "$c" >/dev/null 2>&1 || skip "$c is missing"
done
id "$E2E_USER" >/dev/null 2>&1 || skip "user $E2E_USER does not exist (opensmtpd package not set up)"
unshare -m --propagation private /bin/true 2>/dev/null ||
	skip "cannot create a mount namespace (unshare -m failed)"
[ -x "$MT" ] || { echo "live: FAILED: $MT is not executable"; exit 1; }

N=${BENCH_LIVE_MESSAGES:-2000}
C=${BENCH_LIVE_CLIENTS:-20}
ROUNDS=${BENCH_LIVE_ROUNDS:-2}
HZ=$(getconf CLK_TCK)
T0=$(date +%s.%N)

e2e_setup_dir
# the report process runs as opensmtpd: give it a copy it can reach
install -m 0755 "$MT" "$E2E_DIR/bin/mailtrail"
install -m 0755 "$(dirname "$MT")/mailtrail-live" "$E2E_DIR/bin/"
COLLECTOR=$E2E_DIR/bin/mailtrail
LOG=$E2E_DIR/bench.log
# lib.sh's progress messages go to the log; shown only when something fails
exec 3>&2 2>>"$LOG"

finish() {
	local rc=$?
	e2e_cleanup
	e2e_wait_for 10 "collector to exit" e2e_no_process "$COLLECTOR" || true
	if [ "$rc" != 0 ]; then
		echo "live: FAILED (exit $rc); last lines of $LOG:" >&3
		tail -n 25 "$LOG" | sed 's/^/  /' >&3
		echo "  scratch dir kept: $E2E_DIR" >&3
	elif [ "${BENCH_LIVE_KEEP:-0}" = 1 ]; then
		echo "live: scratch dir kept: $E2E_DIR"
	else
		rm -rf "$E2E_DIR"
	fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

e2e_check_collect_access "$COLLECTOR"

# No DNS in smtpd: it looks up the client's (and the relay's) name for every
# session, and a resolver that drops a query now and then stalls that
# session for the 5 s retry, which would swamp the figures (seen in a
# sandbox: ~1 session in 20).  In smtpd's mount namespace a resolv.conf
# saying "lookup file" (libasr) makes /etc/hosts answer: 127.0.0.1 is
# localhost.
printf '# bench-live.sh: names from /etc/hosts only\nlookup file\n' \
	>"$E2E_DIR/resolv.conf"
# shellcheck disable=SC2016 # expands inside the namespace's sh
case $E2E_NS_SCRIPT in
*'exec "$@"')
	E2E_NS_SCRIPT="${E2E_NS_SCRIPT%'exec "$@"'}mount --bind $E2E_DIR/resolv.conf /etc/resolv.conf
"'exec "$@"'
	;;
*) e2e_die "tests/e2e/lib.sh: E2E_NS_SCRIPT no longer ends in exec \"\$@\"" ;;
esac

# The same mta limits for every run, so that the queue drains at the pace
# of smtpd's work rather than of its politeness timers: by default a new
# connection to a route every 5 s, 3 s before reconnecting, 5 at most
# (~20 msg/s here, 100 s for 2,000 messages); and over 50 envelopes for one
# relay are held back, which once left 10 of them in the queue for good.
# "mta limit" is in 6.8's grammar (limit.c), not in smtpd.conf(5).
MTA_LIMITS="mta limit max-conn-per-route 20 max-conn-per-host 20"
MTA_LIMITS="$MTA_LIMITS conn-delay-route 0 conn-delay-relay 0 reconn-delay-route 0"
MTA_LIMITS="$MTA_LIMITS task-hiwat 100000 task-lowat 90000"

calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# proc_ticks PID: utime+stime+cutime+cstime of one process (0 if gone)
proc_ticks() {
	local s
	{ read -r s <"/proc/$1/stat"; } 2>/dev/null || { echo 0; return 0; }
	# fields after "pid (comm) ": 1 state, 2 ppid, 12-15 the four times
	s=${s##*) }
	# shellcheck disable=SC2086
	set -- $s
	echo $((${12} + ${13} + ${14} + ${15}))
}

# tree_pids ROOT: ROOT and all its descendants
tree_pids() {
	local f s pid ppid
	local -A kids=()
	for f in /proc/[0-9]*/stat; do
		{ read -r s <"$f"; } 2>/dev/null || continue
		pid=${s%% *}
		s=${s##*) }
		ppid=${s#* }
		ppid=${ppid%% *}
		kids[$ppid]="${kids[$ppid]:-} $pid"
	done
	local todo=("$1") p
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		echo "$p"
		# shellcheck disable=SC2206
		todo+=(${kids[$p]:-})
	done
}

# report_running: a process other than smtpd in smtpd's tree
report_running() {
	local p
	for p in $(tree_pids "$SMTPD_PID"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = smtpd ] || return 0
	done
	return 1
}

sink_count() { grep -c ' message sink-' "$1" || true; }
sink_has() { [ "$(sink_count "$1")" -ge "$2" ]; }
queue_empty() { [ "$(e2e_queue_count)" = 0 ]; }

# run_one KIND ROUND: one smtpd run; sets R_* for the caller
run_one() {
	local kind=$1 round=$2 tag=$1-$2 tpl collect='' db='' out
	read -r PORT_IN PORT_SINK < <(e2e_free_ports 2)
	e2e_sink_start "$PORT_SINK" "$E2E_DIR/sink-$tag.log"
	case $kind in
	with)
		db=$E2E_DIR/out/mailtrail-$round.db
		collect="$COLLECTOR collect -d $db"
		tpl=$E2E_SRC/smtpd.conf.in
		;;
	null)
		collect="$E2E_DIR/bin/tee-collect.sh /dev/null"
		tpl=$E2E_SRC/smtpd.conf.in
		;;
	*) tpl=$E2E_SRC/smtpd-nofilter.conf.in ;;
	esac
	{ cat "$tpl"; printf '\n# bench-live.sh, every run\n%s\n' "$MTA_LIMITS"; } \
		>"$E2E_DIR/smtpd-$tag.conf.in"
	e2e_render_conf "$E2E_DIR/smtpd-$tag.conf.in" "$E2E_DIR/smtpd-$tag.conf" "$collect"
	e2e_smtpd_start "$E2E_DIR/smtpd-$tag.conf" "$E2E_DIR/smtpd-$tag.log"
	if [ -n "$collect" ]; then
		e2e_wait_for 10 "report process running" report_running ||
			e2e_die "$tag: no report process"
	else
		! report_running || e2e_die "$tag: a report process runs without a filter"
	fi

	e2e_log "$tag: sending $N messages with $C clients to 127.0.0.1:$PORT_IN"
	out=$("$PY" "$E2E_SRC/load.py" "$PORT_IN" "$N" "$C" sink.test) ||
		e2e_die "$tag: load.py: $out"
	e2e_log "$tag: load.py: $out"
	local start secs
	start=$(printf '%s\n' "$out" | sed -n 's/.*start=\([0-9.]*\).*/\1/p')
	secs=$(printf '%s\n' "$out" | sed -n 's/.* secs=\([0-9.]*\).*/\1/p')

	e2e_wait_for 150 "the sink to receive $N messages" \
		sink_has "$E2E_DIR/sink-$tag.log" "$N" ||
		e2e_die "$tag: the sink got $(sink_count "$E2E_DIR/sink-$tag.log") of $N messages; queue: $(e2e_queue_count)"
	e2e_wait_for 20 "the queue to be empty" queue_empty ||
		e2e_die "$tag: queue not empty: $(e2e_queue_count) envelopes"
	local last qsecs
	last=$(grep ' message sink-' "$E2E_DIR/sink-$tag.log" | tail -n 1 | cut -d' ' -f1)
	qsecs=$(calc %.3f "$last - $start")

	# CPU, just before smtpd is stopped
	local cpids='' p t mt=0 all=0 detail=''
	if [ "$kind" = with ]; then
		cpids=$(pgrep -f -- "$E2E_DIR/bin/mailtrail collect" | tr '\n' ' ')
		[ -n "$cpids" ] || e2e_die "$tag: the collector is gone"
	fi
	for p in $(tree_pids "$SMTPD_PID"); do
		t=$(proc_ticks "$p")
		detail="$detail $p:$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-30):$t;"
		case " $cpids " in
		*" $p "*) mt=$((mt + t)) ;;
		*)
			# the null report process is a cat, not smtpd
			if [ "$kind" = null ] && [ "$(cat "/proc/$p/comm" 2>/dev/null)" != smtpd ]; then
				mt=$((mt + t))
			else
				all=$((all + t))
			fi
			;;
		esac
	done
	e2e_log "$tag: ticks smtpd $all report process $mt:$detail"
	e2e_smtpd_stop
	e2e_sink_stop
	grep -qiE 'lost processor|fatal' "$E2E_DIR/smtpd-$tag.log" &&
		e2e_die "$tag: smtpd: $(grep -iE 'lost processor|fatal' "$E2E_DIR/smtpd-$tag.log" | head -n 1)"

	R_TX=''
	if [ -n "$collect" ]; then
		e2e_wait_collect_exit "$E2E_DIR/bin/" || e2e_die "$tag: collector still running after smtpd stopped"
		[ -z "$db" ] || R_TX=$(sqlite3 -readonly -batch -noheader "$db" \
			"SELECT count(*) FROM tx t JOIN session s ON s.id = t.session
			WHERE s.dir = 0 AND t.t_commit IS NOT NULL")
	fi
	R_SECS=$secs
	R_QSECS=$qsecs
	R_RATE=$(calc %.1f "$N / $secs")
	R_SMTPD=$(calc %.2f "$all / $HZ")
	R_MT=$(calc %.2f "$mt / $HZ")
	e2e_log "$tag: $R_RATE msg/s, $secs s, queue empty $qsecs s, smtpd $R_SMTPD s, collector $R_MT s, tx $R_TX"
}

# B_* keep each kind's run with the higher acceptance rate
KINDS="without with"
if [ "${BENCH_LIVE_NULL:-1}" = 1 ]; then KINDS="$KINDS null"; fi
declare -A B_RATE=() B_SECS=() B_QSECS=() B_SMTPD=() B_MT=()
ALL_TX=''
B_TX=''
for ((r = 1; r <= ROUNDS; r++)); do
	for kind in $KINDS; do
		run_one "$kind" "$r"
		if [ "$kind" = with ]; then
			ALL_TX="$ALL_TX${ALL_TX:+, }$R_TX"
		fi
		if [ -z "${B_RATE[$kind]:-}" ] ||
			awk -v a="$R_RATE" -v b="${B_RATE[$kind]}" 'BEGIN { exit !(a > b) }'; then
			B_RATE[$kind]=$R_RATE
			B_SECS[$kind]=$R_SECS
			B_QSECS[$kind]=$R_QSECS
			B_SMTPD[$kind]=$R_SMTPD
			B_MT[$kind]=$R_MT
			if [ "$kind" = with ]; then B_TX=$R_TX; fi
		fi
	done
done

for kind in $KINDS; do
	case $kind in
	without) what="without mailtrail" ;;
	with) what="with mailtrail" ;;
	null) what="with a null report process" ;;
	esac
	echo "live: $what ${B_RATE[$kind]} msg/s accepted ($N messages," \
		"$C clients, ${B_SECS[$kind]} s; queue empty after ${B_QSECS[$kind]} s)"
done
echo "live: throughput ratio with/without" \
	"$(calc %.3f "${B_RATE[with]} / ${B_RATE[without]}") [target >= 0.97]"
if [ -n "${B_RATE[null]:-}" ]; then
	echo "live: throughput ratio null report process/without" \
		"$(calc %.3f "${B_RATE[null]} / ${B_RATE[without]}")" \
		"(smtpd's own cost of reporting; with/null" \
		"$(calc %.3f "${B_RATE[with]} / ${B_RATE[null]}"))"
fi
echo "live: collector CPU ${B_MT[with]} s for the run," \
	"$(calc %.1f "100 * ${B_MT[with]} / ${B_SMTPD[with]}")% of smtpd's CPU" \
	"(all smtpd processes, ${B_SMTPD[with]} s) and" \
	"$(calc %.1f "100 * ${B_MT[with]} / ${B_QSECS[with]}")% of one core" \
	"over the run (${B_QSECS[with]} s)"
echo "live: smtpd CPU (all smtpd processes) ${B_SMTPD[without]} s without" \
	"mailtrail, ${B_SMTPD[with]} s with it${B_SMTPD[null]:+, ${B_SMTPD[null]} s with a null report process (its own CPU ${B_MT[null]} s)}"
echo "live: database holds $B_TX committed smtp-in transactions of $N sent" \
	"(runs with mailtrail: $ALL_TX)"
echo "live: best of $ROUNDS runs each, alternating ${KINDS// //}; took" \
	"$(calc %.0f "$(date +%s.%N) - $T0") s in all"
for t in ${ALL_TX//,/}; do
	[ "$t" = "$N" ] || { echo "live: FAILED: a database holds $t committed smtp-in transactions, not $N"; exit 1; }
done
