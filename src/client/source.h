// A Source keeps one Host up to date from one remote endpoint: it connects
// (non-blocking, on the shared loop), runs its protocol, polls on a
// cadence, applies a timeout to every request and reconnects with backoff.
// One slow or dead host never stalls the others or the screen.
//
// Subclasses (socktop, Prometheus, rt-stat) implement the protocol hooks.
#pragma once

#include <stdint.h>

#include <memory>
#include <string>

#include "client/host.h"
#include "client/resolver.h"
#include "event/loop.h"
#include "net/conn.h"
#include "net/tls.h"
#include "net/url.h"

struct SourceOptions {
  uint32_t interval_ms = 1000;        ///< metrics cadence (--interval)
  uint32_t processes_ms = 2000;       ///< process list cadence
  uint32_t disks_ms = 5000;           ///< disk list cadence
  uint32_t timeout_ms = 5000;         ///< connect and per-request limit
  uint32_t max_backoff_ms = 30000;    ///< reconnect delay grows up to this
  std::string token;                  ///< --token (socktop ?token=, Bearer)
#if STATD_TLS
  TlsClientContext* tls = nullptr;    ///< wss:// and https:// sources
#endif
  bool want_processes = true;
  bool want_disks = true;
};

class Source : public ConnHandler, public FdWatcher {
 public:
  Source(Loop* loop, Host* host, Url url, SourceOptions opts);
  virtual ~Source();

  /// Starts connecting now; afterwards everything is driven by the loop.
  void start();
  Host& host() { return *host_; }

  void on_fd_ready(int fd, int revents) override;  // connect completion
  void on_conn_input(Conn* conn) override;
  void on_conn_closed(Conn* conn) override;

 protected:
  /// The TCP connection is up: send the first bytes (handshake, request).
  virtual void on_connected() = 0;
  /// Bytes arrived in conn()->input().
  virtual void on_input() = 0;
  /// The cadence timer fired (every interval_ms while connected).
  virtual void on_tick() = 0;
  /// The peer closed; return true when that already explained itself (the
  /// subclass called fail()), false for a plain "connection closed".
  virtual bool on_peer_closed() { return false; }
  /// The reply timeout fired; return true when the subclass handled it
  /// (else the host is marked down and the connection retried).
  virtual bool on_reply_late() { return false; }

  /// Drops the connection, marks the host (down or unauthorized) and
  /// schedules a reconnect with backoff.
  void fail(HostState state, const std::string& why);
  /// Closes the connection without blaming the peer (it said it would
  /// close) and connects again one interval later.
  void reconnect_later();
  /// A reply arrived in time: clears the request timeout and the backoff.
  void reply_received();
  /// Sends and starts the reply timeout.
  void send_request(std::string_view head, std::string_view body = {});
  /// Starts the reply timeout for something the peer sends unasked (a greeting).
  void expect_reply();
  Conn* conn() { return conn_.get(); }
  uint64_t now_ms() const { return loop_->now_ms(); }

  Loop* loop_;
  Host* host_;
  Url url_;
  SourceOptions opts_;

 private:
  static void on_connect_timeout(void* self);
  static void on_retry(void* self);
  static void on_tick_timer(void* self);
  static void on_reply_timeout(void* self);
  static void free_conn(void* conn);
  void connect_now();
  void connect_started(int fd);
  static void on_resolved(void* self, bool ok, const sockaddr_storage& addr, socklen_t len,
                          const std::string& err);
  void drop_connection();

  std::unique_ptr<Conn> conn_;
  Resolver resolver_{loop_};
  int connecting_fd_ = -1;
  TimerId connect_timer_, retry_timer_, tick_timer_, reply_timer_;
  uint32_t backoff_ms_ = 0;
  bool closing_ourselves_ = false;  // drop_connection() is closing conn_
#if STATD_TLS
  TlsTransport* tls_ = nullptr;  // owned by conn_; explains handshake failures
#endif
};

/// The source for a URL's scheme (ws, http, rtstat); nullptr with *err set
/// for schemes this build cannot read (wss/https need TLS=1).
std::unique_ptr<Source> source_create(Loop* loop, Host* host, const Url& url,
                                      const SourceOptions& opts, std::string* err);
