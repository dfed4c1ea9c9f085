// fleet-monitor's push feed (../shared/spec/fleet.md): the latest `machine`
// and `unit` snapshots, the connections subscribed to them, and the source
// that produces them. Sources run only while somebody is subscribed, so an
// unwatched statd does no fleet work at all.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/fleet_table.h"
#include "agent/plugin_runner.h"
#include "event/loop.h"

/// Where snapshots go: one WebSocket Text frame per message.
class FleetSink {
 public:
  virtual void fleet_send(std::string_view message) = 0;
  /// Bytes still queued for this connection (a slow reader has some).
  virtual size_t fleet_queued_bytes() const = 0;

 protected:
  ~FleetSink() = default;
};

class FleetService;

/// Produces tables; started with the first subscriber, stopped with the last.
class FleetSource {
 public:
  virtual ~FleetSource() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
};

enum class FleetKind { kMachine = 0, kUnit = 1 };

class FleetService {
 public:
  FleetService() = default;
  FleetService(const FleetService&) = delete;
  FleetService& operator=(const FleetService&) = delete;

  void set_source(std::unique_ptr<FleetSource> source) { source_ = std::move(source); }
  bool has_source() const { return source_ != nullptr; }

  /// Sends the current snapshots at once; the first subscriber starts the source.
  void subscribe(FleetSink* sink);
  /// The last one leaving stops the source.
  void unsubscribe(FleetSink* sink);
  /// The sink's output drained: it gets the snapshots it missed meanwhile.
  void on_drained(FleetSink* sink);

  /// A new snapshot: kept, and broadcast to every subscriber whose output is
  /// empty; a subscriber still writing an older one gets only the newest
  /// when it drains (never more than one snapshot per kind is held back).
  void publish(FleetKind kind, const FleetTable& table);
  bool has_snapshot(FleetKind kind) const { return !snapshot_[static_cast<int>(kind)].empty(); }
  const std::string& snapshot(FleetKind kind) const { return snapshot_[static_cast<int>(kind)]; }
  size_t subscriber_count() const { return subscribers_.size(); }

 private:
  struct Subscriber {
    FleetSink* sink;
    bool pending[2];  // a snapshot of that kind waits for the drain
  };
  void send_pending(Subscriber* s);

  std::unique_ptr<FleetSource> source_;
  std::vector<Subscriber> subscribers_;
  std::string snapshot_[2];
};

/// Source 1 (§4): runs fleetctl's list-machines and list-units without a
/// shell at their cadences and publishes their tables. A failing run is
/// logged (once per distinct error) and retried; the last good table stays.
class FleetctlSource final : public FleetSource {
 public:
  struct Config {
    std::string command = "fleetctl";
    std::vector<std::string> global_args;  ///< --endpoint URL or --tunnel HOST:PORT
    uint64_t machine_interval_ms = 10000, unit_interval_ms = 2000;
    uint64_t timeout_ms = 10000;
    size_t max_output_bytes = 256 * 1024;
  };
  FleetctlSource(Loop* loop, FleetService* service, Config config);
  ~FleetctlSource() override;
  void start() override;
  void stop() override;

  /// The argv for one kind (tests; also what is run).
  static std::vector<std::string> argv_for(const Config& config, FleetKind kind);

 private:
  struct Poller {
    FleetctlSource* owner;
    FleetKind kind;
    uint64_t interval_ms;
    std::unique_ptr<PluginRunner> runner;
    TimerId timer;
    std::string last_error;
    bool published = false;
  };
  static void on_done(void* poller);
  static void on_timer(void* poller);

  Loop* loop_;
  FleetService* service_;
  Config config_;
  bool running_ = false;
  Poller pollers_[2];
};
