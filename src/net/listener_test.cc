#include "net/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "base/test.h"

static std::string parse_and_print(std::string_view spec) {
  sockaddr_storage addr;
  socklen_t len = 0;
  std::string err;
  if (!listen_parse_address(spec, &addr, &len, &err)) return "error: " + err;
  return sockaddr_to_string(reinterpret_cast<const sockaddr*>(&addr));
}

TEST(listener_parses_ipv4_and_ipv6_specs) {
  EXPECT_EQ(parse_and_print("127.0.0.1:3000"), "127.0.0.1:3000");
  EXPECT_EQ(parse_and_print(":8080"), "0.0.0.0:8080");
  EXPECT_EQ(parse_and_print("[::1]:0"), "[::1]:0");
  EXPECT_EQ(parse_and_print("[::]:65535"), "[::]:65535");

  sockaddr_storage addr;
  socklen_t len = 0;
  std::string err;
  ASSERT(listen_parse_address("[::1]:80", &addr, &len, &err));
  EXPECT_EQ(addr.ss_family, AF_INET6);
  EXPECT_EQ(len, sizeof(sockaddr_in6));
  ASSERT(listen_parse_address("10.0.0.1:80", &addr, &len, &err));
  EXPECT_EQ(addr.ss_family, AF_INET);
  EXPECT_EQ(len, sizeof(sockaddr_in));
}

TEST(listener_rejects_bad_specs) {
  EXPECT_EQ(parse_and_print("3000"), "error: expected ADDRESS:PORT");
  EXPECT_EQ(parse_and_print("::1:80"), "error: IPv6 addresses need brackets: [ADDRESS]:PORT");
  EXPECT_EQ(parse_and_print("[::1]80"), "error: expected [IPV6]:PORT");
  EXPECT_EQ(parse_and_print("1.2.3.4:65536"), "error: bad port '65536'");
  EXPECT_EQ(parse_and_print("localhost:80"),
            "error: bad IPv4 address 'localhost' (host names are not resolved)");
}

// Found by fuzz/listen_address_fuzz.cc: inet_pton stopped at the NUL, so
// "[::<NUL>junk]:1" was accepted as [::]:1.
TEST(listener_rejects_nul_in_address) {
  using namespace std::string_view_literals;
  EXPECT_EQ(parse_and_print("[::\0\0\0]:1"sv), "error: NUL byte in address");
  EXPECT_EQ(parse_and_print("127.0.0.1\0junk:80"sv), "error: NUL byte in address");
}
