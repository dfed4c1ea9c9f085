// str_url_decode and str_query_param over arbitrary text, and a round trip:
// any bytes, percent-encoded into a query, come back out of
// str_query_param unchanged.
//
// Input: byte 0 = where the rest splits into a name and a value.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "base/str.h"

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Every '%' must start a two-hex-digit escape.
bool escapes_well_formed(std::string_view s) {
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] != '%') continue;
    if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
    i += 2;
  }
  return true;
}

// Spaces as '+' (the form browsers send), other non-alphanumerics escaped.
std::string encode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void check_decode(std::string_view s) {
  std::string out = "stale";
  bool ok = str_url_decode(s, &out);
  if (ok != escapes_well_formed(s)) abort();
  if (!ok) return;
  size_t percents = 0;
  for (char c : s) percents += c == '%';
  if (out.size() != s.size() - 2 * percents) abort();
  std::string again;
  if (!str_url_decode(encode(out), &again) || again != out) abort();
}

// The first pair whose key decodes to `name` decides, as the doc comment says.
void check_query(std::string_view query, std::string_view name) {
  std::string got = "stale";
  bool found = str_query_param(query, name, &got);
  bool expect_found = false;
  std::string expected;
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t eq = pair.find('=');
    std::string key;
    if (str_url_decode(pair.substr(0, eq), &key) && key == name) {
      expect_found = str_url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1),
                                    &expected);
      break;
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  if (found != expect_found || (found && got != expected)) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  size_t split = data[0] < rest.size() ? data[0] : rest.size();
  std::string_view name = rest.substr(0, split), value = rest.substr(split);

  check_decode(rest);
  check_query(rest, name);
  check_query(rest, "interval");

  std::string query = "x=1&" + encode(name) + "=" + encode(value) + "&" + encode(name) + "=2";
  std::string got;
  if (!str_query_param(query, name, &got)) abort();
  if (got != (name == "x" ? std::string("1") : std::string(value))) abort();
  return 0;
}
