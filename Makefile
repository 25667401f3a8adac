# mailtrail: GNU make.  Set PREFIX and DESTDIR for install; SANITIZE=1
# builds with ASan and UBSan, WERROR=1 with -Werror (make check does both).

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
MANDIR ?=	$(PREFIX)/share/man
BUILD ?=	build/default
PKG_CONFIG ?=	pkg-config
PKGS =		sqlite3 libevent ncursesw libcjson libbsd-overlay zlib

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

PKG_CFLAGS :=	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS :=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS =	-std=c99 -D_GNU_SOURCE $(WARNINGS) $(SANFLAGS) $(CFLAGS) \
		-Icollector -Ischema -Iexport -Itui $(PKG_CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS =	$(SANFLAGS) $(LDFLAGS)
LIBS =		$(PKG_LIBS) -lm

# Every source but the program's main() is shared with the tests: a new
# file in one of these directories is built without touching this file.
LIB_SRCS =	$(wildcard collector/*.c schema/*.c export/*.c tui/*.c)
SCHEMA_SQL =	$(sort $(wildcard schema/*.sql))
TESTS =		$(basename $(notdir $(wildcard tests/test_*.c)))

LIB_OBJS =	$(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/schema.o
CMD_OBJS =	$(BUILD)/mailtrail.o
TEST_BINS =	$(TESTS:%=$(BUILD)/tests/%)

.PHONY: all deps check unit demo bench install uninstall clean fuzz deb

all: mailtrail

mailtrail: $(BUILD)/mailtrail
	cp $(BUILD)/mailtrail $@

$(BUILD)/mailtrail: $(CMD_OBJS) $(LIB_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/schema.c: $(SCHEMA_SQL) schema/embed.sh
	@mkdir -p $(dir $@)
	sh schema/embed.sh schema/views.sql \
	    $(sort $(wildcard schema/[0-9][0-9][0-9]-*.sql)) >$@.tmp
	mv $@.tmp $@

$(BUILD)/schema.o: $(BUILD)/schema.c collector/schema.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Tests link from an archive: each takes only the modules it uses.
$(BUILD)/libmailtrail.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(BUILD)/libmailtrail.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libmailtrail.a \
	    $(LIBS)

# Debian packages to build (and make deb) and test; installs only what
# is missing.
DEB_BUILD =	gcc make pkg-config libsqlite3-dev libevent-dev libncurses-dev \
		libcjson-dev libbsd-dev zlib1g-dev build-essential debhelper
DEB_TEST =	sqlite3 jq tmux swaks opensmtpd python3 util-linux iproute2 \
		clang libclang-rt-14-dev openssl procps time passwd ncurses-term \
		debootstrap libnet-ssleay-perl lintian
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
check: deps
	$(MAKE) BUILD=$(CHECK_BUILD) SANITIZE=1 WERROR=1 \
	    $(CHECK_BUILD)/mailtrail unit-bins
	$(MAKE) WERROR=1 mailtrail
	MAILTRAIL=$(CURDIR)/$(CHECK_BUILD)/mailtrail \
	    MAILTRAIL_PLAIN=$(CURDIR)/mailtrail \
	    TEST_BIN=$(CURDIR)/$(CHECK_BUILD)/tests sh tests/run.sh

unit-bins: $(TEST_BINS)

demo: deps
	$(MAKE) mailtrail
	sh tests/demo.sh ./mailtrail

bench: mailtrail
	sh tests/bench.sh ./mailtrail

# make fuzz: the libFuzzer targets (clang), FUZZ_TIME seconds each, with
# ASan and UBSan; new inputs go to build/fuzz/corpus-*, findings to
# build/fuzz/.
FUZZ_BUILD =	build/fuzz
FUZZ_TIME ?=	600
FUZZ_SAN =	-fsanitize=address,undefined -fno-sanitize-recover=all
FUZZERS =	fuzz_proto fuzz_ingest
fuzz: $(FUZZERS:%=$(FUZZ_BUILD)/%)
	for f in $(FUZZERS); do \
	    mkdir -p $(FUZZ_BUILD)/corpus-$$f && \
	    (cd $(FUZZ_BUILD) && ./$$f -max_total_time=$(FUZZ_TIME) \
	    -max_len=4096 -dict=../../tests/fuzz/proto.dict corpus-$$f \
	    ../../tests/fuzz/corpus) || exit 1; done

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CFLAGS='-g -O1' \
	    SANFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
	    $(FUZZ_BUILD)/libmailtrail.a
	clang -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) -Icollector -Ischema \
	    $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libmailtrail.a $(LIBS)

install: mailtrail
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 mailtrail $(DESTDIR)$(BINDIR)/mailtrail
	install -m 644 mailtrail.1 $(DESTDIR)$(MANDIR)/man1/mailtrail.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mailtrail $(DESTDIR)$(MANDIR)/man1/mailtrail.1

# make deb: the Debian package of debian/, built by dpkg-buildpackage in
# a copy of this tree under build/deb (where the .changes and the
# -dbgsym package stay), then copied here: apt install ./mailtrail_*.deb
DEB_DIR =	build/deb
deb:
	rm -rf $(DEB_DIR) mailtrail_*.deb
	mkdir -p $(DEB_DIR)/src
	tar -cf - --exclude=./build --exclude=./.git --exclude=./mailtrail \
	    --exclude='./mailtrail_*.deb' . | tar -C $(DEB_DIR)/src -xf -
	cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b
	cp $(DEB_DIR)/mailtrail_*.deb .

clean:
	rm -rf build mailtrail mailtrail_*.deb
