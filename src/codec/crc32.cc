#include "codec/crc32.h"

namespace {

// The byte-at-a-time table is computed by the compiler: 1 KiB of read-only
// data, no start-up work and no writable memory.
struct Crc32Table {
  uint32_t entry[256];
};

constexpr Crc32Table make_crc32_table() {
  Crc32Table table{};
  for (uint32_t byte = 0; byte < 256; byte++) {
    uint32_t crc = byte;
    for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ ((crc & 1) ? 0xEDB88320u : 0);
    table.entry[byte] = crc;
  }
  return table;
}

constexpr Crc32Table kCrc32Table = make_crc32_table();

}  // namespace

uint32_t crc32_update(uint32_t crc, const void* data, size_t size) {
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  crc = ~crc;  // pre- and post-inversion make `0` the start value
  for (size_t i = 0; i < size; i++)
    crc = kCrc32Table.entry[(crc ^ bytes[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}
