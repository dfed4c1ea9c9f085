// The fleet aggregator's data (docs/extensions.md, "fleet: native peer
// tables"): what one poll of a peer yields, decoded from a statd/socktop
// `/ws` reply or a Prometheus text body, and the `machine` and `unit`
// tables built from every peer's latest result. Pure functions over bytes,
// so tests and a fuzzer drive them; the polling is agent/fleet_peer_poll.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "agent/fleet_table.h"
#include "agent/peer_spec.h"

enum class PeerState { kDown, kUp, kUnauthorized };

/// The machine figures of one poll; a figure the peer does not offer is
/// left out (socktop has no load or uptime; CPU from Prometheus needs two polls).
struct PeerSample {
  bool has_cpu = false, has_memory = false, has_load = false, has_uptime = false;
  double cpu_percent = 0, memory_percent = 0, load1 = 0;
  uint64_t uptime_s = 0;
};

/// node_cpu_seconds_total summed over CPUs at the previous poll.
struct PeerCpuTimes {
  bool valid = false;
  double idle_s = 0, total_s = 0;
};

struct PeerUnit {
  std::string name, state;
  bool enabled = false;
};

/// Everything the tables need about one peer.
struct PeerStatus {
  PeerState state = PeerState::kDown;
  PeerSample sample;
  std::vector<PeerUnit> units;  ///< from the last unit poll that answered
  PeerCpuTimes cpu;
};

/// Most services taken from one peer (statd lists at most 1024).
constexpr size_t kPeerMaxUnits = 1024;
/// Most bytes of a reply once decompressed.
constexpr size_t kPeerMaxReplyBytes = 4 * 1024 * 1024;

extern const char* const kPeerMachineFields[7];  ///< name address state cpu memory load uptime
extern const char* const kPeerUnitFields[4];     ///< unit machine state enabled

/// The JSON of a socktop-style reply frame: a Text frame as is, a Binary
/// frame gunzipped (socktop's 768-byte rule). Anything else fails.
bool peer_ws_reply_json(uint8_t opcode, std::string_view payload, std::string* json, std::string* err);

/// get_metrics' reply: cpu_total and mem_used/mem_total (socktop.md §6).
bool peer_decode_metrics(std::string_view json, PeerSample* out, std::string* err);

/// get_services' reply (docs/extensions.md): at most kPeerMaxUnits services.
bool peer_decode_services(std::string_view json, std::vector<PeerUnit>* out, std::string* err);

/// The head of an HTTP response to the poller's requests.
struct PeerHttpHead {
  int status = 0;
  size_t head_bytes = 0;      ///< status line, headers and the blank line
  std::string ws_accept;      ///< Sec-WebSocket-Accept, "" if absent
};
enum class PeerParse { kIncomplete, kOk, kError };

/// Most bytes of a response head.
constexpr size_t kPeerMaxHeadBytes = 16 * 1024;

/// Reads the head at the front of `in`. The poller asks with HTTP/1.0 (a
/// GET, so the body is plain and runs until the server closes) or with an
/// HTTP/1.1 upgrade (no body), so framing headers need no handling; a
/// chunked or compressed body is refused.
PeerParse peer_parse_http_head(std::string_view in, PeerHttpHead* out, std::string* err);

/// A Prometheus text body with node_exporter's names (statd's /metrics has
/// them too): node_load1, node_memory_MemTotal_bytes and
/// node_memory_MemAvailable_bytes, node_time_seconds minus
/// node_boot_time_seconds, and the CPU busy share of node_cpu_seconds_total
/// since *cpu (which is updated); before a second poll, and for gotop's
/// --export, the mean of gotop_cpu_CPU<n>, and gotop_memory_Main for memory
/// without node_*. False when the body has none of them.
/// A small scanner of exposition lines (name, labels, value), not the full
/// text-format parser: only these names are looked at.
bool peer_decode_prometheus(std::string_view body, PeerCpuTimes* cpu, PeerSample* out, std::string* err);

/// One row per peer, in declaration order: name, HOST:PORT, up / down /
/// unauthorized, CPU busy % (one decimal), memory used % (one decimal),
/// 1-minute load (two decimals), uptime in whole seconds; "" for a figure
/// not known (every figure of a peer that is not up).
void peer_machine_table(const std::vector<PeerSpec>& specs, const std::vector<PeerStatus>& status,
                        FleetTable* out);

/// One row per service of every peer that is up: "SERVICE@PEER", peer name,
/// state, "enabled" or "disabled". First cells are unique.
void peer_unit_table(const std::vector<PeerSpec>& specs, const std::vector<PeerStatus>& status,
                     FleetTable* out);
