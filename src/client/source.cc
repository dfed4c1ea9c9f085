#include "client/source.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/socktop_decode.h"

Source::Source(Loop* loop, Host* host, Url url, SourceOptions opts)
    : loop_(loop), host_(host), url_(std::move(url)), opts_(std::move(opts)) {}

Source::~Source() {
  // Not inside a Conn callback here, so the connection can go at once (a
  // deferred free would never run once the loop has stopped).
  conn_.reset();
  drop_connection();
  loop_->cancel_timer(&retry_timer_);
}

void Source::start() { connect_now(); }

void Source::connect_now() {
  retry_timer_ = TimerId();
  // Resolved again on every reconnect, so DHCP changes heal; a name is looked
  // up without blocking (Resolver), a numeric address at once.
  resolver_.start(url_.host, url_.port, opts_.timeout_ms, on_resolved, this);
}

void Source::on_resolved(void* self, bool ok, const sockaddr_storage& addr, socklen_t len,
                         const std::string& err) {
  Source* s = static_cast<Source*>(self);
  if (!ok) {
    s->fail(HostState::kDown, err);
    return;
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    s->fail(HostState::kDown, strerror(errno));
    return;
  }
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) != 0 && errno != EINPROGRESS) {
    int e = errno;
    close(fd);
    s->fail(HostState::kDown, strerror(e));
    return;
  }
  s->connect_started(fd);
}

void Source::connect_started(int fd) {
  connecting_fd_ = fd;
  loop_->watch(fd, POLLOUT, this);
  connect_timer_ = loop_->add_timer(opts_.timeout_ms, on_connect_timeout, this);
}

void Source::on_fd_ready(int fd, int revents) {
  int error = 0;
  socklen_t len = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  loop_->unwatch(fd);
  loop_->cancel_timer(&connect_timer_);
  connecting_fd_ = -1;
  if (error != 0) {
    close(fd);
    fail(HostState::kDown, strerror(error));
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ConnLimits limits;
  limits.max_input_bytes = kSocktopMaxReplyBytes + 64 * 1024;
  conn_ = std::make_unique<Conn>(loop_, fd, limits, this);
#if STATD_TLS
  tls_ = nullptr;
  if (url_uses_tls(url_)) {
    // The handshake runs inside the transport; the first request waits in it.
    tls_ = new TlsClientTransport(opts_.tls, url_.host);
    conn_->set_transport(tls_);
  }
#endif
  on_connected();
  if (conn_) tick_timer_ = loop_->add_timer(opts_.interval_ms, on_tick_timer, this);
}

void Source::on_conn_input(Conn*) { on_input(); }

void Source::on_conn_closed(Conn*) {
  if (closing_ourselves_) return;
#if STATD_TLS
  // A refused certificate says why (and how to pin it), not just "closed".
  if (tls_ && !tls_->error().empty()) {
    fail(HostState::kDown, tls_->error());
    return;
  }
#endif
  if (!on_peer_closed()) fail(HostState::kDown, "connection closed by the peer");
}

void Source::free_conn(void* conn) { delete static_cast<Conn*>(conn); }

void Source::drop_connection() {
  loop_->cancel_timer(&connect_timer_);
  loop_->cancel_timer(&tick_timer_);
  loop_->cancel_timer(&reply_timer_);
  resolver_.cancel();
  if (connecting_fd_ >= 0) {
    loop_->unwatch(connecting_fd_);
    close(connecting_fd_);
    connecting_fd_ = -1;
  }
  if (conn_) {
    // We may be inside one of the Conn's own callbacks: free it after this round.
    Conn* c = conn_.release();
#if STATD_TLS
    tls_ = nullptr;
#endif
    closing_ourselves_ = true;
    c->close_now();  // no-op when the peer already closed it
    closing_ourselves_ = false;
    loop_->defer(free_conn, c);
  }
}

void Source::fail(HostState state, const std::string& why) {
  drop_connection();
  host_->set_state(state, loop_->now_ms(), why);
  backoff_ms_ = backoff_ms_ ? backoff_ms_ * 2 : 1000;
  if (backoff_ms_ > opts_.max_backoff_ms) backoff_ms_ = opts_.max_backoff_ms;
  if (!retry_timer_.armed()) retry_timer_ = loop_->add_timer(backoff_ms_, on_retry, this);
}

void Source::reconnect_later() {
  drop_connection();
  if (!retry_timer_.armed()) retry_timer_ = loop_->add_timer(opts_.interval_ms, on_retry, this);
}

void Source::reply_received() {
  loop_->cancel_timer(&reply_timer_);
  backoff_ms_ = 0;
}

void Source::expect_reply() {
  loop_->cancel_timer(&reply_timer_);
  reply_timer_ = loop_->add_timer(opts_.timeout_ms, on_reply_timeout, this);
}

void Source::send_request(std::string_view head, std::string_view body) {
  if (!conn_) return;
  expect_reply();
  conn_->send(head, body);
}

void Source::on_connect_timeout(void* self) {
  Source* s = static_cast<Source*>(self);
  s->connect_timer_ = TimerId();
  s->fail(HostState::kDown, "connect timed out");
}

void Source::on_retry(void* self) { static_cast<Source*>(self)->connect_now(); }

void Source::on_tick_timer(void* self) {
  Source* s = static_cast<Source*>(self);
  s->tick_timer_ = s->loop_->add_timer(s->opts_.interval_ms, on_tick_timer, s);
  s->on_tick();
}

void Source::on_reply_timeout(void* self) {
  Source* s = static_cast<Source*>(self);
  s->reply_timer_ = TimerId();
  if (!s->on_reply_late()) s->fail(HostState::kDown, "agent not responding");
}
