#include "agent/fleet_setup.h"

#include "agent/fleet_peer_poll.h"

bool fleet_options_check(const StatdOptions& opts, std::string* err) {
  if (!opts.fleetctl_endpoint.empty() && !opts.fleetctl_tunnel.empty()) {
    *err = "--fleetctl-endpoint and --fleetctl-tunnel exclude each other";
    return false;
  }
  // One source per feed: fleetctl's fixed columns and the peers' own
  // columns cannot share a table.
  if (!opts.fleetctl.empty() && !opts.peers.empty()) {
    *err = "--fleetctl and peers (--peer, 'peer NAME = URL') exclude each other: the fleet feed has one source";
    return false;
  }
  if (!opts.fleet_listen.empty() && opts.fleetctl.empty() && opts.peers.empty()) {
    *err = "--fleet-listen needs a fleet source (--fleetctl or peers)";
    return false;
  }
  return true;
}

std::unique_ptr<FleetSource> fleet_source_create(Loop* loop, FleetService* service,
                                                 const StatdOptions& opts) {
  if (!opts.peers.empty()) {
    PeerSource::Config c;
    c.peers = opts.peers;
    c.machine_interval_ms = uint64_t{opts.fleet_machine_interval_s} * 1000;
    c.unit_interval_ms = uint64_t{opts.fleet_unit_interval_s} * 1000;
    return std::make_unique<PeerSource>(loop, service, std::move(c));
  }
  if (opts.fleetctl.empty()) return nullptr;
  FleetctlSource::Config c;
  c.command = opts.fleetctl;
  if (!opts.fleetctl_endpoint.empty())
    c.global_args = {"--endpoint", "http://" + opts.fleetctl_endpoint + ":" + std::to_string(opts.fleetctl_endpoint_port)};
  else if (!opts.fleetctl_tunnel.empty())
    c.global_args = {"--tunnel", opts.fleetctl_tunnel + ":" + std::to_string(opts.fleetctl_tunnel_port)};
  c.machine_interval_ms = uint64_t{opts.fleet_machine_interval_s} * 1000;
  c.unit_interval_ms = uint64_t{opts.fleet_unit_interval_s} * 1000;
  return std::make_unique<FleetctlSource>(loop, service, std::move(c));
}
