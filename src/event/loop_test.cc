#include "event/loop.h"

#include <unistd.h>

#include <string>

#include "base/test.h"

namespace {

struct PipeReader : FdWatcher {
  Loop* loop;
  std::string got;
  void on_fd_ready(int fd, int revents) override {
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) got.append(buf, n);
    if (n == 0) loop->unwatch(fd);
  }
};

void record(void* ctx) { static_cast<std::string*>(ctx)->push_back('t'); }

}  // namespace

TEST(loop_dispatches_ready_fd) {
  int p[2];
  ASSERT(pipe(p) == 0);
  Loop loop;
  PipeReader r;
  r.loop = &loop;
  loop.watch(p[0], POLLIN, &r);
  ASSERT(write(p[1], "abc", 3) == 3);
  loop.run_once(1000);
  EXPECT_EQ(r.got, "abc");
  close(p[1]);
  loop.run_once(1000);
  EXPECT_EQ(loop.fd_count(), 0u);
  close(p[0]);
}

TEST(loop_timers_fire_in_order_and_cancel) {
  Loop loop;
  std::string a, b;
  TimerId ta = loop.add_timer(0, record, &a);
  TimerId tb = loop.add_timer(0, record, &b);
  loop.cancel_timer(&tb);
  EXPECT(!tb.armed());
  EXPECT(ta.armed());
  loop.run_once(100);
  EXPECT_EQ(a, "t");
  EXPECT_EQ(b, "");
  EXPECT_EQ(loop.timer_count(), 0u);
}

TEST(loop_unwatch_other_fd_during_dispatch) {
  // A callback that unwatches another ready descriptor must stop it from
  // being dispatched in the same round.
  int p1[2], p2[2];
  ASSERT(pipe(p1) == 0 && pipe(p2) == 0);
  struct Killer : FdWatcher {
    Loop* loop; int victim; int calls = 0;
    void on_fd_ready(int fd, int) override { calls++; loop->unwatch(victim); loop->unwatch(fd); }
  };
  Loop loop;
  Killer k1, k2;
  k1.loop = k2.loop = &loop;
  k1.victim = p2[0];
  k2.victim = p1[0];
  loop.watch(p1[0], POLLIN, &k1);
  loop.watch(p2[0], POLLIN, &k2);
  ASSERT(write(p1[1], "x", 1) == 1 && write(p2[1], "y", 1) == 1);
  loop.run_once(1000);
  EXPECT_EQ(k1.calls + k2.calls, 1);
  for (int fd : {p1[0], p1[1], p2[0], p2[1]}) close(fd);
}

TEST(loop_new_watcher_same_events_still_gets_events) {
  // Handing an fd to another watcher with the same interest set must move
  // delivery to it (epoll keeps the watcher's generation in the kernel).
  int p[2];
  ASSERT(pipe(p) == 0);
  Loop loop;
  PipeReader first, second;
  first.loop = second.loop = &loop;
  loop.watch(p[0], POLLIN, &first);
  loop.watch(p[0], POLLIN, &second);
  ASSERT(write(p[1], "xy", 2) == 2);
  loop.run_once(1000);
  EXPECT_EQ(first.got, "");
  EXPECT_EQ(second.got, "xy");
  EXPECT_EQ(loop.fd_count(), 1u);
  for (int fd : p) close(fd);
}

TEST(loop_fd_closed_without_unwatch_can_be_watched_again) {
  // A closed fd leaves epoll's set by itself; when its number comes back,
  // watch() must register the new file rather than modify a missing entry.
  int p[2];
  ASSERT(pipe(p) == 0);
  Loop loop;
  PipeReader stale, fresh;
  stale.loop = fresh.loop = &loop;
  loop.watch(p[0], POLLIN, &stale);
  int number = p[0];
  close(p[0]);
  int q[2];
  ASSERT(pipe(q) == 0);
  ASSERT(q[0] == number);  // the lowest free number comes back
  loop.watch(q[0], POLLIN | POLLOUT, &fresh);
  ASSERT(write(q[1], "z", 1) == 1);
  loop.run_once(1000);
  EXPECT_EQ(stale.got, "");
  EXPECT_EQ(fresh.got, "z");
  for (int fd : {p[1], q[0], q[1]}) close(fd);
}

TEST(loop_many_ready_fds_all_dispatched_in_one_round) {
  // Every ready descriptor is seen in the same round, as with poll().
  constexpr int kPipes = 40;
  int p[kPipes][2];
  Loop loop;
  PipeReader readers[kPipes];
  for (int i = 0; i < kPipes; i++) {
    ASSERT(pipe(p[i]) == 0);
    readers[i].loop = &loop;
    loop.watch(p[i][0], POLLIN, &readers[i]);
    ASSERT(write(p[i][1], "r", 1) == 1);
  }
  loop.run_once(1000);
  int got = 0;
  for (int i = 0; i < kPipes; i++) got += readers[i].got == "r";
  EXPECT_EQ(got, kPipes);
  for (auto& fds : p) {
    close(fds[0]);
    close(fds[1]);
  }
}
