#include "client/fleet_model.h"

#include "base/test.h"

static const char kUnitMessage[] =
    R"({"type":"unit","fields":["unit","load","active","sub","machine"],"items":[)"
    R"(["hello.service","loaded","active","running","148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"],)"
    R"(["web@1.service","loaded","inactive","dead","-"]]})";
static const char kMachineMessage[] =
    R"({"type":"machine","fields":["machine","ip","metadata"],"items":[)"
    R"(["148a18ff6e954cd892dac9de9bb90d5a","172.17.8.101","region=us-west,role=web"]]})";

TEST(fleet_model_spec_examples) {
  FleetModel model;
  std::string err;
  ASSERT(fleet_apply_message(kUnitMessage, &model, &err));
  EXPECT(model.unit.received);
  EXPECT(!model.machine.received);
  ASSERT(model.unit.fields.size() == 5u);
  EXPECT_EQ(model.unit.fields[4], std::string("machine"));
  ASSERT(model.unit.items.size() == 2u);
  EXPECT_EQ(model.unit.items[0][4],
            std::string("148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"));
  EXPECT_EQ(model.unit.items[1][0], std::string("web@1.service"));
  EXPECT_EQ(model.unit.items[1][3], std::string("dead"));
  ASSERT(fleet_apply_message(kMachineMessage, &model, &err));
  EXPECT(model.machine.received);
  ASSERT(model.machine.items.size() == 1u);
  EXPECT_EQ(model.machine.items[0][2], std::string("region=us-west,role=web"));
  EXPECT_EQ(fleet_model_json(model),
            std::string(R"({"machine":{"fields":["machine","ip","metadata"],"items":)"
                        R"([["148a18ff6e954cd892dac9de9bb90d5a","172.17.8.101","region=us-west,role=web"]]},)"
                        R"("unit":{"fields":["unit","load","active","sub","machine"],"items":)"
                        R"([["hello.service","loaded","active","running","148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"],)"
                        R"(["web@1.service","loaded","inactive","dead","-"]]}})"));
}

TEST(fleet_model_snapshot_replaces_and_key_order_free) {
  FleetModel model;
  std::string err;
  ASSERT(fleet_apply_message(kUnitMessage, &model, &err));
  ASSERT(fleet_apply_message(R"({"items":[],"fields":["unit"],"type":"unit"})", &model, &err));
  EXPECT_EQ(model.unit.fields.size(), 1u);
  EXPECT_EQ(model.unit.items.size(), 0u);
  EXPECT_EQ(fleet_model_json(FleetModel()),
            std::string(R"({"machine":{"fields":[],"items":[]},"unit":{"fields":[],"items":[]}})"));
}

TEST(fleet_model_rejects_malformed) {
  struct Case { const char* text; const char* err; };
  const Case cases[] = {
      {"[1]", "message is not an object"},
      {R"({"type":"pod","fields":[],"items":[]})", "unknown message type"},
      {R"({"type":7,"fields":[],"items":[]})", "unknown message type"},
      {R"({"type":"unit","items":[]})", "fields missing"},
      {R"({"type":"unit","fields":"unit","items":[]})", "fields is not an array"},
      {R"({"type":"unit","fields":["a",1],"items":[]})", "fields holds a non-string"},
      {R"({"type":"unit","fields":["a"]})", "items is not an array"},
      {R"({"type":"unit","fields":["a"],"items":["x"]})", "row is not an array"},
      {R"({"type":"unit","fields":["a"],"items":[[null]]})", "row holds a non-string"},
      {R"({"type":"unit","fields":["a","b"],"items":[["x"]]})", "row has 1 values for 2 fields"},
  };
  for (const Case& c : cases) {
    FleetModel model;
    std::string setup_err;
    ASSERT(fleet_apply_message(kUnitMessage, &model, &setup_err));
    std::string err;
    EXPECT(!fleet_apply_message(c.text, &model, &err));
    EXPECT_EQ(err, std::string(c.err));
    EXPECT_EQ(model.unit.items.size(), 2u);  // unchanged
  }
  FleetModel model;
  std::string err;
  EXPECT(!fleet_apply_message("{\"type\":", &model, &err));
  EXPECT_EQ(err.substr(0, 10), std::string("bad JSON: "));
}

TEST(fleet_model_table_lines) {
  FleetModel model;
  std::string err;
  ASSERT(fleet_apply_message(kUnitMessage, &model, &err));
  std::vector<std::string> lines = fleet_table_lines(model.unit, 200, 10);
  ASSERT(lines.size() == 3u);
  EXPECT_EQ(lines[0], std::string("unit           load    active    sub      machine"));
  EXPECT_EQ(lines[1], std::string("hello.service  loaded  active    running  "
                                  "148a18ff6e954cd892dac9de9bb90d5a/172.17.8.101"));
  EXPECT_EQ(lines[2], std::string("web@1.service  loaded  inactive  dead     -"));
  lines = fleet_table_lines(model.unit, 20, 2);
  ASSERT(lines.size() == 2u);
  EXPECT_EQ(lines[0], std::string("unit           load "));
  EXPECT_EQ(lines[1], std::string("+2 more"));
  lines = fleet_table_lines(model.unit, 80, 3);
  EXPECT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[2], std::string("web@1.service  loaded  inactive  dead     -"));
  EXPECT_EQ(fleet_table_lines(model.unit, 80, 0).size(), 0u);
  // Columns count code points, and a cut never splits one.
  ASSERT(fleet_apply_message("{\"type\":\"unit\",\"fields\":[\"a\",\"b\"],"
                             "\"items\":[[\"caf\\u00e9\",\"x\"],[\"tea\",\"y\"]]}",
                             &model, &err));
  lines = fleet_table_lines(model.unit, 80, 5);
  ASSERT(lines.size() == 3u);
  EXPECT_EQ(lines[0], std::string("a     b"));
  EXPECT_EQ(lines[1], std::string("caf\xc3\xa9  x"));
  EXPECT_EQ(lines[2], std::string("tea   y"));
  lines = fleet_table_lines(model.unit, 4, 5);
  EXPECT_EQ(lines[1], std::string("caf\xc3\xa9"));
  lines = fleet_table_lines(model.unit, 3, 5);
  EXPECT_EQ(lines[1], std::string("caf"));
}
