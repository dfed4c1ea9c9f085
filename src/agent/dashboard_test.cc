#include "agent/dashboard.h"

#include <dirent.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "base/str.h"
#include "base/test.h"
#include "codec/gzip.h"
#include "codec/sha1.h"

namespace {

std::string web_file(const char* name) {
  return test::read_file((std::string("../web/") + name).c_str());
}

// The files of web/ that mk/web.mk embeds, sorted.
std::vector<std::string> web_listing() {
  std::vector<std::string> names;
  DIR* dir = opendir(test::path("../web").c_str());
  if (!dir) return names;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    for (const char* ext : {".html", ".css", ".js"}) {
      size_t n = strlen(ext);
      if (name.size() > n && name.compare(name.size() - n, n, ext) == 0) names.push_back(name);
    }
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::string inflated(const WebAsset& a) {
  std::string out, err;
  std::string_view gz(reinterpret_cast<const char*>(a.gzip_bytes), a.gzip_size);
  if (!gzip_decompress(gz, &out, 1 << 20, &err)) return "inflate failed: " + err;
  return out;
}

// A request as http_parse_request would give it.
HttpRequest request(const char* method, const char* path,
                    std::vector<std::pair<std::string_view, std::string_view>> headers = {}) {
  HttpRequest req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  return req;
}

std::string sha1_etag(const std::string& content) {
  uint8_t digest[20];
  sha1(content.data(), content.size(), digest);
  std::string tag = "\"";
  for (int i = 0; i < 8; i++) str_appendf(&tag, "%02x", digest[i]);
  return tag + "\"";
}

}  // namespace

TEST(dashboard_embeds_exactly_the_web_files) {
  std::vector<std::string> listed = web_listing();
  ASSERT(listed.size() >= 3);
  std::vector<std::string> embedded;
  for (size_t i = 0; i < kWebAssetCount; i++) embedded.push_back(kWebAssets[i].file);
  std::sort(embedded.begin(), embedded.end());
  EXPECT(embedded == listed);
  size_t total_bytes = 0;
  for (size_t i = 0; i < kWebAssetCount; i++) {
    const WebAsset& a = kWebAssets[i];
    std::string content = web_file(a.file);
    ASSERT(!content.empty());
    // The gzip member inflates to the very bytes of the file.
    EXPECT_EQ(inflated(a), content);
    EXPECT_EQ(a.raw_size, content.size());
    EXPECT(a.gzip_size < a.raw_size);
    // The ETag is a hash of the content: the same file, the same tag.
    EXPECT_EQ(std::string(a.etag), sha1_etag(content));
    total_bytes += content.size();
  }
  EXPECT(total_bytes <= 40 * 1024);  // the budget, before compression
}

TEST(dashboard_paths_and_types) {
  const WebAsset* index = dashboard_find("/");
  ASSERT(index != nullptr);
  EXPECT_EQ(std::string(index->file), "index.html");
  EXPECT_EQ(std::string(index->content_type), "text/html; charset=utf-8");
  const WebAsset* css = dashboard_find("/dashboard.css");
  ASSERT(css != nullptr);
  EXPECT_EQ(std::string(css->content_type), "text/css; charset=utf-8");
  const WebAsset* js = dashboard_find("/dashboard.js");
  ASSERT(js != nullptr);
  EXPECT_EQ(std::string(js->content_type), "text/javascript; charset=utf-8");
  EXPECT(dashboard_find("/index.html") == nullptr);
  EXPECT(dashboard_find("/ws") == nullptr);
  EXPECT(dashboard_find("") == nullptr);
}

TEST(dashboard_accept_encoding) {
  EXPECT(dashboard_accepts_gzip("gzip"));
  EXPECT(dashboard_accepts_gzip("gzip, deflate, br, zstd"));
  EXPECT(dashboard_accepts_gzip("deflate,GZIP;q=0.5"));
  EXPECT(dashboard_accepts_gzip("x-gzip"));
  EXPECT(dashboard_accepts_gzip("*"));
  EXPECT(!dashboard_accepts_gzip(""));
  EXPECT(!dashboard_accepts_gzip("identity"));
  EXPECT(!dashboard_accepts_gzip("gzip;q=0"));
  EXPECT(!dashboard_accepts_gzip("gzip; q=0.000, deflate"));
  EXPECT(!dashboard_accepts_gzip("*, gzip;q=0"));
  EXPECT(!dashboard_accepts_gzip("*;q=0"));
  EXPECT(!dashboard_accepts_gzip("gzipx, br"));
}

TEST(dashboard_if_none_match) {
  EXPECT(dashboard_etag_matches("\"abc\"", "\"abc\""));
  EXPECT(dashboard_etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT(dashboard_etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT(dashboard_etag_matches("*", "\"abc\""));
  EXPECT(!dashboard_etag_matches("\"abcd\"", "\"abc\""));
  EXPECT(!dashboard_etag_matches("abc", "\"abc\""));
  EXPECT(!dashboard_etag_matches("\"abc", "\"abc\""));
  EXPECT(!dashboard_etag_matches("", "\"abc\""));
  EXPECT(!dashboard_etag_matches("\"abc\"x", "\"abc\""));
}

TEST(dashboard_reply_gzip_plain_and_304) {
  const WebAsset* index = dashboard_find("/");
  ASSERT(index != nullptr);
  std::string etag = index->etag;
  std::string gz_etag = etag.substr(0, etag.size() - 1) + "-gzip\"";

  DashboardReply gz;
  ASSERT(dashboard_reply(request("GET", "/", {{"Accept-Encoding", "gzip, deflate"}}), &gz));
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(std::string(gz.content_type), "text/html; charset=utf-8");
  EXPECT_EQ(gz.body.size(), index->gzip_size);
  EXPECT(gz.body.data() == reinterpret_cast<const char*>(index->gzip_bytes));  // no copy
  EXPECT_EQ(gz.headers,
            "ETag: " + gz_etag + "\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Content-Security-Policy: default-src 'self'; img-src 'self' data:; "
            "connect-src 'self' ws: wss:; frame-ancestors 'none'\r\n"
            "Content-Encoding: gzip\r\n");

  DashboardReply plain;
  ASSERT(dashboard_reply(request("HEAD", "/dashboard.js"), &plain));
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(std::string(plain.body), web_file("dashboard.js"));
  EXPECT_EQ(plain.headers, "ETag: " + std::string(dashboard_find("/dashboard.js")->etag) +
                               "\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n"
                               "X-Content-Type-Options: nosniff\r\n");

  // Either variant's tag revalidates; the 304 carries the requested variant's.
  DashboardReply not_modified;
  ASSERT(dashboard_reply(request("GET", "/", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}}),
                         &not_modified));
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_EQ(not_modified.body.size(), 0u);
  EXPECT_EQ(not_modified.headers,
            "ETag: " + gz_etag + "\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n");
  DashboardReply changed;
  ASSERT(dashboard_reply(request("GET", "/", {{"If-None-Match", "\"0000000000000000\""}}), &changed));
  EXPECT_EQ(changed.status, 200);

  DashboardReply post;
  ASSERT(dashboard_reply(request("POST", "/"), &post));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers, "Allow: GET, HEAD\r\n");
  DashboardReply none;
  EXPECT(!dashboard_reply(request("GET", "/nope"), &none));
}

TEST(dashboard_304_has_no_content_length) {
  std::string out;
  http_write_response(&out, 304, "", "ETag: \"a\"\r\n", "", true);
  EXPECT_EQ(out, "HTTP/1.1 304 Not Modified\r\nServer: statd\r\nETag: \"a\"\r\n\r\n");
}
