#include "codec/json_writer.h"

#include <cmath>
#include <stdio.h>
#include <stdlib.h>

#include "codec/utf8.h"

namespace {

// Shortest decimal digits of `v` that read back as the same value:
// try increasing precision with %e (correctly rounded in glibc and musl)
// until strtof/strtod gives `v` back. Returns the digits without the
// point and the exponent of the first digit (v = d.ddd × 10^exp10).
// Fast path for the common case, a short decimal (jiffies/100, kB counts,
// a percentage with a few digits): if r / 10^k == v for a whole number r
// below the limit where doubles (floats) are spaced finer than 1/8, then
// "r with k decimals" reads back as v and no shorter text does. Returns
// false to fall back to the search below. musl's printf and strtod are
// slow with floats, and /metrics formats hundreds of values per scrape.
template <typename Float>
bool short_decimal_digits(Float v, std::string* digits, int* exp10) {
  constexpr Float kLimit = sizeof(Float) == sizeof(float) ? Float(4e6) : Float(1e15);
  Float scale = 1;
  for (int k = 0; k <= 6; k++, scale *= 10) {
    Float scaled = v * scale;
    if (scaled >= kLimit) return false;
    Float r = std::floor(scaled + Float(0.5));
    if (r / scale != v) continue;
    uint64_t n = static_cast<uint64_t>(r);
    char buf[24];
    int len = 0;
    do {
      buf[len++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n);
    digits->clear();
    for (int i = len - 1; i >= 0; i--) *digits += buf[i];
    *exp10 = len - 1 - k;
    while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
    return true;
  }
  return false;
}

template <typename Float>
void shortest_digits(Float v, int max_precision, std::string* digits, int* exp10) {
  if (short_decimal_digits(v, digits, exp10)) return;
  char buf[40];
  for (int precision = 0;; precision++) {
    snprintf(buf, sizeof buf, "%.*e", precision, static_cast<double>(v));
    Float back;
    if constexpr (sizeof(Float) == sizeof(float)) {
      back = strtof(buf, nullptr);
    } else {
      back = strtod(buf, nullptr);
    }
    if (back == v || precision >= max_precision) break;
  }
  // buf is "d.ddde±XX" (or "de±XX" at precision 0); v is positive here.
  digits->clear();
  const char* p = buf;
  for (; *p != 'e'; p++) {
    if (*p != '.') *digits += *p;
  }
  *exp10 = atoi(p + 1);
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
}

// Lays out digits the way ryu's "pretty" output does, so statd's numbers
// look like upstream's: plain decimals while the point is within
// `max_int_digits` of the front or `min_point` zeros after it, else
// scientific with a bare exponent ("1e-7", "3.4028235e38").
template <typename Float>
void format_float(Float v, int max_precision, int max_int_digits, int min_point,
                  std::string* out) {
  // Negative zero prints as 0.0 too: "-0.0" means nothing to a reader.
  if (!std::isfinite(v) || v == 0) {
    out->append("0.0");
    return;
  }
  if (v < 0) {
    *out += '-';
    v = -v;
  }
  std::string digits;
  int exp10;
  shortest_digits(v, max_precision, &digits, &exp10);
  int length = static_cast<int>(digits.size());
  int point = exp10 + 1;  // digits before the decimal point
  if (point >= length && point <= max_int_digits) {
    out->append(digits);
    out->append(static_cast<size_t>(point - length), '0');
    out->append(".0");
  } else if (point > 0 && point <= max_int_digits) {
    out->append(digits, 0, static_cast<size_t>(point));
    *out += '.';
    out->append(digits, static_cast<size_t>(point), std::string::npos);
  } else if (point > min_point && point <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-point), '0');
    out->append(digits);
  } else {
    *out += digits[0];
    if (length > 1) {
      *out += '.';
      out->append(digits, 1, std::string::npos);
    }
    char buf[16];
    snprintf(buf, sizeof buf, "e%d", exp10);
    out->append(buf);
  }
}

void append_escaped(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (json_short_escape(c, out)) continue;
    if (c < 0x20) {
      out->append("\\u00");
      *out += kHex[c >> 4];
      *out += kHex[c & 15];
    } else {
      *out += ch;  // includes UTF-8 bytes: U+2028 etc. pass through
    }
  }
}

}  // namespace

bool json_short_escape(uint32_t c, std::string* out) {
  switch (c) {
    case '"': out->append("\\\""); return true;
    case '\\': out->append("\\\\"); return true;
    case '\b': out->append("\\b"); return true;
    case '\f': out->append("\\f"); return true;
    case '\n': out->append("\\n"); return true;
    case '\r': out->append("\\r"); return true;
    case '\t': out->append("\\t"); return true;
    default: return false;
  }
}

void json_format_f32(float v, std::string* out) {
  // 9 significant digits always round-trip a float; ryu's f32 layout
  // switches to exponents beyond 13 integer digits or 5 leading zeros.
  format_float(v, 8, 13, -6, out);
}

void json_format_f64(double v, std::string* out) {
  format_float(v, 16, 16, -5, out);
}

void json_quote(std::string_view s, std::string* out) {
  *out += '"';
  if (utf8_valid(s)) {
    append_escaped(s, out);
  } else {
    std::string clean;
    utf8_sanitize(s, &clean);
    append_escaped(clean, out);
  }
  *out += '"';
}

void JsonWriter::before_value() {
  if (need_comma_) *out_ += ',';
  need_comma_ = true;
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  *out_ += '{';
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  *out_ += '}';
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  *out_ += '[';
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  *out_ += ']';
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  before_value();
  json_quote(k, out_);
  *out_ += ':';
  need_comma_ = false;  // the value follows the colon directly
  return *this;
}

JsonWriter& JsonWriter::key(const char* k) { return key(std::string_view(k)); }

JsonWriter& JsonWriter::str(std::string_view v) {
  before_value();
  json_quote(v, out_);
  return *this;
}

JsonWriter& JsonWriter::u64(uint64_t v) {
  before_value();
  char buf[24];
  snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  out_->append(buf);
  return *this;
}

JsonWriter& JsonWriter::i64(int64_t v) {
  before_value();
  char buf[24];
  snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out_->append(buf);
  return *this;
}

JsonWriter& JsonWriter::f32(float v) {
  before_value();
  json_format_f32(v, out_);
  return *this;
}

JsonWriter& JsonWriter::f64(double v) {
  before_value();
  json_format_f64(v, out_);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  before_value();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_->append("null");
  return *this;
}
