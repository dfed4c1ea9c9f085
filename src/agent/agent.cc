#include "agent/agent.h"

#include <errno.h>
#include <unistd.h>

#include "agent/client.h"
#include "agent/fleet_setup.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"

static metrics::SamplerOptions sampler_options(const StatdOptions& o) {
  metrics::SamplerOptions s;
  s.root = o.root;
  s.metrics_ttl_ms = o.metrics_ttl_ms;
  s.disks_ttl_ms = o.disks_ttl_ms;
  s.processes_ttl_ms = o.processes_ttl_ms;
  s.gpu = o.gpu;
  s.temperature = o.temperature;
  return s;
}

static RtstatConfig rtstat_config(const StatdOptions& o) {
  RtstatConfig c;
  c.token = o.token;
  c.max_clients = o.rtstat_max_clients;
  std::string err;
  rtstat_parse_plugins(o.rtstat_plugins, &c.plugins, &err);  // checked by the options
  // Only on the real root is our own pid in the process table.
  c.self_pid = o.root == "/" ? static_cast<uint32_t>(getpid()) : 0;
  return c;
}

static AddrLimitsConfig addr_limits_config(const StatdOptions& o) {
  AddrLimitsConfig c;
  c.max_unauthenticated = o.max_clients_per_address;
  c.auth_fail_limit = o.auth_fail_limit;
  c.lockout_ms = static_cast<uint64_t>(o.auth_lockout_s) * 1000;
  // Room for every connection plus as many addresses with failures only.
  c.capacity = static_cast<size_t>(o.max_clients) + 256;
  return c;
}

static std::vector<std::unique_ptr<PluginRunner>> plugin_runners(Loop* loop, const StatdOptions& o) {
  std::vector<std::unique_ptr<PluginRunner>> runners;
  for (const PluginSpec& p : o.plugins) runners.push_back(std::make_unique<PluginRunner>(loop, p.name, p.command));
  return runners;
}

// rt-stat pushes carry each command plugin's latest result under its name;
// a push that is due also asks for a new run (at most one per interval).
static void rtstat_plugin_results(void* agent, uint64_t now_ms, uint64_t interval_ms,
                                  std::vector<std::pair<std::string, std::string>>* out) {
  for (const std::unique_ptr<PluginRunner>& runner : static_cast<Agent*>(agent)->plugins) {
    runner->request(now_ms, interval_ms);
    if (runner->has_result()) out->emplace_back(runner->name(), runner->result_json());
  }
}

Agent::Agent(const StatdOptions& options)
    : opts(options), sampler(sampler_options(options)), addr_limits(addr_limits_config(options)),
      start_wall_ms(clock_wall_ms()),
      plugins(plugin_runners(&loop, options)),
      rtstat(&loop, &sampler, rtstat_config(options)) {
  if (!plugins.empty()) rtstat.set_command_source(rtstat_plugin_results, this);
  fleet.set_source(fleet_source_create(&loop, &fleet, options));
  // One sample at start: the baseline for gotop_net_* and for the first
  // CPU percentages, so the first client does not see zeros.
  const metrics::System& s = sampler.system(loop.now_ms());
  for (const metrics::NetDev& d : s.net) {
    net_rx_at_start += d.rx_bytes;
    net_tx_at_start += d.tx_bytes;
  }
}

Agent::~Agent() {
  for (Client* c : clients_) delete c;
}

// A listener's tag says what its connections speak; kTagTls is OR-ed in
// when they speak it inside TLS.
enum ListenerTag { kTagHttp = 0, kTagRtstat = 1, kTagFleet = 2 };
constexpr int kTagTls = 0x100;
static int tag_protocol(int tag) { return tag & ~kTagTls; }
static bool wants_tls(const StatdOptions& o) { return !o.tls_listen.empty() || o.tls || o.rtstat_tls; }

TlsServerOptions agent_tls_options(const StatdOptions& opts) {
  TlsServerOptions o;
  o.cert_file = opts.cert_file;
  o.key_file = opts.key_file;
  o.state_dir = tls_state_dir(opts);
  o.extra_sans = opts.tls_sans;
  return o;
}

bool Agent::setup_tls() {
  if (!wants_tls(opts)) return true;
#if STATD_TLS
  tls = std::make_unique<TlsServerContext>();
  std::string err;
  if (!tls->init(agent_tls_options(opts), &err)) {
    fprintf(stderr, "statd: TLS: %s\n", err.c_str());
    return false;
  }
  if (tls->generated()) log_info("generated a TLS certificate: %s", tls->cert_path().c_str());
  log_info("TLS certificate %s, SHA-256 %s", tls->cert_path().c_str(), tls->fingerprint_sha256().c_str());
  return true;
#else
  fprintf(stderr, "statd: --tls-listen, --tls, --rtstat-tls: this statd was built without TLS (make TLS=1)\n");
  return false;
#endif
}

// Opens one listener. An IPv6 wildcard that the host cannot open (no IPv6)
// is skipped when `ipv6_optional`: the default and --port ask for one.
// `option` prefixes errors ("--tls-listen: "), `kind` the log line ("TLS ").
Agent::OpenResult Agent::open_listener(const std::string& spec, int tag, const char* option,
                                       const char* kind, bool ipv6_optional) {
  auto l = std::make_unique<Listener>(&loop, this, tag);
  std::string err;
  if (!l->open(spec, &err)) {
    if (ipv6_optional && str_starts_with(spec, "[::]:") &&
        (l->last_errno() == EAFNOSUPPORT || l->last_errno() == EADDRNOTAVAIL))
      return OpenResult::kSkipped;
    fprintf(stderr, "statd: %s%s\n", option, err.c_str());
    return OpenResult::kFailed;
  }
  log_info("%slistening on %s", kind, l->address().c_str());
  OpenResult result = l->is_loopback() ? OpenResult::kLoopback : OpenResult::kExposed;
  listeners_.push_back(std::move(l));
  return result;
}

bool Agent::open_listeners() {
  std::vector<std::string> specs = statd_listen_addresses(opts);
  struct Group { const std::vector<std::string>* specs; int tag; const char* option; const char* kind; };
  const Group groups[] = {{&specs, kTagHttp | (opts.tls ? kTagTls : 0), "", opts.tls ? "TLS " : ""},
                          {&opts.rtstat_listen, kTagRtstat | (opts.rtstat_tls ? kTagTls : 0), "--rtstat-listen: ",
                           opts.rtstat_tls ? "rt-stat (raw TCP, TLS) " : "rt-stat (raw TCP) "},
                          {&opts.tls_listen, kTagHttp | kTagTls, "--tls-listen: ", "TLS "},
                          {&opts.fleet_listen, kTagFleet, "--fleet-listen: ", "fleet-monitor "}};
  bool exposed = false;
  for (const Group& g : groups) {
    for (const std::string& spec : *g.specs) {
      OpenResult r = open_listener(spec, g.tag, g.option, g.kind, g.specs == &specs);
      if (r == OpenResult::kFailed) return false;
      if (r == OpenResult::kExposed) exposed = true;
    }
  }
  if (exposed && opts.token.empty())
    log_warn("no token set and listening beyond loopback: anyone who can reach the port can read this host's metrics (see --token)");
  return true;
}

void Agent::on_accept(int fd, const sockaddr_storage& peer, int listener_tag) {
  // The cap is checked before any work is done for the connection.
  if (clients_.size() >= opts.max_clients) {
    stats.connections_refused++;
    close(fd);
    return;
  }
  // rt-stat's own cap (§4.2): a raw connection over it is closed silently.
  if (tag_protocol(listener_tag) == kTagRtstat && !rtstat.has_room()) {
    stats.connections_refused++;
    close(fd);
    return;
  }
  // Per-address cap (addr_limits.h): counts until the connection authenticates.
  AddrTicket ticket;
  if (!addr_limits.admit(addr_key_from_sockaddr(peer), loop.now_ms(), &ticket)) {
    close(fd);
    return;
  }
  stats.connections_accepted++;
  if (opts.verbose)
    log_info("connection from %s", sockaddr_host(reinterpret_cast<const sockaddr*>(&peer)).c_str());
  Client* client = new Client(this, fd);
  client->addr_ticket = ticket;
  clients_.push_back(client);
#if STATD_TLS
  // The handshake runs inside the transport; the request deadline bounds it.
  if (listener_tag & kTagTls) client->conn().set_transport(new TlsServerTransport(tls.get()));
#endif
  // After registering: the Welcome could fail and close (client_closed).
  if (tag_protocol(listener_tag) == kTagRtstat) client->start_rtstat_raw(listener_tag & kTagTls);
  if (tag_protocol(listener_tag) == kTagFleet) client->set_fleet_port();
}

void Agent::free_client(void* client) { delete static_cast<Client*>(client); }

uint64_t Agent::accept_pauses() const {
  uint64_t n = 0;
  for (const auto& l : listeners_) n += l->paused_count();
  return n;
}

void Agent::client_closed(Client* client) {
  for (size_t i = 0; i < clients_.size(); i++) {
    if (clients_[i] == client) {
      clients_[i] = clients_.back();
      clients_.pop_back();
      break;
    }
  }
  loop.defer(free_client, client);
}

void Agent::shutdown() {
  for (auto& l : listeners_) l->close();
  std::vector<Client*> all = clients_;
  for (Client* c : all) c->say_goodbye();
  uint64_t deadline = clock_monotonic_ms() + 1000;
  while (!clients_.empty() && clock_monotonic_ms() < deadline) loop.run_once(100);
  loop.run_once(0);  // frees the clients closed at once above (deferred)
}
