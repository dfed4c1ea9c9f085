# statd / statc build. `make` builds build/statd; `make check` runs every test
# and ends with "N passed, N failed"; `make static` gives musl static binaries.
#
# Every src/<module>/*.cc is part of the shared library of objects, except
# *_test.cc (linked into build/unit_tests) and *_main.cc (one per program),
# so a new module needs no Makefile edit.

CXX      ?= g++
BUILD    ?= build
OPT      ?= -Os
CXXFLAGS ?= $(OPT) -g
STATD_VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN   := -Wall -Wextra -Wshadow -Wno-unused-parameter
LANG   := -std=c++17 -fno-exceptions -fno-rtti -fno-asynchronous-unwind-tables \
          -ffunction-sections -fdata-sections
DEFS   := -DSTATD_VERSION='"$(STATD_VERSION)"'
ALL_CXXFLAGS = $(LANG) $(WARN) $(DEFS) -Isrc $(CXXFLAGS) $(EXTRA_CXXFLAGS)
LDFLAGS_ALL  = -Wl,--gc-sections $(LDFLAGS)
LIBS     := -ldl
# NVIDIA GPUs through NVML, loaded with dlopen() at run time: dynamic build
# only (mk/static.mk drops this; a static binary cannot dlopen).
DEFS += -DSTATD_NVML=1

ifeq ($(ZLIB),1)
DEFS += -DSTATD_ZLIB=1
LIBS += -lz
endif

# TLS=1: statd/statc speak TLS through mbedTLS (Debian's libmbedtls-dev; `make static`
# builds its own, see mk/mbedtls.mk). Files that only make sense with TLS
# (src/net/tls*.cc, their tests) wrap their contents in `#if STATD_TLS`, so the
# src/*/*.cc glob compiles them to nothing otherwise; test tools named tls_* are
# only built with TLS=1.
ifeq ($(TLS),1)
DEFS += -DSTATD_TLS=1
LIBS += -lmbedtls -lmbedx509 -lmbedcrypto
endif

ifneq ($(SANITIZE),)
ALL_CXXFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
LDFLAGS_ALL  += -fsanitize=$(SANITIZE)
OPT := -O1
endif

SRCS      := $(sort $(wildcard src/*/*.cc))
TEST_SRCS := $(filter %_test.cc,$(SRCS))
MAIN_SRCS := $(filter %_main.cc,$(SRCS))
LIB_SRCS  := $(filter-out $(TEST_SRCS) $(MAIN_SRCS),$(SRCS))

LIB_OBJS  := $(LIB_SRCS:src/%.cc=$(BUILD)/obj/%.o)
TEST_OBJS := $(TEST_SRCS:src/%.cc=$(BUILD)/obj/%.o) $(BUILD)/obj/tests/unit_main.o

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all check unit integration static clean fuzz deps tls-variant sanitize-variant check-sanitize
all: $(BUILD)/statd $(BUILD)/statc $(BUILD)/unit_tests

# The build switches, rewritten only when they change: objects depend on it, so
# `make TLS=1` after `make` recompiles what STATD_TLS changes (and back).
$(BUILD)/BUILD_FLAGS: FORCE
	@mkdir -p $(@D)
	@printf 'TLS=%s\nZLIB=%s\nSANITIZE=%s\n' $(if $(filter 1,$(TLS)),1,0) $(if $(filter 1,$(ZLIB)),1,0) '$(SANITIZE)' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi
ifeq ($(TLS),1)
	@echo '#include <mbedtls/ssl.h>' | $(CXX) -E -x c++ - >/dev/null 2>&1 || { \
	  echo "make: TLS=1 needs mbedTLS 2.28's headers: sudo apt-get install libmbedtls-dev (or make deps)" >&2; \
	  exit 1; }
endif
FORCE:

$(BUILD)/obj/%.o: src/%.cc $(BUILD)/BUILD_FLAGS
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/unit_main.o: tests/unit_main.cc
	@mkdir -p $(dir $@)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/statd: $(BUILD)/obj/agent/statd_main.o $(LIB_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CXX) $(ALL_CXXFLAGS) $^ -o $@ $(LDFLAGS_ALL) $(LIBS)

$(BUILD)/statc: $(BUILD)/obj/client/statc_main.o $(LIB_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CXX) $(ALL_CXXFLAGS) $^ -o $@ $(LDFLAGS_ALL) $(LIBS)

$(BUILD)/unit_tests: $(TEST_OBJS) $(LIB_OBJS)
	@echo "  LINK    $@"
	$(Q)$(CXX) $(ALL_CXXFLAGS) $^ -o $@ $(LDFLAGS_ALL) $(LIBS)

# Everything: unit tests, then integration tests against the real daemon.
check: all static tls-variant $(if $(SANITIZE),,sanitize-variant)
	tests/run

# make check also builds an AddressSanitizer + UBSan variant in $(BUILD)/asan,
# which tests/run puts through every unit and integration test. With SANITIZE=
# set the main build (and the TLS variant) is sanitized instead; the static
# builds never are (musl has no sanitizer runtime) and are tested as usual.
# `make check-sanitize` is that on its own.
sanitize-variant:
	$(MAKE) SANITIZE=address,undefined BUILD=$(BUILD)/asan all

check-sanitize: sanitize-variant
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(BUILD)/asan/unit_tests
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 STATD_BUILD=$(abspath $(BUILD))/asan \
	  /usr/bin/python3 tests/integration/run.py

# make check also builds and tests a TLS=1 variant in $(BUILD)/tls (needs
# libmbedtls-dev, which `make deps` installs), with its static binaries in
# $(BUILD)/tls/static (mbedTLS from Debian's source package, mk/mbedtls.mk) so
# the 1 MB budget is checked too; TLS=1 builds test themselves.
tls-variant:
ifneq ($(TLS),1)
	$(MAKE) TLS=1 BUILD=$(BUILD)/tls $(BUILD)/tls/statd $(BUILD)/tls/statc $(BUILD)/tls/unit_tests \
	  $(BUILD)/tls/tools/tls_echo $(BUILD)/tls/tools/rustls_client static
else
	$(MAKE) $(BUILD)/tools/rustls_client
endif

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

include mk/static.mk
include mk/install.mk
include mk/fuzz.mk
include mk/web.mk

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Test tools: tests/tools/NAME.cc -> build/tools/NAME, linked with the library
# (e.g. gzip_tool lets Python's zlib check our deflate from the outside).
TOOL_SRCS := $(filter-out $(if $(filter 1,$(TLS)),,tests/tools/tls_%.cc),$(wildcard tests/tools/*.cc))
TOOLS     := $(TOOL_SRCS:tests/tools/%.cc=$(BUILD)/tools/%)
all: $(TOOLS)

$(BUILD)/obj/tools/%.o: tests/tools/%.cc $(BUILD)/BUILD_FLAGS
	@mkdir -p $(dir $@)
	$(Q)$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/tools/%: $(BUILD)/obj/tools/%.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	$(Q)$(CXX) $(ALL_CXXFLAGS) $^ -o $@ $(LDFLAGS_ALL) $(LIBS)

# rustls_client: socktop's TLS stack (rustls, webpki) for the TLS tests, a Rust
# program that Debian's cargo builds offline from Debian's packaged crates
# (`make deps` installs both; tests/tools/rustls_client/.cargo/config.toml).
RUSTLS_CLIENT_SRCS := $(wildcard tests/tools/rustls_client/Cargo.toml tests/tools/rustls_client/src/*.rs)
$(BUILD)/tools/rustls_client: $(RUSTLS_CLIENT_SRCS)
	@mkdir -p $(@D)
	@echo "  CARGO   $@"
	$(Q)cd tests/tools/rustls_client && RUSTC=/usr/bin/rustc CARGO_TARGET_DIR=$(abspath $(BUILD))/rustls \
	  /usr/bin/cargo build --release --quiet
	$(Q)cp $(abspath $(BUILD))/rustls/release/rustls_client $@

# Installs the Debian (and npm) packages the tests talk to; idempotent.
deps:
	tests/install-deps
