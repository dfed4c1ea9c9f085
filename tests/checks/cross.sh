#!/bin/sh
# The aarch64 cross build (`make static ARCH=aarch64`, mk/cross.mk) is built and run
# under qemu-user: an AArch64 static ELF, `--version`, and one /metrics scrape on
# loopback whose MemTotal must be exactly /proc/meminfo's (qemu-user passes the host's
# /proc through). Its size is reported, not budgeted: size.sh budgets the native
# build, and the same code is larger on aarch64 (fixed-width instructions).
# Runs `make static ARCH=aarch64` itself (incremental; ~1.5 min from scratch on two
# cores). Needs g++-aarch64-linux-gnu, musl-dev:arm64, qemu-user-static
# (tests/install-deps). Prints "cross: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
build_dir="${STATD_BUILD:-build}"
statd="$build_dir/static-aarch64/statd"
passed=0; failed=0
ok() { echo "ok   cross: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL cross: $*"; failed=$((failed + 1)); }
finish() { echo "cross: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

log=$(mktemp); pid=""
trap 'rm -f "$log"; [ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT
echo "cross: make static ARCH=aarch64 (into $build_dir/static-aarch64)"
if ${MAKE:-make} -j"$(nproc 2>/dev/null || echo 2)" static ARCH=aarch64 ${STATD_BUILD:+BUILD="$STATD_BUILD"} \
    >"$log" 2>&1; then
  ok "make static ARCH=aarch64"
else
  tail -n 20 "$log"; fail "make static ARCH=aarch64 failed"; finish
fi

case "$(file -b "$statd")" in
  *"ELF 64-bit LSB executable, ARM aarch64"*"statically linked"*)
    ok "$statd is a static AArch64 ELF" ;;
  *) fail "$statd: $(file -b "$statd")" ;;
esac
echo "cross: aarch64 statd is $(($(wc -c < "$statd"))) bytes (reported, not budgeted)"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64)
[ -n "$qemu" ] || { fail "no qemu-aarch64-static (install qemu-user-static)"; finish; }

version=$(timeout 20 "$qemu" "$statd" --version 2>&1)
case "$version" in
  "statd "*) ok "--version under qemu: $version" ;;
  *) fail "--version under qemu: $version" ;;
esac

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$qemu" "$statd" -l "127.0.0.1:$port" 2>"$log" &
pid=$!
tries=0   # qemu starts in well under a second; allow 20 s on a loaded machine
until curl -sf -m 2 -o /dev/null "http://127.0.0.1:$port/healthz"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 40 ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.5
done
metrics=$(curl -sf -m 10 "http://127.0.0.1:$port/metrics")
mem_total_bytes=$(($(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo) * 1024))
if printf '%s\n' "$metrics" | grep -qx "node_memory_MemTotal_bytes $mem_total_bytes"; then
  ok "/metrics under qemu: node_memory_MemTotal_bytes $mem_total_bytes"
else
  fail "/metrics under qemu has no 'node_memory_MemTotal_bytes $mem_total_bytes' ($(printf '%s\n' "$metrics" | wc -l) lines; statd said: $(cat "$log"))"
fi

kill "$pid" 2>/dev/null
tries=0
while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
if kill -0 "$pid" 2>/dev/null; then
  kill -9 "$pid"; fail "statd under qemu did not stop on SIGTERM"
else
  wait "$pid"; status=$?
  if [ "$status" -eq 0 ]; then ok "stopped on SIGTERM, exit status 0"
  else fail "exit status $status after SIGTERM"; fi
fi
pid=""
finish
