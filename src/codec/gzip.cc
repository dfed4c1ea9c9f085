#include "codec/gzip.h"

#include <stdint.h>

#include "base/reader.h"
#include "codec/crc32.h"
#include "codec/deflate.h"
#include "codec/inflate.h"

#ifdef STATD_ZLIB
#include <zlib.h>
#endif

namespace {

constexpr uint8_t kMagic1 = 0x1f;
constexpr uint8_t kMagic2 = 0x8b;
constexpr uint8_t kMethodDeflate = 8;
constexpr uint8_t kFlagHeaderCrc = 0x02;
constexpr uint8_t kFlagExtra = 0x04;
constexpr uint8_t kFlagName = 0x08;
constexpr uint8_t kFlagComment = 0x10;
constexpr uint8_t kFlagsReserved = 0xe0;
constexpr uint8_t kOsUnix = 3;

void append_le32(uint32_t value, std::string* out) {
  for (int i = 0; i < 4; i++) out->push_back(static_cast<char>(value >> (8 * i)));
}

bool fail(std::string* err, const char* message) {
  if (err) *err = std::string("gzip: ") + message;
  return false;
}

#ifdef STATD_ZLIB
/// Raw deflate by zlib at level 1 (fast); false if zlib fails, in which case
/// the caller falls back to the built-in compressor.
bool zlib_deflate_raw(std::string_view input, std::string* out) {
  z_stream stream = {};
  if (deflateInit2(&stream, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  size_t start = out->size();
  uLong bound = deflateBound(&stream, static_cast<uLong>(input.size()));
  out->resize(start + bound);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(&(*out)[start]);
  stream.avail_out = static_cast<uInt>(bound);
  int status = deflate(&stream, Z_FINISH);
  out->resize(start + stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) out->resize(start);
  return status == Z_STREAM_END;
}
#endif

/// Skips a zero-terminated header field (FNAME, FCOMMENT).
bool skip_zero_terminated(Reader* in) {
  std::string_view field;
  return in->until('\0', &field);
}

}  // namespace

void gzip_compress(std::string_view input, std::string* out) {
  // ID1 ID2 CM FLG, MTIME 0 (unknown), XFL 0, OS.
  const char header[10] = {static_cast<char>(kMagic1), static_cast<char>(kMagic2),
                           static_cast<char>(kMethodDeflate), 0, 0, 0, 0, 0, 0,
                           static_cast<char>(kOsUnix)};
  out->append(header, sizeof header);
#ifdef STATD_ZLIB
  // zlib's deflateInit2 takes the size as uInt: only for inputs that fit.
  if (input.size() > 0xffffffffu || !zlib_deflate_raw(input, out)) deflate_compress(input, out);
#else
  deflate_compress(input, out);
#endif
  append_le32(crc32_update(0, input.data(), input.size()), out);
  append_le32(static_cast<uint32_t>(input.size()), out);
}

bool gzip_decompress(std::string_view input, std::string* out, size_t max_out_bytes,
                     std::string* err) {
  Reader in(input);
  uint8_t id1, id2, method, flags;
  if (!in.u8(&id1) || !in.u8(&id2) || id1 != kMagic1 || id2 != kMagic2)
    return fail(err, "not gzip data (bad magic)");
  if (!in.u8(&method) || !in.u8(&flags) || !in.skip(6)) return fail(err, "truncated header");
  if (method != kMethodDeflate) return fail(err, "unknown compression method");
  if (flags & kFlagsReserved) return fail(err, "reserved header flags set");
  if (flags & kFlagExtra) {
    uint8_t low, high;
    if (!in.u8(&low) || !in.u8(&high) || !in.skip(static_cast<size_t>(low | high << 8)))
      return fail(err, "truncated extra field");
  }
  if ((flags & kFlagName) && !skip_zero_terminated(&in)) return fail(err, "truncated file name");
  if ((flags & kFlagComment) && !skip_zero_terminated(&in)) return fail(err, "truncated comment");
  if (flags & kFlagHeaderCrc) {
    // CRC16 = low half of the CRC-32 of every header byte before it.
    uint32_t expected = crc32_update(0, input.data(), in.offset()) & 0xffff;
    uint8_t low, high;
    if (!in.u8(&low) || !in.u8(&high)) return fail(err, "truncated header");
    if (static_cast<uint32_t>(low | high << 8) != expected) return fail(err, "header CRC mismatch");
  }

  size_t start = out->size();
  if (!inflate_raw(&in, out, max_out_bytes, err)) return false;
  uint32_t stored_crc, stored_size;
  if (!in.le32(&stored_crc) || !in.le32(&stored_size)) return fail(err, "truncated trailer");
  size_t produced = out->size() - start;
  if (crc32_update(0, out->data() + start, produced) != stored_crc) return fail(err, "CRC mismatch");
  if (static_cast<uint32_t>(produced) != stored_size) return fail(err, "length mismatch");
  if (!in.empty()) return fail(err, "trailing data after the gzip member");
  return true;
}

bool gzip_looks_compressed(std::string_view input) {
  return input.size() >= 2 && static_cast<uint8_t>(input[0]) == kMagic1 &&
         static_cast<uint8_t>(input[1]) == kMagic2;
}
