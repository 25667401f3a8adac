# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# t-build.sh: what a newcomer meets first.  make before make deps says
# which Debian packages are missing instead of a compiler error, and the
# demo runs with only what make deps installs (no column(1)).
. "$(dirname "$0")/lib.sh"
ROOT=$TESTS/..

# A pkg-config that knows every library but libbsd and cJSON.
cat >"$TMP/pkg-config" <<'EOT'
#!/bin/sh
for a; do
	case $a in libbsd-overlay|libcjson) exit 1 ;; esac
done
exec pkg-config "$@"
EOT
chmod +x "$TMP/pkg-config"
make -s -C "$ROOT" BUILD="$TMP/build" PKG_CONFIG="$TMP/pkg-config" \
    "$TMP/build/mailtrail" >"$TMP/out" 2>"$TMP/err"
check "missing libraries: make fails" "$?" 2
check "missing libraries: named as Debian packages, make deps said" \
    "$(grep '^mailtrail:' "$TMP/err")" \
    "mailtrail: missing libraries, Debian packages: libcjson-dev libbsd-dev; 'make deps' (as root) installs them"
check "missing libraries: nothing compiled" \
    "$(find "$TMP/build" -name '*.o' 2>/dev/null | wc -l)" 0

make -s -C "$ROOT" BUILD="$TMP/build" PKG_CONFIG="$TMP/none/pkg-config" \
    "$TMP/build/mailtrail" >"$TMP/out" 2>"$TMP/err"
check "no pkg-config: make fails, says so" "$?:$(grep -c \
    "pkg-config is not installed; 'make deps' (as root) installs it" \
    "$TMP/err")" "2:1"

# The demo with a PATH that has everything here but column(1).
mkdir "$TMP/bin"
for d in /usr/local/bin /usr/bin /bin; do
	for f in "$d"/*; do
		b=${f##*/}
		[ "$b" = column ] || [ -e "$TMP/bin/$b" ] ||
		    ln -s "$f" "$TMP/bin/$b"
	done
done
PATH=$TMP/bin sh "$TESTS/bench/demo.sh" "$MAILTRAIL" >"$TMP/demo" 2>&1
check "demo: runs without column(1)" "$?" 0
check "demo: the table of recipients" \
    "$(grep -c '^bcb8db5ba68c4c2b  delivered  alice@example.test' \
    "$TMP/demo")" 1
check "demo: the trace of bob's mail" \
    "$(grep -c '^delivered  alice@example.test -> bob@dest.test' \
    "$TMP/demo")" 1

# Help: the list, a command's usage on stdout (help CMD too), exit 0.
"$MAILTRAIL" --help >"$TMP/help" 2>&1
st=$?
check "help: the commands listed, exit 0" \
    "$(grep -c '^  [a-z]*  ' "$TMP/help")|$st" "12|0"
for c in $("$MAILTRAIL" --help 2>&1 | awk '/^  [a-z]+  / { print $1 }'); do
	check "help $c: its usage, as $c --help gives it" \
	    "$("$MAILTRAIL" help $c 2>/dev/null | head -1)" \
	    "$("$MAILTRAIL" $c --help 2>/dev/null | head -1)"
	check "help $c: says usage: mailtrail $c" \
	    "$("$MAILTRAIL" help $c 2>/dev/null | head -1 | cut -d' ' -f1-3)" \
	    "usage: mailtrail $c"
done
check "help report: its usage, not the list" \
    "$("$MAILTRAIL" help report | head -1 | cut -c1-23)" \
    "usage: mailtrail report"
check "help trace more words: still trace's usage" \
    "$("$MAILTRAIL" help trace more 2>&1 | head -1 | cut -c1-22)" \
    "usage: mailtrail trace"
"$MAILTRAIL" help nosuch >"$TMP/out" 2>"$TMP/err"
check "help nosuch: said on stderr, the list there, exit 1" \
    "$? $(head -1 "$TMP/err") $(grep -c '^  trace ' "$TMP/err") \
$(wc -c <"$TMP/out")" \
    "1 mailtrail: help: unknown command: nosuch 1 0"

# collect, tui and metrics run in mailtrail-live; the rest load neither
# libevent nor ncurses.
check "mailtrail: links neither libevent nor ncurses, mailtrail-live both" \
    "$(ldd "$MAILTRAIL" | grep -c 'libevent\|libncurses\|libtinfo') \
$(ldd "$LIVE" | grep -c 'libevent\|libncursesw')" "0 2"
sleep 5 | "$MAILTRAIL" collect -d "$TMP/name.db" &
pid=$!
# handed over: mailtrail-live runs, and has named itself
live() {
	[ "$(readlink /proc/$pid/exe)" = "$(readlink -f "$LIVE")" ] &&
	    [ "$(cat /proc/$pid/comm)" = mailtrail ]
}
wait_until 5 live
check "collect: mailtrail-live, named mailtrail, its command line as run" \
    "$(readlink /proc/$pid/exe) $(ps -o comm=,args= -p $pid)" \
    "$(readlink -f "$LIVE") mailtrail       $MAILTRAIL collect -d $TMP/name.db"
wait
# Installed: mailtrail finds it where make install put it, and says
# which file it looked for when it is not there.
make -s -C "$ROOT" BUILD="$TMP/ib" PREFIX="$TMP/inst" install \
    >"$TMP/out" 2>&1
check "make install PREFIX: mailtrail-live in libexec/mailtrail" \
    "$?:$(ls "$TMP/inst/libexec/mailtrail")" "0:mailtrail-live"
"$TMP/inst/bin/mailtrail" collect --help >"$TMP/out" 2>&1
check "installed: collect --help from mailtrail-live, exit 0" \
    "$?:$(head -1 "$TMP/out" | cut -c1-24)" "0:usage: mailtrail collect"
# One beside it comes first, as in a build tree.
mkdir "$TMP/side"
cp "$TMP/inst/bin/mailtrail" "$TMP/side/"
printf '#!/bin/sh\necho "beside: $*"\n' >"$TMP/side/mailtrail-live"
chmod +x "$TMP/side/mailtrail-live"
check "the mailtrail-live beside it first, with the arguments" \
    "$("$TMP/side/mailtrail" tui -d x.db 'a b')" "beside: tui -d x.db a b"
chmod -x "$TMP/side/mailtrail-live"
"$TMP/side/mailtrail" metrics >"$TMP/out" 2>&1
check "the one beside it not executable: named, exit 1" "$?:$(cat "$TMP/out")" \
    "1:mailtrail: metrics: cannot run $TMP/side/mailtrail-live: Permission denied"
rm "$TMP/inst/libexec/mailtrail/mailtrail-live"
echo | "$TMP/inst/bin/mailtrail" collect -d "$TMP/c.db" >"$TMP/out" 2>&1
check "mailtrail-live gone: the file named, exit 1" "$?:$(cat "$TMP/out")" \
    "1:mailtrail: collect: cannot run $TMP/inst/libexec/mailtrail/mailtrail-live: No such file or directory"
make -s -C "$ROOT" BUILD="$TMP/ib" PREFIX="$TMP/inst" uninstall
check "make uninstall: nothing left" "$(find "$TMP/inst" -type f | wc -l) \
$(ls "$TMP/inst/libexec" | wc -l)" "0 0"
