// PromWriter: text exposition format 0.0.4 (prometheus.md §1) — HELP and
// TYPE once per family, escaped labels, one space before the value, LF
// endings, no empty lines. Families whose names start with an excluded
// prefix are dropped whole.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

class PromWriter {
 public:
  PromWriter(std::string* out, const std::vector<std::string>* exclude)
      : out_(out), exclude_(exclude) {}

  /// Starts a family; its samples follow. `type`: counter, gauge, untyped.
  void family(std::string_view name, std::string_view type, std::string_view help);
  /// The same for literals. Out of line on purpose: each of /metrics' ~50
  /// call sites then passes three pointers instead of measuring three
  /// strings itself, which kept 5.5 KB out of the static statd.
  void family(const char* name, const char* type, const char* help);

  /// Label pairs for the next sample: label("cpu", "0").label("mode", "idle").
  PromWriter& label(std::string_view name, std::string_view value);
  /// A literal label name (every call site's), measured here (see family).
  PromWriter& label(const char* name, std::string_view value);
  /// Writes "<family>{labels} value\n" and clears the labels.
  void value(double v);
  void value_u64(uint64_t v);

 private:
  void write_name_and_labels();

  std::string* out_;
  const std::vector<std::string>* exclude_;
  std::string name_;
  std::string labels_;
  bool enabled_ = false;
};

/// A metric or label name made of [a-zA-Z0-9_] (other bytes become '_').
std::string prom_sanitize_name(std::string_view s);
