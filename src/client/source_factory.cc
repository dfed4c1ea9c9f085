// Picks the Source for a URL's scheme.
#include "client/source.h"
#include "client/source_fleet.h"
#include "client/source_prometheus.h"
#include "client/source_rtstat.h"
#include "client/source_socktop.h"

std::unique_ptr<Source> source_create(Loop* loop, Host* host, const Url& url,
                                      const SourceOptions& opts, std::string* err) {
#if STATD_TLS
  bool tls_ok = opts.tls != nullptr;
#else
  bool tls_ok = false;
#endif
  if (url.scheme == "wss" || url.scheme == "https") {
    if (!tls_ok) {
      *err = url.scheme + ":// needs TLS, which this build of statc does not have (make TLS=1)";
      return nullptr;
    }
    host->tls = true;
  }
  if (source_is_fleet_url(url)) return std::make_unique<FleetFeedSource>(loop, host, url, opts);
  if (url.scheme == "ws" || url.scheme == "wss") return std::make_unique<SocktopSource>(loop, host, url, opts);
  if (url.scheme == "http" || url.scheme == "https") return std::make_unique<PrometheusSource>(loop, host, url, opts);
  if (url.scheme == "rtstat") return std::make_unique<RtstatSource>(loop, host, url, opts);
  *err = "statc cannot read " + url.scheme + ":// sources yet";
  return nullptr;
}
