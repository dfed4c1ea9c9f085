// der_read over arbitrary bytes, walking into constructed elements (tag bit
// 0x20) as a certificate parser would, and checking what it returns: every
// element lies inside its input, its contents end it, and an element whose
// length was written in the minimal form comes back unchanged from der_append.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <string>

#include "codec/der.h"

namespace {

void walk(std::string_view input, int depth) {
  Reader r(input);
  DerElement e;
  while (der_read(&r, &e)) {
    if (e.whole.data() < input.data() || e.whole.data() + e.whole.size() > input.data() + input.size()) abort();
    if (e.whole.size() < e.value.size() + 2) abort();
    if (e.value.data() + e.value.size() != e.whole.data() + e.whole.size()) abort();
    std::string again;
    der_append(&again, e.tag, e.value);
    if (again.size() > e.whole.size()) abort();
    if (again.size() == e.whole.size() && again != e.whole) abort();
    if ((e.tag & 0x20) && depth < 16) walk(e.value, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  walk(std::string_view(reinterpret_cast<const char*>(data), size), 0);
  return 0;
}
