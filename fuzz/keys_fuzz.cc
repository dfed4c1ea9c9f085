// key_decode properties:
//  - a decoded key consumes between 1 and size bytes;
//  - with the input idle, any non-empty input yields a key;
//  - "need more" happens only for a short buffer that an idle decode then
//    consumes whole;
//  - bytes arriving in any chunking decode to the same keys as all at once.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "client/keys.h"

namespace {

struct Decoded {
  KeyCode code;
  char ch;
  size_t bytes;
  bool operator==(const Decoded& o) const {
    return code == o.code && ch == o.ch && bytes == o.bytes;
  }
};

// Decodes what `buffer` holds (keeping an incomplete tail unless idle).
void drain(std::string* buffer, bool idle, std::vector<Decoded>* keys) {
  for (;;) {
    Key key;
    size_t consumed = 0;
    bool got = key_decode(*buffer, idle, &key, &consumed);
    if (!got) {
      if (idle && !buffer->empty()) abort();
      if (!buffer->empty()) {
        // Waiting is only allowed for a short, incomplete sequence.
        if (buffer->size() >= kKeyMaxSequenceBytes) abort();
        Key idle_key;
        size_t idle_consumed = 0;
        if (!key_decode(*buffer, true, &idle_key, &idle_consumed)) abort();
        if (idle_consumed != buffer->size()) abort();
      }
      return;
    }
    if (consumed == 0 || consumed > buffer->size()) abort();
    if (key.code == KeyCode::Char && (key.ch < 0x20 || key.ch > 0x7e)) abort();
    if (key.code == KeyCode::None) abort();
    keys->push_back({key.code, key.ch, consumed});
    buffer->erase(0, consumed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint32_t seed = data[0];
  std::string stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<Decoded> whole;
  std::string buffer = stream;
  drain(&buffer, false, &whole);
  drain(&buffer, true, &whole);

  std::vector<Decoded> chunked;
  buffer.clear();
  size_t at = 0;
  while (at < stream.size()) {
    seed = seed * 1103515245u + 12345u;
    size_t chunk = 1 + (seed >> 16) % 9;
    if (chunk > stream.size() - at) chunk = stream.size() - at;
    buffer.append(stream, at, chunk);
    at += chunk;
    drain(&buffer, false, &chunked);
  }
  drain(&buffer, true, &chunked);

  if (!(whole == chunked)) abort();
  size_t total = 0;
  for (const Decoded& d : whole) total += d.bytes;
  if (total != stream.size()) abort();
  return 0;
}
