#include "net/http.h"

#include "base/test.h"

static HttpParse parse(std::string_view in, HttpRequest* req, int* status) {
  return http_parse_request(in, req, status);
}

TEST(http_parses_get_with_query_and_headers) {
  HttpRequest req;
  int status;
  std::string in = "GET /ws?token=a%20b HTTP/1.1\r\nHost: x\r\nUpgrade:  websocket \r\n\r\nrest";
  ASSERT(parse(in, &req, &status) == HttpParse::kOk);
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/ws");
  EXPECT_EQ(req.query, "token=a%20b");
  EXPECT_EQ(req.head_bytes, in.size() - 4);
  ASSERT(req.header("upgrade") != nullptr);
  EXPECT_EQ(*req.header("UPGRADE"), "websocket");
  EXPECT(req.keep_alive);
  EXPECT(!req.has_body);
}

TEST(http_incomplete_until_blank_line) {
  HttpRequest req;
  int status;
  EXPECT(parse("GET / HTTP/1.1\r\nHost: x\r\n", &req, &status) == HttpParse::kIncomplete);
  EXPECT(parse("GET / HTT", &req, &status) == HttpParse::kIncomplete);
  EXPECT(parse("", &req, &status) == HttpParse::kIncomplete);
}

// Found by fuzz/http_fuzz.cc: after the empty line RFC 9112 §2.2 lets a
// client send first, a request line still on its way was refused (400),
// because that empty line's own LF was taken for a bare-LF request line.
TEST(http_leading_empty_line_then_partial_request_line) {
  HttpRequest req;
  int status = 0;
  EXPECT(parse("\r\nGET / HTT", &req, &status) == HttpParse::kIncomplete);
  EXPECT(parse("\r\nGET / HTTP/1.1\r", &req, &status) == HttpParse::kIncomplete);
  std::string whole = "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT(parse(whole, &req, &status) == HttpParse::kOk);
  EXPECT_EQ(req.head_bytes, whole.size());
  // A bare LF after that empty line is still refused without waiting.
  EXPECT(parse("\r\nGET / HTTP/1.1\nHost", &req, &status) == HttpParse::kError);
  EXPECT_EQ(status, 400);
}

TEST(http_rejects_malformed) {
  HttpRequest req;
  int status;
  const char* bad[] = {
      "GET /\r\n\r\n",                          // no version
      "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",      // empty target
      "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",       // bad method token
      "GET / HTTP/1.1\r\nHost x\r\n\r\n",        // header without colon
      "GET / HTTP/1.1\r\n Host: x\r\n\r\n",      // obsolete line folding
      "GET / HTTP/1.1\r\n\r\n",                  // 1.1 without Host
      "GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n",  // absolute form
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "GET / HTTP/1.1\nHost: x\n\n",             // bare LF
      "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const char* in : bad) {
    EXPECT(parse(in, &req, &status) == HttpParse::kError);
    EXPECT_EQ(status, 400);
  }
  EXPECT(parse("GET / HTTP/2.0\r\nHost: x\r\n\r\n", &req, &status) == HttpParse::kError);
  EXPECT_EQ(status, 505);
}

TEST(http_head_size_cap) {
  HttpRequest req;
  int status;
  std::string in = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(kHttpMaxHead, 'a');
  EXPECT(parse(in, &req, &status) == HttpParse::kError);
  EXPECT_EQ(status, 431);
  std::string many = "GET / HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 70; i++) many += "A: b\r\n";
  EXPECT(parse(many + "\r\n", &req, &status) == HttpParse::kError);
  EXPECT_EQ(status, 431);
}

TEST(http_connection_and_body_framing) {
  HttpRequest req;
  int status;
  ASSERT(parse("GET / HTTP/1.0\r\n\r\n", &req, &status) == HttpParse::kOk);
  EXPECT(!req.keep_alive);
  ASSERT(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &req, &status) == HttpParse::kOk);
  EXPECT(req.keep_alive);
  ASSERT(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", &req, &status) == HttpParse::kOk);
  EXPECT(!req.keep_alive);
  ASSERT(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", &req, &status) == HttpParse::kOk);
  EXPECT(req.has_body);
  EXPECT_EQ(req.content_length, 5u);
}

TEST(http_response_bytes) {
  std::string out;
  http_write_response(&out, 404, "text/plain", "X-A: 1\r\n", "nope", false);
  EXPECT_EQ(out,
            "HTTP/1.1 404 Not Found\r\nServer: statd\r\nContent-Type: text/plain\r\nX-A: 1\r\n"
            "Content-Length: 4\r\nConnection: close\r\n\r\nnope");
  out.clear();
  http_write_response(&out, 200, "", "", "body", true, true);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nServer: statd\r\nContent-Length: 4\r\n\r\n");
}
