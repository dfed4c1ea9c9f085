// Conn: one non-blocking stream socket with bounded input and output
// buffers, a deadline, and a handler that sees the bytes.
//
// The handler parses conn->input(), calls consume() for what it used and
// send() for replies. Output is written at once when the socket takes it
// (one write per reply in the common case) and otherwise queued up to
// max_output_bytes; a peer that does not read is dropped, not buffered for.
// While output is queued no more input is read, so a client cannot make us
// queue unbounded replies by pipelining requests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>

#include "event/loop.h"

class Conn;

class ConnHandler {
 public:
  /// New bytes arrived in conn->input().
  virtual void on_conn_input(Conn* conn) = 0;
  /// The connection is closed (peer gone, error, deadline, or close_now());
  /// the fd is already closed. The handler frees `conn` (loop.defer is safe).
  virtual void on_conn_closed(Conn* conn) = 0;
  /// All queued output was written (used to close after a final reply).
  virtual void on_conn_drained(Conn* conn) {}
  /// The transport finished its set-up (a TLS handshake); called once, and
  /// only for connections with a transport.
  virtual void on_conn_established(Conn* conn) {}

 protected:
  ~ConnHandler() = default;
};

/// Transport hooks, so TLS can sit under Conn without Conn knowing it.
/// Both return bytes moved, 0 for "would block", -1 for a fatal error,
/// and read returns -2 at end of stream.
class ConnTransport {
 public:
  virtual long transport_read(int fd, char* buf, size_t size) = 0;
  virtual long transport_write(int fd, const char* buf, size_t size) = 0;
  /// The transport holds output of its own (a TLS handshake flight the
  /// socket did not take): wait for POLLOUT even with nothing queued here;
  /// transport_read then flushes it.
  virtual bool transport_wants_write() const { return false; }
  /// Input the transport already holds and poll() cannot announce (the rest
  /// of a TLS record that did not fit): read again without waiting.
  virtual bool transport_buffered_input() const { return false; }
  /// Set-up is over (TLS: the handshake completed); Conn then tells its
  /// handler once (on_conn_established).
  virtual bool transport_established() const { return true; }
  virtual ~ConnTransport() = default;
};

struct ConnLimits {
  size_t max_input_bytes = 80 * 1024;    // a 64 KiB WebSocket message plus framing
  size_t max_output_bytes = 512 * 1024;  // queued replies to a slow reader
  uint64_t send_timeout_ms = 30 * 1000;  // queued output that makes no progress
};

class Conn final : public FdWatcher {
 public:
  Conn(Loop* loop, int fd, const ConnLimits& limits, ConnHandler* handler);
  ~Conn();

  int fd() const { return fd_; }
  bool closed() const { return fd_ < 0; }
  const std::string& input() const { return in_; }
  void consume(size_t n);

  /// Sends `head` then `body` (either may be empty). What the socket does
  /// not take at once is queued. False when the output cap would be
  /// exceeded: the connection is then closed.
  bool send(std::string_view head, std::string_view body = {});
  size_t queued_output() const { return out_.size() - out_sent_; }

  /// Stops reading and closes once everything queued is written.
  void close_after_flush();
  /// Closes the socket now; the handler's on_conn_closed runs before return.
  void close_now();

  /// Closes the connection `ms` from now unless cleared or re-armed.
  void set_deadline(uint64_t ms);
  void clear_deadline();

  /// Replaces plain read/write (TLS); owned by the Conn.
  void set_transport(ConnTransport* t);

  void on_fd_ready(int fd, int revents) override;

  void* user = nullptr;  ///< free for the handler

 private:
  static void deadline_fired(void* self);
  static void send_stalled(void* self);
  void read_some();
  bool flush();
  long write_now(std::string_view head, std::string_view body);
  void update_interest();

  Loop* loop_;
  int fd_;
  ConnLimits limits_;
  ConnHandler* handler_;
  ConnTransport* transport_ = nullptr;
  std::string in_;
  std::string out_;
  size_t out_sent_ = 0;     // bytes of out_ already written
  bool closing_ = false;    // close_after_flush() was called
  bool handling_ = false;   // inside the handler (re-entrancy guard)
  bool established_ = false;  // on_conn_established was called
  TimerId deadline_;
  TimerId send_timer_;  // armed while output is queued; re-armed on progress
};
