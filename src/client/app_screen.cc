// The screen side of App: rendering, keys, and the interactive loop.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "client/app.h"
#include "client/keys.h"
#include "client/term.h"

void App::render(Screen* screen, uint64_t now_ms) {
  if (view_.overview) {
    draw_overview(*screen, host_list(), view_, now_ms);
  } else {
    size_t i = view_.selected < hosts_.size() ? view_.selected : 0;
    if (hosts_[i]->fleet) draw_fleet_view(*screen, *hosts_[i], view_, now_ms);
    else draw_host_view(*screen, *hosts_[i], &view_, now_ms);
  }
  if (view_.detail && !view_.overview) draw_process_detail(*screen, *hosts_[view_.selected], view_);
  if (view_.help) draw_help(*screen, view_);
}

static ViewState initial_view(const StatcOptions& opts, size_t hosts, bool tty_utf8) {
  ViewState v;
  v.overview = v.multi_host = hosts > 1;
  v.utf8 = !opts.ascii && tty_utf8;
  // auto: colour unless NO_COLOR is set or TERM is "dumb".
  v.color = opts.color == ColorMode::kAlways ||
            (opts.color == ColorMode::kAuto && term_caps_from_env().color);
  return v;
}

int App::run_once() {
  bool ok = wait_for_snapshot();
  view_ = initial_view(opts_, hosts_.size(), locale_is_utf8());
  view_.color = false;  // a frame for scripts and `watch`: plain text
  int cols = 80, rows = 24;
  Terminal probe;
  if (probe.is_tty()) probe.window_size(&cols, &rows);
  if (const char* c = getenv("COLUMNS")) cols = atoi(c) > 0 ? atoi(c) : cols;
  if (const char* l = getenv("LINES")) rows = atoi(l) > 0 ? atoi(l) : rows;
  Screen screen(cols, rows);
  render(&screen, loop.now_ms());
  std::string text = screen_to_text(screen);
  // Trailing blanks only cost bytes in a pipe.
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    start = end + 1;
  }
  fwrite(out.data(), 1, out.size(), stdout);
  return ok ? 0 : 1;
}

void App::open_detail() {
  Host& h = *hosts_[view_.selected];
  std::vector<const ProcRow*> rows = visible_processes(h, view_);
  if (view_.process_cursor >= rows.size()) return;
  h.detail_pid = rows[view_.process_cursor]->pid;
  h.has_detail = false;
  view_.detail = true;
}

void App::close_detail() {
  Host& h = *hosts_[view_.selected];
  h.detail_pid = 0;
  h.has_detail = false;
  view_.detail = false;
}

bool App::handle_key(const Key& key, int page_rows) {
  if (view_.help) {  // any key closes the help
    view_.help = false;
    return key.code != KeyCode::CtrlC;
  }
  if (view_.editing_filter) {
    if (key.code == KeyCode::Enter || key.code == KeyCode::Escape) view_.editing_filter = false;
    else if (key.code == KeyCode::Backspace && !view_.filter.empty()) view_.filter.pop_back();
    else if (key.code == KeyCode::Char && view_.filter.size() < 64) view_.filter += key.ch;
    else if (key.code == KeyCode::CtrlC) return false;
    view_.scroll = view_.process_cursor = 0;
    return true;
  }
  bool overview_list = view_.overview;
  switch (key.code) {
    case KeyCode::CtrlC: return false;
    case KeyCode::Char:
      switch (key.ch) {
        case 'q': return false;
        case 'h': case '?': view_.help = true; break;
        case 's': view_.sort = static_cast<ProcessSort>((static_cast<int>(view_.sort) + 1) % 4); break;
        case 'c': view_.sort = ProcessSort::kCpu; break;
        case 'm': view_.sort = ProcessSort::kMemory; break;
        case 'p': view_.sort = ProcessSort::kPid; break;
        case 'n': view_.sort = ProcessSort::kName; break;
        case '/': if (!overview_list) { view_.editing_filter = true; view_.filter.clear(); } break;
      }
      break;
    case KeyCode::Up:
      if (overview_list) { if (view_.selected > 0) view_.selected--; }
      else if (view_.process_cursor > 0) view_.process_cursor--;
      break;
    case KeyCode::Down:
      if (overview_list) { if (view_.selected + 1 < hosts_.size()) view_.selected++; }
      else view_.process_cursor++;
      break;
    case KeyCode::PageUp:
      view_.process_cursor = view_.process_cursor > static_cast<size_t>(page_rows) ? view_.process_cursor - page_rows : 0;
      break;
    case KeyCode::PageDown: view_.process_cursor += static_cast<size_t>(page_rows); break;
    case KeyCode::Home: view_.process_cursor = 0; break;
    case KeyCode::Enter:
      if (overview_list) {
        view_.overview = false;
        view_.process_cursor = view_.scroll = 0;
      } else {
        open_detail();
      }
      break;
    case KeyCode::Escape:
      if (view_.detail) {
        close_detail();
      } else if (view_.multi_host && !view_.overview) {
        view_.overview = true;
        view_.filter.clear();
      }
      break;
    default:
      break;
  }
  return true;
}

namespace {

// Watches the keyboard and SIGWINCH; redraws on a short timer so that a
// burst of replies costs one frame.
class Interactive : public FdWatcher {
 public:
  Interactive(App* app, Terminal* term) : app_(app), term_(term) {}

  bool start(std::string* err) {
    if (!term_->enter(err)) return false;
    int cols, rows;
    term_->window_size(&cols, &rows);
    shown_ = Screen(cols, rows);
    next_ = Screen(cols, rows);
    app_->loop.watch(term_->input_fd(), POLLIN, this);
    app_->loop.watch(term_->resize_fd(), POLLIN, this);
    full_redraw_ = true;
    draw();
    tick_ = app_->loop.add_timer(kTickMs, on_tick, this);
    return true;
  }

  bool quit() const { return quit_; }

  void on_fd_ready(int fd, int revents) override {
    if (fd == term_->resize_fd()) {
      term_->take_resize();
      int cols, rows;
      term_->window_size(&cols, &rows);
      shown_.resize(cols, rows);
      next_.resize(cols, rows);
      full_redraw_ = true;
      draw();
      return;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {  // the terminal went away
      quit_ = true;
      app_->loop.stop();
      return;
    }
    pending_.append(buf, static_cast<size_t>(n));
    decode_keys(false);
  }

 private:
  static constexpr uint64_t kTickMs = 250;

  static void on_tick(void* self) {
    Interactive* i = static_cast<Interactive*>(self);
    i->tick_ = i->app_->loop.add_timer(kTickMs, on_tick, i);
    i->decode_keys(true);  // a lone ESC is complete once input went quiet
    i->draw();
  }

  void decode_keys(bool idle) {
    bool changed = false;
    for (;;) {
      Key key;
      size_t used;
      if (!key_decode(pending_, idle, &key, &used)) break;
      pending_.erase(0, used);
      if (key.code == KeyCode::CtrlL) full_redraw_ = true;
      if (!app_->handle_key(key, next_.rows() / 2)) {
        quit_ = true;
        app_->loop.stop();
        return;
      }
      changed = true;
    }
    if (changed) draw();
  }

  void draw() {
    app_->render(&next_, app_->loop.now_ms());
    std::string out;
    TermCaps caps;
    caps.color = app_->color();
    caps.utf8 = app_->utf8();
    if (full_redraw_) screen_redraw(next_, &out, caps);
    else screen_diff(shown_, next_, &out, caps);
    full_redraw_ = false;
    if (!out.empty()) {
      std::string err;
      term_->write_all(out, &err);
    }
    std::swap(shown_, next_);
  }

  App* app_;
  Terminal* term_;
  Screen shown_{80, 24}, next_{80, 24};
  std::string pending_;
  TimerId tick_;
  bool full_redraw_ = true;
  bool quit_ = false;
};

}  // namespace

int App::run_interactive() {
  Terminal term;
  if (!term.is_tty()) {
    fprintf(stderr, "statc: standard input/output is not a terminal (use --once or --json)\n");
    return 2;
  }
  view_ = initial_view(opts_, hosts_.size(), locale_is_utf8());
  Interactive ui(this, &term);
  std::string err;
  if (!ui.start(&err)) {
    fprintf(stderr, "statc: %s\n", err.c_str());
    return 1;
  }
  loop.run();
  term.restore();
  return 0;
}
