// Screen: statc's cell buffer, and the diff that turns one frame into the
// next with as few ANSI/VT100 bytes as it reasonably can.
//
// No curses, no terminfo: statc runs over SSH on routers, so it speaks the
// small VT100/ECMA-48 subset every terminal emulator since xterm agrees on
// (CUP, CUF/CUB, CR/LF, SGR with the 16-colour palette, EL, ED).
//
// Width model: every cell holds exactly one code point and every code point
// is one column wide. That is only true for the characters statc draws
// (ASCII, Latin/Greek/Cyrillic letters, punctuation, arrows, box drawing,
// block elements, braille), so anything else -- control bytes, ill-formed
// UTF-8, wide (CJK, emoji) and combining or zero-width code points -- is
// stored as '?'. That also means text from remote hosts (process names,
// mount points) can never smuggle an escape sequence to the terminal.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

/// Palette indices of the 16-colour ANSI palette; kColorDefault is the
/// terminal's own foreground/background.
enum : uint8_t {
  kColorBlack = 0,
  kColorRed = 1,
  kColorGreen = 2,
  kColorYellow = 3,
  kColorBlue = 4,
  kColorMagenta = 5,
  kColorCyan = 6,
  kColorWhite = 7,
  kColorBright = 8,  // add to 0..7 for the bright variants (SGR 90..97)
  kColorDefault = 255,
};

/// Attribute bits of Style::attrs.
enum : uint8_t {
  kAttrBold = 1,
  kAttrDim = 2,
  kAttrReverse = 4,
};

struct Style {
  uint8_t fg = kColorDefault;  // 0..15 or kColorDefault
  uint8_t bg = kColorDefault;
  uint8_t attrs = 0;           // kAttr* bits

  bool operator==(const Style& o) const {
    return fg == o.fg && bg == o.bg && attrs == o.attrs;
  }
  bool operator!=(const Style& o) const { return !(*this == o); }
};

/// A Style with only a foreground colour (and optional attributes).
inline Style style_fg(uint8_t fg, uint8_t attrs = 0) {
  Style s;
  s.fg = fg;
  s.attrs = attrs;
  return s;
}

struct Cell {
  char utf8[4] = {' ', 0, 0, 0};  // one sanitised code point
  uint8_t utf8_len = 1;
  Style style;

  std::string_view glyph() const { return std::string_view(utf8, utf8_len); }
  bool is_blank() const { return glyph() == " " && style == Style(); }
  bool operator==(const Cell& o) const {
    return glyph() == o.glyph() && style == o.style;
  }
  bool operator!=(const Cell& o) const { return !(*this == o); }
};

/// Sizes are clamped to these (a bogus TIOCGWINSZ must not cost gigabytes).
constexpr int kScreenMaxCols = 1024;
constexpr int kScreenMaxRows = 512;

class Screen {
 public:
  Screen(int cols, int rows);

  int cols() const { return cols_; }
  int rows() const { return rows_; }

  /// Every cell back to a blank (space, default style).
  void clear();
  /// Draws `utf8_text` left to right from (x, y), one code point per cell,
  /// sanitised as text_sanitize_for_cell() does. Clips at both edges.
  /// Returns the number of cells written.
  int put(int x, int y, std::string_view utf8_text, Style style = Style());
  /// Fills the rectangle (clipped) with the first code point of `ch`.
  void fill(int x, int y, int w, int h, std::string_view ch, Style style = Style());
  /// New size; the overlapping top-left part keeps its content.
  void resize(int cols, int rows);

  /// The cell at (x, y); both must be in range.
  const Cell& at(int x, int y) const { return cells_[index(x, y)]; }

 private:
  size_t index(int x, int y) const {
    return static_cast<size_t>(y) * static_cast<size_t>(cols_) + static_cast<size_t>(x);
  }

  int cols_ = 0;
  int rows_ = 0;
  std::vector<Cell> cells_;
};

/// What the output terminal may be sent.
struct TermCaps {
  bool color = true;  // false: never any colour SGR (NO_COLOR, dumb terminals)
  bool utf8 = true;   // false: the caller draws ASCII only (the diff copies bytes)
};

/// Appends the bytes that turn a terminal showing `previous` into `next`.
/// Contract: on entry the terminal's SGR state is the default and the cursor
/// position is unknown (the first move is absolute); on exit the SGR state
/// is the default again and the cursor is wherever the last write left it
/// (statc keeps it hidden). Identical screens append nothing. When the
/// sizes differ this is a full redraw.
void screen_diff(const Screen& previous, const Screen& next, std::string* out,
                 const TermCaps& caps);

/// Full redraw: home + erase display (ESC[H ESC[2J), then the diff from a
/// blank screen. Same SGR contract as screen_diff().
void screen_redraw(const Screen& next, std::string* out, const TermCaps& caps);

/// Rows joined by '\n' (no trailing newline), trailing spaces kept; styles
/// are dropped. For golden tests and debugging.
std::string screen_to_text(const Screen& screen);

/// `text` as Screen::put() would store it: control bytes (C0, DEL, C1),
/// ill-formed UTF-8 (one '?' per maximal ill-formed subpart) and code points
/// statc cannot vouch are one column wide become '?'.
std::string text_sanitize_for_cell(std::string_view text);

/// Number of cells Screen::put() would use for `text` (unclipped).
int text_cells(std::string_view text);
