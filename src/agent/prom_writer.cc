#include "agent/prom_writer.h"

#include <math.h>
#include <string.h>

#include "base/str.h"
#include "codec/json_writer.h"

// Appends `s` with each byte of `special` backslash-escaped (LF as \n),
// copying the runs between them in one go.
static void append_escaped(std::string_view s, const char* special, std::string* out) {
  size_t run = 0;  // start of the bytes not copied yet
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c != '\\' && c != '\n' && c != '"') continue;  // the common case
    if (!strchr(special, c)) continue;
    out->append(s.substr(run, i - run));
    out->push_back('\\');
    out->push_back(c == '\n' ? 'n' : c);
    run = i + 1;
  }
  out->append(s.substr(run));
}

void PromWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  name_ = std::string(name);
  labels_.clear();
  enabled_ = true;
  if (exclude_) {
    for (const std::string& prefix : *exclude_)
      if (str_starts_with(name, prefix)) enabled_ = false;
  }
  if (!enabled_) return;
  out_->append("# HELP ").append(name).append(" ");
  append_escaped(help, "\\\n", out_);  // HELP escapes backslash and newline only
  out_->append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PromWriter::family(const char* name, const char* type, const char* help) {
  family(std::string_view(name), std::string_view(type), std::string_view(help));
}

PromWriter& PromWriter::label(const char* name, std::string_view value) {
  return label(std::string_view(name), value);
}

PromWriter& PromWriter::label(std::string_view name, std::string_view value) {
  labels_.append(labels_.empty() ? "{" : ",");
  labels_.append(name).append("=\"");
  append_escaped(value, "\\\"\n", &labels_);
  labels_.push_back('"');
  return *this;
}

void PromWriter::write_name_and_labels() {
  out_->append(name_);
  if (!labels_.empty()) {
    out_->append(labels_).push_back('}');
    labels_.clear();
  }
  out_->push_back(' ');
}

void PromWriter::value(double v) {
  if (!enabled_) { labels_.clear(); return; }
  write_name_and_labels();
  if (isnan(v)) out_->append("NaN");
  else if (isinf(v)) out_->append(v > 0 ? "+Inf" : "-Inf");
  else json_format_f64(v, out_);  // shortest text that round-trips
  out_->push_back('\n');
}

void PromWriter::value_u64(uint64_t v) {
  if (!enabled_) { labels_.clear(); return; }
  write_name_and_labels();
  str_append_u64(out_, v);
  out_->push_back('\n');
}

std::string prom_sanitize_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(ok ? c : '_');
  }
  return out;
}
