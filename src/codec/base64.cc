#include "codec/base64.h"

#include <stdint.h>

#include "base/reader.h"

namespace {

const char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Value of one alphabet character, or -1.
int sextet(uint8_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) |
                 (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t left = bytes.size() - i;
  if (left > 0) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    if (left == 2) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += left == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

bool base64_decode(std::string_view text, std::string* out) {
  if (text.size() % 4 != 0) return false;
  std::string decoded;
  decoded.reserve(text.size() / 4 * 3);
  Reader r(text);
  while (!r.empty()) {
    std::string_view quad;
    r.bytes(4, &quad);
    bool last = r.empty();
    int s[4];
    int padding = 0;
    for (int i = 0; i < 4; i++) {
      uint8_t c = uint8_t(quad[i]);
      // '=' may appear only in the last quad, as its final one or two chars.
      if (c == '=' && last && i >= 2 && (i == 3 || quad[3] == '=')) {
        s[i] = 0;
        padding++;
        continue;
      }
      s[i] = sextet(c);
      if (s[i] < 0) return false;
    }
    uint32_t v = (uint32_t(s[0]) << 18) | (uint32_t(s[1]) << 12) |
                 (uint32_t(s[2]) << 6) | uint32_t(s[3]);
    if (padding == 2 && (v & 0xFFFF) != 0) return false;  // non-canonical bits
    if (padding == 1 && (v & 0xFF) != 0) return false;
    decoded += char(v >> 16);
    if (padding < 2) decoded += char((v >> 8) & 0xFF);
    if (padding < 1) decoded += char(v & 0xFF);
  }
  out->append(decoded);
  return true;
}
