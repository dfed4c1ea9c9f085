// Compact JSON output (RFC 8259) with the encoding rules of socktop.md §5.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

/// Appends compact JSON to *out; commas and colons are inserted
/// automatically. The caller is responsible for balanced begin/end calls
/// and for calling key() before each value inside an object.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  /// A literal key (nearly every call site's). Out of line on purpose: the
  /// ~70 call sites then pass one pointer instead of each measuring the
  /// string and spilling a string_view (see SIZE.md).
  JsonWriter& key(const char* k);

  /// A string value, escaped per RFC 8259; invalid UTF-8 becomes U+FFFD.
  JsonWriter& str(std::string_view v);
  JsonWriter& u64(uint64_t v);
  JsonWriter& i64(int64_t v);
  /// Shortest text that round-trips through float, laid out as serde_json
  /// (ryu) does: 7.9, 0.5, 1e-7, and integral values keep ".0" (0.0, 100.0).
  /// NaN, infinities and -0 are written as 0.0 (socktop.md §5).
  JsonWriter& f32(float v);
  /// Same for double.
  JsonWriter& f64(double v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();

 private:
  void before_value();

  std::string* out_;
  bool need_comma_ = false;  // a value or container ended at this level
};

/// The text f32()/f64() write, appended to *out (also useful outside JSON).
void json_format_f32(float v, std::string* out);
void json_format_f64(double v, std::string* out);
/// `s` as a quoted, escaped JSON string, appended to *out.
void json_quote(std::string_view s, std::string* out);
/// Appends JSON's two-character escape for `c` (\" \\ \b \f \n \r \t) and
/// returns true, or returns false when `c` has none.
bool json_short_escape(uint32_t c, std::string* out);
