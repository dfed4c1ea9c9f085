// screen_diff must be exact: replaying its bytes on a terminal that shows
// `previous` (cursor anywhere, default SGR) must show `next`, and leave the
// SGR state at the default. The terminal here is a tiny, strict VT emulator
// for just the subset screen_diff may emit (CUP, CUF, CR, LF, SGR, EL, ED 2,
// printable UTF-8); anything else, or anything that would make a real
// terminal wrap, scroll or clamp, aborts.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "base/reader.h"
#include "client/screen.h"

namespace {

class Emulator {
 public:
  Emulator(int cols, int rows, int x, int y) : cols_(cols), rows_(rows), x_(x), y_(y) {
    cells_.resize(static_cast<size_t>(cols) * static_cast<size_t>(rows));
  }
  Cell& at(int x, int y) { return cells_[static_cast<size_t>(y * cols_ + x)]; }
  const Style& pen() const { return pen_; }

  void run(std::string_view bytes, bool color) {
    Reader r(bytes);
    uint8_t b;
    while (r.u8(&b)) {
      if (b == 0x1b) {
        csi(&r, color);
      } else if (b == '\r') {
        x_ = 0;
        wrap_pending_ = false;
      } else if (b == '\n') {
        if (y_ + 1 >= rows_) abort();  // would scroll
        y_++;
      } else {
        print(&r, b);
      }
    }
  }

 private:
  void print(Reader* r, uint8_t lead) {
    Cell c;
    size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (lead < 0x20 || lead == 0x7f || (lead >= 0x80 && lead < 0xC2) || lead > 0xF4) abort();
    c.utf8[0] = static_cast<char>(lead);
    for (size_t i = 1; i < len; i++) {
      uint8_t cont;
      if (!r->u8(&cont) || (cont & 0xC0) != 0x80) abort();
      c.utf8[i] = static_cast<char>(cont);
    }
    c.utf8_len = static_cast<uint8_t>(len);
    c.style = pen_;
    if (wrap_pending_) abort();  // would wrap to the next line
    at(x_, y_) = c;
    if (x_ + 1 == cols_) wrap_pending_ = true;
    else x_++;
  }

  void csi(Reader* r, bool color) {
    if (!r->consume("[")) abort();
    std::vector<int> params(1, -1);  // -1: omitted
    uint8_t b;
    for (;;) {
      if (!r->u8(&b)) abort();
      if (b >= '0' && b <= '9') {
        int& p = params.back();
        p = (p < 0 ? 0 : p) * 10 + (b - '0');
        if (p > 100000) abort();
      } else if (b == ';') {
        params.push_back(-1);
      } else {
        break;
      }
    }
    auto param = [&](size_t i, int fallback) {
      return i < params.size() && params[i] >= 0 ? params[i] : fallback;
    };
    Cell blank;
    switch (b) {
      case 'H': {
        int row = param(0, 1), col = param(1, 1);
        if (params.size() > 2 || row < 1 || col < 1 || row > rows_ || col > cols_) abort();
        y_ = row - 1;
        x_ = col - 1;
        wrap_pending_ = false;
        break;
      }
      case 'C': {
        int n = param(0, 1);
        if (params.size() > 1 || n < 1 || wrap_pending_ || x_ + n > cols_ - 1) abort();
        x_ += n;
        break;
      }
      case 'K':
        if (params.size() > 1 || param(0, 0) != 0 || pen_ != Style()) abort();
        for (int x = x_; x < cols_; x++) at(x, y_) = blank;
        break;
      case 'J':
        if (params.size() > 1 || param(0, 0) != 2 || pen_ != Style()) abort();
        for (Cell& c : cells_) c = blank;
        break;
      case 'm':
        for (size_t i = 0; i < params.size(); i++) sgr(param(i, 0), color);
        break;
      default:
        abort();
    }
  }

  void sgr(int p, bool color) {
    bool is_color = (p >= 30 && p <= 49) || (p >= 90 && p <= 107);
    if (is_color && !color) abort();  // NO_COLOR: never a colour SGR
    if (p == 0) pen_ = Style();
    else if (p == 1) pen_.attrs |= kAttrBold;
    else if (p == 2) pen_.attrs |= kAttrDim;
    else if (p == 7) pen_.attrs |= kAttrReverse;
    else if (p == 22) pen_.attrs &= static_cast<uint8_t>(~(kAttrBold | kAttrDim));
    else if (p == 27) pen_.attrs &= static_cast<uint8_t>(~kAttrReverse);
    else if (p >= 30 && p <= 37) pen_.fg = static_cast<uint8_t>(p - 30);
    else if (p == 39) pen_.fg = kColorDefault;
    else if (p >= 40 && p <= 47) pen_.bg = static_cast<uint8_t>(p - 40);
    else if (p == 49) pen_.bg = kColorDefault;
    else if (p >= 90 && p <= 97) pen_.fg = static_cast<uint8_t>(p - 90 + 8);
    else if (p >= 100 && p <= 107) pen_.bg = static_cast<uint8_t>(p - 100 + 8);
    else abort();
  }

  int cols_, rows_;
  int x_, y_;
  bool wrap_pending_ = false;
  Style pen_;
  std::vector<Cell> cells_;
};

const char* const kGlyphs[] = {"█", "▌", "⣿", "é", "─", "a", " ", "\x1b", "中", "\xc2\x9b"};

Style read_style(Reader* r) {
  uint8_t fg = 0, bg = 0, attrs = 0;
  r->u8(&fg);
  r->u8(&bg);
  r->u8(&attrs);
  Style s;
  s.fg = fg % 17 == 16 ? kColorDefault : fg % 17;
  s.bg = bg % 17 == 16 ? kColorDefault : bg % 17;
  s.attrs = attrs & 7;
  return s;
}

// Applies drawing operations from the input to one or both screens.
void draw_ops(Reader* r, Screen* a, Screen* b, bool ascii_only) {
  uint8_t op;
  while (r->u8(&op)) {
    uint8_t x = 0, y = 0, len = 0;
    r->u8(&x);
    r->u8(&y);
    r->u8(&len);
    Style style = read_style(r);
    std::string text;
    if ((op & 3) == 0) {
      std::string_view raw;
      if (!r->bytes(std::min<size_t>(len % 16, r->remaining()), &raw)) break;
      text = raw;
    } else {
      for (int i = 0; i < len % 12; i++) text += kGlyphs[(i + op) % 10];
    }
    if (ascii_only) {
      for (char& c : text) c = static_cast<char>(0x20 + (static_cast<uint8_t>(c) % 95));
    }
    int px = x % 48 - 4, py = y % 16 - 2;
    Screen* target = (op & 0x30) == 0x10 ? a : b;
    bool both = (op & 0x30) == 0x20;
    if ((op & 3) == 3) {
      target->fill(px, py, len % 9, (len / 9) % 5, text, style);
      if (both) a->fill(px, py, len % 9, (len / 9) % 5, text, style);
    } else {
      target->put(px, py, text, style);
      if (both) a->put(px, py, text, style);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  uint8_t flags = 0, prev_cols = 0, prev_rows = 0, next_cols = 0, next_rows = 0, cx = 0, cy = 0;
  if (!r.u8(&flags) || !r.u8(&prev_cols) || !r.u8(&prev_rows)) return 0;
  r.u8(&next_cols);
  r.u8(&next_rows);
  r.u8(&cx);
  r.u8(&cy);
  TermCaps caps;
  caps.color = flags & 1;
  bool ascii_only = flags & 2;
  Screen previous(1 + prev_cols % 40, 1 + prev_rows % 12);
  Screen next = (flags & 4) ? Screen(1 + next_cols % 40, 1 + next_rows % 12) : previous;
  bool same_size = previous.cols() == next.cols() && previous.rows() == next.rows();
  draw_ops(&r, &previous, &next, ascii_only);
  if (flags & 8) {  // growing and shrinking back keeps the content
    int cols = next.cols(), rows = next.rows();
    next.resize(cols + 3, rows + 1);
    next.resize(cols, rows);
  }

  std::string out;
  screen_diff(previous, next, &out, caps);
  if (ascii_only) {
    for (unsigned char c : out) {
      if (c >= 0x80) abort();
    }
  }

  // The terminal shows `previous` (or garbage when the size changed).
  Emulator term(next.cols(), next.rows(), cx % next.cols(), cy % next.rows());
  for (int y = 0; y < next.rows(); y++) {
    for (int x = 0; x < next.cols(); x++) {
      Cell c;
      if (same_size) c = previous.at(x, y);
      else c.utf8[0] = 'Z';
      if (!caps.color) c.style.fg = c.style.bg = kColorDefault;
      term.at(x, y) = c;
    }
  }
  term.run(out, caps.color);
  if (term.pen() != Style()) abort();
  for (int y = 0; y < next.rows(); y++) {
    for (int x = 0; x < next.cols(); x++) {
      Cell want = next.at(x, y);
      if (!caps.color) want.style.fg = want.style.bg = kColorDefault;
      if (term.at(x, y) != want) abort();
      // Cells never hold control characters (C0, DEL, C1).
      uint8_t lead = static_cast<uint8_t>(want.utf8[0]);
      if (lead < 0x20 || lead == 0x7f) abort();
      if (lead == 0xC2 && static_cast<uint8_t>(want.utf8[1]) < 0xA0) abort();
    }
  }
  std::string again;
  screen_diff(next, next, &again, caps);
  if (!again.empty()) abort();
  return 0;
}
