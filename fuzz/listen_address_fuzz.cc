// listen_parse_address over arbitrary text. A failure explains itself; a
// success fills an address of the family the syntax asks for, with the
// port written after the last ':', that sockaddr_to_string prints in a
// form which parses back to the same address. The whole spec must have been
// read: a NUL byte would end the text inet_pton sees and hide what follows.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <string_view>

#include "base/str.h"
#include "net/listener.h"

namespace {

bool same_address(const sockaddr_storage& a, const sockaddr_storage& b) {
  if (a.ss_family != b.ss_family) return false;
  if (a.ss_family == AF_INET) {
    const auto& a4 = reinterpret_cast<const sockaddr_in&>(a);
    const auto& b4 = reinterpret_cast<const sockaddr_in&>(b);
    return a4.sin_port == b4.sin_port && a4.sin_addr.s_addr == b4.sin_addr.s_addr;
  }
  const auto& a6 = reinterpret_cast<const sockaddr_in6&>(a);
  const auto& b6 = reinterpret_cast<const sockaddr_in6&>(b);
  return a6.sin6_port == b6.sin6_port &&
         memcmp(&a6.sin6_addr, &b6.sin6_addr, sizeof a6.sin6_addr) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view spec(reinterpret_cast<const char*>(data), size);
  sockaddr_storage addr;
  socklen_t len = 0;
  std::string err;
  if (!listen_parse_address(spec, &addr, &len, &err)) {
    if (err.empty()) abort();
    return 0;
  }
  if (spec.find('\0') != std::string_view::npos) abort();
  bool v6 = str_starts_with(spec, "[");
  if (addr.ss_family != (v6 ? AF_INET6 : AF_INET)) abort();
  if (len != (v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in))) abort();

  uint16_t port_be = v6 ? reinterpret_cast<const sockaddr_in6&>(addr).sin6_port
                        : reinterpret_cast<const sockaddr_in&>(addr).sin_port;
  uint64_t port = 0;
  if (!str_to_u64(spec.substr(spec.rfind(':') + 1), &port, 65535) || port != ntohs(port_be))
    abort();

  std::string printed = sockaddr_to_string(reinterpret_cast<const sockaddr*>(&addr));
  sockaddr_storage again;
  socklen_t again_len = 0;
  if (!listen_parse_address(printed, &again, &again_len, &err)) abort();
  if (again_len != len || !same_address(addr, again)) abort();
  return 0;
}
