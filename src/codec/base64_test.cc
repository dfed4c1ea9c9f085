#include "codec/base64.h"

#include "base/test.h"

namespace {

std::string decoded(std::string_view text) {
  std::string out;
  if (!base64_decode(text, &out)) return "<error>";
  return out;
}

}  // namespace

TEST(base64_rfc4648_encode) {
  EXPECT_EQ(base64_encode(""), std::string(""));
  EXPECT_EQ(base64_encode("f"), std::string("Zg=="));
  EXPECT_EQ(base64_encode("fo"), std::string("Zm8="));
  EXPECT_EQ(base64_encode("foo"), std::string("Zm9v"));
  EXPECT_EQ(base64_encode("foob"), std::string("Zm9vYg=="));
  EXPECT_EQ(base64_encode("fooba"), std::string("Zm9vYmE="));
  EXPECT_EQ(base64_encode("foobar"), std::string("Zm9vYmFy"));
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\x00", 3)), std::string("+/8A"));
}

TEST(base64_rfc4648_decode) {
  EXPECT_EQ(decoded(""), std::string(""));
  EXPECT_EQ(decoded("Zg=="), std::string("f"));
  EXPECT_EQ(decoded("Zm8="), std::string("fo"));
  EXPECT_EQ(decoded("Zm9v"), std::string("foo"));
  EXPECT_EQ(decoded("Zm9vYg=="), std::string("foob"));
  EXPECT_EQ(decoded("Zm9vYmE="), std::string("fooba"));
  EXPECT_EQ(decoded("Zm9vYmFy"), std::string("foobar"));
  EXPECT_EQ(decoded("+/8A"), std::string("\xfb\xff\x00", 3));
  // A WebSocket key is 16 random bytes.
  EXPECT_EQ(decoded("dGhlIHNhbXBsZSBub25jZQ=="), std::string("the sample nonce"));
}

TEST(base64_decode_rejects_malformed) {
  EXPECT_EQ(decoded("Zg"), std::string("<error>"));       // padding required
  EXPECT_EQ(decoded("Zg="), std::string("<error>"));
  EXPECT_EQ(decoded("Zm9"), std::string("<error>"));
  EXPECT_EQ(decoded("Zm9v\n"), std::string("<error>"));   // no whitespace
  EXPECT_EQ(decoded("Zm 9"), std::string("<error>"));
  EXPECT_EQ(decoded("Zm-_"), std::string("<error>"));     // base64url alphabet
  EXPECT_EQ(decoded("Z==="), std::string("<error>"));
  EXPECT_EQ(decoded("===="), std::string("<error>"));
  EXPECT_EQ(decoded("Zg=a"), std::string("<error>"));     // '=' only at the end
  EXPECT_EQ(decoded("Zg==Zg=="), std::string("<error>"));
  EXPECT_EQ(decoded("Zh=="), std::string("<error>"));     // non-zero pad bits
  EXPECT_EQ(decoded("Zm9="), std::string("<error>"));
  EXPECT_EQ(decoded(std::string("Zm9\0", 4)), std::string("<error>"));
  EXPECT_EQ(decoded("Zm9v\x80\x80\x80\x80"), std::string("<error>"));
}

TEST(base64_decode_appends_and_keeps_output_on_error) {
  std::string out = "x";
  EXPECT(base64_decode("Zm8=", &out));
  EXPECT_EQ(out, std::string("xfo"));
  EXPECT(!base64_decode("Zm9vZ", &out));
  EXPECT_EQ(out, std::string("xfo"));
}

TEST(base64_roundtrip_all_byte_values) {
  std::string bytes;
  for (int i = 0; i < 256; i++) bytes += char(i);
  for (size_t n = 0; n <= bytes.size(); n += 37) {
    std::string part = bytes.substr(0, n);
    EXPECT_EQ(decoded(base64_encode(part)), part);
  }
}
