// Raw inflate over arbitrary bytes: must never crash, read or write out of
// bounds, or produce more than the cap.
#include <stdint.h>
#include <stdlib.h>

#include <string>

#include "base/reader.h"
#include "codec/inflate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kMaxOutBytes = 1 << 20;
  Reader in(data, size);
  std::string out = "prefix", err;
  bool ok = inflate_raw(&in, &out, kMaxOutBytes, &err);
  if (out.size() > kMaxOutBytes + 6) abort();
  if (out.compare(0, 6, "prefix") != 0) abort();
  if (!ok && err.empty()) abort();
  if (ok && in.offset() > size) abort();
  return 0;
}
