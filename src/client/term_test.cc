#include "client/term.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "base/test.h"

namespace {

// A pseudo-terminal pair: statc's side is the slave.
struct Pty {
  int master = -1;
  int slave = -1;
  ~Pty() {
    if (master >= 0) close(master);
    if (slave >= 0) close(slave);
  }
};

bool open_pty(Pty* pty) {
  pty->master = posix_openpt(O_RDWR | O_NOCTTY);
  if (pty->master < 0 || grantpt(pty->master) != 0 || unlockpt(pty->master) != 0) return false;
  const char* name = ptsname(pty->master);
  if (!name) return false;
  pty->slave = open(name, O_RDWR | O_NOCTTY);
  return pty->slave >= 0 && fcntl(pty->master, F_SETFL, O_NONBLOCK) == 0;
}

// Everything the terminal side has written so far.
std::string read_master(int master) {
  std::string out;
  char buf[256];
  while (poll(nullptr, 0, 20) == 0) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

bool echo_on(int fd) {
  struct termios t;
  return tcgetattr(fd, &t) == 0 && (t.c_lflag & ECHO) && (t.c_lflag & ICANON);
}

// Runs `child` in a forked process on the pty and returns its wait status.
int run_child(Pty* pty, void (*child)(int slave)) {
  pid_t pid = fork();
  if (pid == 0) {
    child(pty->slave);
    _exit(99);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

std::string enter_restore() {
  return std::string(kTerminalEnterBytes) + kTerminalRestoreBytes;
}

void child_raises_sigterm(int slave) {
  static Terminal* term = new Terminal(slave, slave);  // never destroyed
  std::string err;
  if (!term->enter(&err)) _exit(98);
  raise(SIGTERM);
}

void child_exits(int slave) {
  static Terminal* term = new Terminal(slave, slave);
  std::string err;
  if (!term->enter(&err)) _exit(98);
  exit(0);  // atexit handler restores
}

int g_child_slave = -1;
void child_own_handler(int) {
  ssize_t ignored = write(g_child_slave, "H", 1);
  (void)ignored;
  _exit(7);
}

void child_with_own_sigterm_handler(int slave) {
  g_child_slave = slave;
  signal(SIGTERM, child_own_handler);
  signal(SIGHUP, SIG_IGN);
  static Terminal* term = new Terminal(slave, slave);
  std::string err;
  if (!term->enter(&err)) _exit(98);
  raise(SIGHUP);   // ignored before enter(): stays ignored
  raise(SIGTERM);  // terminal restored first, then the program's handler
}

}  // namespace

TEST(term_enter_restore_on_pty) {
  Pty pty;
  ASSERT(open_pty(&pty));
  Terminal term(pty.slave, pty.slave);
  EXPECT(term.is_tty());
  EXPECT_EQ(term.resize_fd(), -1);
  std::string err;
  ASSERT(term.enter(&err));
  EXPECT_EQ(read_master(pty.master), kTerminalEnterBytes);
  struct termios raw;
  ASSERT(tcgetattr(pty.slave, &raw) == 0);
  EXPECT_EQ(raw.c_lflag & (ECHO | ICANON | ISIG | IEXTEN), 0u);
  EXPECT_EQ(raw.c_oflag & OPOST, 0u);
  EXPECT_EQ(raw.c_iflag & (ICRNL | IXON), 0u);

  Terminal second(pty.slave, pty.slave);
  EXPECT(!second.enter(&err));
  EXPECT_EQ(err, "another Terminal is active");

  EXPECT(term.write_all("frame", &err));
  EXPECT_EQ(read_master(pty.master), "frame");

  term.restore();
  EXPECT_EQ(read_master(pty.master), kTerminalRestoreBytes);
  EXPECT(echo_on(pty.slave));
  EXPECT_EQ(term.resize_fd(), -1);
  term.restore();  // idempotent: nothing more is written
  EXPECT_EQ(read_master(pty.master), "");

  ASSERT(term.enter(&err));  // can be entered again
  EXPECT_EQ(read_master(pty.master), kTerminalEnterBytes);
}

TEST(term_window_size_and_resize_fd) {
  Pty pty;
  ASSERT(open_pty(&pty));
  struct winsize ws;
  memset(&ws, 0, sizeof ws);
  ws.ws_col = 100;
  ws.ws_row = 40;
  ASSERT(ioctl(pty.master, TIOCSWINSZ, &ws) == 0);
  Terminal term(pty.slave, pty.slave);
  int cols = 0, rows = 0;
  EXPECT(term.window_size(&cols, &rows));
  EXPECT_EQ(cols, 100);
  EXPECT_EQ(rows, 40);
  std::string err;
  ASSERT(term.enter(&err));
  EXPECT(!term.take_resize());
  raise(SIGWINCH);
  raise(SIGWINCH);
  struct pollfd pfd = {term.resize_fd(), POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 0), 1);
  EXPECT(term.take_resize());
  EXPECT(!term.take_resize());
  EXPECT_EQ(poll(&pfd, 1, 0), 0);
  term.restore();
  struct sigaction now;
  sigaction(SIGWINCH, nullptr, &now);
  EXPECT(now.sa_handler == SIG_DFL);
}

TEST(term_not_a_tty) {
  int fds[2];
  ASSERT(pipe(fds) == 0);
  Terminal term(fds[0], fds[1]);
  EXPECT(!term.is_tty());
  std::string err;
  EXPECT(!term.enter(&err));
  EXPECT_EQ(err, "not a terminal");
  int cols = 0, rows = 0;
  EXPECT(!term.window_size(&cols, &rows));
  EXPECT_EQ(cols, 80);
  EXPECT_EQ(rows, 24);
  close(fds[0]);
  close(fds[1]);
}

TEST(term_restores_on_fatal_signal) {
  Pty pty;
  ASSERT(open_pty(&pty));
  int status = run_child(&pty, child_raises_sigterm);
  EXPECT(WIFSIGNALED(status));
  EXPECT_EQ(WIFSIGNALED(status) ? WTERMSIG(status) : 0, SIGTERM);
  EXPECT_EQ(read_master(pty.master), enter_restore());
  EXPECT(echo_on(pty.slave));
}

TEST(term_restores_at_exit) {
  Pty pty;
  ASSERT(open_pty(&pty));
  int status = run_child(&pty, child_exits);
  EXPECT(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_master(pty.master), enter_restore());
  EXPECT(echo_on(pty.slave));
}

TEST(term_signal_chains_to_previous_handler) {
  Pty pty;
  ASSERT(open_pty(&pty));
  int status = run_child(&pty, child_with_own_sigterm_handler);
  EXPECT(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_EQ(read_master(pty.master), enter_restore() + "H");
  EXPECT(echo_on(pty.slave));
}

TEST(term_locale_is_utf8) {
  EXPECT(locale_is_utf8_from(nullptr, nullptr, "en_US.UTF-8"));
  EXPECT(locale_is_utf8_from("", "", "de_DE.utf8"));
  EXPECT(locale_is_utf8_from(nullptr, "C.Utf-8", "C"));
  EXPECT(!locale_is_utf8_from("C", nullptr, "en_US.UTF-8"));  // LC_ALL wins
  EXPECT(!locale_is_utf8_from(nullptr, nullptr, "POSIX"));
  EXPECT(!locale_is_utf8_from(nullptr, nullptr, nullptr));
  EXPECT(!locale_is_utf8_from(nullptr, nullptr, "en_US.ISO-8859-1"));
}

TEST(term_caps_from_env) {
  const char* names[] = {"LC_ALL", "LC_CTYPE", "LANG", "NO_COLOR", "TERM"};
  std::string saved[5];
  bool was_set[5];
  for (int i = 0; i < 5; i++) {
    const char* v = getenv(names[i]);
    was_set[i] = v != nullptr;
    saved[i] = v ? v : "";
    unsetenv(names[i]);
  }
  setenv("LANG", "en_GB.UTF-8", 1);
  setenv("TERM", "xterm-256color", 1);
  EXPECT(locale_is_utf8());
  TermCaps caps = term_caps_from_env();
  EXPECT(caps.color);
  EXPECT(caps.utf8);
  setenv("NO_COLOR", "", 1);  // empty: not set, per no-color.org
  EXPECT(term_caps_from_env().color);
  setenv("NO_COLOR", "1", 1);
  EXPECT(!term_caps_from_env().color);
  unsetenv("NO_COLOR");
  setenv("TERM", "dumb", 1);
  EXPECT(!term_caps_from_env().color);
  setenv("LC_CTYPE", "C", 1);
  EXPECT(!term_caps_from_env().utf8);
  for (int i = 0; i < 5; i++) {
    if (was_set[i]) setenv(names[i], saved[i].c_str(), 1);
    else unsetenv(names[i]);
  }
}
