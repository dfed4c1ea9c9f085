#include "agent/rtstat.h"

#include "base/clock.h"
#include "base/test.h"

namespace {

// Records what a session sends, in order; "<close>" for quit/exit.
struct RecordingSink : RtstatSink {
  std::vector<std::string> sent;
  int closes = 0;
  void rtstat_send(std::string_view message) override { sent.emplace_back(message); }
  void rtstat_close() override {
    closes++;
    sent.emplace_back("<close>");
  }
  std::string take() {
    std::string all;
    for (const std::string& s : sent) all += s;
    sent.clear();
    return all;
  }
};

metrics::SamplerOptions pc_options() {
  metrics::SamplerOptions o;
  o.root = test::path("fixtures/pc");
  return o;
}

RtstatConfig config(const char* token = "", uint32_t max_clients = 10) {
  RtstatConfig c;
  c.token = token;
  c.max_clients = max_clients;
  std::string err;
  rtstat_parse_plugins(kRtstatDefaultPlugins, &c.plugins, &err);
  return c;
}

// A service over the static pc fixture with a fixed clock.
struct Harness {
  Loop loop;
  metrics::Sampler sampler{pc_options()};
  RtstatService service;
  explicit Harness(RtstatConfig c = config()) : service(&loop, &sampler, std::move(c)) {
    service.set_fixed_clock("10:01:02");
  }
};

// Feeds each message (WebSocket style) and returns everything sent.
std::string exchange(RtstatSession* session, RecordingSink* sink,
                     std::initializer_list<const char*> messages) {
  for (const char* m : messages) session->on_message(m);
  return sink->take();
}

const char* kNotSet = "Error::Interval command has 1 required parameter: int interval (not set)\n";
const char* kNotPositive =
    "Error::Interval command has 1 required parameter: int interval (not positive float)\n";
const char* kTooSmall = "Error::Interval command has must be equal or greater than 0.5\n";

RtstatInterval interval(const char* text) {
  double seconds = -1;
  return rtstat_parse_interval(text, &seconds);
}

double interval_seconds(const char* text) {
  double seconds = -1;
  rtstat_parse_interval(text, &seconds);
  return seconds;
}

}  // namespace

TEST(rtstat_welcome_and_version) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  session.greet();
  EXPECT_EQ(sink.take(), "Welcome::Rt-Stat v.0.3.1\n");
  EXPECT_EQ(exchange(&session, &sink, {"version", "VERSION", "Version::x::y", " version \r\n"}),
            "Version::0.3.1\nVersion::0.3.1\nVersion::0.3.1\nVersion::0.3.1\n");
}

TEST(rtstat_every_error_text) {
  Harness h(config("s3cret"));
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {""}), "Error::Unknown message\n");
  EXPECT_EQ(exchange(&session, &sink, {"start"}), "Error::Not authorized\n");
  EXPECT_EQ(exchange(&session, &sink, {"auth"}),
            "Error::Auth command has 1 required parameter: string token (not set)\n");
  EXPECT_EQ(exchange(&session, &sink, {"auth::wrong"}), "Error::Auth failed\n");
  EXPECT_EQ(exchange(&session, &sink, {"auth::s3cret"}), "");  // success is silent
  EXPECT_EQ(exchange(&session, &sink, {"start"}), "Error::Interval is not set\n");
  EXPECT_EQ(exchange(&session, &sink, {"stop"}), "Error::Not started\n");
  EXPECT_EQ(exchange(&session, &sink, {"interval"}), kNotSet);
  EXPECT_EQ(exchange(&session, &sink, {"interval::x"}), kNotPositive);
  EXPECT_EQ(exchange(&session, &sink, {"interval::0.2"}), kTooSmall);
  EXPECT_EQ(exchange(&session, &sink, {"interval::1", "start"}), "");
  EXPECT_EQ(exchange(&session, &sink, {"start"}), "Error::Already started\n");
  EXPECT_EQ(exchange(&session, &sink, {"stop"}), "");
  EXPECT_EQ(exchange(&session, &sink, {"hello", "::start", "start now"}),
            "Error::Unknown command\nError::Unknown command\nError::Unknown command\n");
  EXPECT_EQ(sink.closes, 0);
}

TEST(rtstat_commands_are_case_insensitive_and_take_extra_args) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {"INTERVAL::2::ignored", "Start::"}), "");
  EXPECT(session.started());
  EXPECT_EQ(session.interval_ms(), 2000u);
  EXPECT_EQ(exchange(&session, &sink, {"sToP"}), "");
  EXPECT(!session.started());
}

TEST(rtstat_parsing_cases_of_the_checklist) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  // "a::::b": command "a", unknown.
  EXPECT_EQ(exchange(&session, &sink, {"a::::b"}), "Error::Unknown command\n");
  // "\::" escapes the separator: the argument of interval is "::5".
  EXPECT_EQ(exchange(&session, &sink, {"interval::\\::5"}), kNotPositive);
  // A dangling backslash is dropped: "1\" is "1".
  EXPECT_EQ(exchange(&session, &sink, {"interval::1\\"}), "");
  EXPECT_EQ(session.interval_ms(), 1000u);
  // "interval::" has zero arguments; "interval::::" one empty one.
  EXPECT_EQ(exchange(&session, &sink, {"interval::", "interval::::"}),
            std::string(kNotSet) + kNotPositive);
  // Raw mode: a bare CRLF (an empty line) is an unknown command, not message.
  session.on_line("");
  session.on_line("\r");
  EXPECT_EQ(sink.take(), "Error::Unknown command\nError::Unknown command\n");
  session.on_line(" START ");
  EXPECT(session.started());
}

TEST(rtstat_interval_grammar) {
  EXPECT(interval("0") == RtstatInterval::kNotPositive);
  EXPECT(interval("0.0") == RtstatInterval::kNotPositive);
  EXPECT(interval("-0") == RtstatInterval::kNotPositive);
  EXPECT(interval("-1") == RtstatInterval::kTooSmall);
  EXPECT(interval("0.49") == RtstatInterval::kTooSmall);
  EXPECT(interval("1e-3") == RtstatInterval::kTooSmall);
  EXPECT(interval("0.5") == RtstatInterval::kOk);
  EXPECT(interval("1e1") == RtstatInterval::kOk);
  EXPECT_EQ(interval_seconds("1e1"), 10.0);
  EXPECT_EQ(interval_seconds(" \t+1.5"), 1.5);
  EXPECT_EQ(interval_seconds(".5"), 0.5);
  EXPECT_EQ(interval_seconds("2."), 2.0);
  EXPECT_EQ(interval_seconds("5E+0"), 5.0);
  const char* rejected[] = {"1.5abc", "NaN", "nan", "inf", "INF", "Infinity", "0x10", "1,5", "",
                            " ", ".", "+", "-", "e5", "1e", "1e+", "1.5 ", "1..5", "--1",
                            "1e999", "\xff"};
  for (const char* text : rejected) {
    if (interval(text) != RtstatInterval::kNotPositive)
      test::fail(__FILE__, __LINE__, std::string("accepted: ") + text);
  }
}

TEST(rtstat_interval_texts_of_the_checklist) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {"interval::0", "interval::-1", "interval::0.49"}),
            std::string(kNotPositive) + kTooSmall + kTooSmall);
  EXPECT_EQ(exchange(&session, &sink, {"interval::1.5abc", "interval::NaN", "interval::0x10"}),
            std::string(kNotPositive) + kNotPositive + kNotPositive);
  EXPECT_EQ(exchange(&session, &sink, {"interval::0.5"}), "");
  EXPECT_EQ(session.interval_ms(), 500u);
  EXPECT_EQ(exchange(&session, &sink, {"interval::1e1"}), "");
  EXPECT_EQ(session.interval_ms(), 10000u);
  // A rejected value keeps the previous one.
  EXPECT_EQ(exchange(&session, &sink, {"interval::0.1"}), kTooSmall);
  EXPECT_EQ(session.interval_ms(), 10000u);
}

TEST(rtstat_auth_gate) {
  Harness h(config("tok"));
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  // Gated: start, stop, interval. Not gated: version, unknown, auth.
  EXPECT_EQ(exchange(&session, &sink, {"interval::1", "stop", "start", "version", "nope"}),
            "Error::Not authorized\nError::Not authorized\nError::Not authorized\n"
            "Version::0.3.1\nError::Unknown command\n");
  // Byte-exact: no PHP loose comparison, no trimming inside the argument
  // (only the whole message is trimmed: "auth::tok " would pass).
  EXPECT_EQ(exchange(&session, &sink, {"auth::TOK", "auth:: tok", "auth::to"}),
            "Error::Auth failed\nError::Auth failed\nError::Auth failed\n");
  EXPECT(!session.authorized());
  EXPECT_EQ(exchange(&session, &sink, {"auth::tok", "interval::1", "start"}), "");
  EXPECT(session.authorized() && session.started());
  // A failed auth revokes; the running push goes on.
  EXPECT_EQ(exchange(&session, &sink, {"auth::bad"}), "Error::Auth failed\n");
  EXPECT(!session.authorized() && session.started());
  EXPECT_EQ(exchange(&session, &sink, {"stop"}), "Error::Not authorized\n");
  EXPECT(session.started());
  // An escaped token: "t\ok" unescapes to "tok".
  EXPECT_EQ(exchange(&session, &sink, {"auth::t\\ok", "stop"}), "");
  EXPECT(!session.started());
}

TEST(rtstat_auth_without_a_token_fails_and_nothing_is_gated) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {"auth::", "auth::x", "auth::::"}),
            "Error::Auth command has 1 required parameter: string token (not set)\n"
            "Error::Auth failed\nError::Auth failed\n");
  EXPECT_EQ(exchange(&session, &sink, {"interval::1", "start", "stop"}), "");
}

TEST(rtstat_quit_and_exit_close_without_reply) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {"quit", "EXIT::now"}), "<close><close>");
  EXPECT_EQ(sink.closes, 2);
}

TEST(rtstat_push_message_on_fixture) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  exchange(&session, &sink, {"interval::1", "start"});
  session.push();
  std::string push = sink.take();
  // Static fixture: no cpu time passed since accept, so every fraction is 0.
  EXPECT_EQ(push,
            "Push::{\"cpu_stat\":{"
            "\"cpu0\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
            "\"cpu1\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
            "\"cpu2\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
            "\"cpu3\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0}},"
            "\"meminfo\":{\"memory\":{\"total\":16318412,\"used\":13266072,\"free\":3052340,"
            "\"apps\":6312584,\"buffers\":412344,\"cached\":6540120,\"swapCached\":1024},"
            "\"swap\":{\"total\":2097148,\"used\":16384,\"free\":2080764}},"
            "\"processes\":{\"all\":9,\"running\":1,\"sleep\":7,\"stopped\":0,\"zombie\":1},"
            "\"uptime\":{\"time\":\"10:01:02\",\"uptime\":\"1 day, 10:17\",\"users\":\"2\","
            "\"la1\":\"0.52\",\"la5\":\"0.58\",\"la15\":\"0.59\"}}\n");
  EXPECT_EQ(push.find("::", 6), std::string::npos);
  // Not started: push() sends nothing.
  exchange(&session, &sink, {"stop"});
  session.push();
  EXPECT_EQ(sink.take(), "");
}

TEST(rtstat_push_escapes_backslashes_and_command_results) {
  Harness h;
  std::string names;
  h.service.set_command_source(
      [](void* ctx, uint64_t, uint64_t interval_ms,
         std::vector<std::pair<std::string, std::string>>* out) {
        *static_cast<std::string*>(ctx) += std::to_string(interval_ms) + ";";
        out->emplace_back("note", "\"a\\\\b::c\"");
      },
      &names);
  RtstatBaseline baseline;
  std::string message;
  h.service.build_push(&baseline, 1500, &message);
  EXPECT_EQ(names, "1500;");
  // JSON "a\\b\u003a\u003ac": each '\' doubled by the argument escaping.
  std::string tail = ",\"note\":\"a\\\\\\\\b\\\\u003a\\\\u003ac\"}\n";
  ASSERT(message.size() > tail.size());
  EXPECT_EQ(message.substr(message.size() - tail.size()), tail);
  EXPECT_EQ(message.find("::", 6), std::string::npos);
}

TEST(rtstat_timers_only_while_started_and_shared_per_interval) {
  Harness h;
  RecordingSink a_sink, b_sink, c_sink;
  RtstatSession a(&h.service, &a_sink), b(&h.service, &b_sink), c(&h.service, &c_sink);
  EXPECT_EQ(h.service.timer_count(), 0u);
  EXPECT_EQ(h.loop.timer_count(), 0u);
  exchange(&a, &a_sink, {"interval::1"});
  EXPECT_EQ(h.loop.timer_count(), 0u);  // an interval alone arms nothing
  exchange(&a, &a_sink, {"start"});
  exchange(&b, &b_sink, {"interval::1.0", "start"});
  EXPECT_EQ(h.service.timer_count(), 1u);  // same interval: one timer
  exchange(&c, &c_sink, {"interval::2", "start"});
  EXPECT_EQ(h.service.timer_count(), 2u);
  EXPECT_EQ(h.loop.timer_count(), 2u);
  // Nothing is due at once: the first push comes one interval after start.
  h.service.run_due(clock_monotonic_ms());
  EXPECT_EQ(a_sink.sent.size() + b_sink.sent.size() + c_sink.sent.size(), 0u);
  h.service.run_due(clock_monotonic_ms() + 1000);
  EXPECT_EQ(a_sink.sent.size(), 1u);
  EXPECT_EQ(b_sink.sent.size(), 1u);
  EXPECT_EQ(c_sink.sent.size(), 0u);
  // interval while started moves c into the 1 s group: its old timer goes.
  exchange(&c, &c_sink, {"interval::1"});
  EXPECT_EQ(h.service.timer_count(), 1u);
  exchange(&a, &a_sink, {"stop"});
  exchange(&b, &b_sink, {"stop"});
  c.detach();  // the connection went away
  EXPECT_EQ(h.service.timer_count(), 0u);
  EXPECT_EQ(h.loop.timer_count(), 0u);  // idle again: no wake-ups
}

TEST(rtstat_interval_while_started_restarts_the_schedule) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  exchange(&session, &sink, {"interval::1", "start"});
  uint64_t started = clock_monotonic_ms();
  exchange(&session, &sink, {"interval::5"});
  // The old 1 s schedule is gone; the next push is 5 s from the change.
  h.service.run_due(started + 1000);
  EXPECT_EQ(sink.sent.size(), 0u);
  h.service.run_due(clock_monotonic_ms() + 5000);
  EXPECT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0].substr(0, 18), "Push::{\"cpu_stat\":");
}

TEST(rtstat_client_count_and_cap) {
  Harness h(config("", 2));
  RecordingSink sink;
  EXPECT(h.service.has_room());
  auto a = std::make_unique<RtstatSession>(&h.service, &sink);
  RtstatSession b(&h.service, &sink);
  EXPECT_EQ(h.service.session_count(), 2u);
  EXPECT(!h.service.has_room());
  a->detach();  // counted out when the connection closes, not when freed
  EXPECT(h.service.has_room());
  a.reset();
  EXPECT_EQ(h.service.session_count(), 1u);
  Harness unlimited(config("", 0));
  std::vector<std::unique_ptr<RtstatSession>> many;
  for (int i = 0; i < 50; i++) many.push_back(std::make_unique<RtstatSession>(&unlimited.service, &sink));
  EXPECT(unlimited.service.has_room());
}

// ---- statd's plugins:: extension (docs/extensions.md) ----

TEST(rtstat_plugins_extension_selects_this_connections_keys) {
  Harness h;
  RecordingSink sink, other_sink;
  RtstatSession session(&h.service, &sink), other(&h.service, &other_sink);
  // Success is silent, like every rt-stat command; extras come after uptime.
  EXPECT_EQ(exchange(&session, &sink, {"plugins::hostname,uptime", "interval::1", "start"}), "");
  exchange(&other, &other_sink, {"interval::1", "start"});
  session.push();
  other.push();
  EXPECT_EQ(sink.take(),
            "Push::{\"uptime\":{\"time\":\"10:01:02\",\"uptime\":\"1 day, 10:17\",\"users\":\"2\","
            "\"la1\":\"0.52\",\"la5\":\"0.58\",\"la15\":\"0.59\"},\"hostname\":\"workstation\"}\n");
  // The other connection keeps the configured keys.
  EXPECT_EQ(other_sink.take().substr(0, 18), "Push::{\"cpu_stat\":");
}

TEST(rtstat_plugins_extension_errors_and_gate) {
  Harness h;
  RecordingSink sink;
  RtstatSession session(&h.service, &sink);
  EXPECT_EQ(exchange(&session, &sink, {"plugins"}),
            "Error::Plugins command has 1 required parameter: string list (not set)\n");
  EXPECT_EQ(exchange(&session, &sink, {"PLUGINS::cpu_stat,bogus"}),
            "Error::unknown rt-stat plugin 'bogus' (known: cpu_stat meminfo processes uptime "
            "network filesystems temperatures top_processes hostname)\n");
  Harness gated(config("s3cret"));
  RecordingSink gated_sink;
  RtstatSession locked(&gated.service, &gated_sink);
  EXPECT_EQ(exchange(&locked, &gated_sink, {"plugins::uptime"}), "Error::Not authorized\n");
  EXPECT_EQ(exchange(&locked, &gated_sink, {"auth::s3cret", "plugins::uptime"}), "");
}
