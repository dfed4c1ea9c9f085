// Terminal: raw mode, alternate screen and a hidden cursor for statc, and
// the guarantee that the user's terminal is put back however statc ends.
//
// restore() runs from the destructor, from an atexit() handler and from
// handlers for the fatal signals (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
// SIGABRT, SIGBUS, SIGFPE, SIGILL). The signal path is async-signal-safe: the
// restore bytes are a constant and it uses only write(2), tcsetattr() and
// sigaction(); it then re-raises the signal with the disposition that was in
// place before enter() (so a handler the program installed earlier still
// runs, after the terminal is back). Signals that were ignored stay ignored.
//
// SIGWINCH is turned into a readable byte on resize_fd() (self-pipe), so the
// event loop can watch it like any other descriptor.
//
// Only one Terminal can be entered at a time (signal state is per process).
// The input descriptor's O_NONBLOCK flag is left alone: it is shared with
// the shell and must not be changed behind its back.
#pragma once

#include <string>
#include <string_view>

#include "client/screen.h"

class Terminal {
 public:
  /// Records the descriptors; touches nothing yet.
  explicit Terminal(int in_fd = 0, int out_fd = 1);
  ~Terminal() { restore(); }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  /// True when both descriptors are terminals (checked at construction).
  bool is_tty() const { return is_tty_; }

  /// Raw mode (no echo, no line editing, no signals from ^C/^Z, no output
  /// post-processing), alternate screen, hidden cursor, handlers. False with
  /// *err when not a tty, when another Terminal is entered, or on a failing
  /// system call (then nothing is left changed).
  bool enter(std::string* err);
  /// Puts everything back: leaves the alternate screen, shows the cursor,
  /// resets SGR, restores termios and the previous signal handlers, closes
  /// the resize pipe. Idempotent; a no-op when enter() did not succeed.
  void restore();
  bool entered() const { return entered_; }

  /// Current size from TIOCGWINSZ. False (and 80x24) when unknown.
  bool window_size(int* cols, int* rows) const;

  /// Becomes readable after SIGWINCH; -1 when not entered.
  int resize_fd() const { return resize_read_fd_; }
  /// Drains resize_fd(); true when at least one SIGWINCH arrived since the
  /// last call.
  bool take_resize();

  /// Writes all of `bytes` to the output, retrying on EINTR and waiting (up
  /// to 5 s per stall) when the descriptor is non-blocking and full.
  bool write_all(std::string_view bytes, std::string* err);

  int input_fd() const { return in_fd_; }
  int output_fd() const { return out_fd_; }

 private:
  int in_fd_;
  int out_fd_;
  bool is_tty_;
  bool entered_ = false;
  int resize_read_fd_ = -1;
};

/// Sent by enter() after switching to raw mode.
extern const char kTerminalEnterBytes[];
/// Sent by restore(); starts with CAN so a frame cut short mid-sequence by a
/// signal cannot swallow it.
extern const char kTerminalRestoreBytes[];

/// True when the character locale is UTF-8, judged from the environment the
/// way setlocale() would pick it (first non-empty of LC_ALL, LC_CTYPE,
/// LANG), without calling setlocale(): the value contains "UTF-8" or "utf8"
/// (any case).
bool locale_is_utf8();
/// Same decision on given values (null or "" means unset); for tests.
bool locale_is_utf8_from(const char* lc_all, const char* lc_ctype, const char* lang);

/// Capabilities from the environment: colour unless NO_COLOR is set to a
/// non-empty value or TERM is "dumb"; UTF-8 per locale_is_utf8().
TermCaps term_caps_from_env();
