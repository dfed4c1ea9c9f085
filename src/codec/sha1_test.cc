#include "codec/sha1.h"

#include <stdio.h>

#include <string>

#include "base/test.h"
#include "codec/base64.h"

namespace {

std::string hex(const uint8_t digest[20]) {
  std::string out;
  char buf[3];
  for (int i = 0; i < 20; i++) {
    snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

std::string sha1_hex(std::string_view s) {
  uint8_t digest[20];
  sha1(s.data(), s.size(), digest);
  return hex(digest);
}

}  // namespace

TEST(sha1_fips180_short_vectors) {
  EXPECT_EQ(sha1_hex(""), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  EXPECT_EQ(sha1_hex("abc"), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"));
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            std::string("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
}

TEST(sha1_fips180_million_a) {
  std::string a(1000000, 'a');
  EXPECT_EQ(sha1_hex(a), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
  // Same message through the incremental API in odd-sized pieces.
  Sha1 h;
  for (size_t done = 0; done < a.size();) {
    size_t n = a.size() - done < 7 ? a.size() - done : 7;
    h.update(a.data() + done, n);
    done += n;
  }
  uint8_t digest[20];
  h.finish(digest);
  EXPECT_EQ(hex(digest), std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"));
}

TEST(sha1_padding_boundaries) {
  // 55 bytes: length fits in the same block; 56..64: padding spills over.
  EXPECT_EQ(sha1_hex(std::string(55, 'a')), std::string("c1c8bbdc22796e28c0e15163d20899b65621d65a"));
  EXPECT_EQ(sha1_hex(std::string(56, 'a')), std::string("c2db330f6083854c99d4b5bfb6e8f29f201be699"));
  EXPECT_EQ(sha1_hex(std::string(63, 'a')), std::string("03f09f5b158a7a8cdad920bddc29b81c18a551f5"));
  EXPECT_EQ(sha1_hex(std::string(64, 'a')), std::string("0098ba824b5c16427bd7a1122a5a442a25ec644d"));
  EXPECT_EQ(sha1_hex(std::string(119, 'a')), std::string("ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56"));
  EXPECT_EQ(sha1_hex(std::string(120, 'a')), std::string("f34c1488385346a55709ba056ddd08280dd4c6d6"));
}

TEST(sha1_websocket_accept_rfc6455) {
  Sha1 h;
  h.update("dGhlIHNhbXBsZSBub25jZQ==");
  h.update("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
  uint8_t digest[20];
  h.finish(digest);
  std::string accept = base64_encode(
      std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  EXPECT_EQ(accept, std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}
