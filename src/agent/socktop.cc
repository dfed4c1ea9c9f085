#include "agent/socktop.h"

#include "agent/agent.h"
#include "agent/client.h"
#include "base/clock.h"
#include "base/str.h"
#include "codec/gzip.h"
#include "codec/json_reader.h"
#include "codec/json_writer.h"
#include "codec/protobuf.h"
#include "codec/utf8.h"
#include "metrics/sampler.h"

static bool parse_pid(std::string_view text, uint32_t* pid) {
  if (str_starts_with(text, "+")) text.remove_prefix(1);
  uint64_t v;
  if (!str_to_u64(text, &v, UINT32_MAX)) return false;
  *pid = static_cast<uint32_t>(v);
  return true;
}

SocktopRequest socktop_parse_request(std::string_view text) {
  SocktopRequest req;
  if (text == "get_metrics") { req.kind = SocktopRequest::kMetrics; return req; }
  if (text == "get_disks") { req.kind = SocktopRequest::kDisks; return req; }
  if (text == "get_processes") { req.kind = SocktopRequest::kProcesses; return req; }
  if (text == "get_services") { req.kind = SocktopRequest::kServices; return req; }  // statd only
  if (str_starts_with(text, "get_process_metrics:")) {
    if (parse_pid(text.substr(20), &req.pid)) req.kind = SocktopRequest::kProcessMetrics;
    return req;
  }
  if (str_starts_with(text, "get_journal_entries:")) {
    if (parse_pid(text.substr(20), &req.pid)) req.kind = SocktopRequest::kJournalEntries;
    return req;
  }
  // The JSON form from socktop_agent's README and the connector's enum.
  if (!str_starts_with(str_trim(text), "{")) return req;
  JsonValue v;
  std::string err;
  if (!json_parse(text, &v, &err) || !v.is_object()) return req;
  std::string_view type;
  const JsonValue* t = v.get("type");
  if (!t || !t->as_string(&type)) return req;
  SocktopRequest::Kind kind = SocktopRequest::kInvalid;
  if (type == "metrics") kind = SocktopRequest::kMetrics;
  else if (type == "disks") kind = SocktopRequest::kDisks;
  else if (type == "processes") kind = SocktopRequest::kProcesses;
  else if (type == "process_metrics") kind = SocktopRequest::kProcessMetrics;
  else if (type == "journal_entries") kind = SocktopRequest::kJournalEntries;
  else if (type == "services") kind = SocktopRequest::kServices;
  if (kind == SocktopRequest::kProcessMetrics || kind == SocktopRequest::kJournalEntries) {
    const JsonValue* pid = v.get("pid");
    uint64_t n;
    if (!pid || !pid->as_u64(&n) || n > UINT32_MAX) return req;
    req.pid = static_cast<uint32_t>(n);
  }
  req.kind = kind;
  req.json_form = true;
  return req;
}

// The 768-byte rule (socktop.md §4), except for JSON-form requests, whose
// clients JSON.parse Text frames and take every Binary frame for protobuf.
static void send_json(Client* client, const std::string& json, bool json_form) {
  if (json_form || json.size() <= kSocktopCompressAbove) {
    client->ws_send(kWsText, json);
    return;
  }
  std::string gz;
  gzip_compress(json, &gz);
  client->ws_send(kWsBinary, gz);
}

void socktop_metrics_json(Agent* agent, std::string* out) {
  const metrics::System& s = agent->sampler.system(agent->loop.now_ms());
  JsonWriter w(out);
  w.begin_object();
  w.key("sampled_at_ms").u64(s.sampled_at_ms);
  w.key("cpu_total").f32(s.cpu_total_percent);
  w.key("cpu_per_core").begin_array();
  for (float p : s.cpu_core_percent) w.f32(p);
  w.end_array();
  w.key("mem_total").u64(s.mem.total_bytes);
  w.key("mem_used").u64(s.mem.used_bytes());
  w.key("swap_total").u64(s.mem.swap_total_bytes);
  w.key("swap_used").u64(s.mem.swap_used_bytes());
  w.key("hostname").str(s.hostname);
  double cpu_c;
  w.key("cpu_temp_c");
  if (agent->opts.temperature && metrics::cpu_temperature(s.sensors, &cpu_c)) w.f32(static_cast<float>(cpu_c));
  else w.null();
  w.key("disks").begin_array().end_array();
  w.key("networks").begin_array();
  for (const metrics::NetDev& n : s.net) {
    w.begin_object();
    w.key("name").str(n.name);
    w.key("received").u64(n.rx_bytes);
    w.key("transmitted").u64(n.tx_bytes);
    w.end_object();
  }
  w.end_array();
  w.key("top_processes").begin_array().end_array();
  w.key("gpus");
  if (s.gpus.empty() || !agent->opts.gpu) {
    w.null();
  } else {
    w.begin_array();
    for (const metrics::Gpu& g : s.gpus) {
      w.begin_object();
      w.key("name").str(g.name);
      w.key("utilization_gpu_pct").u64(g.busy_percent > 100 ? 100 : g.busy_percent);
      w.key("mem_used_bytes").u64(g.vram_used_bytes);
      w.key("mem_total_bytes").u64(g.vram_total_bytes);
      w.key("vendor").str(g.vendor);
      w.key("temp_c");
      if (g.has_temp) w.f32(static_cast<float>(g.temp_c)); else w.null();
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

void socktop_disks_json(Agent* agent, std::string* out) {
  const std::vector<metrics::BlockDisk>& disks = agent->sampler.disk_list(agent->loop.now_ms());
  JsonWriter w(out);
  w.begin_array();
  for (const metrics::BlockDisk& d : disks) {
    w.begin_object();
    w.key("name").str(d.name);
    w.key("total").u64(d.total_bytes);
    w.key("available").u64(d.available_bytes);
    w.key("temperature");
    if (d.has_temperature) w.f32(static_cast<float>(d.temperature_c)); else w.null();
    w.key("is_partition").boolean(d.is_partition);
    w.end_object();
  }
  w.end_array();
}

void socktop_processes_protobuf(Agent* agent, std::string* out) {
  const metrics::ProcessList& list = agent->sampler.processes(agent->loop.now_ms());
  ProtoWriter w(out);
  w.varint_field(1, list.rows.size());
  std::string name;
  for (const metrics::Process& p : list.rows) {
    size_t mark = w.begin_message(2);
    // proto3 leaves default values out; so does upstream.
    if (p.pid) w.varint_field(1, p.pid);
    name.clear();
    utf8_sanitize(p.name, &name);  // the Rust decoder rejects the whole message otherwise
    if (!name.empty()) w.bytes_field(2, name);
    if (p.cpu_percent != 0) w.fixed32_float_field(3, p.cpu_percent);
    if (p.rss_bytes) w.varint_field(4, p.rss_bytes);
    w.end_message(mark);
  }
}

void socktop_services_json(Agent* agent, std::string* out) {
  const metrics::ServiceList& list = agent->sampler.services(agent->loop.now_ms());
  JsonWriter w(out);
  w.begin_object();
  w.key("manager").str(metrics::service_manager_name(list.manager));
  w.key("services").begin_array();
  for (const metrics::Service& s : list.services)
    w.begin_object().key("name").str(s.name).key("state").str(metrics::service_state_name(s.state))
        .key("enabled").boolean(s.enabled).end_object();
  w.end_array();
  w.end_object();
}

static void error_object(const char* request, uint32_t pid, const std::string& message,
                         std::string* out) {
  JsonWriter w(out);
  w.begin_object();
  w.key("error").str(message);
  w.key("request").str(request);
  w.key("pid").u64(pid);
  w.end_object();
}

void socktop_handle_message(Agent* agent, Client* client, uint8_t opcode,
                            std::string_view payload) {
  if (opcode != kWsText) return;  // Binary input: ignored, no reply (§2)
  SocktopRequest req = socktop_parse_request(payload);
  std::string body;
  switch (req.kind) {
    case SocktopRequest::kInvalid:
      return;
    case SocktopRequest::kMetrics: {
      SocktopMetricsCache& cache = agent->socktop_metrics;
      agent->sampler.system(agent->loop.now_ms());  // refreshes the sample if it is stale
      if (cache.json.empty() || cache.sample != agent->sampler.samples_taken()) {
        cache.json.clear();
        cache.gzip.clear();
        socktop_metrics_json(agent, &cache.json);
        cache.sample = agent->sampler.samples_taken();
        agent->stats.socktop_metrics_encodings++;
      }
      if (req.json_form || cache.json.size() <= kSocktopCompressAbove)
        return client->ws_send(kWsText, cache.json);
      if (cache.gzip.empty()) gzip_compress(cache.json, &cache.gzip);
      return client->ws_send(kWsBinary, cache.gzip);
    }
    case SocktopRequest::kDisks:
      socktop_disks_json(agent, &body);
      return send_json(client, body, req.json_form);
    case SocktopRequest::kProcesses: {
      socktop_processes_protobuf(agent, &body);
      if (body.size() <= kSocktopCompressAbove) return client->ws_send(kWsBinary, body);
      std::string gz;
      gzip_compress(body, &gz);
      return client->ws_send(kWsBinary, gz);
    }
    case SocktopRequest::kProcessMetrics:
      if (!socktop_process_metrics_json(agent, req.pid, &body)) {
        body.clear();
        error_object("get_process_metrics", req.pid,
                     "Process " + std::to_string(req.pid) + " not found", &body);
      }
      return send_json(client, body, req.json_form);
    case SocktopRequest::kServices:
      socktop_services_json(agent, &body);
      return send_json(client, body, req.json_form);
    case SocktopRequest::kJournalEntries:
      // statd targets OpenRC/BusyBox hosts: no systemd journal to read.
      error_object("get_journal_entries", req.pid,
                   "Failed to execute journalctl: this agent does not read the systemd journal",
                   &body);
      return send_json(client, body, req.json_form);
  }
}
