#include "agent/rtstat_push.h"

#include <math.h>
#include <stdio.h>

#include <algorithm>

#include "base/str.h"
#include "codec/json_writer.h"
#include "metrics/sensors.h"

namespace {

struct PluginName {
  const char* name;
  RtstatPlugin plugin;
};

const PluginName kPluginNames[] = {
  {"cpu_stat", RtstatPlugin::kCpuStat},
  {"meminfo", RtstatPlugin::kMeminfo},
  {"processes", RtstatPlugin::kProcesses},
  {"uptime", RtstatPlugin::kUptime},
  {"network", RtstatPlugin::kNetwork},
  {"filesystems", RtstatPlugin::kFilesystems},
  {"temperatures", RtstatPlugin::kTemperatures},
  {"top_processes", RtstatPlugin::kTopProcesses},
  {"hostname", RtstatPlugin::kHostname},
};

bool is_builtin(RtstatPlugin p) { return p <= RtstatPlugin::kUptime; }

uint64_t delta(uint64_t after, uint64_t before) { return after > before ? after - before : 0; }

// Keys and strings that are fixed ASCII in this file need no escaping.
void key(std::string* out, const char* name) {
  out->push_back('"');
  out->append(name);
  out->append("\":");
}

void key_u64(std::string* out, const char* name, uint64_t v) {
  key(out, name);
  str_append_u64(out, v);
}

void key_i64(std::string* out, const char* name, int64_t v) {
  key(out, name);
  if (v < 0) {
    out->push_back('-');
    str_append_u64(out, static_cast<uint64_t>(-(v + 1)) + 1);
  } else {
    str_append_u64(out, static_cast<uint64_t>(v));
  }
}

void comma_unless_first(std::string* out, bool* first) {
  if (!*first) out->push_back(',');
  *first = false;
}

void write_cpu_stat(const metrics::CpuStat& cpu, const RtstatBaseline& base, std::string* out) {
  out->push_back('{');
  for (size_t i = 0; i < cpu.cores.size(); i++) {
    const metrics::CpuTimes& now = cpu.cores[i];
    uint32_t id = i < cpu.core_ids.size() ? cpu.core_ids[i] : static_cast<uint32_t>(i);
    // Match by id: an offlined CPU leaves a gap. A core without a baseline
    // (it came online since) is measured since boot.
    metrics::CpuTimes before;
    for (size_t j = 0; j < base.core_ids.size() && j < base.cores.size(); j++) {
      if (base.core_ids[j] == id) {
        before = base.cores[j];
        break;
      }
    }
    uint64_t user = delta(now.user, before.user), nice = delta(now.nice, before.nice),
             system = delta(now.system, before.system), idle = delta(now.idle, before.idle),
             iowait = delta(now.iowait, before.iowait), irq = delta(now.irq, before.irq),
             softirq = delta(now.softirq, before.softirq);
    uint64_t total = user + nice + system + idle + iowait + irq + softirq;
    if (i) out->push_back(',');
    out->append("\"cpu");
    str_append_u64(out, id);
    out->append("\":{\"usage\":");
    rtstat_append_fraction(total - idle, total, out);
    out->append(",\"user\":");
    rtstat_append_fraction(user + nice, total, out);
    out->append(",\"system\":");
    rtstat_append_fraction(system + irq + softirq, total, out);
    // Upstream counts irq and softirq again here; the browser's bars expect it.
    out->append(",\"iowait\":");
    rtstat_append_fraction(iowait + irq + softirq, total, out);
    out->push_back('}');
  }
  out->push_back('}');
}

void write_meminfo(const metrics::MemInfo& m, std::string* out) {
  auto kb = [](uint64_t bytes) { return static_cast<int64_t>(bytes / 1024); };
  int64_t total = kb(m.total_bytes), free = kb(m.free_bytes), buffers = kb(m.buffers_bytes),
          cached = kb(m.cached_bytes), swap_cached = kb(m.swap_cached_bytes);
  int64_t swap_total = kb(m.swap_total_bytes), swap_free = kb(m.swap_free_bytes);
  out->append("{\"memory\":{");
  key_i64(out, "total", total);
  out->push_back(',');
  key_i64(out, "used", total - free);
  out->push_back(',');
  key_i64(out, "free", free);
  out->push_back(',');
  key_i64(out, "apps", total - (free + buffers + cached + swap_cached));
  out->push_back(',');
  key_i64(out, "buffers", buffers);
  out->push_back(',');
  key_i64(out, "cached", cached);
  out->push_back(',');
  key_i64(out, "swapCached", swap_cached);
  out->append("},\"swap\":{");
  key_i64(out, "total", swap_total);
  out->push_back(',');
  key_i64(out, "used", swap_total - swap_free);
  out->push_back(',');
  key_i64(out, "free", swap_free);
  out->append("}}");
}

void write_processes(const metrics::ProcessList& list, uint32_t self_pid, std::string* out) {
  uint64_t running = 0, sleep = 0, stopped = 0, zombie = 0;
  for (const metrics::Process& p : list.rows) {
    // Upstream subtracted its own `ps` from R; statd is asleep in epoll_wait()
    // between pushes, so it counts itself there.
    char state = p.pid == self_pid ? 'S' : p.state;
    switch (state) {
      case 'R': running++; break;
      case 'S': case 'D': sleep++; break;
      case 'T': stopped++; break;
      case 'Z': zombie++; break;
      default: break;  // I (idle kernel threads), t, X...: no bucket upstream
    }
  }
  out->push_back('{');
  key_u64(out, "all", running + sleep + stopped + zombie);
  out->push_back(',');
  key_u64(out, "running", running);
  out->push_back(',');
  key_u64(out, "sleep", sleep);
  out->push_back(',');
  key_u64(out, "stopped", stopped);
  out->push_back(',');
  key_u64(out, "zombie", zombie);
  out->push_back('}');
}

void write_uptime(const metrics::System& s, const std::string& clock, std::string* out) {
  out->push_back('{');
  key(out, "time");
  rtstat_append_json_string(clock, out);
  out->push_back(',');
  key(out, "uptime");
  rtstat_append_json_string(rtstat_uptime_text(s.uptime_s), out);
  out->append(",\"users\":\"");
  str_append_u64(out, s.users);
  out->push_back('"');
  const double loads[3] = {s.load.load1, s.load.load5, s.load.load15};
  const char* names[3] = {"la1", "la5", "la15"};
  for (int i = 0; i < 3; i++) {
    out->push_back(',');
    key(out, names[i]);
    str_appendf(out, "\"%.2f\"", isfinite(loads[i]) ? loads[i] : 0.0);
  }
  out->push_back('}');
}

void write_network(const metrics::System& s, uint64_t now_ms, const RtstatBaseline& base,
                   std::string* out) {
  uint64_t elapsed_ms = delta(now_ms, base.net_at_ms);
  auto per_second = [elapsed_ms](uint64_t bytes) {
    return elapsed_ms ? (bytes * 1000 + elapsed_ms / 2) / elapsed_ms : 0;
  };
  out->push_back('{');
  bool first = true;
  for (const metrics::NetDev& d : s.net) {
    uint64_t rx = 0, tx = 0;
    for (const RtstatBaseline::Net& b : base.net) {
      if (b.name != d.name) continue;
      rx = per_second(delta(d.rx_bytes, b.rx_bytes));
      tx = per_second(delta(d.tx_bytes, b.tx_bytes));
      break;
    }
    comma_unless_first(out, &first);
    rtstat_append_json_string(d.name, out);
    out->append(":{");
    key_u64(out, "rx", rx);
    out->push_back(',');
    key_u64(out, "tx", tx);
    out->push_back('}');
  }
  out->push_back('}');
}

void write_filesystems(const std::vector<metrics::Filesystem>& list, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const metrics::Filesystem& fs : list) {
    if (fs.device_error) continue;  // statvfs failed: no sizes to show
    comma_unless_first(out, &first);
    out->push_back('{');
    key(out, "mountpoint");
    rtstat_append_json_string(fs.mountpoint, out);
    out->push_back(',');
    key_u64(out, "size", fs.size_bytes / 1024);
    out->push_back(',');
    key_u64(out, "used", delta(fs.size_bytes, fs.free_bytes) / 1024);
    out->push_back(',');
    key_u64(out, "avail", fs.avail_bytes / 1024);
    out->push_back('}');
  }
  out->push_back(']');
}

void write_temperatures(const metrics::Sensors& sensors, std::string* out) {
  std::vector<metrics::GotopTemp> temps;
  metrics::gotop_temperatures(sensors, &temps);
  out->push_back('{');
  bool first = true;
  for (const metrics::GotopTemp& t : temps) {
    comma_unless_first(out, &first);
    rtstat_append_json_string(t.name, out);
    out->push_back(':');
    rtstat_append_number(t.celsius, out);
  }
  out->push_back('}');
}

constexpr size_t kTopProcesses = 5;

void write_top_processes(const metrics::ProcessList& list, std::string* out) {
  std::vector<const metrics::Process*> rows;
  rows.reserve(list.rows.size());
  for (const metrics::Process& p : list.rows) rows.push_back(&p);
  size_t n = std::min(kTopProcesses, rows.size());
  // Highest CPU first; ties by pid so the order is stable.
  std::partial_sort(rows.begin(), rows.begin() + n, rows.end(),
                    [](const metrics::Process* a, const metrics::Process* b) {
                      if (a->cpu_percent != b->cpu_percent) return a->cpu_percent > b->cpu_percent;
                      return a->pid < b->pid;
                    });
  out->push_back('[');
  for (size_t i = 0; i < n; i++) {
    if (i) out->push_back(',');
    out->push_back('{');
    key_u64(out, "pid", rows[i]->pid);
    out->push_back(',');
    key(out, "name");
    rtstat_append_json_string(rows[i]->name, out);
    out->push_back(',');
    key(out, "cpu");
    rtstat_append_number(round(static_cast<double>(rows[i]->cpu_percent) * 100) / 100, out);
    out->push_back('}');
  }
  out->push_back(']');
}

}  // namespace

bool rtstat_parse_plugins(std::string_view list, std::vector<RtstatPlugin>* out,
                          std::string* err) {
  std::vector<RtstatPlugin> extras;
  bool builtin[4] = {false, false, false, false};
  while (true) {
    size_t comma = list.find(',');
    std::string_view item = str_trim(list.substr(0, comma));
    if (!item.empty()) {
      const PluginName* found = nullptr;
      for (const PluginName& p : kPluginNames)
        if (item == p.name) found = &p;
      if (!found) {
        *err = "unknown rt-stat plugin '" + std::string(item) + "' (known:";
        for (const PluginName& p : kPluginNames) *err += std::string(" ") + p.name;
        *err += ")";
        return false;
      }
      if (is_builtin(found->plugin)) {
        builtin[static_cast<int>(found->plugin)] = true;
      } else if (std::find(extras.begin(), extras.end(), found->plugin) == extras.end()) {
        extras.push_back(found->plugin);
      }
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  out->clear();
  for (int i = 0; i < 4; i++)
    if (builtin[i]) out->push_back(static_cast<RtstatPlugin>(i));
  out->insert(out->end(), extras.begin(), extras.end());
  return true;
}

void rtstat_take_baseline(const metrics::System& system, uint64_t now_ms, RtstatBaseline* out) {
  out->cores = system.cpu.cores;
  out->core_ids = system.cpu.core_ids;
  out->net.resize(system.net.size());
  for (size_t i = 0; i < system.net.size(); i++) {
    out->net[i].name = system.net[i].name;
    out->net[i].rx_bytes = system.net[i].rx_bytes;
    out->net[i].tx_bytes = system.net[i].tx_bytes;
  }
  out->net_at_ms = now_ms;
}

void rtstat_push_json(const RtstatPushInput& in, const std::vector<RtstatPlugin>& plugins,
                      RtstatBaseline* baseline, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (RtstatPlugin p : plugins) {
    bool needs_processes = p == RtstatPlugin::kProcesses || p == RtstatPlugin::kTopProcesses;
    if (!in.system || (needs_processes && !in.processes) ||
        (p == RtstatPlugin::kFilesystems && !in.filesystems))
      continue;
    comma_unless_first(out, &first);
    const metrics::System& s = *in.system;
    switch (p) {
      case RtstatPlugin::kCpuStat:
        key(out, "cpu_stat");
        write_cpu_stat(s.cpu, *baseline, out);
        break;
      case RtstatPlugin::kMeminfo:
        key(out, "meminfo");
        write_meminfo(s.mem, out);
        break;
      case RtstatPlugin::kProcesses:
        key(out, "processes");
        write_processes(*in.processes, in.self_pid, out);
        break;
      case RtstatPlugin::kUptime:
        key(out, "uptime");
        write_uptime(s, in.clock, out);
        break;
      case RtstatPlugin::kNetwork:
        key(out, "network");
        write_network(s, in.now_ms, *baseline, out);
        break;
      case RtstatPlugin::kFilesystems:
        key(out, "filesystems");
        write_filesystems(*in.filesystems, out);
        break;
      case RtstatPlugin::kTemperatures:
        key(out, "temperatures");
        write_temperatures(s.sensors, out);
        break;
      case RtstatPlugin::kTopProcesses:
        key(out, "top_processes");
        write_top_processes(*in.processes, out);
        break;
      case RtstatPlugin::kHostname:
        key(out, "hostname");
        rtstat_append_json_string(s.hostname, out);
        break;
    }
  }
  for (const auto& command : in.commands) {
    comma_unless_first(out, &first);
    rtstat_append_json_string(command.first, out);
    out->push_back(':');
    out->append(rtstat_protect_colons(command.second));
  }
  out->push_back('}');
  if (in.system) rtstat_take_baseline(*in.system, in.now_ms, baseline);
}

void rtstat_append_fraction(uint64_t num, uint64_t total, std::string* out) {
  if (total == 0 || num == 0) {
    out->push_back('0');
    return;
  }
  if (num > total) num = total;
  // r = floor((200·num + total) / (2·total)) is round(100·num/total) with
  // halves going up, exactly, without floating point. Jiffy deltas are small,
  // but a first push after a long uptime is not: above UINT64_MAX/201 both
  // are halved until 200·num + total fits (no __int128 on 32-bit targets;
  // the ratio moves by far less than a hundredth).
  while (total > UINT64_MAX / 201) {
    num >>= 1;
    total >>= 1;
  }
  uint64_t r = (num * 200 + total) / (total * 2);
  unsigned hundredths = static_cast<unsigned>(r);
  if (hundredths >= 100) {
    out->push_back('1');
    return;
  }
  if (hundredths == 0) {
    out->push_back('0');
    return;
  }
  out->append("0.");
  out->push_back(static_cast<char>('0' + hundredths / 10));
  if (hundredths % 10) out->push_back(static_cast<char>('0' + hundredths % 10));
}

std::string rtstat_uptime_text(double uptime_s) {
  uint64_t secs = uptime_s > 0 && isfinite(uptime_s) ? static_cast<uint64_t>(uptime_s) : 0;
  uint64_t days = secs / 86400, hours = secs / 3600 % 24, minutes = secs / 60 % 60;
  std::string text;
  // procps: "%d day%s, " then "%2d:%02d" or "%d min"; the regex capture is
  // trimmed, which removes the pad of a one-digit hour only at the start.
  if (days) str_appendf(&text, "%llu day%s, ", static_cast<unsigned long long>(days), days != 1 ? "s" : "");
  if (hours) {
    str_appendf(&text, "%2u:%02u", static_cast<unsigned>(hours), static_cast<unsigned>(minutes));
  } else {
    str_appendf(&text, "%u min", static_cast<unsigned>(minutes));
  }
  return std::string(str_trim(text));
}

std::string rtstat_clock_text(const struct tm& local) {
  char buf[16];
  snprintf(buf, sizeof buf, "%02d:%02d:%02d", local.tm_hour % 100, local.tm_min % 100,
           local.tm_sec % 100);
  return buf;
}

std::string rtstat_protect_colons(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); i++) {
    bool next_to_colon = (i > 0 && json[i - 1] == ':') || (i + 1 < json.size() && json[i + 1] == ':');
    if (json[i] == ':' && next_to_colon) out.append("\\u003a");
    else out.push_back(json[i]);
  }
  return out;
}

void rtstat_append_json_string(std::string_view s, std::string* out) {
  if (s.find("::") == std::string_view::npos) {
    json_quote(s, out);
    return;
  }
  std::string quoted;
  json_quote(s, &quoted);
  out->append(rtstat_protect_colons(quoted));
}

void rtstat_append_number(double v, std::string* out) {
  std::string text;
  json_format_f64(v, &text);
  // serde-style "38.0" is PHP's "38".
  if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  out->append(text);
}
