#include "codec/crc32.h"

#include <string>

#include "base/test.h"

TEST(crc32_check_value) {
  // The standard check value of CRC-32/ISO-HDLC (gzip, zip, PNG).
  EXPECT_EQ(crc32_update(0, "123456789", 9), 0xCBF43926u);
}

TEST(crc32_empty_is_zero) {
  EXPECT_EQ(crc32_update(0, "", 0), 0u);
  EXPECT_EQ(crc32_update(0x12345678u, "", 0), 0x12345678u);
}

TEST(crc32_known_strings) {
  std::string fox = "The quick brown fox jumps over the lazy dog";
  EXPECT_EQ(crc32_update(0, fox.data(), fox.size()), 0x414FA339u);
  EXPECT_EQ(crc32_update(0, "a", 1), 0xE8B7BE43u);
  const unsigned char zeros[32] = {};
  EXPECT_EQ(crc32_update(0, zeros, sizeof zeros), 0x190A55ADu);
}

TEST(crc32_pieces_equal_whole) {
  std::string data;
  for (int i = 0; i < 1000; i++) data.push_back(static_cast<char>(i * 7 + (i >> 3)));
  uint32_t whole = crc32_update(0, data.data(), data.size());
  uint32_t crc = 0;
  for (size_t at = 0; at < data.size(); at += 37) {
    size_t piece = data.size() - at < 37 ? data.size() - at : 37;
    crc = crc32_update(crc, data.data() + at, piece);
  }
  EXPECT_EQ(crc, whole);
}
