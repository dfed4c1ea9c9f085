#include "client/fleet_model.h"

#include <algorithm>

#include "codec/json_reader.h"
#include "codec/json_writer.h"

namespace {

// Every element must be a String; `what` names the array in the message.
bool strings_of(const JsonValue& array, const char* what, std::vector<std::string>* out,
                std::string* err) {
  if (!array.is_array()) {
    *err = std::string(what) + " is not an array";
    return false;
  }
  out->clear();
  for (const JsonValue& item : array.items) {
    if (!item.is_string()) {
      *err = std::string(what) + " holds a non-string";
      return false;
    }
    out->push_back(item.string);
  }
  return true;
}

void write_table(const FleetFeedTable& table, JsonWriter* w) {
  w->begin_object().key("fields").begin_array();
  for (const std::string& field : table.fields) w->str(field);
  w->end_array().key("items").begin_array();
  for (const auto& row : table.items) {
    w->begin_array();
    for (const std::string& cell : row) w->str(cell);
    w->end_array();
  }
  w->end_array().end_object();
}

// Terminal columns of a cell: one per code point (JSON strings are valid
// UTF-8, so counting the bytes that do not continue a sequence is enough).
size_t text_columns(std::string_view text) {
  size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
  return columns;
}

// Cuts `line` to `width` columns without splitting a code point.
void cut_to_columns(std::string* line, size_t width) {
  size_t columns = 0;
  for (size_t i = 0; i < line->size(); i++) {
    if ((static_cast<unsigned char>((*line)[i]) & 0xC0) == 0x80) continue;
    if (columns++ == width) {
      line->resize(i);
      return;
    }
  }
}

}  // namespace

bool fleet_apply_message(std::string_view text, FleetModel* model, std::string* err) {
  JsonValue message;
  std::string json_err;
  if (!json_parse(text, &message, &json_err)) {
    *err = "bad JSON: " + json_err;
    return false;
  }
  if (!message.is_object()) {
    *err = "message is not an object";
    return false;
  }
  const JsonValue* type = message.get("type");
  std::string_view type_name;
  if (!type || !type->as_string(&type_name) ||
      (type_name != "machine" && type_name != "unit")) {
    *err = "unknown message type";
    return false;
  }
  const JsonValue* fields = message.get("fields");
  const JsonValue* items = message.get("items");
  FleetFeedTable table;
  table.received = true;
  if (!fields || !strings_of(*fields, "fields", &table.fields, err)) {
    if (!fields) *err = "fields missing";
    return false;
  }
  if (!items || !items->is_array()) {
    *err = "items is not an array";
    return false;
  }
  for (const JsonValue& row_value : items->items) {
    std::vector<std::string> row;
    if (!strings_of(row_value, "row", &row, err)) return false;
    if (row.size() != table.fields.size()) {
      *err = "row has " + std::to_string(row.size()) + " values for " +
             std::to_string(table.fields.size()) + " fields";
      return false;
    }
    table.items.push_back(std::move(row));
  }
  (type_name == "machine" ? model->machine : model->unit) = std::move(table);
  return true;
}

std::string fleet_model_json(const FleetModel& model) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object().key("machine");
  write_table(model.machine, &w);
  w.key("unit");
  write_table(model.unit, &w);
  w.end_object();
  return out;
}

std::vector<std::string> fleet_table_lines(const FleetFeedTable& table, size_t width,
                                           size_t max_lines) {
  std::vector<size_t> column_width(table.fields.size());
  for (size_t c = 0; c < table.fields.size(); c++) {
    column_width[c] = text_columns(table.fields[c]);
    for (const auto& row : table.items) column_width[c] = std::max(column_width[c], text_columns(row[c]));
  }
  auto format_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); c++) {
      if (c > 0) line += "  ";
      line += cells[c];
      // The last column is not padded: no trailing blanks.
      if (c + 1 < cells.size()) line.append(column_width[c] - text_columns(cells[c]), ' ');
    }
    cut_to_columns(&line, width);
    return line;
  };
  std::vector<std::string> lines;
  if (max_lines == 0) return lines;
  lines.push_back(format_row(table.fields));
  size_t rows_fit = max_lines - 1;
  if (table.items.size() > rows_fit) rows_fit = rows_fit > 0 ? rows_fit - 1 : 0;
  for (size_t r = 0; r < table.items.size() && r < rows_fit; r++) {
    lines.push_back(format_row(table.items[r]));
  }
  if (rows_fit < table.items.size() && lines.size() < max_lines) {
    std::string more = "+" + std::to_string(table.items.size() - rows_fit) + " more";
    cut_to_columns(&more, width);
    lines.push_back(more);
  }
  return lines;
}
