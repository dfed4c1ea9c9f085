// HTTP/1.1 request heads (parse) and responses (write); no bodies are read.
//
// statd only serves GET/HEAD, so a request is its head: request line plus
// headers up to the blank line, at most kHttpMaxHead bytes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

constexpr size_t kHttpMaxHead = 8 * 1024;
constexpr size_t kHttpMaxHeaders = 64;

struct HttpRequest {
  std::string_view method, target, path, query, version;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  size_t head_bytes = 0;   ///< bytes of the head including the blank line
  uint64_t content_length = 0;
  bool has_body = false;   ///< Content-Length > 0 or Transfer-Encoding present
  bool keep_alive = true;  ///< HTTP/1.1 default unless "Connection: close"

  /// The first header with this name (case-insensitive), or nullptr.
  const std::string_view* header(std::string_view name) const;
};

enum class HttpParse { kIncomplete, kOk, kError };

/// Parses a request head at the start of `input`. Views in *req point into
/// `input`. On kError, *status is the status to answer (400, 414, 431, 505).
HttpParse http_parse_request(std::string_view input, HttpRequest* req, int* status);

/// The reason phrase for the status codes statd uses.
const char* http_reason(int status);

/// Appends a complete response. `extra_headers` are whole lines each ending
/// in "\r\n". With head_only the body is counted but not written (HEAD).
void http_write_response(std::string* out, int status, std::string_view content_type,
                         std::string_view extra_headers, std::string_view body,
                         bool keep_alive, bool head_only = false);
