// Maps a Prometheus body (node_exporter's node_*, gotop's gotop_*, or
// statd's, which has both) onto statc's host model
// (../shared/spec/prometheus.md §7). What the body lacks stays absent.
#pragma once

#include <string>
#include <vector>

#include "client/host.h"
#include "codec/prom_text.h"

/// Counters from the previous scrape: CPU % comes from their deltas.
struct PromCpuCounters {
  std::vector<double> total_s, idle_s;  ///< per cpu; index = cpu label
  double all_total_s = -1, all_idle_s = -1;
};

struct PromMapped {
  HostSample sample;
  bool has_disks = false;
  std::vector<DiskRow> disks;
  const char* dialect = "";  ///< "node_exporter", "gotop" or "" (nothing known)
};

/// `counters` carries state between scrapes of one endpoint.
void prom_map_body(const PromBody& body, PromCpuCounters* counters, PromMapped* out);
