// rt-stat's protocol engine (../shared/spec/rtstat.md §2-§4), independent
// of the transport: a session per connection turns messages into replies
// through a sink, and the service owns what sessions share (the push
// timers, the connection count, the sampler).
#pragma once

#include <stdint.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/rtstat_push.h"
#include "event/loop.h"
#include "metrics/sampler.h"

constexpr const char* kRtstatWelcome = "Welcome::Rt-Stat v.0.3.1\n";
constexpr const char* kRtstatVersionReply = "Version::0.3.1\n";
constexpr uint64_t kRtstatMinIntervalMs = 500;

/// Where a session's output goes: a raw line or a WebSocket Text frame.
class RtstatSink {
 public:
  /// One whole message, ending in LF.
  virtual void rtstat_send(std::string_view message) = 0;
  /// quit/exit: close the connection (WebSocket: Close 1000).
  virtual void rtstat_close() = 0;
  /// auth::TOKEN with a token configured, `token_ok` telling whether it is
  /// the one: nullptr accepts, else the Error:: text (the agent also
  /// refuses the right token while the peer's address is locked out).
  virtual const char* rtstat_auth_checked(bool token_ok) { return token_ok ? nullptr : "Auth failed"; }

 protected:
  ~RtstatSink() = default;
};

/// The outcome of parsing an `interval` argument (§4.1).
enum class RtstatInterval { kOk, kNotPositive, kTooSmall };

/// Strict decimal number: optional leading whitespace and sign, digits
/// with optional fraction (or a fraction alone), optional exponent, nothing
/// after; finite. 0 and non-numbers are kNotPositive, < 0.5 kTooSmall.
RtstatInterval rtstat_parse_interval(std::string_view text, double* seconds);

struct RtstatConfig {
  std::string token;                 ///< empty: no auth gate
  uint32_t max_clients = 10;         ///< 0: unlimited
  std::vector<RtstatPlugin> plugins;
  uint32_t self_pid = 0;             ///< counted as sleeping in `processes`
};

class RtstatService;

class RtstatSession {
 public:
  /// Takes the cpu/net baseline for the first push now (at accept).
  RtstatSession(RtstatService* service, RtstatSink* sink);
  ~RtstatSession();
  RtstatSession(const RtstatSession&) = delete;
  RtstatSession& operator=(const RtstatSession&) = delete;

  /// Sends the Welcome line.
  void greet();
  /// One WebSocket message; a zero-length one is "Unknown message".
  void on_message(std::string_view text);
  /// One raw line (terminator removed); an empty line is "Unknown command",
  /// as upstream saw the newline inside the TCP chunk.
  void on_line(std::string_view line);
  /// The connection is gone: stop pushing and leave the client count.
  void detach();

  /// Sends one Push now (the service calls this when it is due).
  void push();

  bool authorized() const { return authorized_; }
  bool started() const { return started_; }
  uint64_t interval_ms() const { return interval_ms_; }

 private:
  void handle(std::string_view text);
  void error(std::string_view text);

  RtstatService* service_;
  RtstatSink* sink_;
  bool authorized_ = false;
  bool started_ = false;
  bool attached_ = true;
  uint64_t interval_ms_ = 0;  ///< 0: not set
  RtstatBaseline baseline_;
  std::string scratch_;
  bool own_plugins_ = false;            ///< set by `plugins::LIST` (statd only)
  std::vector<RtstatPlugin> plugins_;
};

class RtstatService {
 public:
  RtstatService(Loop* loop, metrics::Sampler* sampler, RtstatConfig config);
  ~RtstatService();
  RtstatService(const RtstatService&) = delete;
  RtstatService& operator=(const RtstatService&) = delete;

  const RtstatConfig& config() const { return config_; }
  /// False when max_clients rt-stat connections are open.
  bool has_room() const;
  size_t session_count() const { return session_count_; }
  /// Push timers armed (one per distinct interval with subscribers).
  size_t timer_count() const;

  /// Command plugins (`plugin NAME = COMMAND`, the Agent's PluginRunners):
  /// fn(ctx, now_ms, interval_ms, out) is called for every push, asks each
  /// plugin for a run and appends its latest (name, JSON) result, which goes
  /// after the built-in keys.
  using CommandsFn = void (*)(void* ctx, uint64_t now_ms, uint64_t interval_ms,
                              std::vector<std::pair<std::string, std::string>>* out);
  void set_command_source(CommandsFn fn, void* ctx) {
    commands_fn_ = fn;
    commands_ctx_ = ctx;
  }
  /// Tests: use this "HH:MM:SS" instead of the local time.
  void set_fixed_clock(std::string clock) { fixed_clock_ = std::move(clock); }

  // For sessions.
  void session_opened() { session_count_++; }
  void session_closed() { session_count_--; }
  void take_baseline(RtstatBaseline* out);
  /// "Push::<escaped json>\n" into *message; updates *baseline.
  /// `plugins`: the session's own list (the `plugins::` extension), null
  /// for the configured one.
  void build_push(RtstatBaseline* baseline, uint64_t interval_ms, std::string* message,
                  const std::vector<RtstatPlugin>* plugins = nullptr);
  /// Starts (or restarts) the schedule: first push one interval from now.
  void subscribe(RtstatSession* session, uint64_t interval_ms);
  void unsubscribe(RtstatSession* session);

  /// Tests: pushes to every subscriber due at `now_ms` as the timers would.
  void run_due(uint64_t now_ms);

 private:
  struct Subscriber {
    RtstatSession* session;
    uint64_t due_ms;
  };
  // All subscribers with one interval share a timer, armed for the
  // earliest of their due times.
  struct Group {
    RtstatService* service;
    uint64_t interval_ms;
    TimerId timer;
    std::vector<Subscriber> subscribers;
    bool firing = false;
  };

  static void on_timer(void* group);
  void fire(Group* group, uint64_t now_ms);
  void arm(Group* group);
  void drop_if_empty(uint64_t interval_ms);

  Loop* loop_;
  metrics::Sampler* sampler_;
  RtstatConfig config_;
  size_t session_count_ = 0;
  std::map<uint64_t, std::unique_ptr<Group>> groups_;
  CommandsFn commands_fn_ = nullptr;
  void* commands_ctx_ = nullptr;
  std::string fixed_clock_;
  std::string json_;
};
