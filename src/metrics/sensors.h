// Temperatures: hwmon (sys/class/hwmon/hwmon*/temp*_input) and thermal
// zones (sys/class/thermal/thermal_zone*). The directories are listed once
// and again only every `rediscover_ms`; between discoveries a sample is one
// pread per input.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

/// node_exporter's clean-up of a chip name: lower case, bytes outside
/// [a-z0-9:_] become '_', leading and trailing '_' trimmed.
std::string hwmon_clean_name(std::string_view raw);

/// node_exporter's `chip` label for the hwmon directory `hwmon_rel`
/// ("sys/class/hwmon/hwmon1"): "<parent dir>_<device>" of the resolved
/// `device` link (platform_coretemp_0, nvme_nvme0, pci0000:00_0000:00:18_3),
/// else the cleaned `name` file, else the directory's own name (hwmon1).
std::string hwmon_chip_label(KernelFiles& files, std::string_view hwmon_rel,
                             std::string_view chip_name);

class SensorsCollector {
 public:
  explicit SensorsCollector(uint32_t rediscover_ms = 60000)
      : rediscover_ms_(rediscover_ms) {}

  /// Reads every known input into *out (unreadable inputs are left out).
  void collect(KernelFiles& files, uint64_t now_ms, Sensors* out);

 private:
  struct HwmonInput {
    HwmonTemp meta;
    std::string input_rel;
  };
  struct ZoneInput {
    ThermalZone meta;
    std::string temp_rel;
  };
  void discover(KernelFiles& files);

  uint32_t rediscover_ms_;
  bool discovered_ = false;
  uint64_t discovered_at_ms_ = 0;
  std::vector<HwmonInput> hwmon_;
  std::vector<ZoneInput> zones_;
  std::string buf_;
};

/// socktop's CPU temperature: the first hwmon sensor whose lower-cased
/// "<chip_name> <label>" (label = temp<N> when there is no label file)
/// contains "cpu", "package", "tctl" or "tdie"; else the first thermal zone
/// whose type does. False if none.
bool cpu_temperature(const Sensors& sensors, double* celsius);

/// A gotop_temp_<name> series.
struct GotopTemp {
  std::string name;
  double celsius = 0;
};

/// gotop 4.2 sensor names (prometheus.md §3.4, §5.3): "<chip_name>_<label
/// lower-cased without spaces>" or just "<chip_name>"; thermal zone types
/// when there is no hwmon temperature at all (gopsutil's fallback). Bytes
/// outside [a-zA-Z0-9_] become '_'; a repeated name gets "_2", "_3", ...
void gotop_temperatures(const Sensors& sensors, std::vector<GotopTemp>* out);

}  // namespace metrics
