// A plugin's stdout through plugin_output_to_json: whatever is accepted must
// come out as JSON that is accepted again and written back byte for byte
// the same (the compact form is a fixed point).
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "agent/plugin_output.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string once, twice, err;
  if (!plugin_output_to_json(text, &once, &err)) {
    if (err.compare(0, 10, "bad JSON: ") != 0) abort();
    return 0;
  }
  if (!plugin_output_to_json(once, &twice, &err)) abort();
  if (once != twice) abort();
  return 0;
}
