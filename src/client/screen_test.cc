#include "client/screen.h"

#include "base/test.h"

namespace {

std::string diff(const Screen& previous, const Screen& next, bool color = true) {
  std::string out;
  TermCaps caps;
  caps.color = color;
  screen_diff(previous, next, &out, caps);
  return out;
}

Style make_style(uint8_t fg, uint8_t bg, uint8_t attrs) {
  Style s;
  s.fg = fg;
  s.bg = bg;
  s.attrs = attrs;
  return s;
}

}  // namespace

TEST(screen_put_clips_and_counts) {
  Screen s(5, 2);
  EXPECT_EQ(s.put(3, 0, "abcdef"), 2);
  EXPECT_EQ(s.put(-2, 0, "xyz"), 1);
  EXPECT_EQ(s.put(0, 2, "nope"), 0);
  EXPECT_EQ(s.put(0, -1, "nope"), 0);
  EXPECT_EQ(s.put(9, 1, "off"), 0);
  EXPECT_EQ(s.put(1, 1, "█▌"), 2);
  EXPECT_EQ(screen_to_text(s), "z  ab\n █▌  ");
  EXPECT_EQ(s.at(1, 1).utf8_len, 3);
}

TEST(screen_put_sanitises_escape_injection) {
  Screen s(8, 1);
  EXPECT_EQ(s.put(0, 0, "\x1b[2J"), 4);
  EXPECT_EQ(screen_to_text(s), "?[2J    ");
}

TEST(screen_fill_clear_resize) {
  Screen s(4, 3);
  s.fill(-1, 1, 3, 5, "#x", style_fg(kColorRed));
  EXPECT_EQ(screen_to_text(s), "    \n##  \n##  ");
  EXPECT(s.at(0, 1).style == style_fg(kColorRed));
  s.fill(0, 0, 2147483647, 1, "");  // empty glyph: blank
  s.put(0, 0, "ab");
  s.resize(3, 2);
  EXPECT_EQ(screen_to_text(s), "ab \n## ");
  s.resize(5, 3);
  EXPECT_EQ(screen_to_text(s), "ab   \n##   \n     ");
  s.clear();
  EXPECT_EQ(screen_to_text(s), "     \n     \n     ");
  Screen huge(1 << 30, -5);
  EXPECT_EQ(huge.cols(), kScreenMaxCols);
  EXPECT_EQ(huge.rows(), 0);
}

TEST(screen_text_sanitize_for_cell) {
  EXPECT_EQ(text_sanitize_for_cell("\x1b[2J"), "?[2J");
  EXPECT_EQ(text_sanitize_for_cell("a\tb\x7f"), "a?b?");
  EXPECT_EQ(text_sanitize_for_cell("\xc2\x9b" "31m"), "?31m");  // C1 CSI
  EXPECT_EQ(text_sanitize_for_cell("\xff\xe2\x96" "a"), "??a");  // invalid, truncated
  EXPECT_EQ(text_sanitize_for_cell("\xc0\xaf"), "??");            // overlong
  EXPECT_EQ(text_sanitize_for_cell("\xed\xa0\x80"), "???");        // surrogate
  EXPECT_EQ(text_sanitize_for_cell("中x"), "?x");                   // wide
  EXPECT_EQ(text_sanitize_for_cell("e\xcc\x81"), "e?");            // combining
  EXPECT_EQ(text_sanitize_for_cell("\xf0\x9f\x98\x80"), "?");      // emoji
  EXPECT_EQ(text_sanitize_for_cell("a\xe2\x80\x8d" "b\xe2\x80\xae"), "a?b?");  // ZWJ, RLO
  EXPECT_EQ(text_sanitize_for_cell("é█⣿─↑°"), "é█⣿─↑°");
  EXPECT_EQ(text_cells("a█中\x1b"), 4);
  EXPECT_EQ(text_cells(""), 0);
}

TEST(screen_diff_blank_to_small_frame) {
  Screen blank(6, 2), frame(6, 2);
  frame.put(0, 0, "ab");
  frame.put(1, 1, "cd", style_fg(kColorRed, kAttrBold));
  EXPECT_EQ(diff(blank, frame), "\x1b[1Hab\x1b[2;2H\x1b[1;31mcd\x1b[0m");
}

TEST(screen_diff_one_cell_change) {
  Screen a(20, 10), b(20, 10);
  a.put(0, 0, "title");
  b.put(0, 0, "title");
  EXPECT_EQ(diff(a, b), "");
  b.put(9, 4, "x");
  EXPECT_EQ(diff(a, b), "\x1b[5;10Hx");
  EXPECT_EQ(diff(b, b), "");
}

TEST(screen_diff_style_changes) {
  Screen a(10, 1), b(10, 1);
  a.put(0, 0, "a");
  b.put(0, 0, "a", make_style(kColorDefault, kColorDefault, kAttrReverse));
  EXPECT_EQ(diff(a, b), "\x1b[1H\x1b[7ma\x1b[0m");

  Screen c(10, 1);
  c.put(0, 0, "a", make_style(kColorDefault, kColorDefault, kAttrBold));
  c.put(1, 0, "b", make_style(kColorDefault, kColorDefault, kAttrBold | kAttrDim));
  c.put(2, 0, "c", make_style(kColorDefault, kColorDefault, kAttrDim));
  c.put(3, 0, "d", make_style(kColorGreen, kColorDefault, 0));
  c.put(4, 0, "e", make_style(kColorRed + kColorBright, kColorBlue + kColorBright, 0));
  c.put(5, 0, "f", make_style(kColorDefault, kColorBlue + kColorBright, 0));
  c.put(6, 0, "g", make_style(kColorWhite, kColorBlack, kAttrReverse));
  c.put(7, 0, "h", make_style(kColorWhite, kColorBlack, 0));
  EXPECT_EQ(diff(Screen(10, 1), c),
            "\x1b[1H\x1b[1ma\x1b[2mb\x1b[0;2mc\x1b[0;32md\x1b[91;104me\x1b[39mf"
            "\x1b[7;37;40mg\x1b[27mh\x1b[0m");
}

TEST(screen_diff_cursor_moves) {
  Screen blank(20, 3);
  Screen s(20, 3);
  s.put(0, 0, "a");
  s.put(3, 0, "b");   // gap of blanks in the pen's style: rewritten
  s.put(13, 0, "c");  // long gap: CUF
  s.put(0, 1, "d");   // next line: CR LF
  EXPECT_EQ(diff(blank, s), "\x1b[1Ha  b\x1b[9Cc\r\nd");

  Screen t(20, 3);
  t.put(0, 0, "a", style_fg(kColorDefault, kAttrBold));
  t.put(2, 0, "b", style_fg(kColorDefault, kAttrBold));  // gap not in pen style: CUF
  t.put(0, 2, "e");  // two lines down: CR LF LF
  EXPECT_EQ(diff(blank, t), "\x1b[1H\x1b[1ma\x1b[Cb\r\n\n\x1b[0me");
}

TEST(screen_diff_last_column_wrap_pending) {
  Screen blank(3, 2), full(3, 2);
  full.put(0, 0, "abc");
  full.put(0, 1, "def");
  EXPECT_EQ(diff(blank, full), "\x1b[1Habc\r\ndef");
  Screen changed = full;
  changed.put(2, 0, "X");
  changed.put(2, 1, "Y");
  // After the last column only absolute moves are portable.
  EXPECT_EQ(diff(full, changed), "\x1b[1;3HX\x1b[2;3HY");
}

TEST(screen_diff_erase_to_end_of_line) {
  Screen a(20, 3), b(20, 3);
  a.put(0, 0, "hello world");
  b.put(0, 0, "hello");
  a.put(0, 1, "abc");
  b.put(0, 1, "ab");      // one cell: a space is cheaper than EL
  a.put(0, 2, "xxxx");    // whole row blank now: CR LF, EL
  EXPECT_EQ(diff(a, b), "\x1b[1;7H\x1b[K\x1b[2;3H \r\n\x1b[K");

  // EL needs the default pen: reset first.
  Screen c(10, 1), d(10, 1);
  c.put(0, 0, "abcdef");
  d.put(0, 0, "X", style_fg(kColorRed));
  EXPECT_EQ(diff(c, d), "\x1b[1H\x1b[31mX\x1b[0m\x1b[K");
}

TEST(screen_diff_colour_off) {
  Screen blank(10, 1), s(10, 1);
  s.put(0, 0, "a", make_style(kColorRed, kColorBlue, 0));
  s.put(1, 0, "b", make_style(kColorRed + kColorBright, kColorDefault, kAttrBold));
  EXPECT_EQ(diff(blank, s, false), "\x1b[1Ha\x1b[1mb\x1b[0m");
  // A colour-only change is invisible without colour.
  Screen recoloured = s;
  recoloured.put(0, 0, "a", make_style(kColorGreen, kColorDefault, 0));
  EXPECT_EQ(diff(s, recoloured, false), "");
  // A coloured space counts as blank for EL.
  Screen bg(10, 1);
  bg.fill(0, 0, 10, 1, " ", make_style(kColorDefault, kColorRed, 0));
  EXPECT_EQ(diff(blank, bg, false), "");
  EXPECT_EQ(diff(blank, bg, true), "\x1b[1H\x1b[41m          \x1b[0m");
}

TEST(screen_diff_ascii_stays_ascii) {
  Screen a(30, 4), b(30, 4);
  a.put(2, 1, "load 0.52 [#####.....]", style_fg(kColorGreen));
  b.put(0, 0, "cpu  12% [#.........]", style_fg(kColorYellow, kAttrBold));
  b.put(5, 3, "mem 1.5G/3.8G", make_style(kColorCyan, kColorBlack, kAttrReverse));
  std::string out = diff(a, b);
  std::string out_mono = diff(a, b, false);
  std::string redraw;
  screen_redraw(b, &redraw, TermCaps());
  for (const std::string* bytes : {&out, &out_mono, &redraw}) {
    bool ascii = true;
    for (unsigned char ch : *bytes) ascii = ascii && ch < 0x80;
    EXPECT(ascii);
    EXPECT(!bytes->empty());
  }
}

TEST(screen_redraw_and_size_change) {
  Screen s(4, 2);
  s.put(0, 0, "hi");
  std::string out;
  screen_redraw(s, &out, TermCaps());
  EXPECT_EQ(out, "\x1b[H\x1b[2J\x1b[1Hhi");
  EXPECT_EQ(diff(Screen(3, 2), s), "\x1b[H\x1b[2J\x1b[1Hhi");
  std::string nothing;
  screen_redraw(Screen(0, 0), &nothing, TermCaps());
  EXPECT_EQ(nothing, "\x1b[H\x1b[2J");
}
