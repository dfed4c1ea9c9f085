// Utf8Validator fed in random splits must agree with utf8_valid, and
// utf8_sanitize output must always be valid (and unchanged when the input
// already was).
#include <stdint.h>
#include <stdlib.h>

#include <string>

#include "codec/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte seeds the chunk sizes; the rest is the text.
  uint32_t seed = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  bool valid = utf8_valid(text);

  Utf8Validator v;
  bool fed_ok = true;
  size_t at = 0;
  while (at < text.size()) {
    seed = seed * 1103515245u + 12345u;
    size_t chunk = 1 + (seed >> 16) % 7;
    if (chunk > text.size() - at) chunk = text.size() - at;
    if (!v.feed(text.substr(at, chunk))) {
      fed_ok = false;
      break;
    }
    at += chunk;
  }
  if (valid != (fed_ok && v.complete())) abort();
  // Fail fast, the other way round: when every chunk was accepted but a
  // code point is still open, some completion must make the text valid.
  if (fed_ok && !v.complete()) {
    bool completable = false;
    const char firsts[] = {'\x80', '\x90', '\xa0'};
    for (char first : firsts) {
      for (size_t more = 0; more < 3 && !completable; more++) {
        std::string candidate(text);
        candidate += first;
        candidate.append(more, '\x80');
        completable = utf8_valid(candidate);
      }
    }
    if (!completable) abort();
  }

  std::string clean;
  utf8_sanitize(text, &clean);
  if (!utf8_valid(clean)) abort();
  if (valid && clean != text) abort();
  return 0;
}
