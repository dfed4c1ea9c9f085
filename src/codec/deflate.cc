#include "codec/deflate.h"

#include <string.h>

#include <algorithm>
#include <memory>

using namespace deflate_format;

// -Os would otherwise leave a call per bit field and per hashed byte.
#define DEFLATE_INLINE inline __attribute__((always_inline))

namespace {

// LZ77 tuning, measured in instructions (callgrind, -Os build) and output
// bytes on real /metrics bodies of 24 KB and 66 KB: about a third of the
// instructions of 24-deep chains with every position inserted, for 2-3%
// more output. Greedy parsing would save another 12% but costs 8% of size
// on the larger body.
constexpr int kMaxChain = 8;         // candidates tried per position
constexpr int kGoodLength = 8;       // after a match this long, try 1/4 as many
constexpr int kNiceLength = 32;      // a match this long stops the search
constexpr int kInsertAllUpTo = 16;   // longer matches insert only their last 4
constexpr int kMinHashBits = 8;
constexpr int kMaxHashBits = 13;     // 8192 heads: 16 KiB
constexpr size_t kBlockTokens = 4096;  // symbols per block: 16 KiB of tokens at most
constexpr size_t kMaxStoredBytes = 65535;
constexpr uint32_t kWindowMask = kWindowBytes - 1;

uint32_t load32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/// Lookup tables computed by the compiler (read-only data, no start-up work).
struct SymbolTables {
  uint8_t length_index[kMaxMatch - kMinMatch + 1];  // length-3 -> lit/len symbol - 257
  uint8_t reverse8[256];                            // bits of a byte, mirrored
};

constexpr SymbolTables make_symbol_tables() {
  SymbolTables t{};
  for (int index = 0; index < 29; index++) {
    int end = index == 28 ? kMaxMatch + 1 : kLengthBase[index + 1];
    for (int length = kLengthBase[index]; length < end; length++)
      t.length_index[length - kMinMatch] = static_cast<uint8_t>(index);
  }
  for (int b = 0; b < 256; b++) {
    int r = 0;
    for (int i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
    t.reverse8[b] = static_cast<uint8_t>(r);
  }
  return t;
}

constexpr SymbolTables kTables = make_symbol_tables();

/// Distance symbol 0..29 for a distance 1..32768.
int dist_symbol(uint32_t dist) {
  uint32_t d = dist - 1;
  if (d < 4) return static_cast<int>(d);
  int log2 = 31 - __builtin_clz(d);
  return 2 * log2 + static_cast<int>((d >> (log2 - 1)) & 1);
}

/// A Huffman code ready to write: lengths and (bit-reversed) codes.
struct Code {
  uint8_t lengths[kFixedLitLenSymbols] = {};
  uint16_t codes[kFixedLitLenSymbols] = {};
};

/// Token: a literal byte (< 256), or a match packed with its symbols so the
/// writer need not derive them again: bits 0-8 lit/len symbol (257..285),
/// 9-13 length extra value, 14-18 distance symbol, 19-31 distance extra value.
using Token = uint32_t;

/// LSB-first bit output (deflate packs bits from the least significant end
/// of each byte). Bits gather in a 64-bit accumulator and leave it a whole
/// word at a time into a small buffer, which is appended to the string when
/// full: no per-byte string calls on the hot path.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  /// Adds the `count` low bits of `value` (higher bits must be zero). At
  /// most 56 bits may be added between two flush() calls.
  void put(uint32_t value, int count) {
    bits_ |= static_cast<uint64_t>(value) << bit_count_;
    bit_count_ += count;
  }

  /// Moves the complete bytes of the accumulator out; leaves < 8 bits.
  void flush() {
    if (used_ + 8 > sizeof buffer_) spill();
    uint64_t word = bits_;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    memcpy(buffer_ + used_, &word, 8);
    int bytes = bit_count_ >> 3;
    used_ += static_cast<size_t>(bytes);
    bits_ >>= 8 * bytes;  // bytes <= 7: the shift is defined
    bit_count_ &= 7;
  }

  /// Pads with zero bits to a byte boundary and flushes.
  void align() {
    bit_count_ = (bit_count_ + 7) & ~7;
    flush();
  }

  /// Raw bytes at a byte boundary (stored blocks): call align() first.
  void append_aligned(const char* data, size_t size) {
    spill();
    out_->append(data, size);
  }

  /// Aligns and writes everything to the string.
  void finish() {
    align();
    spill();
  }

  int pending_bits() const { return bit_count_; }

  /// Writes a block's tokens with the given codes, then its end-of-block.
  void put_tokens(const Token* tokens, size_t count, const Code& litlen, const Code& dist);

 private:
  void spill() {
    out_->append(reinterpret_cast<const char*>(buffer_), used_);
    used_ = 0;
  }

  std::string* out_;
  uint64_t bits_ = 0;
  int bit_count_ = 0;
  size_t used_ = 0;
  uint8_t buffer_[2048];
};

// The loop keeps the state in locals: its stores into buffer_ could
// otherwise alias the members and force reloads per token.
void BitWriter::put_tokens(const Token* tokens, size_t count, const Code& litlen,
                           const Code& dist) {
  uint64_t bits = bits_;
  int bit_count = bit_count_;
  size_t used = used_;
  for (size_t i = 0; i < count; i++) {
    if (used + 8 > sizeof buffer_) {
      used_ = used;
      spill();
      used = 0;
    }
    Token t = tokens[i];
    uint32_t symbol = t & 511;
    bits |= static_cast<uint64_t>(litlen.codes[symbol]) << bit_count;
    bit_count += litlen.lengths[symbol];
    if (symbol > kEndOfBlock) {  // at most 15 + 5 + 15 + 13 bits in all
      bits |= static_cast<uint64_t>((t >> 9) & 31) << bit_count;
      bit_count += kLengthExtra[symbol - 257];
      uint32_t ds = (t >> 14) & 31;
      bits |= static_cast<uint64_t>(dist.codes[ds]) << bit_count;
      bit_count += dist.lengths[ds];
      bits |= static_cast<uint64_t>(t >> 19) << bit_count;
      bit_count += kDistExtra[ds];
    }
    uint64_t word = bits;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    word = __builtin_bswap64(word);
#endif
    memcpy(buffer_ + used, &word, 8);
    int bytes = bit_count >> 3;
    used += static_cast<size_t>(bytes);
    bits >>= 8 * bytes;  // as in flush()
    bit_count &= 7;
  }
  bits_ = bits;
  bit_count_ = bit_count;
  used_ = used;
  put(litlen.codes[kEndOfBlock], litlen.lengths[kEndOfBlock]);
  flush();
}

/// Canonical codes (RFC 1951 3.2.2), bit-reversed so BitWriter sends them
/// most significant bit first.
constexpr void make_codes(int n, Code* code) {
  int count_per_length[kMaxCodeBits + 1] = {};
  for (int s = 0; s < n; s++) count_per_length[code->lengths[s]]++;
  count_per_length[0] = 0;
  uint32_t next_code[kMaxCodeBits + 1] = {};
  uint32_t c = 0;
  for (int len = 1; len <= kMaxCodeBits; len++) {
    c = (c + static_cast<uint32_t>(count_per_length[len - 1])) << 1;
    next_code[len] = c;
  }
  for (int s = 0; s < n; s++) {
    int len = code->lengths[s];
    if (!len) continue;
    uint32_t v = next_code[len]++;
    uint32_t reversed = static_cast<uint32_t>(kTables.reverse8[v & 0xff]) << 8 |
                        kTables.reverse8[(v >> 8) & 0xff];
    code->codes[s] = static_cast<uint16_t>(reversed >> (16 - len));
  }
}

struct FixedCodes {
  Code litlen, dist;
};

constexpr FixedCodes make_fixed_codes() {
  FixedCodes f{};
  for (int s = 0; s < kFixedLitLenSymbols; s++)
    f.litlen.lengths[s] = static_cast<uint8_t>(fixed_litlen_length(s));
  for (int s = 0; s < kFixedDistSymbols; s++) f.dist.lengths[s] = kFixedDistLength;
  make_codes(kFixedLitLenSymbols, &f.litlen);
  make_codes(kFixedDistSymbols, &f.dist);
  return f;
}

constexpr FixedCodes kFixed = make_fixed_codes();

/// A dynamic block's trees and its encoded header (RFC 1951 3.2.7).
struct DynamicPlan {
  Code litlen, dist, code_length;
  int hlit = 0, hdist = 0, hclen = 0;
  // Run-length coded code lengths: symbol 0..18 and its extra-bits value.
  uint8_t rle_symbols[kLitLenSymbols + kDistSymbols];
  uint8_t rle_extra[kLitLenSymbols + kDistSymbols];
  int rle_count = 0;
  uint64_t header_bits = 0;
};

/// Gives a tree at least two used symbols, so every code is complete (some
/// decoders refuse one-code trees).
void ensure_two_symbols(uint32_t* freq, int n) {
  int used = 0;
  for (int s = 0; s < n; s++) used += freq[s] != 0;
  for (int s = 0; s < n && used < 2; s++)
    if (!freq[s]) { freq[s] = 1; used++; }
}

/// Huffman code lengths and codes for freq[0..n) (freq is modified).
void build_code(uint32_t* freq, int n, int max_bits, Code* code) {
  ensure_two_symbols(freq, n);
  build_limited_code_lengths(freq, n, max_bits, code->lengths);
  make_codes(n, code);
}

void plan_dynamic(const uint32_t* litlen_freq, const uint32_t* dist_freq, DynamicPlan* plan) {
  uint32_t freq[kLitLenSymbols];
  std::copy(litlen_freq, litlen_freq + kLitLenSymbols, freq);
  build_code(freq, kLitLenSymbols, kMaxCodeBits, &plan->litlen);
  std::copy(dist_freq, dist_freq + kDistSymbols, freq);
  build_code(freq, kDistSymbols, kMaxCodeBits, &plan->dist);

  plan->hlit = kLitLenSymbols;
  while (plan->hlit > 257 && plan->litlen.lengths[plan->hlit - 1] == 0) plan->hlit--;
  plan->hdist = kDistSymbols;
  while (plan->hdist > 1 && plan->dist.lengths[plan->hdist - 1] == 0) plan->hdist--;

  // Lit/len and distance lengths form one sequence; runs may cross over.
  uint8_t all[kLitLenSymbols + kDistSymbols];
  int total = plan->hlit + plan->hdist;
  std::copy(plan->litlen.lengths, plan->litlen.lengths + plan->hlit, all);
  std::copy(plan->dist.lengths, plan->dist.lengths + plan->hdist, all + plan->hlit);
  uint32_t cl_freq[kCodeLengthSymbols] = {};
  plan->rle_count = 0;
  auto emit = [plan, &cl_freq](int symbol, int extra) {
    plan->rle_symbols[plan->rle_count] = static_cast<uint8_t>(symbol);
    plan->rle_extra[plan->rle_count] = static_cast<uint8_t>(extra);
    plan->rle_count++;
    cl_freq[symbol]++;
  };
  for (int i = 0; i < total;) {
    int len = all[i];
    int run = 1;
    while (i + run < total && all[i + run] == len) run++;
    if (len == 0 && run >= 3) {
      int take = std::min(run, 138);
      if (take >= 11) emit(18, take - 11); else emit(17, take - 3);
      i += take;
      continue;
    }
    emit(len, 0);
    i++;
    if (len == 0) continue;
    for (int rest = run - 1; rest > 0;) {  // 16 repeats the previous length 3..6 times
      if (rest < 3) { emit(len, 0); rest--; i++; continue; }
      int take = std::min(rest, 6);
      emit(16, take - 3);
      rest -= take;
      i += take;
    }
  }
  build_code(cl_freq, kCodeLengthSymbols, kMaxCodeLengthBits, &plan->code_length);
  plan->hclen = kCodeLengthSymbols;
  while (plan->hclen > 4 && plan->code_length.lengths[kCodeLengthOrder[plan->hclen - 1]] == 0)
    plan->hclen--;

  uint64_t bits = 3 + 5 + 5 + 4 + 3 * static_cast<uint64_t>(plan->hclen);
  for (int k = 0; k < plan->rle_count; k++) {
    int symbol = plan->rle_symbols[k];
    bits += plan->code_length.lengths[symbol];
    bits += symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0;
  }
  plan->header_bits = bits;
}

void write_dynamic_header(const DynamicPlan& plan, BitWriter* w) {
  w->put(static_cast<uint32_t>(plan.hlit - 257), 5);
  w->put(static_cast<uint32_t>(plan.hdist - 1), 5);
  w->put(static_cast<uint32_t>(plan.hclen - 4), 4);
  w->flush();
  for (int k = 0; k < plan.hclen; k++) {
    w->put(plan.code_length.lengths[kCodeLengthOrder[k]], 3);
    w->flush();
  }
  for (int k = 0; k < plan.rle_count; k++) {
    int symbol = plan.rle_symbols[k];
    w->put(plan.code_length.codes[symbol], plan.code_length.lengths[symbol]);
    if (symbol == 16) w->put(plan.rle_extra[k], 2);
    if (symbol == 17) w->put(plan.rle_extra[k], 3);
    if (symbol == 18) w->put(plan.rle_extra[k], 7);
    w->flush();
  }
}

/// Bits of the block's symbols under the given code lengths, extra bits included.
uint64_t data_bits(const uint32_t* litlen_freq, const uint32_t* dist_freq,
                   const uint8_t* litlen_lengths, const uint8_t* dist_lengths) {
  uint64_t bits = 0;
  for (int s = 0; s <= kEndOfBlock; s++) bits += litlen_freq[s] * uint64_t{litlen_lengths[s]};
  for (int s = kEndOfBlock + 1; s < kLitLenSymbols; s++)
    bits += litlen_freq[s] * static_cast<uint64_t>(litlen_lengths[s] + kLengthExtra[s - 257]);
  for (int s = 0; s < kDistSymbols; s++)
    bits += dist_freq[s] * static_cast<uint64_t>(dist_lengths[s] + kDistExtra[s]);
  return bits;
}

/// Collects one block's tokens and writes it in the cheapest of the three
/// block types.
class BlockWriter {
 public:
  BlockWriter(std::string_view input, BitWriter* w)
      : input_(input), w_(w), capacity_(std::min(kBlockTokens, input.size() + 1)),
        tokens_(new Token[capacity_]) {}  // small inputs, small buffer

  bool full() const { return count_ == capacity_; }

  void literal(uint8_t byte) {
    tokens_[count_++] = byte;
    litlen_freq_[byte]++;
    covered_end_++;
  }

  void match(int length, uint32_t distance) {
    int li = kTables.length_index[length - kMinMatch];
    int ds = dist_symbol(distance);
    tokens_[count_++] = static_cast<Token>(257 + li) |
                        static_cast<Token>(length - kLengthBase[li]) << 9 |
                        static_cast<Token>(ds) << 14 | (distance - kDistBase[ds]) << 19;
    litlen_freq_[257 + li]++;
    dist_freq_[ds]++;
    covered_end_ += static_cast<size_t>(length);
  }

  void flush(bool final_block);

 private:
  void write_stored(size_t end, bool final_block);

  std::string_view input_;
  BitWriter* w_;
  size_t capacity_;
  std::unique_ptr<Token[]> tokens_;
  size_t count_ = 0;
  uint32_t litlen_freq_[kLitLenSymbols] = {};
  uint32_t dist_freq_[kDistSymbols] = {};
  size_t stored_start_ = 0;  // input bytes to store, not written yet: [stored, block)
  size_t block_start_ = 0;   // input bytes covered by the tokens: [block, end)
  size_t covered_end_ = 0;
};

void BlockWriter::flush(bool final_block) {
  litlen_freq_[kEndOfBlock] = 1;
  uint64_t fixed_bits =
      3 + data_bits(litlen_freq_, dist_freq_, kFixed.litlen.lengths, kFixed.dist.lengths);

  DynamicPlan plan;
  plan_dynamic(litlen_freq_, dist_freq_, &plan);
  uint64_t dynamic_bits = plan.header_bits + data_bits(litlen_freq_, dist_freq_,
                                                       plan.litlen.lengths, plan.dist.lengths);
  // Stored as its own block(s); header bits are estimated from here.
  uint64_t stored_bytes = covered_end_ - block_start_;
  uint64_t chunks = std::max<uint64_t>(1, (stored_bytes + kMaxStoredBytes - 1) / kMaxStoredBytes);
  uint64_t first_pad = (8 - (w_->pending_bits() + 3) % 8) % 8;
  uint64_t stored_bits = chunks * (3 + 32) + first_pad + (chunks - 1) * 5 + 8 * stored_bytes;

  bool stored = stored_bits < fixed_bits && stored_bits < dynamic_bits;
  // Stored blocks are written late, so that neighbours merge into 64 KiB
  // chunks instead of costing a header per 4096 tokens.
  if (!stored && stored_start_ < block_start_) write_stored(block_start_, false);
  if (stored) {
    if (final_block) write_stored(covered_end_, true);
  } else if (fixed_bits <= dynamic_bits) {
    w_->put(final_block ? 1 : 0, 1);
    w_->put(1, 2);
    w_->put_tokens(tokens_.get(), count_, kFixed.litlen, kFixed.dist);
  } else {
    w_->put(final_block ? 1 : 0, 1);
    w_->put(2, 2);
    write_dynamic_header(plan, w_);
    w_->put_tokens(tokens_.get(), count_, plan.litlen, plan.dist);
  }
  count_ = 0;
  std::fill(litlen_freq_, litlen_freq_ + kLitLenSymbols, 0);
  std::fill(dist_freq_, dist_freq_ + kDistSymbols, 0);
  block_start_ = covered_end_;
  if (!stored) stored_start_ = covered_end_;
}

/// Writes input [stored_start_, end) as stored blocks.
void BlockWriter::write_stored(size_t end, bool final_block) {
  size_t start = stored_start_;
  do {
    size_t chunk = std::min(end - start, kMaxStoredBytes);
    bool last_chunk = start + chunk == end;
    w_->put(final_block && last_chunk ? 1 : 0, 1);
    w_->put(0, 2);
    w_->align();
    w_->put(static_cast<uint32_t>(chunk), 16);
    w_->put(static_cast<uint32_t>(~chunk & 0xffff), 16);
    w_->flush();  // 32 bits at a byte boundary: nothing stays pending
    w_->append_aligned(input_.data() + start, chunk);
    start += chunk;
  } while (start < end);
  stored_start_ = end;
}

/// Hash chains over the input, keyed by a hash of 4 bytes (so every match
/// found is at least 4 long). head[hash] is the newest position with that
/// hash, stored as pos + 1 - base (0: none) so it fits 16 bits; base moves
/// up 32 KiB at a time on inputs over 64 KiB. prev[pos % window] is the
/// distance back to the previous position with the same hash; a walk ends at
/// 0 or beyond the window. Both tables are sized to the input.
class Matcher {
 public:
  explicit Matcher(std::string_view input)
      : data_(reinterpret_cast<const uint8_t*>(input.data())), size_(input.size()),
        window_(std::min<size_t>(size_, kWindowBytes)) {
    hash_bits_ = kMinHashBits;
    while (hash_bits_ < kMaxHashBits && (size_t{1} << hash_bits_) < size_) hash_bits_++;
    size_t heads = size_t{1} << hash_bits_;
    head_.reset(new uint16_t[heads]);
    memset(head_.get(), 0, heads * sizeof(uint16_t));
    prev_.reset(new uint16_t[window_]);
    // A walk reads the prev slot of positions it reached through head or
    // prev, which were written when inserted. The one exception (see
    // insert_range) exists only once base has moved: clear for such inputs.
    if (size_ > kSlideAt) memset(prev_.get(), 0, window_ * sizeof(uint16_t));
  }

  /// True when pos has 4 bytes left to hash (and so may start a match).
  bool hashable(size_t pos) const { return pos + 4 <= size_; }

  /// Adds hashable `pos` to the chains, then returns the longest match
  /// there (4..258 bytes) if longer than at_least, else 0.
  int find_and_insert(size_t pos, int at_least, uint32_t* dist_out);

  /// Adds the hashable positions of [from, to) to the chains; `from` must
  /// follow the last position given to find_and_insert by at most 258.
  void insert_range(size_t from, size_t to);

 private:
  // A match's worth of positions past this still fits 16 bits.
  static constexpr size_t kSlideAt = 65535 - kMaxMatch - 2;

  /// Multiplicative hash of the 4 bytes at p; `shift` = 32 - hash bits.
  static DEFLATE_INLINE uint32_t hash(const uint8_t* p, int shift) {
    return (load32(p) * 0x9E3779B1u) >> shift;
  }

  void slide();

  const uint8_t* data_;
  size_t size_;
  size_t window_;
  size_t base_ = 0;
  int hash_bits_;
  std::unique_ptr<uint16_t[]> head_;
  std::unique_ptr<uint16_t[]> prev_;
};

// An empty head (0) stores here - 0 = pos + 1 - base as the link, without a
// branch per byte: that link leads to position base - 1, which while base
// is 0 lies before the input (the walk's bounds stop there) and later is a
// real earlier position: one harmless extra candidate, as every match is
// verified byte by byte.
// noinline: -Os would inline both calls into deflate_compress, where the
// loop's values no longer fit in registers.
__attribute__((noinline)) void Matcher::insert_range(size_t from, size_t to) {
  to = std::min(to, size_ < 3 ? 0 : size_ - 3);
  const uint8_t* data = data_;
  uint16_t* head = head_.get();
  uint16_t* prev = prev_.get();
  int shift = 32 - hash_bits_;
  uint32_t here = static_cast<uint32_t>(from - base_) + 1;
  for (size_t pos = from; pos < to; pos++, here++) {
    uint32_t h = hash(data + pos, shift);
    prev[pos & kWindowMask] = static_cast<uint16_t>(here - head[h]);
    head[h] = static_cast<uint16_t>(here);
  }
}

void Matcher::slide() {
  size_t heads = size_t{1} << hash_bits_;
  for (size_t i = 0; i < heads; i++)
    head_[i] = static_cast<uint16_t>(head_[i] > kWindowBytes ? head_[i] - kWindowBytes : 0);
  base_ += kWindowBytes;
}

/// Bytes equal at a[i] and b[i] for i in [start, max).
size_t common_length(const uint8_t* a, const uint8_t* b, size_t start, size_t max) {
  size_t len = start;
  while (len + 8 <= max) {
    uint64_t x, y;
    memcpy(&x, a + len, 8);
    memcpy(&y, b + len, 8);
    if (x != y) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      return len + static_cast<size_t>(__builtin_ctzll(x ^ y)) / 8;
#else
      return len + static_cast<size_t>(__builtin_clzll(x ^ y)) / 8;
#endif
    }
    len += 8;
  }
  while (len < max && a[len] == b[len]) len++;
  return len;
}

int Matcher::find_and_insert(size_t pos, int at_least, uint32_t* dist_out) {
  if (pos - base_ >= kSlideAt) slide();
  uint32_t h = hash(data_ + pos, 32 - hash_bits_);
  uint32_t newest = head_[h];
  uint32_t pos_code = static_cast<uint32_t>(pos - base_) + 1;
  prev_[pos & kWindowMask] = static_cast<uint16_t>(pos_code - newest);
  head_[h] = static_cast<uint16_t>(pos_code);
  size_t max_len = std::min<size_t>(kMaxMatch, size_ - pos);  // >= 4: pos is hashable
  // Only longer matches count; 4 bytes are compared at once.
  int best = std::max(at_least, kMinMatch);
  if (!newest || max_len <= static_cast<size_t>(best)) return 0;

  // Candidates as signed positions: a link may point before the input.
  ptrdiff_t candidate = static_cast<ptrdiff_t>(pos) - (pos_code - newest);
  ptrdiff_t oldest = static_cast<ptrdiff_t>(pos - std::min<size_t>(pos, kWindowBytes));
  const uint8_t* here = data_ + pos;
  uint32_t here_start = load32(here);
  uint8_t here_next = here[best];
  int found = 0;
  for (int chain = at_least >= kGoodLength ? kMaxChain / 4 : kMaxChain; candidate >= oldest;) {
    const uint8_t* there = data_ + candidate;
    // The byte that would make a longer match: it rejects most candidates
    // with one compare.
    if (there[best] == here_next && load32(there) == here_start) {
      int len = static_cast<int>(common_length(there, here, 4, max_len));
      if (len > best) {
        best = len;
        found = len;
        *dist_out = static_cast<uint32_t>(here - there);
        if (len >= kNiceLength || static_cast<size_t>(len) == max_len) break;
        here_next = here[best];
      }
    }
    if (--chain == 0) break;
    // A 0 (a cleared slot) only repeats this candidate until chain runs out.
    candidate -= prev_[static_cast<size_t>(candidate) & kWindowMask];
  }
  return found;
}

}  // namespace

namespace deflate_format {

// A plain Huffman tree is built first; when it is too deep the deep leaves
// are clamped to max_bits and the Kraft sum is repaired by pushing shorter
// leaves one level down, one unit of excess at a time.
void build_limited_code_lengths(const uint32_t* freq, int n, int max_bits, uint8_t* lengths) {
  // Sort keys: frequency, then symbol (a plain integer sort, no comparator
  // call per step at -Os).
  uint64_t keys[kFixedLitLenSymbols];
  int leaf_count = 0;
  for (int s = 0; s < n; s++) {
    lengths[s] = 0;
    if (freq[s]) keys[leaf_count++] = static_cast<uint64_t>(freq[s]) << 16 | static_cast<uint64_t>(s);
  }
  if (leaf_count == 0) return;
  if (leaf_count == 1) {
    lengths[keys[0] & 0xffff] = 1;
    return;
  }
  std::sort(keys, keys + leaf_count);
  uint16_t leaves[kFixedLitLenSymbols];
  for (int i = 0; i < leaf_count; i++) leaves[i] = static_cast<uint16_t>(keys[i] & 0xffff);

  // Two-queue construction: leaves in frequency order, internal nodes are
  // created in non-decreasing weight order, so both queues stay sorted.
  uint64_t weight[2 * kFixedLitLenSymbols];  // 64 bits: sums of any uint32 freqs
  uint16_t parent[2 * kFixedLitLenSymbols];
  for (int i = 0; i < leaf_count; i++) weight[i] = keys[i] >> 16;
  int next_leaf = 0, next_internal = leaf_count, node_count = leaf_count;
  auto take_smallest = [&]() {
    if (next_leaf < leaf_count &&
        (next_internal == node_count || weight[next_leaf] <= weight[next_internal]))
      return next_leaf++;
    return next_internal++;
  };
  for (int k = 0; k < leaf_count - 1; k++) {
    int a = take_smallest();
    int b = take_smallest();
    weight[node_count] = weight[a] + weight[b];
    parent[a] = parent[b] = static_cast<uint16_t>(node_count);
    node_count++;
  }
  // Parents have larger indices than children: one backward pass gives depths.
  uint16_t depth[2 * kFixedLitLenSymbols];
  depth[node_count - 1] = 0;
  for (int node = node_count - 2; node >= 0; node--)
    depth[node] = static_cast<uint16_t>(depth[parent[node]] + 1);

  int count_per_length[kMaxCodeBits + 1] = {};
  for (int i = 0; i < leaf_count; i++)
    count_per_length[std::min<int>(static_cast<int>(depth[i]), max_bits)]++;
  uint32_t kraft = 0;  // in units of 2^-max_bits
  for (int len = 1; len <= max_bits; len++)
    kraft += static_cast<uint32_t>(count_per_length[len]) << (max_bits - len);
  while (kraft > (1u << max_bits)) {
    int len = max_bits - 1;
    while (count_per_length[len] == 0) len--;
    count_per_length[len]--;
    count_per_length[len + 1] += 2;
    count_per_length[max_bits]--;
    kraft--;
  }
  // Longest codes to the least frequent symbols.
  int leaf = 0;
  for (int len = max_bits; len >= 1; len--)
    for (int k = 0; k < count_per_length[len]; k++)
      lengths[leaves[leaf++]] = static_cast<uint8_t>(len);
}

}  // namespace deflate_format

void deflate_compress(std::string_view input, std::string* out) {
  BitWriter w(out);
  BlockWriter block(input, &w);
  Matcher matcher(input);
  const uint8_t* data = reinterpret_cast<const uint8_t*>(input.data());
  size_t n = input.size();

  // Lazy matching: the match found at pos-1 ("previous") is emitted only if
  // the one at pos is not longer; otherwise pos-1 becomes a literal.
  int prev_len = 0;
  uint32_t prev_dist = 0;
  bool pending_literal = false;  // data[pos-1] not emitted yet
  size_t pos = 0;
  while (pos < n) {
    int cur_len = 0;
    uint32_t cur_dist = 0;
    if (matcher.hashable(pos)) cur_len = matcher.find_and_insert(pos, prev_len, &cur_dist);
    if (prev_len && cur_len == 0) {
      block.match(prev_len, prev_dist);
      size_t end = pos - 1 + static_cast<size_t>(prev_len);
      // Inside a long match only its last 4 positions join the chains (so
      // runs with a period up to 4 still find distances that short): a
      // third fewer instructions for ~1% more output on /metrics bodies.
      matcher.insert_range(prev_len <= kInsertAllUpTo ? pos + 1 : end - 4, end);
      pos = end;
      prev_len = 0;
      pending_literal = false;
    } else {
      if (pending_literal) block.literal(data[pos - 1]);
      prev_len = cur_len;
      prev_dist = cur_dist;
      pending_literal = true;
      pos++;
    }
    if (block.full()) block.flush(false);
  }
  if (pending_literal) block.literal(data[n - 1]);  // a match cannot start at n-1
  block.flush(true);
  w.finish();
}
