#include "base/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

bool str_to_u64(std::string_view s, uint64_t* out, uint64_t max) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (max - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *out = v;
  return true;
}

bool str_to_double(std::string_view s, double* out) {
  if (s.empty() || s.size() > 64) return false;
  int dots = 0;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '.') {
      if (++dots > 1 || i == 0 || i + 1 == s.size()) return false;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  std::string copy(s);
  *out = strtod(copy.c_str(), nullptr);
  return true;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view str_trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool str_equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string str_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool str_list_has(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    size_t semi = item.find(';');  // "gzip;q=1.0": parameters do not matter here
    if (str_equal_ci(str_trim(item.substr(0, semi)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool str_equal_const_time(std::string_view a, std::string_view b) {
  // Walk the secret's full length whatever the input is, so the time taken
  // tells nothing about how many leading bytes matched.
  unsigned diff = a.size() != b.size();
  size_t n = a.size() > b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; i++) {
    unsigned char x = i < a.size() ? a[i] : 0;
    unsigned char y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool str_url_decode(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return false;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

bool str_query_param(std::string_view query, std::string_view name, std::string* out) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    std::string key;
    if (str_url_decode(pair.substr(0, eq), &key) && key == name) {
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      return str_url_decode(value, out);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

void str_append_u64(std::string* out, uint64_t v) {
  char buf[20];
  size_t n = sizeof buf;
  do {
    buf[--n] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  out->append(buf + n, sizeof buf - n);
}

std::string str_cat(std::initializer_list<std::string_view> pieces) {
  size_t total = 0;
  for (std::string_view p : pieces) total += p.size();
  std::string out;
  out.reserve(total);
  for (std::string_view p : pieces) out.append(p);
  return out;
}

void str_appendf(std::string* out, const char* fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof small) {
    out->append(small, n);
    return;
  }
  size_t old = out->size();
  out->resize(old + n + 1);
  va_start(ap, fmt);
  vsnprintf(&(*out)[old], n + 1, fmt, ap);
  va_end(ap);
  out->resize(old + n);
}
