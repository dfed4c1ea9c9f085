#include "codec/gzip.h"

#include <string>

#include "base/test.h"
#include "codec/crc32.h"

namespace {

// Python: gzip.compress(b"hello", mtime=0)
const std::string kPythonHello(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xcb\x48\xcd\xc9\xc9\x07\x00"
    "\x86\xa6\x10\x36\x05\x00\x00\x00",
    25);

// Built in Python: FLG = FHCRC|FEXTRA|FNAME|FCOMMENT, XLEN 6 ("AB" subfield),
// name "hello.txt", comment "a comment", CRC16 of those 40 header bytes,
// then zlib's raw deflate of "hello, hello, hello!" and the trailer.
const std::string kAllFlags(
    "\x1f\x8b\x08\x1e\x00\x00\x00\x5f\x00\x03\x06\x00\x41\x42\x02\x00\x78\x79\x68\x65"
    "\x6c\x6c\x6f\x2e\x74\x78\x74\x00\x61\x20\x63\x6f\x6d\x6d\x65\x6e\x74\x00\x55\x75"
    "\xcb\x48\xcd\xc9\xc9\xd7\x51\xc8\x40\xa2\x14\x01\xa7\xbb\xd2\xfe\x14\x00\x00\x00",
    60);

struct GunzipResult {
  bool ok;
  std::string out;
  std::string err;
};

GunzipResult gunzip(const std::string& data, size_t max_out_bytes = 1 << 20) {
  GunzipResult r;
  r.ok = gzip_decompress(data, &r.out, max_out_bytes, &r.err);
  return r;
}

std::string gunzip_error(const std::string& data, size_t max_out_bytes = 1 << 20) {
  GunzipResult r = gunzip(data, max_out_bytes);
  EXPECT(!r.ok);
  return r.err;
}

}  // namespace

TEST(gzip_decodes_python_hello) {
  GunzipResult r = gunzip(kPythonHello);
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "hello");
}

TEST(gzip_decodes_all_header_fields) {
  GunzipResult r = gunzip(kAllFlags);
  EXPECT(r.ok);
  EXPECT_EQ(r.out, "hello, hello, hello!");
}

TEST(gzip_compress_hello_bytes) {
  std::string out = "x";
  gzip_compress("hello", &out);
  EXPECT_EQ(out.substr(0, 11), std::string("x\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 11));
  EXPECT_EQ(out.substr(out.size() - 8), std::string("\x86\xa6\x10\x36\x05\x00\x00\x00", 8));
#ifndef STATD_ZLIB
  // Our deflate codes "hello" exactly as zlib does: one fixed block.
  EXPECT_EQ(out.substr(11, 7), std::string("\xcb\x48\xcd\xc9\xc9\x07\x00", 7));
  EXPECT_EQ(out.size(), 26u);
#endif
}

TEST(gzip_roundtrip) {
  std::string inputs[4] = {"", "a", std::string(100000, 'z'), ""};
  for (int i = 0; i < 5000; i++) inputs[3] += static_cast<char>((i * i) ^ (i >> 2));
  for (const std::string& input : inputs) {
    std::string packed;
    gzip_compress(input, &packed);
    EXPECT(gzip_looks_compressed(packed));
    GunzipResult r = gunzip(packed, input.size());
    EXPECT(r.ok);
    EXPECT(r.out == input);
  }
}

TEST(gzip_output_limit) {
  EXPECT(gunzip(kPythonHello, 5).ok);
  EXPECT_EQ(gunzip_error(kPythonHello, 4), "inflate: output exceeds limit");
}

TEST(gzip_error_bad_magic) {
  EXPECT_EQ(gunzip_error(""), "gzip: not gzip data (bad magic)");
  EXPECT_EQ(gunzip_error("hello"), "gzip: not gzip data (bad magic)");
  std::string bad = kPythonHello;
  bad[1] = '\x8c';
  EXPECT_EQ(gunzip_error(bad), "gzip: not gzip data (bad magic)");
}

TEST(gzip_error_header_fields) {
  std::string bad = kPythonHello;
  bad[2] = 7;
  EXPECT_EQ(gunzip_error(bad), "gzip: unknown compression method");
  bad = kPythonHello;
  bad[3] = '\x20';
  EXPECT_EQ(gunzip_error(bad), "gzip: reserved header flags set");
  EXPECT_EQ(gunzip_error(kPythonHello.substr(0, 9)), "gzip: truncated header");
}

TEST(gzip_error_header_crc) {
  std::string bad = kAllFlags;
  bad[20] = 'L';  // inside the file name, covered by the CRC16
  EXPECT_EQ(gunzip_error(bad), "gzip: header CRC mismatch");
}

TEST(gzip_error_truncated_fields) {
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 15)), "gzip: truncated extra field");
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 25)), "gzip: truncated file name");
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 35)), "gzip: truncated comment");
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 39)), "gzip: truncated header");
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 45)), "inflate: truncated input");
  EXPECT_EQ(gunzip_error(kAllFlags.substr(0, 57)), "gzip: truncated trailer");
  for (size_t n = 0; n < kAllFlags.size(); n++) EXPECT(!gunzip(kAllFlags.substr(0, n)).ok);
}

TEST(gzip_error_trailer) {
  std::string bad = kPythonHello;
  bad[17] = '\x87';  // CRC-32
  EXPECT_EQ(gunzip_error(bad), "gzip: CRC mismatch");
  bad = kPythonHello;
  bad[21] = 6;  // ISIZE
  EXPECT_EQ(gunzip_error(bad), "gzip: length mismatch");
  EXPECT_EQ(gunzip_error(kPythonHello + "x"), "gzip: trailing data after the gzip member");
  EXPECT_EQ(gunzip_error(kPythonHello + kPythonHello),
            "gzip: trailing data after the gzip member");
}

TEST(gzip_error_corrupt_deflate) {
  std::string bad = kPythonHello;
  bad[10] = '\xcf';  // block type 3
  EXPECT_EQ(gunzip_error(bad), "inflate: invalid block type 3");
}

TEST(gzip_looks_compressed_checks_magic) {
  EXPECT(gzip_looks_compressed(kPythonHello));
  EXPECT(gzip_looks_compressed(std::string("\x1f\x8b", 2)));
  EXPECT(!gzip_looks_compressed(std::string("\x1f", 1)));
  EXPECT(!gzip_looks_compressed(""));
  EXPECT(!gzip_looks_compressed("hello"));
}
