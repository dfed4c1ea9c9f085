// Host name lookup that never blocks the loop: numeric addresses are
// parsed at once; names are looked up by a short-lived child process
// (getaddrinfo can take many seconds when a DNS server is unreachable, and
// statc must keep drawing and serving its other hosts meanwhile).
#pragma once

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <string>

#include "event/loop.h"

class Resolver : public FdWatcher {
 public:
  /// ok: *addr/len hold the first address; else err says why.
  using Done = void (*)(void* ctx, bool ok, const sockaddr_storage& addr, socklen_t len,
                        const std::string& err);

  explicit Resolver(Loop* loop) : loop_(loop) {}
  ~Resolver();

  /// Starts a lookup; `done` runs exactly once (at once for numeric
  /// addresses), unless cancel() comes first.
  void start(const std::string& host, uint16_t port, uint32_t timeout_ms, Done done, void* ctx);
  /// Stops a lookup in flight (kills the child); `done` is not called.
  void cancel();

  void on_fd_ready(int fd, int revents) override;

 private:
  static void on_timeout(void* self);
  void finish(bool ok, const std::string& err);

  Loop* loop_;
  Done done_ = nullptr;
  void* ctx_ = nullptr;
  pid_t child_ = -1;
  int fd_ = -1;
  std::string reply_;
  TimerId timer_;
  sockaddr_storage addr_{};
  socklen_t len_ = 0;
};
