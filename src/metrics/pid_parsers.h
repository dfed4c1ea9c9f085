// Pure parsers for the per-process files of /proc/<pid> (proc(5)).
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

namespace metrics {

/// The fields of /proc/<pid>/stat (or task/<tid>/stat) the collectors use.
struct PidStat {
  uint32_t pid = 0, ppid = 0;
  std::string comm;
  char state = '?';
  uint64_t utime_jiffies = 0, stime_jiffies = 0;
  uint32_t num_threads = 0;
  uint64_t start_ticks = 0;
  uint64_t vsize_bytes = 0;
  uint64_t rss_pages = 0;
};

/// comm may hold spaces and ')' ("a) b"), so the fields are read after the
/// LAST ')' of the line.
bool parse_pid_stat(std::string_view text, PidStat* out, std::string* err);

/// The fields of /proc/<pid>/status the collectors use.
struct PidStatus {
  std::string name;          ///< Name: with the kernel's \n and \\ escapes undone
  bool has_uid = false;
  uint32_t uid = 0, euid = 0;  ///< real and effective
  bool has_gid = false;
  uint32_t gid = 0;
  bool has_threads = false;
  uint32_t threads = 0;
  bool has_vm_rss = false;
  uint64_t vm_rss_bytes = 0;
  bool has_vm_size = false;
  uint64_t vm_size_bytes = 0;
};

bool parse_pid_status(std::string_view text, PidStatus* out, std::string* err);

/// /proc/<pid>/io.
struct PidIo {
  uint64_t rchar = 0, wchar = 0, read_bytes = 0, write_bytes = 0;
};

/// False unless rchar, wchar, read_bytes and write_bytes are all present.
bool parse_pid_io(std::string_view text, PidIo* out, std::string* err);

/// /proc/<pid>/cmdline: NUL-separated argv, joined by single spaces
/// (trailing NULs dropped). "" for kernel threads.
std::string join_cmdline(std::string_view bytes);

/// Text for a state letter as socktop's detail view shows it ("Running",
/// "Sleeping", "Disk Sleep", "Zombie", ...).
const char* process_state_name(char state);

}  // namespace metrics
