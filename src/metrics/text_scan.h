// Tokenizing helpers for the kernel's text formats (/proc, /sys), built on
// the bounds-checked Reader. Private to src/metrics/.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

#include "base/reader.h"

namespace metrics {

/// The next line without its LF; the last line may lack the LF. False at
/// the end of the input.
bool scan_line(Reader* r, std::string_view* line);

/// Skips blanks (space, tab), then returns the run of non-blank bytes.
/// False when only blanks (or nothing) remain.
bool scan_token(Reader* r, std::string_view* token);

/// Strict unsigned decimal (digits only), false on overflow or junk.
bool parse_decimal_u64(std::string_view s, uint64_t* out);
bool parse_decimal_u32(std::string_view s, uint32_t* out);
/// Optional '-' then digits (sensor millidegrees can be negative).
bool parse_decimal_i64(std::string_view s, int64_t* out);
/// Plain decimal with an optional fraction: "0.52", "123456.78", "-3".
/// No exponent, no locale: the kernel never prints those.
bool parse_decimal_double(std::string_view s, double* out);

/// Removes blanks, CR and LF at both ends.
std::string_view trim_blank(std::string_view s);

/// Decodes the \NNN octal escapes of /proc/mounts (\040 is a space).
std::string decode_octal_escapes(std::string_view s);

bool has_prefix(std::string_view s, std::string_view prefix);
bool has_suffix(std::string_view s, std::string_view suffix);

/// ASCII lower-case copy.
std::string lower_ascii(std::string_view s);

/// Number after `prefix` in a name such as "hwmon12" or "cpu3"; false when
/// the rest is not all digits.
bool number_after_prefix(std::string_view name, std::string_view prefix,
                         uint32_t* out);

}  // namespace metrics
