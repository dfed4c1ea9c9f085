#include "client/source_rtstat.h"

#include "base/str.h"
#include "client/rtstat_decode.h"
#include "codec/rtstat_line.h"

RtstatSource::RtstatSource(Loop* loop, Host* host, Url url, SourceOptions opts)
    : Source(loop, host, std::move(url), std::move(opts)) {
  host_->token = !opts_.token.empty();
}

RtstatSource::~RtstatSource() { loop_->cancel_timer(&gap_timer_); }

void RtstatSource::on_connected() {
  welcomed_ = false;
  commands_.clear();
  if (!opts_.token.empty()) {
    std::string auth = "auth::";
    rtstat_escape_arg(opts_.token, &auth);
    commands_.push_back(auth);
  }
  char interval[48];
  snprintf(interval, sizeof interval, "interval::%g", opts_.interval_ms / 1000.0);
  commands_.push_back(interval);
  commands_.push_back("start");
  last_push_ms_ = now_ms();
  expect_reply();  // the Welcome:: greeting is timed like a reply
}

void RtstatSource::send_next_command() {
  if (commands_.empty() || !conn()) return;
  std::string line = commands_.front() + "\n";
  commands_.erase(commands_.begin());
  conn()->send(line);
  if (!commands_.empty()) gap_timer_ = loop_->add_timer(kRtstatCommandGapMs, on_gap, this);
}

void RtstatSource::on_gap(void* self) {
  RtstatSource* s = static_cast<RtstatSource*>(self);
  s->gap_timer_ = TimerId();
  s->send_next_command();
}

void RtstatSource::on_tick() {
  // Pushes are the server's idea; only notice when they stop coming.
  if (welcomed_ && commands_.empty() &&
      now_ms() - last_push_ms_ > opts_.timeout_ms + opts_.interval_ms)
    fail(HostState::kDown, "no push from the server");
}

void RtstatSource::on_input() {
  for (;;) {
    Conn* c = conn();
    if (!c) return;
    size_t lf = c->input().find('\n');
    if (lf == std::string::npos) {
      if (c->input().size() > kRtstatMaxLineBytes) fail(HostState::kDown, "line too long");
      return;
    }
    std::string line = c->input().substr(0, lf);
    c->consume(lf + 1);
    handle_line(line);
  }
}

void RtstatSource::handle_line(std::string_view line) {
  RtstatMessage msg = rtstat_parse_message(line);
  std::string command = str_lower(msg.command);
  if (!welcomed_) {
    if (command != "welcome") return fail(HostState::kDown, "not an rt-stat server (no Welcome::)");
    welcomed_ = true;
    reply_received();
    loop_->cancel_timer(&gap_timer_);
    send_next_command();
    return;
  }
  if (command == "error") {
    std::string text = msg.args.empty() ? "" : msg.args[0];
    if (text == "Not authorized" || text == "Auth failed") return fail(HostState::kUnauthorized, text);
    host_->error = text;  // shown, but pushes may still come
    return;
  }
  if (command != "push" || msg.args.empty()) return;
  HostSample s;
  uint64_t count = 0;
  bool has_count = false;
  std::string err;
  if (!rtstat_decode_push(msg.args[0], &s, &count, &has_count, &err))
    return fail(HostState::kDown, "bad push: " + err);
  last_push_ms_ = now_ms();
  if (has_count) host_->process_count = count;
  host_->apply_sample(std::move(s), now_ms());
}
