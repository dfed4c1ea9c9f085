#include "client/screen.h"

#include <algorithm>

#include "base/reader.h"
#include "base/str.h"

namespace {

// Code points statc trusts to be exactly one column wide in every common
// terminal. A deliberately short allow-list instead of a full wcwidth table:
// it keeps out combining marks, zero-width and bidi controls, C1 controls
// (U+009B is CSI to some terminals even in UTF-8 mode), and wide CJK/emoji.
struct CodePointRange {
  uint32_t first;
  uint32_t last;
};
constexpr CodePointRange kDrawable[] = {
    {0x0020, 0x007E},  // ASCII printable
    {0x00A0, 0x00AC},  // Latin-1 (minus U+00AD soft hyphen)
    {0x00AE, 0x02FF},  // Latin-1, Latin Extended-A/B, IPA, modifier letters
    {0x0370, 0x0482},  // Greek, Cyrillic (up to the combining marks)
    {0x048A, 0x052F},  // Cyrillic, Cyrillic Supplement
    {0x1E00, 0x1FFF},  // Latin Extended Additional, Greek Extended
    {0x2010, 0x2027},  // dashes, quotes, bullet, ellipsis
    {0x2030, 0x205E},  // per mille, primes, more punctuation
    {0x2070, 0x209F},  // superscripts and subscripts
    {0x20A0, 0x20C0},  // currency
    {0x2100, 0x218B},  // letterlike symbols, number forms
    {0x2190, 0x2319},  // arrows, mathematical operators, technical
    {0x231C, 0x2328},
    {0x232B, 0x23E8},
    {0x2500, 0x25FC},  // box drawing, block elements, geometric shapes
    {0x2800, 0x28FF},  // braille patterns
};

bool code_point_drawable(uint32_t cp) {
  for (const CodePointRange& range : kDrawable) {
    if (cp < range.first) return false;  // the table is sorted
    if (cp <= range.last) return true;
  }
  return false;
}

// Lead byte of a UTF-8 sequence: continuation count and the allowed range of
// the first continuation byte (Unicode Table 3-7: no overlongs, surrogates
// or values above U+10FFFF).
struct LeadByte {
  bool ok;
  int continuation_count;
  uint8_t first_min;
  uint8_t first_max;
};

LeadByte classify_lead(uint8_t b) {
  if (b < 0x80) return {true, 0, 0, 0};
  if (b >= 0xC2 && b <= 0xDF) return {true, 1, 0x80, 0xBF};
  if (b == 0xE0) return {true, 2, 0xA0, 0xBF};
  if (b == 0xED) return {true, 2, 0x80, 0x9F};
  if (b >= 0xE1 && b <= 0xEF) return {true, 2, 0x80, 0xBF};
  if (b == 0xF0) return {true, 3, 0x90, 0xBF};
  if (b >= 0xF1 && b <= 0xF3) return {true, 3, 0x80, 0xBF};
  if (b == 0xF4) return {true, 3, 0x80, 0x8F};
  return {false, 0, 0, 0};
}

// Reads one code point, or one maximal ill-formed subpart, from `r` and sets
// *glyph to the bytes to store in a cell: the code point itself when it is
// drawable, "?" otherwise. False at the end of the input.
bool next_glyph(Reader* r, std::string_view* glyph) {
  size_t start = r->offset();
  std::string_view all_rest = r->rest();
  uint8_t b;
  if (!r->u8(&b)) return false;
  LeadByte lead = classify_lead(b);
  *glyph = "?";
  if (!lead.ok) return true;
  uint32_t cp = lead.continuation_count == 0 ? b : (b & (0x3F >> lead.continuation_count));
  uint8_t lo = lead.first_min, hi = lead.first_max;
  for (int i = 0; i < lead.continuation_count; i++) {
    int next = r->peek();
    if (next < lo || next > hi) return true;  // misfit starts the next glyph
    r->skip(1);
    cp = (cp << 6) | (static_cast<uint32_t>(next) & 0x3F);
    lo = 0x80;
    hi = 0xBF;
  }
  if (code_point_drawable(cp)) *glyph = all_rest.substr(0, r->offset() - start);
  return true;
}

Cell make_cell(std::string_view glyph, Style style) {
  Cell c;
  c.utf8_len = static_cast<uint8_t>(glyph.size());  // next_glyph gives 1..4
  for (size_t i = 0; i < glyph.size(); i++) c.utf8[i] = glyph[i];
  c.style = style;
  return c;
}

}  // namespace

Screen::Screen(int cols, int rows) { resize(cols, rows); }

void Screen::clear() { std::fill(cells_.begin(), cells_.end(), Cell()); }

int Screen::put(int x, int y, std::string_view utf8_text, Style style) {
  if (y < 0 || y >= rows_) return 0;
  Reader r(utf8_text);
  std::string_view glyph;
  int written = 0;
  for (int col = x; col < cols_ && next_glyph(&r, &glyph); col++) {
    if (col < 0) continue;
    cells_[index(col, y)] = make_cell(glyph, style);
    written++;
  }
  return written;
}

void Screen::fill(int x, int y, int w, int h, std::string_view ch, Style style) {
  Reader r(ch);
  std::string_view glyph = " ";
  next_glyph(&r, &glyph);
  Cell cell = make_cell(glyph, style);
  int x0 = std::max(x, 0), y0 = std::max(y, 0);
  // 64-bit sums: x + w must not overflow for callers passing INT_MAX.
  int x1 = static_cast<int>(std::min<int64_t>(int64_t{x} + w, cols_));
  int y1 = static_cast<int>(std::min<int64_t>(int64_t{y} + h, rows_));
  for (int row = y0; row < y1; row++) {
    for (int col = x0; col < x1; col++) cells_[index(col, row)] = cell;
  }
}

void Screen::resize(int cols, int rows) {
  cols = std::clamp(cols, 0, kScreenMaxCols);
  rows = std::clamp(rows, 0, kScreenMaxRows);
  std::vector<Cell> cells(static_cast<size_t>(cols) * static_cast<size_t>(rows));
  int keep_cols = std::min(cols, cols_), keep_rows = std::min(rows, rows_);
  for (int y = 0; y < keep_rows; y++) {
    for (int x = 0; x < keep_cols; x++) {
      cells[static_cast<size_t>(y) * static_cast<size_t>(cols) + static_cast<size_t>(x)] =
          cells_[index(x, y)];
    }
  }
  cells_.swap(cells);
  cols_ = cols;
  rows_ = rows;
}

std::string text_sanitize_for_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  Reader r(text);
  std::string_view glyph;
  while (next_glyph(&r, &glyph)) out.append(glyph);
  return out;
}

int text_cells(std::string_view text) {
  Reader r(text);
  std::string_view glyph;
  int cells = 0;
  while (next_glyph(&r, &glyph)) cells++;
  return cells;
}

std::string screen_to_text(const Screen& screen) {
  std::string out;
  for (int y = 0; y < screen.rows(); y++) {
    if (y > 0) out += '\n';
    for (int x = 0; x < screen.cols(); x++) out.append(screen.at(x, y).glyph());
  }
  return out;
}

// ---- diff -------------------------------------------------------------------

namespace {

void append_color_param(uint8_t color, int base_normal, int base_bright, std::string* params) {
  if (!params->empty()) *params += ';';
  if (color < 8) {
    str_append_u64(params, static_cast<uint64_t>(base_normal + color));
  } else {
    str_append_u64(params, static_cast<uint64_t>(base_bright + (color - 8)));
  }
}

void append_param(const char* p, std::string* params) {
  if (!params->empty()) *params += ';';
  *params += p;
}

// SGR parameters that set `to` starting from a reset terminal.
std::string sgr_params_from_reset(const Style& to) {
  std::string params = "0";
  if (to.attrs & kAttrBold) append_param("1", &params);
  if (to.attrs & kAttrDim) append_param("2", &params);
  if (to.attrs & kAttrReverse) append_param("7", &params);
  if (to.fg != kColorDefault) append_color_param(to.fg, 30, 90, &params);
  if (to.bg != kColorDefault) append_color_param(to.bg, 40, 100, &params);
  return params;
}

// SGR parameters that change only what differs. SGR 22 clears bold and dim
// together, so dropping either one re-adds the one that stays.
std::string sgr_params_incremental(const Style& from, const Style& to) {
  std::string params;
  uint8_t intensity = kAttrBold | kAttrDim;
  uint8_t keep = from.attrs;
  if ((from.attrs & intensity) & ~to.attrs) {
    append_param("22", &params);
    keep &= static_cast<uint8_t>(~intensity);
  }
  if ((from.attrs & kAttrReverse) && !(to.attrs & kAttrReverse)) append_param("27", &params);
  if ((to.attrs & kAttrBold) && !(keep & kAttrBold)) append_param("1", &params);
  if ((to.attrs & kAttrDim) && !(keep & kAttrDim)) append_param("2", &params);
  if ((to.attrs & kAttrReverse) && !(keep & kAttrReverse)) append_param("7", &params);
  if (from.fg != to.fg) {
    if (to.fg == kColorDefault) append_param("39", &params);
    else append_color_param(to.fg, 30, 90, &params);
  }
  if (from.bg != to.bg) {
    if (to.bg == kColorDefault) append_param("49", &params);
    else append_color_param(to.bg, 40, 100, &params);
  }
  return params;
}

class DiffWriter {
 public:
  DiffWriter(const Screen& next, const TermCaps& caps, std::string* out)
      : next_(next), caps_(caps), out_(out) {}

  // The cell as this terminal can show it: without colours when !caps.color.
  Cell visible(const Screen& s, int x, int y) const {
    Cell c = s.at(x, y);
    if (!caps_.color) c.style.fg = c.style.bg = kColorDefault;
    return c;
  }

  void diff_row(const Screen& previous, int y);
  void finish() { set_pen(Style()); }

 private:
  void move_to(int x, int y);
  void set_pen(const Style& style);
  void write_cell(int x, int y);

  const Screen& next_;
  const TermCaps& caps_;
  std::string* out_;
  // Cursor position; cursor_x_ == -1: unknown; cursor_x_ == cols: the last
  // column was just written and the terminal has a wrap pending, from where
  // only absolute moves and CR are portable.
  int cursor_x_ = -1;
  int cursor_y_ = -1;
  Style pen_;  // SGR state, default by contract on entry
};

void DiffWriter::move_to(int x, int y) {
  if (cursor_x_ == x && cursor_y_ == y) return;
  std::string best = "\x1b[";
  str_append_u64(&best, static_cast<uint64_t>(y + 1));
  if (x > 0) {
    best += ';';
    str_append_u64(&best, static_cast<uint64_t>(x + 1));
  }
  best += 'H';
  auto consider = [&best](const std::string& candidate) {
    if (candidate.size() < best.size()) best = candidate;
  };
  bool known = cursor_x_ >= 0;
  if (known && x == 0 && y >= cursor_y_) {
    consider("\r" + std::string(static_cast<size_t>(y - cursor_y_), '\n'));
  }
  // Rows are diffed left to right, so within a row the cursor only ever
  // moves forward (never from a pending wrap: no column lies beyond it).
  if (known && y == cursor_y_ && x > cursor_x_) {
    int distance = x - cursor_x_;
    std::string forward = "\x1b[";
    if (distance > 1) str_append_u64(&forward, static_cast<uint64_t>(distance));
    forward += 'C';
    consider(forward);
    // Rewriting the cells in between is often shorter than any move, but
    // only when they already have the pen's style.
    std::string rewrite;
    bool usable = true;
    for (int col = cursor_x_; col < x && usable; col++) {
      Cell c = visible(next_, col, y);
      usable = c.style == pen_;
      rewrite.append(c.glyph());
    }
    if (usable) consider(rewrite);
  }
  *out_ += best;
  cursor_x_ = x;
  cursor_y_ = y;
}

void DiffWriter::set_pen(const Style& style) {
  if (style == pen_) return;
  std::string params = sgr_params_incremental(pen_, style);
  std::string from_reset = sgr_params_from_reset(style);
  if (from_reset.size() < params.size()) params = from_reset;
  *out_ += "\x1b[";
  *out_ += params;
  *out_ += 'm';
  pen_ = style;
}

void DiffWriter::write_cell(int x, int y) {
  Cell c = visible(next_, x, y);
  move_to(x, y);
  set_pen(c.style);
  out_->append(c.glyph());
  cursor_x_ = x + 1;  // == cols: wrap pending
}

void DiffWriter::diff_row(const Screen& previous, int y) {
  int cols = next_.cols();
  // Everything right of the last non-blank cell can be erased with EL.
  int tail_start = cols;
  while (tail_start > 0 && visible(next_, tail_start - 1, y).is_blank()) tail_start--;
  int first_tail_change = -1;
  // Bytes to blank the tail cell by cell: a space each, plus a move (~3
  // bytes) before every run of changes after the first.
  int erase_cost_estimate = 0;
  int last_change = -1;
  for (int x = tail_start; x < cols; x++) {
    if (visible(previous, x, y) == visible(next_, x, y)) continue;
    if (first_tail_change < 0) first_tail_change = x;
    bool new_run = last_change >= 0 && last_change != x - 1;
    erase_cost_estimate += new_run ? 4 : 1;
    last_change = x;
  }
  bool use_erase = first_tail_change >= 0 && erase_cost_estimate >= 3;
  int end = use_erase ? first_tail_change : cols;
  for (int x = 0; x < end; x++) {
    if (visible(previous, x, y) != visible(next_, x, y)) write_cell(x, y);
  }
  if (use_erase) {
    move_to(first_tail_change, y);
    set_pen(Style());  // EL fills with the current background
    *out_ += "\x1b[K";
  }
}

}  // namespace

void screen_diff(const Screen& previous, const Screen& next, std::string* out,
                 const TermCaps& caps) {
  if (previous.cols() != next.cols() || previous.rows() != next.rows()) {
    screen_redraw(next, out, caps);
    return;
  }
  DiffWriter writer(next, caps, out);
  for (int y = 0; y < next.rows(); y++) writer.diff_row(previous, y);
  writer.finish();
}

void screen_redraw(const Screen& next, std::string* out, const TermCaps& caps) {
  *out += "\x1b[H\x1b[2J";
  Screen blank(next.cols(), next.rows());
  screen_diff(blank, next, out, caps);
}
