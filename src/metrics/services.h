// The host's init services (OpenRC, runit or BusyBox runsv, systemd) read
// from the files each init system keeps under /run, /etc and /sys, never by
// running rc-status, sv or systemctl. Everything is read under the
// KernelFiles root, so fixture trees stand in for a host.
#pragma once

#include <string>
#include <vector>

#include "metrics/kernel_files.h"

namespace metrics {

enum class ServiceManager { kNone, kOpenrc, kRunit, kSystemd };
enum class ServiceState { kRunning, kStopped, kFailed, kStarting, kStopping, kUnknown };

/// "none", "openrc", "runit", "systemd" (the get_services reply's words).
const char* service_manager_name(ServiceManager manager);
/// "running", "stopped", "failed", "starting", "stopping", "unknown".
const char* service_state_name(ServiceState state);

struct Service {
  std::string name;  ///< systemd units without their ".service" suffix
  ServiceState state = ServiceState::kUnknown;
  bool enabled = false;  ///< started at boot
  uint32_t order = 0;    ///< position while collecting (a sort tiebreak)
};

struct ServiceList {
  ServiceManager manager = ServiceManager::kNone;
  std::vector<Service> services;  ///< sorted by name, names unique
};

/// At most this many services are listed (a bound on memory and reply size).
constexpr size_t kMaxServices = 1024;

/// Detects the init system under the root (OpenRC, then systemd, then a
/// runit service directory) and lists its services, sorted by name.
/// Without any of them: manager kNone and an empty list.
void collect_services(KernelFiles& files, ServiceList* out);

}  // namespace metrics
