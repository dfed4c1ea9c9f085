#include "agent/fleet_peer_poll.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/random.h"
#include "base/str.h"
#include "codec/base64.h"
#include "net/websocket.h"

// One request to one peer: connect, (upgrade,) ask, read one reply, close.
struct PeerSource::Probe final : public FdWatcher {
  PeerSource* owner;
  size_t peer;
  FleetKind kind;
  int fd = -1;
  bool connecting = false, head_done = false, upgraded = false;
  TimerId timeout;
  std::string in, key;
  PeerHttpHead head;
  WsReceiver ws{false, kPeerMaxReplyBytes};

  Probe(PeerSource* o, size_t p, FleetKind k) : owner(o), peer(p), kind(k) {}
  ~Probe() { close_fd(); }
  bool busy() const { return fd >= 0; }
  const PeerSpec& spec() const { return owner->config_.peers[peer]; }
  bool is_ws() const { return spec().ws; }
  /// This request is an HTTP GET of Prometheus text, not a WebSocket one.
  bool over_http() const { return !is_ws() || (kind == FleetKind::kMachine && !owner->socktop_only_[peer]); }

  void close_fd() {
    if (fd < 0) return;
    owner->loop_->unwatch(fd);
    ::close(fd);
    fd = -1;
    owner->loop_->cancel_timer(&timeout);
  }

  void begin();
  void on_fd_ready(int ready_fd, int revents) override;
  static void on_timeout(void* self);
  void send_request();
  void read_input();
  void on_head();
  void on_body();
  void on_frames();
  void on_message(uint8_t opcode, std::string_view payload);
  void finish(PeerState state, const std::string& why, const PeerSample& sample = PeerSample(),
              std::vector<PeerUnit>* units = nullptr) {
    close_fd();
    std::string().swap(in);  // an idle aggregator holds no reply buffers
    owner->probe_done(this, state, sample, units, why);
  }
};

void PeerSource::Probe::begin() {
  const PeerSpec& a = spec();
  in.clear();
  head = PeerHttpHead();
  ws = WsReceiver(false, kPeerMaxReplyBytes);
  head_done = upgraded = false;
  fd = socket(a.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return finish(PeerState::kDown, strerror(errno));
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a.addr), a.addr_len) != 0 && errno != EINPROGRESS)
    return finish(PeerState::kDown, strerror(errno));
  connecting = true;
  owner->loop_->watch(fd, POLLOUT, this);
  timeout = owner->loop_->add_timer(owner->config_.timeout_ms, on_timeout, this);
}

void PeerSource::Probe::on_timeout(void* self) {
  Probe* p = static_cast<Probe*>(self);
  p->timeout = TimerId();
  // A WebSocket that opened but never answered get_services: a socktop
  // agent, which ignores requests it does not know.
  if (p->kind == FleetKind::kUnit && p->upgraded) p->owner->skip_services_[p->peer] = kPeerServicesRetryRounds;
  p->finish(PeerState::kDown, str_cat({"no reply within ", std::to_string(p->owner->config_.timeout_ms), " ms"}));
}

void PeerSource::Probe::on_fd_ready(int, int revents) {
  if (!connecting) return read_input();
  int error = 0;
  socklen_t len = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
  if (error != 0) return finish(PeerState::kDown, strerror(error));
  connecting = false;
  owner->loop_->watch(fd, POLLIN, this);
  send_request();
}

void PeerSource::Probe::send_request() {
  const PeerSpec& s = spec();
  // A GET in HTTP/1.0: the body comes plain (no chunks) and ends when the
  // server closes. The upgrade must be HTTP/1.1.
  std::string request = str_cat({"GET ", over_http() && is_ws() ? std::string_view("/metrics") : s.target,
                                  over_http() ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n", "Host: ", s.address(), "\r\n"});
  if (over_http()) {
    if (!s.token.empty()) request += str_cat({"Authorization: Bearer ", s.token, "\r\n"});
  } else {
    char nonce[16];
    random_bytes(nonce, sizeof nonce);
    key = base64_encode(std::string_view(nonce, sizeof nonce));
    request += str_cat({"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ", key, "\r\n"});
  }
  request += "\r\n";
  // A request of a few hundred bytes into an empty socket buffer: one write.
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
    finish(PeerState::kDown, "could not send the request");
}

void PeerSource::Probe::read_input() {
  char buf[16384];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n == 0 && head_done && !upgraded) return on_body();  // the body ends with the connection
  if (n <= 0) return finish(PeerState::kDown, n < 0 ? strerror(errno) : "connection closed by the peer");
  if (in.size() + static_cast<size_t>(n) > kPeerMaxReplyBytes) return finish(PeerState::kDown, "reply too large");
  in.append(buf, static_cast<size_t>(n));
  if (upgraded) return on_frames();
  if (head_done) return;
  std::string err;
  PeerParse r = peer_parse_http_head(in, &head, &err);
  if (r == PeerParse::kIncomplete) return;
  if (r == PeerParse::kError) return finish(PeerState::kDown, err);
  head_done = true;
  in.erase(0, head.head_bytes);
  on_head();
}

void PeerSource::Probe::on_head() {
  // 429: statd locked this address out after wrong tokens.
  if (head.status == 401 || head.status == 403 || head.status == 429)
    return finish(PeerState::kUnauthorized, "HTTP " + std::to_string(head.status));
  if (over_http()) {
    if (is_ws() && head.status >= 400 && head.status < 500) {
      // No /metrics (socktop's agent says 404; a WebSocket-only server
      // may say 426): a socktop agent. From now on it gets get_metrics.
      owner->socktop_only_[peer] = true;
      close_fd();
      return begin();
    }
    if (head.status != 200) return finish(PeerState::kDown, "HTTP " + std::to_string(head.status));
    return;  // the body follows
  }
  if (head.status != 101) return finish(PeerState::kDown, str_cat({"HTTP ", std::to_string(head.status), " instead of a WebSocket"}));
  if (head.ws_accept != ws_accept_key(key)) return finish(PeerState::kDown, "bad Sec-WebSocket-Accept");
  upgraded = true;
  std::string frame;
  uint8_t mask[4];
  random_bytes(mask, sizeof mask);
  // statd answers the JSON form as uncompressed Text; socktop knows only
  // the plain get_metrics (and answers big replies gzipped).
  ws_write_frame(&frame, kWsText, kind == FleetKind::kUnit ? "{\"type\":\"services\"}" : "get_metrics", true, mask);
  if (send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame.size()))
    return finish(PeerState::kDown, "could not send the request");
  on_frames();  // frames that came with the 101
}

void PeerSource::Probe::on_body() {
  std::string err;
  PeerSample sample;
  if (!peer_decode_prometheus(in, &owner->status_[peer].cpu, &sample, &err)) return finish(PeerState::kDown, err);
  finish(PeerState::kUp, "", sample);
}

void PeerSource::Probe::on_frames() {
  for (;;) {
    size_t consumed = 0;
    WsEvent e = ws.next(in, &consumed);
    if (e.kind == WsEvent::kNone && consumed == 0) return;
    std::string payload(e.payload);  // in is about to change
    uint8_t opcode = e.opcode;
    in.erase(0, consumed);
    switch (e.kind) {
      case WsEvent::kMessage:
        return on_message(opcode, payload);
      case WsEvent::kClose:
        // socktop's answer to a wrong or missing token: 101, then an empty Close.
        return finish(e.close_code == kWsCloseNoStatus ? PeerState::kUnauthorized : PeerState::kDown,
                      str_cat({"closed by the peer (", std::to_string(e.close_code), ")"}));
      case WsEvent::kError:
        return finish(PeerState::kDown, "bad WebSocket frame");
      default:
        break;  // pings and pongs: the reply still comes
    }
  }
}

void PeerSource::Probe::on_message(uint8_t opcode, std::string_view payload) {
  // Say goodbye properly (Close 1000) rather than vanish: the peer logs no
  // error. Its answering Close is not waited for.
  std::string bye;
  uint8_t mask[4];
  random_bytes(mask, sizeof mask);
  ws_write_close(&bye, kWsCloseNormal, {}, mask);
  send(fd, bye.data(), bye.size(), MSG_NOSIGNAL);
  std::string json, err;
  if (!peer_ws_reply_json(opcode, payload, &json, &err)) return finish(PeerState::kDown, err);
  PeerSample sample;
  if (kind == FleetKind::kMachine) {
    if (!peer_decode_metrics(json, &sample, &err)) return finish(PeerState::kDown, err);
    return finish(PeerState::kUp, "", sample);
  }
  std::vector<PeerUnit> units;
  if (!peer_decode_services(json, &units, &err)) return finish(PeerState::kDown, err);
  finish(PeerState::kUp, "", sample, &units);
}

// ---- PeerSource ----

PeerSource::PeerSource(Loop* loop, FleetService* service, Config config)
    : loop_(loop), service_(service), config_(std::move(config)) {
  rounds_[0] = Round{this, FleetKind::kMachine, config_.machine_interval_ms, TimerId()};
  rounds_[1] = Round{this, FleetKind::kUnit, config_.unit_interval_ms, TimerId()};
  size_t n = config_.peers.size();
  status_.resize(n);
  last_error_.resize(n);
  skip_services_.resize(n);
  socktop_only_.resize(n);
  for (size_t i = 0; i < n; i++) {
    probes_.push_back(std::make_unique<Probe>(this, i, FleetKind::kMachine));
    probes_.push_back(std::make_unique<Probe>(this, i, FleetKind::kUnit));
  }
}

PeerSource::~PeerSource() {
  stop();
  probes_.clear();  // closes what is still open
}

void PeerSource::start() {
  if (running_) return;
  running_ = true;
  // A round still running from before the last stop re-arms itself.
  for (Round& r : rounds_)
    if (r.pending == 0 && !r.timer.armed()) begin_round(&r);
}

void PeerSource::stop() {
  running_ = false;
  for (Round& r : rounds_) loop_->cancel_timer(&r.timer);
}

void PeerSource::on_round_timer(void* round) {
  Round* r = static_cast<Round*>(round);
  r->timer = TimerId();
  r->owner->begin_round(r);
}

void PeerSource::begin_round(Round* round) {
  // pending counts first, so a request that fails at once cannot end the
  // round while others are still being started.
  round->pending = 1;
  for (size_t i = 0; i < config_.peers.size(); i++) {
    Probe* p = probes_[2 * i + static_cast<size_t>(round->kind)].get();
    if (p->busy()) continue;
    if (round->kind == FleetKind::kUnit) {
      if (!p->is_ws()) continue;  // Prometheus endpoints list no services
      if (skip_services_[i] > 0) {
        skip_services_[i]--;
        continue;
      }
    }
    round->pending++;
    p->begin();
  }
  if (--round->pending == 0) finish_round(round);
}

void PeerSource::probe_done(Probe* probe, PeerState state, const PeerSample& sample,
                            std::vector<PeerUnit>* units, const std::string& why) {
  size_t i = probe->peer;
  PeerStatus& st = status_[i];
  if (probe->kind == FleetKind::kMachine) {
    st.state = state;
    st.sample = sample;
    // Logged once per distinct error, not every round.
    if (state != PeerState::kUp && why != last_error_[i])
      log_warn("peer %s (%s): %s", config_.peers[i].name.c_str(), probe->spec().address().c_str(), why.c_str());
    else if (state == PeerState::kUp && !last_error_[i].empty())
      log_info("peer %s answers again", config_.peers[i].name.c_str());
    last_error_[i] = state == PeerState::kUp ? "" : why;
  } else if (units) {
    st.units = std::move(*units);
  } else {
    st.units.clear();
  }
  Round* round = &rounds_[static_cast<int>(probe->kind)];
  if (round->pending > 0 && --round->pending == 0) finish_round(round);
}

void PeerSource::finish_round(Round* round) {
  FleetTable table;
  if (round->kind == FleetKind::kMachine) peer_machine_table(config_.peers, status_, &table);
  else peer_unit_table(config_.peers, status_, &table);
  service_->publish(round->kind, table);
  // Publish, then sleep (fleet.md §3).
  if (running_) round->timer = loop_->add_timer(round->interval_ms, on_round_timer, round);
}
