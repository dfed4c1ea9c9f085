// The daemon's shared state: options, the loop, the sampler, counters.
// Every connection gets a pointer to the one Agent.
#pragma once

#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/addr_limits.h"
#include "agent/fleet.h"
#include "agent/options.h"
#include "agent/plugin_runner.h"
#include "agent/rtstat.h"
#include "agent/socktop.h"
#include "event/loop.h"
#include "metrics/sampler.h"
#include "net/listener.h"
#include "net/tls.h"

class Client;

/// The TLS server settings the options ask for (--cert, --key, --tls-dir, --tls-san).
TlsServerOptions agent_tls_options(const StatdOptions& opts);

/// Counters exported as statd_* self metrics.
struct AgentStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  ///< over --max-clients
  uint64_t http_requests = 0;
  uint64_t ws_messages = 0;
  uint64_t protocol_errors = 0;      ///< malformed HTTP or WebSocket input
  uint64_t auth_failures = 0;
  uint64_t socktop_metrics_encodings = 0;  ///< get_metrics replies built (not cached)
};

class Agent : public AcceptHandler {
 public:
  explicit Agent(const StatdOptions& opts);
  ~Agent();

  /// Loads or generates the TLS certificate when a TLS listener is wanted;
  /// false (with a message on stderr) when that fails or TLS is not built in.
  bool setup_tls();
  /// Opens every listener; false (with a message on stderr) if one fails.
  bool open_listeners();
  /// Stops accepting, says goodbye to WebSocket clients (close 1001) and
  /// returns once they are flushed or after a short grace period.
  void shutdown();

  void on_accept(int fd, const sockaddr_storage& peer, int listener_tag) override;
  /// Called by a Client when its connection is gone; frees it after this round.
  void client_closed(Client* client);

  Loop loop;
  StatdOptions opts;
  metrics::Sampler sampler;
  AgentStats stats;
  /// --max-clients-per-address and the failed-token lockouts.
  AddrLimits addr_limits;
  uint64_t start_wall_ms = 0;
  /// Interface byte counters summed at start (gotop_net_* count from here).
  uint64_t net_rx_at_start = 0, net_tx_at_start = 0;

#if STATD_TLS
  std::unique_ptr<TlsServerContext> tls;  ///< with --tls-listen only
#endif

  /// Reply buffers reused by every /metrics scrape (see Client::handle_metrics).
  std::string scratch_body, scratch_gzip;
  /// socktop's get_metrics reply, encoded once per sample (socktop.h).
  SocktopMetricsCache socktop_metrics;

  size_t client_count() const { return clients_.size(); }
  /// Times a listener stopped accepting for want of descriptors (net/listener.h).
  uint64_t accept_pauses() const;

  /// Command plugins (`plugin NAME = COMMAND`), in config order. Declared
  /// before rtstat, so they outlive it.
  std::vector<std::unique_ptr<PluginRunner>> plugins;

  /// rt-stat sessions, push timers and their client cap (raw and WebSocket).
  RtstatService rtstat;

  /// fleet-monitor's feed (/fleet, --fleet-listen) and its source.
  FleetService fleet;

 private:
  enum class OpenResult { kFailed, kSkipped, kLoopback, kExposed };
  OpenResult open_listener(const std::string& spec, int tag, const char* option, const char* kind,
                           bool ipv6_optional);
  static void free_client(void* client);

  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<Client*> clients_;
};
