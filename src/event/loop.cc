#include "event/loop.h"

#include <errno.h>

#include "base/clock.h"

Loop::Loop() { now_ms_ = clock_monotonic_ms(); }

void Loop::watch(int fd, short events, FdWatcher* watcher) {
  if (fd < 0) return;
  if (static_cast<size_t>(fd) >= index_of_fd_.size()) index_of_fd_.resize(fd + 1, -1);
  int at = index_of_fd_[fd];
  if (at >= 0) {
    fds_[at].events = events;
    if (slots_[at].watcher != watcher) slots_[at] = {watcher, next_generation_++};
    return;
  }
  index_of_fd_[fd] = static_cast<int>(fds_.size());
  fds_.push_back(pollfd{fd, events, 0});
  slots_.push_back(Slot{watcher, next_generation_++});
}

void Loop::unwatch(int fd) {
  if (fd < 0 || static_cast<size_t>(fd) >= index_of_fd_.size()) return;
  int at = index_of_fd_[fd];
  if (at < 0) return;
  // Swap with the last entry so removal is O(1); the dispatch loop checks
  // generations, so moving entries under it is harmless.
  int last = static_cast<int>(fds_.size()) - 1;
  if (at != last) {
    fds_[at] = fds_[last];
    slots_[at] = slots_[last];
    index_of_fd_[fds_[at].fd] = at;
  }
  fds_.pop_back();
  slots_.pop_back();
  index_of_fd_[fd] = -1;
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
  int n = poll(fds_.data(), fds_.size(), timeout);
  now_ms_ = clock_monotonic_ms();
  if (n < 0 && errno != EINTR) return;
  if (n > 0) {
    // Collect first: callbacks add and remove descriptors.
    struct Ready { int fd; int revents; FdWatcher* watcher; uint64_t generation; };
    std::vector<Ready> ready;
    ready.reserve(n);
    for (size_t i = 0; i < fds_.size(); i++) {
      if (fds_[i].revents)
        ready.push_back({fds_[i].fd, fds_[i].revents, slots_[i].watcher, slots_[i].generation});
    }
    for (const Ready& r : ready) {
      int at = static_cast<size_t>(r.fd) < index_of_fd_.size() ? index_of_fd_[r.fd] : -1;
      if (at < 0 || slots_[at].generation != r.generation) continue;  // gone meanwhile
      r.watcher->on_fd_ready(r.fd, r.revents);
    }
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
