#include "agent/plugin_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>
#include <vector>

#include "agent/plugin_output.h"
#include "base/str.h"

namespace {

// How much of a plugin's stderr is kept for its error message.
constexpr size_t kStderrKeepBytes = 256;
// Reads per readiness callback on stderr, which has no cap that stops the
// run: a plugin flooding it must not hold the loop.
constexpr int kStderrReadsPerWakeup = 16;
// exit_code_ when the child was reaped by someone else.
constexpr int kExitUnknown = -1;

void close_fds_from(int first) {
#ifdef SYS_close_range
  if (syscall(SYS_close_range, static_cast<unsigned>(first), ~0u, 0u) == 0) return;
#endif
  // Kernels before 5.9: every descriptor up to the limit (bounded; statd
  // sets FD_CLOEXEC on its own descriptors anyway).
  long max_fd = 1024;
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
    max_fd = static_cast<long>(lim.rlim_cur);
  if (max_fd > 65536) max_fd = 65536;
  for (int fd = first; fd < max_fd; fd++) close(fd);
}

// In the child between fork() and exec(): async-signal-safe calls only.
[[noreturn]] void exec_child(const char* file, char* const* argv, int stdout_w, int stderr_w) {
  // A session (and process group) of its own, so one kill(-pid) reaches
  // everything the plugin starts, and no controlling terminal.
  setsid();
  // statd blocks SIGCHLD/SIGINT/SIGTERM (they arrive by signalfd) and
  // ignores SIGPIPE; both would survive exec and confuse the plugin.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  // statd may run with 0-2 closed, so its pipe ends can be any numbers:
  // move them above 2 before putting them in place.
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int in = null_fd >= 0 ? fcntl(null_fd, F_DUPFD_CLOEXEC, 3) : -1;
  int out = fcntl(stdout_w, F_DUPFD_CLOEXEC, 3);
  int err = fcntl(stderr_w, F_DUPFD_CLOEXEC, 3);
  if (out < 0 || err < 0) _exit(127);
  if (in >= 0) dup2(in, 0);
  else close(0);
  dup2(out, 1);
  dup2(err, 2);
  close_fds_from(3);
  execvp(file, argv);
  static const char kMessage[] = "statd: cannot exec ";
  ssize_t ignored = write(2, kMessage, sizeof kMessage - 1);
  ignored = write(2, file, strlen(file));
  ignored = write(2, "\n", 1);
  (void)ignored;
  _exit(127);
}

bool set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string duration_text(uint64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

// One signalfd for SIGCHLD shared by every runner: signals of one kind
// coalesce, so on each one every runner looks at its own child. Created
// with the first runner (SIGCHLD is blocked from then on, before any
// fork), closed with the last.
class PluginReaper final : private FdWatcher {
 public:
  bool add(PluginRunner* runner, std::string* err) {
    if (fd_ < 0) {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGCHLD);
      if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
        *err = std::string("sigprocmask: ") + strerror(errno);
        return false;
      }
      fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
      if (fd_ < 0) {
        *err = std::string("signalfd: ") + strerror(errno);
        return false;
      }
    }
    if (!has_runner_on(runner->loop_)) runner->loop_->watch(fd_, POLLIN, this);
    runners_.push_back(runner);
    return true;
  }

  void remove(PluginRunner* runner) {
    for (size_t i = 0; i < runners_.size(); i++) {
      if (runners_[i] == runner) {
        runners_.erase(runners_.begin() + i);
        break;
      }
    }
    if (!has_runner_on(runner->loop_)) runner->loop_->unwatch(fd_);
    if (runners_.empty()) {
      // Nobody will read SIGCHLD any more: wait for the killed children
      // now (SIGKILLed, so this is short).
      reap_orphans(true);
      close(fd_);
      fd_ = -1;
    }
  }

  /// A SIGKILLed child whose runner is gone: reaped when it is dead.
  void adopt(pid_t pid) { orphans_.push_back(pid); }

 private:
  bool has_runner_on(Loop* loop) const {
    for (PluginRunner* r : runners_)
      if (r->loop_ == loop) return true;
    return false;
  }

  void reap_orphans(bool block) {
    for (size_t i = 0; i < orphans_.size();) {
      pid_t got;
      do {
        got = waitpid(orphans_[i], nullptr, block ? 0 : WNOHANG);
      } while (got < 0 && errno == EINTR);
      if (got == 0) {
        i++;
      } else {
        orphans_[i] = orphans_.back();
        orphans_.pop_back();
      }
    }
  }

  void on_fd_ready(int fd, int) override {
    signalfd_siginfo info;
    while (read(fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
    }
    reap_orphans(false);
    // Index loop: finishing a run never adds or removes runners.
    for (size_t i = 0; i < runners_.size(); i++) runners_[i]->finish_if_done();
  }

  int fd_ = -1;
  std::vector<PluginRunner*> runners_;
  std::vector<pid_t> orphans_;
};

static PluginReaper plugin_reaper;

PluginRunner::PluginRunner(Loop* loop, std::string name, std::string command)
    : PluginRunner(loop, std::move(name), std::move(command), kDefaultTimeoutMs,
                   kDefaultMaxOutputBytes) {}

PluginRunner::PluginRunner(Loop* loop, std::string name, std::string command,
                           uint64_t timeout_ms, size_t max_output_bytes)
    : PluginRunner(loop, std::move(name), std::vector<std::string>{"sh", "-c", std::move(command)},
                   timeout_ms, max_output_bytes) {
  raw_ = false;  // and argv[0] "sh" is run as /bin/sh (see start())
}

PluginRunner::PluginRunner(Loop* loop, std::string name, std::vector<std::string> argv,
                           uint64_t timeout_ms, size_t max_output_bytes)
    : loop_(loop),
      raw_(true),
      name_(std::move(name)),
      argv_(std::move(argv)),
      timeout_ms_(timeout_ms ? timeout_ms : kDefaultTimeoutMs),
      max_output_bytes_(max_output_bytes) {
  std::string err;
  watched_by_reaper_ = plugin_reaper.add(this, &err);
}

PluginRunner::~PluginRunner() {
  loop_->cancel_timer(&timeout_timer_);
  close_stdout();
  close_stderr();
  if (pid_ > 0) {
    kill_group();
    if (waitpid(pid_, nullptr, WNOHANG) == 0) plugin_reaper.adopt(pid_);
    pid_ = 0;
  }
  if (watched_by_reaper_) plugin_reaper.remove(this);
}

void PluginRunner::request(uint64_t now_ms, uint64_t min_interval_ms) {
  if (running()) return;
  if (started_once_ && (now_ms < last_start_ms_ || now_ms - last_start_ms_ < min_interval_ms))
    return;
  started_once_ = true;
  last_start_ms_ = now_ms;
  start();
}

void PluginRunner::start() {
  failure_.clear();
  stdout_text_.clear();
  stderr_text_.clear();
  child_exited_ = false;
  exit_code_ = exit_signal_ = 0;
  std::string err;
  if (!watched_by_reaper_ && !(watched_by_reaper_ = plugin_reaper.add(this, &err))) {
    publish(false, "cannot watch child processes: " + err);
    return;
  }
  int out[2], errp[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    publish(false, std::string("cannot start: pipe: ") + strerror(errno));
    return;
  }
  if (pipe2(errp, O_CLOEXEC) != 0) {
    publish(false, std::string("cannot start: pipe: ") + strerror(errno));
    close(out[0]);
    close(out[1]);
    return;
  }
  // Built before fork(): the child may only make async-signal-safe calls.
  std::vector<char*> argv;
  for (std::string& a : argv_) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) exec_child(raw_ ? argv[0] : "/bin/sh", argv.data(), out[1], errp[1]);
  int fork_errno = errno;
  close(out[1]);
  close(errp[1]);
  if (pid < 0) {
    close(out[0]);
    close(errp[0]);
    publish(false, std::string("cannot start: fork: ") + strerror(fork_errno));
    return;
  }
  // Only statd's ends are non-blocking: the child's must block as usual.
  set_nonblocking(out[0]);
  set_nonblocking(errp[0]);
  pid_ = pid;
  stdout_fd_ = out[0];
  stderr_fd_ = errp[0];
  loop_->watch(stdout_fd_, POLLIN, this);
  loop_->watch(stderr_fd_, POLLIN, this);
  timeout_timer_ = loop_->add_timer(timeout_ms_, on_timeout, this);
}

void PluginRunner::on_fd_ready(int fd, int) {
  if (fd == stdout_fd_) drain_stdout();
  else if (fd == stderr_fd_) drain_stderr();
  finish_if_done();
}

void PluginRunner::drain_stdout() {
  char buf[4096];
  while (stdout_fd_ >= 0) {
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n > 0) {
      if (stdout_text_.size() + static_cast<size_t>(n) > max_output_bytes_) {
        failure_ = "output larger than " + std::to_string(max_output_bytes_) + " bytes";
        kill_group();
        close_stdout();
        return;
      }
      stdout_text_.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      return;
    } else {
      close_stdout();  // end of output (or a read error, which ends it too)
    }
  }
}

void PluginRunner::drain_stderr() {
  char buf[4096];
  for (int reads = 0; stderr_fd_ >= 0 && reads < kStderrReadsPerWakeup; reads++) {
    ssize_t n = read(stderr_fd_, buf, sizeof buf);
    if (n > 0) {
      size_t room = kStderrKeepBytes - stderr_text_.size();
      stderr_text_.append(buf, static_cast<size_t>(n) < room ? static_cast<size_t>(n) : room);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && errno == EAGAIN) {
      return;
    } else {
      close_stderr();
    }
  }
}

void PluginRunner::close_stdout() {
  if (stdout_fd_ < 0) return;
  loop_->unwatch(stdout_fd_);
  close(stdout_fd_);
  stdout_fd_ = -1;
}

void PluginRunner::close_stderr() {
  if (stderr_fd_ < 0) return;
  loop_->unwatch(stderr_fd_);
  close(stderr_fd_);
  stderr_fd_ = -1;
}

void PluginRunner::kill_group() {
  if (pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  // The child may not have called setsid() yet, so its group is not there.
  kill(pid_, SIGKILL);
}

void PluginRunner::on_timeout(void* self) {
  PluginRunner* r = static_cast<PluginRunner*>(self);
  r->timeout_timer_ = TimerId();
  r->failure_ = "timed out after " + duration_text(r->timeout_ms_);
  r->kill_group();
  r->close_stdout();
  r->close_stderr();
  r->finish_if_done();
}

void PluginRunner::check_child() {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0) {
    if (info.si_pid != pid_) return;  // still running
    child_exited_ = true;
    if (info.si_code == CLD_EXITED) exit_code_ = info.si_status;
    else exit_signal_ = info.si_status;
  } else if (errno == ECHILD) {
    // Reaped behind our back (someone set SIGCHLD to SIG_IGN): the run is
    // over, its status unknown, and its pid may already be someone else's.
    child_exited_ = true;
    exit_code_ = kExitUnknown;
  }
}

void PluginRunner::finish_if_done() {
  if (pid_ <= 0 || stdout_fd_ >= 0) return;
  if (!child_exited_) check_child();
  if (!child_exited_) return;
  drain_stderr();
  close_stderr();
  // The zombie still holds the group id, so this reaches only what the
  // plugin left behind.
  if (exit_code_ != kExitUnknown) {
    kill(-pid_, SIGKILL);
    if (waitpid(pid_, nullptr, WNOHANG) == 0) plugin_reaper.adopt(pid_);
  }
  pid_ = 0;
  loop_->cancel_timer(&timeout_timer_);
  std::string reason = failure_text();
  if (!reason.empty()) publish(false, std::move(reason));
  else publish(true, std::move(stdout_text_));
}

std::string PluginRunner::failure_text() const {
  if (!failure_.empty()) return failure_;
  std::string reason;
  if (exit_signal_) reason = "killed by signal " + std::to_string(exit_signal_);
  else if (exit_code_ == kExitUnknown) return "exit status unknown";
  else if (exit_code_) reason = "exit status " + std::to_string(exit_code_);
  else return reason;
  // The first line of stderr usually says why ("sh: 1: foo: not found").
  std::string_view said = str_trim(stderr_text_);
  said = said.substr(0, said.find('\n'));
  said = str_trim(said);
  if (!said.empty()) reason += ": " + std::string(said);
  return reason;
}

void PluginRunner::publish(bool ok, std::string text) {
  if (raw_) {
    result_ok_ = ok;
    (ok ? output_ : error_) = std::move(text);
    (ok ? error_ : output_).clear();
  } else {
    std::string err;
    if (!ok) result_json_ = plugin_error_json(text);
    else if (!plugin_output_to_json(text, &result_json_, &err)) result_json_ = plugin_error_json(err);
  }
  has_result_ = true;
  completed_runs_++;
  if (on_done_) on_done_(on_done_ctx_);
}
