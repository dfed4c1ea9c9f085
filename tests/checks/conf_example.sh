#!/bin/sh
# etc/statd.conf.example (installed by `make install`) against statd: every
# configuration key statd --help lists (its long options but help, version and
# config) appears as a "# key = " line, no other key does, and the file with
# every such line uncommented is accepted by statd itself (a parse check: it
# reads the file and stops at the first bad key or value, before binding).
# Prints "conf_example: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
statd="${STATD_BUILD:-build}/statd"
example=etc/statd.conf.example
passed=0; failed=0
ok() { echo "ok   conf_example: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL conf_example: $*"; failed=$((failed + 1)); }

if [ ! -x "$statd" ]; then
  fail "$statd missing (run make)"
else
  keys=$("$statd" --help | sed -n 's/^  *\(-[A-Za-z], *\)\{0,1\}--\([A-Za-z][A-Za-z0-9-]*\).*/\2/p' |
    grep -vx -e help -e version -e config | sort -u)
  in_file=$(sed -n 's/^# \([A-Za-z][A-Za-z0-9-]*\) .*=.*/\1/p' "$example" | sort -u)
  for key in $keys; do
    if printf '%s\n' "$in_file" | grep -qx "$key"; then ok "$key is in $example"
    else fail "$key (from statd --help) has no '# $key = ...' line in $example"; fi
  done
  for key in $in_file; do
    printf '%s\n' "$keys" | grep -qx "$key" || fail "$example names '$key', which statd --help does not list"
  done
  # Uncommented (values as written, the comments after them dropped), statd must
  # accept every line: --help after -c parses nothing, so use an option error
  # that only comes after the file was read.
  tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
  sed -n 's/^# \([A-Za-z][A-Za-z0-9-]* *[a-z0-9]* *=.*\)$/\1/p' "$example" | sed 's/  *#.*$//' |
    grep -v -e '^daemon' -e '^user' -e '^pidfile' -e '^print-cert' -e '^root' -e '^token-file' \
      -e '^tls' -e '^enableSSL' -e '^cert' -e '^key' -e '^rtstat-tls' -e '^sandbox' > "$tmp"
  out=$("$statd" -c "$tmp" --no-such-option 2>&1)
  case "$out" in
    *"unknown option '--no-such-option'"*) ok "statd accepts the example's values" ;;
    *) fail "statd rejects the example's values: $out" ;;
  esac
fi
echo "conf_example: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
