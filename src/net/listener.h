// Listening sockets: address parsing, bind, and a watcher that accepts.
#pragma once

#include <stdint.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

#include "event/loop.h"

/// "0.0.0.0:3000", "127.0.0.1:0", "[::]:3000", "[::1]:8080", ":3000" (all
/// IPv4 addresses). Host names are not resolved: a daemon's listen address
/// should not depend on DNS at boot.
bool listen_parse_address(std::string_view spec, sockaddr_storage* addr, socklen_t* len,
                          std::string* err);

/// "1.2.3.4:80" or "[::1]:80" for logs.
std::string sockaddr_to_string(const sockaddr* addr);

/// Host part only ("1.2.3.4", "::1") for per-address accounting.
std::string sockaddr_host(const sockaddr* addr);

/// True for 127.0.0.0/8 and ::1 (and IPv4-mapped loopback).
bool sockaddr_is_loopback(const sockaddr* addr);

class AcceptHandler {
 public:
  /// A new connection (already non-blocking). The handler owns `fd`.
  virtual void on_accept(int fd, const sockaddr_storage& peer, int listener_tag) = 0;

 protected:
  ~AcceptHandler() = default;
};

class Listener final : public FdWatcher {
 public:
  /// `tag` tells the handler which listener accepted (plain, rt-stat, ...).
  Listener(Loop* loop, AcceptHandler* handler, int tag) : loop_(loop), handler_(handler), tag_(tag) {}
  ~Listener();

  /// socket + SO_REUSEADDR + bind + listen; IPv6 sockets are v6-only so a
  /// separate 0.0.0.0 listener can share the port.
  bool open(std::string_view spec, std::string* err);
  void close();
  int fd() const { return fd_; }
  /// errno of the failed socket/bind/listen in open() (0 if none).
  int last_errno() const { return last_errno_; }
  /// The bound address (useful with port 0).
  std::string address() const;
  bool is_loopback() const;

  void on_fd_ready(int fd, int revents) override;
  /// How often accept() ran out of descriptors or memory (each time, the
  /// listener rested for kAcceptPauseMs).
  uint64_t paused_count() const { return paused_count_; }

  static constexpr int kAcceptPauseMs = 100;

 private:
  void pause(int err);
  static void resume(void* ctx);

  Loop* loop_;
  AcceptHandler* handler_;
  int tag_;
  int fd_ = -1;
  int last_errno_ = 0;
  TimerId resume_timer_;
  uint64_t paused_count_ = 0;
};
