#include "agent/fleet_table.h"

#include "base/test.h"

static std::string quoted(std::string_view s) {
  std::string out;
  fleet_json_quote_ascii(s, &out);
  return out;
}

TEST(fleet_table_quote_matches_python_ensure_ascii) {
  // json.dumps("é😀\x7f\x01\"\\/\b\f\n\r\t€\ufffd") in Python 3.
  EXPECT_EQ(quoted("\xC3\xA9\xF0\x9F\x98\x80\x7F\x01\"\\/\b\f\n\r\t\xE2\x82\xAC\xEF\xBF\xBD"),
            std::string("\"\\u00e9\\ud83d\\ude00\\u007f\\u0001\\\"\\\\/\\b\\f\\n\\r\\t\\u20ac\\ufffd\""));
  EXPECT_EQ(quoted("hello.service"), std::string("\"hello.service\""));
  EXPECT_EQ(quoted(""), std::string("\"\""));
}

TEST(fleet_table_quote_ill_formed_utf8_becomes_replacement) {
  EXPECT_EQ(quoted("a\xFF" "b"), std::string("\"a\\ufffdb\""));
  EXPECT_EQ(quoted("\xC3"), std::string("\"\\ufffd\""));  // truncated sequence
  EXPECT_EQ(quoted("\xED\xA0\x80"), std::string("\"\\ufffd\\ufffd\\ufffd\""));  // a surrogate
  EXPECT_EQ(quoted(std::string_view("\0", 1)), std::string("\"\\u0000\""));
}

TEST(fleet_table_message_exact_bytes) {
  FleetTable t;
  t.fields = {"unit", "load", "active", "sub", "machine"};
  t.rows = {{"hello.service", "loaded", "active", "running", "148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"},
            {"web@1.service", "loaded", "inactive", "dead", "-"}};
  std::string json;
  EXPECT_EQ(fleet_message_json("unit", t, &json), 2u);
  EXPECT_EQ(json, std::string(
      "{\"type\":\"unit\",\"fields\":[\"unit\",\"load\",\"active\",\"sub\",\"machine\"],"
      "\"items\":[[\"hello.service\",\"loaded\",\"active\",\"running\","
      "\"148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101\"],"
      "[\"web@1.service\",\"loaded\",\"inactive\",\"dead\",\"-\"]]}"));
}

TEST(fleet_table_message_empty_items) {
  FleetTable t;
  t.fields = {"machine", "ip", "metadata"};
  std::string json = "stale";
  EXPECT_EQ(fleet_message_json("machine", t, &json), 0u);
  EXPECT_EQ(json, std::string("{\"type\":\"machine\",\"fields\":[\"machine\",\"ip\",\"metadata\"],\"items\":[]}"));
}

TEST(fleet_table_message_stops_before_the_size_cap) {
  FleetTable t;
  t.fields = {"unit"};
  std::string cell(1000, 'x');
  for (int i = 0; i < 400; i++) t.rows.push_back({cell + std::to_string(i)});
  std::string json;
  size_t written = fleet_message_json("unit", t, &json);
  // Each row is 1000 + up to 3 digits + 4 bytes of quotes, brackets, comma.
  EXPECT(written > 250 && written < 262);
  EXPECT(json.size() <= kFleetMaxMessageBytes);
  EXPECT_EQ(json.substr(json.size() - 3), std::string("]]}"));
}

// fleetctl 0.8's tab-writer output (§4): cells padded with TABs.
static const char kUnitsFixture[] =
    "hello.service\t\tloaded\tactive\t\trunning\t148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101\n"
    "web@1.service\t\tloaded\tinactive\tdead\t-\n"
    "\n"
    "web@1.service\t\tloaded\tactive\t\trunning\t2bd3f9f5a3b94ac0a2c8ec4d5e6f7a8b/172.17.8.102\n"
    "short.service\tnot-found\n"
    "long.service\tloaded\tactive\trunning\tm1\textra\tcells\n";

TEST(fleet_table_parse_fleetctl_units) {
  FleetTable t;
  fleet_parse_output(kUnitsFixture, kFleetUnitFields, 5, &t);
  ASSERT(t.fields.size() == 5);
  EXPECT_EQ(t.fields[0], std::string("unit"));
  EXPECT_EQ(t.fields[4], std::string("machine"));
  ASSERT(t.rows.size() == 4);
  const std::vector<std::string> hello = {"hello.service", "loaded", "active", "running",
                                          "148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"};
  EXPECT(t.rows[0] == hello);
  // The second web@1.service (a global unit listed again) is dropped.
  const std::vector<std::string> web = {"web@1.service", "loaded", "inactive", "dead", "-"};
  EXPECT(t.rows[1] == web);
  const std::vector<std::string> padded = {"short.service", "not-found", "-", "-", "-"};
  EXPECT(t.rows[2] == padded);
  const std::vector<std::string> truncated = {"long.service", "loaded", "active", "running", "m1"};
  EXPECT(t.rows[3] == truncated);
}

TEST(fleet_table_split_whitespace_runs_and_crlf) {
  std::vector<std::vector<std::string>> rows;
  fleet_split_output("  a \t b\r\n\r\n\t\n c", &rows);
  ASSERT(rows.size() == 2);
  EXPECT(rows[0] == (std::vector<std::string>{"a", "b"}));
  EXPECT(rows[1] == (std::vector<std::string>{"c"}));
  fleet_split_output("", &rows);
  EXPECT_EQ(rows.size(), 0u);
  fleet_split_output("\n\n \t\n", &rows);
  EXPECT_EQ(rows.size(), 0u);
}

TEST(fleet_table_parse_machines) {
  FleetTable t;
  fleet_parse_output("148a18ff6e954cd892dac9de9bb90d5a\t172.17.8.101\tregion=us-west,role=web\n"
                     "2bd3f9f5a3b94ac0a2c8ec4d5e6f7a8b\t-\t\t-\n",
                     kFleetMachineFields, 3, &t);
  ASSERT(t.rows.size() == 2);
  EXPECT(t.rows[0] == (std::vector<std::string>{"148a18ff6e954cd892dac9de9bb90d5a", "172.17.8.101",
                                                "region=us-west,role=web"}));
  EXPECT(t.rows[1] == (std::vector<std::string>{"2bd3f9f5a3b94ac0a2c8ec4d5e6f7a8b", "-", "-"}));
}

TEST(fleet_table_normalize_keeps_first_of_each_name) {
  std::vector<std::vector<std::string>> rows = {
      {"a", "1"}, {"b", "2"}, {"a", "3"}, {"c"}, {"b", "4", "x"}, {"averyveryverylongnamethatisnotsso", "5"},
      {"averyveryverylongnamethatisnotsso", "6"}};
  fleet_normalize_rows(2, &rows);
  ASSERT(rows.size() == 4);
  EXPECT(rows[0] == (std::vector<std::string>{"a", "1"}));
  EXPECT(rows[1] == (std::vector<std::string>{"b", "2"}));
  EXPECT(rows[2] == (std::vector<std::string>{"c", "-"}));
  EXPECT(rows[3] == (std::vector<std::string>{"averyveryverylongnamethatisnotsso", "5"}));
}
