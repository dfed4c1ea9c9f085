#include "agent/fleet_peers.h"

#include "base/test.h"
#include "codec/gzip.h"
#include "net/websocket.h"

TEST(fleet_peers_metrics_reply) {
  PeerSample s;
  std::string err;
  ASSERT(peer_decode_metrics("{\"sampled_at_ms\":1,\"cpu_total\":7.5,\"cpu_per_core\":[],\"mem_total\":1000,"
                             "\"mem_used\":250,\"hostname\":\"x\",\"gpus\":null}", &s, &err));
  EXPECT(s.has_cpu && s.has_memory && !s.has_load && !s.has_uptime);
  EXPECT_EQ(s.cpu_percent, 7.5);
  EXPECT_EQ(s.memory_percent, 25.0);
  PeerSample bad;
  EXPECT(!peer_decode_metrics("{\"cpu_total\":1}", &bad, &err));
  EXPECT_EQ(err, std::string("metrics reply without cpu_total, mem_total and mem_used"));
  EXPECT(!peer_decode_metrics("{\"cpu_total\":", &bad, &err));
}

TEST(fleet_peers_binary_reply_is_gunzipped) {
  std::string gz, json, err;
  gzip_compress("{\"a\":1}", &gz);
  ASSERT(peer_ws_reply_json(kWsBinary, gz, &json, &err));
  EXPECT_EQ(json, std::string("{\"a\":1}"));
  ASSERT(peer_ws_reply_json(kWsText, "{}", &json, &err));
  EXPECT_EQ(json, std::string("{}"));
  EXPECT(!peer_ws_reply_json(kWsBinary, std::string("\x08\x01", 2), &json, &err));
  EXPECT_EQ(err, std::string("unexpected binary reply"));
}

TEST(fleet_peers_services_reply) {
  std::vector<PeerUnit> units;
  std::string err;
  ASSERT(peer_decode_services("{\"manager\":\"openrc\",\"services\":[{\"name\":\"crond\",\"state\":\"running\",\"enabled\":true},"
                              "{\"name\":\"\",\"state\":\"x\"},{\"name\":\"nginx\",\"state\":\"failed\",\"enabled\":false}]}",
                              &units, &err));
  ASSERT(units.size() == 2);
  EXPECT_EQ(units[0].name, std::string("crond"));
  EXPECT_EQ(units[0].state, std::string("running"));
  EXPECT(units[0].enabled);
  EXPECT_EQ(units[1].name, std::string("nginx"));
  EXPECT(!units[1].enabled);
  EXPECT(!peer_decode_services("{\"manager\":\"none\"}", &units, &err));
  EXPECT_EQ(err, std::string("services reply without a services array"));
}

TEST(fleet_peers_prometheus_node_names) {
  const char* first =
      "# TYPE node_load1 gauge\nnode_load1 0.52\n"
      "node_memory_MemTotal_bytes 4e+09\nnode_memory_MemAvailable_bytes 3e+09\n"
      "node_time_seconds 1000.7\nnode_boot_time_seconds 400\n"
      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 100\nnode_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 50\n"
      "node_cpu_seconds_total{cpu=\"1\",mode=\"iowait\"} 10\nnode_cpu_seconds_total{cpu=\"1\",mode=\"system\"} 40\n";
  PeerCpuTimes cpu;
  PeerSample s;
  std::string err;
  ASSERT(peer_decode_prometheus(first, &cpu, &s, &err));
  EXPECT(s.has_load && s.has_memory && s.has_uptime && !s.has_cpu);  // CPU needs two polls
  EXPECT_EQ(s.load1, 0.52);
  EXPECT_EQ(s.memory_percent, 25.0);
  EXPECT_EQ(s.uptime_s, uint64_t{600});
  EXPECT(cpu.valid);
  EXPECT_EQ(cpu.total_s, 200.0);
  EXPECT_EQ(cpu.idle_s, 110.0);
  // +30 s idle, +10 s busy: 25 % busy.
  const char* second =
      "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 130\nnode_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 55\n"
      "node_cpu_seconds_total{cpu=\"1\",mode=\"iowait\"} 10\nnode_cpu_seconds_total{cpu=\"1\",mode=\"system\"} 45\n";
  PeerSample s2;
  ASSERT(peer_decode_prometheus(second, &cpu, &s2, &err));
  EXPECT(s2.has_cpu && !s2.has_load);
  EXPECT_EQ(s2.cpu_percent, 25.0);
  PeerSample none;
  EXPECT(!peer_decode_prometheus("up 1\n", &cpu, &none, &err));
  EXPECT_EQ(err, std::string("no node_* or gotop_* metrics in the body"));
  EXPECT(!peer_decode_prometheus("<html>", &cpu, &none, &err));
  EXPECT_EQ(err, std::string("not Prometheus text"));
}

TEST(fleet_peers_tables_exact) {
  std::vector<PeerSpec> specs;
  std::string err;
  ASSERT(peer_spec_add(&specs, "a", "ws://127.0.0.1:3000", &err));
  ASSERT(peer_spec_add(&specs, "b", "http://127.0.0.1:9100/metrics", &err));
  ASSERT(peer_spec_add(&specs, "c", "ws://[::1]:3002", &err));
  std::vector<PeerStatus> status(3);
  status[0].state = PeerState::kUp;
  status[0].sample.has_cpu = status[0].sample.has_memory = true;
  status[0].sample.cpu_percent = 7.25;
  status[0].sample.memory_percent = 33.333;
  status[0].units = {{"sshd", "running", true}, {"cron", "stopped", false}, {"sshd", "failed", false}};
  status[1].state = PeerState::kUp;
  status[1].sample.has_load = status[1].sample.has_uptime = true;
  status[1].sample.load1 = 1.5;
  status[1].sample.uptime_s = 3600;
  status[2].state = PeerState::kUnauthorized;
  status[2].sample.has_cpu = true;  // stale figures of a peer that is not up are not shown
  status[2].units = {{"x", "running", true}};
  FleetTable machines;
  peer_machine_table(specs, status, &machines);
  std::string json;
  fleet_message_json("machine", machines, &json);
  EXPECT_EQ(json, std::string("{\"type\":\"machine\",\"fields\":[\"name\",\"address\",\"state\",\"cpu\",\"memory\",\"load\",\"uptime\"],"
                              "\"items\":[[\"a\",\"127.0.0.1:3000\",\"up\",\"7.2\",\"33.3\",\"\",\"\"],"
                              "[\"b\",\"127.0.0.1:9100\",\"up\",\"\",\"\",\"1.50\",\"3600\"],"
                              "[\"c\",\"[::1]:3002\",\"unauthorized\",\"\",\"\",\"\",\"\"]]}"));
  FleetTable units;
  peer_unit_table(specs, status, &units);
  json.clear();
  fleet_message_json("unit", units, &json);
  EXPECT_EQ(json, std::string("{\"type\":\"unit\",\"fields\":[\"unit\",\"machine\",\"state\",\"enabled\"],"
                              "\"items\":[[\"sshd@a\",\"a\",\"running\",\"enabled\"],[\"cron@a\",\"a\",\"stopped\",\"disabled\"]]}"));
}

TEST(fleet_peers_http_head) {
  PeerHttpHead head;
  std::string err;
  EXPECT(peer_parse_http_head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", &head, &err) ==
         PeerParse::kIncomplete);
  std::string text = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nsec-websocket-accept:  abc= \r\n\r\n\x81\x02{}";
  ASSERT(peer_parse_http_head(text, &head, &err) == PeerParse::kOk);
  EXPECT_EQ(head.status, 101);
  EXPECT_EQ(head.ws_accept, std::string("abc="));
  EXPECT_EQ(head.head_bytes, text.size() - 4);
  PeerHttpHead h2;
  ASSERT(peer_parse_http_head("HTTP/1.0 404 Not Found\r\n\r\n", &h2, &err) == PeerParse::kOk);
  EXPECT_EQ(h2.status, 404);
  PeerHttpHead h3;
  EXPECT(peer_parse_http_head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", &h3, &err) == PeerParse::kError);
  EXPECT_EQ(err, std::string("unexpected Transfer-Encoding: chunked"));
  EXPECT(peer_parse_http_head("SSH-2.0-OpenSSH\r\n\r\n", &h3, &err) == PeerParse::kError);
  EXPECT_EQ(err, std::string("bad HTTP status line"));
  EXPECT(peer_parse_http_head("HTTP/1.1 2x0 OK\r\n\r\n", &h3, &err) == PeerParse::kError);
  EXPECT(peer_parse_http_head(std::string(kPeerMaxHeadBytes + 1, 'a'), &h3, &err) == PeerParse::kError);
  EXPECT_EQ(err, std::string("response head too large"));
}

TEST(fleet_peers_prometheus_gotop_names) {
  // gotop --export: CPU and memory at once; node_* CPU deltas win from the second poll on.
  PeerCpuTimes cpu;
  PeerSample s;
  std::string err;
  ASSERT(peer_decode_prometheus("gotop_cpu_CPU0 10\ngotop_cpu_CPU1 25\ngotop_memory_Main 42.5\ngotop_memory_Swap 1\n", &cpu, &s, &err));
  EXPECT(s.has_cpu && s.has_memory && !s.has_load && !s.has_uptime);
  EXPECT_EQ(s.cpu_percent, 17.5);
  EXPECT_EQ(s.memory_percent, 42.5);
  const char* both = "gotop_cpu_CPU0 90\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 10\n"
                     "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 10\n";
  PeerSample first, second;
  ASSERT(peer_decode_prometheus(both, &cpu, &first, &err));
  EXPECT_EQ(first.cpu_percent, 90.0);
  ASSERT(peer_decode_prometheus("gotop_cpu_CPU0 90\nnode_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 13\n"
                                "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 11\n", &cpu, &second, &err));
  EXPECT_EQ(second.cpu_percent, 25.0);
}

TEST(fleet_peers_prometheus_odd_lines) {
  // Timestamps, CR LF, labels holding '}' and spaces, a bad value (skipped).
  PeerCpuTimes cpu;
  PeerSample s;
  std::string err;
  ASSERT(peer_decode_prometheus("node_load1 1.25 1700000000000\r\nnode_load1{x=\"a } b\"} 9\r\nnode_memory_MemTotal_bytes abc\n"
                                "node_cpu_seconds_total{cpu=\"0\"} 5\n", &cpu, &s, &err));
  EXPECT_EQ(s.load1, 9.0);  // the last line with the name wins
  EXPECT(!s.has_memory && !cpu.valid);
}
