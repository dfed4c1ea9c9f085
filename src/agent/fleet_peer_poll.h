// Source 2 of the fleet feed (issue 4, fleet.md §7): statd as an aggregator
// of other agents. While a /fleet client watches, every peer is polled
// concurrently on the one loop, each request with its own time limit, so a
// slow or dead peer never delays the others:
// - machine rounds (--fleet-machine-interval): http peers get a GET of
//   their Prometheus text; ws peers a GET of /metrics on the same port
//   (statd's, with the URL's token as a Bearer token: it has load and
//   uptime, which socktop's get_metrics lacks), and once that answered 404
//   (a socktop agent), get_metrics on the WebSocket;
// - unit rounds (--fleet-unit-interval): ws peers get get_services (statd
//   only; a socktop agent that stays silent has no unit rows and is asked
//   again only every kPeerServicesRetryRounds rounds).
// A round publishes its table when every request answered or timed out,
// then sleeps its interval (fleet.md §3). Every request opens a fresh
// connection and closes it after the reply: nothing stays open between
// polls, and a peer that restarted is simply seen again.
#pragma once

#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/fleet.h"
#include "agent/fleet_peers.h"
#include "event/loop.h"

/// Unit rounds skipped for a ws peer that opened the WebSocket but did not
/// answer get_services (a socktop agent) before it is asked again.
constexpr uint32_t kPeerServicesRetryRounds = 15;

class PeerSource final : public FleetSource {
 public:
  struct Config {
    std::vector<PeerSpec> peers;
    uint64_t machine_interval_ms = 10000, unit_interval_ms = 2000;
    uint64_t timeout_ms = 5000;  ///< connect plus reply, per request
  };
  /// Connects to each PeerSpec::addr (address literals: no name lookup).
  PeerSource(Loop* loop, FleetService* service, Config config);
  ~PeerSource() override;
  void start() override;
  void stop() override;

  /// Peers' current state (tests).
  const std::vector<PeerStatus>& status() const { return status_; }

 private:
  struct Probe;
  struct Round {
    PeerSource* owner;
    FleetKind kind;
    uint64_t interval_ms;
    TimerId timer;
    size_t pending = 0;  // requests of this round still running
  };

  static void on_round_timer(void* round);
  void begin_round(Round* round);
  void probe_done(Probe* probe, PeerState state, const PeerSample& sample, std::vector<PeerUnit>* units,
                  const std::string& why);
  void finish_round(Round* round);

  Loop* loop_;
  FleetService* service_;
  Config config_;
  bool running_ = false;
  Round rounds_[2];  // indexed by FleetKind
  std::vector<PeerStatus> status_;
  std::vector<std::string> last_error_;      // logged once per distinct error
  std::vector<uint32_t> skip_services_;      // unit rounds to skip, per peer
  std::vector<uint8_t> socktop_only_;        // a ws peer without /metrics
  std::vector<std::unique_ptr<Probe>> probes_;  // 2 per peer: machine, unit
};
