#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# run.sh: every test of make check: the unit test programs in TEST_BIN,
# then each tests/t-*.sh.  Ends with one line "N passed, N failed".
#
# The shell tests run in TEST_JOBS lanes (default 2; 1 runs them one
# after another).  Those that touch the system beyond their own
# directory (real smtpd, users, dpkg, ports, RSS and timing measures)
# all run in the first lane, in turn, with the TUI's own tests; every
# lane takes the others from one queue, the longest first.  Each
# test's output is printed whole when it ends.

: "${MAILTRAIL:?}" "${TEST_BIN:?}"
export MAILTRAIL
cd "$(dirname "$0")/.." || exit 1
TEST_JOBS=${TEST_JOBS:-2}
OWN="t-access t-deb t-e2e t-e2e-7 t-hosts t-faults t-metrics t-tui
    t-tui-dest"
FIRST="t-marks t-marks-prune t-replay t-consistency t-report-prune
    t-report-state t-report t-report-multi t-trace"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# unit N FILE: the unit test program FILE's result into $dir/N.*
unit() {
	t0=$(date +%s)
	"$2" >"$dir/$1.out" 2>&1
	status=$?
	set -- "$1" $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
	    "$dir/$1.out")
	sed -i '/^[0-9]* passed, [0-9]* failed$/d' "$dir/$1.out"
	f=${3:-0}
	if [ $status -ne 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $1 exited $status" >>"$dir/$1.out"
		f=1
	fi
	echo "${2:-0} $f 0 $(($(date +%s) - t0))" >"$dir/$1.sum"
}

# shell T: the shell test T's result into $dir/T.*, printed whole
shell() {
	n=$(basename "$1" .sh)
	t0=$(date +%s)
	bash "$1" >"$dir/$n.out" 2>&1
	status=$?
	p=$(grep -c '^ok - ' "$dir/$n.out")
	f=$(grep -c '^not ok - ' "$dir/$n.out")
	s=$(grep -c '^skip - ' "$dir/$n.out")
	if [ $status -ne 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $1 exited $status" >>"$dir/$n.out"
		f=1
	fi
	echo "$p $f $s $(($(date +%s) - t0))" >"$dir/$n.sum"
	flock "$dir/print" sh -c 'echo "== $1"; cat "$2"; echo "# $1: $3 s"' \
	    sh "$1" "$dir/$n.out" "$(($(date +%s) - t0))"
}

# next: the next test of the queue, or nothing
next() {
	flock "$dir/queue.lock" sh -c 'head -1 "$1"; sed -i 1d "$1"' \
	    sh "$dir/queue"
}

# lane OWN: its own tests (if any), then the queue's until it is empty
lane() {
	for t in $1; do
		shell "$t"
	done
	while t=$(next) && [ -n "$t" ]; do
		shell "$t"
	done
}

for t in "$TEST_BIN"/test_*; do
	[ -x "$t" ] || continue
	echo "== $(basename "$t")"
	unit "$(basename "$t")" "$t"
	cat "$dir/$(basename "$t").out"
	echo "# $(basename "$t"): $(cut -d' ' -f4 "$dir/$(basename "$t").sum") s"
done

# the longest first, so that the lanes end together
own=
: >"$dir/queue"
for t in $(for f in $FIRST; do echo "tests/$f.sh"; done) tests/t-*.sh; do
	[ -n "$ONLY" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
	grep -qx "$t" "$dir/queue" && continue
	case " $(echo $OWN) " in
	*" $(basename "$t" .sh) "*)
		[ "$TEST_JOBS" -gt 1 ] && own="$own $t" && continue ;;
	esac
	echo "$t" >>"$dir/queue"
done
lane "$own" &
i=1
while [ "$i" -lt "$TEST_JOBS" ]; do
	lane "" &
	i=$((i + 1))
done
wait

passed=0
failed=0
skipped=0
for f in "$dir"/*.sum; do
	read -r p fl s secs <"$f"
	passed=$((passed + p))
	failed=$((failed + fl))
	skipped=$((skipped + s))
done
if [ "$failed" != 0 ]; then
	echo "failed:"
	cat "$dir"/*.out | grep '^not ok - '
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
