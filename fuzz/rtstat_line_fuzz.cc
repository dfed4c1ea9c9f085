// rt-stat's line grammar and its escaping (src/codec/rtstat_line.h), and
// statc's decoding of what a push carries (src/client/rtstat_decode.h).
// Properties: escaping every parsed argument and parsing again gives the
// same arguments back (when trimming cannot eat the end of the last one),
// and an escaped argument never holds an unescaped "::" or LF.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "client/rtstat_decode.h"
#include "codec/rtstat_line.h"

static bool trimmed_at_end(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\0' || c == '\v';
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  RtstatMessage msg = rtstat_parse_message(input);

  std::string text = "c";
  for (const std::string& arg : msg.args) {
    std::string escaped;
    rtstat_escape_arg(arg, &escaped);
    if (escaped.find('\n') != std::string::npos) abort();
    for (size_t i = 0; i + 1 < escaped.size(); i++) {
      if (escaped[i] == '\\') { i++; continue; }
      if (escaped[i] == ':' && escaped[i + 1] == ':') abort();
    }
    text += "::";
    text += escaped;
  }
  bool checkable = !msg.args.empty() && !(msg.args.size() == 1 && msg.args[0].empty()) &&
                   (msg.args.back().empty() || !trimmed_at_end(msg.args.back().back()));
  if (checkable) {
    RtstatMessage again = rtstat_parse_message(text);
    if (again.command != "c" || again.args != msg.args) abort();
  }

  // The client side: a push's JSON and procps uptime text.
  for (const std::string& arg : msg.args) {
    HostSample sample;
    uint64_t count = 0;
    bool has_count = false;
    std::string err;
    rtstat_decode_push(arg, &sample, &count, &has_count, &err);
    double seconds = 0;
    if (rtstat_parse_uptime(arg, &seconds) && !(seconds >= 0)) abort();
  }
  return 0;
}
