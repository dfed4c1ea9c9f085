// URLs statc connects to: ws://, wss://, http://, https://, rtstat:// and
// the bare "HOST[:PORT]" that statc takes on its command line.
//
// Only what a client needs is parsed (RFC 3986 §3 subset): scheme,
// userinfo, host (IPv6 literals in brackets), port and the request target.
// A fragment ("#...") is dropped: it is never sent.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

struct Url {
  std::string scheme;          ///< lower case: ws, wss, http, https or rtstat
  std::string user, password;  ///< percent-decoded userinfo
  std::string host;            ///< IPv6 literals without their brackets
  std::string path_and_query;  ///< request target, always starting with '/'
  uint16_t port = 0;           ///< explicit or the scheme's default
  bool has_userinfo = false;   ///< an '@' was present (even "@host")
};

/// Longest URL accepted, in bytes.
constexpr size_t kUrlMaxBytes = 4096;

/// Parses `text`. Without "scheme://" the text is statc's bare form
/// HOST[:PORT][/PATH] with scheme "ws", port 3000 and path "/ws". Rejects
/// spaces, control and non-ASCII bytes, unknown schemes, an empty host, a
/// port of 0 or above 65535 and malformed percent escapes in the userinfo.
bool url_parse(std::string_view text, Url* out, std::string* err);

/// The default port of a scheme (ws/http 80, wss/https 443, rtstat 8000), or
/// 0 for a scheme this module does not know.
uint16_t url_default_port(std::string_view scheme);

/// True for wss:// and https://.
bool url_uses_tls(const Url& url);

/// "host", "host:port" or "[v6]:port": the Host header value; the port is
/// left out when it is the scheme's default.
std::string url_host_header(const Url& url);

/// The URL for logs and error messages: never the password (shown as
/// "***"), and every query value masked too ("?token=***"), because statd
/// takes its token in the query.
std::string url_redacted(const Url& url);
