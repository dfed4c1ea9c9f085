// statc's application: the hosts, their sources, and the three ways to
// show them (interactive screen, one frame, JSON).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/host.h"
#include "client/screen.h"
#include "client/views.h"
#include "client/source.h"
#include "client/statc_options.h"
#include "event/loop.h"
#include "net/tls.h"

class App {
 public:
  explicit App(const StatcOptions& opts);
  ~App();

  /// Builds hosts and sources from the options and the gotop config;
  /// false (with a message on stderr) for a bad source or config.
  bool setup();
  /// --json: waits until every host answered (or failed), prints, returns
  /// the exit status.
  int run_json();
  /// --once: the same, but prints one screen frame.
  int run_once();
  /// The interactive screen.
  int run_interactive();

  Loop loop;

  /// Draws the current view into `screen`.
  void render(Screen* screen, uint64_t now_ms);
  /// Applies one key; false when it means "quit".
  bool handle_key(const struct Key& key, int page_rows);
  bool color() const { return view_.color; }
  bool utf8() const { return view_.utf8; }

 private:
  bool add_source(const std::string& text, const std::string& label, uint32_t interval_ms);
  /// Runs the loop until every host has what a snapshot needs, or failed,
  /// or the deadline passes. True when all hosts are live.
  bool wait_for_snapshot();
  bool host_ready(const Host& h) const;
  void open_detail();
  void close_detail();
  std::vector<const Host*> host_list() const;

  StatcOptions opts_;
  ViewState view_;
#if STATD_TLS
  TlsClientContext tls_;
  bool tls_ready_ = false;
#endif
  std::vector<std::unique_ptr<Host>> hosts_;
  std::vector<std::unique_ptr<Source>> sources_;
};
