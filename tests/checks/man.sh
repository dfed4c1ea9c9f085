#!/bin/sh
# The manual pages against the programs: man/statd.8 and man/statc.1 lint clean
# (mandoc -Tlint -W warning), every option --help lists has an entry in the page's
# OPTIONS section and every option the page's SYNOPSIS and OPTIONS name is one
# --help lists, and every statd configuration key (the long options but help,
# version and config) has an entry in CONFIGURATION and no other key does.
# Reads the binaries from $STATD_BUILD (tests/run sets it; default build/).
# Prints one line per check and "man: N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
build_dir="${STATD_BUILD:-build}"
passed=0; failed=0

ok() { echo "ok   man: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL man: $*"; failed=$((failed + 1)); }

# section PAGE NAME: the lines of ".Sh NAME" up to the next .Sh.
section() {
  awk -v want=".Sh $2" '/^\.Sh /{ inside = ($0 == want); next } inside' "$1"
}

# help_long/help_short HELP: the option at the start of each option line of
# --help (so "--listen" in --port's text and "gotop --export" are not counted).
help_long() {
  printf '%s\n' "$1" | sed -n 's/^  *\(-[A-Za-z], *\)\{0,1\}--\([A-Za-z][A-Za-z0-9-]*\).*/\2/p' | sort -u
}
help_short() {
  printf '%s\n' "$1" | sed -n 's/^  *-\([A-Za-z]\),.*/\1/p' | sort -u
}

# fl_words: every argument of an Fl macro on stdin, one a line; a cluster of
# short options ("Fl qv") is split into its letters.
fl_words() {
  grep -oE '(^\.|[ ])Fl +[^ ]+' | sed 's/.*Fl  *//' | while read -r word; do
    case "$word" in
      Ar|Ns|No|Oo|Oc|Op|Cm|Li|Pq) ;;           # a macro right after Fl: no flag
      -*) echo "$word" ;;
      *) printf '%s\n' "$word" | fold -w 1 ;;
    esac
  done | sort -u
}

lint() {  # $1 = page
  if ! command -v mandoc >/dev/null 2>&1; then
    fail "$1: mandoc is not installed (tests/install-deps installs it)"
    return
  fi
  out=$(mandoc -Tlint -W warning "$1" 2>&1); rc=$?
  if [ "$rc" -eq 0 ] && ! printf '%s\n' "$out" | grep -qE 'WARNING|ERROR|UNSUPP|BADARG'; then
    ok "$1: mandoc -Tlint -W warning is clean"
  else
    fail "$1: mandoc -Tlint -W warning:"
    printf '%s\n' "$out" | sed 's/^/    /'
  fi
}

check_page() {  # $1 = program, $2 = page
  binary="$build_dir/$1"
  if [ ! -f "$2" ]; then fail "$2 missing"; return; fi
  lint "$2"
  if [ ! -x "$binary" ]; then fail "$binary missing (run make)"; return; fi
  help=$("$binary" --help 2>&1) || { fail "$binary --help failed"; return; }
  longs=$(help_long "$help")
  shorts=$(help_short "$help")
  if [ -z "$longs" ]; then fail "$binary --help lists no long options"; return; fi
  items=$(section "$2" OPTIONS | grep '^\.It ')

  # --help -> page: each option has an item in OPTIONS.
  for name in $longs; do
    if printf '%s\n' "$items" | grep -qE "[ ]Fl -$name( |$)"; then
      ok "$2: --$name is in OPTIONS"
    else
      fail "$2: --$name (from $1 --help) has no '.It Fl -$name' in OPTIONS"
    fi
  done
  for letter in $shorts; do
    if printf '%s\n' "$items" | grep -qE "[ ]Fl $letter( |$)"; then
      ok "$2: -$letter is in OPTIONS"
    else
      fail "$2: -$letter (from $1 --help) has no '.It Fl $letter' in OPTIONS"
    fi
  done

  # page -> --help: each flag the SYNOPSIS and OPTIONS name exists.
  unknown=""
  for word in $( (section "$2" SYNOPSIS; section "$2" OPTIONS) | fl_words); do
    case "$word" in
      -*) printf '%s\n' "$longs" | grep -qx -- "${word#-}" || unknown="$unknown -$word" ;;
      *) printf '%s\n' "$shorts" | grep -qx -- "$word" || unknown="$unknown -$word" ;;
    esac
  done
  if [ -z "$unknown" ]; then
    ok "$2: every option in SYNOPSIS and OPTIONS is in $1 --help"
  else
    fail "$2: not in $1 --help:$unknown"
  fi

  [ "$1" = statd ] || return 0
  # statd's configuration keys: the long options but help, version and config.
  config_items=$(section "$2" CONFIGURATION | grep '^\.It ')
  keys=$(printf '%s\n' "$longs" | grep -vxE 'help|version|config')
  for key in $keys; do
    if printf '%s\n' "$config_items" | grep -qE "^\.It Cm $key( |$)"; then
      ok "$2: key $key is in CONFIGURATION"
    else
      fail "$2: key $key has no '.It Cm $key' in CONFIGURATION"
    fi
  done
  stale=""
  for key in $(printf '%s\n' "$config_items" | sed -n 's/^\.It Cm \([^ ]*\).*/\1/p'); do
    printf '%s\n' "$keys" | grep -qx -- "$key" || stale="$stale $key"
  done
  if [ -z "$stale" ]; then
    ok "$2: every key in CONFIGURATION is a statd option"
  else
    fail "$2: CONFIGURATION lists keys statd does not take:$stale"
  fi
}

check_page statd man/statd.8
check_page statc man/statc.1

echo "man: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
