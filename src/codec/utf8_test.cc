#include "codec/utf8.h"

#include "base/test.h"

namespace {

std::string sanitized(std::string_view in) {
  std::string out;
  utf8_sanitize(in, &out);
  return out;
}

// Feeds `s` one byte at a time; returns the index of the byte where
// feed() failed, or -1 if every byte was accepted.
int first_failing_byte(std::string_view s) {
  Utf8Validator v;
  for (size_t i = 0; i < s.size(); i++) {
    if (!v.feed(s.substr(i, 1))) return int(i);
  }
  return -1;
}

}  // namespace

TEST(utf8_valid_accepts_well_formed) {
  EXPECT(utf8_valid(""));
  EXPECT(utf8_valid("plain ascii \x7f"));
  EXPECT(utf8_valid(std::string("\0", 1)));
  EXPECT(utf8_valid("\xc2\x80"));               // U+0080, first 2-byte
  EXPECT(utf8_valid("\xdf\xbf"));               // U+07FF
  EXPECT(utf8_valid("\xe0\xa0\x80"));           // U+0800, first 3-byte
  EXPECT(utf8_valid("\xed\x9f\xbf"));           // U+D7FF, below surrogates
  EXPECT(utf8_valid("\xee\x80\x80"));           // U+E000, above surrogates
  EXPECT(utf8_valid("\xef\xbf\xbf"));           // U+FFFF
  EXPECT(utf8_valid("\xf0\x90\x80\x80"));       // U+10000
  EXPECT(utf8_valid("\xf4\x8f\xbf\xbf"));       // U+10FFFF, the last
  EXPECT(utf8_valid("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));  // Kuhn's kosme
}

TEST(utf8_valid_rejects_kuhn_cases) {
  EXPECT(!utf8_valid("\xc0\xaf"));              // overlong "/"
  EXPECT(!utf8_valid("\xe0\x80\xaf"));          // overlong "/" in 3 bytes
  EXPECT(!utf8_valid("\xf0\x80\x80\xaf"));      // overlong "/" in 4 bytes
  EXPECT(!utf8_valid("\xc1\xbf"));              // overlong U+007F
  EXPECT(!utf8_valid("\xe0\x9f\xbf"));          // overlong U+07FF
  EXPECT(!utf8_valid("\xf0\x8f\xbf\xbf"));      // overlong U+FFFF
  EXPECT(!utf8_valid("\xed\xa0\x80"));          // U+D800 high surrogate
  EXPECT(!utf8_valid("\xed\xbf\xbf"));          // U+DFFF low surrogate
  EXPECT(!utf8_valid("\xed\xa0\x80\xed\xb0\x80"));  // surrogate pair in UTF-8
  EXPECT(!utf8_valid("\xf4\x90\x80\x80"));      // U+110000
  EXPECT(!utf8_valid("\xf5\x80\x80\x80"));
  EXPECT(!utf8_valid("\xf8\x88\x80\x80\x80"));  // 5-byte form
  EXPECT(!utf8_valid("\xfe"));
  EXPECT(!utf8_valid("\xff"));
  EXPECT(!utf8_valid("\x80"));                  // lone continuation
  EXPECT(!utf8_valid("a\xbf" "b"));
  EXPECT(!utf8_valid("\xc2"));                  // truncated sequences
  EXPECT(!utf8_valid("\xe0\xa0"));
  EXPECT(!utf8_valid("\xf0\x90\x80"));
  EXPECT(!utf8_valid("\xc2" "a"));              // continuation replaced by ASCII
  EXPECT(!utf8_valid("\xe1\x80\xe1\x80\x80"));
}

TEST(utf8_validator_fails_at_first_impossible_byte) {
  // Fail fast: the verdict comes at the byte that makes the prefix
  // impossible, not at the end of the sequence.
  EXPECT_EQ(first_failing_byte("ab\xc0\xaf"), 2);
  EXPECT_EQ(first_failing_byte("\xed\xa0\x80"), 1);
  EXPECT_EQ(first_failing_byte("\xf4\x90\x80\x80"), 1);
  EXPECT_EQ(first_failing_byte("\xe0\x80\xaf"), 1);
  EXPECT_EQ(first_failing_byte("\xf5"), 0);
  EXPECT_EQ(first_failing_byte("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80"), 12);
  EXPECT_EQ(first_failing_byte("\xf0\x90\x80" "a"), 3);
  EXPECT_EQ(first_failing_byte("\xf4\x8f\xbf\xbf"), -1);
}

TEST(utf8_validator_split_code_point) {
  // U+10348 (F0 90 8D 88) fed one byte per chunk: open until the last byte.
  Utf8Validator v;
  const char* bytes = "\xf0\x90\x8d\x88";
  for (int i = 0; i < 4; i++) {
    EXPECT(v.feed(std::string_view(bytes + i, 1)));
    EXPECT_EQ(v.complete(), i == 3);
  }
  // Chunks that split two code points differently.
  v.reset();
  EXPECT(v.feed("a\xe2\x82"));
  EXPECT(!v.complete());
  EXPECT(v.feed("\xac\xce"));
  EXPECT(!v.complete());
  EXPECT(v.feed("\xba"));
  EXPECT(v.complete());
  EXPECT(v.feed(""));
  EXPECT(v.complete());
}

TEST(utf8_validator_failure_is_sticky_until_reset) {
  Utf8Validator v;
  EXPECT(!v.feed("\xff"));
  EXPECT(!v.complete());
  EXPECT(!v.feed("a"));
  v.reset();
  EXPECT(v.feed("a"));
  EXPECT(v.complete());
}

TEST(utf8_sanitize_replaces_maximal_subparts) {
  const std::string fffd = "\xef\xbf\xbd";
  EXPECT_EQ(sanitized("abc"), std::string("abc"));
  EXPECT_EQ(sanitized("\xce\xba"), std::string("\xce\xba"));
  EXPECT_EQ(sanitized("a\xff" "b"), "a" + fffd + "b");
  EXPECT_EQ(sanitized("\xc0\xaf"), fffd + fffd);         // C0 is never a lead
  EXPECT_EQ(sanitized("\xed\xa0\x80"), fffd + fffd + fffd);
  EXPECT_EQ(sanitized("\xf4\x90\x80\x80"), fffd + fffd + fffd + fffd);
  EXPECT_EQ(sanitized("\xe2\x82"), fffd);                // truncated at the end
  EXPECT_EQ(sanitized("\xe2\x82" "a"), fffd + "a");      // one FFFD per subpart
  EXPECT_EQ(sanitized("\xf0\x90\x80\xe2\x82\xac"), fffd + "\xe2\x82\xac");
  EXPECT_EQ(sanitized("\x80\x80"), fffd + fffd);
  // Unicode 6.0 §3.9 example: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64
  EXPECT_EQ(sanitized("\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64"),
            "a" + fffd + fffd + fffd + "b" + fffd + "c" + fffd + fffd + "d");
  std::string out = "keep:";
  utf8_sanitize("\xff", &out);
  EXPECT_EQ(out, "keep:" + fffd);
}
