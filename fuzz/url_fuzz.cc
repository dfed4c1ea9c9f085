// url_parse on arbitrary text. Whatever parses must have a usable host,
// port and request target, and its redacted form (when within the length
// cap) must parse again to the same scheme, user, host, port and path with
// the password replaced by "***" (so the password itself can never reach a
// log line).
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "net/url.h"

namespace {

bool printable(std::string_view s) {
  for (unsigned char c : s)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Url url;
  std::string err;
  if (!url_parse(text, &url, &err)) {
    if (err.empty()) abort();
    return 0;
  }
  if (url.host.empty() || url.port == 0 || url_default_port(url.scheme) == 0) abort();
  if (url.path_and_query.empty() || url.path_and_query[0] != '/') abort();
  if (!printable(url.path_and_query) || url.path_and_query.find('#') != std::string::npos) abort();
  if (!url.has_userinfo && (!url.user.empty() || !url.password.empty())) abort();

  std::string redacted = url_redacted(url);
  std::string host_header = url_host_header(url);
  if (!printable(redacted) || !printable(host_header)) abort();

  Url again;
  if (!url_parse(redacted, &again, &err)) {
    // Masking and escaping can lengthen a URL ("=1" becomes "=***", "(" in the
    // user name "%28"). The redacted form is for labels and logs only, so past
    // the length cap it need not parse again; below it, it must.
    if (redacted.size() > kUrlMaxBytes) return 0;
    abort();
  }
  if (again.scheme != url.scheme || again.host != url.host || again.port != url.port) abort();
  if (again.user != url.user || again.has_userinfo != url.has_userinfo) abort();
  if (again.password != (url.password.empty() ? "" : "***")) abort();
  std::string_view path = url.path_and_query, path_again = again.path_and_query;
  if (path.substr(0, path.find('?')) != path_again.substr(0, path_again.find('?'))) abort();
  if (url_redacted(again) != redacted) abort();
  return 0;
}
