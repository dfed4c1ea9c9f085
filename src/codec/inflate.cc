#include "codec/inflate.h"

#include <stdint.h>

#include <algorithm>
#include <vector>

#include "codec/deflate.h"

using namespace deflate_format;

namespace {

bool fail(std::string* err, const char* message) {
  if (err) *err = std::string("inflate: ") + message;
  return false;
}

/// LSB-first bit input over a Reader. It reads ahead up to 8 bytes, so the
/// bytes it did not use are given back through consumed_bytes().
class BitReader {
 public:
  explicit BitReader(std::string_view data) : source_(data) {}

  /// Makes at least `count` (<= 56) bits available; false at end of input.
  bool need(int count) {
    if (bit_count_ < count) refill();
    return bit_count_ >= count;
  }

  /// The buffered bits (zero beyond available()).
  uint64_t peek() const { return bits_; }
  int available() const { return bit_count_; }
  void drop(int count) {
    bits_ >>= count;
    bit_count_ -= count;
  }

  bool read(int count, uint32_t* value) {
    if (!need(count)) return false;
    *value = static_cast<uint32_t>(bits_ & ((uint64_t{1} << count) - 1));
    drop(count);
    return true;
  }

  /// Skips to the next byte boundary (stored blocks start there).
  void align() { drop(bit_count_ % 8); }

  /// Appends `size` bytes after align(): first the buffered ones, then
  /// straight from the source.
  bool copy_bytes(size_t size, std::string* out) {
    while (size > 0 && bit_count_ >= 8) {
      out->push_back(static_cast<char>(bits_ & 0xff));
      drop(8);
      size--;
    }
    std::string_view rest;
    if (!source_.bytes(size, &rest)) return false;
    out->append(rest);
    return true;
  }

  /// Input bytes used so far; whole bytes still buffered were not used.
  size_t consumed_bytes() const { return source_.offset() - static_cast<size_t>(bit_count_ / 8); }

 private:
  void refill() {
    uint8_t byte;
    while (bit_count_ <= 56 && source_.u8(&byte)) {
      bits_ |= static_cast<uint64_t>(byte) << bit_count_;
      bit_count_ += 8;
    }
  }

  Reader source_;
  uint64_t bits_ = 0;
  int bit_count_ = 0;
};

constexpr int kFastBits = 9;

/// A canonical Huffman decoder. Codes up to kFastBits long are found with one
/// table lookup on the next (bit-reversed) input bits; longer ones are decoded
/// bit by bit from the per-length counts.
struct HuffmanDecoder {
  uint16_t count[kMaxCodeBits + 1];
  int max_length;  // longest code: a bit string this long that matches nothing is invalid
  uint16_t symbols[kFixedLitLenSymbols];  // ordered by code
  uint16_t fast[1 << kFastBits];          // symbol << 4 | length; 0 = slow path
};

enum class DecodeResult { kOk, kTruncated, kInvalid };

enum class TreeCheck { kOk, kOverSubscribed, kIncomplete };

/// Builds the decoder for `lengths[0..n)`. Over-subscribed sets are always
/// refused; incomplete ones only allowed (when allow_single) for zero codes
/// or one code of length 1, which RFC 1951 allows for distances and zlib
/// accepts for both trees.
TreeCheck build_decoder(const uint8_t* lengths, int n, bool allow_single, HuffmanDecoder* d) {
  std::fill(d->count, d->count + kMaxCodeBits + 1, 0);
  for (int s = 0; s < n; s++) d->count[lengths[s]]++;
  d->count[0] = 0;
  int left = 1;  // unused codes at the current length
  int used = 0;
  d->max_length = 0;
  for (int len = 1; len <= kMaxCodeBits; len++) {
    left = left * 2 - d->count[len];
    used += d->count[len];
    if (d->count[len]) d->max_length = len;
    if (left < 0) return TreeCheck::kOverSubscribed;
  }
  if (left > 0 && !(allow_single && (used == 0 || (used == 1 && d->count[1] == 1))))
    return TreeCheck::kIncomplete;
  uint16_t offset[kMaxCodeBits + 2];
  offset[1] = 0;
  for (int len = 1; len <= kMaxCodeBits; len++) offset[len + 1] = offset[len] + d->count[len];
  for (int s = 0; s < n; s++)
    if (lengths[s]) d->symbols[offset[lengths[s]]++] = static_cast<uint16_t>(s);

  std::fill(d->fast, d->fast + (1 << kFastBits), 0);
  uint32_t code = 0;
  int index = 0;
  for (int len = 1; len <= kFastBits; len++, code <<= 1) {
    for (int k = 0; k < d->count[len]; k++, code++, index++) {
      uint32_t reversed = 0;
      for (int i = 0; i < len; i++) reversed |= ((code >> i) & 1) << (len - 1 - i);
      uint16_t entry = static_cast<uint16_t>(d->symbols[index] << 4 | len);
      for (uint32_t slot = reversed; slot < (1u << kFastBits); slot += 1u << len)
        d->fast[slot] = entry;
    }
  }
  return TreeCheck::kOk;
}

/// The error for a refused tree, e.g. "inflate: incomplete distance code".
bool tree_error(TreeCheck check, const char* tree, std::string* err) {
  std::string message = check == TreeCheck::kOverSubscribed ? "over-subscribed " : "incomplete ";
  return fail(err, (message + tree + " code").c_str());
}

DecodeResult decode_symbol(const HuffmanDecoder& d, BitReader* in, int* symbol) {
  in->need(kMaxCodeBits);
  uint64_t bits = in->peek();
  int available = in->available();
  uint16_t entry = d.fast[bits & ((1u << kFastBits) - 1)];
  if (entry) {
    int len = entry & 15;
    if (len > available) return DecodeResult::kTruncated;
    in->drop(len);
    *symbol = entry >> 4;
    return DecodeResult::kOk;
  }
  // Canonical decoding: codes of one length are consecutive, starting at `first`.
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= d.max_length; len++) {
    if (len > available) return DecodeResult::kTruncated;
    code |= static_cast<int>((bits >> (len - 1)) & 1);
    int count = d.count[len];
    if (code - first < count) {
      in->drop(len);
      *symbol = d.symbols[index + code - first];
      return DecodeResult::kOk;
    }
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return DecodeResult::kInvalid;
}

bool decode(const HuffmanDecoder& d, BitReader* in, int* symbol, std::string* err) {
  switch (decode_symbol(d, in, symbol)) {
    case DecodeResult::kOk: return true;
    case DecodeResult::kTruncated: return fail(err, "truncated input");
    case DecodeResult::kInvalid: break;
  }
  return fail(err, "invalid Huffman code");
}

class Inflater {
 public:
  Inflater(BitReader* in, std::string* out, size_t max_out_bytes, std::string* err)
      : in_(in), out_(out), start_(out->size()), max_out_bytes_(max_out_bytes), err_(err),
        decoders_(3) {}

  bool run();

 private:
  bool stored_block();
  bool fixed_block();
  bool dynamic_block();
  bool read_code_lengths(int total, uint8_t* lengths);
  bool block_data(const HuffmanDecoder& litlen, const HuffmanDecoder& dist);
  bool copy_match(size_t length, size_t distance);
  size_t produced() const { return out_->size() - start_; }

  BitReader* in_;
  std::string* out_;
  size_t start_;
  size_t max_out_bytes_;
  std::string* err_;
  std::vector<HuffmanDecoder> decoders_;  // lit/len, distance, code-length
};

bool Inflater::run() {
  for (;;) {
    uint32_t header;
    if (!in_->read(3, &header)) return fail(err_, "truncated input");
    bool ok = false;
    switch (header >> 1) {
      case 0: ok = stored_block(); break;
      case 1: ok = fixed_block(); break;
      case 2: ok = dynamic_block(); break;
      default: return fail(err_, "invalid block type 3");
    }
    if (!ok) return false;
    if (header & 1) return true;
  }
}

bool Inflater::stored_block() {
  in_->align();
  uint32_t length, inverted;
  if (!in_->read(16, &length) || !in_->read(16, &inverted)) return fail(err_, "truncated input");
  if ((length ^ 0xffff) != inverted) return fail(err_, "stored block length check failed");
  if (length > max_out_bytes_ - produced()) return fail(err_, "output exceeds limit");
  if (!in_->copy_bytes(length, out_)) return fail(err_, "truncated input");
  return true;
}

bool Inflater::fixed_block() {
  uint8_t lengths[kFixedLitLenSymbols];
  for (int s = 0; s < kFixedLitLenSymbols; s++)
    lengths[s] = static_cast<uint8_t>(fixed_litlen_length(s));
  build_decoder(lengths, kFixedLitLenSymbols, false, &decoders_[0]);  // complete by design
  std::fill(lengths, lengths + kFixedDistSymbols, kFixedDistLength);
  build_decoder(lengths, kFixedDistSymbols, false, &decoders_[1]);
  return block_data(decoders_[0], decoders_[1]);
}

bool Inflater::dynamic_block() {
  uint32_t hlit, hdist, hclen;
  if (!in_->read(5, &hlit) || !in_->read(5, &hdist) || !in_->read(4, &hclen))
    return fail(err_, "truncated input");
  int litlen_count = static_cast<int>(hlit) + 257;
  int dist_count = static_cast<int>(hdist) + 1;
  if (litlen_count > kLitLenSymbols) return fail(err_, "too many length symbols");
  if (dist_count > kDistSymbols) return fail(err_, "too many distance symbols");

  uint8_t cl_lengths[kCodeLengthSymbols] = {};
  for (uint32_t i = 0; i < hclen + 4; i++) {
    uint32_t len;
    if (!in_->read(3, &len)) return fail(err_, "truncated input");
    cl_lengths[kCodeLengthOrder[i]] = static_cast<uint8_t>(len);
  }
  TreeCheck check = build_decoder(cl_lengths, kCodeLengthSymbols, false, &decoders_[2]);
  if (check != TreeCheck::kOk) return tree_error(check, "code-length", err_);

  uint8_t lengths[kLitLenSymbols + kDistSymbols];
  if (!read_code_lengths(litlen_count + dist_count, lengths)) return false;
  if (lengths[kEndOfBlock] == 0) return fail(err_, "missing end-of-block code");
  check = build_decoder(lengths, litlen_count, true, &decoders_[0]);
  if (check != TreeCheck::kOk) return tree_error(check, "literal/length", err_);
  check = build_decoder(lengths + litlen_count, dist_count, true, &decoders_[1]);
  if (check != TreeCheck::kOk) return tree_error(check, "distance", err_);
  return block_data(decoders_[0], decoders_[1]);
}

bool Inflater::read_code_lengths(int total, uint8_t* lengths) {
  for (int i = 0; i < total;) {
    int symbol;
    if (!decode(decoders_[2], in_, &symbol, err_)) return false;
    if (symbol < 16) {
      lengths[i++] = static_cast<uint8_t>(symbol);
      continue;
    }
    uint8_t value = 0;
    uint32_t repeat;
    bool have_bits;
    if (symbol == 16) {
      if (i == 0) return fail(err_, "length repeat with no previous length");
      value = lengths[i - 1];
      have_bits = in_->read(2, &repeat);
      repeat += 3;
    } else if (symbol == 17) {
      have_bits = in_->read(3, &repeat);
      repeat += 3;
    } else {
      have_bits = in_->read(7, &repeat);
      repeat += 11;
    }
    if (!have_bits) return fail(err_, "truncated input");
    if (repeat > static_cast<uint32_t>(total - i)) return fail(err_, "code lengths overflow");
    std::fill(lengths + i, lengths + i + repeat, value);
    i += static_cast<int>(repeat);
  }
  return true;
}

bool Inflater::block_data(const HuffmanDecoder& litlen, const HuffmanDecoder& dist) {
  for (;;) {
    int symbol;
    if (!decode(litlen, in_, &symbol, err_)) return false;
    if (symbol < 256) {
      if (produced() >= max_out_bytes_) return fail(err_, "output exceeds limit");
      out_->push_back(static_cast<char>(symbol));
      continue;
    }
    if (symbol == kEndOfBlock) return true;
    int length_index = symbol - 257;
    if (length_index >= 29) return fail(err_, "invalid length symbol");
    uint32_t extra;
    if (!in_->read(kLengthExtra[length_index], &extra)) return fail(err_, "truncated input");
    size_t length = kLengthBase[length_index] + extra;
    int dist_symbol;
    if (!decode(dist, in_, &dist_symbol, err_)) return false;
    if (dist_symbol >= kDistSymbols) return fail(err_, "invalid distance symbol");
    if (!in_->read(kDistExtra[dist_symbol], &extra)) return fail(err_, "truncated input");
    size_t distance = kDistBase[dist_symbol] + extra;
    if (!copy_match(length, distance)) return false;
  }
}

bool Inflater::copy_match(size_t length, size_t distance) {
  if (distance > produced()) return fail(err_, "distance too far back");
  if (length > max_out_bytes_ - produced()) return fail(err_, "output exceeds limit");
  size_t need = out_->size() + length;
  if (need > out_->capacity()) {  // grow once, so the appends below never reallocate
    size_t room = max_out_bytes_ - produced();
    size_t most = room > SIZE_MAX - out_->size() ? SIZE_MAX : out_->size() + room;
    out_->reserve(std::min(std::max(need, out_->capacity() * 2), most));
  }
  if (distance == 1) {
    out_->append(length, out_->back());
    return true;
  }
  // Copy in pieces no longer than the distance, so source and destination
  // never overlap; an overlapping match repeats its last `distance` bytes.
  while (length > 0) {
    size_t piece = std::min(length, distance);
    size_t from = out_->size() - distance;
    out_->append(out_->data() + from, piece);
    length -= piece;
  }
  return true;
}

}  // namespace

bool inflate_raw(Reader* in, std::string* out, size_t max_out_bytes, std::string* err) {
  BitReader bits(in->rest());
  Inflater inflater(&bits, out, max_out_bytes, err);
  if (!inflater.run()) return false;
  in->skip(bits.consumed_bytes());
  return true;
}
