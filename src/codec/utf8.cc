#include "codec/utf8.h"

#include "base/reader.h"

namespace {

// What a lead byte starts: how many continuation bytes follow and the range
// the first of them must fall in (Unicode Table 3-7).
struct Utf8Lead {
  bool ok;
  uint8_t continuation_count;
  uint8_t first_min;
  uint8_t first_max;
};

Utf8Lead classify_lead(uint8_t b) {
  if (b < 0x80) return {true, 0, 0x80, 0xBF};
  if (b >= 0xC2 && b <= 0xDF) return {true, 1, 0x80, 0xBF};
  if (b == 0xE0) return {true, 2, 0xA0, 0xBF};   // no overlong 3-byte forms
  if (b == 0xED) return {true, 2, 0x80, 0x9F};   // no surrogates
  if (b >= 0xE1 && b <= 0xEF) return {true, 2, 0x80, 0xBF};
  if (b == 0xF0) return {true, 3, 0x90, 0xBF};   // no overlong 4-byte forms
  if (b >= 0xF1 && b <= 0xF3) return {true, 3, 0x80, 0xBF};
  if (b == 0xF4) return {true, 3, 0x80, 0x8F};   // nothing above U+10FFFF
  return {false, 0, 0, 0};  // 80..C1 (stray continuation, overlong 2-byte), F5..FF
}

}  // namespace

bool utf8_valid(std::string_view s) {
  Utf8Validator v;
  return v.feed(s) && v.complete();
}

void Utf8Validator::reset() {
  failed_ = false;
  continuation_needed_ = 0;
  next_min_ = 0x80;
  next_max_ = 0xBF;
}

bool Utf8Validator::feed(std::string_view chunk) {
  if (failed_) return false;
  Reader r(chunk);
  uint8_t b;
  while (r.u8(&b)) {
    if (continuation_needed_ == 0) {
      if (b < 0x80) continue;  // ASCII fast path
      Utf8Lead lead = classify_lead(b);
      if (!lead.ok) {
        failed_ = true;
        return false;
      }
      continuation_needed_ = lead.continuation_count;
      next_min_ = lead.first_min;
      next_max_ = lead.first_max;
    } else {
      if (b < next_min_ || b > next_max_) {
        failed_ = true;
        return false;
      }
      continuation_needed_--;
      next_min_ = 0x80;
      next_max_ = 0xBF;
    }
  }
  return true;
}

void utf8_sanitize(std::string_view in, std::string* out) {
  static const char kReplacement[] = "\xEF\xBF\xBD";
  out->reserve(out->size() + in.size());
  Reader r(in);
  uint8_t b;
  while (r.u8(&b)) {
    Utf8Lead lead = classify_lead(b);
    if (!lead.ok) {
      out->append(kReplacement, 3);
      continue;
    }
    // Accept continuation bytes while they fit; the first misfit is not
    // consumed, so it gets its own chance as a lead byte.
    size_t start = r.offset() - 1;
    uint8_t lo = lead.first_min, hi = lead.first_max;
    uint8_t got = 0;
    while (got < lead.continuation_count) {
      int next = r.peek();
      if (next < lo || next > hi) break;
      r.skip(1);
      got++;
      lo = 0x80;
      hi = 0xBF;
    }
    if (got == lead.continuation_count) {
      out->append(in.substr(start, 1 + got));
    } else {
      out->append(kReplacement, 3);
    }
  }
}
