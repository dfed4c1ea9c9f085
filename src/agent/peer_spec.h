// What a `peer NAME = URL` config line (or --peer NAME=URL) declares: an
// agent the fleet aggregator polls (agent/fleet_peer_poll.h), and the
// Prometheus service-discovery list built from them (GET /sd).
#pragma once

#include <stdint.h>
#include <sys/socket.h>

#include <string>
#include <string_view>
#include <vector>

struct PeerSpec {
  std::string name;    ///< [A-Za-z0-9_.-]+, unique
  bool ws = false;     ///< ws:// (statd or socktop /ws), else http:// (Prometheus text)
  std::string host;    ///< an IPv4 or IPv6 address literal (no brackets) or "localhost"
  uint16_t port = 80;
  std::string target;  ///< ws: path and query as given ("/ws?token=T"); http: the path
  std::string token;   ///< the URL's ?token= (sent as a bearer token over HTTP)
  sockaddr_storage addr = {};  ///< host and port as the poller connects to them
  socklen_t addr_len = 0;

  /// "HOST:PORT", "[V6]:PORT": the machine table's address and the /sd target.
  std::string address() const;
};

/// Longest peer name accepted.
constexpr size_t kPeerNameMaxBytes = 64;

/// Checks the name (new, 1..kPeerNameMaxBytes of [A-Za-z0-9_.-]) and the
/// URL, then appends the peer to *specs. URLs:
/// `ws://HOST[:PORT][/PATH][?token=T]` (path /ws when none) and
/// `http://HOST[:PORT][/PATH][?token=T]` (path /metrics when none); HOST is
/// an address literal ([...] for IPv6) or localhost: statd looks up no
/// names. No TLS, no user:password@ (use ?token=).
bool peer_spec_add(std::vector<PeerSpec>* specs, std::string_view name, std::string_view url,
                   std::string* err);

/// Same from one "NAME=URL" text (the --peer value; spaces around '=' allowed).
bool peer_spec_add_assignment(std::vector<PeerSpec>* specs, std::string_view assignment,
                              std::string* err);

/// Prometheus HTTP service discovery (http_sd_configs) for the peers that
/// serve Prometheus text: http peers at their path, ws peers at /metrics
/// on the same host and port (statd serves it; a socktop agent has none and
/// shows as down in Prometheus). One target group per peer:
/// [{"targets":["HOST:PORT"],"labels":{"peer":"NAME","__metrics_path__":"/metrics"}},...]
void peer_sd_json(const std::vector<PeerSpec>& specs, std::string* out);
