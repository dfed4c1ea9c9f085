// Turns statd's fleet options into the FleetService's source.
#pragma once

#include <memory>
#include <string>

#include "agent/fleet.h"
#include "agent/options.h"

/// Rules between the fleet options: --fleetctl-endpoint and
/// --fleetctl-tunnel exclude each other, so do --fleetctl and peers;
/// --fleet-listen needs a source.
bool fleet_options_check(const StatdOptions& opts, std::string* err);

/// The source the options ask for, or nullptr when there is none (then
/// /fleet answers 404).
std::unique_ptr<FleetSource> fleet_source_create(Loop* loop, FleetService* service,
                                                 const StatdOptions& opts);
