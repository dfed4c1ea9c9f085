// gotop's config file (gotop.conf), read for its remotes
// (../shared/spec/prometheus.md §4.1 and §7):
//
//   remote-NAME-url=https://user:pass@host:8089/metrics
//   remote-NAME-refresh=2
//
// Unlike gotop, statc keeps NAME's case, allows blank lines, splits each
// line on its first '=' only (URLs with query strings work), lets NAME hold
// '-', takes "2s" as well as "2" (later gotop builds want a Go duration)
// and defaults a missing refresh to the documented 1 s.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

struct RemoteSpec {
  std::string name;  ///< as first written in the file
  std::string url;   ///< as written; checked with url_parse()
  uint32_t refresh_s = 1;
};

/// A key that is neither a remote nor one of gotop's own settings; statc's
/// own settings will be read from these.
struct GotopConfigEntry {
  std::string key;  ///< lower-cased, as gotop treats keys
  std::string value;
  size_t line = 0;  ///< 1-based
};

struct GotopConfig {
  std::vector<RemoteSpec> remotes;     ///< in the order their names first appear
  size_t gotop_settings_ignored = 0;   ///< colorscheme=, layout=, ... lines
  std::vector<GotopConfigEntry> other;
};

/// Longest refresh accepted, in seconds (a day).
constexpr uint32_t kGotopMaxRefreshS = 86400;

/// Parses the whole file. Fails on the first bad line with *err naming it
/// ("line 4: ..."): a line without '=', an empty key, a remote key other
/// than remote-NAME-url / remote-NAME-refresh, an empty NAME, a URL that
/// does not parse, a refresh that is not 1..kGotopMaxRefreshS whole
/// seconds, or a remote given a refresh but no url.
bool gotop_config_parse(std::string_view text, GotopConfig* out, std::string* err);
