# Copyright (c) 2026 The mailtrail authors.  ISC licence: see LICENSE.
# mailtrail: GNU make.  Set PREFIX and DESTDIR for install; SANITIZE=1
# builds with ASan and UBSan, WERROR=1 with -Werror (make check does both).

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
LIBEXECDIR ?=	$(PREFIX)/libexec/mailtrail
MANDIR ?=	$(PREFIX)/share/man
BUILD ?=	build/default
PKG_CONFIG ?=	pkg-config
PKGS =		sqlite3 libcjson libbsd-overlay zlib
LIVE_PKGS =	libevent ncursesw

CC ?=		cc
CFLAGS ?=	-O2 -g
WARNINGS =	-Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith -Wcast-qual \
		-Wsign-compare -Wformat=2 -Wwrite-strings -Wundef \
		-Wdeclaration-after-statement
ifeq ($(WERROR),1)
WARNINGS +=	-Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS =	-fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer
endif

PKG_CFLAGS :=	$(shell $(PKG_CONFIG) --cflags $(PKGS) $(LIVE_PKGS) \
		    2>/dev/null)
PKG_LIBS :=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
LIVE_LIBS :=	$(shell $(PKG_CONFIG) --libs $(LIVE_PKGS) 2>/dev/null)
ALL_CFLAGS =	-std=c99 -D_GNU_SOURCE $(WARNINGS) $(SANFLAGS) $(CFLAGS) \
		-I. $(PKG_CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS =	$(SANFLAGS) $(LDFLAGS)
# mailtrail links LIBS; mailtrail-live (collect, tui, metrics), the
# tests and the fuzzers ALL_LIBS.
LIBS =		$(PKG_LIBS) -lm
ALL_LIBS =	$(LIVE_LIBS) $(LIBS)

# Every source but the program's main() is shared with the tests: a new
# file in one of these directories is built without touching this file.
BASE_SRCS =	log.c util.c proto.c to.c db.c mem.c
LIB_SRCS =	$(BASE_SRCS) $(wildcard collector/*.c schema/*.c export/*.c tui/*.c)
SCHEMA_SQL =	$(sort $(wildcard schema/*.sql))
TESTS =		$(basename $(notdir $(wildcard tests/test_*.c)))

LIB_OBJS =	$(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/schema.o
TEST_BINS =	$(TESTS:%=$(BUILD)/tests/%)

.PHONY: all deps check unit demo bench install uninstall clean fuzz \
		pkgcheck deb FORCE

all: mailtrail

# Each library by its pkg-config name and the Debian package that has it.
PKG_DEBS =	sqlite3:libsqlite3-dev libevent:libevent-dev \
		ncursesw:libncurses-dev libcjson:libcjson-dev \
		libbsd-overlay:libbsd-dev zlib:zlib1g-dev

# Before compiling: say what is missing instead of a compiler error.
pkgcheck:
	@command -v $(PKG_CONFIG) >/dev/null 2>&1 || { echo "mailtrail:" \
	    "$(PKG_CONFIG) is not installed; 'make deps' (as root) installs" \
	    "it and the libraries" >&2; exit 1; }; \
	missing=; for pd in $(PKG_DEBS); do \
	    $(PKG_CONFIG) --exists $${pd%%:*} || missing="$$missing $${pd#*:}"; \
	done; [ -z "$$missing" ] || { echo "mailtrail: missing libraries," \
	    "Debian packages:$$missing; 'make deps' (as root) installs" \
	    "them" >&2; exit 1; }

# Two programs from the one library: each links only the modules (and
# the libraries) its commands use.
mailtrail: $(BUILD)/mailtrail mailtrail-live
	cp $(BUILD)/mailtrail $@

mailtrail-live: $(BUILD)/mailtrail-live
	cp $(BUILD)/mailtrail-live $@

$(BUILD)/mailtrail: $(BUILD)/mailtrail.o $(BUILD)/libmailtrail.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/mailtrail-live: $(BUILD)/live.o $(BUILD)/libmailtrail.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LIBS)

# Where mailtrail finds mailtrail-live when it is not beside it: built
# again when LIBEXECDIR changes.
$(BUILD)/libexecdir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LIBEXECDIR)' | cmp -s - $@ || echo '$(LIBEXECDIR)' >$@

$(BUILD)/mailtrail.o: $(BUILD)/libexecdir
$(BUILD)/mailtrail.o: DEFS = -DMAILTRAIL_LIBEXECDIR='"$(LIBEXECDIR)"'

$(BUILD)/%.o: %.c $(wildcard *.h */*.h) | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(DEFS) -c -o $@ $<

$(BUILD)/schema.c: $(SCHEMA_SQL) schema/embed.sh
	@mkdir -p $(dir $@)
	sh schema/embed.sh schema/views.sql schema/writer.sql \
	    $(sort $(wildcard schema/[0-9][0-9][0-9]-*.sql)) >$@.tmp
	mv $@.tmp $@

$(BUILD)/schema.o: $(BUILD)/schema.c mailtrail.h | pkgcheck
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Tests link from an archive: each takes only the modules it uses.
$(BUILD)/libmailtrail.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(BUILD)/libmailtrail.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libmailtrail.a \
	    $(ALL_LIBS)

# Debian packages to build (and make deb) and test; installs only what
# is missing.
DEB_BUILD =	gcc make pkg-config $(foreach pd,$(PKG_DEBS),$(lastword \
		$(subst :, ,$(pd)))) build-essential debhelper
DEB_TEST =	sqlite3 jq tmux swaks opensmtpd python3 util-linux iproute2 \
		clang libclang-rt-14-dev openssl procps time passwd ncurses-term \
		debootstrap libnet-ssleay-perl lintian prometheus curl
deps:
	@if [ "$$(id -u)" != 0 ]; then missing=$$(for p in $(DEB_BUILD) \
	    $(DEB_TEST); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q '^install ok installed' || echo $$p; done); \
	    [ -z "$$missing" ] || { echo "deps: missing:" $$missing \
	    "(run as root to install them)"; exit 1; }; \
	    echo "deps: all present"; exit 0; fi; \
	missing=$$(for p in $(DEB_BUILD) $(DEB_TEST); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "installing:" $$missing; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $$missing; \
	else echo "deps: all present"; fi

# make check: everything, with -Werror, ASan and UBSan.
CHECK_BUILD =	build/check
JOBS ?=		$(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -j$(JOBS) BUILD=$(CHECK_BUILD) SANITIZE=1 WERROR=1 \
	    $(CHECK_BUILD)/mailtrail $(CHECK_BUILD)/mailtrail-live unit-bins
	$(MAKE) -j$(JOBS) WERROR=1 mailtrail
	MAILTRAIL=$(CURDIR)/$(CHECK_BUILD)/mailtrail \
	    MAILTRAIL_PLAIN=$(CURDIR)/mailtrail \
	    TEST_BIN=$(CURDIR)/$(CHECK_BUILD)/tests sh tests/run.sh

unit-bins: $(TEST_BINS)

demo: deps
	$(MAKE) mailtrail
	sh tests/bench/demo.sh ./mailtrail

bench: mailtrail
	sh tests/bench/bench.sh ./mailtrail

# make fuzz: the libFuzzer targets (clang), FUZZ_TIME seconds each, with
# ASan and UBSan; new inputs go to build/fuzz/corpus-*, findings to
# build/fuzz/.  fuzz_read (the readers over what the writer stores) takes
# longer inputs, a capture with its maillog: its own seeds
# (tests/fuzz/corpus-read) and the maillog's words besides.
FUZZ_BUILD =	build/fuzz
FUZZ_TIME ?=	600
FUZZ_SAN =	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZERS =	fuzz_proto fuzz_ingest fuzz_read
fuzz: $(FUZZERS:%=$(FUZZ_BUILD)/%) $(FUZZ_BUILD)/read.dict
	for f in $(FUZZERS); do \
	    case $$f in \
	    fuzz_read) opt="-max_len=16384 -dict=read.dict" \
	        seeds=../../tests/fuzz/corpus-read ;; \
	    *) opt="-max_len=4096 -dict=../../tests/fuzz/proto.dict" seeds= ;; \
	    esac; \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$f && \
	    (cd $(FUZZ_BUILD) && ./$$f -max_total_time=$(FUZZ_TIME) $$opt \
	    corpus-$$f $$seeds ../../tests/fuzz/corpus) || exit 1; done

$(FUZZ_BUILD)/read.dict: tests/fuzz/proto.dict tests/fuzz/maillog.dict
	@mkdir -p $(dir $@)
	cat tests/fuzz/proto.dict tests/fuzz/maillog.dict >$@

# Built again when the library's sources change, not only the target's.
$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRCS) $(SCHEMA_SQL) \
    $(wildcard *.h */*.h)
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS='-g -O1' \
	    SANFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    $(FUZZ_BUILD)/libmailtrail.a
	clang -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) -I. \
	    $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libmailtrail.a $(ALL_LIBS)

install: $(BUILD)/mailtrail $(BUILD)/mailtrail-live
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/mailtrail $(DESTDIR)$(BINDIR)/mailtrail
	install -m 755 $(BUILD)/mailtrail-live \
	    $(DESTDIR)$(LIBEXECDIR)/mailtrail-live
	install -m 644 mailtrail.1 $(DESTDIR)$(MANDIR)/man1/mailtrail.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mailtrail \
	    $(DESTDIR)$(MANDIR)/man1/mailtrail.1 \
	    $(DESTDIR)$(LIBEXECDIR)/mailtrail-live
	rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null || :

# make deb: the Debian package of debian/, built by dpkg-buildpackage in
# a copy of this tree under build/deb (where the .changes and the
# -dbgsym package stay), then copied here: apt install ./mailtrail_*.deb
DEB_DIR =	build/deb
deb:
	rm -rf $(DEB_DIR) mailtrail_*.deb
	mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude=./build --exclude=./.git --exclude=./mailtrail \
	    --exclude=./mailtrail-live \
	    --exclude='./mailtrail_*.deb' . | tar -C $(DEB_DIR)/src -xf -
	cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b
	cp $(DEB_DIR)/mailtrail_*.deb .

clean:
	rm -rf build mailtrail mailtrail-live mailtrail_*.deb
