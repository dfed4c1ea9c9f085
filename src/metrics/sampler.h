// Sampler: the one place the protocols get host data from. Each accessor
// returns its cached value while it is younger than its TTL and collects
// anew otherwise, so N clients asking at once cost one sample, and nothing
// runs while nobody asks.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "metrics/disk_list.h"
#include "metrics/fs_collector.h"
#include "metrics/gpu.h"
#include "metrics/kernel_files.h"
#include "metrics/proc_collector.h"
#include "metrics/sensors.h"
#include "metrics/services.h"
#include "metrics/snapshot.h"
#include "metrics/system_collectors.h"

namespace metrics {

struct SamplerOptions {
  std::string root = "/";
  uint32_t metrics_ttl_ms = 250, disks_ttl_ms = 1000, processes_ttl_ms = 1500;
  uint32_t services_ttl_ms = 1000;  ///< get_services (init system state files)
  bool gpu = true, temperature = true;
  /// Sensors and GPUs are re-read at most this often (socktop's 1500 ms);
  /// in between a System sample carries the previous readings.
  uint32_t sensors_ttl_ms = 1500;
  /// hwmon, thermal and DRM directories are listed again this often.
  uint32_t rediscover_ms = 60000;
  /// statvfs for filesystems(); nullptr picks default_statvfs_fn().
  StatvfsFn statvfs_fn = nullptr;
};

class Sampler {
 public:
  explicit Sampler(const SamplerOptions& options);

  /// Everything cheap (cpu, memory, load, uptime, uname, users, network,
  /// disk I/O, sensors, GPUs), with cpu % since the previous System sample.
  /// `now_ms` is a monotonic clock chosen by the caller.
  const System& system(uint64_t now_ms);
  /// Mounted filesystems (disks TTL).
  const std::vector<Filesystem>& filesystems(uint64_t now_ms);
  /// socktop's get_disks list, refreshed together with filesystems().
  const std::vector<BlockDisk>& disk_list(uint64_t now_ms);
  /// Every process with cpu_percent since the previous process sample.
  const ProcessList& processes(uint64_t now_ms);
  /// The init system's services (statd's get_services extension).
  const ServiceList& services(uint64_t now_ms);

  /// Number of collections made by the accessors above (cache misses).
  uint64_t samples_taken() const { return samples_taken_; }
  /// Pids remembered for the process CPU deltas (those of the last sample).
  size_t tracked_processes() const { return cpu_tracker_.tracked(); }

  /// For per-pid requests (collect_process_detail) and tests.
  KernelFiles& files() { return files_; }
  const SamplerOptions& options() const { return options_; }

 private:
  static bool fresh(bool have, uint64_t at_ms, uint64_t now_ms, uint32_t ttl_ms) {
    return have && now_ms >= at_ms && now_ms - at_ms < ttl_ms;
  }
  void refresh_sensors(uint64_t now_ms);
  void refresh_disks(uint64_t now_ms);

  SamplerOptions options_;
  KernelFiles files_;
  std::string buf_;
  uint64_t samples_taken_ = 0;

  System system_;
  bool have_system_ = false;
  uint64_t system_at_ms_ = 0;
  CpuStat previous_cpu_;
  bool cpu_valid_ = false;  ///< system_.cpu holds a good reading
  NetCollector net_;

  SensorsCollector sensors_collector_;
  GpuCollector gpu_collector_;
  // Readings live in system_.sensors / system_.gpus, refreshed on their own TTL.
  bool have_sensors_ = false;
  uint64_t sensors_at_ms_ = 0;

  std::vector<Filesystem> filesystems_;
  std::vector<BlockDisk> disk_list_;
  bool have_disks_ = false;
  uint64_t disks_at_ms_ = 0;

  ProcessList processes_;
  bool have_processes_ = false;
  uint64_t processes_at_ms_ = 0;
  ProcessCollector process_collector_;
  ProcessCpuTracker cpu_tracker_;
  CpuStat process_cpu_;

  ServiceList services_;
  bool have_services_ = false;
  uint64_t services_at_ms_ = 0;
};

}  // namespace metrics
