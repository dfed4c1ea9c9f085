# `make install`: the programs, man pages, init files and an example configuration,
# under $(DESTDIR)$(PREFIX) (packagers: make install DESTDIR=/tmp/pkg PREFIX=/usr).
# Included by the Makefile. Installs the static (musl) binaries when `make static`
# built them, else the dynamic ones of $(BUILD).
#
#   $(PREFIX)/sbin/statd, $(PREFIX)/bin/statc
#   $(PREFIX)/share/man/man8/statd.8, man1/statc.1
#   $(PREFIX)/share/statd/statd.conf.example      every key, commented
#   $(PREFIX)/share/statd/openrc/statd, statd.confd   -> /etc/init.d/statd, /etc/conf.d/statd
#   $(PREFIX)/share/statd/busybox/S50statd, inittab   -> /etc/init.d/S50statd, /etc/inittab
#   $(PREFIX)/share/statd/runit/statd/run             -> /etc/sv/statd/run
#
# The init files are examples, not installed into /etc: which init system a host
# runs is its owner's choice (README, "Deploy on a router or Pi"). They name
# /usr/sbin/statd; PREFIX=/usr matches that.

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
# ARCH=<cpu>: the cross build of `make static ARCH=<cpu>` (mk/cross.mk), never the host's.
INSTALL_FROM = $(if $(ARCH),$(STATIC_DIR),$(if $(wildcard $(BUILD)/static/statd),$(BUILD)/static,$(BUILD)))

.PHONY: install uninstall
install:
	@test -x $(INSTALL_FROM)/statd -a -x $(INSTALL_FROM)/statc || { \
	  echo "make install: build first (make, or make static$(if $(ARCH), ARCH=$(ARCH)))" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/bin \
	  $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/statd/openrc $(DESTDIR)$(PREFIX)/share/statd/busybox \
	  $(DESTDIR)$(PREFIX)/share/statd/runit/statd
	$(INSTALL) -m 755 $(INSTALL_FROM)/statd $(DESTDIR)$(PREFIX)/sbin/statd
	$(INSTALL) -m 755 $(INSTALL_FROM)/statc $(DESTDIR)$(PREFIX)/bin/statc
	$(INSTALL) -m 644 man/statd.8 $(DESTDIR)$(PREFIX)/share/man/man8/statd.8
	$(INSTALL) -m 644 man/statc.1 $(DESTDIR)$(PREFIX)/share/man/man1/statc.1
	$(INSTALL) -m 644 etc/statd.conf.example $(DESTDIR)$(PREFIX)/share/statd/statd.conf.example
	$(INSTALL) -m 755 openrc/statd $(DESTDIR)$(PREFIX)/share/statd/openrc/statd
	$(INSTALL) -m 644 openrc/statd.confd $(DESTDIR)$(PREFIX)/share/statd/openrc/statd.confd
	$(INSTALL) -m 755 busybox/S50statd $(DESTDIR)$(PREFIX)/share/statd/busybox/S50statd
	$(INSTALL) -m 644 busybox/inittab $(DESTDIR)$(PREFIX)/share/statd/busybox/inittab
	$(INSTALL) -m 755 runit/statd/run $(DESTDIR)$(PREFIX)/share/statd/runit/statd/run

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/statd $(DESTDIR)$(PREFIX)/bin/statc \
	  $(DESTDIR)$(PREFIX)/share/man/man8/statd.8 $(DESTDIR)$(PREFIX)/share/man/man1/statc.1
	rm -rf $(DESTDIR)$(PREFIX)/share/statd
