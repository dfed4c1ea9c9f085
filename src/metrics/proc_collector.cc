#include "metrics/proc_collector.h"

#include <unistd.h>

#include <algorithm>

#include "metrics/pid_parsers.h"
#include "metrics/text_scan.h"

namespace metrics {

static constexpr size_t kMaxStatBytes = 4096;
static constexpr size_t kMaxStatusBytes = 16384;
static constexpr size_t kMaxCmdlineBytes = 65536;

uint64_t page_size_bytes(const KernelFiles& files) {
  if (!files.is_host_root()) return 4096;
  long size = sysconf(_SC_PAGESIZE);
  return size > 0 ? static_cast<uint64_t>(size) : 4096;
}

uint64_t clock_ticks_per_second(const KernelFiles& files) {
  if (!files.is_host_root()) return 100;
  long hz = sysconf(_SC_CLK_TCK);
  return hz > 0 ? static_cast<uint64_t>(hz) : 100;
}

static void fill_process(const PidStat& stat, const PidStatus& status, bool have_status,
                         uint64_t page_bytes, Process* out) {
  out->pid = stat.pid;
  out->ppid = stat.ppid;
  out->name = stat.comm;
  out->state = stat.state;
  out->utime_jiffies = stat.utime_jiffies;
  out->stime_jiffies = stat.stime_jiffies;
  out->start_ticks = stat.start_ticks;
  out->vsize_bytes = stat.vsize_bytes;
  out->rss_bytes = stat.rss_pages * page_bytes;
  out->threads = stat.num_threads;
  out->uid = 0;
  out->cpu_percent = 0;
  if (!have_status) return;
  if (status.has_uid) out->uid = status.uid;
  if (out->threads == 0 && status.has_threads) out->threads = status.threads;
  if (out->rss_bytes == 0 && status.has_vm_rss) out->rss_bytes = status.vm_rss_bytes;
}

static void count_state(char state, ProcessList* list) {
  switch (state) {
    case 'R': list->running++; break;
    case 'S': list->sleeping++; break;
    case 'D': list->disk_sleep++; break;
    case 'Z': list->zombie++; break;
    case 'T': case 't': list->stopped++; break;
    case 'I': list->idle++; break;
    default: list->other++; break;
  }
}

static bool is_pid_name(std::string_view name, uint32_t* pid) {
  return parse_decimal_u32(name, pid) && *pid > 0;
}

void ProcessCollector::collect(KernelFiles& files, ProcessList* out) {
  out->rows.clear();
  out->running = out->sleeping = out->disk_sleep = out->zombie = 0;
  out->stopped = out->idle = out->other = out->threads = 0;
  uint64_t page_bytes = page_size_bytes(files);
  if (!files.list_dir("proc", &names_)) return;
  std::string rel;
  PidStat stat;
  PidStatus status;
  for (const std::string& name : names_) {
    uint32_t pid = 0;
    if (!is_pid_name(name, &pid)) continue;
    rel = "proc/" + name + "/stat";
    // A pid that exits between readdir and open simply disappears.
    if (!files.read_once(rel, &stat_buf_, kMaxStatBytes)) continue;
    if (!parse_pid_stat(stat_buf_, &stat, nullptr)) continue;
    rel = "proc/" + name + "/status";
    bool have_status = files.read_once(rel, &status_buf_, kMaxStatusBytes) &&
                       parse_pid_status(status_buf_, &status, nullptr);
    out->rows.emplace_back();
    fill_process(stat, status, have_status, page_bytes, &out->rows.back());
    count_state(stat.state, out);
    out->threads += out->rows.back().threads;
  }
}

void ProcessCpuTracker::update(uint64_t total_jiffies, ProcessList* list) {
  current_.clear();
  bool have_delta = have_previous_ && total_jiffies > previous_total_;
  double total_delta = have_delta ? static_cast<double>(total_jiffies - previous_total_) : 0;
  for (Process& p : list->rows) {
    uint64_t cpu = p.utime_jiffies + p.stime_jiffies;
    current_.push_back(Seen{p.pid, p.start_ticks, cpu});
    p.cpu_percent = 0;
    if (!have_delta) continue;
    auto it = std::lower_bound(previous_.begin(), previous_.end(), p.pid,
                               [](const Seen& s, uint32_t pid) { return s.pid < pid; });
    if (it == previous_.end() || it->pid != p.pid || it->start_ticks != p.start_ticks) {
      continue;  // new process, or a reused pid
    }
    if (cpu <= it->cpu_jiffies) continue;
    double percent = static_cast<double>(cpu - it->cpu_jiffies) / total_delta * 100;
    p.cpu_percent = percent > 100 ? 100.0f : static_cast<float>(percent);
  }
  std::sort(current_.begin(), current_.end(),
            [](const Seen& a, const Seen& b) { return a.pid < b.pid; });
  previous_.swap(current_);
  previous_total_ = total_jiffies;
  have_previous_ = true;
}

// /proc magic links are absolute; fixture trees store relative links that
// stand for absolute paths ("usr/bin/python3" = "/usr/bin/python3").
static bool read_proc_link(KernelFiles& files, const std::string& rel, std::string* out) {
  if (!files.read_link(rel, out)) return false;
  if (out->empty() || (*out)[0] != '/') out->insert(0, "/");
  return true;
}

static bool fill_detail(KernelFiles& files, uint32_t pid, std::string* buf,
                        ProcessDetail* out) {
  std::string dir = "proc/" + std::to_string(pid) + "/";
  PidStat stat;
  PidStatus status;
  if (!files.read_once(dir + "stat", buf, kMaxStatBytes) ||
      !parse_pid_stat(*buf, &stat, nullptr)) {
    return false;
  }
  bool have_status = files.read_once(dir + "status", buf, kMaxStatusBytes) &&
                     parse_pid_status(*buf, &status, nullptr);
  fill_process(stat, status, have_status, page_size_bytes(files), &out->process);
  out->gid = have_status && status.has_gid ? status.gid : 0;
  out->command.clear();
  if (files.read_once(dir + "cmdline", buf, kMaxCmdlineBytes)) out->command = join_cmdline(*buf);
  PidIo io;
  out->has_io = files.read_once(dir + "io", buf, kMaxStatBytes) && parse_pid_io(*buf, &io, nullptr);
  out->rchar = io.rchar;
  out->wchar = io.wchar;
  out->read_bytes = io.read_bytes;
  out->write_bytes = io.write_bytes;
  out->has_cwd = read_proc_link(files, dir + "cwd", &out->cwd);
  if (!out->has_cwd) out->cwd.clear();
  out->has_exe = read_proc_link(files, dir + "exe", &out->exe);
  if (!out->has_exe) out->exe.clear();
  out->children.clear();
  out->threads.clear();
  return true;
}

static void sorted_numeric_entries(KernelFiles& files, const std::string& dir,
                                   std::vector<uint32_t>* out) {
  out->clear();
  std::vector<std::string> names;
  if (!files.list_dir(dir, &names)) return;
  for (const std::string& name : names) {
    uint32_t n = 0;
    if (is_pid_name(name, &n)) out->push_back(n);
  }
  std::sort(out->begin(), out->end());
}

bool collect_process_detail(KernelFiles& files, uint32_t pid, ProcessDetail* out) {
  std::string buf;
  if (pid == 0 || !fill_detail(files, pid, &buf, out)) return false;

  std::vector<uint32_t> ids;
  std::string task_dir = "proc/" + std::to_string(pid) + "/task";
  sorted_numeric_entries(files, task_dir, &ids);
  PidStat stat;
  for (uint32_t tid : ids) {
    if (out->threads.size() >= kMaxDetailThreads) break;
    if (!files.read_once(task_dir + "/" + std::to_string(tid) + "/stat", &buf, kMaxStatBytes) ||
        !parse_pid_stat(buf, &stat, nullptr)) {
      continue;
    }
    ThreadDetail t;
    t.tid = tid;
    t.name = stat.comm;
    t.state = stat.state;
    t.utime_jiffies = stat.utime_jiffies;
    t.stime_jiffies = stat.stime_jiffies;
    out->threads.push_back(std::move(t));
  }

  sorted_numeric_entries(files, "proc", &ids);
  for (uint32_t child : ids) {
    if (out->children.size() >= kMaxDetailChildren) break;
    if (!files.read_once("proc/" + std::to_string(child) + "/stat", &buf, kMaxStatBytes) ||
        !parse_pid_stat(buf, &stat, nullptr) || stat.ppid != pid) {
      continue;
    }
    ProcessDetail detail;
    if (fill_detail(files, child, &buf, &detail)) out->children.push_back(std::move(detail));
  }
  return true;
}

}  // namespace metrics
