// Picks the Source for a URL's scheme.
#include "client/source.h"
#include "client/source_prometheus.h"
#include "client/source_rtstat.h"
#include "client/source_socktop.h"

std::unique_ptr<Source> source_create(Loop* loop, Host* host, const Url& url,
                                      const SourceOptions& opts, std::string* err) {
  if (url.scheme == "ws") return std::make_unique<SocktopSource>(loop, host, url, opts);
  if (url.scheme == "http") return std::make_unique<PrometheusSource>(loop, host, url, opts);
  if (url.scheme == "rtstat") return std::make_unique<RtstatSource>(loop, host, url, opts);
  if (url.scheme == "wss" || url.scheme == "https") {
    *err = url.scheme + ":// needs TLS, which this build of statc does not have";
    return nullptr;
  }
  *err = "statc cannot read " + url.scheme + ":// sources yet";
  return nullptr;
}
