# `make static`: stripped static binaries linked against musl, for the small hosts the
# size budget is about (tests/checks/size.sh enforces it). Included by the Makefile,
# which defines LANG, WARN, DEFS, LIB_SRCS and BUILD.
#
#   build/static/statd   always
#   build/static/statc   once src/client/statc_main.cc exists
#   build/static/BUILD_FLAGS   TLS=, ZLIB=, ARCH= of the last `make static`
#
# How (measured, see shared/BUILD-NOTES.md): Debian's musl-tools has no musl C++
# library, so g++ compiles through musl's gcc specs file (musl's headers, startup files
# and libc.a) and we add back libstdc++'s header directories and gcc's own
# libstdc++.a/libsupc++.a, which hardly touch libc. glibc's library directory must
# never be on the link line: it would pull glibc's libc.a.
#
# Options: ZLIB=1 needs a zlib built with musl-gcc (MUSL_ZLIB=<prefix> holding
# include/zlib.h and lib/libz.a, or libz.a installed beside musl's libc.a).
# TLS=1 builds mbedTLS with musl-gcc (mk/mbedtls.mk). ARCH=<cpu> cross-compiles into
# build/static-<cpu>/ (mk/cross.mk: which cross g++ and musl, and why).

ifneq ($(ARCH),)
include mk/cross.mk
endif
STATIC_CXX    ?= g++
MUSL_GCC      ?= musl-gcc
# --param max-inline-insns-size=1: at plain -Os g++ refuses to inline even
# string_view's constructor for a literal ("code size would grow"), so ~450
# call sites each call it and spill the result; allowing a growth of one
# insn inlines it and folds the length: statd -7.4 KB, statc -8 KB (measured;
# 8 instead of 1 made statd 20 KB larger).
STATIC_OPT    ?= -Os --param max-inline-insns-size=1
# Code generation for the size budget (measured on statd, stripped):
#   -flto (our C++ objects and the link)   -20 KB: inlines across modules, drops
#                                          what -gc-sections cannot see is unused
#   -fno-pie / -no-pie                      -3 KB: a static binary is not relocated
#   -fcf-protection=none                    -1 KB: Debian's default adds endbr64 to
#                                          every function, for CPUs routers lack
#   -fno-threadsafe-statics                 statd has one thread: no guard calls
#   -z noseparate-code                      -8 KB: no page padding between the ELF
#                                          header, code and read-only data
#   -z norelro                              0-4 KB: no padding to put the end of the
#                                          RELRO region on a page boundary. musl's
#                                          static start-up never mprotect()s that
#                                          region (/proc/PID/maps shows it rw-p with
#                                          or without), so RELRO protected nothing
#                                          here and cost up to a page of zeros
#   (-Oz instead of -Os: -0.6 KB; gold's --icf=all: worse than the above)
# STATIC_LTO= (empty) turns link-time optimisation off (faster rebuilds).
STATIC_LTO    ?= -flto=auto
STATIC_CODEGEN = $(STATIC_LTO) -fno-pie -fcf-protection=none -fno-threadsafe-statics
STATIC_DIR    := $(BUILD)/static$(STATIC_DIR_SUFFIX)
STATIC_OBJDIR := $(STATIC_DIR)/obj

# Each of these runs its command the first time it is used and then keeps the answer
# (`X = $(eval X := ...)$(X)`), so a plain `make` or `make clean` asks g++ nothing.
STATIC_TARGET = $(eval STATIC_TARGET := $(shell $(STATIC_CXX) -dumpmachine))$(STATIC_TARGET)
# Debian: /usr/lib/x86_64-linux-musl/musl-gcc.specs; otherwise ask dpkg where it is.
# (musl-dev:<arch>: with a cross musl-dev installed, plain musl-dev is ambiguous.)
MUSL_SPECS ?= $(eval MUSL_SPECS := $(or \
    $(wildcard /usr/lib/$(STATIC_CXX_CPU)-linux-musl/musl-gcc.specs), \
    $(shell dpkg -L musl-dev:$$(dpkg --print-architecture) 2>/dev/null | grep '/musl-gcc\.specs$$' | head -n 1)))$(MUSL_SPECS)
# The libstdc++ header directories g++ itself searches (generic, target, backward): the
# specs file's -nostdinc drops them, and a gcc version bump must not break this.
STATIC_CXX_INCLUDES = $(eval STATIC_CXX_INCLUDES := $(shell $(STATIC_CXX) -v -E -x c++ \
    /dev/null -o /dev/null 2>&1 | sed -n 's,^ \(/[^ ]*/c++/[^ ]*\)$$,-isystem \1,p'))$(STATIC_CXX_INCLUDES)
STATIC_CXX_LIBS = $(eval STATIC_CXX_LIBS := $(shell $(STATIC_CXX) -print-file-name=libstdc++.a; \
    $(STATIC_CXX) -print-file-name=libsupc++.a))$(STATIC_CXX_LIBS)
STATIC_CXX_CPU = $(firstword $(subst -, ,$(STATIC_TARGET)))

# libstdc++'s target headers were configured for glibc and test two of its macros.
# STATD_NVML is dropped: NVML is dlopen()ed, which only the dynamic build can do.
STATIC_DEFS = $(filter-out -DSTATD_NVML%,$(DEFS)) -D'__GLIBC_PREREQ(a,b)=0' -D__locale_t=locale_t
STATIC_CXXFLAGS = -specs $(MUSL_SPECS) $(STATIC_CXX_INCLUDES) $(LANG) \
    $(filter-out $(LANG),-ffunction-sections -fdata-sections) $(WARN) $(STATIC_DEFS) \
    -Isrc $(STATIC_INCLUDES) -idirafter $(STATIC_KERNEL_INCLUDE) $(STATIC_OPT) $(STATIC_CODEGEN) \
    $(EXTRA_CXXFLAGS)
STATIC_LDFLAGS  = -specs $(MUSL_SPECS) -static -no-pie -s -Wl,--gc-sections \
    -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none $(STATIC_OPT) \
    $(STATIC_CODEGEN) $(LDFLAGS)
STATIC_INCLUDES :=
# Linux's own headers (linux/seccomp.h, ...): musl ships none, and glibc's include
# directory must not be searched, so a directory of links to just the kernel's
# (Debian's linux-libc-dev) comes last. Kernel headers do not depend on the libc.
STATIC_KERNEL_INCLUDE := $(STATIC_DIR)/kernel-include
STATIC_KERNEL_HEADERS ?= /usr/include
STATIC_KERNEL_ASM     ?= $(STATIC_KERNEL_HEADERS)/$(STATIC_TARGET)/asm
STATIC_LIBS     :=
STATIC_ZLIB     := 0
STATIC_TLS      := 0

# ZLIB=1: the Makefile has added -DSTATD_ZLIB=1 to DEFS. Debian's libz.a is built for
# glibc, so this needs a zlib built with musl-gcc: MUSL_ZLIB=DIR (DIR/include/zlib.h,
# DIR/lib/libz.a), or one installed into musl's own include and lib directories.
# The BUILD_FLAGS recipe below proves it links before anything is compiled.
ifeq ($(ZLIB),1)
MUSL_ZLIB       ?=
STATIC_ZLIB     := 1
STATIC_INCLUDES += $(if $(MUSL_ZLIB),-isystem $(MUSL_ZLIB)/include)
STATIC_LIBS     += $(if $(MUSL_ZLIB),-L$(MUSL_ZLIB)/lib) -lz
endif

# TLS=1: mk/mbedtls.mk builds mbedTLS from Debian's source package with $(MUSL_GCC) and
# the trimmed mk/mbedtls_config.h (Debian's libmbedtls.a needs glibc), adds its include
# dir to STATIC_INCLUDES, its .a to STATIC_LIBS and sets STATIC_TLS := 1, so BUILD_FLAGS
# tells tests/checks/size.sh to apply the 1 MB budget instead of 300 KB.
ifeq ($(TLS),1)
include mk/mbedtls.mk
endif

# ARCH=<cpu>: mk/cross.mk picks the cross g++ and musl; BUILD_FLAGS records the CPU
# actually built for (size.sh budgets only the native build/static).

STATIC_PROGRAMS := $(STATIC_DIR)/statd \
    $(if $(wildcard src/client/statc_main.cc),$(STATIC_DIR)/statc)
STATIC_LIB_OBJS := $(LIB_SRCS:src/%.cc=$(STATIC_OBJDIR)/%.o)
STATIC_STUBS    := $(STATIC_OBJDIR)/musl_stubs.o $(STATIC_OBJDIR)/no_exceptions.o

.PHONY: static static-force
static-force:
static: $(STATIC_PROGRAMS)
	@ls -l $(STATIC_PROGRAMS) | awk '{ print $$9 ": " $$5 " bytes" }'

# Rewritten only when its text changes, so switching ZLIB= rebuilds every static object
# while an unchanged build stays up to date. Its recipe also stops early, with a
# message, when something the static build needs is missing.
$(STATIC_DIR)/BUILD_FLAGS: static-force
	$(if $(ARCH),$(cross_check))
	@test -n "$(MUSL_SPECS)" || { echo "make static: musl's gcc specs file not found;" \
	  "install musl-tools (tests/install-deps)" >&2; exit 1; }
	@test $(STATIC_ZLIB) = 0 || printf '#include <zlib.h>\nint main(void) { return !zlibVersion(); }\n' \
	  | $(MUSL_GCC) $(STATIC_INCLUDES) -static -x c - $(STATIC_LIBS) -o /dev/null 2>/dev/null || { \
	  echo "make static: ZLIB=1 needs zlib built with musl-gcc (Debian's libz is for glibc):" \
	  "build it with 'CC=musl-gcc ./configure --static --prefix=DIR && make install'" \
	  "and pass MUSL_ZLIB=DIR, or build without ZLIB=1" >&2; exit 1; }
	@mkdir -p $(@D) $(STATIC_KERNEL_INCLUDE)
	@ln -sfn $(STATIC_KERNEL_HEADERS)/linux $(STATIC_KERNEL_INCLUDE)/linux
	@ln -sfn $(STATIC_KERNEL_HEADERS)/asm-generic $(STATIC_KERNEL_INCLUDE)/asm-generic
	@ln -sfn $(STATIC_KERNEL_ASM) $(STATIC_KERNEL_INCLUDE)/asm
	@printf 'TLS=%s\nZLIB=%s\nARCH=%s\nCODEGEN=%s\n' $(STATIC_TLS) $(STATIC_ZLIB) $(STATIC_CXX_CPU) \
	  '$(STATIC_OPT) $(STATIC_CODEGEN)' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else mv -f $@.new $@; fi

$(STATIC_OBJDIR)/%.o: src/%.cc $(STATIC_DIR)/BUILD_FLAGS
	@mkdir -p $(@D)
	@echo "  CXX     $< (static)"
	$(Q)$(STATIC_CXX) $(STATIC_CXXFLAGS) -MMD -MP -c $< -o $@

# libstdc++.a was built against glibc and still references two glibc-only symbols;
# musl_stubs.c explains the stand-ins.
$(STATIC_OBJDIR)/musl_stubs.o: mk/musl_stubs.c $(STATIC_DIR)/BUILD_FLAGS
	@mkdir -p $(@D)
	$(MUSL_GCC) $(STATIC_OPT) -Wall -Wextra -c $< -o $@

# no_exceptions.cc explains why libstdc++'s exception support is replaced.
$(STATIC_OBJDIR)/no_exceptions.o: mk/no_exceptions.cc $(STATIC_DIR)/BUILD_FLAGS
	@mkdir -p $(@D)
	$(STATIC_CXX) $(STATIC_CXXFLAGS) -c $< -o $@

$(STATIC_DIR)/statd: $(STATIC_OBJDIR)/agent/statd_main.o
$(STATIC_DIR)/statc: $(STATIC_OBJDIR)/client/statc_main.o
$(STATIC_PROGRAMS): $(STATIC_LIB_OBJS) $(STATIC_STUBS)
	@echo "  LINK    $@"
	$(Q)$(STATIC_CXX) $(STATIC_LDFLAGS) $^ $(STATIC_LIBS) $(STATIC_CXX_LIBS) -o $@

-include $(shell find $(STATIC_OBJDIR) -name '*.d' 2>/dev/null)
