#include "agent/prom_writer.h"

#include <math.h>

#include "base/str.h"
#include "codec/json_writer.h"

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
  for (char c : help) {  // HELP escapes: backslash and newline only
    if (c == '\\') out_->append("\\\\");
    else if (c == '\n') out_->append("\\n");
    else out_->push_back(c);
  }
  out_->append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

PromWriter& PromWriter::label(std::string_view name, std::string_view value) {
  labels_.append(labels_.empty() ? "{" : ",");
  labels_.append(name).append("=\"");
  for (char c : value) {
    if (c == '\\') labels_.append("\\\\");
    else if (c == '"') labels_.append("\\\"");
    else if (c == '\n') labels_.append("\\n");
    else labels_.push_back(c);
  }
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
  str_appendf(out_, "%llu\n", static_cast<unsigned long long>(v));
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
