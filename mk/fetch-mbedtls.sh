#!/bin/sh
# Unpacks Debian's mbedtls source package into DEST (mk/mbedtls.mk: `make static TLS=1`),
# so the library can be compiled with musl-gcc: Debian's libmbedtls.a is built for glibc.
#
#   mk/fetch-mbedtls.sh DEST     DEST/library/*.c and DEST/include/ afterwards
#
# The tarball is cached next to DEST (DEST/../download/) and never committed (build/).
# `apt-get source` needs a deb-src entry; when there is none, one is added for the Debian
# mirrors the deb entries already use (as root, through sudo when not root).
set -e
dest=$1
[ -n "$dest" ] || { echo "usage: $0 DEST" >&2; exit 2; }
[ -f "$dest/library/ssl_tls.c" ] && exit 0
download=$(dirname "$dest")/download
mkdir -p "$download"

have_deb_src() {
  grep -sqE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}

# Copies the deb entries that point at a Debian mirror as deb-src entries, then reads
# only that new file's indexes (the other lists stay as they are).
add_deb_src() {
  extra=/etc/apt/sources.list.d/statd-deb-src.sources
  new="$download/statd-deb-src.sources.new"
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      # deb822: one stanza per paragraph; keep Debian's, turn "Types: deb" into deb-src.
      awk 'BEGIN { RS = ""; ORS = "\n\n" }
           /URIs:[^\n]*debian\.org/ && /Types:[ \t]*deb([ \t]|\n|$)/ {
             sub(/Types:[ \t]*deb/, "Types: deb-src"); print }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      # one-line format: "deb [opts] URI suite components" -> a deb822 stanza
      sed -n 's/^[[:space:]]*deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*debian\.org[^[:space:]]*\)[[:space:]]\{1,\}\([^[:space:]]\{1,\}\)[[:space:]]\{1,\}\(.*\)$/Types: deb-src\nURIs: \2\nSuites: \3\nComponents: \4\n/p' "$f"
    done
  } > "$new"
  if ! grep -q deb-src "$new"; then
    rm -f "$new"
    echo "fetch-mbedtls: no Debian mirror among the apt sources to add a deb-src entry for" >&2
    return 1
  fi
  $as_root install -m 644 "$new" "$extra"
  rm -f "$new"
  echo "fetch-mbedtls: added $extra; reading its source indexes"
  $as_root apt-get update -o Dir::Etc::SourceList="$extra" -o Dir::Etc::SourceParts=- \
    -o APT::Get::List-Cleanup=0 >/dev/null
}

if ! ls "$download"/mbedtls_*.orig.tar.* >/dev/null 2>&1; then
  if ! have_deb_src; then
    as_root=""
    if [ "$(id -u)" -ne 0 ]; then
      if ! command -v sudo >/dev/null 2>&1; then
        echo "fetch-mbedtls: apt has no deb-src entry and sudo is missing. As root, add one" \
          "for your Debian mirror (a copy of the deb entry with 'Types: deb-src') and run" \
          "apt-get update, or rerun this as root: $0 $dest" >&2
        exit 1
      fi
      as_root=sudo
    fi
    add_deb_src
  fi
  echo "fetch-mbedtls: apt-get source --download-only mbedtls (into $download)"
  (cd "$download" && apt-get source --download-only mbedtls >/dev/null)
fi
tarball=$(ls "$download"/mbedtls_*.orig.tar.* | head -n 1)
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
rm -rf "$dest"
mv "$dest.tmp" "$dest"
echo "fetch-mbedtls: $(basename "$tarball") unpacked into $dest"
