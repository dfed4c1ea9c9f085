// rt-stat's Push payload (../shared/spec/rtstat.md §6): one compact JSON
// object in PHP json_encode style, built from a sampler snapshot and the
// connection's own baseline. Pure functions, so tests can feed fixtures.
#pragma once

#include <stdint.h>
#include <time.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/snapshot.h"

/// The keys a push may carry. The first four are upstream's, always in this
/// order when selected; the others are statd's extras, after `uptime`.
enum class RtstatPlugin : uint8_t {
  kCpuStat, kMeminfo, kProcesses, kUptime,
  kNetwork, kFilesystems, kTemperatures, kTopProcesses, kHostname,
};

constexpr const char* kRtstatDefaultPlugins = "cpu_stat,meminfo,processes,uptime";

/// "cpu_stat,meminfo,network" -> plugins in push order (built-ins first in
/// upstream's order, extras in the order given; duplicates ignored). False
/// with a message naming the unknown plugin and the known ones.
bool rtstat_parse_plugins(std::string_view list, std::vector<RtstatPlugin>* out,
                          std::string* err);

/// What a connection remembers between its pushes (cpu_stat and network
/// are deltas "since the previous push of that connection").
struct RtstatBaseline {
  std::vector<metrics::CpuTimes> cores;
  std::vector<uint32_t> core_ids;
  struct Net {
    std::string name;
    uint64_t rx_bytes = 0, tx_bytes = 0;
  };
  std::vector<Net> net;
  uint64_t net_at_ms = 0;  ///< monotonic time of the net counters
};

/// Copies the counters of `system` (sampled at monotonic `now_ms`).
void rtstat_take_baseline(const metrics::System& system, uint64_t now_ms,
                          RtstatBaseline* out);

/// Everything one push reads. Pointers may be null when the plugin that
/// needs them is not selected.
struct RtstatPushInput {
  const metrics::System* system = nullptr;
  const metrics::ProcessList* processes = nullptr;      ///< processes, top_processes
  const std::vector<metrics::Filesystem>* filesystems = nullptr;
  uint32_t self_pid = 0;     ///< counted as sleeping (0: none)
  std::string clock;         ///< local "HH:MM:SS"
  uint64_t now_ms = 0;       ///< monotonic, for network rates
  /// Command plugins: name and one JSON value each, after the built-in keys.
  std::vector<std::pair<std::string, std::string>> commands;
};

/// The JSON object (not escaped, no "Push::"); updates *baseline.
void rtstat_push_json(const RtstatPushInput& in, const std::vector<RtstatPlugin>& plugins,
                      RtstatBaseline* baseline, std::string* out);

// The pieces, public for tests.

/// round(num/total, 2) half away from zero from integers, printed the PHP
/// way: "0", "1", "0.5", "0.07". total == 0 gives "0".
void rtstat_append_fraction(uint64_t num, uint64_t total, std::string* out);
/// procps uptime's text after "up", trimmed: "4 min", "3:04", "1 day, 10:00",
/// "5 days,  3:04", "2 days, 5 min".
std::string rtstat_uptime_text(double uptime_s);
/// "HH:MM:SS".
std::string rtstat_clock_text(const struct tm& local);
/// A JSON string where a ':' next to another ':' is written \u003a, so the
/// payload never holds "::" (the browser splits at every "::", §2.3).
void rtstat_append_json_string(std::string_view s, std::string* out);
/// A number as PHP json_encode writes a float: shortest round-trip text,
/// no ".0" on integral values.
void rtstat_append_number(double v, std::string* out);
/// Rewrites every ':' adjacent to another ':' of a JSON text as \u003a
/// (valid JSON has adjacent colons only inside strings).
std::string rtstat_protect_colons(std::string_view json);
