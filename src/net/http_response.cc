#include "net/http_response.h"

#include "base/str.h"
#include "codec/base64.h"
#include "codec/gzip.h"

namespace {

constexpr size_t kMaxChunkLineBytes = 4096;  // size plus extensions
constexpr size_t kMaxInterimResponses = 16;  // "100 Continue" and the like

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

bool has_ctl(std::string_view s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Every item of every header called `name`, as one comma-separated walk.
template <typename Fn>
void for_each_list_item(const HttpResponse& response, std::string_view name, Fn fn) {
  for (const auto& h : response.headers) {
    if (!str_equal_ci(h.first, name)) continue;
    Reader list(h.second);
    for (bool more = true; more;) {
      std::string_view item;
      more = list.until(',', &item);
      if (!more) item = list.rest();
      fn(str_trim(item));
    }
  }
}

}  // namespace

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& h : headers)
    if (str_equal_ci(h.first, name)) return &h.second;
  return nullptr;
}

HttpResponseParser::HttpResponseParser(size_t max_body_bytes)
    : max_body_bytes_(max_body_bytes) {}

void HttpResponseParser::reset() { *this = HttpResponseParser(max_body_bytes_); }

HttpParse HttpResponseParser::fail(const char* message) {
  state_ = State::kFailed;
  error_ = message;
  return HttpParse::kError;
}

bool HttpResponseParser::reject(const char* message) {
  fail(message);
  return false;
}

// Appends input up to the next LF to line_. True once the line is whole;
// *line is then the line without its LF (nor a CR before it). A line longer
// than max_line_bytes, LF included, sets line_too_long_ instead. The limit
// is checked on the bytes seen so far, so feeding a response in pieces
// fails exactly where feeding it whole does.
bool HttpResponseParser::take_line(Reader* in, size_t max_line_bytes, std::string_view* line) {
  std::string_view piece;
  bool whole = in->until('\n', &piece);
  if (!whole) {
    piece = in->rest();
    in->skip(piece.size());
  }
  if (line_.size() + piece.size() + (whole ? 1 : 0) > max_line_bytes) {
    line_too_long_ = true;
    return false;
  }
  line_.append(piece);
  if (!whole) return false;
  *line = line_;
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  return true;
}

// Only a prefix of "HTTP/" can start a response: fail at once on a port
// that speaks something else instead of waiting for a line end.
static bool could_be_status_line(std::string_view partial) {
  partial = partial.substr(0, partial.find('\n'));
  if (partial == "\r") return true;
  std::string_view magic = "HTTP/";
  return partial.substr(0, magic.size()) == magic.substr(0, partial.size());
}

bool HttpResponseParser::on_status_line(std::string_view line) {
  if (!str_starts_with(line, "HTTP/")) return reject("not an HTTP response");
  Reader r(line);
  std::string_view version, code;
  if (!r.until(' ', &version)) return reject("bad status line");
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return reject("unsupported HTTP version");
  uint64_t status;
  if (!r.bytes(3, &code) || !str_to_u64(code, &status) || status < 100 || status > 599)
    return reject("bad status code");
  if (!r.empty() && !r.consume(" ")) return reject("bad status line");
  if (has_ctl(r.rest())) return reject("bad status line");
  response_.version = std::string(version);
  response_.status = static_cast<int>(status);
  response_.reason = std::string(str_trim(r.rest()));
  return true;
}

bool HttpResponseParser::on_header_line(std::string_view line) {
  auto& headers = response_.headers;
  if (line[0] == ' ' || line[0] == '\t') {
    // Obsolete line folding: RFC 9112 §5.2 has user agents join it with a space.
    if (headers.empty() || has_ctl(line)) return reject("bad header line");
    headers.back().second.push_back(' ');
    headers.back().second.append(str_trim(line));
    return true;
  }
  Reader r(line);
  std::string_view name;
  if (!r.until(':', &name) || !is_token(name)) return reject("bad header line");
  std::string_view value = str_trim(r.rest());
  if (has_ctl(value)) return reject("bad header line");
  if (headers.size() >= kHttpMaxHeaders) return reject("too many headers");
  headers.emplace_back(std::string(name), std::string(value));
  return true;
}

// RFC 9112 §6.3 decides how long the body is.
bool HttpResponseParser::on_head_end() {
  HttpResponse& resp = response_;
  if (resp.status < 200 && resp.status != 101) {
    if (++interim_count_ > kMaxInterimResponses) return reject("too many interim responses");
    resp = HttpResponse();
    head_bytes_ = 0;
    state_ = State::kStatusLine;
    return true;
  }
  resp.keep_alive = resp.version == "HTTP/1.1";
  for_each_list_item(resp, "Connection", [&](std::string_view item) {
    if (str_equal_ci(item, "close")) resp.keep_alive = false;
    if (str_equal_ci(item, "keep-alive") && resp.version == "HTTP/1.0") resp.keep_alive = true;
  });
  if (const std::string* encoding = resp.header("Content-Encoding"))
    resp.content_encoding = str_lower(*encoding);

  if (head_request_ || resp.status == 101 || resp.status == 204 || resp.status == 304) {
    state_ = State::kDone;
    return true;
  }

  size_t codings = 0;
  bool other_coding = false;
  for_each_list_item(resp, "Transfer-Encoding", [&](std::string_view item) {
    if (item.empty()) return;
    codings++;
    if (!str_equal_ci(item, "chunked")) other_coding = true;
  });
  if (other_coding || codings > 1) return reject("unsupported Transfer-Encoding");
  if (codings == 1) {
    // A Content-Length next to chunked is ignored, and the connection is
    // not trusted with another request (RFC 9112 §6.3 item 3).
    if (resp.header("Content-Length")) resp.keep_alive = false;
    state_ = State::kChunkSize;
    return true;
  }

  bool has_length = false, bad_length = false;
  uint64_t length = 0;
  for_each_list_item(resp, "Content-Length", [&](std::string_view item) {
    uint64_t value;
    if (!str_to_u64(item, &value) || (has_length && value != length)) bad_length = true;
    has_length = true;
    length = value;
  });
  if (bad_length) return reject("bad Content-Length");
  if (!has_length) {
    state_ = State::kUntilClose;
    resp.keep_alive = false;
    return true;
  }
  if (length > max_body_bytes_) return reject("body larger than the limit");
  resp.body.reserve(length);
  body_left_ = length;
  state_ = length ? State::kBodyLength : State::kDone;
  return true;
}

bool HttpResponseParser::on_chunk_size_line(std::string_view line) {
  Reader r(line);
  uint64_t size = 0;
  int digits = 0;
  for (int v; (v = hex_value(r.peek())) >= 0; r.skip(1)) {
    if (++digits > 15) return reject("bad chunk size");
    size = size * 16 + static_cast<uint64_t>(v);
  }
  if (digits == 0) return reject("bad chunk size");
  while (r.peek() == ' ' || r.peek() == '\t') r.skip(1);
  // Chunk extensions (";name=value") carry nothing a client here uses.
  if (!r.empty() && r.peek() != ';') return reject("bad chunk size");
  if (size == 0) {
    head_bytes_ = 0;
    state_ = State::kTrailer;
    return true;
  }
  if (size > max_body_bytes_ - response_.body.size())
    return reject("body larger than the limit");
  body_left_ = size;
  state_ = State::kChunkData;
  return true;
}

HttpParse HttpResponseParser::step(Reader* in) {
  for (;;) {
    std::string_view line;
    switch (state_) {
      case State::kStatusLine: {
        // Checked before the length so that the verdict does not depend
        // on how the bytes were split.
        std::string seen = line_;
        seen.append(in->rest().substr(0, 8));
        if (!could_be_status_line(seen)) return fail("not an HTTP response");
        if (!take_line(in, kHttpMaxHead - head_bytes_, &line)) {
          if (line_too_long_) return fail("response head too large");
          return HttpParse::kIncomplete;
        }
        head_bytes_ += line_.size() + 1;
        // Tolerate stray blank lines before a response (left by a sloppy
        // previous body); they count against the head cap.
        if (!line.empty() && !on_status_line(line)) return HttpParse::kError;
        if (!line.empty()) state_ = State::kHeaderLine;
        line_.clear();
        break;
      }
      case State::kHeaderLine:
        if (!take_line(in, kHttpMaxHead - head_bytes_, &line)) {
          if (line_too_long_) return fail("response head too large");
          return HttpParse::kIncomplete;
        }
        head_bytes_ += line_.size() + 1;
        if (line.empty() ? !on_head_end() : !on_header_line(line)) return HttpParse::kError;
        line_.clear();
        break;
      case State::kBodyLength:
      case State::kChunkData: {
        std::string_view piece;
        size_t n = body_left_ < in->remaining() ? static_cast<size_t>(body_left_) : in->remaining();
        in->bytes(n, &piece);
        response_.body.append(piece);
        body_left_ -= n;
        if (body_left_ > 0) return HttpParse::kIncomplete;
        state_ = state_ == State::kBodyLength ? State::kDone : State::kChunkDataEnd;
        break;
      }
      case State::kChunkSize:
        if (!take_line(in, kMaxChunkLineBytes, &line)) {
          if (line_too_long_) return fail("chunk size line too long");
          return HttpParse::kIncomplete;
        }
        if (!on_chunk_size_line(line)) return HttpParse::kError;
        line_.clear();
        break;
      case State::kChunkDataEnd:
        if (!take_line(in, 2, &line)) {
          if (line_too_long_) return fail("no CRLF after chunk data");
          return HttpParse::kIncomplete;
        }
        if (!line.empty()) return fail("no CRLF after chunk data");
        line_.clear();
        state_ = State::kChunkSize;
        break;
      case State::kTrailer:
        // Trailer fields are skipped: nothing statc reads is sent there.
        if (!take_line(in, kHttpMaxHead - head_bytes_, &line)) {
          if (line_too_long_) return fail("trailer section too large");
          return HttpParse::kIncomplete;
        }
        head_bytes_ += line_.size() + 1;
        if (line.empty()) state_ = State::kDone;
        line_.clear();
        break;
      case State::kUntilClose: {
        std::string_view piece = in->rest();
        if (piece.size() > max_body_bytes_ - response_.body.size())
          return fail("body larger than the limit");
        response_.body.append(piece);
        in->skip(piece.size());
        return HttpParse::kIncomplete;
      }
      case State::kDone: return HttpParse::kOk;
      case State::kFailed: return HttpParse::kError;
    }
  }
}

HttpParse HttpResponseParser::feed(std::string_view data, size_t* used) {
  Reader in(data);
  HttpParse result = step(&in);
  if (used) *used = in.offset();
  return result;
}

HttpParse HttpResponseParser::finish() {
  switch (state_) {
    case State::kDone: return HttpParse::kOk;
    case State::kFailed: return HttpParse::kError;
    case State::kUntilClose: state_ = State::kDone; return HttpParse::kOk;
    case State::kStatusLine:
      if (line_.empty() && head_bytes_ == 0 && interim_count_ == 0)
        return fail("connection closed before a response");
      return fail("connection closed in the middle of the response");
    default: return fail("connection closed in the middle of the response");
  }
}

bool http_decode_body(const HttpResponse& response, size_t max_bytes, std::string* out,
                      std::string* err) {
  const std::string& encoding = response.content_encoding;
  out->clear();
  if (encoding.empty() || encoding == "identity") {
    if (response.body.size() > max_bytes) {
      *err = "body larger than the limit";
      return false;
    }
    *out = response.body;
    return true;
  }
  if (encoding == "gzip" || encoding == "x-gzip")
    return gzip_decompress(response.body, out, max_bytes, err);
  *err = "unsupported Content-Encoding: " + encoding;
  return false;
}

void http_write_request(std::string* out, std::string_view method, const Url& url,
                        std::string_view extra_headers) {
  out->append(method);
  out->push_back(' ');
  out->append(url.path_and_query);
  out->append(" HTTP/1.1\r\nHost: ");
  out->append(url_host_header(url));
  out->append("\r\n");
  if (url.has_userinfo) {
    // RFC 7617: base64 of "user:password", as Go's client sends for gotop.
    out->append("Authorization: Basic ");
    out->append(base64_encode(url.user + ":" + url.password));
    out->append("\r\n");
  }
  out->append(extra_headers);
  out->append("\r\n");
}
