#include "agent/rtstat.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/reader.h"
#include "base/str.h"
#include "codec/rtstat_line.h"

namespace {

bool is_digit(int c) { return c >= '0' && c <= '9'; }

size_t skip_digits(Reader* r) {
  size_t n = 0;
  while (is_digit(r->peek())) {
    r->skip(1);
    n++;
  }
  return n;
}

// The longest interval we schedule (a loop wait is capped at a day anyway).
constexpr double kMaxIntervalMs = 1e12;

}  // namespace

RtstatInterval rtstat_parse_interval(std::string_view text, double* seconds) {
  Reader r(text);
  while (r.peek() == ' ' || r.peek() == '\t' || r.peek() == '\n' || r.peek() == '\r' ||
         r.peek() == '\v' || r.peek() == '\f')
    r.skip(1);
  if (r.peek() == '+' || r.peek() == '-') r.skip(1);
  size_t digits = skip_digits(&r);
  if (r.peek() == '.') {
    r.skip(1);
    digits += skip_digits(&r);
  }
  if (digits == 0) return RtstatInterval::kNotPositive;
  if (r.peek() == 'e' || r.peek() == 'E') {
    r.skip(1);
    if (r.peek() == '+' || r.peek() == '-') r.skip(1);
    if (skip_digits(&r) == 0) return RtstatInterval::kNotPositive;
  }
  if (!r.empty()) return RtstatInterval::kNotPositive;
  // The grammar above is a subset of strtod's (no hex, inf or nan left).
  std::string copy(text);
  double v = strtod(copy.c_str(), nullptr);
  if (!isfinite(v) || v == 0) return RtstatInterval::kNotPositive;
  if (v < 0.5) return RtstatInterval::kTooSmall;
  *seconds = v;
  return RtstatInterval::kOk;
}

// ---- RtstatSession ----

RtstatSession::RtstatSession(RtstatService* service, RtstatSink* sink)
    : service_(service), sink_(sink) {
  service_->session_opened();
  // cpu_stat's first delta runs from here (§6.1).
  service_->take_baseline(&baseline_);
}

RtstatSession::~RtstatSession() { detach(); }

void RtstatSession::detach() {
  if (!attached_) return;
  attached_ = false;
  started_ = false;
  service_->unsubscribe(this);
  service_->session_closed();
}

void RtstatSession::greet() { sink_->rtstat_send(kRtstatWelcome); }

void RtstatSession::on_message(std::string_view text) {
  if (text.empty()) return error("Unknown message");
  handle(text);
}

void RtstatSession::on_line(std::string_view line) { handle(line); }

void RtstatSession::error(std::string_view text) {
  scratch_ = "Error::";
  rtstat_escape_arg(text, &scratch_);
  scratch_.push_back('\n');
  sink_->rtstat_send(scratch_);
}

void RtstatSession::handle(std::string_view text) {
  if (!attached_) return;
  RtstatMessage msg = rtstat_parse_message(text);
  std::string command = str_lower(msg.command);
  const std::string& token = service_->config().token;
  bool gated = !token.empty() && !authorized_;

  if (command == "auth") {
    if (msg.args.empty())
      return error("Auth command has 1 required parameter: string token (not set)");
    // A failure revokes an earlier success; a running push goes on (§4).
    bool token_ok = !token.empty() && str_equal_const_time(token, msg.args[0]);
    const char* refusal = token.empty() ? "Auth failed" : sink_->rtstat_auth_checked(token_ok);
    authorized_ = refusal == nullptr;
    if (refusal) error(refusal);
  } else if (command == "interval") {
    if (gated) return error("Not authorized");
    if (msg.args.empty())
      return error("Interval command has 1 required parameter: int interval (not set)");
    double seconds = 0;
    switch (rtstat_parse_interval(msg.args[0], &seconds)) {
      case RtstatInterval::kNotPositive:
        return error("Interval command has 1 required parameter: int interval (not positive float)");
      case RtstatInterval::kTooSmall:
        return error("Interval command has must be equal or greater than 0.5");
      case RtstatInterval::kOk:
        break;
    }
    double ms = seconds * 1000;
    interval_ms_ = ms > kMaxIntervalMs ? static_cast<uint64_t>(kMaxIntervalMs)
                                       : static_cast<uint64_t>(llround(ms));
    if (interval_ms_ < kRtstatMinIntervalMs) interval_ms_ = kRtstatMinIntervalMs;
    // While pushing: a new schedule, the next push one full interval away.
    if (started_) service_->subscribe(this, interval_ms_);
  } else if (command == "start") {
    if (gated) return error("Not authorized");
    if (started_) return error("Already started");
    if (interval_ms_ == 0) return error("Interval is not set");
    started_ = true;
    service_->subscribe(this, interval_ms_);
  } else if (command == "stop") {
    if (gated) return error("Not authorized");
    if (!started_) return error("Not started");
    started_ = false;
    service_->unsubscribe(this);
  } else if (command == "plugins") {
    // statd's extension (docs/extensions.md): this connection's push keys.
    if (gated) return error("Not authorized");
    if (msg.args.empty())
      return error("Plugins command has 1 required parameter: string list (not set)");
    std::string err;
    if (!rtstat_parse_plugins(msg.args[0], &plugins_, &err)) return error(err);
    own_plugins_ = true;
  } else if (command == "version") {
    sink_->rtstat_send(kRtstatVersionReply);
  } else if (command == "quit" || command == "exit") {
    sink_->rtstat_close();
  } else {
    error("Unknown command");
  }
}

void RtstatSession::push() {
  if (!attached_ || !started_) return;
  service_->build_push(&baseline_, interval_ms_, &scratch_, own_plugins_ ? &plugins_ : nullptr);
  sink_->rtstat_send(scratch_);
}

// ---- RtstatService ----

RtstatService::RtstatService(Loop* loop, metrics::Sampler* sampler, RtstatConfig config)
    : loop_(loop), sampler_(sampler), config_(std::move(config)) {}

RtstatService::~RtstatService() {
  for (auto& entry : groups_) loop_->cancel_timer(&entry.second->timer);
}

bool RtstatService::has_room() const {
  return config_.max_clients == 0 || session_count_ < config_.max_clients;
}

size_t RtstatService::timer_count() const {
  size_t n = 0;
  for (const auto& entry : groups_)
    if (entry.second->timer.armed()) n++;
  return n;
}

void RtstatService::take_baseline(RtstatBaseline* out) {
  const metrics::System& s = sampler_->system(loop_->now_ms());
  rtstat_take_baseline(s, s.sampled_at_ms, out);
}

void RtstatService::build_push(RtstatBaseline* baseline, uint64_t interval_ms,
                               std::string* message, const std::vector<RtstatPlugin>* plugins) {
  if (!plugins) plugins = &config_.plugins;
  uint64_t now_ms = loop_->now_ms();
  RtstatPushInput in;
  in.system = &sampler_->system(now_ms);
  for (RtstatPlugin p : *plugins) {
    if (p == RtstatPlugin::kProcesses || p == RtstatPlugin::kTopProcesses)
      in.processes = &sampler_->processes(now_ms);
    if (p == RtstatPlugin::kFilesystems) in.filesystems = &sampler_->filesystems(now_ms);
  }
  in.self_pid = config_.self_pid;
  // Rates use the sample's own time: a cached sample is older than now.
  in.now_ms = in.system->sampled_at_ms;
  if (!fixed_clock_.empty()) {
    in.clock = fixed_clock_;
  } else {
    time_t t = time(nullptr);
    struct tm local;
    localtime_r(&t, &local);
    in.clock = rtstat_clock_text(local);
  }
  // A plugin run takes time: this push carries the previous result.
  if (commands_fn_) commands_fn_(commands_ctx_, now_ms, interval_ms, &in.commands);
  json_.clear();
  rtstat_push_json(in, *plugins, baseline, &json_);
  message->assign("Push::");
  rtstat_escape_arg(json_, message);
  message->push_back('\n');
}

void RtstatService::subscribe(RtstatSession* session, uint64_t interval_ms) {
  unsubscribe(session);
  std::unique_ptr<Group>& group = groups_[interval_ms];
  if (!group) {
    group = std::make_unique<Group>();
    group->service = this;
    group->interval_ms = interval_ms;
  }
  // The first push comes one interval after start (§4), not at the
  // group's next tick: each subscriber keeps its own phase.
  group->subscribers.push_back({session, clock_monotonic_ms() + interval_ms});
  arm(group.get());
}

void RtstatService::unsubscribe(RtstatSession* session) {
  for (auto it = groups_.begin(); it != groups_.end(); ++it) {
    std::vector<Subscriber>& subs = it->second->subscribers;
    for (size_t i = 0; i < subs.size(); i++) {
      if (subs[i].session != session) continue;
      subs.erase(subs.begin() + static_cast<long>(i));
      if (!it->second->firing) {
        if (subs.empty()) drop_if_empty(it->first);
        else arm(it->second.get());
      }
      return;
    }
  }
}

void RtstatService::drop_if_empty(uint64_t interval_ms) {
  auto it = groups_.find(interval_ms);
  if (it == groups_.end() || !it->second->subscribers.empty()) return;
  // Nobody started: no timer, so an idle statd never wakes.
  loop_->cancel_timer(&it->second->timer);
  groups_.erase(it);
}

void RtstatService::arm(Group* group) {
  uint64_t due = UINT64_MAX;
  for (const Subscriber& s : group->subscribers) due = s.due_ms < due ? s.due_ms : due;
  if (group->timer.armed() && group->timer.due_ms == due) return;
  loop_->cancel_timer(&group->timer);
  uint64_t now = clock_monotonic_ms();
  group->timer = loop_->add_timer(due > now ? due - now : 0, on_timer, group);
}

void RtstatService::on_timer(void* ctx) {
  Group* group = static_cast<Group*>(ctx);
  group->timer = TimerId();
  group->service->fire(group, group->service->loop_->now_ms());
}

void RtstatService::fire(Group* group, uint64_t now_ms) {
  // Subscribers due within a sixteenth of the interval go out together:
  // one wake-up (and one sample) serves them all.
  uint64_t slack = group->interval_ms / 16;
  std::vector<RtstatSession*> due;
  for (Subscriber& s : group->subscribers) {
    if (s.due_ms > now_ms + slack) continue;
    due.push_back(s.session);
    s.due_ms += group->interval_ms;
    if (s.due_ms <= now_ms) s.due_ms = now_ms + group->interval_ms;  // fell behind
  }
  group->firing = true;
  for (RtstatSession* session : due) {
    // A push can close a connection (output cap), which unsubscribes it.
    bool still_here = false;
    for (const Subscriber& s : group->subscribers) still_here |= s.session == session;
    if (still_here) session->push();
  }
  group->firing = false;
  if (group->subscribers.empty()) drop_if_empty(group->interval_ms);
  else arm(group);
}

void RtstatService::run_due(uint64_t now_ms) {
  std::vector<uint64_t> intervals;
  for (const auto& entry : groups_) intervals.push_back(entry.first);
  for (uint64_t interval : intervals) {
    auto it = groups_.find(interval);
    if (it != groups_.end()) fire(it->second.get(), now_ms);
  }
}
