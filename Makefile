# srmigrate: migrate a StarRocks cluster with cross-cluster replication.
#
#   make                 ./srmigrate and ./tests/sim/srsim
#   make test            every test, under ASan+UBSan (threaded ones under TSan too)
#   make demo            the TUI on the simulated demo clusters
#   make bench           the scale and speed figures (not part of make test)
#   make install         PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address|thread   sanitized ./srmigrate and ./tests/sim/srsim
#   make V=1             show the commands

VERSION     := 0.9.0
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
SYSCONFDIR  ?= $(PREFIX)/etc
DOCDIR      ?= $(PREFIX)/share/doc/srmigrate
DESTDIR     ?=

CC          ?= cc
CFLAGS      ?= -O2 -g
SANITIZE    ?=

ifeq ($(SANITIZE),)
  O         ?= build/rel
else ifeq ($(SANITIZE),address)
  O         ?= build/asan
  SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZE),thread)
  O         ?= build/tsan
  SAN       := -fsanitize=thread -fno-omit-frame-pointer
else
  $(error SANITIZE must be empty, address or thread)
endif

PKGS        := ncursesw libmariadb inih thrift_c_glib glib-2.0 gobject-2.0 libcrypto
TEST_PKGS   := cmocka

WARN        := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
               -Wmissing-prototypes -Wwrite-strings -Wundef -Wpointer-arith \
               -Wno-missing-field-initializers
HARDEN      := -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
HARDEN_LD   := -pie -Wl,-z,relro,-z,now

PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

GEN         := $(O)/gen
ALL_CPPFLAGS = -D_GNU_SOURCE -DSRM_VERSION='"$(VERSION)"' -Iinclude -I$(GEN) $(PKG_CFLAGS)
ALL_CFLAGS   = -std=c11 $(CFLAGS) $(SAN) $(HARDEN) -MMD -MP
ALL_LDFLAGS  = $(SAN) $(HARDEN_LD) $(LDFLAGS)
LIBS         = $(PKG_LIBS) -lpthread -lm

ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @printf '  %-6s %s\n' $(1) $(2)
endif

# --- sources ----------------------------------------------------------------
THRIFT_IDL  := src/rpc/replication.thrift
GEN_C       := $(GEN)/srm_replication_types.c $(GEN)/srm_frontend_service.c
GEN_O       := $(GEN_C:.c=.o)

SRC_C       := $(filter-out src/main.c,$(wildcard src/*.c))
UI_C        := $(wildcard ui/*.c)
SIM_C       := $(filter-out tests/sim/test_%.c,$(wildcard tests/sim/*.c))
SRC_O       := $(SRC_C:%.c=$(O)/%.o)
UI_O        := $(UI_C:%.c=$(O)/%.o)
SIM_O       := $(SIM_C:%.c=$(O)/%.o)
MAIN_O      := $(O)/src/main.o

UNIT_T      := $(patsubst tests/unit/%.c,$(O)/tests/unit/%,$(wildcard tests/unit/test_*.c))
E2E_LIB_C   := $(filter-out tests/e2e/test_%.c,$(wildcard tests/e2e/*.c))
E2E_LIB_O   := $(E2E_LIB_C:%.c=$(O)/%.o)
E2E_T       := $(patsubst tests/e2e/%.c,$(O)/tests/e2e/%,$(wildcard tests/e2e/test_*.c))
SIM_T       := $(patsubst tests/sim/%.c,$(O)/tests/sim/%,$(wildcard tests/sim/test_*.c))
UI_T        := $(patsubst tests/ui/%.c,$(O)/tests/ui/%,$(wildcard tests/ui/test_*.c)) \
               $(O)/tests/ui/uidemo
GENMAN      := $(O)/tests/tools/genman
BENCH_C     := $(wildcard tests/bench/*.c)
BENCH_T     := $(patsubst tests/bench/%.c,$(O)/tests/bench/%,$(BENCH_C))

LIBSRM      := $(O)/libsrm.a
LIBUI       := $(O)/libsrmui.a

.PHONY: all deps test tests demo bench install uninstall clean check-layering \
        man fuzz soak memcheck FORCE
.DEFAULT_GOAL := all
# Test objects reached through pattern rules are kept: the next make test
# relinks nothing that did not change.
.SECONDARY:

all: srmigrate tests/sim/srsim
# A sanitizer build is a test build: it brings every test binary up to date.
ifneq ($(SANITIZE),)
all: tests
endif

# The top-level binaries are copies of the variant just built, so that
# `make SANITIZE=address` and `make` can alternate without a clean.
srmigrate: $(O)/srmigrate FORCE
	$(Q)cmp -s $< $@ || cp $< $@
tests/sim/srsim: $(O)/srsim FORCE
	$(Q)cmp -s $< $@ || cp $< $@

# --- generated Thrift code (third-party generator output: its own flags) ----
$(GEN)/srm_replication_types.c $(GEN)/srm_replication_types.h \
$(GEN)/srm_frontend_service.c $(GEN)/srm_frontend_service.h &: $(THRIFT_IDL)
	$(call say,THRIFT,$<)
	$(Q)mkdir -p $(GEN) && thrift --gen c_glib -out $(GEN) $<

$(GEN)/%.o: $(GEN)/%.c
	$(call say,CC,$<)
	$(Q)$(CC) -std=c11 $(CFLAGS) $(SAN) -fPIE -w $(PKG_CFLAGS) -I$(GEN) -c $< -o $@

# Every object may include the generated headers: build them first.
$(SRC_O) $(UI_O) $(SIM_O) $(MAIN_O) $(E2E_LIB_O) $(UNIT_T:=.o): | $(GEN)/srm_frontend_service.h

# --- objects ----------------------------------------------------------------
$(O)/%.o: %.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(WARN) -c $< -o $@

$(LIBSRM): $(SRC_O) $(GEN_O)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBUI): $(UI_O)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/srmigrate: $(MAIN_O) $(LIBUI) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/srsim: $(SIM_O) $(GEN_O)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# --- tests ------------------------------------------------------------------
$(O)/tests/unit/%.o $(O)/tests/e2e/%.o $(O)/tests/sim/%.o $(O)/tests/ui/%.o \
$(O)/tests/bench/%.o $(O)/tests/tools/%.o: ALL_CPPFLAGS += $(TEST_CFLAGS) -Itests

$(GENMAN): $(O)/tests/tools/genman.o $(LIBUI) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBUI) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(O)/tests/ui/%: $(O)/tests/ui/%.o $(LIBUI) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(O)/tests/e2e/%: $(O)/tests/e2e/%.o $(E2E_LIB_O) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(O)/tests/sim/%: $(O)/tests/sim/%.o $(E2E_LIB_O) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

$(O)/tests/bench/%: $(O)/tests/bench/%.o $(E2E_LIB_O) $(LIBUI) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

# Everything a test run needs, for the current variant.
tests: $(O)/srmigrate $(O)/srsim $(UNIT_T) $(E2E_T) $(SIM_T) $(UI_T) $(GENMAN)

# make test: the whole suite under ASan+UBSan, the threaded tests under TSan.
test: deps
	$(Q)$(MAKE) --no-print-directory check-layering
	$(Q)$(MAKE) --no-print-directory SANITIZE=address tests
	$(Q)$(MAKE) --no-print-directory SANITIZE=thread tests
	$(Q)tests/run.sh --asan build/asan --tsan build/tsan

deps:
	$(Q)tests/deps.sh

# src/ never draws and ui/ never talks to a cluster.
check-layering:
	$(Q)bad=$$(grep -lE '#include *[<"](n?curses|ncursesw/)' src/*.c src/*/*.c include/srmigrate/*.h 2>/dev/null; \
	          grep -lE '#include *[<"](mysql|mariadb|thrift|srm_)' ui/*.c ui/*.h 2>/dev/null); \
	  if [ -n "$$bad" ]; then echo "layering violated in: $$bad"; exit 1; fi; \
	  echo "layering: src/ has no curses, ui/ has no mysql or thrift"

# The generated blocks of the man pages (key bindings, every config key).
man: $(GENMAN)
	$(Q)$(GENMAN) update man && mandoc -Tlint -Wwarning man/srmigrate.1 man/srmigrate.conf.5

demo: deps all
	$(Q)tests/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_T)
	$(Q)tests/bench/run.sh $(O)

# --- install ----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	           $(DESTDIR)$(SYSCONFDIR)/srmigrate
	install -m 0755 srmigrate $(DESTDIR)$(BINDIR)/srmigrate
	sed 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' man/srmigrate.1 > $(DESTDIR)$(MANDIR)/man1/srmigrate.1
	sed 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' man/srmigrate.conf.5 > $(DESTDIR)$(MANDIR)/man5/srmigrate.conf.5
	install -m 0600 conf/sync.properties $(DESTDIR)$(SYSCONFDIR)/srmigrate/sync.properties.example
	install -m 0644 conf/hosts.properties $(DESTDIR)$(SYSCONFDIR)/srmigrate/hosts.properties.example

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/srmigrate $(DESTDIR)$(MANDIR)/man1/srmigrate.1 \
	      $(DESTDIR)$(MANDIR)/man5/srmigrate.conf.5 \
	      $(DESTDIR)$(SYSCONFDIR)/srmigrate/sync.properties.example \
	      $(DESTDIR)$(SYSCONFDIR)/srmigrate/hosts.properties.example

clean:
	rm -rf build srmigrate tests/sim/srsim

# --- fuzzing ------------------------------------------------------------------
# tests/fuzz/fuzz_*.c each define LLVMFuzzerTestOneInput. In the ASan build
# they are linked with tests/fuzz/driver.c, and make test feeds them every
# seed and regression input (tests/fuzz/corpus-test.sh). make fuzz builds them
# with clang's libFuzzer in build/fuzz and fuzzes each for FUZZ_SECONDS.
# fuzz_meta answers meta.c's queries itself: the link wraps the two calls.
FUZZ_C       := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_T       := $(patsubst tests/fuzz/%.c,$(O)/tests/fuzz/%,$(FUZZ_C))
FUZZ_SECONDS ?= 180
FUZZ_MAIN    ?= $(O)/tests/fuzz/driver.o
FUZZ_LDFLAGS ?=
FUZZ_WRAP    := -Wl,--wrap=sql_pool_query,--wrap=sql_query

$(O)/tests/fuzz/%.o: ALL_CPPFLAGS += -Itests

$(O)/tests/fuzz/%: $(O)/tests/fuzz/%.o $(FUZZ_MAIN) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) $(FUZZ_LDFLAGS) $(FUZZ_WRAP) -o $@ $^ $(LIBS)

ifeq ($(SANITIZE),address)
tests: $(FUZZ_T)
endif

.PHONY: fuzz-targets
fuzz-targets: $(FUZZ_T)

fuzz: deps
	$(Q)tests/deps.sh fuzz
	$(Q)$(MAKE) --no-print-directory O=build/fuzz CC=clang FUZZ_MAIN= \
	    SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' \
	    FUZZ_LDFLAGS=-fsanitize=fuzzer fuzz-targets
	$(Q)tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# --- memcheck ------------------------------------------------------------------
# A full migration on srsim under valgrind (release build): any error, or a
# definite or indirect leak, fails. Not part of make test (valgrind wants a
# release build, make test builds sanitized ones).
memcheck: deps
	$(Q)tests/deps.sh memcheck
	$(Q)$(MAKE) --no-print-directory SANITIZE= O=build/rel build/rel/srmigrate build/rel/srsim
	$(Q)tests/memcheck/run.sh build/rel

# --- soak ---------------------------------------------------------------------
# tests/soak/soak.c: srmigrate headless on srsim under continuous loads and a
# fault each minute for SOAK_MINUTES, its RSS sampled every minute; fails when
# memory grows after the warm-up by more than the partitions the source gained
# account for, or a table does not converge. Release build; not part of make
# test.
SOAK_MINUTES ?= 30

$(O)/tests/soak/%.o: ALL_CPPFLAGS += $(TEST_CFLAGS) -Itests

$(O)/tests/soak/soak: $(O)/tests/soak/soak.o $(E2E_LIB_O) $(LIBSRM)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS)

soak: deps
	$(Q)$(MAKE) --no-print-directory SANITIZE= O=build/rel build/rel/srmigrate build/rel/srsim \
	    build/rel/tests/soak/soak
	$(Q)SRMIGRATE=$$PWD/build/rel/srmigrate SRSIM=$$PWD/build/rel/srsim SOAK_MINUTES=$(SOAK_MINUTES) \
	    build/rel/tests/soak/soak

FORCE:

-include $(shell find build -name '*.d' 2>/dev/null)
