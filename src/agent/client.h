// One accepted connection: HTTP requests until it upgrades to WebSocket,
// then WebSocket messages handed to the endpoint it upgraded on.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "agent/addr_limits.h"
#include "agent/fleet.h"
#include "agent/rtstat.h"
#include "net/conn.h"
#include "net/http.h"
#include "net/websocket.h"

class Agent;

constexpr uint64_t kRequestDeadlineMs = 10 * 1000;   // first byte to full head
constexpr uint64_t kKeepAliveIdleMs = 60 * 1000;     // between requests
constexpr size_t kWsMaxMessageBytes = 64 * 1024;

class Client final : public ConnHandler, public RtstatSink, public FleetSink {
 public:
  Client(Agent* agent, int fd);

  /// This connection came in on an rt-stat raw port: greet, then lines.
  /// Over TLS the request deadline stays until the handshake completes.
  void start_rtstat_raw(bool over_tls);

  void on_conn_input(Conn* conn) override;
  void on_conn_closed(Conn* conn) override;
  void on_conn_drained(Conn* conn) override;
  void on_conn_established(Conn* conn) override;

  /// Close 1001 for shutdown (WebSocket clients); HTTP ones just close.
  void say_goodbye();

  Conn& conn() { return conn_; }

  /// Sends one WebSocket data frame (server frames are unmasked).
  void ws_send(uint8_t opcode, std::string_view payload);

  void rtstat_send(std::string_view message) override;
  void rtstat_close() override;

  /// This connection came in on a --fleet-listen port: any path is the feed.
  void set_fleet_port() { fleet_port_ = true; }
  void fleet_send(std::string_view message) override;
  size_t fleet_queued_bytes() const override { return conn_.queued_output(); }
  const char* rtstat_auth_checked(bool token_ok) override;

  /// This connection's place in its address's count (Agent::on_accept).
  AddrTicket addr_ticket;

 private:
  enum class Mode { kHttp, kSocktop, kRtstatWs, kRtstatRaw, kFleet };

  void process_input();
  bool handle_http();  // false: stop processing input (closed or waiting)
  void route(const HttpRequest& req);
  void handle_metrics(const HttpRequest& req);
  void upgrade_websocket(const HttpRequest& req, Mode mode);
  void reply(int status, std::string_view content_type, std::string_view body,
             std::string_view extra_headers = {});
  void handle_ws();
  void ws_fail(uint16_t code);
  void start_rtstat_ws();
  bool metrics_authorized(const HttpRequest& req) const;
  /// A presented token, right or wrong: the address's lockout decides too.
  AuthVerdict token_attempt(bool token_ok);
  void reply_locked_out();

  Agent* agent_;
  Conn conn_;
  Mode mode_ = Mode::kHttp;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool request_started_ = false;
  WsReceiver ws_{true, kWsMaxMessageBytes};
  std::unique_ptr<RtstatSession> rtstat_;  ///< rt-stat modes only
  bool fleet_port_ = false;
};
