#include "agent/prometheus.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/prom_writer.h"
#include "base/clock.h"
#include "base/str.h"
#include "metrics/sampler.h"

namespace {

constexpr double kUserHz = 100.0;  // USER_HZ is 100 in Linux's user ABI

void write_cpu(PromWriter& w, const metrics::CpuStat& cpu) {
  w.family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.");
  for (size_t i = 0; i < cpu.cores.size(); i++) {
    const metrics::CpuTimes& t = cpu.cores[i];
    std::string id = std::to_string(i < cpu.core_ids.size() ? cpu.core_ids[i] : i);
    const std::pair<const char*, uint64_t> modes[] = {
        {"idle", t.idle}, {"iowait", t.iowait}, {"irq", t.irq}, {"nice", t.nice},
        {"softirq", t.softirq}, {"steal", t.steal}, {"system", t.system}, {"user", t.user}};
    for (const auto& m : modes) w.label("cpu", id).label("mode", m.first).value(m.second / kUserHz);
  }
  w.family("node_cpu_guest_seconds_total", "counter",
           "Seconds the CPUs spent in guests (VMs) for each mode.");
  for (size_t i = 0; i < cpu.cores.size(); i++) {
    std::string id = std::to_string(i < cpu.core_ids.size() ? cpu.core_ids[i] : i);
    w.label("cpu", id).label("mode", "nice").value(cpu.cores[i].guest_nice / kUserHz);
    w.label("cpu", id).label("mode", "user").value(cpu.cores[i].guest / kUserHz);
  }
  w.family("node_context_switches_total", "counter", "Total number of context switches.");
  w.value_u64(cpu.context_switches);
  w.family("node_intr_total", "counter", "Total number of interrupts serviced.");
  w.value_u64(cpu.interrupts);
  w.family("node_forks_total", "counter", "Total number of forks.");
  w.value_u64(cpu.forks);
  w.family("node_procs_running", "gauge", "Number of processes in runnable state.");
  w.value_u64(cpu.procs_running);
  w.family("node_procs_blocked", "gauge", "Number of processes blocked waiting for I/O to complete.");
  w.value_u64(cpu.procs_blocked);
  w.family("node_boot_time_seconds", "gauge", "Node boot time, in unixtime.");
  w.value_u64(cpu.boot_time_s);
}

// node_exporter's naming: "Active(anon)" -> "Active_anon", kB fields get _bytes.
std::string meminfo_metric_name(const metrics::MemField& f) {
  std::string name = "node_memory_";
  for (char c : f.name) {
    if (c == '(') name.push_back('_');
    else if (c == ')') continue;
    else name.push_back(c);
  }
  name = prom_sanitize_name(name);
  if (f.bytes) name += "_bytes";
  return name;
}

void write_memory(PromWriter& w, const metrics::MemInfo& mem) {
  for (const metrics::MemField& f : mem.fields) {
    std::string name = meminfo_metric_name(f);
    w.family(name, "gauge", "Memory information field " + name.substr(12) + ".");
    w.value_u64(f.value);
  }
}

void write_load_and_time(PromWriter& w, const metrics::System& s) {
  w.family("node_load1", "gauge", "1m load average.");
  w.value(s.load.load1);
  w.family("node_load5", "gauge", "5m load average.");
  w.value(s.load.load5);
  w.family("node_load15", "gauge", "15m load average.");
  w.value(s.load.load15);
  w.family("node_time_seconds", "gauge", "System time in seconds since epoch (1970).");
  w.value(clock_wall_ms() / 1000.0);
  const metrics::Uname& u = s.uname;
  w.family("node_uname_info", "gauge", "Labeled system information as provided by the uname system call.");
  w.label("domainname", u.domainname.empty() ? "(none)" : u.domainname)
      .label("machine", u.machine)
      .label("nodename", u.nodename)
      .label("release", u.release)
      .label("sysname", u.sysname)
      .label("version", u.version)
      .value_u64(1);
}

void write_network(PromWriter& w, const std::vector<metrics::NetDev>& net) {
  struct Counter { const char* name; uint64_t metrics::NetDev::*field; };
  static const Counter kCounters[] = {
      {"receive_bytes", &metrics::NetDev::rx_bytes},
      {"receive_compressed", &metrics::NetDev::rx_compressed},
      {"receive_drop", &metrics::NetDev::rx_drop},
      {"receive_errs", &metrics::NetDev::rx_errs},
      {"receive_fifo", &metrics::NetDev::rx_fifo},
      {"receive_frame", &metrics::NetDev::rx_frame},
      {"receive_multicast", &metrics::NetDev::rx_multicast},
      {"receive_packets", &metrics::NetDev::rx_packets},
      {"transmit_bytes", &metrics::NetDev::tx_bytes},
      {"transmit_carrier", &metrics::NetDev::tx_carrier},
      {"transmit_colls", &metrics::NetDev::tx_colls},
      {"transmit_compressed", &metrics::NetDev::tx_compressed},
      {"transmit_drop", &metrics::NetDev::tx_drop},
      {"transmit_errs", &metrics::NetDev::tx_errs},
      {"transmit_fifo", &metrics::NetDev::tx_fifo},
      {"transmit_packets", &metrics::NetDev::tx_packets},
  };
  for (const Counter& c : kCounters) {
    std::string name = std::string("node_network_") + c.name + "_total";
    w.family(name, "counter", std::string("Network device statistic ") + c.name + ".");
    for (const metrics::NetDev& d : net) w.label("device", d.name).value_u64(d.*c.field);
  }
  w.family("node_network_up", "gauge", "Value is 1 if operstate is 'up', 0 otherwise.");
  for (const metrics::NetDev& d : net) w.label("device", d.name).value_u64(d.up ? 1 : 0);
}

void write_filesystems(PromWriter& w, const std::vector<metrics::Filesystem>& fss) {
  struct Gauge { const char* name; const char* help; uint64_t metrics::Filesystem::*field; };
  static const Gauge kGauges[] = {
      {"node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", &metrics::Filesystem::avail_bytes},
      {"node_filesystem_files", "Filesystem total file nodes.", &metrics::Filesystem::files},
      {"node_filesystem_files_free", "Filesystem total free file nodes.", &metrics::Filesystem::files_free},
      {"node_filesystem_free_bytes", "Filesystem free space in bytes.", &metrics::Filesystem::free_bytes},
      {"node_filesystem_size_bytes", "Filesystem size in bytes.", &metrics::Filesystem::size_bytes},
  };
  auto labels = [&w](const metrics::Filesystem& f) -> PromWriter& {
    return w.label("device", f.device).label("device_error", f.device_error ? "statvfs failed" : "")
        .label("fstype", f.fstype).label("mountpoint", f.mountpoint);
  };
  for (const Gauge& g : kGauges) {
    w.family(g.name, "gauge", g.help);
    for (const metrics::Filesystem& f : fss)
      if (!f.device_error) labels(f).value_u64(f.*g.field);
  }
  w.family("node_filesystem_readonly", "gauge", "Filesystem read-only status.");
  for (const metrics::Filesystem& f : fss) labels(f).value_u64(f.readonly ? 1 : 0);
  w.family("node_filesystem_device_error", "gauge",
           "Whether an error occurred while getting statistics for the given device.");
  for (const metrics::Filesystem& f : fss) labels(f).value_u64(f.device_error ? 1 : 0);
}

void write_disks(PromWriter& w, const std::vector<metrics::DiskIo>& disks) {
  // scale 0.001 means milliseconds: those are divided by 1000 rather than
  // multiplied by 0.001, because a division of two exact numbers is
  // correctly rounded (1234 ms prints as 1.234, not 1.2340000000000002).
  struct Counter { const char* name; const char* help; uint64_t metrics::DiskIo::*field; double scale; };
  static const Counter kCounters[] = {
      {"node_disk_reads_completed_total", "The total number of reads completed successfully.", &metrics::DiskIo::reads_completed, 1},
      {"node_disk_reads_merged_total", "The total number of reads merged.", &metrics::DiskIo::reads_merged, 1},
      {"node_disk_read_bytes_total", "The total number of bytes read successfully.", &metrics::DiskIo::sectors_read, 512},
      {"node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", &metrics::DiskIo::read_time_ms, 0.001},
      {"node_disk_writes_completed_total", "The total number of writes completed successfully.", &metrics::DiskIo::writes_completed, 1},
      {"node_disk_writes_merged_total", "The number of writes merged.", &metrics::DiskIo::writes_merged, 1},
      {"node_disk_written_bytes_total", "The total number of bytes written successfully.", &metrics::DiskIo::sectors_written, 512},
      {"node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", &metrics::DiskIo::write_time_ms, 0.001},
      {"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", &metrics::DiskIo::io_time_ms, 0.001},
      {"node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", &metrics::DiskIo::io_weighted_ms, 0.001},
  };
  for (const Counter& c : kCounters) {
    w.family(c.name, "counter", c.help);
    for (const metrics::DiskIo& d : disks) {
      if (metrics::diskstats_is_ignored(d.name)) continue;
      w.label("device", d.name);
      if (c.scale == 1) w.value_u64(d.*c.field);
      else if (c.scale > 1) w.value_u64(d.*c.field * static_cast<uint64_t>(c.scale));
      else w.value(static_cast<double>(d.*c.field) / 1000.0);
    }
  }
  w.family("node_disk_io_now", "gauge", "The number of I/Os currently in progress.");
  for (const metrics::DiskIo& d : disks)
    if (!metrics::diskstats_is_ignored(d.name)) w.label("device", d.name).value_u64(d.io_now);
}

void write_sensors(PromWriter& w, const metrics::Sensors& sensors) {
  w.family("node_hwmon_temp_celsius", "gauge", "Hardware monitor for temperature (input)");
  for (const metrics::HwmonTemp& t : sensors.hwmon)
    w.label("chip", t.chip).label("sensor", t.sensor).value(t.celsius);
  w.family("node_hwmon_chip_names", "gauge", "Annotation metric for human-readable chip names");
  std::vector<std::string> seen;
  for (const metrics::HwmonTemp& t : sensors.hwmon) {
    bool dup = false;
    for (const std::string& s : seen) dup |= s == t.chip;
    if (dup) continue;
    seen.push_back(t.chip);
    w.label("chip", t.chip).label("chip_name", t.chip_name).value_u64(1);
  }
  w.family("node_hwmon_sensor_label", "gauge", "Label for given chip and sensor");
  for (const metrics::HwmonTemp& t : sensors.hwmon)
    if (!t.label.empty()) w.label("chip", t.chip).label("label", t.label).label("sensor", t.sensor).value_u64(1);
  w.family("node_thermal_zone_temp", "gauge", "Zone temperature in Celsius");
  for (const metrics::ThermalZone& z : sensors.zones)
    w.label("type", z.type).label("zone", std::to_string(z.zone)).value(z.celsius);
}

// Percentages need no 17 digits, and short decimals print much faster.
double round_to_thousandths(double v) { return floor(v * 1000 + 0.5) / 1000; }

// gotop_* series exactly as gotop's remote client reads them (§4.3, §5):
// no labels, integer cpu/temp values, one space before the value.
void write_gotop(PromWriter& w, Agent* agent, const metrics::System& s) {
  size_t n = s.cpu_core_percent.size();
  for (size_t i = 0; i < n; i++) {
    char name[48];
    snprintf(name, sizeof name, n <= 10 ? "gotop_cpu_CPU%zu" : "gotop_cpu_CPU%02zu", i);
    w.family(name, "gauge", "CPU busy percent of one logical CPU (gotop).");
    float p = s.cpu_core_percent[i];
    w.value_u64(p >= 100 ? 100 : p <= 0 ? 0 : static_cast<uint64_t>(p));  // gotop truncates
  }
  const metrics::MemInfo& m = s.mem;
  if (m.total_bytes > 0) {
    uint64_t not_used = m.free_bytes + m.buffers_bytes + m.cached_bytes + m.sreclaimable_bytes;
    uint64_t used = m.total_bytes > not_used ? m.total_bytes - not_used : 0;
    w.family("gotop_memory_Main", "gauge", "Main memory used, percent (gotop).");
    w.value(round_to_thousandths(100.0 * used / m.total_bytes));
  }
  w.family("gotop_memory_Swap", "gauge", "Swap used, percent (gotop).");
  w.value(m.swap_total_bytes ? round_to_thousandths(100.0 * m.swap_used_bytes() / m.swap_total_bytes) : 0.0);
  // Bytes since statd started, as gotop counts from its own start.
  uint64_t rx = 0, tx = 0;
  for (const metrics::NetDev& d : s.net) {
    rx += d.rx_bytes;
    tx += d.tx_bytes;
  }
  w.family("gotop_net_recv", "untyped", "Bytes received on all interfaces since statd started (gotop).");
  w.value_u64(rx > agent->net_rx_at_start ? rx - agent->net_rx_at_start : 0);
  w.family("gotop_net_sent", "untyped", "Bytes sent on all interfaces since statd started (gotop).");
  w.value_u64(tx > agent->net_tx_at_start ? tx - agent->net_tx_at_start : 0);
  if (agent->opts.temperature) {
    std::vector<metrics::GotopTemp> temps;
    metrics::gotop_temperatures(s.sensors, &temps);
    for (const metrics::GotopTemp& t : temps) {
      w.family("gotop_temp_" + t.name, "gauge", "Temperature in degrees Celsius (gotop).");
      w.value_u64(t.celsius <= 0 ? 0 : static_cast<uint64_t>(t.celsius));
    }
  }
}

void write_gotop_disks(PromWriter& w, const std::vector<metrics::Filesystem>& fss) {
  for (const metrics::Filesystem& f : fss) {
    if (f.device_error || !str_starts_with(f.device, "/dev/") || str_starts_with(f.device, "/dev/loop")) continue;
    std::string name = "gotop_disk_";
    for (char c : f.device) name.push_back(c == '/' ? ':' : c);
    uint64_t used = f.size_bytes - f.free_bytes;
    uint64_t denominator = used + f.avail_bytes;
    double percent = denominator ? 100.0 * used / denominator : 0;
    w.family(name, "gauge", "Filesystem used fraction, 0 to 1 (gotop).");
    w.value(static_cast<uint64_t>(percent + 0.5) / 100.0);
  }
}

uint64_t own_rss_bytes() {
  // Always the real /proc: --root points at the monitored tree, not at us.
  // "size resident shared ..." in pages. Read by hand: fscanf alone would
  // pull about 5 KB of musl's scanf into the static binary.
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n <= 0) return 0;
  std::string_view text(buf, static_cast<size_t>(n));
  size_t start = text.find(' ');
  if (start == std::string_view::npos) return 0;
  text.remove_prefix(start + 1);
  uint64_t resident = 0;
  if (!str_to_u64(text.substr(0, text.find(' ')), &resident)) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

void write_self(PromWriter& w, Agent* agent, uint64_t started_ns) {
  const AgentStats& st = agent->stats;
  w.family("statd_build_info", "gauge", "A metric with a constant '1' labeled by the statd version.");
  w.label("version", STATD_VERSION).value_u64(1);
  w.family("statd_start_time_seconds", "gauge", "When statd started, in unixtime.");
  w.value(agent->start_wall_ms / 1000.0);
  w.family("statd_connected_clients", "gauge", "Connections open now.");
  w.value_u64(agent->client_count());
  w.family("statd_resident_memory_bytes", "gauge", "statd's own resident memory.");
  w.value_u64(own_rss_bytes());
  w.family("statd_scrape_cpu_seconds", "gauge", "CPU time statd spent building this body, up to this line.");
  w.value(((clock_process_cpu_ns() - started_ns) / 1000) / 1e6);  // whole microseconds
  w.family("statd_connections_accepted_total", "counter", "Connections accepted.");
  w.value_u64(st.connections_accepted);
  w.family("statd_connections_refused_total", "counter", "Connections refused by --max-clients.");
  w.value_u64(st.connections_refused);
  w.family("statd_http_requests_total", "counter", "HTTP requests parsed, good or bad.");
  w.value_u64(st.http_requests);
  w.family("statd_websocket_messages_total", "counter", "WebSocket messages received.");
  w.value_u64(st.ws_messages);
  w.family("statd_protocol_errors_total", "counter", "Malformed HTTP requests and WebSocket frames.");
  w.value_u64(st.protocol_errors);
  w.family("statd_auth_failures_total", "counter", "Requests refused for a missing or wrong token.");
  w.value_u64(st.auth_failures);
  w.family("statd_accept_pauses_total", "counter", "Times accepting paused for want of file descriptors.");
  w.value_u64(agent->accept_pauses());
  w.family("statd_socktop_metrics_encodings_total", "counter", "get_metrics replies encoded; the others came from the per-sample cache.");
  w.value_u64(st.socktop_metrics_encodings);
  const AddrLimits& limits = agent->addr_limits;
  w.family("statd_connections_refused_per_address_total", "counter", "Connections refused by --max-clients-per-address.");
  w.value_u64(limits.refused_connections());
  w.family("statd_auth_lockouts_total", "counter", "Addresses locked out after --auth-fail-limit wrong tokens.");
  w.value_u64(limits.lockouts());
  w.family("statd_auth_locked_out_attempts_total", "counter", "Token attempts refused because their address was locked out.");
  w.value_u64(limits.locked_out_attempts());
  w.family("statd_tracked_addresses", "gauge", "Peer addresses in the per-address limit table.");
  w.value_u64(limits.tracked_addresses());
#if STATD_TLS
  if (agent->tls) {
    w.family("statd_tls_handshakes_total", "counter", "TLS handshakes completed.");
    w.value_u64(agent->tls->handshakes_completed());
    w.family("statd_tls_handshake_failures_total", "counter", "TLS handshakes that failed.");
    w.value_u64(agent->tls->handshake_failures());
  }
#endif
  w.family("statd_samples_total", "counter", "Samples taken from /proc and /sys.");
  w.value_u64(agent->sampler.samples_taken());
}

}  // namespace

void prometheus_write_body(Agent* agent, std::string* out) {
  uint64_t started_ns = clock_process_cpu_ns();
  uint64_t now = agent->loop.now_ms();
  const metrics::System& s = agent->sampler.system(now);
  const std::vector<metrics::Filesystem>& fss = agent->sampler.filesystems(now);
  out->reserve(out->size() + 16384);
  PromWriter w(out, &agent->opts.exclude_metrics);
  write_cpu(w, s.cpu);
  write_memory(w, s.mem);
  write_load_and_time(w, s);
  write_network(w, s.net);
  write_filesystems(w, fss);
  write_disks(w, s.disks);
  if (agent->opts.temperature) write_sensors(w, s.sensors);
  write_gotop(w, agent, s);
  if (agent->opts.gotop_disks) write_gotop_disks(w, fss);
  write_self(w, agent, started_ns);
}
