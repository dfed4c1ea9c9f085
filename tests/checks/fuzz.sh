#!/bin/sh
# Fuzz smoke in `make check`: builds every libFuzzer target (fuzz/*_fuzz.cc, needs
# clang: `make deps`), replays the regression inputs of tests/fuzz_regressions/NAME/
# through target NAME, then runs `make fuzz-smoke` with FUZZ_SMOKE_SECONDS per
# target (default 15), two at a time: about 3 minutes for the run on 2 cores plus
# the build. Prints libFuzzer's executions per target and ends with
# "fuzz: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
build_dir="${STATD_BUILD:-build}"
seconds="${FUZZ_SMOKE_SECONDS:-15}"
make_cmd="${MAKE:-make}"

if ! command -v clang++ >/dev/null 2>&1; then
  echo "FAIL fuzz: clang++ not found (make deps installs clang)"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
log=$(mktemp); trap 'rm -f "$log"' EXIT
if ! $make_cmd -s BUILD="$build_dir" -j2 fuzz >"$log" 2>&1; then
  tail -n 30 "$log"
  echo "FAIL fuzz: make fuzz failed"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi

replay_failed=0
for dir in tests/fuzz_regressions/*/; do
  name=$(basename "$dir")
  [ -d "$dir" ] || continue
  if [ ! -x "$build_dir/fuzz/$name" ]; then
    echo "FAIL fuzz: regressions for $name, but no target $build_dir/fuzz/$name"
    replay_failed=$((replay_failed + 1)); continue
  fi
  # Given files, a libFuzzer binary runs each once and exits non-zero on a crash.
  if "$build_dir/fuzz/$name" "$dir"* >"$log" 2>&1; then
    echo "ok   fuzz: $name replays $(ls "$dir" | wc -l) regression input(s)"
  else
    tail -n 20 "$log"
    echo "FAIL fuzz: $name crashed on a regression input"
    replay_failed=$((replay_failed + 1))
  fi
done

# fuzz_smoke.sh prints one line per target and "fuzz: N passed, N failed".
$make_cmd -s BUILD="$build_dir" fuzz-smoke FUZZ_SECONDS="$seconds" FUZZ_JOBS=2 >"$log" 2>&1
status=$?
if [ "$replay_failed" -eq 0 ]; then
  cat "$log"
  exit $status
fi
grep -v '^fuzz: [0-9]* passed, [0-9]* failed$' "$log"
set -- $(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log")
echo "fuzz: ${1:-0} passed, $(( ${2:-0} + replay_failed )) failed"
exit 1
