#include "client/resolver.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/reader.h"

// The child's answer on the pipe: 'A' + family-sized sockaddr bytes, or
// 'E' + the error text.
static bool lookup(const char* host, const char* port, int flags, sockaddr_storage* out,
                   socklen_t* len, std::string* err) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | flags;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host, port, &hints, &found);
  if (rc != 0 || !found) {
    *err = std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
    return false;
  }
  memcpy(out, found->ai_addr, found->ai_addrlen);
  *len = found->ai_addrlen;
  freeaddrinfo(found);
  return true;
}

Resolver::~Resolver() { cancel(); }

void Resolver::start(const std::string& host, uint16_t port, uint32_t timeout_ms, Done done,
                     void* ctx) {
  cancel();
  done_ = done;
  ctx_ = ctx;
  std::string port_text = std::to_string(port);
  std::string err;
  // Numeric addresses (the usual case on a LAN) need no lookup at all.
  if (lookup(host.c_str(), port_text.c_str(), AI_NUMERICHOST, &addr_, &len_, &err)) {
    finish(true, "");
    return;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    finish(false, std::string("pipe: ") + strerror(errno));
    return;
  }
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    finish(false, std::string("fork: ") + strerror(errno));
    return;
  }
  if (pid == 0) {
    close(fds[0]);
    sockaddr_storage addr;
    socklen_t len;
    std::string answer;
    if (lookup(host.c_str(), port_text.c_str(), 0, &addr, &len, &err))
      answer = "A" + std::string(reinterpret_cast<char*>(&addr), len);
    else
      answer = "E" + err;
    ssize_t unused = write(fds[1], answer.data(), answer.size());
    (void)unused;
    _exit(0);
  }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  child_ = pid;
  fd_ = fds[0];
  reply_.clear();
  loop_->watch(fd_, POLLIN, this);
  timer_ = loop_->add_timer(timeout_ms, on_timeout, this);
}

void Resolver::cancel() {
  loop_->cancel_timer(&timer_);
  if (fd_ >= 0) {
    loop_->unwatch(fd_);
    close(fd_);
    fd_ = -1;
  }
  if (child_ > 0) {
    kill(child_, SIGKILL);
    waitpid(child_, nullptr, 0);  // killed: returns at once
    child_ = -1;
  }
  done_ = nullptr;
}

void Resolver::on_fd_ready(int fd, int revents) {
  char buf[512];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0 && reply_.size() < 4096) {
    reply_.append(buf, static_cast<size_t>(n));
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  // End of the pipe: the child has written everything and is exiting.
  loop_->unwatch(fd_);
  close(fd_);
  fd_ = -1;
  waitpid(child_, nullptr, 0);
  child_ = -1;
  loop_->cancel_timer(&timer_);
  Reader r(reply_);
  uint8_t kind = 0;
  std::string_view rest;
  if (!r.u8(&kind) || !r.bytes(r.remaining(), &rest)) return finish(false, "name lookup failed");
  if (kind == 'A' && rest.size() <= sizeof addr_) {
    memcpy(&addr_, rest.data(), rest.size());
    len_ = static_cast<socklen_t>(rest.size());
    return finish(true, "");
  }
  finish(false, kind == 'E' ? std::string(rest) : "name lookup failed");
}

void Resolver::on_timeout(void* self) {
  Resolver* r = static_cast<Resolver*>(self);
  r->timer_ = TimerId();
  Done done = r->done_;
  void* ctx = r->ctx_;
  r->cancel();
  if (done) done(ctx, false, r->addr_, 0, "name lookup timed out");
}

void Resolver::finish(bool ok, const std::string& err) {
  Done done = done_;
  done_ = nullptr;
  if (done) done(ctx_, ok, addr_, len_, err);
}
