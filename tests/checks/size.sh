#!/bin/sh
# Size budget of the musl static binaries (`make static`): statd and statc must stay
# <= 300 KB each without TLS and <= 1 MB with TLS (build/static/BUILD_FLAGS says which).
# An existing static build is checked as it is (run `make static` first to refresh it);
# when there is none this runs `make static` itself, which takes seconds, so `make check`
# always enforces the budget. Prints one line per binary and "size: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
static_dir="${STATD_BUILD:-build}/static"
passed=0; failed=0

if [ ! -f "$static_dir/statd" ]; then
  echo "size: no static build in $static_dir; running make static"
  log=$(mktemp); trap 'rm -f "$log"' EXIT
  if ! ${MAKE:-make} static ${STATD_BUILD:+BUILD="$STATD_BUILD"} >"$log" 2>&1; then
    tail -n 20 "$log"
    echo "FAIL size: make static failed"
    failed=$((failed + 1))
  fi
fi

budget_bytes=307200; build_kind="no TLS"
if grep -qx 'TLS=1' "$static_dir/BUILD_FLAGS" 2>/dev/null; then
  budget_bytes=1048576; build_kind="TLS"
fi

check_binary() {  # $1 = path; $2 = "required" when it must exist
  if [ ! -f "$1" ]; then
    [ "$2" = required ] || return 0
    echo "FAIL size: $1 missing"
    failed=$((failed + 1)); return
  fi
  size_bytes=$(($(wc -c < "$1")))
  if [ "$size_bytes" -le "$budget_bytes" ]; then
    echo "ok   size: $1 $size_bytes bytes, budget $budget_bytes ($build_kind)"
    passed=$((passed + 1))
  else
    echo "FAIL size: $1 $size_bytes bytes, over budget $budget_bytes ($build_kind)" \
      "by $((size_bytes - budget_bytes))"
    failed=$((failed + 1))
  fi
}
# A failed build already counted; do not count its missing binary twice.
[ "$failed" -eq 0 ] && check_binary "$static_dir/statd" required
check_binary "$static_dir/statc" optional

echo "size: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
