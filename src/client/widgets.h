// Drawing helpers the views build on: bars, sparklines, braille graphs, and
// the short number formats that fit monitor columns.
//
// Every helper has a UTF-8 look (block elements, braille) and an ASCII one
// for terminals or locales without UTF-8; both draw exactly `width` cells.
// Values that are NaN or negative count as 0; fractions are clamped to 0..1.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "client/screen.h"

/// Horizontal bar of `width` cells filled to `fraction`. UTF-8: full blocks
/// plus one eighth block (U+258F..U+2589) for sub-cell precision, the rest
/// spaces in `empty` style (the partial cell takes `filled` fg and `empty`
/// bg). ASCII: '#' filled, '.' empty, rounded to whole cells.
void draw_bar(Screen& screen, int x, int y, int width, double fraction, Style filled,
              Style empty, bool utf8);

/// One row: the newest min(n, width) of `values` (oldest first) right-aligned
/// as levels of `max` (max <= 0: the largest value shown). UTF-8 uses
/// " ▁▂▃▄▅▆▇█", ASCII " .:-=+*#"; any value above 0 shows at least the
/// lowest mark.
void draw_sparkline(Screen& screen, int x, int y, int width, const double* values, size_t n,
                    double max, bool utf8, Style style = Style());

/// A width x height area graph, filled from the bottom, scaled to `max`
/// (max <= 0: the largest value shown). UTF-8: braille, 2 values per cell
/// (the newest width*2 values, right-aligned), 4 dot rows per cell; empty
/// cells are spaces. ASCII: one value per column (newest `width`), '|' for
/// a full cell and '.' for a half cell.
void draw_braille_graph(Screen& screen, int x, int y, int width, int height,
                        const double* values, size_t n, double max, bool utf8,
                        Style style = Style());

/// Buffer size every format_* helper needs.
constexpr size_t kFormatBufBytes = 24;

/// Binary-unit size in at most 5 characters: "0B", "1023B", "1.0K", "12K",
/// "980M", "1.5G", "16E". One decimal below 10 of a unit. Returns buf.
const char* format_bytes(uint64_t bytes, char* buf);
/// format_bytes() of the rounded rate plus "/s": "1.2M/s", "0B/s".
const char* format_rate(double bytes_per_s, char* buf);
/// "3d04h", "5h12m", "42m", "12s" (the two largest units, truncated).
const char* format_duration(uint64_t seconds, char* buf);
/// "0.5%", "42%", "100%", "400%": one decimal below 10, capped at 9999%.
const char* format_percent(double percent, char* buf);

/// Load colouring: green below 0.5, yellow below 0.8, red from 0.8 up
/// (NaN: green).
uint8_t load_color(double fraction);
