// fleetctl's list-units / list-machines output (fleet.md §4) through the
// parser and the ASCII JSON writer: never crashes, and every row comes out
// exactly as wide as the fields with unique first cells.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <set>
#include <string>
#include <string_view>

#include "agent/fleet_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  FleetTable table;
  fleet_parse_output(text, kFleetUnitFields, 5, &table);
  std::set<std::string> first_cells;
  for (const auto& row : table.rows) {
    if (row.size() != 5 || !first_cells.insert(row[0]).second) abort();
  }
  std::string json;
  fleet_message_json("unit", table, &json);
  for (char c : json)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) abort();
  return 0;
}
