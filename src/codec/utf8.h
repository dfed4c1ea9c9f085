// UTF-8 validation (whole strings and fragmented streams) and repair.
//
// "Valid" means RFC 3629: shortest form only, no surrogates (U+D800..DFFF),
// nothing above U+10FFFF.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

/// True when all of `s` is well-formed UTF-8.
bool utf8_valid(std::string_view s);

/// Incremental validator for fragmented WebSocket text: feed() returns false
/// as soon as the bytes so far cannot be a prefix of valid UTF-8 (fail fast,
/// RFC 6455 / Autobahn 6.x); complete() is true when no code point is left
/// open. Once feed() has failed it keeps failing until reset().
class Utf8Validator {
 public:
  bool feed(std::string_view chunk);
  bool complete() const { return !failed_ && continuation_needed_ == 0; }
  void reset();

 private:
  bool failed_ = false;
  uint8_t continuation_needed_ = 0;
  // Allowed range of the next continuation byte; narrower than 80..BF right
  // after E0, ED, F0 and F4, which is how overlongs, surrogates and values
  // above U+10FFFF are caught at the earliest byte.
  uint8_t next_min_ = 0x80;
  uint8_t next_max_ = 0xBF;
};

/// Appends `in` to *out with every ill-formed sequence replaced by U+FFFD
/// (EF BF BD): one replacement per maximal subpart, as Unicode §3.9 and
/// Rust's String::from_utf8_lossy do.
void utf8_sanitize(std::string_view in, std::string* out);
