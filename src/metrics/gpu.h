// GPUs: DRM sysfs (amdgpu exposes gpu_busy_percent and VRAM counters under
// sys/class/drm/card<N>/device) and, in builds with STATD_NVML defined,
// NVIDIA's NVML loaded with dlopen("libnvidia-ml.so.1") on the host root.
// Switching GPUs off (SOCKTOP_AGENT_GPU=0) is the caller's job: it simply
// does not call collect().
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

/// "AMD", "Intel", "NVIDIA" for their PCI vendor ids ("0x1002"), else the
/// id text itself.
std::string gpu_vendor_name(std::string_view pci_vendor_id);

class GpuCollector {
 public:
  explicit GpuCollector(uint32_t rediscover_ms = 60000) : rediscover_ms_(rediscover_ms) {}
  ~GpuCollector();
  GpuCollector(const GpuCollector&) = delete;
  GpuCollector& operator=(const GpuCollector&) = delete;

  void collect(KernelFiles& files, uint64_t now_ms, std::vector<Gpu>* out);

 private:
  struct DrmCard {
    std::string name, vendor;
    std::string busy_rel, vram_used_rel, vram_total_rel, temp_rel;
  };
  void discover(KernelFiles& files);
  void collect_nvml(std::vector<Gpu>* out);

  uint32_t rediscover_ms_;
  bool discovered_ = false;
  uint64_t discovered_at_ms_ = 0;
  std::vector<DrmCard> cards_;
  std::string buf_;
  void* nvml_library_ = nullptr;  ///< dlopen handle, STATD_NVML builds only
  bool nvml_tried_ = false;
};

}  // namespace metrics
