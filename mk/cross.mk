# `make static ARCH=<cpu>`: the static binaries cross-compiled for another CPU, into
# build/static-<cpu>/ (build/static stays the native build that size.sh budgets).
# Included by mk/static.mk before it sets its defaults, when ARCH= is given.
#
#   ARCH      Debian cross g++ (CROSS)        musl (Debian multiarch package)
#   aarch64   g++-aarch64-linux-gnu           musl-dev:arm64
#   armhf     g++-arm-linux-gnueabihf         musl-dev:armhf
#   mips      g++-mips-linux-gnu              (none in Debian 12: MUSL_SPECS=, below)
#   mipsel    g++-mipsel-linux-gnu            musl-dev:mipsel
#   riscv64   g++-riscv64-linux-gnu           musl-dev:riscv64
#
# Why Debian's multiarch musl-dev rather than musl built from source here: it is the
# same musl 1.2.3 as the native build's musl-tools, signed by Debian, and installing it
# takes seconds (`dpkg --add-architecture arm64; apt-get update; apt-get install
# musl-dev:arm64`, which tests/install-deps does). It installs beside the native
# musl-dev (Multi-Arch: same) with its own gcc specs file,
# /usr/lib/<musl triplet>/musl-gcc.specs, which works with the cross g++ exactly as the
# native one does with g++. Building musl from its source package instead needs a
# deb-src entry, a configure run per CPU and ~1 min of compiling, for the same result.
# For a CPU Debian has no musl-dev for, build musl with the cross gcc
# (`./configure --target=mips-linux-gnu CC=mips-linux-gnu-gcc --prefix=DIR
# --disable-shared && make install`) and pass MUSL_SPECS=DIR/lib/musl-gcc.specs.
#
# Any other CPU: `make static ARCH=name CROSS=triplet- MUSL_SPECS=...`.

cross_table := aarch64:aarch64-linux-gnu:arm64:aarch64-linux-musl \
    arm64:aarch64-linux-gnu:arm64:aarch64-linux-musl \
    armhf:arm-linux-gnueabihf:armhf:arm-linux-musleabihf \
    mips:mips-linux-gnu:mips:mips-linux-musl \
    mipsel:mipsel-linux-gnu:mipsel:mipsel-linux-musl \
    riscv64:riscv64-linux-gnu:riscv64:riscv64-linux-musl \
    x86_64:x86_64-linux-gnu:amd64:x86_64-linux-musl
cross_entry := $(subst :, ,$(filter $(ARCH):%,$(cross_table)))

CROSS          ?= $(if $(cross_entry),$(word 2,$(cross_entry))-)
CROSS_DEB_ARCH := $(word 3,$(cross_entry))
CROSS_MUSL_DIR := /usr/lib/$(word 4,$(cross_entry))

STATIC_CXX     := $(CROSS)g++
MUSL_SPECS     ?= $(wildcard $(CROSS_MUSL_DIR)/musl-gcc.specs)
# Debian's musl-gcc wrapper runs the native gcc; this is what it does, for the target.
MUSL_GCC       := $(CROSS)gcc -specs $(MUSL_SPECS)
# Linux's headers for the target come with the cross g++ (linux-libc-dev-*-cross);
# only asm/ differs between CPUs.
STATIC_KERNEL_ASM ?= /usr/$(CROSS:%-=%)/include/asm
STATIC_DIR_SUFFIX := -$(ARCH)

# Run first by the BUILD_FLAGS recipe: stop with the package to install.
define cross_check
	@test -n "$(CROSS)" || { echo "make static: ARCH=$(ARCH) is not one of" \
	  "$(foreach e,$(cross_table),$(firstword $(subst :, ,$(e)))); pass CROSS=<triplet>-" \
	  "(the cross g++'s prefix) and MUSL_SPECS=<musl-gcc.specs for that CPU>" >&2; exit 1; }
	@command -v $(STATIC_CXX) >/dev/null || { echo "make static ARCH=$(ARCH): the cross" \
	  "compiler $(STATIC_CXX) is missing; install Debian's g++-$(CROSS:%-=%)" \
	  "(tests/install-deps installs the aarch64 one)" >&2; exit 1; }
	@test -n "$(MUSL_SPECS)" || { echo "make static ARCH=$(ARCH): no musl for $(ARCH)" \
	  "($(CROSS_MUSL_DIR)/musl-gcc.specs); as root: dpkg --add-architecture" \
	  "$(or $(CROSS_DEB_ARCH),<arch>) && apt-get update && apt-get install" \
	  "musl-dev:$(or $(CROSS_DEB_ARCH),<arch>), or pass MUSL_SPECS= (mk/cross.mk)" >&2; exit 1; }
endef
