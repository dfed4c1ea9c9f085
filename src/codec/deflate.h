// Raw DEFLATE (RFC 1951) compressor: LZ77 over a 32 KiB window with short
// hash chains and lazy matching, tuned for speed on Prometheus text; then per
// block of up to 4096 symbols the smallest of stored, fixed Huffman and
// dynamic Huffman coding.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

/// Appends the raw deflate stream (no zlib/gzip header) of `input` to *out.
/// Working tables are allocated for this call only and sized to the input:
/// 2 bytes per input byte (64 KiB at most), up to 16 KiB of hash heads and
/// 16 KiB of symbols (about 80 KiB for a 24 KB body, 96 KiB at most).
void deflate_compress(std::string_view input, std::string* out);

/// Constants of the RFC 1951 format, shared by deflate.cc and inflate.cc.
namespace deflate_format {

constexpr int kMinMatch = 3;
constexpr int kMaxMatch = 258;
constexpr int kWindowBytes = 32768;
constexpr int kMaxCodeBits = 15;       // lit/len and distance codes
constexpr int kMaxCodeLengthBits = 7;  // the code-length code
constexpr int kEndOfBlock = 256;
constexpr int kLitLenSymbols = 286;    // usable lit/len symbols (0..285)
constexpr int kDistSymbols = 30;       // usable distance symbols (0..29)
constexpr int kCodeLengthSymbols = 19;
constexpr int kFixedLitLenSymbols = 288;  // the fixed code also has 286, 287
constexpr int kFixedDistSymbols = 32;     // ... and distances 30, 31

/// Base length and extra bits of lit/len symbols 257..285.
constexpr uint16_t kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10,  11,  13,
                                      15, 17, 19, 23, 27, 31, 35, 43,  51,  59,
                                      67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr uint8_t kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
/// Base distance and extra bits of distance symbols 0..29.
constexpr uint16_t kDistBase[30] = {1,    2,    3,    4,    5,    7,     9,     13,
                                    17,   25,   33,   49,   65,   97,    129,   193,
                                    257,  385,  513,  769,  1025, 1537,  2049,  3073,
                                    4097, 6145, 8193, 12289, 16385, 24577};
constexpr uint8_t kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2,  2,  3,  3,  4,  4,  5,  5,  6,
                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/// The order in which code-length code lengths are sent (RFC 1951 3.2.7).
constexpr uint8_t kCodeLengthOrder[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                          11, 4,  12, 3, 13, 2, 14, 1, 15};

/// Code lengths of the fixed Huffman codes (RFC 1951 3.2.6).
constexpr int fixed_litlen_length(int symbol) {
  return symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8;
}
constexpr int kFixedDistLength = 5;

/// Huffman code lengths for freq[0..n) (n <= 288; 0 for unused symbols), none
/// longer than max_bits (<= 15), always a complete code when two or more
/// symbols are used. Used by deflate_compress; public for its tests.
void build_limited_code_lengths(const uint32_t* freq, int n, int max_bits, uint8_t* lengths);

}  // namespace deflate_format
