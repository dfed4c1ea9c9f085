// The host model: plain structs filled by the collectors and read by every
// protocol (socktop, Prometheus, rt-stat, fleet) and by statc.
//
// Units are in the names: *_bytes, *_ms, *_jiffies, *_c (degrees Celsius).
// Counters are cumulative as the kernel reports them; rates and percentages
// are derived by the sampler from two samples.
#pragma once

#include <stdint.h>

#include <string>
#include <utility>
#include <vector>

namespace metrics {

/// One `cpu` line of /proc/stat, in jiffies (USER_HZ ticks).
struct CpuTimes {
  uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0,
           softirq = 0, steal = 0, guest = 0, guest_nice = 0;

  /// Sum of the first eight fields (guest time is already in user/nice).
  uint64_t total() const {
    return user + nice + system + idle + iowait + irq + softirq + steal;
  }
  uint64_t busy() const { return total() - idle - iowait; }
};

/// /proc/stat.
struct CpuStat {
  CpuTimes all;                  ///< the aggregate `cpu` line
  std::vector<CpuTimes> cores;   ///< `cpuN` lines in file order
  std::vector<uint32_t> core_ids;  ///< N of each `cpuN` line (offline CPUs leave gaps)
  uint64_t context_switches = 0, interrupts = 0, forks = 0;
  uint64_t boot_time_s = 0;      ///< btime, epoch seconds
  uint32_t procs_running = 0, procs_blocked = 0;
};

/// One /proc/meminfo line. `bytes` is true for "kB" lines (value already
/// multiplied by 1024); HugePages_* and similar counts have bytes == false.
struct MemField {
  std::string name;
  uint64_t value = 0;
  bool bytes = false;
};

/// /proc/meminfo: the fields the protocols need by name, plus every line.
struct MemInfo {
  uint64_t total_bytes = 0, free_bytes = 0, available_bytes = 0,
           buffers_bytes = 0, cached_bytes = 0, swap_cached_bytes = 0,
           swap_total_bytes = 0, swap_free_bytes = 0, shmem_bytes = 0,
           sreclaimable_bytes = 0;
  bool has_available = false;  ///< MemAvailable exists (kernels >= 3.14)
  std::vector<MemField> fields;

  uint64_t used_bytes() const;       ///< MemTotal - MemAvailable (socktop)
  uint64_t swap_used_bytes() const;  ///< SwapTotal - SwapFree
};

/// /proc/loadavg.
struct LoadAvg {
  double load1 = 0, load5 = 0, load15 = 0;
  uint32_t runnable = 0, total_tasks = 0;
};

/// uname(2) or, under a fixture root, proc/sys/kernel/{ostype,hostname,...}.
struct Uname {
  std::string sysname, nodename, release, version, machine, domainname;
};

/// One /proc/net/dev line plus operstate from /sys/class/net.
struct NetDev {
  std::string name;
  uint64_t rx_bytes = 0, rx_packets = 0, rx_errs = 0, rx_drop = 0,
           rx_fifo = 0, rx_frame = 0, rx_compressed = 0, rx_multicast = 0;
  uint64_t tx_bytes = 0, tx_packets = 0, tx_errs = 0, tx_drop = 0,
           tx_fifo = 0, tx_colls = 0, tx_carrier = 0, tx_compressed = 0;
  bool up = false;  ///< operstate is "up"
};

/// A mounted filesystem (pseudo filesystems are skipped by the collector).
struct Filesystem {
  std::string device, mountpoint, fstype;
  uint64_t size_bytes = 0, free_bytes = 0, avail_bytes = 0;
  uint64_t files = 0, files_free = 0;
  bool readonly = false;
  bool device_error = false;  ///< statvfs failed; sizes are 0
};

/// One /proc/diskstats line (fields as the kernel documents them).
struct DiskIo {
  std::string name;
  uint64_t reads_completed = 0, reads_merged = 0, sectors_read = 0,
           read_time_ms = 0;
  uint64_t writes_completed = 0, writes_merged = 0, sectors_written = 0,
           write_time_ms = 0;
  uint64_t io_now = 0, io_time_ms = 0, io_weighted_ms = 0;
};

/// One process (a /proc/<pid> directory; threads are not listed).
struct Process {
  uint32_t pid = 0, ppid = 0;
  std::string name;      ///< comm, as the kernel gives it (may be any bytes)
  char state = '?';      ///< R S D Z T t X I ...
  uint64_t utime_jiffies = 0, stime_jiffies = 0;
  uint64_t start_ticks = 0;  ///< starttime: clock ticks since boot
  uint64_t rss_bytes = 0, vsize_bytes = 0;
  uint32_t threads = 0;
  uint32_t uid = 0;
  /// Share of the whole machine since the previous process sample, 0..100
  /// (socktop's rule); 0 on the first sample. Filled by the sampler.
  float cpu_percent = 0;
};

/// Process table with counts by state.
struct ProcessList {
  std::vector<Process> rows;
  uint32_t running = 0, sleeping = 0, disk_sleep = 0, zombie = 0,
           stopped = 0, idle = 0, other = 0;
  uint32_t threads = 0;  ///< sum of every process's thread count
};

/// One hwmon temperature input.
struct HwmonTemp {
  std::string chip;       ///< node_exporter's chip label, e.g. platform_coretemp_0
  std::string chip_name;  ///< the hwmon `name` file, e.g. coretemp
  std::string sensor;     ///< temp1, temp2, ...
  std::string label;      ///< temp<N>_label, "" when absent
  double celsius = 0;
};

/// One /sys/class/thermal/thermal_zone<N>.
struct ThermalZone {
  uint32_t zone = 0;
  std::string type;
  double celsius = 0;
};

struct Sensors {
  std::vector<HwmonTemp> hwmon;
  std::vector<ThermalZone> zones;
};

/// A GPU as the kernel (DRM sysfs) or NVML reports it.
struct Gpu {
  std::string name, vendor;
  uint32_t busy_percent = 0;
  uint64_t vram_used_bytes = 0, vram_total_bytes = 0;
  bool has_temp = false;
  double temp_c = 0;
};

/// Everything that is cheap to read: what get_metrics and /metrics need
/// except processes and filesystems (those have their own, longer TTLs).
struct System {
  uint64_t sampled_at_ms = 0;   ///< wall clock, epoch ms
  CpuStat cpu;
  MemInfo mem;
  LoadAvg load;
  double uptime_s = 0;
  Uname uname;
  std::string hostname;         ///< "unknown" when none
  uint32_t users = 0;           ///< logged-in users (utmp USER_PROCESS entries)
  std::vector<NetDev> net;
  std::vector<DiskIo> disks;
  Sensors sensors;
  std::vector<Gpu> gpus;
  /// Busy % since the previous System sample (0 on the first), filled by the
  /// sampler: whole machine and per entry of cpu.cores.
  float cpu_total_percent = 0;
  std::vector<float> cpu_core_percent;
};

}  // namespace metrics
