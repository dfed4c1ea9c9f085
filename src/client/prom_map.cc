#include "client/prom_map.h"

#include <stdlib.h>

#include "base/str.h"

namespace {

bool value_of(const std::vector<PromSample>& samples, std::string_view name, double* v) {
  const PromSample* s = prom_find(samples, name);
  if (!s) return false;
  *v = s->value;
  return true;
}

uint64_t to_u64(double v) { return v > 0 ? static_cast<uint64_t>(v) : 0; }

// CPU busy % from node_cpu_seconds_total deltas: busy = total - idle - iowait.
void map_node_cpu(const std::vector<PromSample>& samples, PromCpuCounters* c, HostSample* s) {
  std::vector<double> total, idle;
  for (const PromSample& p : samples) {
    if (p.name != "node_cpu_seconds_total") continue;
    const std::string* cpu = p.label("cpu");
    const std::string* mode = p.label("mode");
    uint64_t index;
    if (!cpu || !mode || !str_to_u64(*cpu, &index, 4095)) continue;
    if (total.size() <= index) {
      total.resize(index + 1, 0);
      idle.resize(index + 1, 0);
    }
    total[index] += p.value;
    if (*mode == "idle" || *mode == "iowait") idle[index] += p.value;
  }
  if (total.empty()) return;
  double all_total = 0, all_idle = 0;
  for (size_t i = 0; i < total.size(); i++) {
    all_total += total[i];
    all_idle += idle[i];
  }
  auto busy = [](double t0, double i0, double t1, double i1) {
    double dt = t1 - t0;
    if (dt <= 0 || i1 < i0) return 0.0;
    double p = 100.0 * (dt - (i1 - i0)) / dt;
    return p < 0 ? 0 : p > 100 ? 100 : p;
  };
  // Only with a previous scrape of the same shape (a counter reset or a
  // CPU going offline restarts the baseline).
  if (c->all_total_s >= 0 && c->total_s.size() == total.size() && all_total >= c->all_total_s) {
    s->has_cpu = true;
    s->cpu_total_percent = busy(c->all_total_s, c->all_idle_s, all_total, all_idle);
    for (size_t i = 0; i < total.size(); i++)
      s->cpu_core_percent.push_back(busy(c->total_s[i], c->idle_s[i], total[i], idle[i]));
  }
  c->total_s = total;
  c->idle_s = idle;
  c->all_total_s = all_total;
  c->all_idle_s = all_idle;
}

bool map_node(const PromBody& body, PromCpuCounters* counters, PromMapped* out) {
  const std::vector<PromSample>& samples = body.samples;
  HostSample& s = out->sample;
  double total, avail;
  if (!value_of(samples, "node_memory_MemTotal_bytes", &total) &&
      !prom_find(samples, "node_cpu_seconds_total"))
    return false;
  map_node_cpu(samples, counters, &s);
  if (value_of(samples, "node_memory_MemTotal_bytes", &total)) {
    if (!value_of(samples, "node_memory_MemAvailable_bytes", &avail)) {
      // Kernels before 3.14: the usual approximation.
      double free_b = 0, buffers = 0, cached = 0;
      value_of(samples, "node_memory_MemFree_bytes", &free_b);
      value_of(samples, "node_memory_Buffers_bytes", &buffers);
      value_of(samples, "node_memory_Cached_bytes", &cached);
      avail = free_b + buffers + cached;
    }
    s.has_mem = true;
    s.mem_total_bytes = to_u64(total);
    s.mem_used_bytes = total > avail ? to_u64(total - avail) : 0;
  }
  double swap_total, swap_free;
  if (value_of(samples, "node_memory_SwapTotal_bytes", &swap_total) &&
      value_of(samples, "node_memory_SwapFree_bytes", &swap_free)) {
    s.has_swap = true;
    s.swap_total_bytes = to_u64(swap_total);
    s.swap_used_bytes = swap_total > swap_free ? to_u64(swap_total - swap_free) : 0;
  }
  if (value_of(samples, "node_load1", &s.load1)) {
    s.has_load = value_of(samples, "node_load5", &s.load5) && value_of(samples, "node_load15", &s.load15);
  }
  double now_s, boot_s;
  if (value_of(samples, "node_time_seconds", &now_s) && value_of(samples, "node_boot_time_seconds", &boot_s)) {
    s.has_uptime = true;
    s.uptime_s = now_s > boot_s ? now_s - boot_s : 0;
  }
  if (const PromSample* uname = prom_find(samples, "node_uname_info")) {
    if (const std::string* n = uname->label("nodename")) s.hostname = *n;
  }
  for (const PromSample& p : samples) {
    const std::string* dev = p.label("device");
    if (dev && (p.name == "node_network_receive_bytes_total" || p.name == "node_network_transmit_bytes_total")) {
      NetIface* iface = nullptr;
      for (NetIface& n : s.net)
        if (n.name == *dev) iface = &n;
      if (!iface) {
        s.net.push_back({*dev, 0, 0});
        iface = &s.net.back();
      }
      bool receive = p.name == "node_network_receive_bytes_total";
      (receive ? iface->rx_bytes : iface->tx_bytes) = to_u64(p.value);
      s.has_net = true;
    } else if (p.name == "node_hwmon_temp_celsius") {
      const std::string* chip = p.label("chip");
      const std::string* sensor = p.label("sensor");
      std::string name = (chip ? *chip : "?") + " " + (sensor ? *sensor : "?");
      s.temps.push_back({name, p.value});
      s.has_temps = true;
    } else if (p.name == "node_thermal_zone_temp") {
      const std::string* type = p.label("type");
      s.temps.push_back({type ? *type : "thermal", p.value});
      s.has_temps = true;
    } else if (p.name == "node_filesystem_size_bytes") {
      const std::string* mountpoint = p.label("mountpoint");
      if (!mountpoint) continue;
      DiskRow row;
      row.name = *mountpoint;
      row.total_bytes = to_u64(p.value);
      for (const PromSample& q : samples) {
        if (q.name != "node_filesystem_avail_bytes") continue;
        const std::string* m = q.label("mountpoint");
        if (m && *m == *mountpoint) row.available_bytes = to_u64(q.value);
      }
      out->disks.push_back(std::move(row));
      out->has_disks = true;
    }
  }
  out->dialect = "node_exporter";
  return true;
}

bool map_gotop(const PromBody& body, PromMapped* out) {
  HostSample& s = out->sample;
  bool any = false;
  double sum = 0;
  for (const PromSample& p : body.samples) {
    if (!str_starts_with(p.name, "gotop_") || !p.labels.empty()) continue;
    std::string_view key = std::string_view(p.name).substr(6);
    any = true;
    if (str_starts_with(key, "cpu_")) {
      s.cpu_core_percent.push_back(p.value);
      sum += p.value;
      s.has_cpu = true;
    } else if (key == "memory_Main") {
      s.mem_used_percent = p.value;
    } else if (key == "memory_Swap") {
      s.swap_used_percent = p.value;
    } else if (key == "net_recv" || key == "net_sent") {
      if (s.net.empty()) s.net.push_back({"all", 0, 0});
      (key == "net_recv" ? s.net[0].rx_bytes : s.net[0].tx_bytes) = to_u64(p.value);
      s.has_net = true;
    } else if (str_starts_with(key, "temp_")) {
      s.temps.push_back({std::string(key.substr(5)), p.value});
      s.has_temps = true;
    }
  }
  if (s.has_cpu) s.cpu_total_percent = sum / s.cpu_core_percent.size();
  if (any) out->dialect = "gotop";
  return any;
}

}  // namespace

void prom_map_body(const PromBody& body, PromCpuCounters* counters, PromMapped* out) {
  *out = PromMapped();
  // node_* is richer (bytes, load, uptime); gotop_* when that is all there is.
  if (!map_node(body, counters, out)) {
    out->sample = HostSample();
    map_gotop(body, out);
  }
}
