// Reads a Prometheus endpoint (statd, node_exporter, gotop --export) by
// polling GET on one kept-alive HTTP connection: basic auth from the URL's
// userinfo, --token as a bearer token, gzip bodies accepted.
#pragma once

#include "client/prom_map.h"
#include "client/source.h"
#include "net/http_response.h"

constexpr size_t kPromMaxBodyBytes = 8 * 1024 * 1024;
constexpr size_t kPromMaxSamples = 100000;

class PrometheusSource : public Source {
 public:
  PrometheusSource(Loop* loop, Host* host, Url url, SourceOptions opts);

 protected:
  void on_connected() override;
  void on_input() override;
  void on_tick() override;
  bool on_peer_closed() override;

 private:
  void send_scrape();
  void handle_response();

  HttpResponseParser parser_{kPromMaxBodyBytes};
  bool waiting_ = false;  // a scrape is in flight
  PromCpuCounters counters_;
};
