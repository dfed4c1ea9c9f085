#include "metrics/sampler.h"

#include <time.h>

namespace metrics {

static uint64_t wall_clock_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
}

Sampler::Sampler(const SamplerOptions& options)
    : options_(options),
      files_(options.root),
      sensors_collector_(options.rediscover_ms),
      gpu_collector_(options.rediscover_ms) {
  if (!options_.statvfs_fn) options_.statvfs_fn = default_statvfs_fn(files_);
}

void Sampler::refresh_sensors(uint64_t now_ms) {
  // socktop caches temperatures and GPUs for 1.5 s, a "none found" included.
  if (fresh(have_sensors_, sensors_at_ms_, now_ms, options_.sensors_ttl_ms)) return;
  have_sensors_ = true;
  sensors_at_ms_ = now_ms;
  if (options_.temperature) {
    sensors_collector_.collect(files_, now_ms, &system_.sensors);
  } else {
    system_.sensors = Sensors();
  }
  if (options_.gpu) {
    gpu_collector_.collect(files_, now_ms, &system_.gpus);
  } else {
    system_.gpus.clear();
  }
}

const System& Sampler::system(uint64_t now_ms) {
  if (fresh(have_system_, system_at_ms_, now_ms, options_.metrics_ttl_ms)) return system_;
  samples_taken_++;
  have_system_ = true;
  system_at_ms_ = now_ms;
  System& s = system_;

  bool had_cpu = cpu_valid_;
  if (had_cpu) {
    previous_cpu_.all = s.cpu.all;
    previous_cpu_.cores.swap(s.cpu.cores);
    previous_cpu_.core_ids.swap(s.cpu.core_ids);
  }
  cpu_valid_ = collect_cpu(files_, &buf_, &s.cpu);
  s.cpu_core_percent.assign(s.cpu.cores.size(), 0.0f);
  s.cpu_total_percent = 0;
  if (cpu_valid_ && had_cpu) {
    s.cpu_total_percent = cpu_busy_percent(previous_cpu_.all, s.cpu.all);
    // Match cores by id: an offlined CPU leaves a gap in the cpuN lines.
    for (size_t i = 0; i < s.cpu.cores.size(); i++) {
      for (size_t j = 0; j < previous_cpu_.core_ids.size(); j++) {
        if (previous_cpu_.core_ids[j] != s.cpu.core_ids[i]) continue;
        s.cpu_core_percent[i] = cpu_busy_percent(previous_cpu_.cores[j], s.cpu.cores[i]);
        break;
      }
    }
  }
  collect_mem(files_, &buf_, &s.mem);
  collect_load(files_, &buf_, &s.load);
  collect_uptime(files_, &buf_, &s.uptime_s);
  collect_uname(files_, &buf_, &s.uname);
  s.hostname = s.uname.nodename.empty() ? "unknown" : s.uname.nodename;
  s.users = collect_users(files_, &buf_);
  net_.collect(files_, &buf_, &s.net);
  collect_diskstats(files_, &buf_, &s.disks);
  refresh_sensors(now_ms);  // fills s.sensors and s.gpus when stale
  s.sampled_at_ms = wall_clock_ms();
  return s;
}

void Sampler::refresh_disks(uint64_t now_ms) {
  if (fresh(have_disks_, disks_at_ms_, now_ms, options_.disks_ttl_ms)) return;
  samples_taken_++;
  have_disks_ = true;
  disks_at_ms_ = now_ms;
  collect_filesystems(files_, options_.statvfs_fn, &buf_, &filesystems_);
  refresh_sensors(now_ms);
  build_disk_list(files_, filesystems_, system_.sensors, &disk_list_);
}

const std::vector<Filesystem>& Sampler::filesystems(uint64_t now_ms) {
  refresh_disks(now_ms);
  return filesystems_;
}

const std::vector<BlockDisk>& Sampler::disk_list(uint64_t now_ms) {
  refresh_disks(now_ms);
  return disk_list_;
}

const ProcessList& Sampler::processes(uint64_t now_ms) {
  if (fresh(have_processes_, processes_at_ms_, now_ms, options_.processes_ttl_ms)) {
    return processes_;
  }
  samples_taken_++;
  have_processes_ = true;
  processes_at_ms_ = now_ms;
  // The CPU baseline of the process deltas is read right before the pids,
  // independently of system(), so both keep their own consecutive pairs.
  uint64_t total_jiffies = 0;
  if (collect_cpu(files_, &buf_, &process_cpu_)) total_jiffies = process_cpu_.all.total();
  process_collector_.collect(files_, &processes_);
  cpu_tracker_.update(total_jiffies, &processes_);
  return processes_;
}

const ServiceList& Sampler::services(uint64_t now_ms) {
  if (fresh(have_services_, services_at_ms_, now_ms, options_.services_ttl_ms)) return services_;
  samples_taken_++;
  have_services_ = true;
  services_at_ms_ = now_ms;
  collect_services(files_, &services_);
  return services_;
}

}  // namespace metrics
