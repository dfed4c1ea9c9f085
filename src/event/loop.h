// The event loop: file descriptors and one-shot timers over epoll(7), one
// thread. Nothing else in the program waits for descriptors.
//
// epoll rather than poll(2): with a thousand connected clients poll() makes
// the kernel (and us) scan every descriptor on every wake-up, although one
// or two are ready; epoll's cost is per ready descriptor. statd is Linux-only
// anyway (it reads /proc). Level-triggered, so the semantics are poll's.
//
// With no timer armed the loop sleeps in epoll_wait() until a descriptor is
// ready, so an idle daemon wakes for nothing.
#pragma once

#include <poll.h>
#include <sys/epoll.h>
#include <stddef.h>
#include <stdint.h>

#include <map>
#include <utility>
#include <vector>

/// Implemented by whatever owns a registered descriptor.
class FdWatcher {
 public:
  /// `revents` as poll(2) would report them (POLLIN, POLLOUT, POLLHUP, POLLERR;
  /// epoll's EPOLL* bits have the same values on Linux).
  virtual void on_fd_ready(int fd, int revents) = 0;

 protected:
  ~FdWatcher() = default;
};

using TimerFn = void (*)(void* ctx);

/// Handle of an armed timer; a default-constructed one is "not armed".
struct TimerId {
  uint64_t due_ms = 0;
  uint64_t seq = 0;
  bool armed() const { return seq != 0; }
};

class Loop {
 public:
  Loop();
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  /// Registers `fd` (or changes its interest set) for POLLIN/POLLOUT.
  void watch(int fd, short events, FdWatcher* watcher);
  /// Forgets `fd`; safe to call from inside a callback, for any fd. Call it
  /// before closing `fd`.
  void unwatch(int fd);

  /// Calls fn(ctx) once, `delay_ms` from now. Cancel with cancel_timer().
  TimerId add_timer(uint64_t delay_ms, TimerFn fn, void* ctx);
  /// Disarms the timer (no-op when it already fired) and clears *id.
  void cancel_timer(TimerId* id);

  /// Calls fn(ctx) at the end of the current round, after every ready
  /// descriptor was dispatched (used to free objects a callback closed).
  void defer(TimerFn fn, void* ctx) { deferred_.push_back({fn, ctx}); }

  /// Runs until stop() is called.
  void run();
  /// One round: waits at most `max_wait_ms` (-1: until something
  /// happens) and dispatches what is ready. Returns after dispatching.
  void run_once(int max_wait_ms);
  void stop() { running_ = false; }

  /// Monotonic time sampled once per round (cheap to ask often).
  uint64_t now_ms() const { return now_ms_; }
  size_t fd_count() const { return watched_count_; }
  size_t timer_count() const { return timers_.size(); }

 private:
  struct Slot {
    FdWatcher* watcher = nullptr;  // nullptr: not watched
    uint32_t generation = 0;       // tells a reused fd from the one that was ready
    short events = 0;
  };
  struct Timer {
    TimerFn fn;
    void* ctx;
  };

  int next_timeout_ms(int max_wait_ms) const;
  void fire_timers();

  int epoll_fd_ = -1;
  std::vector<epoll_event> ready_;  // epoll_wait's output, kept between rounds
  std::vector<Slot> slots_;  // indexed by fd
  size_t watched_count_ = 0;
  std::map<std::pair<uint64_t, uint64_t>, Timer> timers_;
  std::vector<Timer> deferred_;  // (due, seq)
  uint64_t next_seq_ = 1;
  uint32_t next_generation_ = 1;
  uint64_t now_ms_ = 0;
  bool running_ = false;
};
