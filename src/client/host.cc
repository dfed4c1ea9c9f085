#include "client/host.h"

#include "codec/json_writer.h"

const char* host_state_name(HostState state) {
  switch (state) {
    case HostState::kConnecting: return "connecting";
    case HostState::kLive: return "live";
    case HostState::kDown: return "down";
    case HostState::kUnauthorized: return "unauthorized";
  }
  return "?";
}

void History::push(double v) {
  if (size_ < kCapacity) {
    values_[(start_ + size_++) % kCapacity] = v;
  } else {
    values_[start_] = v;
    start_ = (start_ + 1) % kCapacity;
  }
}

static uint64_t sum_rx(const std::vector<NetIface>& net) {
  uint64_t total = 0;
  for (const NetIface& n : net) total += n.rx_bytes;
  return total;
}

static uint64_t sum_tx(const std::vector<NetIface>& net) {
  uint64_t total = 0;
  for (const NetIface& n : net) total += n.tx_bytes;
  return total;
}

void Host::apply_sample(HostSample sample, uint64_t now_ms) {
  if (sample.has_mem && sample.mem_total_bytes)
    sample.mem_used_percent = 100.0 * sample.mem_used_bytes / sample.mem_total_bytes;
  if (sample.has_swap)
    sample.swap_used_percent =
        sample.swap_total_bytes ? 100.0 * sample.swap_used_bytes / sample.swap_total_bytes : 0;
  // Prefer the source's own clock for Δt (socktop 1.60's sampled_at_ms);
  // an unchanged timestamp means a cached reply: no new information.
  bool from_source = sample.sampled_at_ms != 0;
  uint64_t at_ms = from_source ? sample.sampled_at_ms : now_ms;
  bool comparable = updates > 0 && last.has_net && sample.has_net &&
                    from_source == previous_from_source_ && at_ms > previous_at_ms_;
  if (comparable) {
    double dt = (at_ms - previous_at_ms_) / 1000.0;
    uint64_t rx0 = sum_rx(last.net), rx1 = sum_rx(sample.net);
    uint64_t tx0 = sum_tx(last.net), tx1 = sum_tx(sample.net);
    // A counter that went down was reset (interface gone, reboot): restart.
    if (rx1 >= rx0 && tx1 >= tx0) {
      rx_bytes_per_s = (rx1 - rx0) / dt;
      tx_bytes_per_s = (tx1 - tx0) / dt;
      has_rates = true;
      rx_history.push(rx_bytes_per_s);
      tx_history.push(tx_bytes_per_s);
    }
  }
  bool repeated = updates > 0 && from_source && at_ms == previous_at_ms_;
  if (sample.has_cpu && !repeated) cpu_history.push(sample.cpu_total_percent);
  if (!repeated) {
    previous_at_ms_ = at_ms;
    previous_from_source_ = from_source;
  }
  last = std::move(sample);
  updates++;
  updated_ms = now_ms;
  if (state != HostState::kLive) set_state(HostState::kLive, now_ms);
}

void Host::set_state(HostState new_state, uint64_t now_ms, std::string why) {
  if (new_state != state) state_since_ms = now_ms;
  state = new_state;
  error = std::move(why);
}

static void write_optional_u64(JsonWriter& w, const char* key, bool has, uint64_t v) {
  w.key(key);
  if (has) w.u64(v); else w.null();
}

static void write_optional_f64(JsonWriter& w, const char* key, bool has, double v) {
  w.key(key);
  if (has) w.f64(v); else w.null();
}

static void write_host(JsonWriter& w, const Host& h, uint64_t now_ms) {
  const HostSample& s = h.last;
  w.begin_object();
  w.key("label").str(h.label);
  w.key("address").str(h.address);
  w.key("protocol").str(h.protocol);
  w.key("state").str(host_state_name(h.state));
  w.key("error");
  if (h.error.empty()) w.null(); else w.str(h.error);
  w.key("state_age_s").u64((now_ms - h.state_since_ms) / 1000);
  w.key("update_age_ms");
  if (h.updates) w.u64(now_ms - h.updated_ms); else w.null();
  w.key("hostname");
  if (s.hostname.empty()) w.null(); else w.str(s.hostname);
  write_optional_f64(w, "cpu_total_percent", s.has_cpu, s.cpu_total_percent);
  w.key("cpu_core_percent");
  if (s.has_cpu) {
    w.begin_array();
    for (double p : s.cpu_core_percent) w.f64(p);
    w.end_array();
  } else {
    w.null();
  }
  write_optional_u64(w, "mem_total_bytes", s.has_mem, s.mem_total_bytes);
  write_optional_u64(w, "mem_used_bytes", s.has_mem, s.mem_used_bytes);
  write_optional_u64(w, "swap_total_bytes", s.has_swap, s.swap_total_bytes);
  write_optional_u64(w, "swap_used_bytes", s.has_swap, s.swap_used_bytes);
  write_optional_f64(w, "mem_used_percent", s.mem_used_percent >= 0, s.mem_used_percent);
  write_optional_f64(w, "swap_used_percent", s.swap_used_percent >= 0, s.swap_used_percent);
  w.key("load");
  if (s.has_load) w.begin_array().f64(s.load1).f64(s.load5).f64(s.load15).end_array();
  else w.null();
  write_optional_f64(w, "uptime_s", s.has_uptime, s.uptime_s);
  write_optional_f64(w, "rx_bytes_per_s", h.has_rates, h.rx_bytes_per_s);
  write_optional_f64(w, "tx_bytes_per_s", h.has_rates, h.tx_bytes_per_s);
  w.key("networks");
  if (s.has_net) {
    w.begin_array();
    for (const NetIface& n : s.net)
      w.begin_object().key("name").str(n.name).key("rx_bytes").u64(n.rx_bytes)
          .key("tx_bytes").u64(n.tx_bytes).end_object();
    w.end_array();
  } else {
    w.null();
  }
  w.key("temperatures");
  if (s.has_temps) {
    w.begin_array();
    for (const TempReading& t : s.temps)
      w.begin_object().key("name").str(t.name).key("celsius").f64(t.celsius).end_object();
    w.end_array();
  } else {
    w.null();
  }
  w.key("disks");
  if (h.has_disks) {
    w.begin_array();
    for (const DiskRow& d : h.disks) {
      w.begin_object().key("name").str(d.name).key("total_bytes").u64(d.total_bytes)
          .key("available_bytes").u64(d.available_bytes);
      write_optional_f64(w, "temperature_c", d.has_temperature, d.temperature_c);
      w.key("is_partition").boolean(d.is_partition).end_object();
    }
    w.end_array();
  } else {
    w.null();
  }
  write_optional_u64(w, "process_count", h.has_processes, h.process_count);
  w.key("processes");
  if (h.has_processes) {
    w.begin_array();
    for (const ProcRow& p : h.processes)
      w.begin_object().key("pid").u64(p.pid).key("name").str(p.name)
          .key("cpu_percent").f32(p.cpu_percent).key("mem_bytes").u64(p.mem_bytes).end_object();
    w.end_array();
  } else {
    w.null();
  }
  w.end_object();
}

void hosts_write_json(const std::vector<const Host*>& hosts, uint64_t now_ms, std::string* out) {
  JsonWriter w(out);
  w.begin_object();
  w.key("hosts").begin_array();
  for (const Host* h : hosts) write_host(w, *h, now_ms);
  w.end_array();
  w.end_object();
  out->push_back('\n');
}
