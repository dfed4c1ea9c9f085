#!/bin/bash
# `make fuzz-smoke`: runs each libFuzzer target NAME (build/fuzz/NAME) for
# FUZZ_SECONDS on its own corpus under FUZZ_DIR/corpus/NAME/, seeded from
# fuzz/corpus/NAME/ (so a run never writes into the source tree), with
# fuzz/NAME.dict and the [libfuzzer] options of fuzz/NAME.options (OSS-Fuzz's
# format, e.g. "max_len = 12000") when those exist.
#
# Prints one line per target with libFuzzer's run count, then
# "fuzz: N passed, N failed"; exits 1 when a target failed (crash, sanitizer
# report, leak, timeout or out-of-memory). A failing input is kept under
# FUZZ_DIR/artifacts/NAME/, the full output in FUZZ_DIR/logs/NAME.log.
#
#   FUZZ_DIR=build/fuzz FUZZ_SECONDS=30 FUZZ_JOBS=1 mk/fuzz_smoke.sh NAME...
set -u

dir=${FUZZ_DIR:-build/fuzz}
seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-1}

case $seconds in ''|*[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number" >&2; exit 2;; esac
case $jobs in ''|0|*[!0-9]*) echo "fuzz: FUZZ_JOBS must be a positive number" >&2; exit 2;; esac

# Runs one target and writes its summary line to logs/NAME.result: "ok ..." or "FAILED ...".
run_one() {
  local name=$1
  local corpus=$dir/corpus/$name artifacts=$dir/artifacts/$name log=$dir/logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$dir/logs"
  if [ -d "fuzz/corpus/$name" ]; then cp -R "fuzz/corpus/$name/." "$corpus/"; fi

  local args=(-max_total_time="$seconds" -timeout=10 -artifact_prefix="$artifacts/"
              -print_final_stats=0)
  if [ -f "fuzz/$name.dict" ]; then args+=(-dict="fuzz/$name.dict"); fi
  if [ -f "fuzz/$name.options" ]; then
    local key value
    while IFS='= ' read -r key value; do
      case $key in ''|'#'*|'['*) continue;; esac
      args+=("-$key=$value")
    done < "fuzz/$name.options"
  fi

  "$dir/$name" "${args[@]}" "$corpus" > "$log" 2>&1
  local status=$?
  # libFuzzer's last line after a clean -max_total_time run: "Done N runs in S second(s)".
  local done_line runs secs
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  runs=$(echo "$done_line" | awk '{ print $2 }')
  secs=$(echo "$done_line" | awk '{ print $5 }')
  if [ "$status" -eq 0 ] && [ -n "$runs" ]; then
    echo "ok $runs runs in $secs s" > "$dir/logs/$name.result"
  else
    local artifact
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    local why
    why=$(grep -m 1 -E '^(==[0-9]+==ERROR|SUMMARY): ' "$log" | sed 's/^==[0-9]*==//')
    echo "FAILED exit $status${why:+: $why}${artifact:+; input: $artifact}; log: $log" \
      > "$dir/logs/$name.result"
  fi
}

report() {
  local name=$1 result
  result=$(cat "$dir/logs/$name.result" 2>/dev/null || echo "FAILED: no result")
  echo "fuzz: $name: $result"
  case $result in ok*) passed=$((passed + 1));; *) failed=$((failed + 1));; esac
}

passed=0
failed=0
for name in "$@"; do
  if [ ! -x "$dir/$name" ]; then
    echo "fuzz: $name: FAILED: $dir/$name not built (make fuzz)"
    failed=$((failed + 1))
    continue
  fi
  rm -f "$dir/logs/$name.result"
  if [ "$jobs" -eq 1 ]; then
    run_one "$name"
    report "$name"
  else
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_one "$name" &
  fi
done
if [ "$jobs" -gt 1 ]; then
  wait
  for name in "$@"; do
    if [ -x "$dir/$name" ]; then report "$name"; fi
  done
fi

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
