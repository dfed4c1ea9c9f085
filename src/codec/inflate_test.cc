#include "codec/inflate.h"

#include <string>
#include <vector>

#include "base/test.h"

namespace {

/// Builds deflate streams bit by bit, so tests can state each field.
class StreamBuilder {
 public:
  /// `count` bits of `value`, least significant first (header fields, extra bits).
  StreamBuilder& bits(uint32_t value, int count) {
    for (int i = 0; i < count; i++) push_bit((value >> i) & 1);
    return *this;
  }
  /// A Huffman code, most significant bit first (RFC 1951 3.1.1).
  StreamBuilder& code(uint32_t value, int length) {
    for (int i = length - 1; i >= 0; i--) push_bit((value >> i) & 1);
    return *this;
  }
  /// A symbol of the fixed lit/len code (RFC 1951 3.2.6).
  StreamBuilder& fixed(int symbol) {
    if (symbol < 144) return code(0x30 + symbol, 8);
    if (symbol < 256) return code(0x190 + symbol - 144, 9);
    if (symbol < 280) return code(symbol - 256, 7);
    return code(0xc0 + symbol - 280, 8);
  }
  StreamBuilder& fixed_dist(int symbol) { return code(symbol, 5); }
  StreamBuilder& raw(const std::string& bytes) {
    for (unsigned char c : bytes) bits(c, 8);
    return *this;
  }
  StreamBuilder& align() {
    while (bit_count_ % 8) push_bit(0);
    return *this;
  }
  std::string done() {
    align();
    return bytes_;
  }

 private:
  void push_bit(uint32_t bit) {
    if (bit_count_ % 8 == 0) bytes_.push_back('\0');
    if (bit) bytes_.back() = static_cast<char>(bytes_.back() | (1 << (bit_count_ % 8)));
    bit_count_++;
  }

  std::string bytes_;
  int bit_count_ = 0;
};

struct InflateResult {
  bool ok;
  std::string out;
  std::string err;
  size_t consumed;
};

InflateResult run_inflate(const std::string& stream, size_t max_out_bytes = 1 << 20) {
  InflateResult r;
  Reader in(stream);
  r.ok = inflate_raw(&in, &r.out, max_out_bytes, &r.err);
  r.consumed = in.offset();
  return r;
}

/// Dynamic block header whose code-length code gives symbols 0, 1, 2 and 18
/// two bits each (0=00, 1=01, 2=10, 18=11), then the given lengths.
void dynamic_header(StreamBuilder* s, int hlit, int hdist, const std::vector<int>& lengths) {
  s->bits(1, 1).bits(2, 2).bits(static_cast<uint32_t>(hlit - 257), 5);
  s->bits(static_cast<uint32_t>(hdist - 1), 5).bits(18 - 4, 4);
  // Order: 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1
  const int cl[18] = {0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2};
  for (int len : cl) s->bits(static_cast<uint32_t>(len), 3);
  for (size_t i = 0; i < lengths.size();) {
    size_t run = 0;
    while (i + run < lengths.size() && lengths[i + run] == 0 && run < 138) run++;
    if (run >= 11) {
      s->code(3, 2).bits(static_cast<uint32_t>(run - 11), 7);
      i += run;
    } else {
      s->code(static_cast<uint32_t>(lengths[i]), 2);
      i++;
    }
  }
}

/// Lengths for a lit/len code over {0, 256, 257, 258} (2 bits each:
/// 0=00, 256=01, 257=10, 258=11) followed by the given distance lengths.
std::vector<int> four_symbol_litlen(std::vector<int> dist_lengths) {
  std::vector<int> lengths(259, 0);
  lengths[0] = lengths[256] = lengths[257] = lengths[258] = 2;
  lengths.insert(lengths.end(), dist_lengths.begin(), dist_lengths.end());
  return lengths;
}

std::string expect_error(const std::string& stream, size_t max_out_bytes = 1 << 20) {
  InflateResult r = run_inflate(stream, max_out_bytes);
  EXPECT(!r.ok);
  return r.err;
}

}  // namespace

TEST(inflate_stored_block) {
  std::string stream = std::string("\x01\x05\x00\xfa\xff", 5) + "hello" + "TAIL";
  InflateResult r = run_inflate(stream);
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "hello");
  EXPECT_EQ(r.consumed, 10u);  // stops before the trailer
}

TEST(inflate_stored_then_fixed) {
  // Non-final stored "ab", then a final fixed block "c" + copy(3, 3).
  std::string stream = std::string("\x00\x02\x00\xfd\xff", 5) + "ab";
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed('c').fixed(257).fixed_dist(2).fixed(256);
  InflateResult r = run_inflate(stream + s.done());
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "abcabc");
}

TEST(inflate_fixed_handmade) {
  // 'a' 'b', then length 4 at distance 2 (overlapping copy), end of block.
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed('a').fixed('b').fixed(258).fixed_dist(1).fixed(256);
  std::string stream = s.done();
  EXPECT_EQ(stream, std::string("\x4b\x4c\x02\x41\x00", 5));  // zlib.decompress(.., -15): "ababab"
  InflateResult r = run_inflate(stream);
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "ababab");
  EXPECT_EQ(r.consumed, 5u);
}

TEST(inflate_fixed_from_zlib) {
  // Python: zlib.compressobj(9, DEFLATED, -15, 9, Z_FIXED) of the text below.
  std::string stream("\x4b\x4c\x4a\x4e\x84\x21\x85\x8c\xd4\x9c\x9c\x7c\x08\x09\x00", 15);
  InflateResult r = run_inflate(stream);
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "abcabcabcabc hello hello");
  EXPECT_EQ(r.consumed, stream.size());
}

TEST(inflate_dynamic_from_zlib) {
  // Python: zlib.compressobj(9, DEFLATED, -15) of 60 "line N: ..." lines.
  static const char kStream[] =
      "\x6d\xd3\x49\x0e\xc2\x30\x0c\x05\xd0\x3d\xa7\xf0\x11\xf0\xc4\xe0\xdb\x40\x29\x50"
      "\x54\x71\xff\x25\x02\xa9\xc4\xd3\xce\xff\x6f\xf2\x94\x38\xeb\xf2\x9e\x61\x6f\x70"
      "\xb9\x4e\xb7\xf9\xfe\x78\x2e\xaf\xdd\xfa\xad\xd0\x20\x35\x64\x10\x0b\x36\x08\x59"
      "\x0c\x7c\x54\x03\x97\x0e\x06\x23\x1c\x0d\xfe\xf3\xc9\x60\x1b\xcf\x06\xdb\xe9\x9d"
      "\xa8\x92\xb0\x98\x30\xa3\x30\xa9\x30\xb2\x30\xb8\xd0\xc3\xd0\xc9\x70\xd0\xa8\xa1"
      "\x51\x73\x5b\x85\x46\x99\x46\x89\x46\x91\x46\x81\x46\x9e\x46\x8e\x46\x83\xc6\x0d"
      "\x8d\x2b\x8d\xeb\x4b\x66\x1a\x27\x1a\x47\x1a\x07\x1a\x7b\x1a\x3b\x1a\x0f\x9a\x34"
      "\x34\xa9\x34\x29\x34\x29\x5b\x96\x68\x12\x69\x12\x68\xe2\x69\xe2\x68\x32\x68\xda"
      "\xd0\xb4\xd2\xb4\xd0\x34\xd3\x34\xff\x80\x48\xd3\x40\x53\x4f\x53\x47\xd3\x1f\xed"
      "\x03";
  std::string stream(kStream, sizeof kStream - 1);
  EXPECT_EQ(stream.size(), 181u);
  std::string expected;
  const std::string letters = "abcdefghij";
  for (int i = 0; i < 60; i++)
    expected += "line " + std::to_string(i) + ": " + letters.substr(i % 10) + "\n";
  InflateResult r = run_inflate(stream + "XY");
  EXPECT(r.ok);
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.consumed, 181u);

  // Every truncation of it is an error, never a short success.
  for (size_t n = 0; n < stream.size(); n++) {
    InflateResult cut = run_inflate(stream.substr(0, n));
    EXPECT(!cut.ok);
    if (n == 90) EXPECT_EQ(cut.err, "inflate: truncated input");
  }
}

TEST(inflate_max_distance_and_length) {
  // 32768 stored bytes, then a fixed block copying 258 bytes from 32768 back:
  // length symbol 284 + 5 extra bits (31), distance symbol 29 + 13 extra bits.
  std::string window;
  for (int i = 0; i < 32768; i++) window.push_back(static_cast<char>(i * 131 % 251));
  std::string stream = std::string("\x00\x00\x80\xff\x7f", 5) + window;
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed(284).bits(31, 5).fixed_dist(29).bits(32768 - 24577, 13);
  s.fixed(256);
  InflateResult r = run_inflate(stream + s.done());
  EXPECT(r.ok);
  EXPECT_EQ(r.out.size(), 32768u + 258);
  EXPECT(r.out == window + window.substr(0, 258));
  EXPECT_EQ(r.out.size(), 33026u);

  // Symbol 285 is length 258 without extra bits; one byte less of window fails.
  StreamBuilder t;
  t.bits(1, 1).bits(1, 2).fixed(285).fixed_dist(29).bits(32768 - 24577, 13).fixed(256);
  std::string short_window = std::string("\x00\xff\x7f\x00\x80", 5) + window.substr(1);
  EXPECT_EQ(expect_error(short_window + t.done()), "inflate: distance too far back");
}

TEST(inflate_appends_and_distances_stay_in_call) {
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed('x').fixed(257).fixed_dist(0).fixed(256);
  std::string stream = s.done();
  Reader in(stream);
  std::string out = "old", err;
  EXPECT(inflate_raw(&in, &out, 100, &err));
  EXPECT_EQ(out, "oldxxxx");

  // A copy at the very start may not reach into what *out held before.
  StreamBuilder t;
  t.bits(1, 1).bits(1, 2).fixed(257).fixed_dist(0).fixed(256);
  std::string stream2 = t.done();
  Reader in2(stream2);
  EXPECT(!inflate_raw(&in2, &out, 100, &err));
  EXPECT_EQ(err, "inflate: distance too far back");
}

TEST(inflate_output_limit) {
  std::string stored = std::string("\x01\x05\x00\xfa\xff", 5) + "hello";
  EXPECT(run_inflate(stored, 5).ok);
  EXPECT_EQ(expect_error(stored, 4), "inflate: output exceeds limit");

  StreamBuilder s;  // "ab" + copy of 4: 6 bytes
  s.bits(1, 1).bits(1, 2).fixed('a').fixed('b').fixed(258).fixed_dist(1).fixed(256);
  std::string fixed = s.done();
  EXPECT(run_inflate(fixed, 6).ok);
  EXPECT_EQ(expect_error(fixed, 5), "inflate: output exceeds limit");  // in the copy
  EXPECT_EQ(expect_error(fixed, 1), "inflate: output exceeds limit");  // at a literal
}

TEST(inflate_error_block_type_3) {
  EXPECT_EQ(expect_error(std::string("\x07\x00", 2)), "inflate: invalid block type 3");
}

TEST(inflate_error_stored_length_check) {
  std::string stream = std::string("\x01\x05\x00\xfa\xfe", 5) + "hello";
  EXPECT_EQ(expect_error(stream), "inflate: stored block length check failed");
}

TEST(inflate_error_truncated) {
  EXPECT_EQ(expect_error(""), "inflate: truncated input");
  EXPECT_EQ(expect_error(std::string("\x01\x05\x00\xfa\xff" "hell", 9)), "inflate: truncated input");
  EXPECT_EQ(expect_error(std::string("\x01\x05\x00", 3)), "inflate: truncated input");
  // A non-final block with nothing after it.
  EXPECT_EQ(expect_error(std::string("\x00\x00\x00\xff\xff", 5)), "inflate: truncated input");
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed('a').fixed('b').fixed(258).fixed_dist(1).fixed(256);
  std::string fixed = s.done();
  for (size_t n = 0; n < fixed.size(); n++) EXPECT(!run_inflate(fixed.substr(0, n)).ok);
}

TEST(inflate_error_fixed_invalid_symbols) {
  for (int symbol : {286, 287}) {
    StreamBuilder s;
    s.bits(1, 1).bits(1, 2).fixed('a').fixed(symbol).fixed_dist(0).fixed(256);
    EXPECT_EQ(expect_error(s.done()), "inflate: invalid length symbol");
  }
  for (int dist : {30, 31}) {
    StreamBuilder s;
    s.bits(1, 1).bits(1, 2).fixed('a').fixed(257).fixed_dist(dist).fixed(256);
    EXPECT_EQ(expect_error(s.done()), "inflate: invalid distance symbol");
  }
}

TEST(inflate_error_distance_too_far) {
  StreamBuilder s;
  s.bits(1, 1).bits(1, 2).fixed('a').fixed(257).fixed_dist(1).fixed(256);  // distance 2
  EXPECT_EQ(expect_error(s.done()), "inflate: distance too far back");
}

TEST(inflate_dynamic_handmade) {
  // Lit/len {0, 256, 257, 258}, one distance code of one bit (allowed):
  // literal 0, copy 3 at distance 1, copy 4 at distance 1, end.
  StreamBuilder s;
  dynamic_header(&s, 259, 1, four_symbol_litlen({1}));
  s.code(0, 2).code(2, 2).code(0, 1).code(3, 2).code(0, 1).code(1, 2);
  InflateResult r = run_inflate(s.done());
  EXPECT(r.ok);
  EXPECT_EQ(r.out, std::string(8, '\0'));

  // No distance code at all is fine for a block of literals only.
  StreamBuilder t;
  dynamic_header(&t, 259, 1, four_symbol_litlen({0}));
  t.code(0, 2).code(1, 2);
  r = run_inflate(t.done());
  EXPECT(r.ok);
  EXPECT_EQ(r.out, std::string(1, '\0'));
}

TEST(inflate_error_unused_code) {
  // The single distance code is "0"; the bit "1" is no code at all.
  StreamBuilder s;
  dynamic_header(&s, 259, 1, four_symbol_litlen({1}));
  s.code(0, 2).code(2, 2).code(1, 1).code(1, 2);
  EXPECT_EQ(expect_error(s.done()), "inflate: invalid Huffman code");
}

TEST(inflate_error_too_many_symbols) {
  StreamBuilder s;
  s.bits(1, 1).bits(2, 2).bits(30, 5).bits(0, 5).bits(0, 4);  // HLIT = 287
  EXPECT_EQ(expect_error(s.done()), "inflate: too many length symbols");
  StreamBuilder t;
  t.bits(1, 1).bits(2, 2).bits(0, 5).bits(30, 5).bits(0, 4);  // HDIST = 31
  EXPECT_EQ(expect_error(t.done()), "inflate: too many distance symbols");
}

TEST(inflate_error_code_length_code) {
  StreamBuilder s;  // symbols 16, 17, 18, 0 all one bit long
  s.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(0, 4);
  s.bits(1, 3).bits(1, 3).bits(1, 3).bits(1, 3);
  EXPECT_EQ(expect_error(s.done()), "inflate: over-subscribed code-length code");
  StreamBuilder t;  // only symbol 18, one bit: incomplete, never allowed here
  t.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(0, 4);
  t.bits(0, 3).bits(0, 3).bits(1, 3).bits(0, 3);
  EXPECT_EQ(expect_error(t.done()), "inflate: incomplete code-length code");
}

TEST(inflate_error_repeat_without_previous) {
  StreamBuilder s;  // code-length code: 0 = "0", 16 = "1"; then 16 first
  s.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(0, 4);
  s.bits(1, 3).bits(0, 3).bits(0, 3).bits(1, 3);
  s.code(1, 1).bits(0, 2);
  EXPECT_EQ(expect_error(s.done()), "inflate: length repeat with no previous length");
}

TEST(inflate_error_code_lengths_overflow) {
  StreamBuilder s;  // 258 lengths wanted; two runs of 138 zeros are 276
  s.bits(1, 1).bits(2, 2).bits(0, 5).bits(0, 5).bits(14, 4);
  const int cl[18] = {0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2};
  for (int len : cl) s.bits(static_cast<uint32_t>(len), 3);
  s.code(3, 2).bits(127, 7).code(3, 2).bits(127, 7);
  EXPECT_EQ(expect_error(s.done()), "inflate: code lengths overflow");
}

TEST(inflate_error_missing_end_of_block) {
  StreamBuilder s;
  std::vector<int> lengths(258, 0);
  lengths[0] = lengths[1] = 1;
  lengths[257] = 1;
  dynamic_header(&s, 257, 1, lengths);
  EXPECT_EQ(expect_error(s.done()), "inflate: missing end-of-block code");
}

TEST(inflate_error_bad_litlen_code) {
  StreamBuilder s;  // four one-bit codes
  std::vector<int> lengths(258, 0);
  lengths[0] = lengths[1] = lengths[2] = lengths[256] = 1;
  lengths[257] = 1;
  dynamic_header(&s, 257, 1, lengths);
  EXPECT_EQ(expect_error(s.done()), "inflate: over-subscribed literal/length code");

  StreamBuilder t;  // two two-bit codes leave half the code space unused
  lengths.assign(258, 0);
  lengths[0] = lengths[256] = 2;
  lengths[257] = 1;
  dynamic_header(&t, 257, 1, lengths);
  EXPECT_EQ(expect_error(t.done()), "inflate: incomplete literal/length code");

  StreamBuilder u;  // a single lit/len code of two bits: incomplete
  lengths.assign(258, 0);
  lengths[256] = 2;
  dynamic_header(&u, 257, 1, lengths);
  EXPECT_EQ(expect_error(u.done()), "inflate: incomplete literal/length code");
}

TEST(inflate_error_bad_distance_code) {
  StreamBuilder s;
  dynamic_header(&s, 259, 3, four_symbol_litlen({1, 1, 1}));
  EXPECT_EQ(expect_error(s.done()), "inflate: over-subscribed distance code");
  StreamBuilder t;
  dynamic_header(&t, 259, 2, four_symbol_litlen({2, 2}));
  EXPECT_EQ(expect_error(t.done()), "inflate: incomplete distance code");
}
