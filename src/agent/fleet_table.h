// fleet-monitor's messages (../shared/spec/fleet.md §2, §4, §6): tables of
// strings, the fleetctl output they come from, and the exact JSON they go
// out as. Pure functions over bytes, so tests and a fuzzer can drive them.
#pragma once

#include <stddef.h>

#include <string>
#include <string_view>
#include <vector>

/// One message's content: column names and rows of exactly fields.size()
/// strings each.
struct FleetTable {
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> rows;
};

/// fleet's fixed column lists (§2), which fleetctl is asked for.
extern const char* const kFleetUnitFields[5];
extern const char* const kFleetMachineFields[3];

/// Most bytes of one JSON message; rows past it are left out (the caller
/// logs that), so a huge fleetctl output cannot make a frame that every
/// client's output cap refuses.
constexpr size_t kFleetMaxMessageBytes = 256 * 1024;

/// `s` as a JSON string the way Python's json.dumps writes it (ensure_ascii):
/// `"` and `\` escaped, \b \f \n \r \t by name, other bytes below 0x20 and
/// DEL and every non-ASCII character as \uXXXX (lower-case hex; above
/// U+FFFF as a surrogate pair). Ill-formed UTF-8 becomes \ufffd.
void fleet_json_quote_ascii(std::string_view s, std::string* out);

/// {"type":TYPE,"fields":[...],"items":[[...],...]}: compact, ASCII only,
/// keys in this order. Rows are written as given (normalise them first);
/// stops adding rows before the message would pass kFleetMaxMessageBytes
/// and returns how many rows were written.
size_t fleet_message_json(std::string_view type, const FleetTable& table, std::string* out);

/// Splits fleetctl's `-no-legend` output (§4): one row per line, cells
/// separated by runs of whitespace (the tab-writer pads with TABs), empty
/// lines skipped. Rows are as split; see fleet_normalize_rows().
void fleet_split_output(std::string_view output, std::vector<std::vector<std::string>>* rows);

/// Makes every row exactly `field_count` cells (missing cells become "-",
/// extra ones are dropped) and keeps only the first row for each first cell,
/// which the dashboard requires (§6).
void fleet_normalize_rows(size_t field_count, std::vector<std::vector<std::string>>* rows);

/// fleet_split_output + fleet_normalize_rows into a table with `fields`.
void fleet_parse_output(std::string_view output, const char* const* fields, size_t field_count,
                        FleetTable* out);
