// gzip_decompress over arbitrary bytes, plus a round trip of the input
// through gzip_compress/gzip_decompress and deflate_compress/inflate_raw
// (and, for some inputs, of a >64 KiB text built from it).
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "base/reader.h"
#include "codec/deflate.h"
#include "codec/gzip.h"
#include "codec/inflate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  constexpr size_t kMaxOutBytes = 1 << 20;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string out, err;
  bool ok = gzip_decompress(input, &out, kMaxOutBytes, &err);
  if (out.size() > kMaxOutBytes) abort();
  if (!ok && err.empty()) abort();

  std::string packed;
  gzip_compress(input, &packed);
  std::string back;
  if (!gzip_decompress(packed, &back, size, &err) || back != input) abort();

  std::string raw;
  deflate_compress(input, &raw);
  Reader in(raw);
  back.clear();
  if (!inflate_raw(&in, &back, size, &err) || back != input || !in.empty()) abort();

  // One input in 16 also goes through as a long text: copies of the input,
  // each with one byte changed, past 64 KiB (where the compressor rebases its
  // 16-bit hash heads) and over many blocks, with matches at every distance.
  if (size >= 16 && (data[0] & 15) == 0) {
    std::string big;
    for (uint32_t copy = 0; big.size() < 70000; copy++) {
      size_t start = big.size();
      big.append(input);
      big[start + copy % size] = static_cast<char>(big[start + copy % size] ^ copy);
    }
    raw.clear();
    deflate_compress(big, &raw);
    Reader big_in(raw);
    back.clear();
    if (!inflate_raw(&big_in, &back, big.size(), &err) || back != big || !big_in.empty()) abort();
  }
  return 0;
}
