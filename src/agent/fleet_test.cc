#include "agent/fleet.h"

#include "base/test.h"

namespace {

struct FakeSink : FleetSink {
  std::vector<std::string> sent;
  size_t queued = 0;
  void fleet_send(std::string_view m) override { sent.emplace_back(m); }
  size_t fleet_queued_bytes() const override { return queued; }
};

struct CountingSource : FleetSource {
  int starts = 0, stops = 0;
  void start() override { starts++; }
  void stop() override { stops++; }
};

FleetTable units(const char* name) {
  FleetTable t;
  t.fields = {"unit", "load", "active", "sub", "machine"};
  t.rows = {{name, "loaded", "active", "running", "-"}};
  return t;
}

}  // namespace

TEST(fleet_service_new_subscriber_gets_snapshots_at_once) {
  FleetService service;
  FakeSink early;
  service.subscribe(&early);
  EXPECT_EQ(early.sent.size(), 0u);  // nothing published yet
  FleetTable machines;
  machines.fields = {"machine", "ip", "metadata"};
  service.publish(FleetKind::kMachine, machines);
  service.publish(FleetKind::kUnit, units("a.service"));
  ASSERT(early.sent.size() == 2);
  EXPECT_EQ(early.sent[0], std::string("{\"type\":\"machine\",\"fields\":[\"machine\",\"ip\",\"metadata\"],\"items\":[]}"));
  FakeSink late;
  service.subscribe(&late);
  ASSERT(late.sent.size() == 2);
  EXPECT_EQ(late.sent[0], early.sent[0]);
  EXPECT_EQ(late.sent[1], std::string("{\"type\":\"unit\",\"fields\":[\"unit\",\"load\",\"active\",\"sub\",\"machine\"],"
                                      "\"items\":[[\"a.service\",\"loaded\",\"active\",\"running\",\"-\"]]}"));
}

TEST(fleet_service_slow_subscriber_gets_only_the_newest_on_drain) {
  FleetService service;
  FakeSink slow, fast;
  service.subscribe(&slow);
  service.subscribe(&fast);
  slow.queued = 1000;
  service.publish(FleetKind::kUnit, units("a.service"));
  service.publish(FleetKind::kUnit, units("b.service"));
  service.publish(FleetKind::kUnit, units("c.service"));
  EXPECT_EQ(fast.sent.size(), 3u);
  EXPECT_EQ(slow.sent.size(), 0u);
  service.on_drained(&slow);  // still queued: nothing
  EXPECT_EQ(slow.sent.size(), 0u);
  slow.queued = 0;
  service.on_drained(&slow);
  ASSERT(slow.sent.size() == 1);
  EXPECT_EQ(slow.sent[0], fast.sent[2]);
  service.on_drained(&slow);  // nothing left over
  EXPECT_EQ(slow.sent.size(), 1u);
}

TEST(fleet_service_source_runs_only_while_subscribed) {
  FleetService service;
  auto owned = std::make_unique<CountingSource>();
  CountingSource* source = owned.get();
  service.set_source(std::move(owned));
  FakeSink a, b;
  service.subscribe(&a);
  service.subscribe(&b);
  EXPECT_EQ(source->starts, 1);
  service.unsubscribe(&a);
  EXPECT_EQ(source->stops, 0);
  service.unsubscribe(&b);
  EXPECT_EQ(source->stops, 1);
  EXPECT_EQ(service.subscriber_count(), 0u);
}

TEST(fleet_fleetctl_argv) {
  FleetctlSource::Config c;
  c.command = "/opt/bin/fleetctl";
  c.global_args = {"--tunnel", "core1:22"};
  std::vector<std::string> units = FleetctlSource::argv_for(c, FleetKind::kUnit);
  EXPECT(units == (std::vector<std::string>{"/opt/bin/fleetctl", "--tunnel", "core1:22", "list-units", "-l",
                                            "-no-legend", "-fields", "unit,load,active,sub,machine"}));
  c.global_args.clear();
  std::vector<std::string> machines = FleetctlSource::argv_for(c, FleetKind::kMachine);
  EXPECT(machines == (std::vector<std::string>{"/opt/bin/fleetctl", "list-machines", "-l", "-no-legend", "-fields",
                                               "machine,ip,metadata"}));
}
