// gzip (RFC 1952) framing around raw deflate: exactly one member.
#pragma once

#include <stddef.h>

#include <string>
#include <string_view>

/// Appends a gzip member holding `input` to *out (no name, mtime 0).
/// Built with STATD_ZLIB (make ZLIB=1) the deflate data comes from zlib at
/// level 1; otherwise from deflate_compress().
void gzip_compress(std::string_view input, std::string* out);

/// Decodes exactly one gzip member, appending the data to *out. Checks the
/// magic, method and flags, skips FEXTRA/FNAME/FCOMMENT, verifies FHCRC, the
/// CRC-32 and ISIZE, and refuses trailing bytes and output beyond
/// max_out_bytes. On failure *err says why.
bool gzip_decompress(std::string_view input, std::string* out, size_t max_out_bytes,
                     std::string* err);

/// True when `input` starts with the gzip magic bytes 1f 8b.
bool gzip_looks_compressed(std::string_view input);
