#include "client/socktop_decode.h"

#include "codec/gzip.h"
#include "codec/json_reader.h"
#include "codec/protobuf.h"
#include "codec/utf8.h"

bool socktop_reply_bytes(bool binary, std::string_view payload, std::string* out,
                         std::string* err) {
  out->clear();
  if (binary && gzip_looks_compressed(payload))
    return gzip_decompress(payload, out, kSocktopMaxReplyBytes, err);
  out->assign(payload);
  return true;
}

namespace {

bool need(const JsonValue& obj, const char* key, const JsonValue** out, std::string* err) {
  *out = obj.get(key);
  if (!*out) {
    *err = std::string("missing key '") + key + "'";
    return false;
  }
  return true;
}

bool number(const JsonValue& obj, const char* key, double* out, std::string* err) {
  const JsonValue* v;
  if (!need(obj, key, &v, err)) return false;
  if (!v->as_double(out)) {
    *err = std::string("'") + key + "' is not a number";
    return false;
  }
  return true;
}

bool unsigned_int(const JsonValue& obj, const char* key, uint64_t* out, std::string* err) {
  const JsonValue* v;
  if (!need(obj, key, &v, err)) return false;
  if (!v->as_u64(out)) {
    *err = std::string("'") + key + "' is not an unsigned integer";
    return false;
  }
  return true;
}

bool text(const JsonValue& obj, const char* key, std::string* out, std::string* err) {
  const JsonValue* v;
  std::string_view s;
  if (!need(obj, key, &v, err)) return false;
  if (!v->as_string(&s)) {
    *err = std::string("'") + key + "' is not a string";
    return false;
  }
  *out = std::string(s);
  return true;
}

bool parse_json(std::string_view json, JsonValue* v, std::string* err) {
  std::string why;
  if (!json_parse(json, v, &why)) {
    *err = "invalid JSON: " + why;
    return false;
  }
  return true;
}

}  // namespace

bool socktop_decode_metrics(std::string_view json, HostSample* out, std::string* err) {
  JsonValue v;
  if (!parse_json(json, &v, err)) return false;
  if (!v.is_object()) {
    *err = "metrics reply is not an object";
    return false;
  }
  HostSample s;
  const JsonValue* cores;
  if (!number(v, "cpu_total", &s.cpu_total_percent, err) ||
      !need(v, "cpu_per_core", &cores, err) ||
      !unsigned_int(v, "mem_total", &s.mem_total_bytes, err) ||
      !unsigned_int(v, "mem_used", &s.mem_used_bytes, err) ||
      !unsigned_int(v, "swap_total", &s.swap_total_bytes, err) ||
      !unsigned_int(v, "swap_used", &s.swap_used_bytes, err) ||
      !text(v, "hostname", &s.hostname, err))
    return false;
  if (!cores->is_array()) {
    *err = "'cpu_per_core' is not an array";
    return false;
  }
  for (const JsonValue& c : cores->items) {
    double p;
    if (!c.as_double(&p)) {
      *err = "'cpu_per_core' holds a non-number";
      return false;
    }
    s.cpu_core_percent.push_back(p);
  }
  s.has_cpu = s.has_mem = s.has_swap = true;
  const JsonValue* nets;
  if (!need(v, "networks", &nets, err)) return false;
  if (!nets->is_array()) {
    *err = "'networks' is not an array";
    return false;
  }
  for (const JsonValue& n : nets->items) {
    NetIface iface;
    if (!n.is_object() || !text(n, "name", &iface.name, err) ||
        !unsigned_int(n, "received", &iface.rx_bytes, err) ||
        !unsigned_int(n, "transmitted", &iface.tx_bytes, err))
      return false;
    s.net.push_back(std::move(iface));
  }
  s.has_net = true;
  uint64_t at;
  if (const JsonValue* t = v.get("sampled_at_ms"); t && t->as_u64(&at)) s.sampled_at_ms = at;
  double temp;
  if (const JsonValue* t = v.get("cpu_temp_c"); t && t->as_double(&temp)) {
    s.temps.push_back({"CPU", temp});
    s.has_temps = true;
  }
  *out = std::move(s);
  return true;
}

bool socktop_decode_disks(std::string_view json, std::vector<DiskRow>* out, std::string* err) {
  JsonValue v;
  if (!parse_json(json, &v, err)) return false;
  if (!v.is_array()) {
    *err = "disks reply is not an array";
    return false;
  }
  out->clear();
  for (const JsonValue& d : v.items) {
    DiskRow row;
    if (!d.is_object() || !text(d, "name", &row.name, err) ||
        !unsigned_int(d, "total", &row.total_bytes, err) ||
        !unsigned_int(d, "available", &row.available_bytes, err))
      return false;
    // 1.50+ fields; older agents leave them out (client defaults: null/false).
    if (const JsonValue* t = d.get("temperature"); t && t->as_double(&row.temperature_c))
      row.has_temperature = true;
    if (const JsonValue* p = d.get("is_partition"); p && p->is_bool()) row.is_partition = p->boolean;
    out->push_back(std::move(row));
  }
  return true;
}

static bool decode_process_protobuf(std::string_view bytes, uint64_t* count,
                                    std::vector<ProcRow>* out) {
  ProtoReader r(bytes);
  uint32_t field, wire;
  bool error = false;
  *count = 0;
  out->clear();
  while (r.next(&field, &wire, &error)) {
    if (field == 1 && wire == kProtoVarint) {
      *count = r.varint();
    } else if (field == 2 && wire == kProtoLengthDelimited) {
      if (out->size() >= kSocktopMaxProcesses) return false;
      ProcRow row;
      ProtoReader pr(r.bytes());
      uint32_t f, w;
      bool perr = false;
      while (pr.next(&f, &w, &perr)) {
        if (f == 1 && w == kProtoVarint) row.pid = static_cast<uint32_t>(pr.varint());
        else if (f == 2 && w == kProtoLengthDelimited) row.name = std::string(pr.bytes());
        else if (f == 3 && w == kProtoFixed32) row.cpu_percent = pr.fixed32_float();
        else if (f == 4 && w == kProtoVarint) row.mem_bytes = pr.varint();
      }
      // proto3 strings must be UTF-8: the upstream decoder rejects the message.
      if (perr || !utf8_valid(row.name)) return false;
      out->push_back(std::move(row));
    }
  }
  return !error;
}

static bool decode_process_json(std::string_view json, uint64_t* count,
                                std::vector<ProcRow>* out, std::string* err) {
  JsonValue v;
  if (!parse_json(json, &v, err)) return false;
  const JsonValue* rows;
  if (!v.is_object() || !unsigned_int(v, "process_count", count, err) ||
      !need(v, "top_processes", &rows, err) || !rows->is_array())
    return false;
  out->clear();
  for (const JsonValue& p : rows->items) {
    ProcRow row;
    uint64_t pid;
    double cpu;
    if (!p.is_object() || !unsigned_int(p, "pid", &pid, err) || !text(p, "name", &row.name, err) ||
        !number(p, "cpu_usage", &cpu, err) || !unsigned_int(p, "mem_bytes", &row.mem_bytes, err))
      return false;
    row.pid = static_cast<uint32_t>(pid);
    row.cpu_percent = static_cast<float>(cpu);
    out->push_back(std::move(row));
  }
  return true;
}

bool socktop_decode_processes(std::string_view bytes, bool was_text, uint64_t* count,
                              std::vector<ProcRow>* out, std::string* err) {
  if (!was_text && decode_process_protobuf(bytes, count, out)) return true;
  if (decode_process_json(bytes, count, out, err)) return true;
  if (!was_text) *err = "processes reply is neither protobuf nor legacy JSON";
  return false;
}

bool socktop_decode_process_detail(std::string_view json, ProcDetail* out, std::string* err) {
  JsonValue v;
  if (!parse_json(json, &v, err)) return false;
  if (!v.is_object()) {
    *err = "process reply is not an object";
    return false;
  }
  ProcDetail d;
  std::string_view message;
  if (const JsonValue* e = v.get("error"); e && e->as_string(&message)) {
    d.error = std::string(message);
    *out = std::move(d);
    return true;
  }
  const JsonValue* p;
  if (!need(v, "process", &p, err) || !p->is_object()) return false;
  uint64_t pid, threads, uid;
  if (!unsigned_int(*p, "pid", &pid, err) || !text(*p, "name", &d.name, err) ||
      !text(*p, "command", &d.command, err) || !number(*p, "cpu_usage", &d.cpu_percent, err) ||
      !unsigned_int(*p, "mem_bytes", &d.mem_bytes, err) ||
      !unsigned_int(*p, "virtual_mem_bytes", &d.virtual_mem_bytes, err) ||
      !unsigned_int(*p, "thread_count", &threads, err) || !text(*p, "status", &d.status, err) ||
      !unsigned_int(*p, "user_id", &uid, err) || !unsigned_int(*p, "start_time", &d.start_time, err) ||
      !unsigned_int(*p, "cpu_time_user", &d.cpu_time_user_us, err) ||
      !unsigned_int(*p, "cpu_time_system", &d.cpu_time_system_us, err))
    return false;
  d.pid = static_cast<uint32_t>(pid);
  d.thread_count = static_cast<uint32_t>(threads);
  d.user_id = static_cast<uint32_t>(uid);
  uint64_t ppid;
  if (const JsonValue* pp = p->get("parent_pid"); pp && pp->as_u64(&ppid)) d.parent_pid = static_cast<uint32_t>(ppid);
  const JsonValue* rb = p->get("read_bytes");
  const JsonValue* wb = p->get("write_bytes");
  d.has_io = rb && wb && rb->as_u64(&d.read_bytes) && wb->as_u64(&d.write_bytes);
  if (const JsonValue* c = p->get("child_processes"); c && c->is_array()) d.children = c->items.size();
  *out = std::move(d);
  return true;
}
