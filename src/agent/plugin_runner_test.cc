#include "agent/plugin_runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "base/clock.h"
#include "base/test.h"

namespace {

// Runs the real loop until done() or 5 s pass; false on the deadline.
template <typename Done>
bool run_loop_until(Loop* loop, Done done) {
  uint64_t deadline = clock_monotonic_ms() + 5000;
  while (!done()) {
    if (clock_monotonic_ms() > deadline) return false;
    loop->run_once(100);
  }
  return true;
}

// Waits (without running the loop, so no timer fires) until done() or 5 s.
template <typename Done>
bool wait_until(Done done) {
  for (int i = 0; i < 500 && !done(); i++) usleep(10000);
  return done();
}

bool run_finished(Loop* loop, PluginRunner* r, uint64_t runs) {
  return run_loop_until(loop, [&] { return r->completed_runs() >= runs && !r->running(); });
}

// Processes in group `pgid` that are not zombies, from /proc/<pid>/stat
// ("pid (comm) state ppid pgrp ...").
int live_members_of_group(pid_t pgid) {
  int live = 0;
  DIR* dir = opendir("/proc");
  if (!dir) return -1;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string path = std::string("/proc/") + e->d_name + "/stat";
    FILE* f = fopen(path.c_str(), "r");
    if (!f) continue;
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    std::string stat(buf, n);
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    char state = 0;
    int ppid = 0, pgrp = 0;
    if (sscanf(stat.c_str() + paren + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp == pgid && state != 'Z') live++;
  }
  closedir(dir);
  return live;
}

bool proc_exists(pid_t pid) { return access(("/proc/" + std::to_string(pid)).c_str(), F_OK) == 0; }

}  // namespace

TEST(plugin_runner_success_is_compact_json_and_idle_arms_nothing) {
  Loop loop;
  PluginRunner r(&loop, "a", "echo '{\"a\": 1}'");
  EXPECT_EQ(r.name(), "a");
  EXPECT(!r.has_result());
  EXPECT_EQ(loop.timer_count(), 0u);
  r.request(loop.now_ms(), 0);
  EXPECT(r.running());
  EXPECT_EQ(loop.timer_count(), 1u);
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT(r.has_result());
  EXPECT_EQ(r.result_json(), "{\"a\":1}");
  EXPECT_EQ(r.completed_runs(), 1u);
  // Only the shared SIGCHLD signalfd stays watched; no timer while idle.
  EXPECT_EQ(loop.timer_count(), 0u);
  EXPECT_EQ(loop.fd_count(), 1u);
}

TEST(plugin_runner_output_over_many_reads) {
  Loop loop;
  // 48895 bytes: "[1,2,...,10000]" arrives in many pipe reads.
  PluginRunner r(&loop, "big", "printf '['; seq -s, 1 10000 | tr -d '\\n'; printf ']'");
  r.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT_EQ(r.result_json().size(), 48895u);
  EXPECT_EQ(r.result_json().substr(0, 8), "[1,2,3,4");
  EXPECT_EQ(r.result_json().substr(r.result_json().size() - 7), ",10000]");
}

TEST(plugin_runner_bad_json_and_failures_are_errors) {
  Loop loop;
  PluginRunner bad(&loop, "bad", "echo nope");
  PluginRunner exit3(&loop, "exit3", "echo '{}'; echo 'it broke' >&2; echo more >&2; exit 3");
  PluginRunner signalled(&loop, "sig", "kill -TERM $$");
  PluginRunner missing(&loop, "missing", "no_such_command_statd_test");
  PluginRunner empty(&loop, "empty", "true");
  for (PluginRunner* r : {&bad, &exit3, &signalled, &missing, &empty}) r->request(loop.now_ms(), 0);
  for (PluginRunner* r : {&bad, &exit3, &signalled, &missing, &empty}) ASSERT(run_finished(&loop, r, 1));
  EXPECT_EQ(bad.result_json(), "{\"error\":\"bad JSON: invalid literal at offset 0\"}");
  EXPECT_EQ(exit3.result_json(), "{\"error\":\"exit status 3: it broke\"}");
  EXPECT_EQ(signalled.result_json(), "{\"error\":\"killed by signal 15\"}");
  // The shell's own wording follows ("sh: 1: ...: not found" with dash).
  EXPECT_EQ(missing.result_json().substr(0, 29), "{\"error\":\"exit status 127: sh");
  EXPECT(missing.result_json().find("no_such_command_statd_test") != std::string::npos);
  EXPECT_EQ(empty.result_json(), "{\"error\":\"bad JSON: unexpected end of input at offset 0\"}");
}

TEST(plugin_runner_timeout_kills_the_whole_group) {
  Loop loop;
  // A pipeline: the shell, two sleeps and cat all share the group.
  PluginRunner r(&loop, "hang", "sleep 10 | cat; sleep 10", 200, PluginRunner::kDefaultMaxOutputBytes);
  uint64_t t0 = clock_monotonic_ms();
  r.request(loop.now_ms(), 0);
  pid_t pid = r.child_pid();
  ASSERT(pid > 0);
  ASSERT(wait_until([&] { return live_members_of_group(pid) >= 3; }));
  ASSERT(run_finished(&loop, &r, 1));
  uint64_t took_ms = clock_monotonic_ms() - t0;
  EXPECT(took_ms >= 200 && took_ms < 4000);
  EXPECT_EQ(r.result_json(), "{\"error\":\"timed out after 200 ms\"}");
  EXPECT(run_loop_until(&loop, [&] { return live_members_of_group(pid) == 0; }));
  EXPECT(!proc_exists(pid));  // reaped, not a zombie
  EXPECT_EQ(loop.timer_count(), 0u);
}

TEST(plugin_runner_default_timeout_text) {
  Loop loop;
  PluginRunner r(&loop, "hang", "sleep 10", 1000, 100);
  r.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT_EQ(r.result_json(), "{\"error\":\"timed out after 1 s\"}");
}

TEST(plugin_runner_flood_is_cut_at_the_cap) {
  Loop loop;
  PluginRunner r(&loop, "flood", "yes", 5000, 1024);
  r.request(loop.now_ms(), 0);
  pid_t pid = r.child_pid();
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT_EQ(r.result_json(), "{\"error\":\"output larger than 1024 bytes\"}");
  // A SIGKILLed grandchild may take a moment to finish exiting.
  EXPECT(run_loop_until(&loop, [&] { return live_members_of_group(pid) == 0; }));
  EXPECT(!proc_exists(pid));
}

TEST(plugin_runner_min_interval_and_one_run_at_a_time) {
  Loop loop;
  PluginRunner r(&loop, "n", "echo $$");
  uint64_t t = 1000000;
  r.request(t, 1000);
  pid_t first_pid = r.child_pid();
  r.request(t + 5000, 0);  // still running: ignored
  EXPECT_EQ(r.child_pid(), first_pid);
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT_EQ(r.result_json(), std::to_string(first_pid));
  r.request(t + 999, 1000);
  EXPECT(!r.running());
  r.request(t - 1, 1000);  // a clock from before the last start: too soon
  EXPECT(!r.running());
  r.request(t + 1000, 1000);
  EXPECT(r.running());
  ASSERT(run_finished(&loop, &r, 2));
  EXPECT_EQ(r.completed_runs(), 2u);
}

TEST(plugin_runner_plugins_are_independent) {
  Loop loop;
  PluginRunner hang(&loop, "hang", "sleep 10", 1500, 1024);
  PluginRunner quick(&loop, "quick", "echo '[1, \"two\"]'");
  hang.request(loop.now_ms(), 0);
  quick.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &quick, 1));
  EXPECT_EQ(quick.result_json(), "[1,\"two\"]");
  EXPECT(hang.running());
  EXPECT(!hang.has_result());
  quick.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &quick, 2));
  EXPECT(hang.running());
  ASSERT(run_finished(&loop, &hang, 1));
  EXPECT_EQ(hang.result_json(), "{\"error\":\"timed out after 1500 ms\"}");
  EXPECT_EQ(quick.result_json(), "[1,\"two\"]");
}

TEST(plugin_runner_keeps_last_result_during_next_run) {
  Loop loop;
  PluginRunner r(&loop, "c", "if [ -e /proc/$$/fd/2 ]; then echo '\"ok\"'; fi; sleep 0.2");
  r.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &r, 1));
  EXPECT_EQ(r.result_json(), "\"ok\"");
  r.request(loop.now_ms() + 10, 0);
  loop.run_once(20);
  EXPECT(r.running());
  EXPECT_EQ(r.result_json(), "\"ok\"");
  ASSERT(run_finished(&loop, &r, 2));
}

TEST(plugin_runner_child_gets_clean_fds_and_signals) {
  Loop loop;
  int leaked = open("/dev/null", O_RDONLY);  // no O_CLOEXEC on purpose
  ASSERT(leaked > 2);
  std::string n = std::to_string(leaked);
  // statd ignores SIGPIPE; the plugin must not inherit that.
  void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
  void (*old_hup)(int) = signal(SIGHUP, SIG_IGN);
  // Reports: is the leaked fd open in the plugin, what is its stdin, its
  // blocked signals and which of signals 1-31 it ignores (the C library
  // may keep its own real-time signals ignored).
  PluginRunner r(&loop, "env",
                 "l=no; [ -e /proc/$$/fd/" + n + " ] && l=yes; "
                 "blk=$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$$/status); "
                 "ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status); "
                 "printf '[\"%s\",\"%s\",\"%s\",%d]' \"$l\" \"$(readlink /proc/$$/fd/0)\" \"$blk\" "
                 "$(( 0x$ign & 0x7fffffff ))");
  r.request(loop.now_ms(), 0);
  bool finished = run_finished(&loop, &r, 1);
  signal(SIGPIPE, old_pipe);
  signal(SIGHUP, old_hup);
  close(leaked);
  ASSERT(finished);
  EXPECT_EQ(r.result_json(), "[\"no\",\"/dev/null\",\"0000000000000000\",0]");
}

TEST(plugin_runner_destructor_while_running_leaves_no_zombie) {
  Loop loop;
  pid_t pid;
  {
    PluginRunner r(&loop, "d", "sleep 10 | cat");
    r.request(loop.now_ms(), 0);
    pid = r.child_pid();
    ASSERT(pid > 0);
    ASSERT(wait_until([&] { return live_members_of_group(pid) >= 2; }));
  }
  EXPECT(!proc_exists(pid));  // reaped at once
  EXPECT_EQ(waitpid(pid, nullptr, WNOHANG), -1);
  // Its SIGKILLed grandchildren (not ours to reap) finish exiting soon.
  EXPECT(wait_until([&] { return live_members_of_group(pid) == 0; }));
  EXPECT_EQ(loop.fd_count(), 0u);
  EXPECT_EQ(loop.timer_count(), 0u);
}

TEST(plugin_runner_destructor_with_others_left_reaps_later) {
  Loop loop;
  PluginRunner other(&loop, "other", "echo 1");
  pid_t pid;
  {
    PluginRunner r(&loop, "d", "sleep 10");
    r.request(loop.now_ms(), 0);
    pid = r.child_pid();
    ASSERT(pid > 0);
  }
  // The orphan is reaped when its SIGCHLD arrives through the loop.
  EXPECT(run_loop_until(&loop, [&] { return !proc_exists(pid); }));
  other.request(loop.now_ms(), 0);
  ASSERT(run_finished(&loop, &other, 1));
  EXPECT_EQ(other.result_json(), "1");
}
