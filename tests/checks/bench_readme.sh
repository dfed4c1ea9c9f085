#!/bin/sh
# The README's benchmark table is the one bench/run wrote to bench/RESULTS.md,
# byte for byte (bench/run replaces the block between the README's markers), so
# no number in the README was typed by hand or left over from an older run.
# Prints "bench_readme: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
passed=0; failed=0
ok() { echo "ok   bench_readme: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL bench_readme: $*"; failed=$((failed + 1)); }

begin='<!-- bench/run writes from here to the end marker'
end="<!-- end of bench/run's table -->"
readme=$(mktemp); results=$(mktemp); trap 'rm -f "$readme" "$results"' EXIT
awk -v b="$begin" -v e="$end" 'index($0, e) == 1 { on = 0 } on && $0 != "" { print } index($0, b) == 1 { on = 1 }' \
  README.md > "$readme"
grep -e '^- date:' -e '^- machine:' -e '^|' bench/RESULTS.md > "$results"
if [ ! -s "$readme" ]; then
  fail "README.md has no benchmark block between bench/run's markers"
elif ! grep -q '^|' "$results"; then
  fail "bench/RESULTS.md has no table"
elif cmp -s "$readme" "$results"; then
  ok "README.md quotes bench/RESULTS.md's table ($(grep -c '^|' "$results") lines) unchanged"
else
  fail "README.md's benchmark block differs from bench/RESULTS.md (rerun bench/run):"
  diff "$results" "$readme" | head -20
fi
echo "bench_readme: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
