#include "codec/prom_text.h"

#include <math.h>
#include <stdlib.h>

#include "base/reader.h"
#include "base/str.h"

namespace {

constexpr size_t kMaxValueBytes = 512;  // far longer than any real number

bool is_blank(int c) { return c == ' ' || c == '\t'; }
bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_hex_digit(int c) {
  return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
bool is_name_start(int c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_'; }

bool reject(const char** why, const char* message) {
  *why = message;
  return false;
}

void skip_blanks(Reader* r) {
  while (is_blank(r->peek())) r->skip(1);
}

// Bytes up to the next blank or the end of the line.
std::string_view take_token(Reader* r) {
  size_t start = r->offset();
  std::string_view rest = r->rest();
  while (!r->empty() && !is_blank(r->peek())) r->skip(1);
  return rest.substr(0, r->offset() - start);
}

// [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for labels.
std::string_view take_name(Reader* r, bool colons) {
  size_t start = r->offset();
  std::string_view rest = r->rest();
  for (int c; (c = r->peek()) >= 0; r->skip(1)) {
    bool ok = is_name_start(c) || (colons && c == ':') || (r->offset() > start && is_digit(c));
    if (!ok) break;
  }
  return rest.substr(0, r->offset() - start);
}

bool is_metric_name(std::string_view s) {
  Reader r(s);
  return !take_name(&r, true).empty() && r.empty();
}

// Digits of a mantissa, with at most one '.'; false without any digit.
bool take_mantissa(Reader* r, bool hex) {
  bool any_digit = false, dot = false;
  for (int c; (c = r->peek()) >= 0; r->skip(1)) {
    if (hex ? is_hex_digit(c) : is_digit(c)) {
      any_digit = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  return any_digit;
}

bool take_exponent(Reader* r) {
  if (r->peek() == '+' || r->peek() == '-') r->skip(1);
  if (!is_digit(r->peek())) return false;
  while (is_digit(r->peek())) r->skip(1);
  return true;
}

bool parse_timestamp(std::string_view text, int64_t* out) {
  Reader r(text);
  bool negative = r.consume("-");
  if (!negative) r.consume("+");
  uint64_t magnitude;
  if (!str_to_u64(r.rest(), &magnitude, negative ? uint64_t{1} << 63 : INT64_MAX)) return false;
  *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

bool parse_type(std::string_view word, PromType* out) {
  if (word == "counter") *out = PromType::kCounter;
  else if (word == "gauge") *out = PromType::kGauge;
  else if (word == "histogram") *out = PromType::kHistogram;
  else if (word == "summary") *out = PromType::kSummary;
  else if (word == "untyped") *out = PromType::kUntyped;
  else return false;
  return true;
}

// "# HELP name doc", "# TYPE name type" or any other comment (ignored).
bool parse_comment(Reader* r, PromBody* out, const char** why) {
  r->skip(1);  // '#'
  skip_blanks(r);
  std::string_view keyword = take_token(r);
  if (keyword != "HELP" && keyword != "TYPE") return true;
  skip_blanks(r);
  std::string_view family = take_token(r);
  if (!is_metric_name(family)) return reject(why, "bad metric name");
  if (keyword == "HELP") return true;  // the docstring is of no use to statc
  skip_blanks(r);
  PromType type;
  if (!parse_type(take_token(r), &type)) return reject(why, "unknown metric type");
  skip_blanks(r);
  if (!r->empty()) return reject(why, "unexpected text after the type");
  if (out->types.empty() || out->types.back().first != family)
    out->types.emplace_back(std::string(family), type);
  return true;
}

// {name="value", ...} with a trailing comma allowed; *r is at the '{'.
bool parse_labels(Reader* r, PromSample* sample, const char** why) {
  r->skip(1);
  for (;;) {
    skip_blanks(r);
    if (r->consume("}")) return true;
    std::string_view name = take_name(r, false);
    if (name.empty()) return reject(why, "bad label name");
    skip_blanks(r);
    if (!r->consume("=")) return reject(why, "expected '=' after a label name");
    skip_blanks(r);
    if (!r->consume("\"")) return reject(why, "expected a quoted label value");
    std::string value;
    for (;;) {
      uint8_t c;
      if (!r->u8(&c)) return reject(why, "unterminated label value");
      if (c == '"') break;
      if (c == '\\') {
        if (!r->u8(&c)) return reject(why, "unterminated label value");
        if (c == 'n') {
          c = '\n';
        } else if (c != '\\' && c != '"') {
          value.push_back('\\');  // not an escape the format has: keep as written
        }
      }
      value.push_back(static_cast<char>(c));
    }
    sample->labels.emplace_back(std::string(name), std::move(value));
    skip_blanks(r);
    if (r->consume(",")) continue;
    if (r->consume("}")) return true;
    return reject(why, "expected ',' or '}' after a label");
  }
}

bool parse_sample(Reader* r, PromSample* sample, const char** why) {
  std::string_view name = take_name(r, true);
  if (name.empty()) return reject(why, "bad metric name");
  sample->name = std::string(name);
  size_t name_end = r->offset();
  skip_blanks(r);
  if (r->peek() == '{') {
    if (!parse_labels(r, sample, why)) return false;
    skip_blanks(r);
  } else if (r->offset() == name_end) {
    return reject(why, "bad metric name");  // "name=1", "name\"..."
  }
  std::string_view value = take_token(r);
  if (value.empty()) return reject(why, "expected a value");
  if (!prom_parse_value(value, &sample->value)) return reject(why, "bad value");
  skip_blanks(r);
  if (r->empty()) return true;
  if (!parse_timestamp(take_token(r), &sample->timestamp_ms))
    return reject(why, "bad timestamp");
  sample->has_timestamp = true;
  skip_blanks(r);
  if (!r->empty()) return reject(why, "unexpected text after the timestamp");
  return true;
}

}  // namespace

const std::string* PromSample::label(std::string_view label_name) const {
  for (const auto& l : labels)
    if (l.first == label_name) return &l.second;
  return nullptr;
}

PromType PromBody::type_of(std::string_view family) const {
  for (const auto& t : types)
    if (t.first == family) return t.second;
  return PromType::kUntyped;
}

bool prom_parse_value(std::string_view text, double* out) {
  if (text.empty() || text.size() > kMaxValueBytes) return false;
  Reader r(text);
  bool negative = r.peek() == '-';
  bool has_sign = negative || r.peek() == '+';
  if (has_sign) r.skip(1);
  // Go accepts a sign before Inf but not before NaN.
  if (str_equal_ci(r.rest(), "inf") || str_equal_ci(r.rest(), "infinity")) {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (!has_sign && str_equal_ci(r.rest(), "nan")) {
    *out = NAN;
    return true;
  }
  bool hex = r.consume("0x") || r.consume("0X");
  if (!take_mantissa(&r, hex)) return false;
  if (hex) {
    // Go requires the binary exponent of a hex float.
    if (!r.consume("p") && !r.consume("P")) return false;
    if (!take_exponent(&r)) return false;
  } else if (r.consume("e") || r.consume("E")) {
    if (!take_exponent(&r)) return false;
  }
  if (!r.empty()) return false;
  std::string copy(text);  // strtod needs a terminator
  *out = strtod(copy.c_str(), nullptr);
  return true;
}

bool prom_parse_body(std::string_view body, size_t max_samples, PromBody* out,
                     std::string* err) {
  *out = PromBody();
  Reader lines(body);
  for (size_t line_number = 1; !lines.empty(); line_number++) {
    std::string_view line;
    if (!lines.until('\n', &line)) {  // a missing final LF is tolerated
      line = lines.rest();
      lines.skip(line.size());
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Reader r(line);
    skip_blanks(&r);
    if (r.empty()) continue;
    const char* why = nullptr;
    bool ok;
    if (r.peek() == '#') {
      ok = parse_comment(&r, out, &why);
    } else {
      PromSample sample;
      ok = parse_sample(&r, &sample, &why);
      if (ok) {
        if (out->samples.size() >= max_samples) {
          out->truncated = true;
          break;
        }
        out->samples.push_back(std::move(sample));
      }
    }
    if (ok) continue;
    if (out->bad_lines++ == 0) {
      out->first_bad_line = line_number;
      out->first_error = why;
    }
  }
  if (out->bad_lines == 0 && !out->truncated) return true;
  if (err) {
    err->clear();
    if (out->bad_lines) {
      str_appendf(err, "line %zu: %s", out->first_bad_line, out->first_error.c_str());
      if (out->bad_lines > 1) str_appendf(err, " (%zu bad lines)", out->bad_lines);
    }
    if (out->truncated) {
      if (!err->empty()) err->append("; ");
      str_appendf(err, "more than %zu samples", max_samples);
    }
  }
  return false;
}

bool prom_parse(std::string_view body, std::vector<PromSample>* out, std::string* err,
                size_t max_samples) {
  PromBody parsed;
  bool ok = prom_parse_body(body, max_samples, &parsed, err);
  *out = std::move(parsed.samples);
  return ok;
}

const PromSample* prom_find(const std::vector<PromSample>& samples, std::string_view name) {
  for (const auto& s : samples)
    if (s.name == name) return &s;
  return nullptr;
}
