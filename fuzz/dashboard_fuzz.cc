// The dashboard's request-header parsers: Accept-Encoding and If-None-Match.
#include <stddef.h>
#include <stdint.h>

#include <string_view>

#include "agent/dashboard.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  dashboard_accepts_gzip(input);
  dashboard_etag_matches(input, "\"0123456789abcdef\"");
  dashboard_etag_matches(input, "");
  return 0;
}
