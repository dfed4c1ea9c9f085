// GET /metrics: node_exporter-compatible node_* families, gotop's gotop_*
// series and statd_* self metrics (../shared/spec/prometheus.md §5, §6).
#pragma once

#include <string>

class Agent;

/// Appends the whole exposition body.
void prometheus_write_body(Agent* agent, std::string* out);
