// statd's settings: command line, config file (-c FILE, "key = value" lines
// named like the long options) and environment, from one option table so
// --help, the config keys and the man page cannot drift apart.
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

#include "agent/peer_spec.h"
#include "agent/plugin_spec.h"

struct StatdOptions {
  std::vector<std::string> listen;  ///< empty: see statd_listen_addresses()
  std::string root = "/";           ///< prefix for /proc and /sys (tests)
  std::string token;
  uint32_t max_clients = 64;
  uint32_t send_timeout_s = 30;     ///< drop a client whose replies stay unread
  // Per-address limits (agent/addr_limits.h); 0 turns each off.
  uint32_t max_clients_per_address = 16;  ///< unauthenticated connections
  uint32_t auth_fail_limit = 5;           ///< wrong tokens a minute before a lockout
  uint32_t auth_lockout_s = 10;           ///< the first lockout; doubles on repeat
  bool sandbox = false;                   ///< seccomp allow-list (agent/sandbox.h)
  uint32_t metrics_ttl_ms = 250, disks_ttl_ms = 1000, processes_ttl_ms = 1500;
  bool gpu = true, temperature = true;
  bool gotop_disks = false;            ///< gotop_disk_* (fails promtool lint)
  std::vector<std::string> exclude_metrics;  ///< family name prefixes to drop
  // TLS (a build with TLS=1): listeners, certificate, state directory.
  std::vector<std::string> tls_listen;
  bool tls = false;                    ///< the main (--listen) listeners speak TLS
  /// socktop_agent's TLS switch (--enableSSL, SOCKTOP_ENABLE_SSL=1): `tls`,
  /// and the default port becomes socktop's 8443.
  bool socktop_tls = false;
  bool rtstat_tls = false;             ///< the --rtstat-listen listeners speak TLS
  std::string cert_file, key_file;
  std::string tls_dir;                 ///< "" = the default (see tls_state_dir())
  std::vector<std::string> tls_sans;
  bool print_cert = false;
  bool verbose = false;
  bool quiet = false;
  // Running as a service (src/agent/daemon.h): -d, --pidfile, --syslog, --user.
  bool daemon = false;
  std::string pidfile;
  bool syslog = false;
  std::string user;                    ///< "" = stay who we are
  /// `plugin NAME = COMMAND` lines and --plugin NAME=COMMAND, in order.
  std::vector<PluginSpec> plugins;
  // rt-stat (../shared/spec/rtstat.md): raw TCP listeners (none by default;
  // WebSocket rides on the HTTP port), its own client cap (0: unlimited)
  // and the push keys, validated by rtstat_parse_plugins.
  std::vector<std::string> rtstat_listen;
  uint32_t rtstat_max_clients = 10;
  std::string rtstat_plugins = "cpu_stat,meminfo,processes,uptime";
  // fleet-monitor (../shared/spec/fleet.md): standalone listeners, cadences
  // and fleetctl as the table source (agent/fleet.h).
  std::vector<std::string> fleet_listen;
  uint32_t fleet_machine_interval_s = 10, fleet_unit_interval_s = 2;
  std::string fleetctl;                        ///< "": no fleetctl source
  std::string fleetctl_endpoint, fleetctl_tunnel;
  uint32_t fleetctl_endpoint_port = 4001, fleetctl_tunnel_port = 22;
  /// `peer NAME = URL` lines and --peer NAME=URL: the fleet aggregator's
  /// agents (agent/fleet_peer_poll.h), also listed by GET /sd.
  std::vector<PeerSpec> peers;
};

enum class OptionsResult { kRun, kExitOk, kExitError };

/// Fills *opts from the environment, then the config file named by -c (if
/// any), then the command line. Prints --help/--version/errors itself; a
/// bad option, key or value gives kExitError (exit status 2).
OptionsResult statd_parse_options(int argc, char** argv, StatdOptions* opts);

/// The main listeners: --listen/--port/SOCKTOP_PORT, else 0.0.0.0 and [::]
/// on port 3000, or on 8443 under socktop's TLS switch.
std::vector<std::string> statd_listen_addresses(const StatdOptions& opts);

/// Where a generated certificate lives: --tls-dir, else /var/lib/statd/tls
/// for root, else $XDG_CONFIG_HOME/statd/tls (~/.config/statd/tls).
std::string tls_state_dir(const StatdOptions& opts);
std::string tls_state_dir(const StatdOptions& opts, bool as_root);  ///< the same, for tests

/// The --help text (also checked against the man page by the tests).
void statd_print_help(FILE* out);
