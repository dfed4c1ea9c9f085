// The host model statc draws: what one source last said about one host,
// rates derived from successive readings, and short histories for graphs.
//
// Every group of fields carries a has_* flag: a Prometheus endpoint without
// swap figures shows "no swap data", not "0 B of swap".
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "client/fleet_model.h"

enum class HostState { kConnecting, kLive, kDown, kUnauthorized };
const char* host_state_name(HostState state);

/// The newest `kCapacity` values of a series, oldest first.
class History {
 public:
  static constexpr size_t kCapacity = 240;  // 4 minutes at 1 s; a 160-column graph fits
  void push(double v);
  size_t size() const { return size_; }
  /// i = 0 is the oldest kept value.
  double at(size_t i) const { return values_[(start_ + i) % kCapacity]; }
  double newest() const { return size_ ? at(size_ - 1) : 0; }
  void clear() { size_ = start_ = 0; }

 private:
  double values_[kCapacity] = {};
  size_t start_ = 0, size_ = 0;
};

struct NetIface {
  std::string name;
  uint64_t rx_bytes = 0, tx_bytes = 0;  ///< cumulative counters
};

struct TempReading {
  std::string name;
  double celsius = 0;
};

struct DiskRow {
  std::string name;  ///< device or mount point
  uint64_t total_bytes = 0, available_bytes = 0;
  bool has_temperature = false;
  double temperature_c = 0;
  bool is_partition = false;
};

struct ProcRow {
  uint32_t pid = 0;
  std::string name;
  float cpu_percent = 0;  ///< share of the whole machine, 0-100
  uint64_t mem_bytes = 0;
};

/// One reading of the fast-changing figures, as a source decoded it.
struct HostSample {
  uint64_t sampled_at_ms = 0;  ///< the source's clock when it has one, else 0
  std::string hostname;
  bool has_cpu = false;
  double cpu_total_percent = 0;
  std::vector<double> cpu_core_percent;
  bool has_mem = false;       ///< byte figures known
  uint64_t mem_total_bytes = 0, mem_used_bytes = 0;
  bool has_swap = false;
  uint64_t swap_total_bytes = 0, swap_used_bytes = 0;
  /// Used percent (0-100), or -1 when unknown. gotop exports only these,
  /// without byte figures; with has_mem/has_swap they are derived.
  double mem_used_percent = -1, swap_used_percent = -1;
  bool has_load = false;
  double load1 = 0, load5 = 0, load15 = 0;
  bool has_uptime = false;
  double uptime_s = 0;
  bool has_net = false;
  std::vector<NetIface> net;
  bool has_temps = false;
  std::vector<TempReading> temps;
};

/// socktop's get_process_metrics reply, the parts statc shows.
struct ProcDetail {
  uint32_t pid = 0, parent_pid = 0, user_id = 0, thread_count = 0;
  std::string name, command, status;
  double cpu_percent = 0;  ///< upstream's per-core scale (may exceed 100)
  uint64_t mem_bytes = 0, virtual_mem_bytes = 0, start_time = 0;
  uint64_t cpu_time_user_us = 0, cpu_time_system_us = 0;
  bool has_io = false;
  uint64_t read_bytes = 0, write_bytes = 0;
  size_t children = 0;
  std::string error;  ///< the agent's error object ("Process 42 not found")
};

class Host {
 public:
  Host(std::string label_text, std::string address_text, std::string protocol_name)
      : label(std::move(label_text)), address(std::move(address_text)),
        protocol(std::move(protocol_name)) {}

  /// A new reading: computes network rates against the previous one (using
  /// the source's timestamps when both have them, so cached replies do not
  /// make a saw-tooth), appends to the histories, marks the host live.
  void apply_sample(HostSample sample, uint64_t now_ms);
  void set_state(HostState new_state, uint64_t now_ms, std::string why = {});

  std::string label;     ///< shown name (gotop config NAME, or host:port)
  std::string address;   ///< URL without credentials
  /// The URL scheme at first ("ws", "http", "rtstat"); a Prometheus source
  /// refines it to "prometheus/node_exporter" or "prometheus/gotop".
  std::string protocol;
  bool tls = false, token = false;

  HostState state = HostState::kConnecting;
  std::string error;           ///< why it is down, for the header
  uint64_t state_since_ms = 0; ///< local monotonic clock
  uint64_t updated_ms = 0;     ///< when the last sample arrived (monotonic)
  uint64_t updates = 0;

  HostSample last;
  bool has_rates = false;
  double rx_bytes_per_s = 0, tx_bytes_per_s = 0;
  History cpu_history, rx_history, tx_history;

  bool has_disks = false;
  std::vector<DiskRow> disks;
  /// The source sends process and disk lists (socktop does; Prometheus and
  /// rt-stat do not), so a snapshot waits for them.
  bool offers_lists = false;
  bool has_processes = false;
  uint64_t process_count = 0;
  std::vector<ProcRow> processes;

  /// The process the detail view shows (0: closed); set by the screen, read
  /// by sources that can ask for details (socktop).
  uint32_t detail_pid = 0;
  bool has_detail = false;  ///< `detail` is for detail_pid
  ProcDetail detail;
  bool detail_supported = false;  ///< the source can fetch details

  /// A fleet-monitor feed (spec/fleet.md): tables instead of metrics.
  bool fleet = false;
  FleetModel fleet_model;
  std::string fleet_error;  ///< the last message that failed to parse, and why

 private:
  uint64_t previous_at_ms_ = 0;  // timestamp of `last` used for rates
  bool previous_from_source_ = false;
};

/// The merged model of every host as one JSON document (statc --json).
void hosts_write_json(const std::vector<const Host*>& hosts, uint64_t now_ms, std::string* out);
