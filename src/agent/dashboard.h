// The browser dashboard (GET /): the files of web/, embedded at build time
// as gzip members by mk/embed_web.cc into $(BUILD)/gen/web_assets.cc, served
// with an ETag so that a reload costs a 304. See web/README.md for how the
// page gets its data (rt-stat over WebSocket, docs/extensions.md).
#pragma once

#include <stddef.h>

#include <string>
#include <string_view>

#include "net/http.h"

/// One embedded file (the generated source defines the table).
struct WebAsset {
  const char* path;          ///< "/" for index.html, else "/<file>"
  const char* file;          ///< its name under web/
  const char* content_type;
  const unsigned char* gzip_bytes;
  size_t gzip_size;
  size_t raw_size;
  const char* etag;          ///< quoted, e.g. "\"0123456789abcdef\""
};

extern const WebAsset kWebAssets[];
extern const size_t kWebAssetCount;

/// The asset served at `path`, or null.
const WebAsset* dashboard_find(std::string_view path);

/// True when the Accept-Encoding value lists gzip (or *) without q=0.
bool dashboard_accepts_gzip(std::string_view accept_encoding);

/// True when an If-None-Match value (a list of entity tags, or "*")
/// matches `etag` by the weak comparison (RFC 9110 §13.1.2).
bool dashboard_etag_matches(std::string_view if_none_match, std::string_view etag);

/// What to answer; `body` views the embedded bytes or `inflated`.
struct DashboardReply {
  int status = 200;
  const char* content_type = "";
  std::string headers;  ///< extra header lines, each ending in CRLF
  std::string_view body;
  std::string inflated;
};

/// Fills *out when the request's path is a dashboard file (any method:
/// others than GET and HEAD get 405); false for every other path.
bool dashboard_reply(const HttpRequest& req, DashboardReply* out);
