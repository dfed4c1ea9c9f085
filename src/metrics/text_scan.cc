#include "metrics/text_scan.h"

#include <stdlib.h>

namespace metrics {

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool scan_line(Reader* r, std::string_view* line) {
  if (r->empty()) return false;
  if (r->until('\n', line)) return true;
  return r->bytes(r->remaining(), line);  // last line without LF
}

bool scan_token(Reader* r, std::string_view* token) {
  std::string_view rest = r->rest();
  size_t start = 0;
  while (start < rest.size() && is_blank(rest[start])) start++;
  size_t end = start;
  while (end < rest.size() && !is_blank(rest[end]) && rest[end] != '\n') end++;
  if (end == start) return false;
  r->skip(start);
  return r->bytes(end - start, token);
}

bool parse_decimal_u64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *out = v;
  return true;
}

bool parse_decimal_u32(std::string_view s, uint32_t* out) {
  uint64_t v = 0;
  if (!parse_decimal_u64(s, &v) || v > UINT32_MAX) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

bool parse_decimal_i64(std::string_view s, int64_t* out) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  uint64_t v = 0;
  if (!parse_decimal_u64(s, &v) || v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

bool parse_decimal_double(std::string_view s, double* out) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return false;
  if (dot != std::string_view::npos && fraction.empty()) return false;
  // All digits as one integer, then one division by a power of ten: both
  // are exact below 2^53, so the result is correctly rounded ("1.17" is the
  // double nearest 1.17, which later prints back as 1.17). Longer inputs
  // fall back to the slower but exact strtod.
  uint64_t digits = 0, scale = 1;
  bool exact = whole.size() + fraction.size() <= 15;
  if (!whole.empty() && !parse_decimal_u64(whole, &digits)) return false;
  for (char c : fraction) {
    if (c < '0' || c > '9') return false;
    if (exact) {
      digits = digits * 10 + static_cast<uint64_t>(c - '0');
      scale *= 10;
    }
  }
  double value;
  if (exact) {
    value = static_cast<double>(digits) / static_cast<double>(scale);
  } else {
    std::string copy(s);
    value = strtod(copy.c_str(), nullptr);
  }
  *out = negative ? -value : value;
  return true;
}

std::string_view trim_blank(std::string_view s) {
  auto junk = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && junk(s.front())) s.remove_prefix(1);
  while (!s.empty() && junk(s.back())) s.remove_suffix(1);
  return s;
}

std::string decode_octal_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      std::string_view digits = s.substr(i + 1, 3);
      bool octal = digits.size() == 3;
      int value = 0;
      for (char c : digits) {
        if (c < '0' || c > '7') octal = false;
        value = value * 8 + (c - '0');
      }
      if (octal && value < 256) {
        out += static_cast<char>(value);
        i += 4;
        continue;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}

bool has_prefix(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool has_suffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool number_after_prefix(std::string_view name, std::string_view prefix,
                         uint32_t* out) {
  if (!has_prefix(name, prefix)) return false;
  return parse_decimal_u32(name.substr(prefix.size()), out);
}

}  // namespace metrics
