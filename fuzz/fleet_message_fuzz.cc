// fleet_apply_message on arbitrary bytes: a rejection explains itself and
// leaves the model alone; an accepted table is rectangular and survives
// fleet_model_json and the text layout.
#include <stdint.h>
#include <stdlib.h>

#include "client/fleet_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  FleetModel model;
  std::string err;
  if (!fleet_apply_message(text, &model, &err)) {
    if (err.empty() || model.unit.received || model.machine.received) abort();
    return 0;
  }
  const FleetFeedTable& table = model.unit.received ? model.unit : model.machine;
  for (const auto& row : table.items) {
    if (row.size() != table.fields.size()) abort();
  }
  std::string json = fleet_model_json(model);
  if (json.empty()) abort();
  std::vector<std::string> lines = fleet_table_lines(table, 40, 5);
  if (lines.size() > 5) abort();
  for (const std::string& line : lines) {
    // Width is in code points (a cell may hold UTF-8): count lead bytes.
    size_t columns = 0;
    for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (columns > 40) abort();
  }
  return 0;
}
