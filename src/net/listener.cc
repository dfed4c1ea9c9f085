#include "net/listener.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/str.h"

bool listen_parse_address(std::string_view spec, sockaddr_storage* addr, socklen_t* len,
                          std::string* err) {
  memset(addr, 0, sizeof *addr);
  std::string_view host, port_text;
  if (str_starts_with(spec, "[")) {
    size_t close = spec.find(']');
    if (close == std::string_view::npos || spec.substr(close + 1, 1) != ":") {
      *err = "expected [IPV6]:PORT";
      return false;
    }
    host = spec.substr(1, close - 1);
    port_text = spec.substr(close + 2);
  } else {
    size_t colon = spec.rfind(':');
    if (colon == std::string_view::npos) {
      *err = "expected ADDRESS:PORT";
      return false;
    }
    host = spec.substr(0, colon);
    port_text = spec.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      *err = "IPv6 addresses need brackets: [ADDRESS]:PORT";
      return false;
    }
  }
  uint64_t port;
  if (!str_to_u64(port_text, &port, 65535)) {
    *err = "bad port '" + std::string(port_text) + "'";
    return false;
  }
  // inet_pton reads a C string: past a NUL it would never see the rest.
  if (host.find('\0') != std::string_view::npos) {
    *err = "NUL byte in address";
    return false;
  }
  std::string host_z(host);
  if (str_starts_with(spec, "[")) {
    auto* a6 = reinterpret_cast<sockaddr_in6*>(addr);
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET6, host_z.c_str(), &a6->sin6_addr) != 1) {
      *err = "bad IPv6 address '" + host_z + "'";
      return false;
    }
    *len = sizeof *a6;
    return true;
  }
  auto* a4 = reinterpret_cast<sockaddr_in*>(addr);
  a4->sin_family = AF_INET;
  a4->sin_port = htons(static_cast<uint16_t>(port));
  if (host_z.empty()) host_z = "0.0.0.0";
  if (inet_pton(AF_INET, host_z.c_str(), &a4->sin_addr) != 1) {
    *err = "bad IPv4 address '" + host_z + "' (host names are not resolved)";
    return false;
  }
  *len = sizeof *a4;
  return true;
}

std::string sockaddr_host(const sockaddr* addr) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (addr->sa_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text, sizeof text);
  else if (addr->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text, sizeof text);
  return text;
}

std::string sockaddr_to_string(const sockaddr* addr) {
  std::string host = sockaddr_host(addr);
  if (addr->sa_family == AF_INET)
    return host + ":" + std::to_string(ntohs(reinterpret_cast<const sockaddr_in*>(addr)->sin_port));
  if (addr->sa_family == AF_INET6)
    return "[" + host + "]:" + std::to_string(ntohs(reinterpret_cast<const sockaddr_in6*>(addr)->sin6_port));
  return host;
}

bool sockaddr_is_loopback(const sockaddr* addr) {
  if (addr->sa_family == AF_INET) {
    uint32_t ip = ntohl(reinterpret_cast<const sockaddr_in*>(addr)->sin_addr.s_addr);
    return (ip >> 24) == 127;
  }
  if (addr->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
  }
  return false;
}

Listener::~Listener() { close(); }

void Listener::close() {
  if (fd_ < 0) return;
  loop_->cancel_timer(&resume_timer_);
  loop_->unwatch(fd_);
  ::close(fd_);
  fd_ = -1;
}

bool Listener::open(std::string_view spec, std::string* err) {
  sockaddr_storage addr;
  socklen_t len;
  if (!listen_parse_address(spec, &addr, &len, err)) return false;
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    last_errno_ = errno;
    *err = std::string("cannot listen on ") + std::string(spec) + ": " + strerror(errno);
    return false;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (addr.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, 128) != 0) {
    last_errno_ = errno;
    *err = std::string("cannot listen on ") + std::string(spec) + ": " + strerror(errno);
    ::close(fd);
    return false;
  }
  fd_ = fd;
  loop_->watch(fd_, POLLIN, this);
  return true;
}

std::string Listener::address() const {
  sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "";
  return sockaddr_to_string(reinterpret_cast<sockaddr*>(&addr));
}

bool Listener::is_loopback() const {
  sockaddr_storage addr;
  socklen_t len = sizeof addr;
  if (fd_ < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;
  return sockaddr_is_loopback(reinterpret_cast<sockaddr*>(&addr));
}

void Listener::on_fd_ready(int fd, int revents) {
  // Accept a bounded batch per wake-up so a connect flood cannot keep the
  // loop from serving clients that are already connected.
  for (int i = 0; i < 64; i++) {
    sockaddr_storage peer;
    socklen_t len = sizeof peer;
    int c = accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) pause(errno);
      return;  // else EAGAIN, or a connection that was reset before we took it
    }
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    handler_->on_accept(c, peer, tag_);
    if (fd_ < 0) return;  // the handler closed us (shutdown)
  }
}

// Out of descriptors (or kernel memory), the pending connection stays in the
// backlog and the socket stays readable: with a level-triggered loop, going
// on watching it would spin at 100 % CPU until a descriptor is freed. Stop
// watching it for a moment instead; connected clients are served meanwhile,
// and the waiting ones are taken as soon as something closes.
void Listener::pause(int err) {
  if (paused_count_++ == 0)
    log_warn("accept on %s: %s; pausing new connections for %d ms at a time "
             "(raise the open-files limit, ulimit -n)",
             address().c_str(), strerror(err), kAcceptPauseMs);
  loop_->unwatch(fd_);
  resume_timer_ = loop_->add_timer(kAcceptPauseMs, &Listener::resume, this);
}

void Listener::resume(void* ctx) {
  auto* self = static_cast<Listener*>(ctx);
  self->resume_timer_ = TimerId();
  if (self->fd_ >= 0) self->loop_->watch(self->fd_, POLLIN, self);
}
