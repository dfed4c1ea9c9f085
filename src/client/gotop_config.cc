#include "client/gotop_config.h"

#include "base/reader.h"
#include "base/str.h"
#include "net/url.h"

namespace {

// gotop v4's own keys (config.go): read by gotop, meaningless to statc.
const char* const kGotopSettings[] = {
    "graphhorizontalscale", "helpvisible", "colorscheme",  "updateinterval",
    "averagecpu",           "percpuload",  "tempscale",    "statusbar",
    "netinterface",         "layout",      "maxlogsize",   "metricsexportport",
    "mbps",                 "temperatures", "nvidia",      "nvidiarefresh",
    "headless",             "nolocal",     "devices",      "configdir",
    "logdir",               "logfile",
};

bool is_gotop_setting(std::string_view key) {
  for (const char* known : kGotopSettings)
    if (key == known) return true;
  return false;
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && str_equal_ci(s.substr(s.size() - suffix.size()), suffix);
}

bool fail_at(size_t line, std::string_view message, std::string* err) {
  if (err) {
    err->clear();
    str_appendf(err, "line %zu: ", line);
    err->append(message);
  }
  return false;
}

// "2" or "2s", whole seconds in 1..kGotopMaxRefreshS.
bool parse_refresh(std::string_view text, uint32_t* out) {
  if (!text.empty() && (text.back() == 's' || text.back() == 'S')) text.remove_suffix(1);
  uint64_t seconds;
  if (!str_to_u64(text, &seconds, kGotopMaxRefreshS) || seconds == 0) return false;
  *out = static_cast<uint32_t>(seconds);
  return true;
}

struct RemoteState {
  size_t index;             // into GotopConfig::remotes
  bool has_url = false;
  size_t refresh_line = 0;  // where a url-less remote was named, for the error
};

}  // namespace

bool gotop_config_parse(std::string_view text, GotopConfig* out, std::string* err) {
  *out = GotopConfig();
  std::vector<RemoteState> states;  // parallel to out->remotes
  Reader lines(text);
  lines.consume("\xEF\xBB\xBF");  // a UTF-8 byte order mark left by an editor
  for (size_t line_number = 1; !lines.empty(); line_number++) {
    std::string_view line;
    if (!lines.until('\n', &line)) {
      line = lines.rest();
      lines.skip(line.size());
    }
    line = str_trim(line);
    if (line.empty() || line[0] == '#') continue;

    Reader r(line);
    std::string_view key;
    if (!r.until('=', &key)) return fail_at(line_number, "expected key=value", err);
    key = str_trim(key);
    std::string_view value = str_trim(r.rest());
    if (key.empty()) return fail_at(line_number, "empty key", err);

    if (key.size() < 7 || !str_equal_ci(key.substr(0, 7), "remote-")) {
      std::string lower = str_lower(key);
      if (is_gotop_setting(lower)) {
        out->gotop_settings_ignored++;
      } else {
        out->other.push_back(GotopConfigEntry{lower, std::string(value), line_number});
      }
      continue;
    }

    std::string_view name = key.substr(7);
    bool is_url = ends_with_ci(name, "-url");
    bool is_refresh = !is_url && ends_with_ci(name, "-refresh");
    if (!is_url && !is_refresh)
      return fail_at(line_number, "expected remote-NAME-url or remote-NAME-refresh", err);
    name.remove_suffix(is_url ? 4 : 8);
    if (name.empty()) return fail_at(line_number, "empty remote name", err);
    for (unsigned char c : name)
      if (c < 0x20 || c == 0x7f) return fail_at(line_number, "control byte in remote name", err);

    // gotop matches names case-insensitively (it lower-cases keys); the
    // case first written is the one shown.
    size_t at = 0;
    while (at < out->remotes.size() && !str_equal_ci(out->remotes[at].name, name)) at++;
    if (at == out->remotes.size()) {
      out->remotes.push_back(RemoteSpec{std::string(name), std::string(), 1});
      states.push_back(RemoteState{at});
    }
    RemoteSpec& remote = out->remotes[at];
    if (is_url) {
      Url parsed;
      std::string url_err;
      if (value.empty()) return fail_at(line_number, "empty url", err);
      if (!url_parse(value, &parsed, &url_err))
        return fail_at(line_number, "remote " + remote.name + ": " + url_err, err);
      remote.url = std::string(value);  // a repeated key wins, as in gotop
      states[at].has_url = true;
    } else {
      if (!parse_refresh(value, &remote.refresh_s))
        return fail_at(line_number, "refresh must be whole seconds from 1 to 86400", err);
      if (!states[at].refresh_line) states[at].refresh_line = line_number;
    }
  }
  for (size_t i = 0; i < states.size(); i++) {
    if (!states[i].has_url)
      return fail_at(states[i].refresh_line,
                     "remote " + out->remotes[i].name + " has a refresh but no url", err);
  }
  return true;
}
