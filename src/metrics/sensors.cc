#include "metrics/sensors.h"

#include <algorithm>

#include "metrics/text_scan.h"

namespace metrics {

std::string hwmon_clean_name(std::string_view raw) {
  std::string out = lower_ascii(trim_blank(raw));
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_';
    if (!ok) c = '_';
  }
  size_t start = out.find_first_not_of('_');
  if (start == std::string::npos) return std::string();
  size_t end = out.find_last_not_of('_');
  return out.substr(start, end - start + 1);
}

static std::string_view last_component(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

static std::string_view parent_of(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string hwmon_chip_label(KernelFiles& files, std::string_view hwmon_rel,
                             std::string_view chip_name) {
  std::string device;
  std::string rel(hwmon_rel);
  if (files.resolve(rel + "/device", &device)) {
    std::string dev_name = hwmon_clean_name(last_component(device));
    std::string dev_type = hwmon_clean_name(last_component(parent_of(device)));
    if (!dev_type.empty() && !dev_name.empty()) return dev_type + "_" + dev_name;
    if (!dev_name.empty()) return dev_name;
  }
  std::string name = hwmon_clean_name(chip_name);
  if (!name.empty()) return name;
  std::string real;
  if (files.resolve(rel, &real)) return hwmon_clean_name(last_component(real));
  return hwmon_clean_name(last_component(hwmon_rel));
}

// Names "<prefix><N>" of a directory, sorted by N (hwmon2 before hwmon10).
static void numbered_entries(KernelFiles& files, std::string_view dir,
                             std::string_view prefix, std::string_view suffix,
                             std::vector<uint32_t>* numbers) {
  numbers->clear();
  std::vector<std::string> names;
  if (!files.list_dir(dir, &names)) return;
  for (const std::string& name : names) {
    std::string_view view(name);
    if (!has_suffix(view, suffix)) continue;
    view.remove_suffix(suffix.size());
    uint32_t n = 0;
    if (number_after_prefix(view, prefix, &n)) numbers->push_back(n);
  }
  std::sort(numbers->begin(), numbers->end());
}

static std::string read_trimmed(KernelFiles& files, const std::string& rel) {
  std::string text;
  if (!files.read_once(rel, &text, 4096)) return std::string();
  return std::string(trim_blank(text));
}

void SensorsCollector::discover(KernelFiles& files) {
  std::vector<std::string> old_inputs;
  for (const HwmonInput& in : hwmon_) old_inputs.push_back(in.input_rel);
  for (const ZoneInput& in : zones_) old_inputs.push_back(in.temp_rel);
  hwmon_.clear();
  zones_.clear();

  std::vector<uint32_t> chips, temps;
  numbered_entries(files, "sys/class/hwmon", "hwmon", "", &chips);
  for (uint32_t chip : chips) {
    std::string dir = "sys/class/hwmon/hwmon" + std::to_string(chip);
    std::string chip_name = read_trimmed(files, dir + "/name");
    // Drivers before Linux 3.x kept the attributes in device/.
    std::string base = dir;
    numbered_entries(files, base, "temp", "_input", &temps);
    if (temps.empty()) {
      base = dir + "/device";
      numbered_entries(files, base, "temp", "_input", &temps);
      if (chip_name.empty()) chip_name = read_trimmed(files, base + "/name");
    }
    if (temps.empty()) continue;
    std::string chip_label = hwmon_chip_label(files, dir, chip_name);
    for (uint32_t n : temps) {
      HwmonInput in;
      std::string sensor = "temp" + std::to_string(n);
      in.meta.chip = chip_label;
      in.meta.chip_name = chip_name;
      in.meta.sensor = sensor;
      in.meta.label = read_trimmed(files, base + "/" + sensor + "_label");
      in.input_rel = base + "/" + sensor + "_input";
      hwmon_.push_back(std::move(in));
    }
  }

  std::vector<uint32_t> zone_numbers;
  numbered_entries(files, "sys/class/thermal", "thermal_zone", "", &zone_numbers);
  for (uint32_t zone : zone_numbers) {
    std::string dir = "sys/class/thermal/thermal_zone" + std::to_string(zone);
    ZoneInput in;
    in.meta.zone = zone;
    in.meta.type = read_trimmed(files, dir + "/type");
    in.temp_rel = dir + "/temp";
    zones_.push_back(std::move(in));
  }

  std::vector<std::string> new_inputs;
  for (const HwmonInput& in : hwmon_) new_inputs.push_back(in.input_rel);
  for (const ZoneInput& in : zones_) new_inputs.push_back(in.temp_rel);
  if (new_inputs != old_inputs) {
    // hwmon numbering follows module load order: a reused path may now be
    // another chip, so drop every kept descriptor of the old set.
    files.forget("sys/class/hwmon/");
    files.forget("sys/class/thermal/");
  }
}

static bool read_millidegrees(KernelFiles& files, const std::string& rel,
                              std::string* buf, double* celsius) {
  int64_t milli = 0;
  if (!files.read_kept(rel, buf) || !parse_decimal_i64(trim_blank(*buf), &milli)) {
    return false;
  }
  *celsius = static_cast<double>(milli) / 1000.0;
  return true;
}

void SensorsCollector::collect(KernelFiles& files, uint64_t now_ms, Sensors* out) {
  if (!discovered_ || now_ms - discovered_at_ms_ >= rediscover_ms_) {
    discover(files);
    discovered_ = true;
    discovered_at_ms_ = now_ms;
  }
  out->hwmon.clear();
  out->zones.clear();
  for (const HwmonInput& in : hwmon_) {
    double celsius = 0;
    if (!read_millidegrees(files, in.input_rel, &buf_, &celsius)) continue;
    out->hwmon.push_back(in.meta);
    out->hwmon.back().celsius = celsius;
  }
  for (const ZoneInput& in : zones_) {
    double celsius = 0;
    if (!read_millidegrees(files, in.temp_rel, &buf_, &celsius)) continue;
    out->zones.push_back(in.meta);
    out->zones.back().celsius = celsius;
  }
}

static bool mentions_cpu(const std::string& lower) {
  for (const char* needle : {"cpu", "package", "tctl", "tdie"}) {
    if (lower.find(needle) != std::string::npos) return true;
  }
  return false;
}

bool cpu_temperature(const Sensors& sensors, double* celsius) {
  for (const HwmonTemp& t : sensors.hwmon) {
    std::string key = t.chip_name + " " + (t.label.empty() ? t.sensor : t.label);
    if (mentions_cpu(lower_ascii(key))) {
      *celsius = t.celsius;
      return true;
    }
  }
  for (const ThermalZone& z : sensors.zones) {
    if (mentions_cpu(lower_ascii(z.type))) {
      *celsius = z.celsius;
      return true;
    }
  }
  return false;
}

static std::string gotop_sanitize(std::string_view raw) {
  std::string out(raw);
  for (char& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok) c = '_';
  }
  return out;
}

static void add_unique(std::vector<GotopTemp>* out, std::string name, double celsius) {
  auto taken = [out](const std::string& candidate) {
    for (const GotopTemp& t : *out) {
      if (t.name == candidate) return true;
    }
    return false;
  };
  if (taken(name)) {
    for (int n = 2;; n++) {
      std::string candidate = name + "_" + std::to_string(n);
      if (!taken(candidate)) {
        name = candidate;
        break;
      }
    }
  }
  out->push_back(GotopTemp{std::move(name), celsius});
}

void gotop_temperatures(const Sensors& sensors, std::vector<GotopTemp>* out) {
  out->clear();
  for (const HwmonTemp& t : sensors.hwmon) {
    std::string name(trim_blank(t.chip_name));
    if (name.empty()) name = t.chip;
    std::string label = lower_ascii(trim_blank(t.label));
    label.erase(std::remove(label.begin(), label.end(), ' '), label.end());
    if (!label.empty()) name += "_" + label;
    add_unique(out, gotop_sanitize(name), t.celsius);
  }
  if (!sensors.hwmon.empty()) return;
  for (const ThermalZone& z : sensors.zones) {
    add_unique(out, gotop_sanitize(trim_blank(z.type)), z.celsius);
  }
}

}  // namespace metrics
