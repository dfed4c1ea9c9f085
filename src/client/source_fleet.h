// Reads a fleet-monitor feed (spec/fleet.md §1-2): statd's /fleet or the
// original fleet-monitor-server. The server pushes full machine and unit
// snapshots as Text frames; statc only listens (no polling).
#pragma once

#include "client/source_socktop.h"

/// Reuses SocktopSource's WebSocket handshake and frame loop (Ping, Close,
/// errors); only what a message means differs.
class FleetFeedSource : public SocktopSource {
 public:
  FleetFeedSource(Loop* loop, Host* host, Url url, SourceOptions opts);

 protected:
  /// Called once the handshake is done (and on ticks): push only, so
  /// there is nothing to request; the host is live from here on.
  void send_next() override;
  void handle_message(bool binary, std::string_view payload) override;
};

/// A ws:// or wss:// URL whose path is /fleet (query ignored).
bool source_is_fleet_url(const Url& url);
