// The fleet-monitor feed as statc sees it (spec/fleet.md §2): the latest
// machine table and unit table, each replaced whole by every message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

/// One table: column names and rows of exactly fields.size() strings.
struct FleetFeedTable {
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> items;
  bool received = false;  ///< a snapshot of this type has arrived
};

struct FleetModel {
  FleetFeedTable machine;
  FleetFeedTable unit;
};

/// Parses one message `{"type":"machine"|"unit","fields":[...],"items":[[...],...]}`
/// and replaces the matching table of *model. On failure *model is unchanged
/// and *err says why (not an object, unknown type, bad fields or row).
bool fleet_apply_message(std::string_view text, FleetModel* model, std::string* err);

/// The model as {"machine":{"fields":[..],"items":[..]},"unit":{...}}.
std::string fleet_model_json(const FleetModel& model);

/// The table as aligned text lines: a header of field names, then one line
/// per row, columns padded to their widest cell and separated by two spaces,
/// every line cut to `width` bytes. When more than `max_lines` lines would
/// be needed, the last one says "+N more" (rows not shown).
std::vector<std::string> fleet_table_lines(const FleetFeedTable& table, size_t width,
                                           size_t max_lines);
