// statd: serves this host's metrics over socktop's WebSocket API and
// Prometheus text. One process, one thread, one epoll loop.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/daemon.h"
#include "agent/options.h"
#include "agent/sandbox.h"
#include "base/log.h"
#include "net/tls.h"

namespace {

// SIGINT/SIGTERM arrive through a signalfd, so they are ordinary loop events.
class SignalWatcher : public FdWatcher {
 public:
  explicit SignalWatcher(Loop* loop) : loop_(loop) {}
  bool open() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return false;
    fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd_ < 0) return false;
    loop_->watch(fd_, POLLIN, this);
    return true;
  }
  void on_fd_ready(int fd, int) override {
    signalfd_siginfo info;
    if (read(fd, &info, sizeof info) == sizeof info) {
      log_info("signal %u: shutting down", info.ssi_signo);
      loop_->stop();
    }
  }

 private:
  Loop* loop_;
  int fd_ = -1;
};

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  StatdOptions opts;
  switch (statd_parse_options(argc, argv, &opts)) {
    case OptionsResult::kExitOk: return 0;
    case OptionsResult::kExitError: return 2;
    case OptionsResult::kRun: break;
  }
  if (opts.quiet) log_set_level(LOG_LEVEL_ERROR);
  if (opts.print_cert) {
#if STATD_TLS
    std::string err;
    if (!tls_print_cert(agent_tls_options(opts), stdout, &err)) {
      fprintf(stderr, "statd: --print-cert: %s\n", err.c_str());
      return 2;
    }
    return 0;
#else
    fprintf(stderr, "statd: --print-cert: this statd was built without TLS (make TLS=1)\n");
    return 2;
#endif
  }
  if (opts.sandbox && !sandbox_conflict(opts).empty()) {
    fprintf(stderr, "statd: --sandbox %s\n", sandbox_conflict(opts).c_str());
    return 2;
  }
  Daemon daemon;  // -d, --pidfile, --syslog, --user
  if (!daemon.prepare(&opts)) return 2;
  Agent agent(opts);
  SignalWatcher signals(&agent.loop);
  if (!signals.open()) {
    log_error("cannot set up signal handling");
    return 1;
  }
  if (!agent.setup_tls() || !agent.open_listeners() || !daemon.started()) return 2;
  // Last of start-up: listening, TLS key loaded, privileges dropped, detached.
  std::string sandbox_err;
  if (opts.sandbox && !sandbox_install(&sandbox_err)) {
    log_error("--sandbox: %s", sandbox_err.c_str());
    return 2;
  }
  agent.loop.run();
  agent.shutdown();
  daemon.finish();
  return 0;
}
