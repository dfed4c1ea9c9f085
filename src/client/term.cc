#include "client/term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "base/str.h"

const char kTerminalEnterBytes[] = "\x1b[?1049h\x1b[?25l\x1b[0m";
const char kTerminalRestoreBytes[] = "\x18\x1b[0m\x1b[?25h\x1b[?1049l";

namespace {

// Process-wide state the signal handlers read. Written only while no
// handler is installed (enter) or after they were uninstalled (restore).
volatile sig_atomic_t g_raw_active = 0;  // termios/screen need restoring
int g_in_fd = -1;
int g_out_fd = -1;
struct termios g_saved_termios;
int g_resize_write_fd = -1;
bool g_atexit_registered = false;

constexpr int kFatalSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
                                 SIGABRT, SIGBUS, SIGFPE, SIGILL};
constexpr int kFatalSignalCount = sizeof kFatalSignals / sizeof kFatalSignals[0];
struct sigaction g_previous_fatal[kFatalSignalCount];
bool g_fatal_installed[kFatalSignalCount];
struct sigaction g_previous_winch;

// Async-signal-safe: write(2) and tcsetattr() only.
void restore_terminal_now() {
  if (!g_raw_active) return;
  g_raw_active = 0;
  const char* p = kTerminalRestoreBytes;
  size_t left = sizeof kTerminalRestoreBytes - 1;
  for (int attempts = 0; left > 0 && attempts < 16; attempts++) {
    ssize_t n = write(g_out_fd, p, left);
    if (n > 0) {
      p += n;
      left -= static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR && errno != EAGAIN) {
      break;
    }
  }
  tcsetattr(g_in_fd, TCSANOW, &g_saved_termios);
}

void on_fatal_signal(int sig) {
  int saved_errno = errno;
  restore_terminal_now();
  // Back to what was there before enter(), then deliver the signal again:
  // it is blocked while this handler runs, so it arrives on return.
  for (int i = 0; i < kFatalSignalCount; i++) {
    if (kFatalSignals[i] == sig) sigaction(sig, &g_previous_fatal[i], nullptr);
  }
  raise(sig);
  errno = saved_errno;
}

void on_resize_signal(int) {
  int saved_errno = errno;
  if (g_resize_write_fd >= 0) {
    char byte = 'w';
    ssize_t ignored = write(g_resize_write_fd, &byte, 1);  // full pipe: already signalled
    (void)ignored;
  }
  errno = saved_errno;
}

void restore_at_exit() { restore_terminal_now(); }

bool set_flags(int fd) {
  int fl = fcntl(fd, F_GETFL);
  int fd_flags = fcntl(fd, F_GETFD);
  return fl >= 0 && fd_flags >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
         fcntl(fd, F_SETFD, fd_flags | FD_CLOEXEC) == 0;
}

void install_handlers() {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  sigemptyset(&action.sa_mask);
  action.sa_handler = on_fatal_signal;
  for (int i = 0; i < kFatalSignalCount; i++) {
    struct sigaction previous;
    g_fatal_installed[i] = false;
    if (sigaction(kFatalSignals[i], nullptr, &previous) != 0) continue;
    if (previous.sa_handler == SIG_IGN && !(previous.sa_flags & SA_SIGINFO)) continue;
    g_previous_fatal[i] = previous;
    g_fatal_installed[i] = sigaction(kFatalSignals[i], &action, nullptr) == 0;
  }
  action.sa_handler = on_resize_signal;
  action.sa_flags = SA_RESTART;
  sigaction(SIGWINCH, &action, &g_previous_winch);
}

void uninstall_handlers() {
  for (int i = 0; i < kFatalSignalCount; i++) {
    if (g_fatal_installed[i]) sigaction(kFatalSignals[i], &g_previous_fatal[i], nullptr);
    g_fatal_installed[i] = false;
  }
  sigaction(SIGWINCH, &g_previous_winch, nullptr);
}

void set_errno_error(const char* what, std::string* err) {
  if (!err) return;
  err->clear();
  str_appendf(err, "%s: %s", what, strerror(errno));
}

bool has_utf8_codeset(const char* value) {
  std::string lower = str_lower(value);
  return lower.find("utf-8") != std::string::npos || lower.find("utf8") != std::string::npos;
}

}  // namespace

Terminal::Terminal(int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd), is_tty_(isatty(in_fd) == 1 && isatty(out_fd) == 1) {}

bool Terminal::enter(std::string* err) {
  if (entered_) return true;
  if (!is_tty_) {
    if (err) *err = "not a terminal";
    return false;
  }
  if (g_raw_active || g_resize_write_fd >= 0) {
    if (err) *err = "another Terminal is active";
    return false;
  }
  struct termios saved;
  if (tcgetattr(in_fd_, &saved) != 0) {
    set_errno_error("tcgetattr", err);
    return false;
  }
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    set_errno_error("pipe", err);
    return false;
  }
  if (!set_flags(pipe_fds[0]) || !set_flags(pipe_fds[1])) {
    set_errno_error("fcntl", err);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return false;
  }
  struct termios raw = saved;
  raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
  raw.c_cflag |= CS8;
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;

  g_in_fd = in_fd_;
  g_out_fd = out_fd_;
  g_saved_termios = saved;
  g_resize_write_fd = pipe_fds[1];
  resize_read_fd_ = pipe_fds[0];
  if (!g_atexit_registered) g_atexit_registered = atexit(restore_at_exit) == 0;
  install_handlers();
  g_raw_active = 1;  // from here on, any exit path restores
  entered_ = true;
  if (tcsetattr(in_fd_, TCSAFLUSH, &raw) != 0) {
    set_errno_error("tcsetattr", err);
    restore();
    return false;
  }
  std::string write_err;
  if (!write_all(kTerminalEnterBytes, &write_err)) {
    if (err) *err = write_err;
    restore();
    return false;
  }
  return true;
}

void Terminal::restore() {
  if (!entered_) return;
  entered_ = false;
  // Block the fatal signals so a handler cannot run halfway through.
  sigset_t block, previous_mask;
  sigemptyset(&block);
  for (int sig : kFatalSignals) sigaddset(&block, sig);
  sigaddset(&block, SIGWINCH);
  sigprocmask(SIG_BLOCK, &block, &previous_mask);
  restore_terminal_now();
  uninstall_handlers();
  close(resize_read_fd_);
  close(g_resize_write_fd);
  resize_read_fd_ = -1;
  g_resize_write_fd = -1;
  sigprocmask(SIG_SETMASK, &previous_mask, nullptr);
}

bool Terminal::window_size(int* cols, int* rows) const {
  struct winsize ws;
  memset(&ws, 0, sizeof ws);
  if ((ioctl(out_fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) ||
      (ioctl(in_fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)) {
    *cols = ws.ws_col;
    *rows = ws.ws_row;
    return true;
  }
  *cols = 80;
  *rows = 24;
  return false;
}

bool Terminal::take_resize() {
  if (resize_read_fd_ < 0) return false;
  bool resized = false;
  char drain[64];
  for (;;) {
    ssize_t n = read(resize_read_fd_, drain, sizeof drain);
    if (n > 0) {
      resized = true;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EAGAIN: drained
    }
  }
  return resized;
}

bool Terminal::write_all(std::string_view bytes, std::string* err) {
  size_t done = 0;
  while (done < bytes.size()) {
    std::string_view left = bytes.substr(done);
    ssize_t n = write(out_fd_, left.data(), left.size());
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      struct pollfd pfd = {out_fd_, POLLOUT, 0};
      if (poll(&pfd, 1, 5000) > 0) continue;
      if (err) *err = "terminal output stalled";
      return false;
    }
    set_errno_error("write", err);
    return false;
  }
  return true;
}

bool locale_is_utf8_from(const char* lc_all, const char* lc_ctype, const char* lang) {
  const char* candidates[] = {lc_all, lc_ctype, lang};
  for (const char* value : candidates) {
    if (value && value[0]) return has_utf8_codeset(value);
  }
  return false;  // the "C" locale
}

bool locale_is_utf8() {
  return locale_is_utf8_from(getenv("LC_ALL"), getenv("LC_CTYPE"), getenv("LANG"));
}

TermCaps term_caps_from_env() {
  TermCaps caps;
  const char* no_color = getenv("NO_COLOR");
  const char* term = getenv("TERM");
  caps.color = !(no_color && no_color[0]) && !(term && strcmp(term, "dumb") == 0);
  caps.utf8 = locale_is_utf8();
  return caps;
}
