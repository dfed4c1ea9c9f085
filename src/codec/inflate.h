// Raw DEFLATE (RFC 1951) decoder: stored, fixed and dynamic blocks, with
// every malformed-stream case reported as an error, never undefined behaviour.
#pragma once

#include <stddef.h>

#include <string>

#include "base/reader.h"

/// Decodes one raw deflate stream (no zlib/gzip header) from *in and appends
/// the data to *out. Distances may only reach back into this call's output.
/// Fails with a message in *err (out then holds a partial result) on a
/// malformed or truncated stream, or when the output would exceed
/// max_out_bytes. On success *in is left just past the stream's last byte,
/// so a trailer that follows (gzip) can be read from it.
bool inflate_raw(Reader* in, std::string* out, size_t max_out_bytes, std::string* err);
