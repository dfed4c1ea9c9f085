// Prometheus text exposition format 0.0.4, read tolerantly for statc
// (../shared/spec/prometheus.md §1, §7).
//
// Accepted beyond what Prometheus itself accepts: CR LF line ends, blank
// lines, a missing final LF, unknown escapes in label values (kept as
// written), and values that overflow a double (they become ±Inf).
//
// A line that does not parse is skipped and counted; every other line is
// still read, so statc shows what it can of a partly broken body.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

enum class PromType { kUntyped, kCounter, kGauge, kHistogram, kSummary };

struct PromSample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  ///< in body order, unescaped
  double value = 0;
  bool has_timestamp = false;
  int64_t timestamp_ms = 0;

  /// The value of the label called `label_name`, or nullptr.
  const std::string* label(std::string_view label_name) const;
};

struct PromBody {
  std::vector<PromSample> samples;
  /// One entry per "# TYPE" line (a repeated TYPE for the family just
  /// recorded is dropped).
  std::vector<std::pair<std::string, PromType>> types;
  size_t bad_lines = 0;       ///< lines skipped because they did not parse
  size_t first_bad_line = 0;  ///< 1-based number of the first of them, 0 if none
  std::string first_error;    ///< what was wrong with it
  bool truncated = false;     ///< a sample beyond max_samples was found; reading stopped

  /// The family's TYPE, kUntyped when it had none.
  PromType type_of(std::string_view family) const;
};

/// Parses a whole body into *out (cleared first), keeping at most
/// max_samples samples. True when every line was read and none was bad;
/// otherwise false with *err like "line 7: bad value (3 bad lines)" or
/// "more than N samples", and *out still holds everything that parsed.
///
/// Values go through strtod, so LC_NUMERIC must be "C" (statc sets only
/// LC_CTYPE).
bool prom_parse_body(std::string_view body, size_t max_samples, PromBody* out,
                     std::string* err);

/// The same, samples only.
bool prom_parse(std::string_view body, std::vector<PromSample>* out, std::string* err,
                size_t max_samples);

/// A value in Go strconv.ParseFloat syntax: decimal with optional exponent,
/// hexadecimal with a 'p' exponent ("0x1.8p1"), "NaN", "Inf", "+Inf",
/// "-Inf", "Infinity" (case-insensitive). No spaces, no underscores.
bool prom_parse_value(std::string_view text, double* out);

/// The first sample called `name` (any labels), or nullptr.
const PromSample* prom_find(const std::vector<PromSample>& samples, std::string_view name);
