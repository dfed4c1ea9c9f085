#include "client/widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>

namespace {

// U+258F (1/8) .. U+2589 (7/8), then U+2588 (full), by eighths filled.
const char* const kEighthBlocks[] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};
// U+2581 .. U+2588 by eighths of height.
const char* const kSparkUtf8[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
const char kSparkAscii[] = " .:-=+*#";

// Braille dot bits (U+2800 + bits) by dot row 0..3 (top to bottom).
const uint8_t kBrailleLeft[] = {0x01, 0x02, 0x04, 0x40};
const uint8_t kBrailleRight[] = {0x08, 0x10, 0x20, 0x80};

double clamp_fraction(double fraction) {
  if (!(fraction > 0)) return 0;  // NaN too
  return fraction > 1 ? 1 : fraction;
}

// fraction of `levels`, rounded, but never 0 for a non-zero fraction: a
// trickle of traffic should still show.
int scaled_level(double fraction, int levels) {
  double f = clamp_fraction(fraction);
  int level = static_cast<int>(lround(f * levels));
  if (f > 0 && level == 0) level = 1;
  return level;
}

// The scale: `max`, or the largest of the values shown when max <= 0.
double scale_max(const double* values, size_t first, size_t n, double max) {
  if (max > 0) return max;
  double largest = 0;
  for (size_t i = first; i < n; i++) {
    if (values[i] > largest) largest = values[i];  // NaN compares false
  }
  return largest;
}

double fraction_of(double value, double max) { return max > 0 ? value / max : 0; }

void put_braille(Screen& screen, int x, int y, uint8_t bits, Style style) {
  if (bits == 0) {
    screen.put(x, y, " ", style);  // 1 byte on the wire instead of 3
    return;
  }
  char glyph[3] = {'\xE2', static_cast<char>(0xA0 + (bits >> 6)),
                   static_cast<char>(0x80 + (bits & 0x3F))};
  screen.put(x, y, std::string_view(glyph, 3), style);
}

}  // namespace

void draw_bar(Screen& screen, int x, int y, int width, double fraction, Style filled,
              Style empty, bool utf8) {
  if (width <= 0) return;
  if (!utf8) {
    long cells = lround(clamp_fraction(fraction) * width);
    for (int i = 0; i < width; i++) {
      screen.put(x + i, y, i < cells ? "#" : ".", i < cells ? filled : empty);
    }
    return;
  }
  long eighths = lround(clamp_fraction(fraction) * width * 8);
  int full = static_cast<int>(eighths / 8);
  int partial = static_cast<int>(eighths % 8);
  Style partial_style = filled;
  partial_style.bg = empty.bg;
  for (int i = 0; i < width; i++) {
    if (i < full) {
      screen.put(x + i, y, kEighthBlocks[8], filled);
    } else if (i == full && partial > 0) {
      screen.put(x + i, y, kEighthBlocks[partial], partial_style);
    } else {
      screen.put(x + i, y, " ", empty);
    }
  }
}

void draw_sparkline(Screen& screen, int x, int y, int width, const double* values, size_t n,
                    double max, bool utf8, Style style) {
  if (width <= 0) return;
  size_t shown = std::min(n, static_cast<size_t>(width));
  size_t first = n - shown;
  double scale = scale_max(values, first, n, max);
  int pad = width - static_cast<int>(shown);
  for (int i = 0; i < pad; i++) screen.put(x + i, y, " ", style);
  for (size_t i = 0; i < shown; i++) {
    double f = fraction_of(values[first + i], scale);
    int cell = x + pad + static_cast<int>(i);
    if (utf8) {
      screen.put(cell, y, kSparkUtf8[scaled_level(f, 8)], style);
    } else {
      screen.put(cell, y, std::string_view(&kSparkAscii[scaled_level(f, 7)], 1), style);
    }
  }
}

void draw_braille_graph(Screen& screen, int x, int y, int width, int height,
                        const double* values, size_t n, double max, bool utf8, Style style) {
  if (width <= 0 || height <= 0) return;
  int per_cell = utf8 ? 2 : 1;  // values per cell column
  int rows_per_cell = utf8 ? 4 : 2;   // dot rows, or half cells in ASCII
  size_t columns = static_cast<size_t>(width) * static_cast<size_t>(per_cell);
  size_t shown = std::min(n, columns);
  size_t first = n - shown;
  double scale = scale_max(values, first, n, max);
  // Level (in dot rows / half cells from the bottom) of every value column;
  // columns left of the oldest value shown stay empty.
  size_t missing = columns - shown;
  auto level_at = [&](size_t column) {
    if (column < missing) return 0;
    double f = fraction_of(values[first + column - missing], scale);
    return scaled_level(f, height * rows_per_cell);
  };
  for (int cell_x = 0; cell_x < width; cell_x++) {
    for (int cell_y = 0; cell_y < height; cell_y++) {
      int base = (height - 1 - cell_y) * rows_per_cell;  // levels below this cell
      if (!utf8) {
        int part = std::clamp(level_at(static_cast<size_t>(cell_x)) - base, 0, 2);
        screen.put(x + cell_x, y + cell_y, part == 2 ? "|" : part == 1 ? "." : " ", style);
        continue;
      }
      int left = std::clamp(level_at(static_cast<size_t>(cell_x) * 2) - base, 0, 4);
      int right = std::clamp(level_at(static_cast<size_t>(cell_x) * 2 + 1) - base, 0, 4);
      uint8_t bits = 0;
      for (int i = 0; i < left; i++) bits |= kBrailleLeft[3 - i];
      for (int i = 0; i < right; i++) bits |= kBrailleRight[3 - i];
      put_braille(screen, x + cell_x, y + cell_y, bits, style);
    }
  }
}

const char* format_bytes(uint64_t bytes, char* buf) {
  static const char kUnits[] = "BKMGTPE";
  if (bytes < 1024) {
    snprintf(buf, kFormatBufBytes, "%lluB", static_cast<unsigned long long>(bytes));
    return buf;
  }
  double value = static_cast<double>(bytes);
  int unit = 0;
  // 1023.5 and up would print as "1024"; show it as 1.0 of the next unit.
  do {
    value /= 1024;
    unit++;
  } while (value >= 1023.5 && unit < 6);
  if (value < 9.95) {
    snprintf(buf, kFormatBufBytes, "%.1f%c", value, kUnits[unit]);
  } else {
    snprintf(buf, kFormatBufBytes, "%.0f%c", value, kUnits[unit]);
  }
  return buf;
}

const char* format_rate(double bytes_per_s, char* buf) {
  uint64_t rounded = 0;
  if (bytes_per_s >= 18446744073709549568.0) {  // largest double below 2^64
    rounded = UINT64_MAX;
  } else if (bytes_per_s > 0) {
    rounded = static_cast<uint64_t>(bytes_per_s + 0.5);
  }
  format_bytes(rounded, buf);
  size_t len = strlen(buf);
  snprintf(buf + len, kFormatBufBytes - len, "/s");
  return buf;
}

const char* format_duration(uint64_t seconds, char* buf) {
  unsigned long long s = seconds;
  if (s >= 86400) {
    snprintf(buf, kFormatBufBytes, "%llud%02lluh", s / 86400, s % 86400 / 3600);
  } else if (s >= 3600) {
    snprintf(buf, kFormatBufBytes, "%lluh%02llum", s / 3600, s % 3600 / 60);
  } else if (s >= 60) {
    snprintf(buf, kFormatBufBytes, "%llum", s / 60);
  } else {
    snprintf(buf, kFormatBufBytes, "%llus", s);
  }
  return buf;
}

const char* format_percent(double percent, char* buf) {
  double p = percent > 0 ? std::min(percent, 9999.0) : 0;  // NaN: 0
  if (p < 9.95) {
    snprintf(buf, kFormatBufBytes, "%.1f%%", p);
  } else {
    snprintf(buf, kFormatBufBytes, "%.0f%%", p);
  }
  return buf;
}

uint8_t load_color(double fraction) {
  if (!(fraction >= 0.5)) return kColorGreen;  // NaN too
  if (fraction < 0.8) return kColorYellow;
  return kColorRed;
}
