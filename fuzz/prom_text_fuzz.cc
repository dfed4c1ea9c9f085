// prom_parse_body on arbitrary bytes, with a sample cap from the first
// byte. Checked: the cap holds, the result agrees with the bad-line count,
// names and label names use the format's characters, and the samples
// written back out in canonical text (escaped labels, %.17g values,
// timestamps) parse again to exactly the same samples.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>
#include <string_view>

#include "codec/prom_text.h"

namespace {

bool name_ok(std::string_view s, bool colons) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (colons && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

void write_sample(const PromSample& s, std::string* out) {
  out->append(s.name);
  if (!s.labels.empty()) {
    out->push_back('{');
    for (const auto& l : s.labels) {
      out->append(l.first);
      out->append("=\"");
      for (char c : l.second) {
        if (c == '\\') out->append("\\\\");
        else if (c == '"') out->append("\\\"");
        else if (c == '\n') out->append("\\n");
        else out->push_back(c);
      }
      out->append("\",");
    }
    out->push_back('}');
  }
  char buf[64];
  if (isnan(s.value)) snprintf(buf, sizeof buf, " NaN");
  else if (isinf(s.value)) snprintf(buf, sizeof buf, s.value > 0 ? " +Inf" : " -Inf");
  else snprintf(buf, sizeof buf, " %.17g", s.value);
  out->append(buf);
  if (s.has_timestamp) {
    snprintf(buf, sizeof buf, " %lld", static_cast<long long>(s.timestamp_ms));
    out->append(buf);
  }
  out->push_back('\n');
}

bool same_value(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t max_samples = data[0] % 64;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  PromBody parsed;
  std::string err;
  bool ok = prom_parse_body(body, max_samples, &parsed, &err);
  if (parsed.samples.size() > max_samples) abort();
  if (ok != (parsed.bad_lines == 0 && !parsed.truncated)) abort();
  if (!ok && err.empty()) abort();
  if ((parsed.bad_lines == 0) != (parsed.first_bad_line == 0)) abort();
  for (const auto& t : parsed.types)
    if (!name_ok(t.first, true)) abort();

  std::string canonical;
  for (const auto& s : parsed.samples) {
    if (!name_ok(s.name, true)) abort();
    for (const auto& l : s.labels)
      if (!name_ok(l.first, false)) abort();
    write_sample(s, &canonical);
  }
  PromBody again;
  if (!prom_parse_body(canonical, max_samples, &again, &err)) abort();
  if (again.samples.size() != parsed.samples.size()) abort();
  for (size_t i = 0; i < again.samples.size(); i++) {
    const PromSample& a = parsed.samples[i];
    const PromSample& b = again.samples[i];
    if (a.name != b.name || a.labels != b.labels || !same_value(a.value, b.value)) abort();
    if (a.has_timestamp != b.has_timestamp || a.timestamp_ms != b.timestamp_ms) abort();
  }
  return 0;
}
