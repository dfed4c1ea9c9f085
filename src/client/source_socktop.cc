#include "client/source_socktop.h"

#include <ctype.h>

#include "base/random.h"
#include "base/str.h"
#include "client/socktop_decode.h"
#include "codec/base64.h"

SocktopSource::SocktopSource(Loop* loop, Host* host, Url url, SourceOptions opts)
    : Source(loop, host, std::move(url), std::move(opts)) {
  host_->token = !opts_.token.empty();
  host_->detail_supported = true;
  host_->offers_lists = opts_.want_processes && opts_.want_disks;
}

void SocktopSource::on_connected() {
  open_ = false;
  got_reply_ = false;
  pending_ = Request::kNone;
  metrics_due_ = true;
  processes_at_ms_ = disks_at_ms_ = 0;
  handshake_ = HttpResponseParser(64 * 1024);
  ws_ = WsReceiver(false, kSocktopMaxReplyBytes);
  uint8_t nonce[16];
  random_bytes(nonce, sizeof nonce);
  key_ = base64_encode(std::string_view(reinterpret_cast<char*>(nonce), sizeof nonce));
  Url target = url_;
  if (!opts_.token.empty()) {
    // socktop puts the token in the query; keep any other query there.
    std::string escaped;
    for (unsigned char c : opts_.token) {
      if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') escaped += static_cast<char>(c);
      else str_appendf(&escaped, "%%%02X", c);
    }
    target.path_and_query += (target.path_and_query.find('?') == std::string::npos ? "?" : "&");
    target.path_and_query += "token=" + escaped;
  }
  std::string head;
  http_write_request(&head, "GET", target,
                     "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: " + key_ + "\r\n");
  send_request(head);
}

void SocktopSource::send_frame(uint8_t opcode, std::string_view payload) {
  uint8_t mask[4];
  random_bytes(mask, sizeof mask);
  std::string frame;
  ws_write_frame(&frame, opcode, payload, true, mask);
  if (conn()) conn()->send(frame);
}

void SocktopSource::send_close(uint16_t code) {
  uint8_t mask[4];
  random_bytes(mask, sizeof mask);
  std::string frame;
  ws_write_close(&frame, code, {}, mask);
  if (conn()) conn()->send(frame);
}

void SocktopSource::on_tick() {
  metrics_due_ = true;
  if (open_ && pending_ == Request::kNone) send_next();
}

// One request at a time (replies carry no ids): metrics on every tick, the
// process and disk lists when their own cadence is due.
void SocktopSource::send_next() {
  uint64_t now = now_ms();
  Request next = Request::kNone;
  const char* text = nullptr;
  std::string detail_text;
  if (metrics_due_) {
    next = Request::kMetrics;
    text = "get_metrics";
    metrics_due_ = false;
  } else if (opts_.want_processes && now >= processes_at_ms_) {
    next = Request::kProcesses;
    text = "get_processes";
    processes_at_ms_ = now + opts_.processes_ms;
  } else if (host_->detail_pid && host_->detail_supported && now >= detail_at_ms_) {
    // The detail view is open: refresh it every 500 ms, as socktop does.
    next = Request::kDetail;
    detail_pid_sent_ = host_->detail_pid;
    detail_text = "get_process_metrics:" + std::to_string(detail_pid_sent_);
    text = detail_text.c_str();
    detail_at_ms_ = now + 500;
  } else if (opts_.want_disks && now >= disks_at_ms_) {
    next = Request::kDisks;
    text = "get_disks";
    disks_at_ms_ = now + opts_.disks_ms;
  }
  if (next == Request::kNone) return;
  pending_ = next;
  uint8_t mask[4];
  random_bytes(mask, sizeof mask);
  std::string frame;
  ws_write_frame(&frame, kWsText, text, true, mask);
  send_request(frame);
}

void SocktopSource::on_input() {
  Conn* c = conn();
  if (!open_) {
    size_t used = 0;
    HttpParse r = handshake_.feed(c->input(), &used);
    if (r == HttpParse::kIncomplete) {
      c->consume(used);
      return;
    }
    c->consume(used);
    const HttpResponse& resp = handshake_.response();
    if (r == HttpParse::kError) return fail(HostState::kDown, "bad HTTP reply: " + handshake_.error());
    if (resp.status == 401 || resp.status == 403)
      return fail(HostState::kUnauthorized, "HTTP " + std::to_string(resp.status));
    if (resp.status != 101)
      return fail(HostState::kDown, "no WebSocket at " + url_.path_and_query + " (HTTP " +
                                        std::to_string(resp.status) + ")");
    const std::string* accept = resp.header("Sec-WebSocket-Accept");
    if (!accept || *accept != ws_accept_key(key_))
      return fail(HostState::kDown, "bad Sec-WebSocket-Accept");
    open_ = true;
    reply_received();
    send_next();
    if (!conn()) return;
  }
  for (;;) {
    c = conn();
    if (!c) return;
    size_t used = 0;
    WsEvent ev = ws_.next(c->input(), &used);
    switch (ev.kind) {
      case WsEvent::kNone:
        c->consume(used);
        if (used == 0) return;
        continue;
      case WsEvent::kError:
        // RFC 6455 §7.1.7: tell the agent why before dropping the connection.
        send_close(ev.close_code);
        return fail(HostState::kDown, "WebSocket protocol error " + std::to_string(ev.close_code));
      case WsEvent::kClose:
        // §5.5.1: a Close is answered with a Close (its code echoed).
        send_close(ev.close_code == kWsCloseNoStatus ? 0 : ev.close_code);
        // socktop's answer to a bad token: 101, then an empty Close at once.
        if (!got_reply_ && !opts_.token.empty())
          return fail(HostState::kUnauthorized, "token refused");
        if (!got_reply_) return fail(HostState::kUnauthorized, "agent closed at once (token needed?)");
        return fail(HostState::kDown, "agent closed the connection");
      case WsEvent::kPing: {
        std::string payload(ev.payload);
        c->consume(used);
        send_frame(kWsPong, payload);
        continue;
      }
      case WsEvent::kPong:
        c->consume(used);
        continue;
      case WsEvent::kMessage: {
        // The payload lives in the receiver, not in the input: consume first.
        c->consume(used);
        handle_message(ev.opcode == kWsBinary, ev.payload);
        continue;
      }
    }
  }
}

bool SocktopSource::on_peer_closed() {
  if (open_ && !got_reply_) {
    fail(HostState::kUnauthorized, "agent closed at once (token needed?)");
    return true;
  }
  return false;
}

// Agents before 1.50 never answer get_process_metrics (socktop shows
// "Agent Update Required"): say so instead of dropping the connection.
bool SocktopSource::on_reply_late() {
  if (pending_ != Request::kDetail) return false;
  pending_ = Request::kNone;
  host_->detail_supported = false;
  host_->detail = ProcDetail();
  host_->detail.error = "this agent does not answer process details (agent update required)";
  host_->has_detail = true;
  send_next();
  return true;
}

void SocktopSource::handle_message(bool binary, std::string_view payload) {
  Request request = pending_;
  pending_ = Request::kNone;
  if (request == Request::kNone) return;  // unsolicited: socktop agents never send these
  got_reply_ = true;
  reply_received();
  std::string bytes, err;
  if (!socktop_reply_bytes(binary, payload, &bytes, &err))
    return fail(HostState::kDown, "bad reply: " + err);
  switch (request) {
    case Request::kMetrics: {
      HostSample s;
      if (!socktop_decode_metrics(bytes, &s, &err)) return fail(HostState::kDown, "bad metrics: " + err);
      host_->apply_sample(std::move(s), now_ms());
      break;
    }
    case Request::kProcesses: {
      uint64_t count;
      std::vector<ProcRow> rows;
      if (!socktop_decode_processes(bytes, !binary, &count, &rows, &err))
        return fail(HostState::kDown, "bad process list: " + err);
      host_->processes = std::move(rows);
      host_->process_count = count;
      host_->has_processes = true;
      break;
    }
    case Request::kDisks: {
      std::vector<DiskRow> disks;
      if (!socktop_decode_disks(bytes, &disks, &err)) return fail(HostState::kDown, "bad disk list: " + err);
      host_->disks = std::move(disks);
      host_->has_disks = true;
      break;
    }
    case Request::kDetail: {
      ProcDetail d;
      if (!socktop_decode_process_detail(bytes, &d, &err))
        return fail(HostState::kDown, "bad process detail: " + err);
      if (detail_pid_sent_ == host_->detail_pid) {  // still the one on screen
        host_->detail = std::move(d);
        host_->has_detail = true;
      }
      break;
    }
    case Request::kNone:
      break;
  }
  send_next();
}
