// Base64 (RFC 4648 §4, standard alphabet, with padding).
#pragma once

#include <string>
#include <string_view>

/// `bytes` as padded base64 text.
std::string base64_encode(std::string_view bytes);

/// Strict decoding, appended to *out: the length must be a multiple of 4,
/// '=' only as the last one or two characters, no whitespace, no other
/// characters, and the unused bits before the padding must be zero (only
/// the canonical encoding of a byte string is accepted). On failure *out
/// is left as it was.
bool base64_decode(std::string_view text, std::string* out);
