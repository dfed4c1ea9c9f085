// statd's settings: command line, config file (-c FILE, "key = value" lines
// named like the long options) and environment, from one option table so
// --help, the config keys and the man page cannot drift apart.
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

#include "agent/plugin_spec.h"

struct StatdOptions {
  std::vector<std::string> listen;  ///< empty: 0.0.0.0:3000 and [::]:3000
  std::string root = "/";           ///< prefix for /proc and /sys (tests)
  std::string token;
  uint32_t max_clients = 64;
  uint32_t send_timeout_s = 30;     ///< drop a client whose replies stay unread
  uint32_t metrics_ttl_ms = 250, disks_ttl_ms = 1000, processes_ttl_ms = 1500;
  bool gpu = true, temperature = true;
  bool gotop_disks = false;            ///< gotop_disk_* (fails promtool lint)
  std::vector<std::string> exclude_metrics;  ///< family name prefixes to drop
  // TLS (a build with TLS=1): listeners, certificate, state directory.
  std::vector<std::string> tls_listen;
  std::string cert_file, key_file;
  std::string tls_dir;                 ///< "" = the default (see tls_state_dir())
  std::vector<std::string> tls_sans;
  bool print_cert = false;
  bool verbose = false;
  bool quiet = false;
  /// `plugin NAME = COMMAND` lines and --plugin NAME=COMMAND, in order.
  std::vector<PluginSpec> plugins;
  // rt-stat (../shared/spec/rtstat.md): raw TCP listeners (none by default;
  // WebSocket rides on the HTTP port), its own client cap (0: unlimited)
  // and the push keys, validated by rtstat_parse_plugins.
  std::vector<std::string> rtstat_listen;
  uint32_t rtstat_max_clients = 10;
  std::string rtstat_plugins = "cpu_stat,meminfo,processes,uptime";
};

enum class OptionsResult { kRun, kExitOk, kExitError };

/// Fills *opts from the environment, then the config file named by -c (if
/// any), then the command line. Prints --help/--version/errors itself; a
/// bad option, key or value gives kExitError (exit status 2).
OptionsResult statd_parse_options(int argc, char** argv, StatdOptions* opts);

/// Where a generated certificate lives: --tls-dir, else /var/lib/statd/tls
/// for root, else $XDG_CONFIG_HOME/statd/tls (~/.config/statd/tls).
std::string tls_state_dir(const StatdOptions& opts);

/// The --help text (also checked against the man page by the tests).
void statd_print_help(FILE* out);
