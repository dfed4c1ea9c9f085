#include "agent/fleet_table.h"

#include <stdint.h>

#include <set>
#include <utility>

#include "base/reader.h"
#include "codec/json_writer.h"
#include "codec/utf8.h"

const char* const kFleetUnitFields[5] = {"unit", "load", "active", "sub", "machine"};
const char* const kFleetMachineFields[3] = {"machine", "ip", "metadata"};

namespace {

void append_u_escape(uint32_t unit, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) *out += kHex[(unit >> shift) & 15];
}

// One code point of well-formed UTF-8 (utf8_sanitize made it so).
bool next_code_point(Reader* r, uint32_t* cp) {
  uint8_t lead;
  if (!r->u8(&lead)) return false;
  int continuation = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
  uint32_t value = continuation == 0 ? lead : lead & (0x3F >> continuation);
  for (int i = 0; i < continuation; i++) {
    uint8_t b;
    if (!r->u8(&b)) return false;
    value = (value << 6) | (b & 0x3F);
  }
  *cp = value;
  return true;
}

void append_escaped_ascii(std::string_view s, std::string* out) {
  Reader r(s);
  uint32_t cp;
  while (next_code_point(&r, &cp)) {
    if (json_short_escape(cp, out)) continue;
    if (cp >= 0x20 && cp < 0x7F) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x10000) {
      append_u_escape(cp, out);
    } else {  // a surrogate pair, as Python's json.dumps writes it
      cp -= 0x10000;
      append_u_escape(0xD800 + (cp >> 10), out);
      append_u_escape(0xDC00 + (cp & 0x3FF), out);
    }
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

void fleet_json_quote_ascii(std::string_view s, std::string* out) {
  *out += '"';
  if (utf8_valid(s)) {
    append_escaped_ascii(s, out);
  } else {
    std::string clean;
    utf8_sanitize(s, &clean);
    append_escaped_ascii(clean, out);
  }
  *out += '"';
}

static void append_string_array(const std::vector<std::string>& cells, std::string* out) {
  *out += '[';
  for (size_t i = 0; i < cells.size(); i++) {
    if (i) *out += ',';
    fleet_json_quote_ascii(cells[i], out);
  }
  *out += ']';
}

size_t fleet_message_json(std::string_view type, const FleetTable& table, std::string* out) {
  out->clear();
  out->append("{\"type\":");
  fleet_json_quote_ascii(type, out);
  out->append(",\"fields\":");
  append_string_array(table.fields, out);
  out->append(",\"items\":[");
  size_t written = 0;
  std::string row_json;
  for (const std::vector<std::string>& row : table.rows) {
    row_json.clear();
    append_string_array(row, &row_json);
    // +3: the comma and the closing "]}".
    if (out->size() + row_json.size() + 3 > kFleetMaxMessageBytes) break;
    if (written) *out += ',';
    out->append(row_json);
    written++;
  }
  out->append("]}");
  return written;
}

void fleet_split_output(std::string_view output, std::vector<std::vector<std::string>>* rows) {
  rows->clear();
  Reader r(output);
  while (!r.empty()) {
    std::string_view line;
    if (!r.until('\n', &line)) {
      line = r.rest();
      r.skip(line.size());
    }
    std::vector<std::string> cells;
    size_t start = 0;
    while (start < line.size()) {
      while (start < line.size() && is_space(line[start])) start++;
      size_t end = start;
      while (end < line.size() && !is_space(line[end])) end++;
      if (end > start) cells.emplace_back(line.substr(start, end - start));
      start = end;
    }
    if (!cells.empty()) rows->push_back(std::move(cells));
  }
}

void fleet_normalize_rows(size_t field_count, std::vector<std::vector<std::string>>* rows) {
  // Decide what to keep before moving anything: the views in `seen` point
  // into the rows, and a moved short string takes its bytes with it.
  std::vector<bool> keep(rows->size(), false);
  {
    std::set<std::string_view> seen;
    for (size_t i = 0; i < rows->size(); i++) {
      std::string_view first = (*rows)[i].empty() ? std::string_view("-") : (*rows)[i][0];
      keep[i] = seen.insert(first).second;
    }
  }
  size_t kept = 0;
  for (size_t i = 0; i < rows->size(); i++) {
    if (!keep[i]) continue;
    std::vector<std::string>& row = (*rows)[i];
    row.resize(field_count, "-");
    if (kept != i) (*rows)[kept] = std::move(row);
    kept++;
  }
  rows->resize(kept);
}

void fleet_parse_output(std::string_view output, const char* const* fields, size_t field_count,
                        FleetTable* out) {
  out->fields.assign(fields, fields + field_count);
  fleet_split_output(output, &out->rows);
  fleet_normalize_rows(field_count, &out->rows);
}
