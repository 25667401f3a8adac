#!/bin/bash
# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# debroot.sh -- a Debian root for the tests that run in one: built once
# with debootstrap, then reused from a cache outside the source tree.
#
#   debroot.sh SUITE [DIR]	print the root's path, building it first
#				if DIR (default
#				/var/cache/mailtrail-test/SUITE) holds none,
#				or one built from another package list
#
# SUITE is one of:
#   trixie    Debian 13 with OpenSMTPD 7.x, for the 7.x end-to-end test
#             (tests/t-e2e-7.sh)
#   bookworm  Debian 12, for the package test (tests/t-deb.sh): a bare
#             root with the archive's package lists, and the packages
#             that test installs (FETCH) downloaded into its apt cache
#             but not installed
#
# The archive is the one this machine's apt already uses (read from
# /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list at run
# time), with the suite SUITE; MAILTRAIL_MIRROR names another.  The root
# is built in DIR.new and renamed into place when complete; a lock keeps
# two runs from building at once.  Package scripts start no service
# (policy-rc.d answers 101).
#
# Exit: 0 ok, 1 the build failed, 77 cannot be built here (not root,
# no debootstrap, the archive cannot be reached); the reason is printed
# on stderr as "SKIPPED: ...".
set -eu

SUITE=${1:-}
FETCH=
case $SUITE in
trixie)
	# smtpd, its CA bundle (7.6 will not start without it), and what
	# mailtrail, built on Debian 12, needs to run in the root as
	# smtpd's report process: its libraries and the sanitizers'
	# runtimes of make check's build.  The clients (swaks, python)
	# run on the host.
	PKGS="opensmtpd ca-certificates libsqlite3-0 libevent-2.1-7t64
libncursesw6 libcjson1 libbsd0 zlib1g libasan8 libubsan1"
	;;
bookworm)
	# nothing but minbase: the package test installs mailtrail (its
	# dependencies) and then opensmtpd, from the archive's lists and
	# these downloaded packages
	PKGS=
	FETCH="adduser opensmtpd libsqlite3-0 libevent-2.1-7 libncursesw6
libcjson1 libbsd0 zlib1g"
	;;
*)
	echo "usage: debroot.sh trixie|bookworm [DIR]" >&2
	exit 1
	;;
esac
DIR=${2:-/var/cache/mailtrail-test/$SUITE}

log() { printf '[%s %s] %s\n' "$SUITE" "$(date +%H:%M:%S)" "$*" >&2; }
skip() { printf 'SKIPPED: %s\n' "$*" >&2; exit 77; }
die() { log "FAIL: $*"; exit 1; }

# the stamp names the suite and packages the root was built with
stamp=$(printf '%s\n' "$SUITE" $PKGS ${FETCH:+fetch:} $FETCH | cksum |
    cut -d' ' -f1)
built() { [ "$(cat "$DIR/.mailtrail-stamp" 2>/dev/null)" = "$stamp" ]; }

# mirror: the first URI of the machine's apt sources that serves the
# host's own release (deb822 first, then the one-line format)
mirror() {
	local codename f
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v c="$codename" '
		    /^[ \t]*$/ { if (u != "" && s) print u; u = ""; s = 0 }
		    /^URIs:/ { u = $2 }
		    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == c) s = 1 }
		    END { if (u != "" && s) print u }' "$f"
	done
	sed -e 's/\[[^]]*\]//' /etc/apt/sources.list 2>/dev/null |
	    awk -v c="$codename" '$1 == "deb" && $3 == c { print $2 }'
}

# unmount_in ROOT: the mounts debootstrap (or an interrupted build)
# left in ROOT
unmount_in() {
	local m
	for m in dev/pts dev proc sys; do
		mountpoint -q "$1/$m" 2>/dev/null && umount -l "$1/$m"
	done
	return 0
}

if built; then
	echo "$DIR"
	exit 0
fi
[ "$(id -u)" = 0 ] || skip "building a $SUITE root needs root"
command -v debootstrap >/dev/null 2>&1 ||
	skip "debootstrap is not installed (make deps)"
MIRROR=${MAILTRAIL_MIRROR:-$(mirror | head -1)}
[ -n "$MIRROR" ] || skip "no Debian archive in this machine's apt sources"

mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"
flock 9
if built; then
	echo "$DIR"
	exit 0
fi

# Can the archive be reached, and does it serve the suite?  apt's own
# downloader, bounded in time.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
if ! timeout 60 /usr/lib/apt/apt-helper download-file \
    "$MIRROR/dists/$SUITE/Release" "$probe/Release" >"$probe/out" 2>&1; then
	skip "the Debian archive of this machine's apt sources cannot be" \
	    "reached, or does not serve $SUITE: $(tail -1 "$probe/out")"
fi

new=$DIR.new
for d in "$new" "$DIR"; do
	unmount_in "$d"
	rm -rf --one-file-system "$d"
done
log "building a $SUITE root in $DIR (debootstrap --variant=minbase)"
T0=$(date +%s)
# debootstrap configures the packages with its own policy-rc.d (exit
# 101) in place, so their scripts start nothing; one stays in the root
# for anything installed later.  A second try if a download failed.
for try in 1 2; do
	debootstrap --variant=minbase ${PKGS:+--include="$(echo $PKGS |
	    tr ' ' ,)"} "$SUITE" "$new" "$MIRROR" \
	    >"$probe/debootstrap.log" 2>&1 && break
	tail -20 "$probe/debootstrap.log" >&2
	[ $try = 1 ] || die "debootstrap failed"
	log "debootstrap failed, once more"
	unmount_in "$new"
	rm -rf --one-file-system "$new"
done
printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
chmod 755 "$new/usr/sbin/policy-rc.d"
rm -rf "$new/var/cache/apt/archives/"*.deb
if [ -n "$FETCH" ]; then
	# the archive's lists, and FETCH with what it depends on in the
	# apt cache, where apt-get install finds them without the network
	log "downloading $(echo $FETCH)"
	for try in 1 2; do
		{ chroot "$new" apt-get update -q &&
		    chroot "$new" apt-get install -q -y --download-only \
		    --no-install-recommends $FETCH; } \
		    >"$probe/fetch.log" 2>&1 && break
		tail -20 "$probe/fetch.log" >&2
		[ $try = 1 ] || die "apt-get in the new root failed"
		log "apt-get failed, once more"
	done
fi
case $SUITE in
trixie)
	[ -x "$new/usr/sbin/smtpd" ] || die "no /usr/sbin/smtpd in the new root"
	;;
esac
echo "$stamp" >"$new/.mailtrail-stamp"
mv "$new" "$DIR"
log "built in $(($(date +%s) - T0)) s, $(du -sh "$DIR" | cut -f1)"
echo "$DIR"
