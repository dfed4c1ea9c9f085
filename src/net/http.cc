#include "net/http.h"

#include "base/reader.h"
#include "base/str.h"

const std::string_view* HttpRequest::header(std::string_view name) const {
  for (const auto& h : headers)
    if (str_equal_ci(h.first, name)) return &h.second;
  return nullptr;
}

// RFC 9110 token characters (method and header names).
static bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

static bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

static bool has_ctl(std::string_view s) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

static bool parse_request_line(std::string_view line, HttpRequest* req, int* status) {
  Reader r(line);
  if (!r.until(' ', &req->method) || !is_token(req->method)) return false;
  if (!r.until(' ', &req->target) || req->target.empty()) return false;
  req->version = r.rest();
  if (req->target.size() > 2048) {
    *status = 414;
    return false;
  }
  for (unsigned char c : req->target)
    if (c <= 0x20 || c >= 0x7f) return false;
  if (req->version != "HTTP/1.1" && req->version != "HTTP/1.0") {
    *status = str_starts_with(req->version, "HTTP/") ? 505 : 400;
    return false;
  }
  // Origin form only ("/path?query"); absolute form is for proxies.
  if (req->target[0] != '/') return false;
  size_t q = req->target.find('?');
  req->path = req->target.substr(0, q);
  req->query = q == std::string_view::npos ? std::string_view() : req->target.substr(q + 1);
  req->keep_alive = req->version == "HTTP/1.1";
  return true;
}

static bool parse_header_line(std::string_view line, HttpRequest* req, int* status) {
  Reader r(line);
  std::string_view name;
  if (!r.until(':', &name) || !is_token(name)) return false;  // also rejects " name:" folding
  std::string_view value = str_trim(r.rest());
  if (has_ctl(value)) return false;
  if (req->headers.size() >= kHttpMaxHeaders) {
    *status = 431;
    return false;
  }
  req->headers.emplace_back(name, value);
  return true;
}

// Content-Length, Transfer-Encoding and Connection decide framing; get them
// right or refuse (request smuggling starts with a lenient parser here).
static bool check_framing(HttpRequest* req) {
  const std::string_view* cl = nullptr;
  for (const auto& h : req->headers) {
    if (!str_equal_ci(h.first, "Content-Length")) continue;
    if (cl && *cl != h.second) return false;
    cl = &h.second;
  }
  if (cl) {
    if (!str_to_u64(*cl, &req->content_length)) return false;
    if (req->content_length > 0) req->has_body = true;
  }
  if (req->header("Transfer-Encoding")) {
    if (cl) return false;
    req->has_body = true;
  }
  if (const std::string_view* conn = req->header("Connection")) {
    if (str_list_has(*conn, "close")) req->keep_alive = false;
    if (str_list_has(*conn, "keep-alive")) req->keep_alive = true;
  }
  return true;
}

HttpParse http_parse_request(std::string_view input, HttpRequest* req, int* status) {
  *req = HttpRequest();
  *status = 400;
  Reader r(input.substr(0, kHttpMaxHead));
  // RFC 9112 §2.2: ignore at least one empty line before the request line.
  if (r.consume("\r\n")) {}
  std::string_view line;
  if (!r.until("\r\n", &line)) {
    if (input.size() >= kHttpMaxHead) { *status = 431; return HttpParse::kError; }
    // A bare LF request line is not HTTP we speak; fail early rather than wait.
    // Search after the empty line skipped above: its LF is not a bare one.
    if (r.rest().find('\n') != std::string_view::npos) return HttpParse::kError;
    return HttpParse::kIncomplete;
  }
  if (!parse_request_line(line, req, status)) return HttpParse::kError;
  for (;;) {
    if (!r.until("\r\n", &line)) {
      if (input.size() >= kHttpMaxHead) { *status = 431; return HttpParse::kError; }
      return HttpParse::kIncomplete;
    }
    if (line.empty()) break;
    if (!parse_header_line(line, req, status)) return HttpParse::kError;
  }
  req->head_bytes = r.offset();
  if (req->version == "HTTP/1.1" && !req->header("Host")) return HttpParse::kError;
  if (!check_framing(req)) return HttpParse::kError;
  return HttpParse::kOk;
}

const char* http_reason(int status) {
  switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

void http_write_response(std::string* out, int status, std::string_view content_type,
                         std::string_view extra_headers, std::string_view body,
                         bool keep_alive, bool head_only) {
  str_appendf(out, "HTTP/1.1 %d %s\r\nServer: statd\r\n", status, http_reason(status));
  if (!content_type.empty()) {
    out->append("Content-Type: ");
    out->append(content_type);
    out->append("\r\n");
  }
  out->append(extra_headers);
  // A 304 never has a body, and a Content-Length there would have to be
  // the 200's (RFC 9110 §8.6), which the caller does not pass.
  if (status != 304) str_appendf(out, "Content-Length: %zu\r\n", body.size());
  if (!keep_alive) out->append("Connection: close\r\n");
  out->append("\r\n");
  if (!head_only) out->append(body);
}
