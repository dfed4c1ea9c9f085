#include "agent/options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <string_view>

#include "agent/fleet_setup.h"
#include "agent/rtstat_push.h"
#include "base/str.h"

#if STATD_TLS
#define STATD_TLS_ENABLED true
#else
#define STATD_TLS_ENABLED false
#endif

namespace {

// What --version reports besides the number: the compile-time switches.
constexpr const char* kBuildFeatures = STATD_TLS_ENABLED ? "+tls" : "-tls";

using Setter = bool (*)(StatdOptions*, std::string_view value, std::string* err);

struct Option {
  const char* name;     // long option and config key
  char short_name;      // 0: none
  const char* metavar;  // nullptr: a switch (config value true/false)
  const char* help;
  Setter set;
};

bool set_u32(std::string_view v, uint32_t* out, uint32_t min, uint32_t max, std::string* err) {
  uint64_t n;
  if (!str_to_u64(v, &n, max) || n < min) {
    *err = str_cat({"expected a whole number from ", std::to_string(min), " to ", std::to_string(max)});
    return false;
  }
  *out = static_cast<uint32_t>(n);
  return true;
}

bool set_bool(std::string_view v, bool* out, std::string* err) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") { *out = true; return true; }
  if (v == "false" || v == "no" || v == "off" || v == "0") { *out = false; return true; }
  *err = "expected true or false";
  return false;
}

// "a, b,,c" -> a, b, c appended to *out (items trimmed, empty ones skipped).
void append_comma_list(std::string_view list, std::vector<std::string>* out) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = str_trim(list.substr(0, comma));
    if (!item.empty()) out->emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

bool read_token_file(std::string_view path, std::string* token, std::string* err) {
  std::string p(path);
  FILE* f = fopen(p.c_str(), "r");
  if (!f) {
    *err = str_cat({"cannot read token file ", p, ": ", strerror(errno)});
    return false;
  }
  char line[1024];
  std::string first = fgets(line, sizeof line, f) ? line : "";
  fclose(f);
  std::string_view t = str_trim(first);
  if (t.empty()) {
    *err = str_cat({"token file ", p, " is empty"});
    return false;
  }
  *token = std::string(t);
  return true;
}

const Option kOptions[] = {
  {"listen", 'l', "ADDR:PORT", "listen for HTTP/WebSocket here (repeatable; default 0.0.0.0:3000 and [::]:3000)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->listen.emplace_back(v); return true; }},
  {"port", 'p', "PORT", "same as --listen 0.0.0.0:PORT --listen [::]:PORT (socktop_agent's option)",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     uint32_t port;
     if (!set_u32(v, &port, 0, 65535, err)) return false;
     o->listen.push_back("0.0.0.0:" + std::to_string(port));
     o->listen.push_back("[::]:" + std::to_string(port));
     return true;
   }},
  {"token", 0, "TOKEN", "require this token: /ws?token=, rt-stat auth::TOKEN, or a Bearer/basic password for /metrics",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     if (v.empty()) { *err = "the token must not be empty"; return false; }
     o->token = std::string(v);
     return true;
   }},
  {"token-file", 0, "FILE", "read the token from the first line of FILE",
   [](StatdOptions* o, std::string_view v, std::string* err) { return read_token_file(v, &o->token, err); }},
  {"max-clients", 0, "N", "most connections at once (default 64)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->max_clients, 1, 100000, err); }},
  {"send-timeout", 0, "SECONDS", "drop a client that reads none of its queued replies this long (default 30)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->send_timeout_s, 1, 86400, err); }},
  {"max-clients-per-address", 0, "N", "most connections one address holds before authenticating (default 16, 0 = no cap)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->max_clients_per_address, 0, 100000, err); }},
  {"auth-fail-limit", 0, "N", "wrong tokens from one address within a minute that lock it out (default 5, 0 = never)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->auth_fail_limit, 0, 100000, err); }},
  {"auth-lockout", 0, "SECONDS", "how long the first lockout lasts; each next one doubles, up to 64 times (default 10)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->auth_lockout_s, 1, 86400, err); }},
  {"sandbox", 0, nullptr, "after start-up, allow only the system calls statd needs (Linux seccomp; not with --plugin)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->sandbox, err); }},
  {"root", 0, "DIR", "read /proc and /sys under DIR (default /; for tests)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->root = std::string(v); return true; }},
  {"metrics-ttl", 0, "MS", "reuse a metrics sample this long (default 250)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->metrics_ttl_ms, 0, 3600000, err); }},
  {"disks-ttl", 0, "MS", "reuse a filesystem sample this long (default 1000)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->disks_ttl_ms, 0, 3600000, err); }},
  {"processes-ttl", 0, "MS", "reuse a process sample this long (default 1500)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->processes_ttl_ms, 0, 3600000, err); }},
  {"no-gpu", 0, nullptr, "do not look for GPUs (gpus: null)",
   [](StatdOptions* o, std::string_view v, std::string* err) { bool b; if (!set_bool(v, &b, err)) return false; o->gpu = !b; return true; }},
  {"no-temperature", 0, nullptr, "do not read temperature sensors",
   [](StatdOptions* o, std::string_view v, std::string* err) { bool b; if (!set_bool(v, &b, err)) return false; o->temperature = !b; return true; }},
  {"gotop-disks", 0, nullptr, "also export gotop_disk_* series (their ':' fails promtool's lint)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->gotop_disks, err); }},
  {"exclude-metrics", 0, "PREFIXES", "leave out /metrics families starting with these (comma separated)",
   [](StatdOptions* o, std::string_view v, std::string*) { append_comma_list(v, &o->exclude_metrics); return true; }},
  {"rtstat-listen", 0, "ADDR:PORT", "serve rt-stat's raw TCP protocol here (repeatable; default off)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->rtstat_listen.emplace_back(v); return true; }},
  {"rtstat-tls", 0, nullptr, "speak TLS on the --rtstat-listen ports (builds with TLS=1)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->rtstat_tls, err); }},
  {"rtstat-max-clients", 0, "N", "most rt-stat connections, raw and WebSocket (default 10, 0 = unlimited)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->rtstat_max_clients, 0, 100000, err); }},
  {"rtstat-plugins", 0, "LIST", "rt-stat push keys (default cpu_stat,meminfo,processes,uptime; also network, filesystems, temperatures, top_processes, hostname)",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     std::vector<RtstatPlugin> plugins;
     if (!rtstat_parse_plugins(v, &plugins, err)) return false;
     o->rtstat_plugins = std::string(v);
     return true;
   }},
  {"plugin", 0, "NAME=COMMAND", "push the JSON that COMMAND (run by /bin/sh -c) prints to rt-stat clients under NAME (repeatable; config: plugin NAME = COMMAND)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return plugin_spec_add_assignment(&o->plugins, v, err); }},
  {"fleet-listen", 0, "ADDR:PORT", "serve the fleet-monitor feed on every path here (repeatable; /fleet on the HTTP port)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->fleet_listen.emplace_back(v); return true; }},
  {"fleet-machine-interval", 0, "SECONDS", "seconds between fleet machine tables (default 10)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->fleet_machine_interval_s, 1, 86400, err); }},
  {"fleet-unit-interval", 0, "SECONDS", "seconds between fleet unit tables (default 2)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->fleet_unit_interval_s, 1, 86400, err); }},
  {"fleetctl", 0, "CMD", "publish fleetctl's list-machines and list-units tables on the fleet feed",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     if (v.empty()) { *err = "the command must not be empty"; return false; }
     o->fleetctl = std::string(v);
     return true;
   }},
  {"fleetctl-endpoint", 0, "HOST", "pass --endpoint http://HOST:PORT to fleetctl",
   [](StatdOptions* o, std::string_view v, std::string*) { o->fleetctl_endpoint = std::string(v); return true; }},
  {"fleetctl-endpoint-port", 0, "PORT", "etcd port for --fleetctl-endpoint (default 4001)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->fleetctl_endpoint_port, 1, 65535, err); }},
  {"fleetctl-tunnel", 0, "HOST", "pass --tunnel HOST:PORT to fleetctl",
   [](StatdOptions* o, std::string_view v, std::string*) { o->fleetctl_tunnel = std::string(v); return true; }},
  {"fleetctl-tunnel-port", 0, "PORT", "SSH port for --fleetctl-tunnel (default 22)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_u32(v, &o->fleetctl_tunnel_port, 1, 65535, err); }},
  {"peer", 0, "NAME=URL", "poll this agent (ws://HOST:PORT[/ws][?token=T] or http://HOST:PORT/PATH) for the fleet feed and GET /sd (repeatable; config: peer NAME = URL)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return peer_spec_add_assignment(&o->peers, v, err); }},
  {"tls-listen", 0, "ADDR:PORT", "serve everything the HTTP port serves over TLS here (repeatable; builds with TLS=1)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->tls_listen.emplace_back(v); return true; }},
  {"tls", 0, nullptr, "serve TLS on the --listen/--port listeners too (config: tls = on; builds with TLS=1)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->tls, err); }},
  {"enableSSL", 0, nullptr, "socktop_agent's switch: --tls, and without --listen/--port the port is 8443",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     if (!set_bool(v, &o->socktop_tls, err)) return false;
     o->tls = o->socktop_tls;
     return true;
   }},
  {"cert", 0, "FILE", "TLS certificate (PEM; the leaf first); without it one is generated",
   [](StatdOptions* o, std::string_view v, std::string*) { o->cert_file = std::string(v); return true; }},
  {"key", 0, "FILE", "private key of --cert",
   [](StatdOptions* o, std::string_view v, std::string*) { o->key_file = std::string(v); return true; }},
  {"tls-san", 0, "NAME", "extra DNS name or IP address in a generated certificate (repeatable)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->tls_sans.emplace_back(v); return true; }},
  {"tls-dir", 0, "DIR", "where the generated certificate is kept (default /var/lib/statd/tls as root, else $XDG_CONFIG_HOME/statd/tls or ~/.config/statd/tls)",
   [](StatdOptions* o, std::string_view v, std::string*) { o->tls_dir = std::string(v); return true; }},
  {"print-cert", 0, nullptr, "print the TLS certificate's path, PEM and SHA-256 fingerprint (generating it if needed) and exit",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->print_cert, err); }},
  {"verbose", 'v', nullptr, "log every connection",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->verbose, err); }},
  {"quiet", 'q', nullptr, "log errors only",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->quiet, err); }},
  {"daemon", 'd', nullptr, "run in the background once listening (the parent exits 0 then, or 2 with the error)",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->daemon, err); }},
  {"pidfile", 0, "FILE", "write the process id to FILE once listening; removed on a clean exit",
   [](StatdOptions* o, std::string_view v, std::string*) { o->pidfile = std::string(v); return true; }},
  {"syslog", 0, nullptr, "log to syslog (facility daemon) instead of stderr",
   [](StatdOptions* o, std::string_view v, std::string* err) { return set_bool(v, &o->syslog, err); }},
  {"user", 0, "USER", "after binding and loading the TLS key, switch to USER (its uid, gid and groups) for good",
   [](StatdOptions* o, std::string_view v, std::string* err) {
     if (v.empty()) { *err = "the user name must not be empty"; return false; }
     o->user = std::string(v);
     return true;
   }},
};

const Option* find_long(std::string_view name) {
  for (const Option& o : kOptions)
    if (name == o.name) return &o;
  return nullptr;
}

const Option* find_short(char c) {
  for (const Option& o : kOptions)
    if (o.short_name && o.short_name == c) return &o;
  return nullptr;
}

// Environment first (lowest precedence): statd's own names, then socktop's
// so a socktop_agent service file keeps working.
bool apply_environment(StatdOptions* o, std::string* err) {
  struct EnvTtl { const char* name; uint32_t* field; };
  if (const char* t = getenv("SOCKTOP_TOKEN"); t && *t) o->token = t;
  if (const char* t = getenv("STATD_TOKEN"); t && *t) o->token = t;
  if (const char* p = getenv("SOCKTOP_PORT"); p && *p) {
    if (!find_long("port")->set(o, p, err)) { *err = "SOCKTOP_PORT: " + *err; return false; }
  }
  // socktop_agent's TLS switch is exactly "1"; its extra SANs a comma list.
  if (const char* s = getenv("SOCKTOP_ENABLE_SSL"); s && strcmp(s, "1") == 0) o->tls = o->socktop_tls = true;
  if (const char* sans = getenv("SOCKTOP_AGENT_EXTRA_SANS")) append_comma_list(sans, &o->tls_sans);
  if (const char* g = getenv("SOCKTOP_AGENT_GPU"); g && strcmp(g, "0") == 0) o->gpu = false;
  if (const char* g = getenv("SOCKTOP_AGENT_TEMP"); g && strcmp(g, "0") == 0) o->temperature = false;
  EnvTtl ttls[] = {{"SOCKTOP_AGENT_METRICS_TTL_MS", &o->metrics_ttl_ms},
                   {"SOCKTOP_AGENT_DISKS_TTL_MS", &o->disks_ttl_ms},
                   {"SOCKTOP_AGENT_PROCESSES_TTL_MS", &o->processes_ttl_ms}};
  for (const EnvTtl& e : ttls) {
    const char* v = getenv(e.name);
    if (v && *v && !set_u32(v, e.field, 0, 3600000, err)) {
      *err = str_cat({e.name, ": ", *err});
      return false;
    }
  }
  return true;
}

bool apply_config_file(const std::string& path, StatdOptions* o) {
  FILE* f = fopen(path.c_str(), "r");
  if (!f) {
    fprintf(stderr, "statd: %s: %s\n", path.c_str(), strerror(errno));
    return false;
  }
  char buf[4096];
  int line_no = 0;
  bool ok = true;
  bool file_listen = false;
  while (ok && fgets(buf, sizeof buf, f)) {
    line_no++;
    std::string_view line = str_trim(buf);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string err;
    if (eq == std::string_view::npos) {
      err = "expected 'key = value'";
    } else {
      std::string key(str_trim(line.substr(0, eq)));
      std::string_view value = str_trim(line.substr(eq + 1));
      const Option* opt = find_long(key);
      // The file's listen addresses replace the environment's (SOCKTOP_PORT).
      if (opt && (key == "listen" || key == "port") && !file_listen) {
        o->listen.clear();
        file_listen = true;
      }
      // "plugin NAME = COMMAND" and "peer NAME = URL": the keys with a space in them.
      if (str_starts_with(key, "plugin ") || str_starts_with(key, "plugin\t"))
        plugin_spec_add(&o->plugins, str_trim(std::string_view(key).substr(6)), value, &err);
      else if (str_starts_with(key, "peer ") || str_starts_with(key, "peer\t"))  // "peer NAME = URL"
        peer_spec_add(&o->peers, str_trim(std::string_view(key).substr(4)), value, &err);
      else if (!opt) err = str_cat({"unknown key '", key, "'"});
      else if (!opt->set(o, value, &err)) err = str_cat({key, ": ", err});
    }
    if (!err.empty()) {
      fprintf(stderr, "statd: %s:%d: %s\n", path.c_str(), line_no, err.c_str());
      ok = false;
    }
  }
  fclose(f);
  return ok;
}

}  // namespace

std::vector<std::string> statd_listen_addresses(const StatdOptions& opts) {
  if (!opts.listen.empty()) return opts.listen;
  const char* port = opts.socktop_tls ? "8443" : "3000";
  return {std::string("0.0.0.0:") + port, std::string("[::]:") + port};
}

std::string tls_state_dir(const StatdOptions& opts) { return tls_state_dir(opts, geteuid() == 0); }

std::string tls_state_dir(const StatdOptions& opts, bool as_root) {
  if (!opts.tls_dir.empty()) return opts.tls_dir;
  if (as_root) return "/var/lib/statd/tls";
  const char* xdg = getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/statd/tls";
  const char* home = getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/statd/tls";
}

void statd_print_help(FILE* out) {
  fprintf(out,
          "usage: statd [options]\n"
          "Serves this host's metrics: socktop agent WebSocket API (/ws), Prometheus\n"
          "text (/metrics, node_* and gotop_* names), health check (/healthz),\n"
          "rt-stat (WebSocket upgrade on / or /rtstat; raw TCP with --rtstat-listen),\n"
          "fleet-monitor tables (/fleet) from --fleetctl or from other agents, e.g.\n"
          "  statd --peer pi=ws://10.0.0.2:3000 --peer nas=http://10.0.0.5:9100/metrics\n"
          "whose list GET /sd gives Prometheus (http_sd_configs).\n\n"
          "  -c, --config FILE        read 'key = value' lines named like the long options\n");
  for (const Option& o : kOptions) {
    char left[64];
    std::string name = std::string(o.name) + (o.metavar ? std::string(" ") + o.metavar : "");
    if (o.short_name) snprintf(left, sizeof left, "  -%c, --%s", o.short_name, name.c_str());
    else snprintf(left, sizeof left, "      --%s", name.c_str());
    // A long option and metavar get a line of their own.
    if (strlen(left) >= 27) fprintf(out, "%s\n%27s%s\n", left, "", o.help);
    else fprintf(out, "%-27s%s\n", left, o.help);
  }
  fprintf(out,
          "  -h, --help               show this help\n"
          "  -V, --version            show the version\n\n"
          "Environment: STATD_TOKEN, SOCKTOP_TOKEN, SOCKTOP_PORT, SOCKTOP_ENABLE_SSL=1,\n"
          "SOCKTOP_AGENT_EXTRA_SANS, SOCKTOP_AGENT_GPU=0, SOCKTOP_AGENT_TEMP=0,\n"
          "SOCKTOP_AGENT_{METRICS,DISKS,PROCESSES}_TTL_MS.\n"
          "Precedence: command line, then config file, then environment.\n"
          "Exit status: 0 after SIGINT/SIGTERM, 2 for bad options or configuration, an\n"
          "address that cannot be bound, a pidfile naming a running statd or a failed\n"
          "--user switch, 1 when signal handling cannot be set up.\n");
}

OptionsResult statd_parse_options(int argc, char** argv, StatdOptions* opts) {
  std::string err;
  std::string config;
  // First pass: -c, --help and --version decide what happens before anything else.
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "-h" || a == "--help") { statd_print_help(stdout); return OptionsResult::kExitOk; }
    if (a == "-V" || a == "--version") { printf("statd %s (%s)\n", STATD_VERSION, kBuildFeatures); return OptionsResult::kExitOk; }
    if (a == "-c" || a == "--config") {
      if (i + 1 >= argc) { fprintf(stderr, "statd: %s needs a FILE\n", argv[i]); return OptionsResult::kExitError; }
      config = argv[++i];
    } else if (str_starts_with(a, "--config=")) {
      config = std::string(a.substr(9));
    }
  }
  if (!apply_environment(opts, &err)) {
    fprintf(stderr, "statd: %s\n", err.c_str());
    return OptionsResult::kExitError;
  }
  if (!config.empty() && !apply_config_file(config, opts)) return OptionsResult::kExitError;
  // Listen addresses on the command line replace the config file's.
  bool cli_listen = false;
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "-c" || a == "--config") { i++; continue; }
    if (str_starts_with(a, "--config=")) continue;
    const Option* opt = nullptr;
    std::string_view value;
    bool has_inline_value = false;
    if (str_starts_with(a, "--")) {
      std::string_view name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string_view::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline_value = true;
      }
      opt = find_long(name);
    } else if (a.size() == 2 && a[0] == '-') {
      opt = find_short(a[1]);
    }
    if (!opt) {
      fprintf(stderr, "statd: unknown option '%s' (see statd --help)\n", argv[i]);
      return OptionsResult::kExitError;
    }
    if (opt->metavar && !has_inline_value) {
      if (i + 1 >= argc) {
        fprintf(stderr, "statd: --%s needs %s\n", opt->name, opt->metavar);
        return OptionsResult::kExitError;
      }
      value = argv[++i];
    } else if (!opt->metavar) {
      if (has_inline_value) {
        fprintf(stderr, "statd: --%s takes no value\n", opt->name);
        return OptionsResult::kExitError;
      }
      value = "true";
    }
    if ((opt->short_name == 'l' || opt->short_name == 'p') && !cli_listen) {
      opts->listen.clear();
      cli_listen = true;
    }
    if (!opt->set(opts, value, &err)) {
      fprintf(stderr, "statd: --%s: %s\n", opt->name, err.c_str());
      return OptionsResult::kExitError;
    }
  }
  if (!fleet_options_check(*opts, &err)) {
    fprintf(stderr, "statd: %s\n", err.c_str());
    return OptionsResult::kExitError;
  }
  return OptionsResult::kRun;
}
