#include "codec/deflate.h"

#include <string.h>

#include <algorithm>
#include <vector>

using namespace deflate_format;

namespace {

// LZ77 tuning. Chains are bounded so time stays linear in the input; the
// numbers favour speed (Prometheus bodies are very repetitive, so long
// matches turn up after a few candidates anyway).
constexpr int kMaxChain = 24;        // candidates tried per position
constexpr int kGoodLength = 16;      // a match this long: try 1/4 of the chain
constexpr int kLazyLimit = 32;       // a match this long is taken without lazy look
constexpr int kNiceLength = 128;     // a match this long stops the search
constexpr uint32_t kTooFar = 4096;   // 3-byte matches further away cost more than literals
constexpr int kMaxHashBits = 14;
constexpr size_t kBlockTokens = 16384;  // symbols per block (bounds the token buffer)
constexpr size_t kMaxStoredBytes = 65535;

/// Index 0..28 of the lit/len symbol (257 + index) for a match length 3..258.
int length_symbol_index(int length) {
  int l = length - kMinMatch;
  if (l < 8) return l;
  if (length == kMaxMatch) return 28;
  int log2 = 31 - __builtin_clz(static_cast<unsigned>(l));
  return 4 * (log2 - 1) + ((l >> (log2 - 2)) & 3);
}

/// Distance symbol 0..29 for a distance 1..32768.
int dist_symbol(uint32_t dist) {
  uint32_t d = dist - 1;
  if (d < 4) return static_cast<int>(d);
  int log2 = 31 - __builtin_clz(d);
  return 2 * log2 + static_cast<int>((d >> (log2 - 1)) & 1);
}

/// LSB-first bit output appended to a string (deflate packs bits from the
/// least significant end of each byte).
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  /// Writes the `count` (<= 32) low bits of `value`.
  void put(uint32_t value, int count) {
    bits_ |= static_cast<uint64_t>(value) << bit_count_;
    bit_count_ += count;
    if (bit_count_ >= 32) {
      char bytes[4] = {static_cast<char>(bits_), static_cast<char>(bits_ >> 8),
                       static_cast<char>(bits_ >> 16), static_cast<char>(bits_ >> 24)};
      out_->append(bytes, 4);
      bits_ >>= 32;
      bit_count_ -= 32;
    }
  }

  /// Pads with zero bits to a byte boundary and writes everything pending.
  void align() {
    while (bit_count_ > 0) {
      out_->push_back(static_cast<char>(bits_));
      bits_ >>= 8;
      bit_count_ = bit_count_ > 8 ? bit_count_ - 8 : 0;
    }
    bits_ = 0;
  }

  int pending_bits() const { return bit_count_; }
  std::string* out() { return out_; }

 private:
  std::string* out_;
  uint64_t bits_ = 0;
  int bit_count_ = 0;
};

/// Canonical codes (RFC 1951 3.2.2), bit-reversed so BitWriter sends them
/// most significant bit first.
void make_codes(const uint8_t* lengths, int n, uint16_t* codes) {
  int count_per_length[kMaxCodeBits + 1] = {};
  for (int s = 0; s < n; s++) count_per_length[lengths[s]]++;
  count_per_length[0] = 0;
  uint32_t next_code[kMaxCodeBits + 2] = {};
  uint32_t code = 0;
  for (int len = 1; len <= kMaxCodeBits; len++) {
    code = (code + count_per_length[len - 1]) << 1;
    next_code[len] = code;
  }
  for (int s = 0; s < n; s++) {
    int len = lengths[s];
    if (!len) continue;
    uint32_t c = next_code[len]++;
    uint32_t reversed = 0;
    for (int i = 0; i < len; i++) reversed |= ((c >> i) & 1) << (len - 1 - i);
    codes[s] = static_cast<uint16_t>(reversed);
  }
}

/// A Huffman code ready to write: lengths and (reversed) codes.
struct Code {
  uint8_t lengths[kFixedLitLenSymbols] = {};
  uint16_t codes[kFixedLitLenSymbols] = {};
};

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

void plan_dynamic(const uint32_t* litlen_freq, const uint32_t* dist_freq, DynamicPlan* plan) {
  uint32_t freq[kLitLenSymbols];
  std::copy(litlen_freq, litlen_freq + kLitLenSymbols, freq);
  ensure_two_symbols(freq, kLitLenSymbols);
  build_limited_code_lengths(freq, kLitLenSymbols, kMaxCodeBits, plan->litlen.lengths);
  make_codes(plan->litlen.lengths, kLitLenSymbols, plan->litlen.codes);
  std::copy(dist_freq, dist_freq + kDistSymbols, freq);
  ensure_two_symbols(freq, kDistSymbols);
  build_limited_code_lengths(freq, kDistSymbols, kMaxCodeBits, plan->dist.lengths);
  make_codes(plan->dist.lengths, kDistSymbols, plan->dist.codes);

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
  ensure_two_symbols(cl_freq, kCodeLengthSymbols);
  build_limited_code_lengths(cl_freq, kCodeLengthSymbols, kMaxCodeLengthBits,
                             plan->code_length.lengths);
  make_codes(plan->code_length.lengths, kCodeLengthSymbols, plan->code_length.codes);
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
  for (int k = 0; k < plan.hclen; k++) w->put(plan.code_length.lengths[kCodeLengthOrder[k]], 3);
  for (int k = 0; k < plan.rle_count; k++) {
    int symbol = plan.rle_symbols[k];
    w->put(plan.code_length.codes[symbol], plan.code_length.lengths[symbol]);
    if (symbol == 16) w->put(plan.rle_extra[k], 2);
    if (symbol == 17) w->put(plan.rle_extra[k], 3);
    if (symbol == 18) w->put(plan.rle_extra[k], 7);
  }
}

/// Token: a literal byte (< 256) or length << 16 | distance.
using Token = uint32_t;

/// Bits of the block's symbols under the given code lengths, extra bits included.
uint64_t data_bits(const uint32_t* litlen_freq, const uint32_t* dist_freq,
                   const uint8_t* litlen_lengths, const uint8_t* dist_lengths) {
  uint64_t bits = 0;
  for (int s = 0; s < kLitLenSymbols; s++) {
    uint64_t per_symbol = litlen_lengths[s] + (s > 256 ? kLengthExtra[s - 257] : 0);
    bits += litlen_freq[s] * per_symbol;
  }
  for (int s = 0; s < kDistSymbols; s++)
    bits += dist_freq[s] * static_cast<uint64_t>(dist_lengths[s] + kDistExtra[s]);
  return bits;
}

void write_tokens(const std::vector<Token>& tokens, const Code& litlen, const Code& dist,
                  BitWriter* w) {
  for (Token t : tokens) {
    if (t < 256) {
      w->put(litlen.codes[t], litlen.lengths[t]);
      continue;
    }
    int length = static_cast<int>(t >> 16);
    uint32_t distance = t & 0xffff;
    int li = length_symbol_index(length);
    w->put(litlen.codes[257 + li], litlen.lengths[257 + li]);
    w->put(static_cast<uint32_t>(length - kLengthBase[li]), kLengthExtra[li]);
    int ds = dist_symbol(distance);
    w->put(dist.codes[ds], dist.lengths[ds]);
    w->put(distance - kDistBase[ds], kDistExtra[ds]);
  }
  w->put(litlen.codes[kEndOfBlock], litlen.lengths[kEndOfBlock]);
}

/// Collects one block's tokens and writes it in the cheapest of the three
/// block types.
class BlockWriter {
 public:
  BlockWriter(std::string_view input, BitWriter* w) : input_(input), w_(w) {
    tokens_.reserve(std::min(kBlockTokens, input.size() + 1));  // small inputs, small buffer
  }

  bool full() const { return tokens_.size() >= kBlockTokens; }

  void literal(uint8_t byte) {
    tokens_.push_back(byte);
    litlen_freq_[byte]++;
    covered_end_++;
  }

  void match(int length, uint32_t distance) {
    tokens_.push_back(static_cast<Token>(length) << 16 | (distance & 0xffff));
    litlen_freq_[257 + length_symbol_index(length)]++;
    dist_freq_[dist_symbol(distance)]++;
    covered_end_ += static_cast<size_t>(length);
  }

  void flush(bool final_block);

 private:
  void write_stored(bool final_block);

  std::string_view input_;
  BitWriter* w_;
  std::vector<Token> tokens_;
  uint32_t litlen_freq_[kLitLenSymbols] = {};
  uint32_t dist_freq_[kDistSymbols] = {};
  size_t block_start_ = 0;  // input bytes covered by this block: [start, end)
  size_t covered_end_ = 0;
};

void BlockWriter::flush(bool final_block) {
  litlen_freq_[kEndOfBlock] = 1;
  Code fixed_litlen, fixed_dist;
  for (int s = 0; s < kFixedLitLenSymbols; s++)
    fixed_litlen.lengths[s] = static_cast<uint8_t>(fixed_litlen_length(s));
  for (int s = 0; s < kFixedDistSymbols; s++) fixed_dist.lengths[s] = kFixedDistLength;
  uint64_t fixed_bits =
      3 + data_bits(litlen_freq_, dist_freq_, fixed_litlen.lengths, fixed_dist.lengths);

  DynamicPlan plan;
  plan_dynamic(litlen_freq_, dist_freq_, &plan);
  uint64_t dynamic_bits = plan.header_bits + data_bits(litlen_freq_, dist_freq_,
                                                       plan.litlen.lengths, plan.dist.lengths);

  uint64_t stored_bytes = covered_end_ - block_start_;
  uint64_t chunks = std::max<uint64_t>(1, (stored_bytes + kMaxStoredBytes - 1) / kMaxStoredBytes);
  uint64_t first_pad = (8 - (w_->pending_bits() + 3) % 8) % 8;
  uint64_t stored_bits = chunks * (3 + 32) + first_pad + (chunks - 1) * 5 + 8 * stored_bytes;

  if (stored_bits < fixed_bits && stored_bits < dynamic_bits) {
    write_stored(final_block);
  } else if (fixed_bits <= dynamic_bits) {
    w_->put(final_block ? 1 : 0, 1);
    w_->put(1, 2);
    make_codes(fixed_litlen.lengths, kFixedLitLenSymbols, fixed_litlen.codes);
    make_codes(fixed_dist.lengths, kFixedDistSymbols, fixed_dist.codes);
    write_tokens(tokens_, fixed_litlen, fixed_dist, w_);
  } else {
    w_->put(final_block ? 1 : 0, 1);
    w_->put(2, 2);
    write_dynamic_header(plan, w_);
    write_tokens(tokens_, plan.litlen, plan.dist, w_);
  }
  tokens_.clear();
  std::fill(litlen_freq_, litlen_freq_ + kLitLenSymbols, 0);
  std::fill(dist_freq_, dist_freq_ + kDistSymbols, 0);
  block_start_ = covered_end_;
}

void BlockWriter::write_stored(bool final_block) {
  size_t start = block_start_;
  do {
    size_t chunk = std::min(covered_end_ - start, kMaxStoredBytes);
    bool last_chunk = start + chunk == covered_end_;
    w_->put(final_block && last_chunk ? 1 : 0, 1);
    w_->put(0, 2);
    w_->align();
    w_->put(static_cast<uint32_t>(chunk), 16);
    w_->put(static_cast<uint32_t>(~chunk & 0xffff), 16);  // fills 32 bits: flushed
    w_->out()->append(input_.data() + start, chunk);
    start += chunk;
  } while (start < covered_end_);
}

/// Hash chains over the input: head[hash] is the last position (+1) with
/// that 3-byte hash, prev[pos % window] the distance back to the one before.
class Matcher {
 public:
  explicit Matcher(std::string_view input)
      : data_(reinterpret_cast<const uint8_t*>(input.data())), size_(input.size()) {
    hash_bits_ = 8;
    while (hash_bits_ < kMaxHashBits && (size_t{1} << hash_bits_) < size_) hash_bits_++;
    head_.assign(size_t{1} << hash_bits_, 0);
    prev_.assign(std::min<size_t>(size_, kWindowBytes), 0);
  }

  bool hashable(size_t pos) const { return pos + kMinMatch <= size_; }

  uint32_t hash(size_t pos) const {
    uint32_t v = data_[pos] | data_[pos + 1] << 8 | data_[pos + 2] << 16;
    return (v * 0x9E3779B1u) >> (32 - hash_bits_);
  }

  void insert(size_t pos, uint32_t h) {
    uint32_t newest = head_[h];
    uint32_t here = static_cast<uint32_t>(pos) + 1;
    uint32_t back = here - newest;
    prev_[pos & (kWindowBytes - 1)] =
        newest && back <= kWindowBytes ? static_cast<uint16_t>(back) : 0;
    head_[h] = here;
  }

  /// Longest match at `pos` longer than `at_least`, from the chain of hash
  /// `h` (pos itself not inserted yet). Returns its length, 0 if none.
  int longest_match(size_t pos, uint32_t h, int at_least, uint32_t* dist_out) const;

 private:
  static size_t common_length(const uint8_t* a, const uint8_t* b, size_t max);

  const uint8_t* data_;
  size_t size_;
  int hash_bits_;
  std::vector<uint32_t> head_;
  std::vector<uint16_t> prev_;
};

size_t Matcher::common_length(const uint8_t* a, const uint8_t* b, size_t max) {
  size_t len = 0;
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

int Matcher::longest_match(size_t pos, uint32_t h, int at_least, uint32_t* dist_out) const {
  size_t max_len = std::min<size_t>(kMaxMatch, size_ - pos);
  int best = std::max(at_least, kMinMatch - 1);
  if (max_len <= static_cast<size_t>(best)) return 0;
  int found = 0;
  int chain = at_least >= kGoodLength ? kMaxChain / 4 : kMaxChain;
  uint32_t newest = head_[h];
  if (!newest) return 0;
  uint32_t dist = static_cast<uint32_t>(pos) + 1 - newest;
  const uint8_t* here = data_ + pos;
  while (chain-- > 0) {
    if (dist == 0 || dist > kWindowBytes || dist > pos) break;
    const uint8_t* there = here - dist;
    if (there[best] == here[best] && there[0] == here[0] && there[1] == here[1]) {
      int len = static_cast<int>(common_length(there, here, max_len));
      if (len > best && (len > kMinMatch || dist <= kTooFar)) {
        best = len;
        found = len;
        *dist_out = dist;
        if (len >= kNiceLength || static_cast<size_t>(len) == max_len) break;
      }
    }
    uint16_t step = prev_[(pos - dist) & (kWindowBytes - 1)];
    if (!step) break;
    dist += step;
  }
  return found;
}

}  // namespace

namespace deflate_format {

// A plain Huffman tree is built first; when it is too deep the deep leaves
// are clamped to max_bits and the Kraft sum is repaired by pushing shorter
// leaves one level down, one unit of excess at a time.
void build_limited_code_lengths(const uint32_t* freq, int n, int max_bits, uint8_t* lengths) {
  uint16_t leaves[kFixedLitLenSymbols];
  int leaf_count = 0;
  for (int s = 0; s < n; s++) {
    lengths[s] = 0;
    if (freq[s]) leaves[leaf_count++] = static_cast<uint16_t>(s);
  }
  if (leaf_count == 0) return;
  if (leaf_count == 1) {
    lengths[leaves[0]] = 1;
    return;
  }
  std::sort(leaves, leaves + leaf_count, [freq](uint16_t a, uint16_t b) {
    return freq[a] != freq[b] ? freq[a] < freq[b] : a < b;
  });

  // Two-queue construction: leaves in frequency order, internal nodes are
  // created in non-decreasing weight order, so both queues stay sorted.
  uint64_t weight[2 * kFixedLitLenSymbols];  // 64 bits: sums of any uint32 freqs
  uint16_t parent[2 * kFixedLitLenSymbols];
  for (int i = 0; i < leaf_count; i++) weight[i] = freq[leaves[i]];
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
    if (matcher.hashable(pos)) {
      uint32_t h = matcher.hash(pos);
      if (prev_len < kLazyLimit) cur_len = matcher.longest_match(pos, h, prev_len, &cur_dist);
      matcher.insert(pos, h);
    }
    if (prev_len >= kMinMatch && cur_len <= prev_len) {
      block.match(prev_len, prev_dist);
      size_t match_end = pos - 1 + static_cast<size_t>(prev_len);
      for (size_t p = pos + 1; p < match_end && matcher.hashable(p); p++)
        matcher.insert(p, matcher.hash(p));
      pos = match_end;
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
  w.align();
}
