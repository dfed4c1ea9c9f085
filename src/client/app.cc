#include "client/app.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "client/gotop_config.h"
#include "net/url.h"

App::App(const StatcOptions& opts) : opts_(opts) {}

App::~App() {
  sources_.clear();  // before the hosts they point at
}

bool App::add_source(const std::string& text, const std::string& label, uint32_t interval_ms) {
  Url url;
  std::string err;
  if (!url_parse(text, &url, &err)) {
    fprintf(stderr, "statc: %s: %s\n", text.c_str(), err.c_str());
    return false;
  }
  // A URL without a path means the usual endpoint of its protocol.
  if (url.path_and_query == "/" && (url.scheme == "ws" || url.scheme == "wss")) url.path_and_query = "/ws";
  if (url.path_and_query == "/" && (url.scheme == "http" || url.scheme == "https")) url.path_and_query = "/metrics";
  std::string address = url_redacted(url);
  // The default label is short: what a user typed for a bare HOST[:PORT].
  std::string short_name = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  short_name += ":" + std::to_string(url.port);
  auto host = std::make_unique<Host>(label.empty() ? short_name : label, address, url.scheme);
  host->state_since_ms = loop.now_ms();
  SourceOptions so;
#if STATD_TLS
  if (url_uses_tls(url) && !tls_ready_) {
    TlsClientOptions t;
    if (opts_.verify_hostname) {
      t.ca_file = opts_.tls_ca;
    } else {
      t.pin_cert_file = opts_.tls_ca;
      t.pin_sha256 = opts_.pins;
    }
    if (!tls_.init(t, &err)) {
      fprintf(stderr, "statc: %s: %s\n", address.c_str(), err.c_str());
      return false;
    }
    tls_ready_ = true;
  }
  if (tls_ready_) so.tls = &tls_;
#endif
  so.interval_ms = interval_ms;
  so.timeout_ms = opts_.timeout_ms;
  so.token = opts_.token;
  std::unique_ptr<Source> source = source_create(&loop, host.get(), url, so, &err);
  if (!source) {
    fprintf(stderr, "statc: %s: %s\n", address.c_str(), err.c_str());
    return false;
  }
  hosts_.push_back(std::move(host));
  sources_.push_back(std::move(source));
  return true;
}

static bool read_small_file(const std::string& path, std::string* out, std::string* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) {
    *err = strerror(errno);
    return false;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 && out->size() < (1u << 20)) out->append(buf, n);
  fclose(f);
  return true;
}

bool App::setup() {
  if (!opts_.gotop_config.empty()) {
    std::string text, err;
    GotopConfig config;
    if (!read_small_file(opts_.gotop_config, &text, &err) ||
        !gotop_config_parse(text, &config, &err)) {
      fprintf(stderr, "statc: %s: %s\n", opts_.gotop_config.c_str(), err.c_str());
      return false;
    }
    for (const GotopConfigEntry& e : config.other)
      fprintf(stderr, "statc: %s:%zu: unknown key '%s' ignored\n", opts_.gotop_config.c_str(),
              e.line, e.key.c_str());
    // gotop's NAME labels the host, as gotop labels its series NAME-CPU0.
    for (const RemoteSpec& r : config.remotes)
      if (!add_source(r.url, r.name, r.refresh_s * 1000)) return false;
  }
  for (const std::string& s : opts_.sources)
    if (!add_source(s, "", opts_.interval_ms)) return false;
  if (hosts_.empty()) {
    fprintf(stderr, "statc: %s has no remote-NAME-url lines and no SOURCE was given\n",
            opts_.gotop_config.c_str());
    return false;
  }
  for (auto& s : sources_) s->start();
  return true;
}

std::vector<const Host*> App::host_list() const {
  std::vector<const Host*> list;
  for (const auto& h : hosts_) list.push_back(h.get());
  return list;
}

// A snapshot needs metrics with CPU percentages (Prometheus needs two
// scrapes for those), and the lists the protocol offers.
bool App::host_ready(const Host& h) const {
  if (h.state == HostState::kDown || h.state == HostState::kUnauthorized) return true;
  if (h.fleet) return h.state == HostState::kLive && h.fleet_model.machine.received &&
                     h.fleet_model.unit.received;
  if (h.state != HostState::kLive || !h.last.has_cpu) return false;
  if (h.last.has_net && !h.has_rates) return false;  // rates need a second reading
  if (h.offers_lists) return h.has_processes && h.has_disks;
  return true;
}

bool App::wait_for_snapshot() {
  uint64_t deadline = clock_monotonic_ms() + opts_.timeout_ms + 2 * opts_.interval_ms + 1000;
  for (;;) {
    bool ready = true;
    for (const auto& h : hosts_) ready = ready && host_ready(*h);
    if (ready || clock_monotonic_ms() >= deadline) break;
    loop.run_once(100);
  }
  bool all_live = true;
  for (const auto& h : hosts_) {
    all_live = all_live && h->state == HostState::kLive;
    if (h->fleet && h->state == HostState::kLive && !host_ready(*h)) {
      fprintf(stderr, "statc: %s: no %s snapshot within the timeout\n", h->address.c_str(),
              h->fleet_model.machine.received ? "unit" : "machine");
      all_live = false;
    }
  }
  return all_live;
}

int App::run_json() {
  bool ok = wait_for_snapshot();
  std::string out;
  // One fleet feed: its tables are the document (statc ws://HOST/fleet --json).
  if (hosts_.size() == 1 && hosts_[0]->fleet) out = fleet_model_json(hosts_[0]->fleet_model) + "\n";
  else hosts_write_json(host_list(), loop.now_ms(), &out);
  fwrite(out.data(), 1, out.size(), stdout);
  fflush(stdout);
  return ok ? 0 : 1;
}
