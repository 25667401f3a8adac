#!/bin/sh
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# run.sh: every test of make check: the unit test programs in TEST_BIN,
# then each tests/t-*.sh.  Ends with one line "N passed, N failed".

: "${MAILTRAIL:?}" "${TEST_BIN:?}"
export MAILTRAIL
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
skipped=0
out=$(mktemp)

for t in "$TEST_BIN"/test_*; do
	[ -x "$t" ] || continue
	echo "== $(basename "$t")"
	t0=$(date +%s)
	"$t" >"$out" 2>&1
	status=$?
	echo "# $(basename "$t"): $(($(date +%s) - t0)) s"
	grep -v '^[0-9]* passed, [0-9]* failed$' "$out"
	set -- $(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out")
	passed=$((passed + ${1:-0}))
	failed=$((failed + ${2:-0}))
	if [ $status -ne 0 ] && [ "${2:-0}" = 0 ]; then
		echo "not ok - $(basename "$t") exited $status"
		failed=$((failed + 1))
	fi
done

for t in tests/t-*.sh; do
	[ -n "$ONLY" ] && case $t in *"$ONLY"*) ;; *) continue ;; esac
	echo "== $t"
	t0=$(date +%s)
	bash "$t" >"$out" 2>&1
	status=$?
	cat "$out"
	echo "# $t: $(($(date +%s) - t0)) s"
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	s=$(grep -c '^skip - ' "$out")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ $status -ne 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $t exited $status"
		failed=$((failed + 1))
	fi
done
rm -f "$out"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
