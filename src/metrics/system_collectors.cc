#include "metrics/system_collectors.h"

#include <sys/utsname.h>

#include "metrics/proc_parsers.h"
#include "metrics/text_scan.h"

namespace metrics {

bool collect_cpu(KernelFiles& files, std::string* buf, CpuStat* out) {
  return files.read_kept("proc/stat", buf) && parse_proc_stat(*buf, out, nullptr);
}

bool collect_mem(KernelFiles& files, std::string* buf, MemInfo* out) {
  return files.read_kept("proc/meminfo", buf) && parse_meminfo(*buf, out, nullptr);
}

bool collect_load(KernelFiles& files, std::string* buf, LoadAvg* out) {
  return files.read_kept("proc/loadavg", buf) && parse_loadavg(*buf, out, nullptr);
}

bool collect_uptime(KernelFiles& files, std::string* buf, double* uptime_s) {
  *uptime_s = 0;
  return files.read_kept("proc/uptime", buf) && parse_uptime(*buf, uptime_s, nullptr);
}

static void read_kernel_string(KernelFiles& files, const char* name,
                               std::string* buf, std::string* out) {
  std::string rel = "proc/sys/kernel/";
  rel += name;
  if (files.read_kept(rel, buf)) {
    out->assign(trim_blank(*buf));
  } else {
    out->clear();
  }
}

bool collect_uname(KernelFiles& files, std::string* buf, Uname* out) {
  if (files.is_host_root()) {
    struct utsname u;
    if (uname(&u) != 0) return false;
    out->sysname = u.sysname;
    out->nodename = u.nodename;
    out->release = u.release;
    out->version = u.version;
    out->machine = u.machine;
    out->domainname = u.domainname;
  } else {
    read_kernel_string(files, "ostype", buf, &out->sysname);
    read_kernel_string(files, "hostname", buf, &out->nodename);
    read_kernel_string(files, "osrelease", buf, &out->release);
    read_kernel_string(files, "version", buf, &out->version);
    read_kernel_string(files, "domainname", buf, &out->domainname);
    read_kernel_string(files, "arch", buf, &out->machine);
  }
  if (out->domainname.empty()) out->domainname = "(none)";
  return !out->sysname.empty();
}

uint32_t collect_users(KernelFiles& files, std::string* buf) {
  if (!files.read_kept("var/run/utmp", buf)) return 0;
  return utmp_count_users(*buf);
}

bool collect_diskstats(KernelFiles& files, std::string* buf,
                       std::vector<DiskIo>* out) {
  if (!files.read_kept("proc/diskstats", buf)) {
    out->clear();
    return false;
  }
  return parse_diskstats(*buf, out, nullptr);
}

static bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Consumes a run of digits at the front of *s; false if there is none.
static bool eat_digits(std::string_view* s) {
  size_t n = 0;
  while (n < s->size() && (*s)[n] >= '0' && (*s)[n] <= '9') n++;
  s->remove_prefix(n);
  return n > 0;
}

bool diskstats_is_ignored(std::string_view name) {
  for (std::string_view prefix : {"ram", "zram", "loop", "fd"}) {
    if (has_prefix(name, prefix) && all_digits(name.substr(prefix.size()))) return true;
  }
  // (h|s|v|xv)d[a-z]\d+ : a partition of an IDE/SCSI/virtio/Xen disk.
  for (std::string_view prefix : {"hd", "sd", "vd", "xvd"}) {
    if (!has_prefix(name, prefix) || name.size() < prefix.size() + 2) continue;
    char letter = name[prefix.size()];
    if (letter >= 'a' && letter <= 'z' && all_digits(name.substr(prefix.size() + 1))) {
      return true;
    }
  }
  // nvme\d+n\d+p\d+
  if (has_prefix(name, "nvme")) {
    std::string_view rest = name.substr(4);
    if (eat_digits(&rest) && has_prefix(rest, "n")) {
      rest.remove_prefix(1);
      if (eat_digits(&rest) && has_prefix(rest, "p") && all_digits(rest.substr(1))) {
        return true;
      }
    }
  }
  return false;
}

float cpu_busy_percent(const CpuTimes& before, const CpuTimes& after) {
  uint64_t total_before = before.total(), total_after = after.total();
  if (total_after <= total_before) return 0;
  double total = static_cast<double>(total_after - total_before);
  // iowait may step backwards on some kernels: compute idle as a signed delta.
  double idle = static_cast<double>(after.idle + after.iowait) -
                static_cast<double>(before.idle + before.iowait);
  double busy = (total - idle) / total * 100;
  if (!(busy > 0)) return 0;  // also catches NaN
  if (busy > 100) return 100;
  return static_cast<float>(busy);
}

bool NetCollector::collect(KernelFiles& files, std::string* buf,
                           std::vector<NetDev>* out) {
  if (!files.read_kept("proc/net/dev", buf) || !parse_net_dev(*buf, out, nullptr)) {
    out->clear();
    return false;
  }
  bool same = names_.size() == out->size();
  for (size_t i = 0; same && i < out->size(); i++) same = names_[i] == (*out)[i].name;
  if (!same) {
    files.forget("sys/class/net/");
    names_.clear();
    for (const NetDev& dev : *out) names_.push_back(dev.name);
  }
  std::string rel;
  for (NetDev& dev : *out) {
    rel = "sys/class/net/";
    rel += dev.name;
    rel += "/operstate";
    dev.up = files.read_kept(rel, &state_buf_) && trim_blank(state_buf_) == "up";
  }
  return true;
}

}  // namespace metrics
