#include "agent/dashboard.h"

#include "base/reader.h"
#include "base/str.h"
#include "codec/gzip.h"

namespace {

// Reads one comma-separated list item (without the comma) from *r.
std::string_view next_item(Reader* r) {
  std::string_view item;
  if (!r->until(',', &item)) r->bytes(r->remaining(), &item);
  return item;
}

// "q=0", "q=0.0", "q=0.000" among ";"-separated parameters: explicitly refused.
bool has_zero_q(std::string_view params) {
  Reader r(params);
  while (!r.empty()) {
    std::string_view param;
    if (!r.until(';', &param)) r.bytes(r.remaining(), &param);
    param = str_trim(param);
    if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') continue;
    for (char c : param.substr(2))
      if (c != '0' && c != '.') return false;
    return true;
  }
  return false;
}

// The gzip variant gets its own strong validator (RFC 9110 §8.8.3: a
// different content coding is a different representation).
std::string variant_etag(const WebAsset& asset, bool gzip) {
  std::string tag = asset.etag;
  if (gzip && tag.size() >= 2) tag.insert(tag.size() - 1, "-gzip");
  return tag;
}

void reply_not_allowed(DashboardReply* out) {
  out->status = 405;
  out->content_type = "text/plain; charset=utf-8";
  out->headers = "Allow: GET, HEAD\r\n";
  out->body = "method not allowed\n";
}

}  // namespace

const WebAsset* dashboard_find(std::string_view path) {
  for (size_t i = 0; i < kWebAssetCount; i++)
    if (path == kWebAssets[i].path) return &kWebAssets[i];
  return nullptr;
}

bool dashboard_accepts_gzip(std::string_view accept_encoding) {
  // An explicit "gzip" decides; otherwise "*" does.
  int gzip = -1, star = -1;
  Reader r(accept_encoding);
  while (!r.empty()) {
    Reader item(next_item(&r));
    std::string_view coding;
    if (!item.until(';', &coding)) item.bytes(item.remaining(), &coding);
    coding = str_trim(coding);
    int accepted = has_zero_q(item.rest()) ? 0 : 1;
    if (str_equal_ci(coding, "gzip") || str_equal_ci(coding, "x-gzip")) gzip = accepted;
    else if (coding == "*") star = accepted;
  }
  return gzip >= 0 ? gzip == 1 : star == 1;
}

bool dashboard_etag_matches(std::string_view if_none_match, std::string_view etag) {
  Reader r(if_none_match);
  while (!r.empty()) {
    Reader item(str_trim(next_item(&r)));
    if (item.rest() == "*") return true;
    item.consume("W/");  // weak comparison: the W/ prefix does not matter
    std::string_view tag;
    if (!item.consume("\"") || !item.until('"', &tag) || !item.empty()) continue;
    if (etag.size() == tag.size() + 2 && etag.substr(1, tag.size()) == tag) return true;
  }
  return false;
}

bool dashboard_reply(const HttpRequest& req, DashboardReply* out) {
  const WebAsset* asset = dashboard_find(req.path);
  if (!asset) return false;
  if (req.method != "GET" && req.method != "HEAD") {
    reply_not_allowed(out);
    return true;
  }
  const std::string_view* accept_encoding = req.header("Accept-Encoding");
  // No Accept-Encoding at all means "no preference" (RFC 9110 §12.5.3), but
  // curl and scripts send none and expect plain text: gzip only when asked.
  bool gzip = accept_encoding && dashboard_accepts_gzip(*accept_encoding);
  std::string etag = variant_etag(*asset, gzip);
  // no-cache: the browser may keep the files but revalidates on every
  // load, so a new statd binary's page is never stale and a reload is a 304.
  out->headers = "ETag: " + etag + "\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n";
  const std::string_view* if_none_match = req.header("If-None-Match");
  if (if_none_match && (dashboard_etag_matches(*if_none_match, etag) ||
                        dashboard_etag_matches(*if_none_match, variant_etag(*asset, !gzip)))) {
    out->status = 304;
    return true;
  }
  out->status = 200;
  out->content_type = asset->content_type;
  out->headers += "X-Content-Type-Options: nosniff\r\n";
  if (req.path == "/") {
    // The page loads nothing but its own files and WebSockets to monitored
    // servers; the browser enforces it.
    out->headers +=
        "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; frame-ancestors 'none'\r\n";
  }
  std::string_view gz(reinterpret_cast<const char*>(asset->gzip_bytes), asset->gzip_size);
  if (gzip) {
    out->headers += "Content-Encoding: gzip\r\n";
    out->body = gz;
    return true;
  }
  std::string err;
  out->inflated.clear();
  if (!gzip_decompress(gz, &out->inflated, asset->raw_size, &err)) {
    out->status = 500;  // cannot happen: the generator made these bytes
    out->content_type = "text/plain; charset=utf-8";
    out->body = "internal error\n";
    return true;
  }
  out->body = out->inflated;
  return true;
}
