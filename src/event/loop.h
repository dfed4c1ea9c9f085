// The event loop: file descriptors and one-shot timers over poll(2), one
// thread. Nothing else in the program calls poll().
//
// With no timer armed the loop sleeps in poll() until a descriptor is ready,
// so an idle daemon wakes for nothing.
#pragma once

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include <map>
#include <utility>
#include <vector>

/// Implemented by whatever owns a registered descriptor.
class FdWatcher {
 public:
  /// `revents` as poll(2) reports them (POLLIN, POLLOUT, POLLHUP, POLLERR).
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

  /// Registers `fd` (or changes its interest set) for POLLIN/POLLOUT.
  void watch(int fd, short events, FdWatcher* watcher);
  /// Forgets `fd`; safe to call from inside a callback, for any fd.
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
  /// One poll() round: waits at most `max_wait_ms` (-1: until something
  /// happens) and dispatches what is ready. Returns after dispatching.
  void run_once(int max_wait_ms);
  void stop() { running_ = false; }

  /// Monotonic time sampled once per round (cheap to ask often).
  uint64_t now_ms() const { return now_ms_; }
  size_t fd_count() const { return fds_.size(); }
  size_t timer_count() const { return timers_.size(); }

 private:
  struct Slot {
    FdWatcher* watcher;
    uint64_t generation;  // tells a reused fd from the one that was ready
  };
  struct Timer {
    TimerFn fn;
    void* ctx;
  };

  int next_timeout_ms(int max_wait_ms) const;
  void fire_timers();

  std::vector<pollfd> fds_;
  std::vector<Slot> slots_;        // parallel to fds_
  std::vector<int> index_of_fd_;   // fd -> index into fds_, -1 if absent
  std::map<std::pair<uint64_t, uint64_t>, Timer> timers_;
  std::vector<Timer> deferred_;  // (due, seq)
  uint64_t next_seq_ = 1;
  uint64_t next_generation_ = 1;
  uint64_t now_ms_ = 0;
  bool running_ = false;
};
