#include "agent/client.h"

#include "agent/agent.h"
#include "agent/dashboard.h"
#include "agent/prometheus.h"
#include "agent/rtstat_raw.h"
#include "agent/socktop.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/str.h"
#include "codec/base64.h"
#include "codec/gzip.h"

static ConnLimits limits_for(const StatdOptions& opts) {
  ConnLimits limits;
  limits.send_timeout_ms = static_cast<uint64_t>(opts.send_timeout_s) * 1000;
  return limits;
}

Client::Client(Agent* agent, int fd)
    : agent_(agent), conn_(&agent->loop, fd, limits_for(agent->opts), this) {
  conn_.set_deadline(kRequestDeadlineMs);
}

void Client::on_conn_input(Conn*) {
  if (mode_ == Mode::kHttp && !request_started_) {
    request_started_ = true;
    conn_.set_deadline(kRequestDeadlineMs);
  }
  process_input();
}

void Client::on_conn_drained(Conn*) {
  // Input that arrived while a reply was queued (pipelining) waits for this.
  if (!conn_.input().empty()) process_input();
  if (mode_ == Mode::kFleet && !conn_.closed()) agent_->fleet.on_drained(this);
}

void Client::on_conn_established(Conn*) {
  if (mode_ == Mode::kRtstatRaw) conn_.clear_deadline();
}

void Client::on_conn_closed(Conn*) {
  agent_->addr_limits.release(&addr_ticket);
  if (rtstat_) rtstat_->detach();  // frees its client slot and push schedule now
  if (mode_ == Mode::kFleet) agent_->fleet.unsubscribe(this);
  agent_->client_closed(this);
}

void Client::process_input() {
  while (!conn_.closed() && conn_.queued_output() == 0 && !conn_.input().empty()) {
    if (mode_ == Mode::kHttp) {
      if (!handle_http()) return;
    } else if (mode_ == Mode::kRtstatRaw) {
      if (rtstat_raw_process(&conn_, rtstat_.get())) agent_->stats.protocol_errors++;
      return;
    } else {
      handle_ws();
      return;
    }
  }
}

void Client::reply(int status, std::string_view content_type, std::string_view body,
                   std::string_view extra_headers) {
  std::string head;
  http_write_response(&head, status, content_type, extra_headers, body, keep_alive_,
                      /*head_only=*/true);
  if (!conn_.send(head, head_request_ ? std::string_view() : body)) return;
  if (!keep_alive_) {
    conn_.close_after_flush();
    return;
  }
  request_started_ = false;
  conn_.set_deadline(kKeepAliveIdleMs);
}

bool Client::handle_http() {
  HttpRequest req;
  int status = 400;
  HttpParse result = http_parse_request(conn_.input(), &req, &status);
  if (result == HttpParse::kIncomplete) return false;
  agent_->stats.http_requests++;
  if (result == HttpParse::kError) {
    agent_->stats.protocol_errors++;
    keep_alive_ = false;
    head_request_ = false;
    reply(status, "text/plain; charset=utf-8", std::string(http_reason(status)) + "\n");
    return false;
  }
  keep_alive_ = req.keep_alive && !req.has_body;  // bodies are not read: cannot resync
  head_request_ = req.method == "HEAD";
  // Views in req point into the input buffer: route before consuming it.
  route(req);
  if (!conn_.closed()) conn_.consume(req.head_bytes);
  return !conn_.closed() && mode_ == Mode::kHttp;
}

void Client::route(const HttpRequest& req) {
  bool get = req.method == "GET" || req.method == "HEAD";
  // fleet-monitor (fleet.md §1): a --fleet-listen port upgrades on any
  // path; what is not a WebSocket handshake gets 400 there.
  if (fleet_port_) {
    if (req.method != "GET") return reply(400, "text/plain; charset=utf-8", "expected a WebSocket upgrade\n");
    return upgrade_websocket(req, Mode::kFleet);
  }
  if (req.path == "/fleet" && agent_->fleet.has_source()) {
    if (req.method != "GET") return reply(405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET\r\n");
    return upgrade_websocket(req, Mode::kFleet);
  }
  if (req.path == "/ws") {
    if (req.method != "GET") return reply(405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET\r\n");
    return upgrade_websocket(req, Mode::kSocktop);
  }
  // rt-stat's WebSocket (any path upstream; the browser client uses "/").
  // A plain GET / is not an upgrade: it gets the dashboard (below).
  const std::string_view* upgrade = req.header("Upgrade");
  bool wants_websocket = upgrade && str_list_has(*upgrade, "websocket");
  if (req.path == "/rtstat" || (req.path == "/" && wants_websocket)) {
    if (req.method != "GET") return reply(405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET\r\n");
    return upgrade_websocket(req, Mode::kRtstatWs);
  }
  if (req.path == "/healthz") {
    if (!get) return reply(405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET, HEAD\r\n");
    return reply(200, "", "");
  }
  // GET /sd: the peers as Prometheus HTTP service discovery, behind /metrics' auth.
  if (req.path == "/metrics" || (req.path == "/sd" && !agent_->opts.peers.empty())) {
    if (!get) return reply(405, "text/plain; charset=utf-8", "method not allowed\n", "Allow: GET, HEAD\r\n");
    return handle_metrics(req);
  }
  DashboardReply page;  // GET /: the browser dashboard (agent/dashboard.h)
  if (dashboard_reply(req, &page)) return reply(page.status, page.content_type, page.body, page.headers);
  reply(404, "text/plain; charset=utf-8", "not found\n");
}

bool Client::metrics_authorized(const HttpRequest& req) const {
  const std::string& token = agent_->opts.token;
  if (token.empty()) return true;
  const std::string_view* auth = req.header("Authorization");
  if (!auth) return false;
  std::string_view value = *auth;
  size_t space = value.find(' ');
  if (space == std::string_view::npos) return false;
  std::string_view scheme = value.substr(0, space);
  std::string_view credentials = str_trim(value.substr(space + 1));
  if (str_equal_ci(scheme, "Bearer")) return str_equal_const_time(token, credentials);
  if (str_equal_ci(scheme, "Basic")) {
    // Any user name; the password is the token (what Prometheus'
    // basic_auth and gotop-behind-Caddy setups send).
    std::string decoded;
    if (!base64_decode(credentials, &decoded)) return false;
    size_t colon = decoded.find(':');
    if (colon == std::string::npos) return false;
    return str_equal_const_time(token, std::string_view(decoded).substr(colon + 1));
  }
  return false;
}

AuthVerdict Client::token_attempt(bool token_ok) {
  AuthVerdict verdict = agent_->addr_limits.auth_attempt(addr_ticket.key, token_ok, agent_->loop.now_ms());
  if (verdict == AuthVerdict::kAccepted) agent_->addr_limits.release(&addr_ticket);  // no longer counts
  return verdict;
}

void Client::reply_locked_out() {
  uint64_t left_ms = agent_->addr_limits.lockout_left_ms(addr_ticket.key, agent_->loop.now_ms());
  keep_alive_ = false;
  reply(429, "text/plain; charset=utf-8", "too many wrong tokens from this address; try later\n",
        "Retry-After: " + std::to_string((left_ms + 999) / 1000) + "\r\n");
}

void Client::handle_metrics(const HttpRequest& req) {
  // A wrong token counts towards its address's lockout; no token at all does not.
  bool authorized = metrics_authorized(req);
  if (!agent_->opts.token.empty() && req.header("Authorization")) {
    AuthVerdict verdict = token_attempt(authorized);
    if (verdict == AuthVerdict::kLockedOut) return reply_locked_out();
    authorized = verdict == AuthVerdict::kAccepted;
  }
  if (!authorized) {
    agent_->stats.auth_failures++;
    return reply(401, "text/plain; charset=utf-8", "unauthorized\n",
                 "WWW-Authenticate: Bearer realm=\"statd\"\r\nWWW-Authenticate: Basic realm=\"statd\"\r\n");
  }
  // Reused across scrapes: malloc would otherwise hand these pages back to
  // the kernel and fault them in again every time (musl does).
  std::string& body = agent_->scratch_body;
  body.clear();
  if (req.path == "/sd") {
    peer_sd_json(agent_->opts.peers, &body);
    return reply(200, "application/json", body);
  }
  prometheus_write_body(agent_, &body);
  const char* type = "text/plain; version=0.0.4; charset=utf-8";
  const std::string_view* accept_encoding = req.header("Accept-Encoding");
  if (accept_encoding && str_list_has(*accept_encoding, "gzip")) {
    std::string& gz = agent_->scratch_gzip;
    gz.clear();
    gzip_compress(body, &gz);
    return reply(200, type, gz, "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n");
  }
  reply(200, type, body, "Vary: Accept-Encoding\r\n");
}

void Client::upgrade_websocket(const HttpRequest& req, Mode mode) {
  const std::string_view* upgrade = req.header("Upgrade");
  const std::string_view* connection = req.header("Connection");
  const std::string_view* key = req.header("Sec-WebSocket-Key");
  const std::string_view* version = req.header("Sec-WebSocket-Version");
  std::string decoded_key;
  bool key_ok = key && base64_decode(*key, &decoded_key) && decoded_key.size() == 16;
  if (!upgrade || !str_list_has(*upgrade, "websocket") || !connection ||
      !str_list_has(*connection, "upgrade") || !key_ok) {
    agent_->stats.protocol_errors++;
    keep_alive_ = false;
    return reply(400, "text/plain; charset=utf-8", "expected a WebSocket upgrade\n");
  }
  if (!version || *version != "13") {
    keep_alive_ = false;
    return reply(426, "text/plain; charset=utf-8", "WebSocket version 13 only\n",
                 "Sec-WebSocket-Version: 13\r\n");
  }
  std::string out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  out += "Sec-WebSocket-Accept: " + ws_accept_key(*key) + "\r\n";
  // Echo the first offered subprotocol if any (socktop.md §1); never invent
  // one. rt-stat never names one (rtstat.md §1).
  const std::string_view* proto = req.header("Sec-WebSocket-Protocol");
  if (proto && mode != Mode::kRtstatWs) {
    std::string_view first = str_trim(proto->substr(0, proto->find(',')));
    if (!first.empty()) out += "Sec-WebSocket-Protocol: " + std::string(first) + "\r\n";
  }
  out += "\r\n";

  bool authorized = true;
  // rt-stat authenticates in-band (auth::TOKEN), not with ?token=.
  if (!agent_->opts.token.empty() && mode != Mode::kRtstatWs) {
    std::string given;
    bool presented = str_query_param(req.query, "token", &given);
    authorized = presented && str_equal_const_time(agent_->opts.token, given);
    if (presented) {
      AuthVerdict verdict = token_attempt(authorized);
      if (verdict == AuthVerdict::kLockedOut) return reply_locked_out();  // before the 101
      authorized = verdict == AuthVerdict::kAccepted;
    }
  }
  conn_.clear_deadline();
  mode_ = mode;
  if (!conn_.send(out)) return;
  if (!authorized) {
    // socktop's behaviour: 101, then a Close frame without payload.
    agent_->stats.auth_failures++;
    std::string close;
    ws_write_close(&close, 0);
    if (conn_.send(close)) conn_.close_after_flush();
    return;
  }
  if (mode == Mode::kRtstatWs) start_rtstat_ws();
  if (mode == Mode::kFleet) agent_->fleet.subscribe(this);
}

void Client::ws_send(uint8_t opcode, std::string_view payload) {
  std::string header;
  ws_write_frame_header(&header, opcode, payload.size());
  conn_.send(header, payload);
}

void Client::ws_fail(uint16_t code) {
  agent_->stats.protocol_errors++;
  std::string close;
  ws_write_close(&close, code);
  if (conn_.send(close)) conn_.close_after_flush();
}

void Client::handle_ws() {
  for (;;) {
    if (conn_.closed() || conn_.queued_output() > 0) return;  // resume on drain
    size_t used = 0;
    WsEvent ev = ws_.next(conn_.input(), &used);
    switch (ev.kind) {
      case WsEvent::kNone:
        conn_.consume(used);
        if (used == 0) return;
        continue;
      case WsEvent::kError:
        conn_.consume(used);
        return ws_fail(ev.close_code);
      case WsEvent::kClose: {
        conn_.consume(used);
        // Echo the peer's code (RFC 6455 §5.5.1); an empty Close gets an empty one.
        std::string close;
        ws_write_close(&close, ev.close_code == kWsCloseNoStatus ? 0 : ev.close_code);
        if (conn_.send(close)) conn_.close_after_flush();
        return;
      }
      case WsEvent::kPing: {
        std::string pong;
        ws_write_frame(&pong, kWsPong, ev.payload);
        conn_.consume(used);
        if (!conn_.send(pong)) return;
        continue;
      }
      case WsEvent::kPong:
        conn_.consume(used);
        continue;
      case WsEvent::kMessage:
        agent_->stats.ws_messages++;
        // The payload views the receiver's buffer, not the input: safe to consume first.
        conn_.consume(used);
        if (mode_ == Mode::kFleet) continue;  // fleet clients are never read (fleet.md §1)
        if (mode_ != Mode::kRtstatWs) socktop_handle_message(agent_, this, ev.opcode, ev.payload);
        else if (rtstat_) rtstat_->on_message(ev.payload);  // null: refused, closing
        continue;
    }
  }
}

void Client::say_goodbye() {
  if (conn_.closed()) return;
  if (mode_ == Mode::kHttp || mode_ == Mode::kRtstatRaw) {
    conn_.close_now();
    return;
  }
  std::string close;
  ws_write_close(&close, kWsCloseGoingAway, "server shutting down");
  if (conn_.send(close)) conn_.close_after_flush();
}

// ---- rt-stat (../shared/spec/rtstat.md); the protocol is in agent/rtstat.cc ----

void Client::start_rtstat_raw(bool over_tls) {
  mode_ = Mode::kRtstatRaw;
  // Telnet users sit idle between commands; a TLS handshake still has the
  // request deadline (cleared in on_conn_established).
  if (!over_tls) conn_.clear_deadline();
  rtstat_ = std::make_unique<RtstatSession>(&agent_->rtstat, this);
  rtstat_->greet();
}

void Client::start_rtstat_ws() {
  // Over the cap the handshake still completes, then Close 1000 (§4.2).
  if (!agent_->rtstat.has_room()) {
    agent_->stats.connections_refused++;
    std::string close;
    ws_write_close(&close, kWsCloseNormal);
    if (conn_.send(close)) conn_.close_after_flush();
    return;
  }
  rtstat_ = std::make_unique<RtstatSession>(&agent_->rtstat, this);
  rtstat_->greet();
}

void Client::rtstat_send(std::string_view message) {
  if (mode_ == Mode::kRtstatRaw) conn_.send(message);
  else ws_send(kWsText, message);  // one Text frame, LF kept (§1)
}

void Client::rtstat_close() {
  if (mode_ == Mode::kRtstatRaw) return conn_.close_after_flush();
  std::string close;
  ws_write_close(&close, kWsCloseNormal);
  if (conn_.send(close)) conn_.close_after_flush();
}

const char* Client::rtstat_auth_checked(bool token_ok) {
  AuthVerdict verdict = token_attempt(token_ok);
  if (verdict == AuthVerdict::kAccepted) return nullptr;
  if (verdict == AuthVerdict::kLockedOut) return "Too many failed attempts, try later";
  agent_->stats.auth_failures++;
  return "Auth failed";
}

void Client::fleet_send(std::string_view message) { ws_send(kWsText, message); }
