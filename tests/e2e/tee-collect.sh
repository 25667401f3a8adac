#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# tee-collect.sh -- report process for the mailtrail end-to-end test.
#
#   tee-collect.sh RAWFILE
#	Stand-in collector: answers smtpd's config block itself (registers
#	every smtp-in event, and every smtp-out event if smtpd announced
#	config|subsystem|smtp-out), then appends everything it reads,
#	verbatim, to RAWFILE.
#   tee-collect.sh RAWFILE -- CMD [ARG...]
#	Transparent tee: stdin is appended to RAWFILE and piped into CMD;
#	CMD's stdout stays our stdout, so CMD does the handshake itself.
#	CMD replaces this process (same pid), so when it exits smtpd notices
#	("lost processor") at once.  With a plain "tee -a RAWFILE | CMD" the
#	shell kept waiting for tee, and tee for input that smtpd only sends
#	after register|ready: a collector dying in the handshake hung smtpd
#	(no banner, no error) instead of stopping it.
#
# smtpd starts it as user opensmtpd via /bin/sh -c "exec ...", with fd 0 and
# fd 1 on the same socket.  Exiting makes smtpd shut down ("lost processor"),
# so both modes run until EOF.
set -eu
# do not rely on the environment smtpd passes to its procs
PATH=/usr/bin:/bin
export PATH
# nor on the stdbuf(1) smtpd may run under (lib.sh): a sanitized
# collector must load its runtime first
unset LD_PRELOAD _STDBUF_E

usage() {
	echo "usage: tee-collect.sh RAWFILE [-- CMD [ARG...]]" >&2
	exit 64
}

[ $# -ge 1 ] || usage
raw=$1
shift

if [ $# -gt 0 ]; then
	[ "$1" = "--" ] || usage
	shift
	[ $# -gt 0 ] || usage
	# GNU tee does unbuffered read/write, so CMD sees each line at once;
	# tee ends on EOF from smtpd or on EPIPE once CMD is gone
	exec "$@" < <(exec tee -a "$raw")
fi

# IFS= and -r keep blanks and backslashes verbatim; read takes one byte at
# a time from a socket, so nothing after config|ready is swallowed
out=0
ready=0
while IFS= read -r line; do
	printf '%s\n' "$line" >>"$raw"
	case $line in
	'config|subsystem|smtp-out') out=1 ;;
	'config|ready') ready=1; break ;;
	esac
done
# EOF before the end of the config block: smtpd is gone, nothing to do
[ "$ready" = 1 ] || exit 0

printf 'register|report|smtp-in|*\n'
if [ "$out" = 1 ]; then
	printf 'register|report|smtp-out|*\n'
fi
printf 'register|ready\n'

exec cat >>"$raw"
