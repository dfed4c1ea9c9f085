// Processes: one row per /proc/<pid> (threads are not listed), the
// per-process CPU share between two samples, and the detail of one pid for
// socktop's get_process_metrics.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

/// Bytes per page for rss: sysconf on the host root, 4096 under a fixture.
uint64_t page_size_bytes(const KernelFiles& files);
/// USER_HZ, the unit of every *_jiffies field: sysconf(_SC_CLK_TCK) on the
/// host root, 100 under a fixture.
uint64_t clock_ticks_per_second(const KernelFiles& files);

/// Reads every /proc/<pid>/stat and status. Processes that vanish while
/// being read are skipped. cpu_percent is left 0 (see ProcessCpuTracker).
class ProcessCollector {
 public:
  void collect(KernelFiles& files, ProcessList* out);

 private:
  std::vector<std::string> names_;
  std::string stat_buf_, status_buf_;
};

/// Fills Process::cpu_percent: Δ(utime+stime) ÷ Δ(total jiffies of the
/// aggregate cpu line) × 100, clamped to 0..100, 0 for a pid seen for the
/// first time (or reused: its start time differs). Only the pids of the
/// latest sample are remembered, so dead pids cost nothing.
class ProcessCpuTracker {
 public:
  void update(uint64_t total_jiffies, ProcessList* list);
  size_t tracked() const { return previous_.size(); }

 private:
  struct Seen {
    uint32_t pid;
    uint64_t start_ticks;
    uint64_t cpu_jiffies;
  };
  std::vector<Seen> previous_, current_;  // sorted by pid
  uint64_t previous_total_ = 0;
  bool have_previous_ = false;
};

/// One thread (task/<tid>/stat).
struct ThreadDetail {
  uint32_t tid = 0;
  std::string name;
  char state = '?';
  uint64_t utime_jiffies = 0, stime_jiffies = 0;
};

/// Everything socktop's get_process_metrics shows about one process.
struct ProcessDetail {
  Process process;             ///< cpu_percent is left to the caller
  uint32_t gid = 0;            ///< real gid
  std::string command;         ///< argv joined by spaces, "" if unknown
  bool has_io = false;         ///< io is readable (same user or root)
  uint64_t rchar = 0, wchar = 0, read_bytes = 0, write_bytes = 0;
  bool has_cwd = false, has_exe = false;
  std::string cwd, exe;
  std::vector<ProcessDetail> children;  ///< one level, by ppid; no grandchildren
  std::vector<ThreadDetail> threads;    ///< empty for children
};

constexpr size_t kMaxDetailChildren = 256;
constexpr size_t kMaxDetailThreads = 1024;

/// The detail of `pid`; false when it does not exist. Children are found by
/// scanning /proc for ppid == pid.
bool collect_process_detail(KernelFiles& files, uint32_t pid, ProcessDetail* out);

}  // namespace metrics
