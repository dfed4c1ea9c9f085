// The fleet aggregator's decoders on arbitrary bytes (agent/fleet_peers.h,
// agent/peer_spec.h). The first byte picks what the rest is: a WebSocket
// reply (Text or Binary gzip) decoded as get_metrics and get_services, a
// Prometheus body polled twice, a --peer value, or an HTTP response head. Whatever is accepted
// must give rectangular tables with unique first cells, and /sd JSON that
// parses back.
#include <stdint.h>
#include <stdlib.h>

#include "agent/fleet_peers.h"
#include "codec/json_reader.h"
#include "net/websocket.h"

static void check_tables(const std::vector<PeerSpec>& specs, const std::vector<PeerStatus>& status) {
  FleetTable machines, units;
  peer_machine_table(specs, status, &machines);
  peer_unit_table(specs, status, &units);
  if (machines.rows.size() != specs.size()) abort();
  for (const FleetTable* t : {&machines, &units})
    for (const auto& row : t->rows)
      if (row.size() != t->fields.size()) abort();
  for (size_t i = 0; i < units.rows.size(); i++)
    for (size_t j = i + 1; j < units.rows.size(); j++)
      if (units.rows[i][0] == units.rows[j][0]) abort();
  std::string json;
  fleet_message_json("unit", units, &json);
  JsonValue v;
  if (!json_parse(json, &v, nullptr)) abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::vector<PeerSpec> specs;
  std::string err;
  if (!peer_spec_add(&specs, "p", "ws://127.0.0.1:3000", &err)) abort();
  std::vector<PeerStatus> status(1);
  status[0].state = PeerState::kUp;
  switch (data[0] % 4) {
    case 0: {
      std::string json;
      if (!peer_ws_reply_json(data[1] & 1 ? kWsBinary : kWsText, rest, &json, &err)) {
        if (err.empty()) abort();
        return 0;
      }
      if (peer_decode_metrics(json, &status[0].sample, &err) &&
          (status[0].sample.cpu_percent != status[0].sample.cpu_percent))
        return 0;  // NaN cannot come from JSON; nothing to check
      if (peer_decode_services(json, &status[0].units, &err) && status[0].units.size() > kPeerMaxUnits) abort();
      break;
    }
    case 1: {
      PeerSample a, b;
      peer_decode_prometheus(rest, &status[0].cpu, &a, &err);
      if (peer_decode_prometheus(rest, &status[0].cpu, &b, &err)) status[0].sample = b;
      break;
    }
    case 2: {
      if (!peer_spec_add_assignment(&specs, rest, &err)) {
        if (err.empty() || specs.size() != 1) abort();
        return 0;
      }
      status.resize(specs.size());
      std::string sd;
      peer_sd_json(specs, &sd);
      JsonValue v;
      if (!json_parse(sd, &v, nullptr) || !v.is_array() || v.items.size() != specs.size()) abort();
      const PeerSpec& s = specs.back();
      if (s.target.empty() || s.target[0] != '/' || s.port == 0) abort();
      break;
    }
    case 3: {
      PeerHttpHead head;
      PeerParse r = peer_parse_http_head(rest, &head, &err);
      if (r == PeerParse::kOk && (head.head_bytes > rest.size() || head.status < 100 || head.status > 999)) abort();
      if (r == PeerParse::kError && err.empty()) abort();
      break;
    }
  }
  check_tables(specs, status);
  return 0;
}
