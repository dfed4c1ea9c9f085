// gzip_tool: lets an independent implementation (Python's zlib) check our
// codec from the outside. Reads stdin, writes stdout.
//   gzip_tool c        gzip_compress
//   gzip_tool d        gzip_decompress
//   gzip_tool deflate  raw deflate_compress
//   gzip_tool inflate  raw inflate_raw
#include <stdio.h>
#include <string.h>

#include <string>

#include "base/reader.h"
#include "codec/deflate.h"
#include "codec/gzip.h"
#include "codec/inflate.h"

namespace {

constexpr size_t kMaxOutBytes = size_t{1} << 30;

bool read_all(FILE* f, std::string* data) {
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) data->append(buf, n);
  return !ferror(f);
}

int usage() {
  fprintf(stderr, "usage: gzip_tool c|d|deflate|inflate  < in > out\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return usage();
  std::string mode = argv[1];
  std::string input, output, err;
  if (!read_all(stdin, &input)) {
    fprintf(stderr, "gzip_tool: read error\n");
    return 1;
  }
  bool ok = true;
  if (mode == "c") {
    gzip_compress(input, &output);
  } else if (mode == "d") {
    ok = gzip_decompress(input, &output, kMaxOutBytes, &err);
  } else if (mode == "deflate") {
    deflate_compress(input, &output);
  } else if (mode == "inflate") {
    Reader in(input);
    ok = inflate_raw(&in, &output, kMaxOutBytes, &err);
  } else {
    return usage();
  }
  if (!ok) {
    fprintf(stderr, "gzip_tool: %s\n", err.c_str());
    return 1;
  }
  if (fwrite(output.data(), 1, output.size(), stdout) != output.size() || fflush(stdout) != 0) {
    fprintf(stderr, "gzip_tool: write error\n");
    return 1;
  }
  return 0;
}
