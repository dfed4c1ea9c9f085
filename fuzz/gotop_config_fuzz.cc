// gotop_config_parse on arbitrary text. What parses must hold remotes with
// a name, a URL url_parse accepts and a refresh in range, and written back
// out as remote-NAME-url / remote-NAME-refresh lines it must parse again to
// the same remotes; a failure must name its line.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "client/gotop_config.h"
#include "net/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  GotopConfig config;
  std::string err;
  if (!gotop_config_parse(text, &config, &err)) {
    if (err.compare(0, 5, "line ") != 0) abort();
    return 0;
  }
  std::string written;
  for (const RemoteSpec& r : config.remotes) {
    Url url;
    if (r.name.empty() || !url_parse(r.url, &url, &err)) abort();
    if (r.refresh_s < 1 || r.refresh_s > kGotopMaxRefreshS) abort();
    char refresh[32];
    snprintf(refresh, sizeof refresh, "%u", static_cast<unsigned>(r.refresh_s));
    written += "remote-" + r.name + "-url=" + r.url + "\n";
    written += "remote-" + r.name + "-refresh=" + refresh + "\n";
  }
  for (const GotopConfigEntry& e : config.other) {
    if (e.line == 0 || e.key.empty()) abort();
    for (char c : e.key)
      if (c >= 'A' && c <= 'Z') abort();
  }
  GotopConfig again;
  if (!gotop_config_parse(written, &again, &err)) abort();
  if (again.remotes.size() != config.remotes.size()) abort();
  for (size_t i = 0; i < again.remotes.size(); i++) {
    const RemoteSpec& a = config.remotes[i];
    const RemoteSpec& b = again.remotes[i];
    if (a.name != b.name || a.url != b.url || a.refresh_s != b.refresh_s) abort();
  }
  return 0;
}
