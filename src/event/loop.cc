#include "event/loop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "base/clock.h"

Loop::Loop() {
  now_ms_ = clock_monotonic_ms();
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    // Only out of memory or descriptors at start-up gets here: nothing could run.
    perror("epoll_create1");
    abort();
  }
}

Loop::~Loop() { close(epoll_fd_); }

void Loop::watch(int fd, short events, FdWatcher* watcher) {
  if (fd < 0) return;
  if (static_cast<size_t>(fd) >= slots_.size()) slots_.resize(fd + 1);
  Slot& slot = slots_[fd];
  bool added = slot.watcher == nullptr;
  if (slot.watcher == watcher && slot.events == events) return;
  // A new watcher gets a new generation, so an event already collected for
  // the old one in this round is not delivered to it.
  if (slot.watcher != watcher) slot.generation = next_generation_++;
  slot.watcher = watcher;
  slot.events = events;
  epoll_event ev = {};
  ev.events = static_cast<uint16_t>(events);
  ev.data.u64 = (uint64_t{slot.generation} << 32) | static_cast<uint32_t>(fd);
  // ENOENT/EEXIST: the fd was closed (which drops it from the epoll set) and
  // its number reused without an unwatch() in between.
  if (epoll_ctl(epoll_fd_, added ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev) < 0 &&
      (errno == ENOENT || errno == EEXIST))
    epoll_ctl(epoll_fd_, added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
  if (added) watched_count_++;
}

void Loop::unwatch(int fd) {
  if (fd < 0 || static_cast<size_t>(fd) >= slots_.size() || !slots_[fd].watcher) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // EBADF if already closed: fine
  slots_[fd] = Slot();
  watched_count_--;
}

TimerId Loop::add_timer(uint64_t delay_ms, TimerFn fn, void* ctx) {
  TimerId id{clock_monotonic_ms() + delay_ms, next_seq_++};
  timers_[{id.due_ms, id.seq}] = Timer{fn, ctx};
  return id;
}

void Loop::cancel_timer(TimerId* id) {
  if (id->armed()) timers_.erase({id->due_ms, id->seq});
  *id = TimerId();
}

int Loop::next_timeout_ms(int max_wait_ms) const {
  if (timers_.empty()) return max_wait_ms;
  uint64_t due = timers_.begin()->first.first;
  uint64_t now = clock_monotonic_ms();
  uint64_t wait = due > now ? due - now : 0;
  if (wait > 24u * 3600 * 1000) wait = 24u * 3600 * 1000;
  if (max_wait_ms >= 0 && wait > static_cast<uint64_t>(max_wait_ms)) return max_wait_ms;
  return static_cast<int>(wait);
}

void Loop::fire_timers() {
  // Fire only what was due when we started, so a timer that re-arms itself
  // with delay 0 cannot starve the descriptors.
  uint64_t now = now_ms_;
  while (!timers_.empty()) {
    auto first = timers_.begin();
    if (first->first.first > now) break;
    Timer t = first->second;
    timers_.erase(first);
    t.fn(t.ctx);
  }
}

void Loop::run_once(int max_wait_ms) {
  int timeout = next_timeout_ms(max_wait_ms);
  // Room for every watched descriptor, so one round sees all that are ready
  // (as poll did) and none waits behind a busy neighbour for another round.
  if (ready_.size() < watched_count_ || ready_.empty()) ready_.resize(watched_count_ + 8);
  int n = epoll_wait(epoll_fd_, ready_.data(), static_cast<int>(ready_.size()), timeout);
  now_ms_ = clock_monotonic_ms();
  if (n < 0 && errno != EINTR) return;
  for (int i = 0; i < n; i++) {
    int fd = static_cast<int>(ready_[i].data.u64 & 0xffffffffu);
    uint32_t generation = static_cast<uint32_t>(ready_[i].data.u64 >> 32);
    // A callback earlier in this round may have unwatched (or replaced) it.
    const Slot& slot = slots_[fd];
    if (!slot.watcher || slot.generation != generation) continue;
    slot.watcher->on_fd_ready(fd, static_cast<int>(ready_[i].events & 0xffff));
  }
  fire_timers();
  while (!deferred_.empty()) {
    std::vector<Timer> calls;
    calls.swap(deferred_);
    for (const Timer& t : calls) t.fn(t.ctx);
  }
}

void Loop::run() {
  running_ = true;
  while (running_) run_once(-1);
}
