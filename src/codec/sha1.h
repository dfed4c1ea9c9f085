// SHA-1 (FIPS 180-4). Used only for the WebSocket handshake
// (Sec-WebSocket-Accept), where collision resistance does not matter.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string_view>

/// The 20-byte digest of `size` bytes at `data`.
void sha1(const void* data, size_t size, uint8_t digest[20]);

/// Incremental form, for hashing pieces without concatenating them.
class Sha1 {
 public:
  Sha1();
  void update(const void* data, size_t size);
  void update(std::string_view s) { update(s.data(), s.size()); }
  /// Writes the digest; the object must not be updated afterwards.
  void finish(uint8_t digest[20]);

 private:
  void compress(const uint8_t block[64]);

  uint32_t state_[5];
  uint64_t total_bytes_ = 0;
  uint8_t block_[64];
  size_t block_used_ = 0;
};
