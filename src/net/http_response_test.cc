#include "net/http_response.h"

#include "base/test.h"
#include "codec/gzip.h"

namespace {

// Feeds `in` in pieces of `piece_bytes` (0: whole); *used_total counts the
// bytes the parser took.
HttpParse feed_in_pieces(HttpResponseParser* parser, std::string_view in, size_t piece_bytes,
                         size_t* used_total) {
  *used_total = 0;
  HttpParse result = parser->feed("", nullptr);
  size_t step = piece_bytes ? piece_bytes : in.size();
  for (size_t at = 0; at < in.size() && result == HttpParse::kIncomplete; at += step) {
    size_t used = 0;
    result = parser->feed(in.substr(at, step), &used);
    *used_total += used;
  }
  return result;
}

}  // namespace

TEST(http_response_content_length_whole_and_bytewise) {
  std::string in =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
      "content-length: 12\r\n\r\ngotop_x 1\n\nHTTP/1.1 next";
  for (size_t piece : {0, 1, 7}) {
    HttpResponseParser parser(1 << 20);
    size_t used;
    ASSERT(feed_in_pieces(&parser, in, piece, &used) == HttpParse::kOk);
    EXPECT_EQ(used, in.find("TTP/1.1 next"));  // stops before the next response
    const HttpResponse& resp = parser.response();
    EXPECT_EQ(resp.version, "HTTP/1.1");
    EXPECT_EQ(resp.status, 200);
    EXPECT_EQ(resp.reason, "OK");
    EXPECT_EQ(resp.body, "gotop_x 1\n\nH");
    EXPECT(resp.keep_alive);
    ASSERT(resp.header("CONTENT-TYPE") != nullptr);
    EXPECT_EQ(*resp.header("Content-Type"), "text/plain; version=0.0.4");
    EXPECT(resp.header("X-None") == nullptr);
    EXPECT_EQ(resp.content_encoding, "");
    // Once whole, more input is left alone.
    size_t more_used = 99;
    EXPECT(parser.feed("xyz", &more_used) == HttpParse::kOk);
    EXPECT_EQ(more_used, 0u);
    EXPECT(parser.finish() == HttpParse::kOk);
  }
}

TEST(http_response_chunked_with_extensions_and_trailers) {
  std::string in =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nContent-Encoding: GZIP\r\n\r\n"
      "5;name=\"v\"\r\nhello\r\n"
      "1 \r\n,\r\n"
      "6\nworld!\n"  // bare LF tolerated
      "00\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\nleft";
  for (size_t piece : {0, 1, 3}) {
    HttpResponseParser parser(100);
    size_t used;
    ASSERT(feed_in_pieces(&parser, in, piece, &used) == HttpParse::kOk);
    EXPECT_EQ(used, in.size() - 4);
    EXPECT_EQ(parser.response().body, "hello,world!");
    EXPECT_EQ(parser.response().content_encoding, "gzip");
    EXPECT(parser.response().keep_alive);
  }
}

TEST(http_response_body_until_close) {
  std::string in = "HTTP/1.0 200 OK\r\nServer: gotop\r\n\r\nline 1\nline 2\n";
  HttpResponseParser parser(1000);
  size_t used;
  EXPECT(feed_in_pieces(&parser, in, 5, &used) == HttpParse::kIncomplete);
  EXPECT_EQ(used, in.size());
  ASSERT(parser.finish() == HttpParse::kOk);
  EXPECT_EQ(parser.response().body, "line 1\nline 2\n");
  EXPECT(!parser.response().keep_alive);

  // HTTP/1.1 without a length also runs until close.
  HttpResponseParser p11(1000);
  EXPECT(p11.feed("HTTP/1.1 200 OK\r\n\r\nabc") == HttpParse::kIncomplete);
  ASSERT(p11.finish() == HttpParse::kOk);
  EXPECT_EQ(p11.response().body, "abc");
  EXPECT(!p11.response().keep_alive);
}

TEST(http_response_connection_header) {
  HttpResponseParser a(10);
  ASSERT(a.feed("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n") ==
         HttpParse::kOk);
  EXPECT(a.response().keep_alive);
  EXPECT_EQ(a.response().body, "");
  HttpResponseParser b(10);
  ASSERT(b.feed("HTTP/1.1 200 OK\r\nConnection: foo, close\r\nContent-Length: 1\r\n\r\nx") ==
         HttpParse::kOk);
  EXPECT(!b.response().keep_alive);
  // chunked next to Content-Length: chunked wins, the connection is not reused.
  HttpResponseParser c(10);
  ASSERT(c.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                "2\r\nab\r\n0\r\n\r\n") == HttpParse::kOk);
  EXPECT_EQ(c.response().body, "ab");
  EXPECT(!c.response().keep_alive);
}

TEST(http_response_bodiless_statuses) {
  HttpResponseParser parser(10);
  size_t used;
  std::string in = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n";
  ASSERT(parser.feed(in, &used) == HttpParse::kOk);
  EXPECT_EQ(used, in.size());
  EXPECT_EQ(parser.response().status, 204);
  EXPECT_EQ(parser.response().reason, "No Content");
  EXPECT_EQ(parser.response().headers.size(), 1u);

  // A WebSocket handshake: the frame bytes after the head are not taken.
  parser.reset();
  std::string upgrade = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hi";
  ASSERT(parser.feed(upgrade, &used) == HttpParse::kOk);
  EXPECT_EQ(used, upgrade.size() - 4);
  EXPECT_EQ(parser.response().status, 101);

  parser.reset();
  parser.set_head_request(true);
  ASSERT(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n") == HttpParse::kOk);
  EXPECT_EQ(parser.response().body, "");

  parser.reset();  // reset() forgets the HEAD flag
  EXPECT(parser.feed("HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\n\r\n") == HttpParse::kOk);
  parser.reset();
  EXPECT(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n") == HttpParse::kIncomplete);
}

TEST(http_response_tolerated_forms) {
  HttpResponseParser parser(10);
  // No reason phrase, stray blank lines before, folded header, bare LFs.
  ASSERT(parser.feed("\r\n\nHTTP/1.1 404\nX-A: a\n\t b \nContent-Length: 2\n\nno") ==
         HttpParse::kOk);
  EXPECT_EQ(parser.response().status, 404);
  EXPECT_EQ(parser.response().reason, "");
  EXPECT_EQ(*parser.response().header("x-a"), "a b");
  EXPECT_EQ(parser.response().body, "no");
  parser.reset();
  ASSERT(parser.feed("HTTP/1.1 200 \r\nContent-Length: 1, 1\r\ncontent-length: 1\r\n\r\nz") ==
         HttpParse::kOk);
  EXPECT_EQ(parser.response().body, "z");
}

TEST(http_response_rejects_malformed) {
  struct { std::string in; const char* err; } cases[] = {
      {"SSH-2.0-OpenSSH", "not an HTTP response"},
      {"{\"cpu\"", "not an HTTP response"},
      {"HTTP/2 200\r\n\r\n", "unsupported HTTP version"},
      {"HTTP/1.1 20\r\n\r\n", "bad status code"},
      {"HTTP/1.1 700 Odd\r\n\r\n", "bad status code"},
      {"HTTP/1.1 200OK\r\n\r\n", "bad status line"},
      {"HTTP/1.1\r\n\r\n", "bad status line"},
      {"HTTP/1.1 200 O\x01K\r\n\r\n", "bad status line"},
      {"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "bad header line"},
      {"HTTP/1.1 200 OK\r\n folded first\r\n\r\n", "bad header line"},
      {"HTTP/1.1 200 OK\r\nX: a\x7f\r\n\r\n", "bad header line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "unsupported Transfer-Encoding"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\n", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", "bad chunk size"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "no CRLF after chunk data"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(5000, '0'),
       "chunk size line too long"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", "body larger than the limit"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + std::string(100, 'a') +
           "\r\n1\r\n",
       "body larger than the limit"},
      {"HTTP/1.0 200 OK\r\n\r\n" + std::string(101, 'a'), "body larger than the limit"},
      {"HTTP/1.1 200 OK\r\nX: " + std::string(kHttpMaxHead, 'a'), "response head too large"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " +
           std::string(kHttpMaxHead, 'a'),
       "trailer section too large"},
  };
  for (const auto& c : cases) {
    for (size_t piece : {0, 1}) {
      HttpResponseParser parser(100);
      size_t used;
      EXPECT(feed_in_pieces(&parser, c.in, piece, &used) == HttpParse::kError);
      EXPECT_EQ(parser.error(), c.err);
      EXPECT(parser.finish() == HttpParse::kError);
    }
  }
}

TEST(http_response_head_caps) {
  std::string head = "HTTP/1.1 200 OK\r\n";
  for (size_t i = 0; i < kHttpMaxHeaders; i++) head += "X-H: v\r\n";
  HttpResponseParser ok(10);
  EXPECT(ok.feed(head + "\r\n") == HttpParse::kIncomplete);  // until close
  HttpResponseParser too_many(10);
  EXPECT(too_many.feed(head + "X-H: v\r\n\r\n") == HttpParse::kError);
  EXPECT_EQ(too_many.error(), "too many headers");

  // A head of exactly kHttpMaxHead bytes passes; one more byte does not.
  std::string start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: ";
  std::string exact = start + std::string(kHttpMaxHead - start.size() - 4, 'a') + "\r\n\r\n";
  HttpResponseParser at_cap(10);
  EXPECT(at_cap.feed(exact) == HttpParse::kOk);
  HttpResponseParser over(10);
  EXPECT(over.feed(start + std::string(kHttpMaxHead - start.size() - 3, 'a') + "\r\n\r\n") ==
         HttpParse::kError);

  std::string interims;
  for (int i = 0; i < 17; i++) interims += "HTTP/1.1 100 Continue\r\n\r\n";
  HttpResponseParser chatty(10);
  EXPECT(chatty.feed(interims) == HttpParse::kError);
  EXPECT_EQ(chatty.error(), "too many interim responses");
}

TEST(http_response_finish_before_the_end) {
  HttpResponseParser nothing(10);
  EXPECT(nothing.finish() == HttpParse::kError);
  EXPECT_EQ(nothing.error(), "connection closed before a response");
  HttpResponseParser short_body(10);
  EXPECT(short_body.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab") == HttpParse::kIncomplete);
  EXPECT(short_body.finish() == HttpParse::kError);
  EXPECT_EQ(short_body.error(), "connection closed in the middle of the response");
  HttpResponseParser half_head(10);
  EXPECT(half_head.feed("HTTP/1.1 2") == HttpParse::kIncomplete);
  EXPECT(half_head.finish() == HttpParse::kError);
  EXPECT_EQ(half_head.error(), "connection closed in the middle of the response");
}

TEST(http_response_decode_body) {
  HttpResponse resp;
  resp.body = "plain";
  std::string out, err;
  ASSERT(http_decode_body(resp, 5, &out, &err));
  EXPECT_EQ(out, "plain");
  EXPECT(!http_decode_body(resp, 4, &out, &err));

  resp.body.clear();
  gzip_compress("gotop_cpu_CPU0 2\n", &resp.body);
  resp.content_encoding = "gzip";
  ASSERT(http_decode_body(resp, 100, &out, &err));
  EXPECT_EQ(out, "gotop_cpu_CPU0 2\n");
  EXPECT(!http_decode_body(resp, 10, &out, &err));

  resp.content_encoding = "br";
  EXPECT(!http_decode_body(resp, 100, &out, &err));
  EXPECT_EQ(err, "unsupported Content-Encoding: br");
}

TEST(http_response_write_request) {
  Url url;
  std::string err;
  ASSERT(url_parse("https://user:p%40ss@host/metrics", &url, &err));
  std::string out;
  http_write_request(&out, "GET", url, "Accept: text/plain;version=0.0.4\r\n");
  EXPECT_EQ(out,
            "GET /metrics HTTP/1.1\r\nHost: host\r\n"
            "Authorization: Basic dXNlcjpwQHNz\r\n"
            "Accept: text/plain;version=0.0.4\r\n\r\n");

  ASSERT(url_parse("http://[::1]:9100/metrics?x=1", &url, &err));
  out = "keep:";
  http_write_request(&out, "HEAD", url, "");
  EXPECT_EQ(out, "keep:HEAD /metrics?x=1 HTTP/1.1\r\nHost: [::1]:9100\r\n\r\n");
}
