// Runs one command plugin, `/bin/sh -c COMMAND` (or an argv without a
// shell, for fleetctl), without ever blocking the loop: the child gets its own session (so a timeout kills everything it
// started), stdin from /dev/null and pipes for stdout and stderr that the
// loop watches. Exits are learnt through one shared signalfd for SIGCHLD;
// only this module's children are waited for.
//
// A run ends when the child has exited and its stdout is closed, when it
// overruns the time limit or when it prints more than the output cap; in
// the last two cases its process group is killed. Whatever the plugin
// left running in its group is killed when the run ends, so no run leaves
// processes behind.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "event/loop.h"

class PluginReaper;

class PluginRunner final : private FdWatcher {
 public:
  static constexpr uint64_t kDefaultTimeoutMs = 5000;
  static constexpr size_t kDefaultMaxOutputBytes = 64 * 1024;

  PluginRunner(Loop* loop, std::string name, std::string command);
  /// Other limits (tests; a timeout of 0 means the default).
  PluginRunner(Loop* loop, std::string name, std::string command, uint64_t timeout_ms,
               size_t max_output_bytes);
  /// Runs `argv` (argv[0] looked up in PATH, no shell) and keeps its
  /// stdout as it is: output() or error() instead of result_json().
  PluginRunner(Loop* loop, std::string name, std::vector<std::string> argv, uint64_t timeout_ms,
               size_t max_output_bytes);
  ~PluginRunner();  // kills a running child, reaps it, closes fds, cancels timers
  PluginRunner(const PluginRunner&) = delete;
  PluginRunner& operator=(const PluginRunner&) = delete;

  /// Starts a run unless one is running or the last started less than min_interval_ms ago.
  void request(uint64_t now_ms, uint64_t min_interval_ms);
  bool has_result() const { return has_result_; }
  /// The last complete result: the plugin's stdout as one compact JSON value (re-serialised),
  /// or {"error":"..."} (exit status, signal, timeout, bad JSON, output too large, exec failure).
  const std::string& result_json() const { return result_json_; }
  const std::string& name() const { return name_; }
  /// Raw runs (the argv constructor): the last run's stdout when it
  /// succeeded, else why it failed (exit status or signal with the first
  /// line of stderr, timeout, output too large, exec failure).
  bool result_ok() const { return result_ok_; }
  const std::string& output() const { return output_; }
  const std::string& error() const { return error_; }
  /// Called after every completed run (success or failure), from the loop.
  void set_on_done(void (*fn)(void* ctx), void* ctx) {
    on_done_ = fn;
    on_done_ctx_ = ctx;
  }

  /// A run is under way (its child is not reaped yet).
  bool running() const { return pid_ > 0; }
  /// The running child's pid, which is also its process group; 0 if none.
  pid_t child_pid() const { return pid_; }
  /// Runs that produced a result (success or error) so far.
  uint64_t completed_runs() const { return completed_runs_; }

 private:
  friend class PluginReaper;

  void on_fd_ready(int fd, int revents) override;
  static void on_timeout(void* self);
  void start();
  void drain_stdout();
  void drain_stderr();
  void close_stdout();
  void close_stderr();
  void kill_group();
  /// Notes the child's exit without reaping it: the zombie keeps its pid,
  /// and so its process group id, from being reused until the run ends.
  void check_child();
  void finish_if_done();
  /// Records a run's outcome: stdout on success, the reason on failure.
  void publish(bool ok, std::string text);
  std::string failure_text() const;

  Loop* loop_;
  bool watched_by_reaper_ = false;
  bool raw_ = false;  // argv constructor: no shell, stdout kept as is
  std::string name_;
  std::vector<std::string> argv_;
  uint64_t timeout_ms_;
  size_t max_output_bytes_;

  pid_t pid_ = 0;
  bool child_exited_ = false;
  int exit_code_ = 0;    // when it exited normally
  int exit_signal_ = 0;  // when a signal ended it
  int stdout_fd_ = -1, stderr_fd_ = -1;
  std::string stdout_text_, stderr_text_;
  std::string failure_;  // set when statd stopped the run (timeout, output cap)
  TimerId timeout_timer_;

  bool started_once_ = false;
  uint64_t last_start_ms_ = 0;
  bool has_result_ = false;
  std::string result_json_;
  bool result_ok_ = false;
  std::string output_, error_;
  void (*on_done_)(void*) = nullptr;
  void* on_done_ctx_ = nullptr;
  uint64_t completed_runs_ = 0;
};
