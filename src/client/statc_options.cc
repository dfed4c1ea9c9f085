#include "client/statc_options.h"

#include <string.h>

#include <string_view>

#include "base/str.h"

void statc_print_help(FILE* out) {
  fprintf(out,
          "usage: statc [options] SOURCE...\n"
          "Shows hosts' live metrics in the terminal (no curses; works over SSH).\n\n"
          "SOURCE is one of:\n"
          "  HOST[:PORT], ws://HOST:PORT/ws   a statd or socktop agent (bare HOST: port 3000;\n"
          "                                   a ws:// URL without a path means /ws)\n"
          "  http://HOST:PORT/metrics         a Prometheus endpoint: statd, node_exporter or\n"
          "                                   gotop --export (user:pass@ is sent as basic auth)\n"
          "  rtstat://HOST:PORT               an rt-stat server's raw TCP port (default 8000)\n\n"
          "  -C, --config FILE     gotop remote config: remote-NAME-url=URL, remote-NAME-refresh=N\n"
          "  -i, --interval SEC    metrics every SEC seconds (default 1; processes every 2 s,\n"
          "                        disks every 5 s)\n"
          "      --timeout SEC     give up on a connect or a reply after SEC seconds (default 5)\n"
          "      --token TOKEN     socktop ?token=, a bearer token for /metrics, rt-stat auth::\n"
          "      --tls-ca FILE     wss://, https://: trust exactly the certificate(s) in FILE\n"
          "      --pin sha256:HEX  wss://, https://: trust the certificate with this SHA-256\n"
          "                        (statd --print-cert shows it; repeatable)\n"
          "      --verify-hostname with --tls-ca: treat FILE as a CA and check the chain and\n"
          "                        the host name instead (builds with TLS=1 only)\n"
          "      --once            print one frame to stdout and exit\n"
          "      --json            print every host as one JSON document and exit\n"
          "      --ascii           draw with ASCII only (default when the locale is not UTF-8)\n"
          "      --color=WHEN      never, auto (default: colour unless NO_COLOR is set or\n"
          "                        TERM=dumb) or always; --color alone means always\n"
          "  -h, --help            show this help\n"
          "  -V, --version         show the version\n\n"
          "Exit status: 0 on success, 1 when a host could not be read (--once/--json),\n"
          "2 for bad options, sources or config files, or no terminal without --once/--json.\n");
}

static bool parse_seconds(std::string_view v, uint32_t* out_ms) {
  double seconds;
  if (!str_to_double(v, &seconds) || seconds < 0.1 || seconds > 86400) return false;
  *out_ms = static_cast<uint32_t>(seconds * 1000 + 0.5);
  return true;
}

StatcParse statc_parse_options(int argc, char** argv, StatcOptions* out) {
  for (int i = 1; i < argc; i++) {
    std::string_view a = argv[i];
    std::string_view value;
    bool inline_value = false;
    if (str_starts_with(a, "--") && a.find('=') != std::string_view::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      inline_value = true;
    }
    auto take = [&](std::string_view* v) {
      if (inline_value) { *v = value; return true; }
      if (i + 1 >= argc) {
        fprintf(stderr, "statc: %s needs a value\n", argv[i]);
        return false;
      }
      *v = argv[++i];
      return true;
    };
    std::string_view v;
    if (a == "-h" || a == "--help") { statc_print_help(stdout); return StatcParse::kExitOk; }
    if (a == "-V" || a == "--version") { printf("statc %s\n", STATD_VERSION); return StatcParse::kExitOk; }
    if (a == "-C" || a == "--config") {
      if (!take(&v)) return StatcParse::kExitError;
      out->gotop_config = std::string(v);
    } else if (a == "-i" || a == "--interval" || a == "--timeout") {
      if (!take(&v)) return StatcParse::kExitError;
      uint32_t* field = a == "--timeout" ? &out->timeout_ms : &out->interval_ms;
      if (!parse_seconds(v, field)) {
        fprintf(stderr, "statc: %s: expected seconds from 0.1 to 86400, got '%.*s'\n",
                std::string(a).c_str(), static_cast<int>(v.size()), v.data());
        return StatcParse::kExitError;
      }
    } else if (a == "--token") {
      if (!take(&v)) return StatcParse::kExitError;
      out->token = std::string(v);
    } else if (a == "--tls-ca") {
      if (!take(&v)) return StatcParse::kExitError;
      out->tls_ca = std::string(v);
    } else if (a == "--pin") {
      if (!take(&v)) return StatcParse::kExitError;
      out->pins.emplace_back(v);
    } else if (a == "--verify-hostname") {
      out->verify_hostname = true;
    } else if (a == "--once") {
      out->once = true;
    } else if (a == "--json") {
      out->json = true;
    } else if (a == "--ascii") {
      out->ascii = true;
    } else if (a == "--color") {
      // "--color never" works too; a bare --color means always, as in ls.
      if (!inline_value && i + 1 < argc &&
          (std::string_view(argv[i + 1]) == "never" || std::string_view(argv[i + 1]) == "auto" ||
           std::string_view(argv[i + 1]) == "always"))
        value = argv[++i];
      else if (!inline_value)
        value = "always";
      if (value == "never") out->color = ColorMode::kNever;
      else if (value == "auto") out->color = ColorMode::kAuto;
      else if (value == "always") out->color = ColorMode::kAlways;
      else {
        fprintf(stderr, "statc: --color: expected never, auto or always\n");
        return StatcParse::kExitError;
      }
    } else if (str_starts_with(a, "-") && a.size() > 1) {
      fprintf(stderr, "statc: unknown option '%s' (see statc --help)\n", argv[i]);
      return StatcParse::kExitError;
    } else {
      out->sources.emplace_back(argv[i]);
    }
  }
  if (out->sources.empty() && out->gotop_config.empty()) {
    fprintf(stderr, "statc: no source given (try: statc 127.0.0.1:3000)\n");
    return StatcParse::kExitError;
  }
  // --verify-hostname makes --tls-ca a CA: it needs that file, and a --pin
  // would be ignored rather than checked, so both are refused.
  if (out->verify_hostname && (out->tls_ca.empty() || !out->pins.empty())) {
    fprintf(stderr, "statc: --verify-hostname goes with --tls-ca FILE (the CA) and without --pin\n");
    return StatcParse::kExitError;
  }
  return StatcParse::kRun;
}
