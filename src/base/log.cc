#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static LogLevel g_level = LOG_LEVEL_INFO;
static bool g_syslog = false;

void log_set_level(LogLevel level) { g_level = level; }

void log_use_syslog(const char* ident) {
  openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
  g_syslog = true;
}

void log_msg(LogLevel level, const char* fmt, ...) {
  if (level > g_level) return;
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (g_syslog) {
    static const int kPriority[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
    syslog(kPriority[level], "%s", line);
    return;
  }
  static const char* const kName[] = {"error", "warning", "info", "debug"};
  fprintf(stderr, "statd: %s: %s\n", kName[level], line);
}
