#!/bin/sh
# `make install DESTDIR=... PREFIX=/usr` installs exactly the expected files, with
# the right modes, and the installed statd runs. Uses the build in $STATD_BUILD.
# Prints "install: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
build_dir="${STATD_BUILD:-build}"
passed=0; failed=0
ok() { echo "ok   install: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL install: $*"; failed=$((failed + 1)); }

dest=$(mktemp -d); trap 'rm -rf "$dest"' EXIT
if out=$(make -s install BUILD="$build_dir" DESTDIR="$dest" PREFIX=/usr 2>&1); then
  ok "make install DESTDIR=... PREFIX=/usr"
else
  fail "make install failed: $out"
fi
expected="755 usr/bin/statc
755 usr/sbin/statd
644 usr/share/man/man1/statc.1
644 usr/share/man/man8/statd.8
644 usr/share/statd/busybox/inittab
755 usr/share/statd/busybox/S50statd
755 usr/share/statd/openrc/statd
644 usr/share/statd/openrc/statd.confd
755 usr/share/statd/runit/statd/run
644 usr/share/statd/statd.conf.example"
got=$(cd "$dest" && find . -type f -printf '%m %P\n' | LC_ALL=C sort -k2)
if [ "$got" = "$(printf '%s\n' "$expected" | LC_ALL=C sort -k2)" ]; then
  ok "the installed files and modes are the expected ten"
else
  fail "installed files differ:"; printf '%s\n' "$got" | sed 's/^/    /'
fi
case "$("$dest/usr/sbin/statd" --version 2>&1)" in
  "statd "*) ok "the installed statd runs" ;;
  *) fail "the installed statd does not run" ;;
esac
cmp -s etc/statd.conf.example "$dest/usr/share/statd/statd.conf.example" && ok "example config copied" ||
  fail "example config differs"
echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
