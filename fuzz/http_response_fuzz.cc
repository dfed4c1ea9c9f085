// HttpResponseParser over arbitrary bytes, fed whole and then in pieces of
// fuzz-chosen sizes: the verdict, the error, the bytes taken and every part
// of the response must not depend on the split. Then a round trip: a
// response written by statd's http_write_response around a fuzz-chosen body
// must come back with that exact body.
//
// Input: byte 0 = flags (HEAD request, body cap), byte 1 = seed for the
// piece sizes, rest = the bytes the server sent.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "net/http.h"
#include "net/http_response.h"

namespace {

struct Outcome {
  HttpParse result;
  size_t used = 0;
  std::string error;
  HttpResponse response;
};

Outcome run(std::string_view in, size_t max_body, bool head, uint32_t seed) {
  HttpResponseParser parser(max_body);
  parser.set_head_request(head);
  Outcome o;
  o.result = HttpParse::kIncomplete;
  size_t at = 0;
  while (at < in.size() && o.result == HttpParse::kIncomplete) {
    size_t piece = in.size() - at;
    if (seed) {
      seed = seed * 1103515245u + 12345u;
      piece = 1 + (seed >> 16) % 17;
      if (piece > in.size() - at) piece = in.size() - at;
    }
    size_t used = 0;
    o.result = parser.feed(in.substr(at, piece), &used);
    if (used > piece) abort();
    if (o.result == HttpParse::kIncomplete && used != piece) abort();
    o.used += used;
    at += piece;
  }
  if (o.result == HttpParse::kIncomplete) o.result = parser.finish();
  if (o.result == HttpParse::kIncomplete) abort();  // finish() always decides
  o.error = parser.error();
  o.response = parser.response();
  if (o.result == HttpParse::kError && o.error.empty()) abort();
  if (o.response.body.size() > max_body) abort();
  if (o.response.headers.size() > kHttpMaxHeaders) abort();
  return o;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.result != b.result || a.error != b.error) return false;
  if (a.result == HttpParse::kError) return true;  // a partial response may differ
  const HttpResponse& x = a.response;
  const HttpResponse& y = b.response;
  return a.used == b.used && x.version == y.version && x.status == y.status &&
         x.reason == y.reason && x.headers == y.headers && x.body == y.body &&
         x.keep_alive == y.keep_alive && x.content_encoding == y.content_encoding;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  bool head = data[0] & 1;
  size_t max_body = (data[0] & 2) ? 64 : 1 << 20;
  uint32_t seed = data[1] | 1u;
  std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);

  Outcome whole = run(in, max_body, head, 0);
  Outcome pieces = run(in, max_body, head, seed);
  if (!same(whole, pieces)) abort();
  if (whole.result == HttpParse::kOk) {
    std::string decoded, err;
    http_decode_body(whole.response, 4096, &decoded, &err);
  }

  // Round trip through the server's writer.
  std::string wire;
  std::string_view body = in.substr(0, in.size() / 2);
  http_write_response(&wire, 200, "text/plain", "", body, (data[0] & 4) != 0, head);
  Outcome echoed = run(wire, 1 << 20, head, seed);
  if (echoed.result != HttpParse::kOk || echoed.used != wire.size()) abort();
  if (echoed.response.status != 200 || echoed.response.body != (head ? "" : body)) abort();
  return 0;
}
