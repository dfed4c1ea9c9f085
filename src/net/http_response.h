// HTTP/1.1 client side: request heads (write) and responses (parse,
// incrementally, as bytes arrive from the socket).
//
// A response's body is framed by Content-Length, by chunked
// Transfer-Encoding (extensions and trailers skipped) or by the end of the
// connection (RFC 9112 §6.3). The head has the request parser's caps
// (kHttpMaxHead bytes, kHttpMaxHeaders lines); the body has the cap given to
// the parser.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/reader.h"
#include "net/http.h"
#include "net/url.h"

struct HttpResponse {
  std::string version;  ///< "HTTP/1.1" or "HTTP/1.0"
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string content_encoding;  ///< lower-cased Content-Encoding, "" if none
  std::string body;              ///< transfer-decoded (de-chunked) bytes
  bool keep_alive = false;       ///< the connection may carry another request

  /// The first header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

/// Reads one response. feed() takes bytes as they come; finish() tells it
/// the peer closed. Both return kIncomplete until the response is whole,
/// then kOk (and keep returning it), or kError with error() saying why.
class HttpResponseParser {
 public:
  explicit HttpResponseParser(size_t max_body_bytes);

  /// The response answers a HEAD request: no body, whatever the headers say.
  void set_head_request(bool head_request) { head_request_ = head_request; }

  /// Consumes bytes of `data`; *used (when given) is how many belong to this
  /// response. On kOk the bytes after them belong to what follows: the next
  /// response, or WebSocket frames after a 101.
  HttpParse feed(std::string_view data, size_t* used = nullptr);
  /// The connection ended: completes a body that runs until close.
  HttpParse finish();

  /// Starts over for the next response on a kept-alive connection (the
  /// HEAD flag is cleared too).
  void reset();

  const HttpResponse& response() const { return response_; }
  HttpResponse& response() { return response_; }
  const std::string& error() const { return error_; }

 private:
  enum class State {
    kStatusLine, kHeaderLine, kBodyLength, kChunkSize, kChunkData, kChunkDataEnd,
    kTrailer, kUntilClose, kDone, kFailed,
  };

  HttpParse fail(const char* message);
  bool reject(const char* message);  // fail() for the on_* steps
  bool take_line(Reader* in, size_t max_line_bytes, std::string_view* line);
  bool on_status_line(std::string_view line);
  bool on_header_line(std::string_view line);
  bool on_head_end();
  bool on_chunk_size_line(std::string_view line);
  HttpParse step(Reader* in);

  size_t max_body_bytes_;
  bool head_request_ = false;
  State state_ = State::kStatusLine;
  std::string line_;          // the line being assembled across feeds
  size_t head_bytes_ = 0;     // bytes of the current head or trailer section
  size_t interim_count_ = 0;  // 1xx responses skipped so far
  uint64_t body_left_ = 0;    // of the Content-Length or of the current chunk
  bool line_too_long_ = false;
  HttpResponse response_;
  std::string error_;
};

/// The body with its Content-Encoding undone (identity, gzip or x-gzip),
/// at most max_bytes. Other encodings fail with *err naming them.
bool http_decode_body(const HttpResponse& response, size_t max_bytes, std::string* out,
                      std::string* err);

/// Appends a request head: "METHOD target HTTP/1.1", Host (with the port
/// when it is not the scheme's default), Authorization: Basic from the URL's
/// userinfo, then `extra_headers` (whole lines each ending in "\r\n") and
/// the blank line.
void http_write_request(std::string* out, std::string_view method, const Url& url,
                        std::string_view extra_headers);
