// Collectors for the cheap, system-wide sources: cpu, memory, load, uptime,
// uname, logged-in users, network interfaces and block-device I/O. Each
// reads through KernelFiles (kept descriptors) and a caller-owned scratch
// buffer, so a steady sampler allocates nothing new.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

bool collect_cpu(KernelFiles& files, std::string* buf, CpuStat* out);
bool collect_mem(KernelFiles& files, std::string* buf, MemInfo* out);
bool collect_load(KernelFiles& files, std::string* buf, LoadAvg* out);
bool collect_uptime(KernelFiles& files, std::string* buf, double* uptime_s);

/// uname(2) on the host root; under a fixture root the files
/// proc/sys/kernel/{ostype,hostname,osrelease,version,domainname,arch}.
bool collect_uname(KernelFiles& files, std::string* buf, Uname* out);

/// USER_PROCESS records of var/run/utmp; 0 when there is no utmp (musl,
/// BusyBox, systemd without utmp).
uint32_t collect_users(KernelFiles& files, std::string* buf);

/// Every /proc/diskstats line (the raw list; see diskstats_is_ignored).
bool collect_diskstats(KernelFiles& files, std::string* buf,
                       std::vector<DiskIo>* out);

/// node_exporter's default device exclusion for node_disk_*:
/// ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$
bool diskstats_is_ignored(std::string_view name);

/// Busy share in percent between two readings of one cpu line:
/// (Δtotal − Δ(idle+iowait)) ÷ Δtotal × 100, clamped to 0..100; 0 when no
/// time passed.
float cpu_busy_percent(const CpuTimes& before, const CpuTimes& after);

/// /proc/net/dev plus sys/class/net/<if>/operstate (kept descriptors).
/// When the interface list changes, the operstate descriptors of the old
/// list are closed so a vanished interface does not pin one.
class NetCollector {
 public:
  bool collect(KernelFiles& files, std::string* buf, std::vector<NetDev>* out);

 private:
  std::vector<std::string> names_;
  std::string state_buf_;
};

}  // namespace metrics
