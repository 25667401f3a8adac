# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# shellcheck shell=bash
# lib.sh -- helpers for the mailtrail end-to-end test (sourced by run.sh).
#
# Runs Debian 12's packaged OpenSMTPD 6.8.0p2 on 127.0.0.1 inside a private
# mount namespace: tmpfs over the queue (/var/spool/smtpd) and over /run
# (control socket /var/run/smtpd.sock), both compiled into smtpd, so the
# host's queue and socket are never touched and a host smtpd can keep
# running.  Every process we start is recorded and only those are stopped.
#
# E2E_ROOT names another root (tests/e2e/debroot.sh builds one with
# OpenSMTPD 7.x): smtpd, smtpctl and the report process then run chrooted
# there, the scratch dir bind-mounted at the same path, the root's /tmp,
# /home, queue and /run on tmpfs, so that a run leaves nothing there
# (but e2e_add_user's user, added once to its passwd).  Empty: the
# host's smtpd.
#
# Globals set here: E2E_DIR (scratch dir), SMTPD_PID, SINK_PID,
# PORT_IN, PORT_SINK; PORT_DEAD (nothing listens there) may be set by the
# caller.  E2E_SMTPD_VERBOSE=1 runs smtpd -d -v, its log timestamped.

E2E_SRC=${E2E_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
E2E_ROOT=${E2E_ROOT:-}
# paths inside E2E_ROOT when it is set
SMTPD=/usr/sbin/smtpd
SMTPCTL=/usr/sbin/smtpctl
PY=/usr/bin/python3
# smtpd runs the report process as this user
E2E_USER=opensmtpd

E2E_DIR=
SMTPD_LOG_FILE=
SMTPD_PID=
# the tslog.py of each smtpd started with E2E_SMTPD_VERBOSE, by its pid
declare -A E2E_TSLOG=()
SINK_PID=
# every sink started, SINK_PID the last
SINK_PIDS=
# users whose home the namespace makes (on tmpfs) inside E2E_ROOT
E2E_HOMES=
PORT_IN=
PORT_SINK=

e2e_log() { printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
e2e_die() { e2e_log "FAIL: $*"; exit 1; }

# exit code 77 = "skipped" for automake-style test drivers
e2e_skip() {
	printf 'SKIPPED: %s\n' "$*"
	exit 77
}

# Skip (not fail) when the host cannot run the test at all.
e2e_require() {
	local c
	[ "$(id -u)" = 0 ] || e2e_skip "must run as root (smtpd starts as root and needs a mount namespace)"
	for c in "$E2E_ROOT$SMTPD" "$E2E_ROOT$SMTPCTL" "$PY"; do
		[ -x "$c" ] || e2e_skip "$c is missing (apt-get install opensmtpd python3)"
	done
	for c in swaks unshare nsenter ss runuser setpriv mountpoint pgrep; do
		command -v "$c" >/dev/null 2>&1 || e2e_skip "$c is missing"
	done
	e2e_ids "$E2E_USER" >/dev/null || e2e_skip "user $E2E_USER does not exist (opensmtpd package not set up)"
	# containers without CAP_SYS_ADMIN cannot do this
	unshare -m --propagation private /bin/true 2>/dev/null ||
		e2e_skip "cannot create a mount namespace (unshare -m failed)"
}

# e2e_ids USER: "uid:gid" of USER, in E2E_ROOT's passwd when it is set
e2e_ids() {
	if [ -z "$E2E_ROOT" ]; then
		id "$1" >/dev/null 2>&1 && echo "$(id -u "$1"):$(id -g "$1")"
		return
	fi
	awk -F: -v u="$1" '$1 == u { print $3 ":" $4; f = 1 }
	    END { exit !f }' "$E2E_ROOT/etc/passwd"
}

# e2e_add_user NAME: a user with a home, for local delivery; in E2E_ROOT
# the home is made afresh, on tmpfs, in each namespace
e2e_add_user() {
	if [ -z "$E2E_ROOT" ]; then
		id "$1" >/dev/null 2>&1 || useradd -m "$1"
		return
	fi
	e2e_ids "$1" >/dev/null ||
		chroot "$E2E_ROOT" useradd -M -d "/home/$1" "$1" || return
	E2E_HOMES="$E2E_HOMES $1:$(e2e_ids "$1")"
}

# e2e_setup_dir: private scratch dir.  The report process runs as
# opensmtpd, so the dir must be traversable and out/ writable by it.
e2e_setup_dir() {
	E2E_DIR=$(mktemp -d /tmp/mailtrail-e2e.XXXXXX)
	chmod 0711 "$E2E_DIR"
	mkdir -m 0755 "$E2E_DIR/bin"
	mkdir -m 0750 "$E2E_DIR/out"
	chown "$(e2e_ids "$E2E_USER")" "$E2E_DIR/out"
	# copy the stand-in collector so the repository's location (maybe
	# under a 0700 home) does not matter
	install -m 0755 "$E2E_SRC/tee-collect.sh" "$E2E_DIR/bin/tee-collect.sh"
	# and the programs named in E2E_INSTALL (in E2E_ROOT, the collector
	# must be where smtpd's chroot sees it)
	local f
	for f in ${E2E_INSTALL:-}; do
		install -m 0755 "$f" "$E2E_DIR/bin/" || e2e_die "cannot copy $f"
	done
}

# e2e_as_user TEST-ARGS: run test(1) as the report process user (its
# ids in E2E_ROOT: the scratch dir is the same files there)
e2e_as_user() {
	if [ -z "$E2E_ROOT" ]; then
		runuser -u "$E2E_USER" -- test "$@"
		return
	fi
	local ids
	ids=$(e2e_ids "$E2E_USER") || return 1
	setpriv --reuid="${ids%:*}" --regid="${ids#*:}" --clear-groups \
	    test "$@"
}

# e2e_check_collect_access FILE...: fail early with a clear message instead
# of smtpd's "lost processor" when the report process cannot run.
e2e_check_collect_access() {
	local f
	for f in "$@"; do
		e2e_as_user -x "$f" ||
			e2e_die "$f is not executable by user $E2E_USER (check the mode of it and of every parent dir)"
	done
	e2e_as_user -w "$E2E_DIR/out" || e2e_die "$E2E_DIR/out is not writable by $E2E_USER"
}

# e2e_free_ports N: print N distinct free TCP ports on 127.0.0.1 (bound at
# the same time so they differ; the kernel picks from the ephemeral range)
e2e_free_ports() {
	"$PY" -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
	s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

e2e_port_listening() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

# e2e_wait_for SECS WHAT CMD...: poll CMD every 0.2 s until it succeeds
e2e_wait_for() {
	local max=$1 what=$2 i
	shift 2
	for ((i = 0; i < max * 5; i++)); do
		if "$@"; then return 0; fi
		sleep 0.2
	done
	e2e_log "timed out after ${max}s waiting for: $what"
	return 1
}

# e2e_sink_start PORT LOG [SINK-OPTION...]: returns once it listens
# (its log says where: two may share a port, on two addresses)
e2e_sink_start() {
	"$PY" -u "$E2E_SRC/sink.py" "$1" "${@:3}" >"$2" 2>&1 &
	SINK_PID=$!
	SINK_PIDS="$SINK_PIDS $SINK_PID"
	e2e_wait_for 10 "sink on port $1" grep -q ' listening ' "$2" ||
		e2e_die "sink did not start, see $2"
	e2e_log "sink pid $SINK_PID on $(sed -n 's/.* listening //p' "$2")"
}

# sed replacement text: escape \ & and the | delimiter
e2e_sed_escape() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//&/\\&}
	s=${s//|/\\|}
	printf '%s' "$s"
}

# e2e_render_conf TEMPLATE OUT COLLECT: fill in the placeholders (@DIR@
# is the scratch dir, and each variable named in E2E_CONF_VARS is
# @NAME@), then let smtpd itself validate the result
e2e_render_conf() {
	local tpl=$1 out=$2 collect=$3 v
	local -a more=()
	case $collect in
	*'"'*) e2e_die "collector command must not contain a double quote: $collect" ;;
	esac
	for v in ${E2E_CONF_VARS:-}; do
		more+=(-e "s|@$v@|$(e2e_sed_escape "${!v}")|g")
	done
	sed -e "s|@COLLECT@|$(e2e_sed_escape "$collect")|g" \
		-e "s|@PORT_IN@|$PORT_IN|g" -e "s|@PORT_SINK@|$PORT_SINK|g" \
		-e "s|@PORT_DEAD@|${PORT_DEAD:-1}|g" \
		-e "s|@DIR@|$(e2e_sed_escape "$E2E_DIR")|g" "${more[@]}" \
		"$tpl" >"$out"
	local msg
	if [ -n "$E2E_ROOT" ]; then
		msg=$(e2e_ns "$SMTPD" -n -f "$out" 2>&1)
	else
		msg=$("$SMTPD" -n -f "$out" 2>&1)
	fi || e2e_die "$out does not parse (smtpd -n -f): $msg"
}

# Runs inside the new mount namespace, then execs smtpd (same pid as the
# unshare we started).  set -e: if a mount fails, smtpd must NOT start on
# the host's queue.  smtpd insists on /var/spool/smtpd being root 0711
# ("/var/spool/smtpd must be rwx--x--x (711)") and creates the subdirs.
# Debian 12 ships no /var/spool/smtpd until smtpd first runs, so without a
# mount point we cover all of /var/spool instead.
# With a root (E2E_NS_ROOT): its /tmp and /home on tmpfs, the homes of
# E2E_NS_HOMES ("user:uid:gid ...") made there, the scratch dir
# (E2E_NS_DIR) bound at its own path, a /proc (for the sanitizers), and
# the command run chrooted.
# shellcheck disable=SC2016 # expands inside the namespace's sh
E2E_NS_SCRIPT='set -eu
r=${E2E_NS_ROOT:-}
if [ -n "$r" ]; then
	mount -t tmpfs -o mode=1777 e2e-tmp "$r/tmp"
	mkdir -p "$r$E2E_NS_DIR"
	mount --bind "$E2E_NS_DIR" "$r$E2E_NS_DIR"
	mount -t tmpfs -o mode=0755 e2e-home "$r/home"
	for h in ${E2E_NS_HOMES:-}; do
		mkdir -m 0700 "$r/home/${h%%:*}"
		chown "${h#*:}" "$r/home/${h%%:*}"
	done
	mount -t proc e2e-proc "$r/proc"
fi
if [ -d "$r/var/spool/smtpd" ]; then
	mount -t tmpfs -o mode=0711,uid=0,gid=0 e2e-spool "$r/var/spool/smtpd"
	mountpoint -q "$r/var/spool/smtpd"
else
	mount -t tmpfs -o mode=0755,uid=0,gid=0 e2e-spool "$r/var/spool"
	mountpoint -q "$r/var/spool"
	mkdir -m 0711 "$r/var/spool/smtpd"
fi
if [ -n "$r" ]; then
	rundir=$r$(chroot "$r" readlink -f /var/run)
else
	rundir=$(readlink -f /var/run)
fi
mount -t tmpfs -o mode=0755,uid=0,gid=0 e2e-run "$rundir"
mountpoint -q "$rundir"
[ -z "$r" ] || exec chroot "$r" "$@"
exec "$@"'

# e2e_ns CMD...: CMD in a new private mount namespace set up as above.
# It execs: call it in a subshell, or in the background (then $! is
# CMD's pid).
e2e_ns() {
	E2E_NS_ROOT=$E2E_ROOT E2E_NS_DIR=$E2E_DIR E2E_NS_HOMES=$E2E_HOMES \
	    exec unshare -m --propagation private /bin/sh -c "$E2E_NS_SCRIPT" \
	    e2e-ns "$@"
}

# e2e_smtpd_start CONF LOG: smtpd in the foreground (-d) in a private mount
# namespace; returns once smtpctl answers and the port listens.
e2e_smtpd_start() {
	local conf=$1 log=$2
	SMTPD_LOG_FILE=$log
	if [ -n "${E2E_SMTPD_VERBOSE:-}" ]; then
		# -v: the maillog's debug lines too ("bouncing evp:X as
		# evp:Y"); each line gets its time (tslog.py), through a
		# FIFO: tslog.py in a process substitution would be smtpd's
		# child, which smtpd waits for when it exits (its process
		# group), and which waits for smtpd's end of the pipe
		rm -f "$log.fifo"
		mkfifo -m 0600 "$log.fifo" || e2e_die "mkfifo $log.fifo"
		"$PY" -u "$E2E_SRC/tslog.py" <"$log.fifo" >"$log" &
		local tslog=$!
		# stdbuf: each process writes a log line at once; glibc 2.37
		# and later write an unbuffered stderr 128 bytes at a time,
		# and lines of smtpd's processes then cut into each other
		e2e_ns stdbuf -eL "$SMTPD" -d -v -f "$conf" >"$log.fifo" 2>&1 &
		SMTPD_PID=$!
		E2E_TSLOG[$SMTPD_PID]=$tslog
	else
		e2e_ns "$SMTPD" -d -f "$conf" >"$log" 2>&1 &
		SMTPD_PID=$!
	fi
	e2e_wait_for 20 "smtpd control socket" e2e_smtpd_ready ||
		{ cat "$log" >&2; e2e_die "smtpd did not come up, see $log"; }
	e2e_log "smtpd pid $SMTPD_PID on 127.0.0.1:$PORT_IN (log $log)"
}

e2e_smtpd_alive() { [ -n "$SMTPD_PID" ] && kill -0 "$SMTPD_PID" 2>/dev/null; }

# e2e_require_smtpd WHAT: a dead smtpd makes every later client step hang
# until its timeout, so stop the run right away
e2e_require_smtpd() {
	e2e_smtpd_alive || e2e_die "smtpd is not running before $1; its log:
$(cat "$SMTPD_LOG_FILE" 2>/dev/null)"
}

e2e_smtpd_ready() {
	e2e_smtpd_alive || e2e_die "smtpd exited during startup; its log:
$(cat "$SMTPD_LOG_FILE" 2>/dev/null)"
	e2e_port_listening "$PORT_IN" && e2e_ctl show status >/dev/null 2>&1
}

# e2e_ctl ARGS: smtpctl against OUR smtpd (its namespace's control socket)
e2e_ctl() {
	if [ -n "$E2E_ROOT" ]; then
		nsenter -t "$SMTPD_PID" -m chroot "$E2E_ROOT" "$SMTPCTL" "$@"
	else
		nsenter -t "$SMTPD_PID" -m "$SMTPCTL" "$@"
	fi
}

# e2e_queue_count: queued envelopes, or "?" if smtpctl did not answer
e2e_queue_count() {
	local q
	q=$(e2e_ctl show queue 2>/dev/null) || { echo '?'; return 0; }
	printf '%s' "$q" | grep -c . || true
}

# e2e_open_sessions RAW: sessions (both directions) with link-connect but no
# link-disconnect yet.  A failed smtp-out connect has a bare disconnect.
e2e_open_sessions() {
	[ -f "$1" ] || { echo 0; return 0; }
	awk -F'|' '$1 == "report" && $5 == "link-connect" { o[$6] = 1 }
		$1 == "report" && $5 == "link-disconnect" { delete o[$6] }
		END { n = 0; for (k in o) n++; print n }' "$1"
}

# e2e_wait_idle RAW MAXSECS: queue empty and every session closed, stable for
# 2 s.  The smtp-out session idles ~10 s before QUIT, so expect ~12 s.
e2e_wait_idle() {
	local raw=$1 max=$2 i stable=0 open='?' q='?'
	for ((i = 0; i < max * 2; i++)); do
		e2e_smtpd_alive || e2e_die "smtpd died while waiting for idle"
		open=$(e2e_open_sessions "$raw")
		q=$(e2e_queue_count)
		if [ "$open" = 0 ] && [ "$q" = 0 ]; then
			stable=$((stable + 1))
			if [ "$stable" -ge 4 ]; then
				e2e_log "idle after $((i / 2))s"
				return 0
			fi
		else
			stable=0
		fi
		sleep 0.5
	done
	e2e_log "not idle after ${max}s: $open open sessions, $q queued envelopes"
	e2e_ctl show queue >&2 || true
	return 1
}

# e2e_smtpd_stop: SIGTERM our smtpd; its children and the report process
# (EOF on stdin) go with it, and so does the namespace with its tmpfs.
e2e_smtpd_stop() {
	local i
	[ -n "$SMTPD_PID" ] || return 0
	if kill -0 "$SMTPD_PID" 2>/dev/null; then
		kill -TERM "$SMTPD_PID"
		for ((i = 0; i < 100; i++)); do
			kill -0 "$SMTPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$SMTPD_PID" 2>/dev/null; then
			e2e_log "smtpd $SMTPD_PID ignored SIGTERM for 10s, sending SIGKILL"
			kill -KILL "$SMTPD_PID" 2>/dev/null || true
		fi
	fi
	wait "$SMTPD_PID" 2>/dev/null || true
	# its tslog.py ends at EOF, once smtpd and its children are gone
	local tslog=${E2E_TSLOG[$SMTPD_PID]:-}
	if [ -n "$tslog" ]; then
		for ((i = 0; i < 50; i++)); do
			kill -0 "$tslog" 2>/dev/null || break
			sleep 0.1
		done
		kill -TERM "$tslog" 2>/dev/null || true
		wait "$tslog" 2>/dev/null || true
		unset "E2E_TSLOG[$SMTPD_PID]"
	fi
	SMTPD_PID=
}

# e2e_wait_collect_exit REGEX: after smtpd is gone, the report process
# (not our child: it was smtpd's) still drains its input and exits on EOF;
# wait for it so the raw file (or a database) is complete.  Only looks.
e2e_wait_collect_exit() {
	e2e_wait_for 10 "report process to exit" e2e_no_process "$1"
}

e2e_no_process() { ! pgrep -f -- "$1" >/dev/null; }

e2e_sink_stop() {
	local p
	for p in $SINK_PIDS $SINK_PID; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	SINK_PIDS=
	SINK_PID=
}

e2e_cleanup() {
	e2e_smtpd_stop
	e2e_sink_stop
}

# EXIT covers normal ends and e2e_die; INT/TERM exit so EXIT runs once
e2e_traps() {
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}
