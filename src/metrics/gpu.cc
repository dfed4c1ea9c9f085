#include "metrics/gpu.h"

#include <algorithm>

#ifdef STATD_NVML
#include <dlfcn.h>
#endif

#include "metrics/text_scan.h"

namespace metrics {

std::string gpu_vendor_name(std::string_view pci_vendor_id) {
  std::string id = lower_ascii(trim_blank(pci_vendor_id));
  if (id == "0x1002") return "AMD";
  if (id == "0x8086") return "Intel";
  if (id == "0x10de") return "NVIDIA";
  return id;
}

static std::string read_trimmed(KernelFiles& files, const std::string& rel) {
  std::string text;
  if (!files.read_once(rel, &text, 4096)) return std::string();
  return std::string(trim_blank(text));
}

void GpuCollector::discover(KernelFiles& files) {
  files.forget("sys/class/drm/");
  cards_.clear();
  std::vector<std::string> names;
  if (!files.list_dir("sys/class/drm", &names)) return;
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    uint32_t index = 0;
    // card0-DP-1 (a connector) and renderD128 are not cards.
    if (!number_after_prefix(name, "card", &index)) continue;
    std::string device = "sys/class/drm/" + name + "/device";
    DrmCard card;
    card.busy_rel = device + "/gpu_busy_percent";
    std::string probe;
    if (!files.read_once(card.busy_rel, &probe, 64)) continue;  // no usage counter
    card.vram_used_rel = device + "/mem_info_vram_used";
    card.vram_total_rel = device + "/mem_info_vram_total";
    card.vendor = gpu_vendor_name(read_trimmed(files, device + "/vendor"));
    card.name = read_trimmed(files, device + "/product_name");
    if (card.name.empty()) card.name = name;
    std::vector<std::string> hwmons;
    if (files.list_dir(device + "/hwmon", &hwmons) && !hwmons.empty()) {
      std::sort(hwmons.begin(), hwmons.end());
      card.temp_rel = device + "/hwmon/" + hwmons[0] + "/temp1_input";
    }
    cards_.push_back(std::move(card));
  }
}

void GpuCollector::collect(KernelFiles& files, uint64_t now_ms, std::vector<Gpu>* out) {
  out->clear();
  if (!discovered_ || now_ms - discovered_at_ms_ >= rediscover_ms_) {
    discover(files);
    discovered_ = true;
    discovered_at_ms_ = now_ms;
  }
  for (const DrmCard& card : cards_) {
    Gpu gpu;
    gpu.name = card.name;
    gpu.vendor = card.vendor;
    uint64_t value = 0;
    if (files.read_kept(card.busy_rel, &buf_) &&
        parse_decimal_u64(trim_blank(buf_), &value)) {
      gpu.busy_percent = static_cast<uint32_t>(std::min<uint64_t>(value, 100));
    }
    if (files.read_kept(card.vram_used_rel, &buf_) &&
        parse_decimal_u64(trim_blank(buf_), &value)) {
      gpu.vram_used_bytes = value;
    }
    if (files.read_kept(card.vram_total_rel, &buf_) &&
        parse_decimal_u64(trim_blank(buf_), &value)) {
      gpu.vram_total_bytes = value;
    }
    int64_t milli = 0;
    if (!card.temp_rel.empty() && files.read_kept(card.temp_rel, &buf_) &&
        parse_decimal_i64(trim_blank(buf_), &milli)) {
      gpu.has_temp = true;
      gpu.temp_c = static_cast<double>(milli) / 1000.0;
    }
    out->push_back(std::move(gpu));
  }
  if (files.is_host_root()) collect_nvml(out);
}

#ifdef STATD_NVML
// The few NVML entry points used, declared from NVIDIA's documented ABI
// (nvml.h) so no SDK header is needed at build time.
namespace {
using NvmlDevice = struct NvmlDeviceOpaque*;
struct NvmlUtilization {
  unsigned int gpu, memory;
};
struct NvmlMemory {
  unsigned long long total, free, used;
};
constexpr int kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;
struct NvmlApi {
  int (*init)();
  int (*shutdown)();
  int (*count)(unsigned int*);
  int (*handle)(unsigned int, NvmlDevice*);
  int (*name)(NvmlDevice, char*, unsigned int);
  int (*utilization)(NvmlDevice, NvmlUtilization*);
  int (*memory)(NvmlDevice, NvmlMemory*);
  int (*temperature)(NvmlDevice, int, unsigned int*);
};

template <typename Fn>
bool load_symbol(void* lib, const char* name, Fn* out) {
  void* sym = dlsym(lib, name);
  if (!sym) return false;
  *out = reinterpret_cast<Fn>(sym);
  return true;
}

bool load_api(void* lib, NvmlApi* api) {
  return load_symbol(lib, "nvmlInit_v2", &api->init) &&
         load_symbol(lib, "nvmlShutdown", &api->shutdown) &&
         load_symbol(lib, "nvmlDeviceGetCount_v2", &api->count) &&
         load_symbol(lib, "nvmlDeviceGetHandleByIndex_v2", &api->handle) &&
         load_symbol(lib, "nvmlDeviceGetName", &api->name) &&
         load_symbol(lib, "nvmlDeviceGetUtilizationRates", &api->utilization) &&
         load_symbol(lib, "nvmlDeviceGetMemoryInfo", &api->memory) &&
         load_symbol(lib, "nvmlDeviceGetTemperature", &api->temperature);
}
// One NVML per process: the entry points of the library loaded first.
NvmlApi g_nvml_api;
}  // namespace

void GpuCollector::collect_nvml(std::vector<Gpu>* out) {
  if (!nvml_tried_) {
    nvml_tried_ = true;
    void* lib = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib && (!load_api(lib, &g_nvml_api) || g_nvml_api.init() != kNvmlSuccess)) {
      dlclose(lib);
      lib = nullptr;
    }
    nvml_library_ = lib;
  }
  if (!nvml_library_) return;
  const NvmlApi& api = g_nvml_api;
  unsigned int count = 0;
  if (api.count(&count) != kNvmlSuccess) return;
  for (unsigned int i = 0; i < count && i < 16; i++) {
    NvmlDevice device = nullptr;
    if (api.handle(i, &device) != kNvmlSuccess) continue;
    Gpu gpu;
    gpu.vendor = "NVIDIA";
    char name[96] = {};
    if (api.name(device, name, sizeof name - 1) == kNvmlSuccess) gpu.name = name;
    if (gpu.name.empty()) gpu.name = "NVIDIA GPU " + std::to_string(i);
    NvmlUtilization util = {};
    if (api.utilization(device, &util) == kNvmlSuccess) {
      gpu.busy_percent = util.gpu > 100 ? 100 : util.gpu;
    }
    NvmlMemory mem = {};
    if (api.memory(device, &mem) == kNvmlSuccess) {
      gpu.vram_used_bytes = mem.used;
      gpu.vram_total_bytes = mem.total;
    }
    unsigned int temp = 0;
    if (api.temperature(device, kNvmlTemperatureGpu, &temp) == kNvmlSuccess) {
      gpu.has_temp = true;
      gpu.temp_c = temp;
    }
    out->push_back(std::move(gpu));
  }
}

GpuCollector::~GpuCollector() {
  if (!nvml_library_) return;
  g_nvml_api.shutdown();
  dlclose(nvml_library_);
}

#else

void GpuCollector::collect_nvml(std::vector<Gpu>*) {}
GpuCollector::~GpuCollector() {}

#endif

}  // namespace metrics
