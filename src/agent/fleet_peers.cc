#include "agent/fleet_peers.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/reader.h"
#include "base/str.h"
#include "codec/gzip.h"
#include "codec/json_reader.h"
#include "codec/prom_text.h"
#include "net/websocket.h"

const char* const kPeerMachineFields[7] = {"name", "address", "state", "cpu", "memory", "load", "uptime"};
const char* const kPeerUnitFields[4] = {"unit", "machine", "state", "enabled"};

namespace {

bool fail(std::string* err, const char* why) {
  *err = why;
  return false;
}

PeerParse head_error(std::string* err, std::string why) {
  *err = std::move(why);
  return PeerParse::kError;
}

std::string fixed(double v, int decimals) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

bool peer_ws_reply_json(uint8_t opcode, std::string_view payload, std::string* json, std::string* err) {
  json->clear();
  if (opcode == kWsText) {
    json->assign(payload);
    return true;
  }
  if (opcode != kWsBinary || !gzip_looks_compressed(payload)) return fail(err, "unexpected binary reply");
  return gzip_decompress(payload, json, kPeerMaxReplyBytes, err);
}

bool peer_decode_metrics(std::string_view json, PeerSample* out, std::string* err) {
  JsonValue v;
  if (!json_parse(json, &v, err)) return false;
  const JsonValue* cpu = v.get("cpu_total");
  const JsonValue* total = v.get("mem_total");
  const JsonValue* used = v.get("mem_used");
  uint64_t total_bytes, used_bytes;
  if (!cpu || !cpu->as_double(&out->cpu_percent) || !total || !total->as_u64(&total_bytes) || !used ||
      !used->as_u64(&used_bytes))
    return fail(err, "metrics reply without cpu_total, mem_total and mem_used");
  out->has_cpu = true;
  out->has_memory = total_bytes > 0;
  if (out->has_memory) out->memory_percent = 100.0 * static_cast<double>(used_bytes) / static_cast<double>(total_bytes);
  return true;
}

bool peer_decode_services(std::string_view json, std::vector<PeerUnit>* out, std::string* err) {
  out->clear();
  JsonValue v;
  if (!json_parse(json, &v, err)) return false;
  const JsonValue* services = v.get("services");
  if (!services || !services->is_array()) return fail(err, "services reply without a services array");
  for (const JsonValue& s : services->items) {
    if (out->size() == kPeerMaxUnits) break;
    const JsonValue* name = s.get("name");
    const JsonValue* state = s.get("state");
    const JsonValue* enabled = s.get("enabled");
    if (!name || !name->is_string() || name->string.empty() || !state || !state->is_string())
      continue;  // a row it cannot show; the others still count
    out->push_back(PeerUnit{name->string, state->string, enabled && enabled->is_bool() && enabled->boolean});
  }
  return true;
}

PeerParse peer_parse_http_head(std::string_view in, PeerHttpHead* out, std::string* err) {
  size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (in.size() > kPeerMaxHeadBytes) return head_error(err, "response head too large");
    return PeerParse::kIncomplete;
  }
  out->head_bytes = end + 4;
  Reader r(in.substr(0, end + 2));
  std::string_view line;
  uint64_t status = 0;
  if (!r.until("\r\n", &line) || !str_starts_with(line, "HTTP/1.") || line.size() < 12 || line[8] != ' ' ||
      !str_to_u64(line.substr(9, 3), &status) || status < 100)
    return head_error(err, "bad HTTP status line");
  out->status = static_cast<int>(status);
  while (r.until("\r\n", &line)) {
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon), value = str_trim(line.substr(colon + 1));
    if (str_equal_ci(name, "Sec-WebSocket-Accept")) out->ws_accept = std::string(value);
    else if ((str_equal_ci(name, "Transfer-Encoding") || str_equal_ci(name, "Content-Encoding")) &&
             !str_equal_ci(value, "identity"))
      return head_error(err, str_cat({"unexpected ", name, ": ", value}));
  }
  return PeerParse::kOk;
}

bool peer_decode_prometheus(std::string_view body, PeerCpuTimes* cpu, PeerSample* out, std::string* err) {
  double mem_total = 0, mem_available = 0, now_s = 0, boot_s = 0, idle_s = 0, total_s = 0;
  bool has_total = false, has_available = false, has_now = false, has_boot = false, has_cpu = false;
  bool any_line = false;
  // gotop's names (its --export, and statd's /metrics): per-CPU busy % right
  // away (node_cpu_seconds_total needs two polls) and memory used %.
  double gotop_cpu_sum = 0, gotop_memory = 0;
  size_t gotop_cpus = 0;
  bool has_gotop_memory = false;
  Reader r(body);
  std::string_view line;
  while (!r.empty()) {
    if (!r.until('\n', &line)) r.bytes(r.remaining(), &line);
    line = str_trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t name_end = line.find_first_of("{ \t");
    if (name_end == std::string_view::npos) continue;
    std::string_view name = line.substr(0, name_end), labels;
    std::string_view rest = line.substr(name_end);
    if (rest[0] == '{') {
      size_t close = rest.rfind('}');
      if (close == std::string_view::npos) continue;
      labels = rest.substr(1, close - 1);
      rest = rest.substr(close + 1);
    }
    rest = str_trim(rest);
    double value;
    if (!prom_parse_value(rest.substr(0, rest.find_first_of(" \t")), &value)) continue;  // a timestamp may follow
    any_line = true;
    if (name == "node_load1") {
      out->has_load = true;
      out->load1 = value;
    } else if (name == "node_memory_MemTotal_bytes") {
      has_total = true;
      mem_total = value;
    } else if (name == "node_memory_MemAvailable_bytes") {
      has_available = true;
      mem_available = value;
    } else if (name == "node_time_seconds") {
      has_now = true;
      now_s = value;
    } else if (name == "node_boot_time_seconds") {
      has_boot = true;
      boot_s = value;
    } else if (name == "node_cpu_seconds_total") {
      size_t mode_at = labels.find("mode=\"");
      if (mode_at == std::string_view::npos) continue;
      std::string_view mode = labels.substr(mode_at + 6);
      mode = mode.substr(0, mode.find('"'));
      has_cpu = true;
      total_s += value;
      if (mode == "idle" || mode == "iowait") idle_s += value;
    } else if (str_starts_with(name, "gotop_cpu_CPU")) {
      gotop_cpu_sum += value;
      gotop_cpus++;
    } else if (name == "gotop_memory_Main") {
      has_gotop_memory = true;
      gotop_memory = value;
    }
  }
  if (has_total && has_available && mem_total > 0) {
    out->has_memory = true;
    out->memory_percent = 100.0 * (mem_total - mem_available) / mem_total;
  }
  if (has_now && has_boot && now_s >= boot_s && now_s - boot_s < 1e12) {
    out->has_uptime = true;
    out->uptime_s = static_cast<uint64_t>(now_s - boot_s);
  }
  if (has_cpu) {
    double busy_delta = (total_s - cpu->total_s) - (idle_s - cpu->idle_s);
    double total_delta = total_s - cpu->total_s;
    if (cpu->valid && total_delta > 0 && busy_delta >= 0 && busy_delta <= total_delta) {
      out->has_cpu = true;
      out->cpu_percent = 100.0 * busy_delta / total_delta;
    }
    *cpu = PeerCpuTimes{true, idle_s, total_s};
  }
  if (!out->has_cpu && gotop_cpus > 0) {
    out->has_cpu = true;
    out->cpu_percent = gotop_cpu_sum / static_cast<double>(gotop_cpus);
  }
  if (!out->has_memory && has_gotop_memory) {
    out->has_memory = true;
    out->memory_percent = gotop_memory;
  }
  if (!out->has_load && !out->has_memory && !out->has_uptime && !has_cpu && !out->has_cpu)
    return fail(err, any_line ? "no node_* or gotop_* metrics in the body" : "not Prometheus text");
  return true;
}

void peer_machine_table(const std::vector<PeerSpec>& specs, const std::vector<PeerStatus>& status,
                        FleetTable* out) {
  out->fields.assign(kPeerMachineFields, kPeerMachineFields + 7);
  out->rows.clear();
  for (size_t i = 0; i < specs.size() && i < status.size(); i++) {
    const PeerStatus& p = status[i];
    const PeerSample& s = p.sample;
    bool up = p.state == PeerState::kUp;
    const char* state = up ? "up" : p.state == PeerState::kUnauthorized ? "unauthorized" : "down";
    out->rows.push_back({specs[i].name, specs[i].address(), state,
                         up && s.has_cpu ? fixed(s.cpu_percent, 1) : "",
                         up && s.has_memory ? fixed(s.memory_percent, 1) : "",
                         up && s.has_load ? fixed(s.load1, 2) : "",
                         up && s.has_uptime ? std::to_string(s.uptime_s) : ""});
  }
}

void peer_unit_table(const std::vector<PeerSpec>& specs, const std::vector<PeerStatus>& status,
                     FleetTable* out) {
  out->fields.assign(kPeerUnitFields, kPeerUnitFields + 4);
  out->rows.clear();
  for (size_t i = 0; i < specs.size() && i < status.size(); i++) {
    if (status[i].state != PeerState::kUp) continue;
    for (const PeerUnit& u : status[i].units)
      out->rows.push_back({u.name + "@" + specs[i].name, specs[i].name, u.state, u.enabled ? "enabled" : "disabled"});
  }
  fleet_normalize_rows(4, &out->rows);  // a peer listing a name twice
}
