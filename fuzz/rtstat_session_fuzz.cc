// rt-stat's server side over arbitrary bytes: raw line framing, then each
// line into a session (over the static pc fixture, tests/fixtures/pc), and
// the whole input as one WebSocket message. Every reply must be one of the
// texts of rtstat.md §3, and a push must never hold "::" after "Push::".
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "agent/rtstat.h"
#include "agent/rtstat_raw.h"

namespace {

const char* const kReplies[] = {
    "Version::0.3.1\n",
    "Error::Unknown message\n",
    "Error::Not authorized\n",
    "Error::Auth command has 1 required parameter: string token (not set)\n",
    "Error::Auth failed\n",
    "Error::Already started\n",
    "Error::Interval is not set\n",
    "Error::Not started\n",
    "Error::Interval command has 1 required parameter: int interval (not set)\n",
    "Error::Interval command has 1 required parameter: int interval (not positive float)\n",
    "Error::Interval command has must be equal or greater than 0.5\n",
    "Error::Unknown command\n",
};

struct CheckingSink : RtstatSink {
  bool pushing = false;
  void rtstat_send(std::string_view m) override {
    if (pushing) {
      if (m.substr(0, 6) != "Push::" || m.back() != '\n' ||
          m.find("::", 6) != std::string_view::npos || m.find('\n') != m.size() - 1)
        abort();
      return;
    }
    for (const char* r : kReplies)
      if (m == r) return;
    // statd's plugins:: extension (docs/extensions.md) echoes the bad name, so
    // its refusal is checked by shape: one line, escaped, nothing after "::".
    if (m == "Error::Plugins command has 1 required parameter: string list (not set)\n") return;
    std::string_view unknown = "Error::unknown rt-stat plugin '";
    if (m.substr(0, unknown.size()) == unknown && m.back() == '\n' &&
        m.find("::", 7) == std::string_view::npos && m.find('\n') == m.size() - 1)
      return;
    abort();
  }
  void rtstat_close() override {}
};

std::string fixture_root() {
  const char* dir = getenv("STATD_SRCDIR");
  return std::string(dir ? dir : ".") + "/tests/fixtures/pc";
}

struct World {
  Loop loop;
  metrics::Sampler sampler{[] {
    metrics::SamplerOptions o;
    o.root = fixture_root();
    return o;
  }()};
  RtstatService service{&loop, &sampler, [] {
    RtstatConfig c;
    c.token = "tok";
    std::string err;
    rtstat_parse_plugins("cpu_stat,meminfo,processes,uptime,network,top_processes", &c.plugins, &err);
    return c;
  }()};
};

void feed(RtstatSession* session, CheckingSink* sink, std::string_view text, bool raw) {
  if (raw) session->on_line(text);
  else session->on_message(text);
  if (session->started()) {
    if (session->interval_ms() < kRtstatMinIntervalMs) abort();
    sink->pushing = true;
    session->push();
    sink->pushing = false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  double seconds = 0;
  if (rtstat_parse_interval(input, &seconds) == RtstatInterval::kOk &&
      (!isfinite(seconds) || seconds < 0.5 ||
       input.find_first_of("xXnNiI,") != std::string_view::npos))
    abort();

  CheckingSink sink;
  RtstatSession raw(&world->service, &sink);
  std::string buffer(input);
  for (;;) {
    std::string_view line;
    size_t used = 0;
    RtstatRawEvent ev = rtstat_raw_next(buffer, &line, &used);
    if (ev != RtstatRawEvent::kLine) break;
    if (used == 0 || used > buffer.size() || line.size() > kRtstatRawMaxLineBytes ||
        line.find('\n') != std::string_view::npos)
      abort();
    feed(&raw, &sink, line, true);
    buffer.erase(0, used);
  }
  RtstatSession ws(&world->service, &sink);
  feed(&ws, &sink, input, false);
  return 0;
}
