#include "client/widgets.h"

#include <string.h>

#include "base/test.h"

namespace {

std::string bar(double fraction, bool utf8) {
  Screen s(10, 1);
  draw_bar(s, 0, 0, 10, fraction, style_fg(kColorGreen), Style(), utf8);
  return screen_to_text(s);
}

std::string sparkline(const double* values, size_t n, int width, double max, bool utf8) {
  Screen s(width, 1);
  draw_sparkline(s, 0, 0, width, values, n, max, utf8);
  return screen_to_text(s);
}

std::string graph(const double* values, size_t n, int width, int height, double max,
                  bool utf8) {
  Screen s(width, height);
  draw_braille_graph(s, 0, 0, width, height, values, n, max, utf8);
  return screen_to_text(s);
}

std::string bytes(uint64_t v) {
  char buf[kFormatBufBytes];
  return format_bytes(v, buf);
}

std::string rate(double v) {
  char buf[kFormatBufBytes];
  return format_rate(v, buf);
}

std::string duration(uint64_t v) {
  char buf[kFormatBufBytes];
  return format_duration(v, buf);
}

std::string percent(double v) {
  char buf[kFormatBufBytes];
  return format_percent(v, buf);
}

}  // namespace

TEST(widgets_bar_utf8) {
  EXPECT_EQ(bar(0, true), "          ");
  EXPECT_EQ(bar(0.5, true), "█████     ");
  EXPECT_EQ(bar(1, true), "██████████");
  EXPECT_EQ(bar(0.33, true), "███▎      ");  // 26.4 eighths -> 3 cells + 2/8
  EXPECT_EQ(bar(0.99, true), "█████████▉");
  EXPECT_EQ(bar(7, true), "██████████");
  EXPECT_EQ(bar(-1, true), "          ");
  EXPECT_EQ(bar(0.0 / 0.0, true), "          ");
}

TEST(widgets_bar_ascii) {
  EXPECT_EQ(bar(0, false), "..........");
  EXPECT_EQ(bar(0.5, false), "#####.....");
  EXPECT_EQ(bar(1, false), "##########");
  EXPECT_EQ(bar(0.33, false), "###.......");
}

TEST(widgets_bar_styles_and_clipping) {
  Screen s(6, 1);
  Style empty;
  empty.bg = kColorBlue;
  draw_bar(s, 1, 0, 10, 0.25, style_fg(kColorRed), empty, true);  // 20 eighths
  EXPECT_EQ(screen_to_text(s), " ██▌  ");
  EXPECT(s.at(1, 0).style == style_fg(kColorRed));
  EXPECT_EQ(s.at(3, 0).style.fg, kColorRed);
  EXPECT_EQ(s.at(3, 0).style.bg, kColorBlue);
  EXPECT(s.at(4, 0).style == empty);
  draw_bar(s, 0, 0, 0, 1, Style(), Style(), true);  // zero width: nothing
  EXPECT_EQ(screen_to_text(s), " ██▌  ");
}

TEST(widgets_sparkline) {
  const double ramp[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(sparkline(ramp, 9, 10, 8, true), "  ▁▂▃▄▅▆▇█");
  EXPECT_EQ(sparkline(ramp, 9, 10, 8, false), "  .:-==+*#");
  EXPECT_EQ(sparkline(ramp, 9, 3, 8, true), "▆▇█");
  const double two[] = {1, 2};
  EXPECT_EQ(sparkline(two, 2, 2, 0, true), "▄█");  // auto scale
  const double tiny[] = {0.01, 100, -3};
  EXPECT_EQ(sparkline(tiny, 3, 3, 8, true), "▁█ ");
  EXPECT_EQ(sparkline(tiny, 0, 3, 8, true), "   ");
}

TEST(widgets_braille_graph_ramp) {
  const double ramp[] = {0, 1, 2, 3, 4, 5, 6, 7};
  // One row, 4 dot columns at levels 0, 1, 2, 3 of 4.
  EXPECT_EQ(graph(ramp, 4, 2, 1, 4, true), "⢀⣴");
  // Two rows, newest four values 4..7 of 8: bottom row full.
  EXPECT_EQ(graph(ramp, 8, 2, 2, 8, true), "⢀⣴\n⣿⣿");
  // Fewer values than dot columns: right-aligned.
  const double one[] = {4};
  EXPECT_EQ(graph(one, 1, 3, 1, 4, true), "  ⢸");
  EXPECT_EQ(graph(one, 0, 3, 1, 4, true), "   ");
}

TEST(widgets_graph_ascii) {
  const double ramp[] = {0, 1, 2, 3, 4};
  EXPECT_EQ(graph(ramp, 5, 4, 2, 4, false), "  .|\n.|||");
  EXPECT_EQ(graph(ramp, 5, 6, 1, 0, false), "  ..||");  // auto scale to 4
}

TEST(widgets_format_bytes) {
  EXPECT_EQ(bytes(0), "0B");
  EXPECT_EQ(bytes(1023), "1023B");
  EXPECT_EQ(bytes(1024), "1.0K");
  EXPECT_EQ(bytes(1536), "1.5K");
  EXPECT_EQ(bytes(10188), "9.9K");
  EXPECT_EQ(bytes(10240), "10K");
  EXPECT_EQ(bytes(12 * 1024), "12K");
  EXPECT_EQ(bytes(1048575), "1.0M");  // not "1024K"
  EXPECT_EQ(bytes(980ull << 20), "980M");
  EXPECT_EQ(bytes(3ull << 29), "1.5G");
  EXPECT_EQ(bytes(UINT64_MAX), "16E");
  for (int shift = 0; shift < 64; shift++) {
    for (int delta = -1; delta <= 1; delta++) {
      uint64_t v = (1ull << shift) + static_cast<uint64_t>(delta);
      EXPECT(strlen(bytes(v).c_str()) <= 5);
    }
  }
}

TEST(widgets_format_rate_duration_percent) {
  EXPECT_EQ(rate(0), "0B/s");
  EXPECT_EQ(rate(-5), "0B/s");
  EXPECT_EQ(rate(0.0 / 0.0), "0B/s");
  EXPECT_EQ(rate(1228.8), "1.2K/s");
  EXPECT_EQ(rate(1.2 * 1048576), "1.2M/s");
  EXPECT_EQ(rate(1e30), "16E/s");

  EXPECT_EQ(duration(0), "0s");
  EXPECT_EQ(duration(12), "12s");
  EXPECT_EQ(duration(59), "59s");
  EXPECT_EQ(duration(60), "1m");
  EXPECT_EQ(duration(42 * 60 + 59), "42m");
  EXPECT_EQ(duration(3600), "1h00m");
  EXPECT_EQ(duration(5 * 3600 + 12 * 60 + 30), "5h12m");
  EXPECT_EQ(duration(86399), "23h59m");
  EXPECT_EQ(duration(86400), "1d00h");
  EXPECT_EQ(duration(3 * 86400 + 4 * 3600 + 59), "3d04h");
  EXPECT_EQ(duration(UINT64_MAX), "213503982334601d07h");

  EXPECT_EQ(percent(0), "0.0%");
  EXPECT_EQ(percent(0.5), "0.5%");
  EXPECT_EQ(percent(9.94), "9.9%");
  EXPECT_EQ(percent(9.96), "10%");
  EXPECT_EQ(percent(42.4), "42%");
  EXPECT_EQ(percent(100), "100%");
  EXPECT_EQ(percent(400), "400%");
  EXPECT_EQ(percent(1e9), "9999%");
  EXPECT_EQ(percent(-1), "0.0%");
  EXPECT_EQ(percent(0.0 / 0.0), "0.0%");
}

TEST(widgets_load_color) {
  EXPECT_EQ(load_color(0), kColorGreen);
  EXPECT_EQ(load_color(0.49), kColorGreen);
  EXPECT_EQ(load_color(0.5), kColorYellow);
  EXPECT_EQ(load_color(0.79), kColorYellow);
  EXPECT_EQ(load_color(0.8), kColorRed);
  EXPECT_EQ(load_color(1.5), kColorRed);
  EXPECT_EQ(load_color(0.0 / 0.0), kColorGreen);
}
