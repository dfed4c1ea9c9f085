#include "net/url.h"

#include "base/test.h"

TEST(url_bare_host_defaults_to_statd_websocket) {
  Url url;
  std::string err;
  ASSERT(url_parse("router.lan", &url, &err));
  EXPECT_EQ(url.scheme, "ws");
  EXPECT_EQ(url.host, "router.lan");
  EXPECT_EQ(url.port, 3000);
  EXPECT_EQ(url.path_and_query, "/ws");
  EXPECT(!url.has_userinfo);

  ASSERT(url_parse("10.0.0.1:3001", &url, &err));
  EXPECT_EQ(url.host, "10.0.0.1");
  EXPECT_EQ(url.port, 3001);
  EXPECT_EQ(url.path_and_query, "/ws");

  ASSERT(url_parse("[::1]:4000", &url, &err));
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 4000);

  ASSERT(url_parse("pi:3000/ws?token=x", &url, &err));
  EXPECT_EQ(url.path_and_query, "/ws?token=x");
  // The "://" inside the query does not make "pi:3000/x?u=http" a scheme.
  ASSERT(url_parse("pi:3000/x?u=http://y", &url, &err));
  EXPECT_EQ(url.scheme, "ws");
  EXPECT_EQ(url.host, "pi");
  EXPECT_EQ(url.path_and_query, "/x?u=http://y");
}

TEST(url_default_ports_per_scheme) {
  Url url;
  std::string err;
  struct { const char* text; const char* scheme; uint16_t port; } cases[] = {
      {"ws://h", "ws", 80},       {"wss://h", "wss", 443},
      {"http://h", "http", 80},   {"https://h", "https", 443},
      {"rtstat://h", "rtstat", 8000}, {"HTTP://h", "http", 80},
  };
  for (const auto& c : cases) {
    ASSERT(url_parse(c.text, &url, &err));
    EXPECT_EQ(url.scheme, c.scheme);
    EXPECT_EQ(url.port, c.port);
    EXPECT_EQ(url.path_and_query, "/");
  }
  EXPECT_EQ(url_default_port("ftp"), 0);
  ASSERT(url_parse("https://h:8443", &url, &err));
  EXPECT(url_uses_tls(url));
  EXPECT_EQ(url.port, 8443);
  ASSERT(url_parse("http://h:/x", &url, &err));  // empty port: the default
  EXPECT_EQ(url.port, 80);
}

TEST(url_userinfo_is_percent_decoded) {
  Url url;
  std::string err;
  ASSERT(url_parse("https://user:p%40ss@host/metrics", &url, &err));
  EXPECT(url.has_userinfo);
  EXPECT_EQ(url.user, "user");
  EXPECT_EQ(url.password, "p@ss");
  EXPECT_EQ(url.host, "host");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.path_and_query, "/metrics");

  // '+' is not a space outside query strings; the last '@' ends userinfo.
  ASSERT(url_parse("http://a+b:x@y@h:8089/m?q=1#frag", &url, &err));
  EXPECT_EQ(url.user, "a+b");
  EXPECT_EQ(url.password, "x@y");
  EXPECT_EQ(url.host, "h");
  EXPECT_EQ(url.port, 8089);
  EXPECT_EQ(url.path_and_query, "/m?q=1");

  ASSERT(url_parse("http://jo@h", &url, &err));
  EXPECT_EQ(url.user, "jo");
  EXPECT_EQ(url.password, "");
  ASSERT(url_parse("http://@h", &url, &err));
  EXPECT(url.has_userinfo);
  EXPECT_EQ(url.user, "");
}

TEST(url_ipv6_literals) {
  Url url;
  std::string err;
  ASSERT(url_parse("http://[2001:db8::7]:9100/metrics", &url, &err));
  EXPECT_EQ(url.host, "2001:db8::7");
  EXPECT_EQ(url.port, 9100);
  EXPECT_EQ(url_host_header(url), "[2001:db8::7]:9100");
  ASSERT(url_parse("ws://[::ffff:10.0.0.1]/ws", &url, &err));
  EXPECT_EQ(url.host, "::ffff:10.0.0.1");
  EXPECT_EQ(url_host_header(url), "[::ffff:10.0.0.1]");
  ASSERT(url_parse("ws://[fe80::1%25eth0]:3000", &url, &err));
  EXPECT_EQ(url.host, "fe80::1%eth0");
  EXPECT_EQ(url_host_header(url), "[fe80::1%25eth0]:3000");
}

TEST(url_rejects_malformed) {
  Url url;
  std::string err;
  struct { const char* text; const char* err; } cases[] = {
      {"", "empty URL"},
      {"http://h /x", "URL contains a space, a control or a non-ASCII byte"},
      {"http://h/\x01", "URL contains a space, a control or a non-ASCII byte"},
      {"http://h/\xc3\xa9", "URL contains a space, a control or a non-ASCII byte"},
      {"http:///metrics", "empty host"},
      {"http://user@/x", "empty host"},
      {":3000", "empty host"},
      {"http://h:65536/", "bad port (1-65535)"},
      {"http://h:0/", "bad port (1-65535)"},
      {"http://h:-1/", "bad port (1-65535)"},
      {"http://h:99999999999999999999/", "bad port (1-65535)"},
      {"ftp://h/", "unsupported scheme (ws, wss, http, https, rtstat)"},
      {"http://[::1/", "unclosed '[' in host"},
      {"http://[zz::1]/", "bad IPv6 address"},
      {"http://[127.0.0.1]/", "bad IPv6 address"},
      {"http://[::1]x/", "unexpected text after ']'"},
      {"::1", "an IPv6 address needs brackets: [::1]:3000"},
      {"http://a:b:c/", "an IPv6 address needs brackets: [::1]:3000"},
      {"http://ho$t/", "bad character in host"},
      {"http://u:%4@h/", "bad percent escape in user:password"},
      {"http://u:%zz@h/", "bad percent escape in user:password"},
  };
  for (const auto& c : cases) {
    err.clear();
    EXPECT(!url_parse(c.text, &url, &err));
    EXPECT_EQ(err, c.err);
  }
  EXPECT(!url_parse(std::string(kUrlMaxBytes + 1, 'a'), &url, &err));
  EXPECT_EQ(err, "URL too long");
  EXPECT(url_parse(std::string(kUrlMaxBytes, 'a'), &url, &err));
}

TEST(url_redacted_never_shows_the_password) {
  Url url;
  std::string err;
  ASSERT(url_parse("https://user:p%40ss@host/metrics", &url, &err));
  EXPECT_EQ(url_redacted(url), "https://user:***@host/metrics");
  ASSERT(url_parse("ws://pi:3000/ws?token=s3cret&x&y=", &url, &err));
  EXPECT_EQ(url_redacted(url), "ws://pi:3000/ws?token=***&x&y=***");
  ASSERT(url_parse("h", &url, &err));
  EXPECT_EQ(url_redacted(url), "ws://h:3000/ws");
  // Decoded bytes that would garble a log line are escaped again.
  ASSERT(url_parse("http://a%0Ab:pw@[::1]:80/", &url, &err));
  EXPECT_EQ(url_redacted(url), "http://a%0Ab:***@[::1]/");
}

TEST(url_host_header_omits_default_port) {
  Url url;
  std::string err;
  ASSERT(url_parse("http://node:80/metrics", &url, &err));
  EXPECT_EQ(url_host_header(url), "node");
  ASSERT(url_parse("wss://node:3000/ws", &url, &err));
  EXPECT_EQ(url_host_header(url), "node:3000");
  ASSERT(url_parse("node", &url, &err));
  EXPECT_EQ(url_host_header(url), "node:3000");
}
