# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-deb.sh: the Debian package.  make deb builds it and lintian checks
# it; then, in a Debian 12 root (tests/e2e/debroot.sh builds it once and
# keeps it in /var/cache/mailtrail-test; each run works on an overlay of
# it, so the cached root stays bare), it is installed as an operator
# would: apt-get install ./mailtrail_*.deb with its dependencies from
# the archive, before opensmtpd; then opensmtpd, and the package's
# example lines in a working smtpd.conf.  smtpd (a private mount
# namespace, 127.0.0.1 ports) relays mail to tests/e2e/sink.py, and a
# user in the group mailtrail, not root, traces it, reports, follows the
# export and watches the TUI; a user outside the group cannot.  Then the
# package is reinstalled over itself (the database as it was, and still
# written to), removed (the database and the group stay), and purged
# (both go).  Where the test cannot run it says why and is skipped, but
# fails under CI (CI=true).

# The whole test runs in a mount namespace of its own: the overlay and
# everything mounted for the root go away with it, whatever the way out.
if [ -z "${T_DEB_NS:-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m --propagation private true 2>/dev/null; then
	T_DEB_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi

. "$(dirname "$0")/lib.sh"
TOP=$(cd "$TESTS/.." && pwd)
ROOT_DIR=${MAILTRAIL_BOOKWORM:-/var/cache/mailtrail-test/bookworm}
T0=$(date +%s)

# cannot WHY: skipped, or under CI a failure
cannot() {
	if [ "${CI:-}" = true ]; then
		notok "Debian package test: cannot run: $*"
	else
		skip "Debian package test: SKIPPED: $*"
	fi
	exit 0
}

[ "$(id -u)" = 0 ] ||
	cannot "needs root (a Debian root, apt and smtpd in it)"
[ -n "${T_DEB_NS:-}" ] ||
	cannot "cannot create a mount namespace (unshare -m failed)"
for t in dpkg-buildpackage dh lintian swaks jq tmux chroot nsenter ss \
    python3 pgrep; do
	command -v $t >/dev/null 2>&1 ||
		cannot "$t is not installed (make deps)"
done

. "$TESTS/e2e/lib.sh"

FOLLOW_PID=
TMUX_CMD="tmux -L mailtrail-deb-$$ -f /dev/null"
R=
cleanup() {
	if [ -n "$FOLLOW_PID" ]; then
		kill "$FOLLOW_PID" 2>/dev/null
		wait "$FOLLOW_PID" 2>/dev/null
	fi
	$TMUX_CMD kill-server 2>/dev/null
	e2e_cleanup
	if [ -n "$R" ]; then
		umount "$R/proc" 2>/dev/null
		umount "$R" 2>/dev/null || umount -l "$R" 2>/dev/null
	fi
	[ -z "$E2E_DIR" ] || rm -rf "$E2E_DIR"
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the package ---
VERSION=$(cd "$TOP" && dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEB_NAME=mailtrail_${VERSION}_$ARCH.deb
t=$(date +%s)
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" deb \
    >"$TMP/deb.log" 2>&1
rc=$?
echo "# make deb: $(($(date +%s) - t)) s"
check "make deb builds $DEB_NAME" "$rc $(test -f "$TOP/$DEB_NAME" && echo there)" \
    "0 there"
if [ $rc != 0 ]; then
	tail -20 "$TMP/deb.log" | sed 's/^/  /'
	exit 0
fi
DEB=$TOP/$DEB_NAME
CHANGES=$TOP/build/deb/mailtrail_${VERSION}_$ARCH.changes

t=$(date +%s)
lintian --fail-on none "$DEB" "$CHANGES" >"$TMP/lintian.out" \
    2>"$TMP/lintian.err"
echo "# lintian: $(($(date +%s) - t)) s"
sed 's/^/#   /' "$TMP/lintian.out"
grep -v 'running with root privileges' "$TMP/lintian.err" | sed 's/^/  /'
check "lintian: no error, no warning on the .deb and the .changes" \
    "$(grep -E '^[EW]: ' "$TMP/lintian.out")" ""

check "Recommends: opensmtpd; depends on adduser" \
    "$(dpkg-deb -f "$DEB" Recommends) $(dpkg-deb -f "$DEB" Depends |
    tr ',' '\n' | grep -cx ' *adduser')" "opensmtpd 1"
check "the package's files: the programs, the manual, the README and example" \
    "$(dpkg-deb -c "$DEB" | awk '{ print $6 }' | grep -E \
    'bin/mailtrail$|mailtrail-live$|man1/mailtrail|doc/mailtrail/(README|examples/)' |
    grep -v '/$')" "./usr/bin/mailtrail
./usr/libexec/mailtrail/mailtrail-live
./usr/share/doc/mailtrail/README.Debian
./usr/share/doc/mailtrail/README.gz
./usr/share/doc/mailtrail/examples/smtpd.conf
./usr/share/man/man1/mailtrail.1.gz"

# --- a Debian 12 root: an overlay on the cached one ---
t=$(date +%s)
BASE=$(bash "$TESTS/e2e/debroot.sh" bookworm "$ROOT_DIR" 2>"$TMP/root.err")
rc=$?
echo "# Debian 12 root: $(($(date +%s) - t)) s"
if [ $rc = 77 ]; then
	cannot "$(sed -n 's/^SKIPPED: //p' "$TMP/root.err" | head -1)"
fi
check "a Debian 12 root in $ROOT_DIR" "$rc" 0
if [ $rc != 0 ]; then
	sed 's/^/  /' "$TMP/root.err" | tail -20
	exit 0
fi
mkdir -p "$TMP/ov/upper" "$TMP/ov/work" "$TMP/ov/root"
if ! mount -t overlay t-deb -o "lowerdir=$BASE,upperdir=$TMP/ov/upper,workdir=$TMP/ov/work" \
    "$TMP/ov/root" 2>"$TMP/mount.err"; then
	cannot "cannot mount an overlay on the root: $(cat "$TMP/mount.err")"
fi
R=$TMP/ov/root
mount -t proc t-deb-proc "$R/proc"

# in_root CMD...: CMD in the root, as root, apt asking nothing
in_root() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	    DEBIAN_FRONTEND=noninteractive "$@"
}
# as USER CMD...: CMD in the root as USER, with the groups the root's
# /etc/group gives USER; one process (each command execs the next)
as_user() {
	AS=(chroot "$R" setpriv --reuid="$1" --regid="$1" --init-groups
	    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 TZ=UTC TERM=screen)
}
as() {
	as_user "$1"
	shift
	"${AS[@]}" "$@"
}
# apt_get ARGS...: apt-get in the root, its output kept in $TMP/apt.log
apt_get() {
	echo "== apt-get $*" >>"$TMP/apt.log"
	in_root apt-get -q -y --no-install-recommends "$@" >>"$TMP/apt.log" 2>&1
}
apt_log() { tail -${1:-20} "$TMP/apt.log" | sed 's/^/  /'; }
# ls_l PATH: owner, group and mode (octal) of PATH, named by the root
ls_l() { in_root stat -c '%U %G %a' "$1" 2>&1; }
# the fields of the group mailtrail in the root, or nothing
group() { in_root getent group mailtrail; }
pkg_status() { in_root dpkg-query -W -f '${db:Status-Abbrev}' mailtrail 2>/dev/null; }

# --- install, before opensmtpd ---
cp "$DEB" "$R/root/"
in_root sh -c "cd /root && apt-get -q -y --no-install-recommends install \
    ./$DEB_NAME" >>"$TMP/apt.log" 2>&1
rc=$?
check "apt-get install ./$DEB_NAME: installed, dependencies from the archive" \
    "$rc $(pkg_status) $(in_root dpkg-query -W -f '${Status}' libcjson1)" \
    "0 ii  install ok installed"
[ $rc = 0 ] || apt_log
check "opensmtpd is not installed yet" \
    "$(in_root dpkg-query -W -f '${Status}' opensmtpd 2>/dev/null |
    grep -c ' installed$')" 0
check "the programs, the manual, README and example in the root" \
    "$(for f in /usr/bin/mailtrail /usr/libexec/mailtrail/mailtrail-live \
    /usr/share/man/man1/mailtrail.1.gz \
    /usr/share/doc/mailtrail/README.gz \
    /usr/share/doc/mailtrail/examples/smtpd.conf; do
	[ -f "$R$f" ] || echo "missing $f"; done)" ""
EXAMPLE=$R/usr/share/doc/mailtrail/examples/smtpd.conf
check "the example's lines are the README's, for /usr/bin" \
    "$(grep -v '^#' "$EXAMPLE")" \
    "$(sed -n '/stock file becomes:$/,/^[A-Z]/{ s/^    //p; }' \
    "$TOP/README" | sed 's|/usr/local/bin/|/usr/bin/|')"
gid=$(group | cut -d: -f3)
check "a system group mailtrail" \
    "$([ -n "$gid" ] && [ "$gid" -lt 1000 ] && echo system)" system
check "no opensmtpd user yet: /var/lib/mailtrail is root's, group mailtrail, 2750" \
    "$(ls_l /var/lib/mailtrail)" "root mailtrail 2750"

# --- opensmtpd, then the directory is its user's ---
apt_get install opensmtpd
rc=$?
check "apt-get install opensmtpd" "$rc" 0
[ $rc = 0 ] || apt_log
check "once opensmtpd is installed /var/lib/mailtrail is its user's (trigger)" \
    "$(ls_l /var/lib/mailtrail)" "opensmtpd mailtrail 2750"
if ! e2e_ids opensmtpd >/dev/null; then
	notok "no user opensmtpd in the root"
	exit 0
fi

# a reader in the group, as README.Debian says; another user outside it
in_root useradd -M reader && in_root adduser --quiet reader mailtrail &&
    in_root useradd -M other
check "a user reader in the group mailtrail" \
    "$(in_root id -nG reader)" "reader mailtrail"

# --- smtpd with the example's lines ---
E2E_ROOT=$R
e2e_setup_dir
read -r PORT_IN PORT_SINK < <(e2e_free_ports 2)
# The example's lines as they are, but for what is the site's: where
# smtpd listens and where it relays.  Then the rule of a working
# configuration (tests/e2e/smtpd.conf.in).
{
	echo "# the package's $(basename "$EXAMPLE"), this site's listener and relay"
	grep -v '^#' "$EXAMPLE" | sed \
	    -e 's/^listen on localhost /listen on 127.0.0.1 port @PORT_IN@ hostname e2e.test /' \
	    -e 's|^action "relay" relay filter |action "relay" relay host smtp+notls://127.0.0.1:@PORT_SINK@ filter |'
	echo 'match from any for domain "sink.test" action "relay"'
} >"$TMP/smtpd.conf.in"
e2e_render_conf "$TMP/smtpd.conf.in" "$E2E_DIR/smtpd.conf" ""
check "smtpd.conf: the example's lines but the site's; listeners, relay filtered" \
    "$(grep -c -F -x -f "$E2E_DIR/smtpd.conf" "$EXAMPLE") $(grep -c \
    '^\(listen\|action\) .* filter "mailtrail"$' "$E2E_DIR/smtpd.conf")" "6 3"
e2e_sink_start "$PORT_SINK" "$E2E_DIR/sink.log" 2>>"$TMP/e2e.log"

DB=/var/lib/mailtrail/trail.db
COLLECT_PID=
# start_smtpd: smtpd, and the pid of its report process
start_smtpd() {
	e2e_smtpd_start "$E2E_DIR/smtpd.conf" "$E2E_DIR/smtpd.log" \
	    2>>"$TMP/e2e.log"
	wait_until 10 find_collector
	COLLECT_PID=$(find_collector)
}
# find_collector: the pid of mailtrail collect in smtpd's namespace
find_collector() {
	ns=$(readlink "/proc/$SMTPD_PID/ns/mnt") || return 1
	for p in $(pgrep -f "^/usr/bin/mailtrail collect"); do
		[ "$(readlink "/proc/$p/ns/mnt")" = "$ns" ] && echo "$p" &&
		    return 0
	done
	return 1
}
# stop_smtpd: smtpd stopped, and its report process gone
stop_smtpd() {
	e2e_smtpd_stop 2>>"$TMP/e2e.log"
	[ -z "$COLLECT_PID" ] ||
		wait_until 10 sh -c "! kill -0 $COLLECT_PID 2>/dev/null"
}
# send TO: one message from alice@sink.test; 0 if smtpd took it
send() {
	swaks --server 127.0.0.1 --port "$PORT_IN" --helo client.test \
	    --from alice@sink.test --to "$1" --timeout 20 \
	    >>"$TMP/swaks.log" 2>&1
}
# sink_id TO: the sink's queue id of the message for TO, once it has it
sink_id() {
	sed -n "s/.* message \(sink-[0-9]*\) from=<alice@sink.test> to=<$1> .*/\1/p" \
	    "$E2E_DIR/sink.log"
}
# delivered TO: the reader's trace says TO's mail was delivered
delivered() {
	as reader mailtrail trace "to:$1" 2>/dev/null | head -1 |
	    grep -q '^delivered '
}

# the first time with umask 077: the files are group readable all the same
mask=$(umask)
umask 077
start_smtpd
umask "$mask"
check "smtpd runs mailtrail collect as opensmtpd" \
    "$(stat -c %u:%g "/proc/$COLLECT_PID" 2>&1)" "$(e2e_ids opensmtpd)"
echo "# the report process's umask: $(sed -n 's/^Umask:\t//p' \
    "/proc/$COLLECT_PID/status" 2>/dev/null)"
send bob@sink.test
check "swaks: smtpd took the message for bob@sink.test" "$?" 0
wait_until 20 sh -c "grep -q 'to=<bob@sink.test>' '$E2E_DIR/sink.log'"
qid=$(sink_id bob@sink.test)
wait_until 20 delivered bob@sink.test
check "as reader (not root): trace to:bob@sink.test: delivered, the sink's reply" \
    "$(as reader mailtrail trace to:bob@sink.test 2>&1 | head -2)" \
    "delivered  alice@sink.test -> bob@sink.test
  250 2.0.0 queued as ${qid:-(the sink has no message)}"
check "umask 077: the database, -wal and -shm are opensmtpd's, group mailtrail, 0640" \
    "$(for f in $DB $DB-wal $DB-shm; do echo "$f $(ls_l "$f")"; done)" \
    "$DB opensmtpd mailtrail 640
$DB-wal opensmtpd mailtrail 640
$DB-shm opensmtpd mailtrail 640"
as other mailtrail trace to:bob@sink.test >"$TMP/other.out" 2>&1
check "a user outside the group cannot read it" \
    "$? $(grep -c 'Permission denied' "$TMP/other.out")" "1 1"
check "as reader: report summary counts the message" \
    "$(as reader mailtrail report summary --json 2>&1 | jq -r '.sections[] |
    select(.name == "totals") | .rows[0].delivered' 2>&1)" 1
as_user reader
"${AS[@]}" mailtrail export --follow >"$TMP/follow.out" 2>"$TMP/follow.err" &
FOLLOW_PID=$!
wait_until 10 grep -q 'bob@sink.test' "$TMP/follow.out"
send carol@sink.test
wait_until 20 grep -q '"rcpt_to":"carol@sink.test","status":"delivered"' \
    "$TMP/follow.out"
check "as reader: export --follow prints bob's life, then carol's as it happens" \
    "$(jq -r 'select(.status == "delivered") | .rcpt_to' "$TMP/follow.out" |
    sort -u | tr '\n' ' ')$(kill -0 "$FOLLOW_PID" 2>/dev/null &&
    echo following)" "bob@sink.test carol@sink.test following"
kill "$FOLLOW_PID" 2>/dev/null
wait "$FOLLOW_PID" 2>/dev/null
FOLLOW_PID=
$TMUX_CMD new-session -d -s tui -x 100 -y 30 \
    "$(printf '%q ' "${AS[@]}") mailtrail tui; echo TUI-EXIT=\$?; exec sleep 60"
tui_shows() { $TMUX_CMD capture-pane -p -t tui | grep -q "$1"; }
wait_until 10 tui_shows carol@sink.test
check "as reader: the TUI lists bob's and carol's mail" \
    "$($TMUX_CMD capture-pane -p -t tui | grep -o -e bob@sink.test \
    -e carol@sink.test | sort -u | tr '\n' ' ')" \
    "bob@sink.test carol@sink.test "
$TMUX_CMD send-keys -t tui q
wait_until 5 tui_shows TUI-EXIT=
check "as reader: the TUI quits on q" \
    "$($TMUX_CMD capture-pane -p -t tui | grep -o 'TUI-EXIT=[0-9]*')" \
    TUI-EXIT=0
$TMUX_CMD kill-server 2>/dev/null

stop_smtpd
check "smtpd stopped, its report process gone" \
    "$(kill -0 "$COLLECT_PID" 2>/dev/null && echo running)" ""
check "smtpd stopped: the reader still traces bob's mail" \
    "$(as reader mailtrail trace to:bob@sink.test 2>&1 | head -1)" \
    "delivered  alice@sink.test -> bob@sink.test"

# counts: the rows of every table of the database, as the reader reads
counts() {
	for tb in $(as reader mailtrail sql "SELECT name FROM sqlite_master
	    WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name" |
	    tail -n +2); do
		echo "$tb $(as reader mailtrail sql "SELECT count(*) FROM $tb" |
		    tail -1 | tr -d ' ')"
	done
}

# --- reinstalled over itself: nothing lost, and it records on ---
before=$(counts)
echo "# rows before the reinstall: $(echo $before)"
in_root sh -c "cd /root && apt-get -q -y --no-install-recommends install \
    --reinstall ./$DEB_NAME" >>"$TMP/apt.log" 2>&1
rc=$?
check "apt-get install --reinstall ./$DEB_NAME" "$rc $(pkg_status)" "0 ii "
[ $rc = 0 ] || apt_log
check "reinstalled: every table keeps its rows" "$(counts)" "$before"
check "reinstalled: the directory and database as they were" \
    "$(ls_l /var/lib/mailtrail) $(ls_l $DB) $(group | cut -d: -f4)" \
    "opensmtpd mailtrail 2750 opensmtpd mailtrail 640 reader"
start_smtpd
send dave@sink.test
wait_until 20 delivered dave@sink.test
check "reinstalled: mail after it is recorded, the mail before still there" \
    "$(for r in bob carol dave; do
	as reader mailtrail trace "to:$r@sink.test" 2>&1 | head -1; done)" \
    "delivered  alice@sink.test -> bob@sink.test
delivered  alice@sink.test -> carol@sink.test
delivered  alice@sink.test -> dave@sink.test"
stop_smtpd
e2e_sink_stop

# --- remove: the database and the group stay ---
apt_get remove mailtrail
rc=$?
check "apt-get remove mailtrail: removed, its configuration state kept" \
    "$rc $(pkg_status) $(test -e "$R/usr/bin/mailtrail" && echo left) \
$(test -e "$R/usr/libexec/mailtrail" && echo left)" \
    "0 rc   "
[ $rc = 0 ] || apt_log
check "removed: /var/lib/mailtrail and the database stay, as they were" \
    "$(ls_l /var/lib/mailtrail) $(ls_l $DB)" \
    "opensmtpd mailtrail 2750 opensmtpd mailtrail 640"
check "removed: the group mailtrail stays, with its member" \
    "$(group | cut -d: -f1,3,4)" "mailtrail:$gid:reader"

# --- purge: the group, then the data, go ---
apt_get purge mailtrail
rc=$?
check "apt-get purge mailtrail" "$rc $(pkg_status)" "0 "
[ $rc = 0 ] || apt_log
check "purged: no group mailtrail" "$(group)" ""
check "purged: no /var/lib/mailtrail" \
    "$(test -e "$R/var/lib/mailtrail" && echo left)" ""
check "purged: the reader's account stays, outside the group" \
    "$(in_root id -nG reader)" reader

echo "# t-deb.sh: $(($(date +%s) - T0)) s"
