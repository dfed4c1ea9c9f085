#include "agent/peer_spec.h"

#include "base/test.h"

TEST(peer_spec_ws_urls) {
  std::vector<PeerSpec> specs;
  std::string err;
  ASSERT(peer_spec_add(&specs, "pi", "ws://127.0.0.1:3000", &err));
  ASSERT(peer_spec_add(&specs, "vm-2.lan", "ws://localhost:3001?token=s3%21", &err));
  ASSERT(peer_spec_add(&specs, "c", "ws://[::1]:3002/ws", &err));
  ASSERT(peer_spec_add(&specs, "d", "ws://10.0.0.4", &err));
  ASSERT(specs.size() == 4);
  EXPECT(specs[0].ws);
  EXPECT_EQ(specs[0].host, std::string("127.0.0.1"));
  EXPECT_EQ(int{specs[0].port}, 3000);
  EXPECT_EQ(specs[0].target, std::string("/ws"));
  EXPECT_EQ(specs[0].token, std::string(""));
  EXPECT_EQ(specs[1].target, std::string("/ws?token=s3%21"));  // socktop reads the query itself
  EXPECT_EQ(specs[1].token, std::string("s3!"));
  EXPECT_EQ(specs[1].address(), std::string("localhost:3001"));
  EXPECT_EQ(specs[2].host, std::string("::1"));
  EXPECT_EQ(specs[2].address(), std::string("[::1]:3002"));
  EXPECT_EQ(specs[3].address(), std::string("10.0.0.4:80"));
}

TEST(peer_spec_assignment_and_http) {
  std::vector<PeerSpec> specs;
  std::string err;
  ASSERT(peer_spec_add_assignment(&specs, " node = http://127.0.0.1:9100/metrics?token=t ", &err));
  EXPECT_EQ(specs[0].name, std::string("node"));
  EXPECT(!specs[0].ws);
  EXPECT_EQ(specs[0].target, std::string("/metrics"));  // the token goes as a bearer token
  EXPECT_EQ(specs[0].token, std::string("t"));
  ASSERT(peer_spec_add_assignment(&specs, "bare=http://127.0.0.1:9100", &err));
  EXPECT_EQ(specs[1].target, std::string("/metrics"));
  EXPECT(!peer_spec_add_assignment(&specs, "no-equals-sign", &err));
  EXPECT_EQ(err, std::string("expected NAME=URL"));
}

TEST(peer_spec_errors) {
  std::vector<PeerSpec> specs;
  std::string err;
  ASSERT(peer_spec_add(&specs, "a", "ws://127.0.0.1:3000", &err));
  EXPECT(!peer_spec_add(&specs, "a", "ws://127.0.0.1:3001", &err));
  EXPECT_EQ(err, std::string("peer 'a' is declared twice"));
  EXPECT(!peer_spec_add(&specs, "b c", "ws://127.0.0.1:3001", &err));
  EXPECT_EQ(err, std::string("peer name 'b c' may only hold A-Z, a-z, 0-9, '_', '.' and '-'"));
  EXPECT(!peer_spec_add(&specs, "", "ws://127.0.0.1:3001", &err));
  EXPECT_EQ(err, std::string("peer name must be 1 to 64 bytes"));
  const char* const bad[][2] = {
      {"127.0.0.1:3001", "expected ws://HOST:PORT[/ws][?token=T] or http://HOST:PORT/PATH"},
      {"wss://127.0.0.1:3001", "scheme wss is not supported (ws:// for statd and socktop agents, http:// for Prometheus endpoints)"},
      {"ws://127.0.0.1:99999", "bad port"},
      {"ws://127.0.0.1:0", "bad port"},
      {"ws://127.0.0.1:", "bad port"},
      {"ws://[::1]x:3000", "bad port"},
      {"ws://[::1:3000", "unclosed '[' in host"},
      {"ws://pi.lan:3000", "host 'pi.lan' is not an IP address (statd looks up no names; use the address or localhost)"},
      {"ws://:3000", "host '' is not an IP address (statd looks up no names; use the address or localhost)"},
      {"http://u:p@127.0.0.1:9100/metrics", "user:password@ is not supported (give a token as ?token=T)"},
      {"ws://127.0.0.1:3000/w s", "spaces, control and non-ASCII bytes are not allowed"},
  };
  for (const auto& b : bad) {
    EXPECT(!peer_spec_add(&specs, "b", b[0], &err));
    EXPECT_EQ(err, "peer 'b': bad URL '" + std::string(b[0]) + "': " + b[1]);
  }
  EXPECT_EQ(specs.size(), size_t{1});
}

TEST(peer_spec_sd_json_exact) {
  std::vector<PeerSpec> specs;
  std::string err;
  ASSERT(peer_spec_add(&specs, "a", "ws://127.0.0.1:3000/ws?token=x", &err));
  ASSERT(peer_spec_add(&specs, "n", "http://[::1]:9100/node/metrics?x=1", &err));
  std::string json;
  peer_sd_json(specs, &json);
  EXPECT_EQ(json, std::string("[{\"targets\":[\"127.0.0.1:3000\"],\"labels\":{\"peer\":\"a\",\"__metrics_path__\":\"/metrics\"}},"
                              "{\"targets\":[\"[::1]:9100\"],\"labels\":{\"peer\":\"n\",\"__metrics_path__\":\"/node/metrics\"}}]"));
  std::string empty;
  peer_sd_json({}, &empty);
  EXPECT_EQ(empty, std::string("[]"));
}
