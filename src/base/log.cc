#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static LogLevel g_level = LOG_LEVEL_INFO;

// syslog: our own RFC 3164 sender instead of syslog(3). musl's formats a local
// timestamp with strftime (about 5 KB of the static binary, plus time zone
// files read at run time); every receiver we target (BusyBox syslogd,
// rsyslog, journald) stamps a message that arrives without one.
static int g_syslog_fd = -1;
static char g_syslog_ident[32];
static const char kDevLog[] = "/dev/log";
static const int kFacilityDaemon = 3 << 3;

static bool syslog_connect() {
  if (g_syslog_fd < 0) g_syslog_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (g_syslog_fd < 0) return false;
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, kDevLog, sizeof kDevLog);
  return connect(g_syslog_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

void log_set_level(LogLevel level) { g_level = level; }

void log_use_syslog(const char* ident) {
  snprintf(g_syslog_ident, sizeof g_syslog_ident, "%s", ident);
  // Connected now (LOG_NDELAY's meaning), before a chroot or privilege drop
  // could hide /dev/log; a syslogd that is not up yet is retried per line.
  syslog_connect();
}

static void syslog_send(LogLevel level, const char* text) {
  static const int kSeverity[] = {3 /* err */, 4 /* warning */, 6 /* info */, 7 /* debug */};
  char line[600];
  int n = snprintf(line, sizeof line, "<%d>%s[%d]: %s", kFacilityDaemon | kSeverity[level],
                   g_syslog_ident, static_cast<int>(getpid()), text);
  if (n < 0) return;
  size_t len = static_cast<size_t>(n) < sizeof line ? static_cast<size_t>(n) : sizeof line - 1;
  // A restarted syslogd leaves our socket connected to nothing: reconnect once.
  if (send(g_syslog_fd, line, len, MSG_NOSIGNAL) < 0 && (errno == ECONNREFUSED || errno == ENOTCONN || errno == EDESTADDRREQ) &&
      syslog_connect())
    send(g_syslog_fd, line, len, MSG_NOSIGNAL);
}

void log_msg(LogLevel level, const char* fmt, ...) {
  if (level > g_level) return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (g_syslog_fd >= 0) return syslog_send(level, line);
  static const char* const kName[] = {"error", "warning", "info", "debug"};
  fprintf(stderr, "statd: %s: %s\n", kName[level], line);
}
