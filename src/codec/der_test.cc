#include "codec/der.h"

#include <string>

#include "base/test.h"

TEST(der_read_length_forms) {
  std::string input("\x02\x01\x05", 3);                         // short form
  input += std::string("\x04\x81\x80", 3) + std::string(0x80, 'a');  // one length byte
  input += std::string("\x30\x82\x01\x00", 4) + std::string(0x100, 'b');  // two
  Reader r(input);
  DerElement e;
  ASSERT(der_read(&r, &e));
  EXPECT_EQ(e.tag, 0x02);
  EXPECT_EQ(e.value, std::string("\x05", 1));
  EXPECT_EQ(e.whole, std::string("\x02\x01\x05", 3));
  ASSERT(der_read(&r, &e));
  EXPECT_EQ(e.tag, 0x04);
  EXPECT_EQ(e.value.size(), 0x80u);
  EXPECT_EQ(e.whole.size(), 0x83u);
  ASSERT(der_read(&r, &e));
  EXPECT_EQ(e.tag, 0x30);
  EXPECT_EQ(e.value, std::string(0x100, 'b'));
  EXPECT(r.empty());
  EXPECT(!der_read(&r, &e));
}

TEST(der_read_refuses_without_moving) {
  const std::string cases[] = {
      std::string("\x30", 1),                  // no length
      std::string("\x30\x05\x01\x02", 4),      // short contents
      std::string("\x30\x81", 2),              // length byte missing
      std::string("\x30\x82\x01", 3),          // half a length
      std::string("\x30\x80\x00\x00", 4),      // indefinite length
      std::string("\x30\x83\x00\x00\x01", 5),  // three length bytes
  };
  for (const std::string& input : cases) {
    Reader r(input);
    DerElement e;
    EXPECT(!der_read(&r, &e));
    EXPECT_EQ(r.offset(), 0u);
  }
}

TEST(der_append_uses_the_minimal_length_form) {
  for (size_t n : {size_t{0}, size_t{0x7f}, size_t{0x80}, size_t{0xff}, size_t{0x100}, size_t{0xffff}}) {
    std::string out;
    der_append(&out, 0x04, std::string(n, 'x'));
    size_t header = n < 0x80 ? 2 : n < 0x100 ? 3 : 4;
    EXPECT_EQ(out.size(), header + n);
    Reader r(out);
    DerElement e;
    ASSERT(der_read(&r, &e));
    EXPECT_EQ(e.tag, 0x04);
    EXPECT_EQ(e.value.size(), n);
    EXPECT_EQ(e.whole, out);
  }
}
