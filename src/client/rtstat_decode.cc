#include "client/rtstat_decode.h"

#include <stdlib.h>

#include "base/str.h"
#include "codec/json_reader.h"

bool rtstat_parse_uptime(std::string_view text, double* seconds) {
  text = str_trim(text);
  uint64_t days = 0, hours = 0, minutes = 0;
  size_t day = text.find(" day");
  if (day != std::string_view::npos) {
    if (!str_to_u64(text.substr(0, day), &days)) return false;
    size_t comma = text.find(',', day);
    if (comma == std::string_view::npos) return false;
    text = str_trim(text.substr(comma + 1));
  }
  if (text.size() > 4 && text.substr(text.size() - 4) == " min") {
    if (!str_to_u64(str_trim(text.substr(0, text.size() - 4)), &minutes)) return false;
  } else if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    if (!str_to_u64(str_trim(text.substr(0, colon)), &hours) ||
        !str_to_u64(text.substr(colon + 1), &minutes))
      return false;
  } else if (!text.empty() || day == std::string_view::npos) {
    return false;
  }
  *seconds = static_cast<double>(((days * 24 + hours) * 60 + minutes) * 60);
  return true;
}

static bool number_string(const JsonValue* v, double* out) {
  std::string_view s;
  return v && v->as_string(&s) && str_to_double(s, out);
}

bool rtstat_decode_push(std::string_view json, HostSample* out, uint64_t* process_count,
                        bool* has_process_count, std::string* err) {
  JsonValue v;
  std::string why;
  if (!json_parse(json, &v, &why) || !v.is_object()) {
    *err = "push is not a JSON object" + (why.empty() ? "" : ": " + why);
    return false;
  }
  HostSample s;
  if (const JsonValue* cpu = v.get("cpu_stat"); cpu && cpu->is_object()) {
    double sum = 0;
    for (const auto& member : cpu->members) {
      double usage;
      const JsonValue* u = member.second.get("usage");
      if (!u || !u->as_double(&usage)) continue;
      s.cpu_core_percent.push_back(usage * 100);
      sum += usage * 100;
    }
    if (!s.cpu_core_percent.empty()) {
      s.has_cpu = true;
      s.cpu_total_percent = sum / s.cpu_core_percent.size();
    }
  }
  // meminfo is required by rt-stat's own page; so here.
  const JsonValue* mem = v.get("meminfo");
  const JsonValue* memory = mem ? mem->get("memory") : nullptr;
  uint64_t total_kb, apps_kb;
  if (!memory || !memory->get("total") || !memory->get("total")->as_u64(&total_kb) ||
      !memory->get("apps") || !memory->get("apps")->as_u64(&apps_kb)) {
    *err = "push without meminfo.memory.total/apps";
    return false;
  }
  s.has_mem = true;
  s.mem_total_bytes = total_kb * 1024;
  s.mem_used_bytes = apps_kb * 1024;  // what applications hold, like MemTotal - MemAvailable
  if (const JsonValue* swap = mem->get("swap")) {
    uint64_t t, u;
    if (swap->get("total") && swap->get("total")->as_u64(&t) && swap->get("used") &&
        swap->get("used")->as_u64(&u)) {
      s.has_swap = true;
      s.swap_total_bytes = t * 1024;
      s.swap_used_bytes = u * 1024;
    }
  }
  if (const JsonValue* up = v.get("uptime")) {
    s.has_load = number_string(up->get("la1"), &s.load1) && number_string(up->get("la5"), &s.load5) &&
                 number_string(up->get("la15"), &s.load15);
    std::string_view text;
    if (const JsonValue* u = up->get("uptime"); u && u->as_string(&text))
      s.has_uptime = rtstat_parse_uptime(text, &s.uptime_s);
  }
  *has_process_count = false;
  if (const JsonValue* p = v.get("processes"); p && p->get("all") && p->get("all")->as_u64(process_count))
    *has_process_count = true;
  *out = std::move(s);
  return true;
}
