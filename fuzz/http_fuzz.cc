// http_parse_request over arbitrary bytes. Every view it returns must lie
// inside the input, a parsed head must fit the input and kHttpMaxHead, and
// the parser must be usable incrementally the way Client::handle_http uses
// it (re-parsed as bytes arrive): a prefix never decides differently from
// the whole input.
#include <stdint.h>
#include <stdlib.h>

#include <functional>
#include <string_view>

#include "net/http.h"

namespace {

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;  // an empty view may point anywhere
  std::less_equal<const char*> le;
  return le(whole.data(), part.data()) &&
         le(part.data() + part.size(), whole.data() + whole.size());
}

void check_request(const HttpRequest& req, std::string_view input) {
  if (req.head_bytes == 0 || req.head_bytes > input.size()) abort();
  if (req.head_bytes > kHttpMaxHead) abort();
  std::string_view head = input.substr(0, req.head_bytes);
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") abort();
  for (std::string_view part : {req.method, req.target, req.path, req.query, req.version}) {
    if (!inside(part, head)) abort();
  }
  if (req.method.empty() || req.target.empty() || req.target[0] != '/') abort();
  // The path is the target up to '?', the query what follows it.
  if (req.path.data() != req.target.data()) abort();
  if (req.target.substr(0, req.path.size()) != req.path) abort();
  if (req.path.find('?') != std::string_view::npos) abort();
  if (!req.query.empty() && req.target.substr(req.path.size() + 1) != req.query) abort();
  if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0") abort();
  if (req.headers.size() > kHttpMaxHeaders) abort();
  for (const auto& h : req.headers) {
    if (h.first.empty() || !inside(h.first, head) || !inside(h.second, head)) abort();
    if (h.first.find(':') != std::string_view::npos) abort();
    if (h.second.find_first_of("\r\n") != std::string_view::npos) abort();
  }
  if (req.content_length > 0 && !req.has_body) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  HttpRequest whole;
  int whole_status = 0;
  HttpParse whole_result = http_parse_request(input, &whole, &whole_status);
  if (whole_result == HttpParse::kOk) check_request(whole, input);
  if (whole_result == HttpParse::kError) {
    if (whole_status != 400 && whole_status != 414 && whole_status != 431 &&
        whole_status != 505)
      abort();
  }
  if (whole_result == HttpParse::kIncomplete && size >= kHttpMaxHead) abort();

  // The same bytes arriving in pieces: each prefix is what the connection
  // holds at some moment.
  for (size_t cut = 0; cut < size; cut += 64) {
    std::string_view prefix = input.substr(0, cut);
    HttpRequest req;
    int status = 0;
    HttpParse result = http_parse_request(prefix, &req, &status);
    if (result == HttpParse::kOk) {
      check_request(req, prefix);
      if (whole_result != HttpParse::kOk || req.head_bytes != whole.head_bytes) abort();
      if (req.path != whole.path || req.headers.size() != whole.headers.size()) abort();
    } else if (result == HttpParse::kError) {
      // Refusing early is only right when the whole request is refused too
      // (the status may differ: a bare LF seen early is 400, the same bytes
      // past kHttpMaxHead are 431).
      if (whole_result != HttpParse::kError) abort();
    }
  }
  return 0;
}
