#include "net/conn.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

Conn::Conn(Loop* loop, int fd, const ConnLimits& limits, ConnHandler* handler)
    : loop_(loop), fd_(fd), limits_(limits), handler_(handler) {
  loop_->watch(fd_, POLLIN, this);
}

Conn::~Conn() {
  if (fd_ >= 0) {
    loop_->unwatch(fd_);
    ::close(fd_);
  }
  loop_->cancel_timer(&deadline_);
  loop_->cancel_timer(&send_timer_);
  delete transport_;
}

void Conn::set_transport(ConnTransport* t) {
  delete transport_;
  transport_ = t;
}

void Conn::consume(size_t n) {
  in_.erase(0, n);
  // Keep idle connections small: a burst must not pin its buffer forever.
  if (in_.empty() && in_.capacity() > 4096) std::string().swap(in_);
}

bool Conn::send(std::string_view head, std::string_view body) {
  if (closed()) return false;
  size_t written = 0;
  if (queued_output() == 0) {
    // Fast path: write straight from the caller's buffers (one writev, no
    // copy); only what the socket does not take is queued.
    long w = write_now(head, body);
    if (w < 0) {
      close_now();
      return false;
    }
    written = static_cast<size_t>(w);
  }
  size_t total = head.size() + body.size();
  if (written == total) {
    if (closing_) close_now();
    return !closed();
  }
  if (queued_output() + total - written > limits_.max_output_bytes) {
    close_now();
    return false;
  }
  if (written < head.size()) {
    out_.append(head.substr(written));
    out_.append(body);
  } else {
    out_.append(body.substr(written - head.size()));
  }
  update_interest();
  return true;
}

long Conn::write_now(std::string_view head, std::string_view body) {
  if (transport_) {
    // TLS records: one write per part is fine.
    long a = head.empty() ? 0 : transport_->transport_write(fd_, head.data(), head.size());
    if (a < 0 || static_cast<size_t>(a) < head.size() || body.empty()) return a;
    long b = transport_->transport_write(fd_, body.data(), body.size());
    return b < 0 ? -1 : a + b;
  }
  iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                  {const_cast<char*>(body.data()), body.size()}};
  msghdr msg{};
  msg.msg_iov = iov;
  msg.msg_iovlen = body.empty() ? 1 : 2;
  long w = ::sendmsg(fd_, &msg, MSG_NOSIGNAL);
  if (w < 0) return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
  return w;
}

// Writes as much as the socket takes. False when the connection died.
bool Conn::flush() {
  while (out_sent_ < out_.size()) {
    const char* p = out_.data() + out_sent_;
    size_t n = out_.size() - out_sent_;
    long w;
    if (transport_) {
      w = transport_->transport_write(fd_, p, n);
    } else {
      w = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (w < 0) w = (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
    }
    if (w < 0) {
      close_now();
      return false;
    }
    if (w == 0) break;
    out_sent_ += static_cast<size_t>(w);
    loop_->cancel_timer(&send_timer_);  // progress: the peer reads
  }
  if (out_sent_ == out_.size()) {
    out_sent_ = 0;
    if (out_.capacity() > 16384) std::string().swap(out_); else out_.clear();
    if (closing_) {
      close_now();
      return false;
    }
    if (!handling_) handler_->on_conn_drained(this);
  }
  return true;
}

void Conn::update_interest() {
  if (closed()) return;
  // A peer that stops reading is dropped after send_timeout_ms without
  // progress, instead of holding its slot and buffer forever.
  if (queued_output() > 0 && !send_timer_.armed())
    send_timer_ = loop_->add_timer(limits_.send_timeout_ms, send_stalled, this);
  else if (queued_output() == 0)
    loop_->cancel_timer(&send_timer_);
  short events = 0;
  if (queued_output() > 0) events |= POLLOUT;
  else if (!closing_) events |= POLLIN;
  if (transport_ && transport_->transport_wants_write()) events |= POLLOUT;
  loop_->watch(fd_, events, this);
}

void Conn::read_some() {
  char buf[16384];
  size_t room = limits_.max_input_bytes - in_.size();
  if (room == 0) {  // the handler could not make progress: a protocol violation
    close_now();
    return;
  }
  if (room > sizeof buf) room = sizeof buf;
  long n;
  if (transport_) {
    n = transport_->transport_read(fd_, buf, room);
    if (n >= 0 && !established_ && transport_->transport_established()) {
      established_ = true;
      handler_->on_conn_established(this);
      if (closed()) return;
    }
  } else {
    n = ::recv(fd_, buf, room, 0);
    if (n == 0) n = -2;
    else if (n < 0) n = (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? 0 : -1;
  }
  if (n < 0) {
    close_now();
    return;
  }
  if (n == 0) return;
  in_.append(buf, static_cast<size_t>(n));
  handling_ = true;
  handler_->on_conn_input(this);
  handling_ = false;
}

void Conn::on_fd_ready(int fd, int revents) {
  if (revents & (POLLERR | POLLNVAL)) {
    close_now();
    return;
  }
  if ((revents & POLLOUT) && queued_output() > 0) {
    if (!flush()) return;
  }
  // POLLOUT with nothing queued was asked for by the transport: its read flushes.
  bool transport_pump = (revents & POLLOUT) && transport_;
  if ((revents & (POLLIN | POLLHUP) || transport_pump) && !closing_ && queued_output() == 0)
    read_some();
  // Bytes the transport holds raise no POLLIN; each round reads some or closes.
  while (transport_ && !closed() && !closing_ && queued_output() == 0 &&
         transport_->transport_buffered_input())
    read_some();
  update_interest();
}

void Conn::close_after_flush() {
  closing_ = true;
  if (queued_output() == 0) {
    close_now();
    return;
  }
  update_interest();
}

void Conn::close_now() {
  if (closed()) return;
  loop_->unwatch(fd_);
  ::close(fd_);
  fd_ = -1;
  loop_->cancel_timer(&deadline_);
  loop_->cancel_timer(&send_timer_);
  handler_->on_conn_closed(this);
}

void Conn::deadline_fired(void* self) {
  Conn* c = static_cast<Conn*>(self);
  c->deadline_ = TimerId();
  c->close_now();
}

void Conn::send_stalled(void* self) {
  Conn* c = static_cast<Conn*>(self);
  c->send_timer_ = TimerId();
  c->close_now();
}

void Conn::set_deadline(uint64_t ms) {
  loop_->cancel_timer(&deadline_);
  deadline_ = loop_->add_timer(ms, deadline_fired, this);
}

void Conn::clear_deadline() { loop_->cancel_timer(&deadline_); }
