# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# tui.sh: the TUI in tmux, for the tests that drive it (t-tui*.sh),
# sourced after lib.sh: a private tmux server, the binary copied, and
# keys sent and the screen read back as a person would see it.

if ! command -v tmux >/dev/null 2>&1; then
	skip "tui: tmux is not installed"
	exit 0
fi
T="tmux -L mailtrail-test-$$ -f /dev/null"
trap '$T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
# A copy: a binary that runs cannot be rebuilt under it.
BIN=$TMP/mailtrail
cp "$MAILTRAIL" "$LIVE" "$TMP/"

# start NAME 'ENV=...' ARGS...: the TUI in a new window; the shell
# after it says how it exited, and stays.
start() {
	name=$1
	env=$2
	shift 2
	{
		echo "trap '' INT"
		echo "export LANG=C.UTF-8 TZ=UTC $env"
		echo "\"$BIN\" $* 2>&1"
		echo 'echo "TUI-EXIT=$?"'
		echo 'exec sleep 600'
	} >"$TMP/$name.sh"
	$T new-session -d -s "$name" -x 100 -y 30 "sh $TMP/$name.sh"
}
screen() { $T capture-pane -p -t "$1"; }
shows() { screen "$1" | grep -q -e "$2"; }
# see NAME DESC PATTERN: the screen comes to show PATTERN (10 s at most)
see() {
	if wait_until 10 shows "$1" "$3"; then
		ok "$2"
	else
		notok "$2"
		screen "$1" | sed 's/^/  | /'
	fi
}
# gone NAME DESC PATTERN [STILL]: the screen, read, comes to no longer
# show PATTERN, and still shows STILL (the TUI did not just die)
gone() {
	if wait_until 10 sh -c "$T capture-pane -p -t $1 >$TMP/gone &&
	    ! grep -q -e '$3' $TMP/gone" &&
	    { [ -z "$4" ] || shows "$1" "$4"; }
	then
		ok "$2"
	else
		notok "$2"
		screen "$1" | sed 's/^/  | /'
	fi
}
keys() {
	name=$1
	shift
	$T send-keys -t "$name" "$@"
}
type_text() { $T send-keys -t "$1" -l "$2"; }
# An xterm (X10) mouse report: button code, column, row (0-based).
mouse() {
	$T send-keys -t "$1" -l "$(printf '\033[M%b%b%b' \
	    "\\0$(printf '%o' $(($2 + 32)))" \
	    "\\0$(printf '%o' $(($3 + 33)))" \
	    "\\0$(printf '%o' $(($4 + 33)))")"
}
# click NAME X Y: button 1 pressed and released there
click() {
	mouse "$1" 0 "$2" "$3"
	mouse "$1" 3 "$2" "$3"
}
# selected NAME DESC PATTERN: the row under the cursor (reverse video)
# comes to show PATTERN
selected() {
	if wait_until 10 sh -c "$T capture-pane -p -e -t $1 |
	    grep -a '7m' | grep -q -e '$3'"; then
		ok "$2"
	else
		notok "$2"
		screen "$1" | sed 's/^/  | /'
	fi
}
