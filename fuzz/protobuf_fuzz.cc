// Walks every field of arbitrary bytes as a protobuf message, recursing
// into length-delimited fields as if they were nested messages.
#include <stdint.h>
#include <stdlib.h>

#include "codec/protobuf.h"

namespace {

void walk(std::string_view message, int depth) {
  if (depth > 8) return;
  ProtoReader r(message);
  uint32_t field, wire_type;
  bool error = false;
  size_t seen_bytes = 0;
  while (r.next(&field, &wire_type, &error)) {
    if (field == 0 || field > 0x1FFFFFFF) abort();
    if (wire_type == kProtoLengthDelimited) {
      std::string_view inner = r.bytes();
      seen_bytes += inner.size();
      if (seen_bytes > message.size()) abort();
      walk(inner, depth + 1);
    } else if (wire_type != kProtoVarint && wire_type != kProtoFixed32 &&
               wire_type != kProtoFixed64) {
      abort();
    }
  }
  // After the end or an error, next() must keep saying so.
  bool error_again = false;
  if (r.next(&field, &wire_type, &error_again) || error_again != error) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  walk(std::string_view(reinterpret_cast<const char*>(data), size), 0);
  return 0;
}
