#include "codec/prom_text.h"

#include <math.h>
#include <stdio.h>

#include "base/test.h"

namespace {

std::string read_fixture(const char* relative) { return test::read_file(relative); }

// The sample with this name whose label `label_name` is `label_value`.
const PromSample* find_labelled(const std::vector<PromSample>& samples, std::string_view name,
                                std::string_view label_name, std::string_view label_value) {
  for (const auto& s : samples) {
    const std::string* v = s.label(label_name);
    if (s.name == name && v && *v == label_value) return &s;
  }
  return nullptr;
}

size_t count_lines_not_starting_with_hash(const std::string& body) {
  size_t count = 0;
  bool at_start = true;
  for (char c : body) {
    if (at_start && c != '#') count++;
    at_start = c == '\n';
  }
  return count;
}

}  // namespace

TEST(prom_text_gotop_fixture) {
  std::string body = read_fixture("fixtures/prometheus/gotop-v4.2.0-metrics.txt");
  ASSERT(body.size() == 2272);
  PromBody parsed;
  std::string err;
  ASSERT(prom_parse_body(body, 1000, &parsed, &err));
  EXPECT_EQ(parsed.samples.size(), 66u);
  EXPECT_EQ(parsed.bad_lines, 0u);
  EXPECT(parsed.types.empty());
  const auto& s = parsed.samples;
  ASSERT(prom_find(s, "gotop_cpu_CPU0") && prom_find(s, "gotop_cpu_CPU1"));
  EXPECT_EQ(prom_find(s, "gotop_cpu_CPU0")->value, 2.0);
  EXPECT_EQ(prom_find(s, "gotop_cpu_CPU1")->value, 2.0);
  ASSERT(prom_find(s, "gotop_memory_Main") && prom_find(s, "gotop_memory_Swap"));
  EXPECT_EQ(prom_find(s, "gotop_memory_Main")->value, 0.714760166915653);
  EXPECT_EQ(prom_find(s, "gotop_memory_Swap")->value, 0.0);
  ASSERT(prom_find(s, "gotop_disk_:dev:vda"));
  EXPECT_EQ(prom_find(s, "gotop_disk_:dev:vda")->value, 0.18);
  EXPECT_EQ(prom_find(s, "go_memstats_last_gc_time_seconds")->value, 1.7953418304664347e+09);
  EXPECT(!prom_find(s, "gotop_cpu_CPU0")->has_timestamp);

  const PromSample* ext = prom_find(s, "go_info_ext");
  ASSERT(ext != nullptr);
  ASSERT(ext->labels.size() == 4);
  EXPECT_EQ(ext->labels[0].first, "compiler");
  EXPECT_EQ(ext->labels[0].second, "gc");
  EXPECT_EQ(ext->labels[1].first, "GOARCH");
  EXPECT_EQ(ext->labels[1].second, "amd64");
  EXPECT_EQ(*ext->label("GOROOT"), "/usr/lib/go-1.19");
  EXPECT_EQ(ext->value, 1.0);
  EXPECT_EQ(*find_labelled(s, "go_gc_duration_seconds", "quantile", "1")->label("quantile"), "1");
  EXPECT_EQ(find_labelled(s, "go_gc_duration_seconds", "quantile", "1")->value, 0.000128953);
}

TEST(prom_text_node_exporter_style_body) {
  std::string body = read_fixture("fixtures/prometheus/node-exporter.txt");
  PromBody parsed;
  std::string err;
  ASSERT(prom_parse_body(body, 1000, &parsed, &err));
  EXPECT_EQ(parsed.samples.size(), 27u);
  EXPECT_EQ(parsed.types.size(), 9u);
  EXPECT(parsed.type_of("node_cpu_seconds_total") == PromType::kCounter);
  EXPECT(parsed.type_of("node_memory_MemTotal_bytes") == PromType::kGauge);
  EXPECT(parsed.type_of("node_cpu_seconds") == PromType::kUntyped);
  const auto& s = parsed.samples;

  const PromSample* idle = find_labelled(s, "node_cpu_seconds_total", "mode", "idle");
  ASSERT(idle != nullptr);
  EXPECT_EQ(*idle->label("cpu"), "0");
  EXPECT_EQ(idle->value, 81234.56);
  size_t cpu1 = 0;
  double cpu1_busy = 0;
  for (const auto& sample : s) {
    if (sample.name != "node_cpu_seconds_total" || *sample.label("cpu") != "1") continue;
    cpu1++;
    const std::string& mode = *sample.label("mode");
    if (mode != "idle" && mode != "iowait") cpu1_busy += sample.value;
  }
  EXPECT_EQ(cpu1, 8u);
  EXPECT_EQ(cpu1_busy, 0.1 + 2.5 + 398.75 + 1100.25);
  EXPECT_EQ(prom_find(s, "node_memory_MemTotal_bytes")->value, 8253997056.0);
  EXPECT_EQ(prom_find(s, "node_memory_MemAvailable_bytes")->value, 6442450944.0);
  EXPECT_EQ(prom_find(s, "node_boot_time_seconds")->value, 1.7e9);

  const PromSample* cifs = find_labelled(s, "node_filesystem_avail_bytes", "fstype", "cifs");
  ASSERT(cifs != nullptr);
  EXPECT_EQ(*cifs->label("mountpoint"), "/mnt/say \"hi\" C:\\temp\nnext");
  EXPECT_EQ(*cifs->label("device"), "//nas/share");
  EXPECT_EQ(cifs->value, 4096.0);
  const PromSample* uname = prom_find(s, "node_uname_info");
  ASSERT(uname && uname->labels.size() == 6);
  EXPECT_EQ(*uname->label("version"), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
}

TEST(prom_text_statd_body_parses_fully) {
  std::string body = read_fixture("fixtures/prometheus/statd-pc.txt");
  ASSERT(!body.empty());
  PromBody parsed;
  std::string err = "untouched";
  ASSERT(prom_parse_body(body, 100000, &parsed, &err));
  EXPECT_EQ(err, "untouched");
  EXPECT_EQ(parsed.bad_lines, 0u);
  EXPECT(!parsed.truncated);
  EXPECT_EQ(parsed.samples.size(), count_lines_not_starting_with_hash(body));
  EXPECT(parsed.types.size() > 50);
  const auto& s = parsed.samples;
  EXPECT_EQ(prom_find(s, "node_memory_MemTotal_bytes")->value, 16710053888.0);
  EXPECT_EQ(find_labelled(s, "node_cpu_seconds_total", "cpu", "3")->value, 790.0);  // idle first
  EXPECT_EQ(find_labelled(s, "node_filesystem_size_bytes", "mountpoint", "/mnt/My Backup")->value,
            1000202240000.0);
  EXPECT(prom_find(s, "gotop_memory_Main") != nullptr);
  EXPECT(parsed.type_of("gotop_cpu_CPU0") == PromType::kGauge);
  EXPECT(parsed.type_of("node_cpu_seconds_total") == PromType::kCounter);
}

TEST(prom_text_tolerated_forms) {
  std::string body =
      "\r\n"
      "  # a comment\r\n"
      "#TYPE x_total counter\r\n"
      "# HELP x_total\n"  // gotop 3.5's empty docstring
      "x_total\t \t12  \r\n"
      "\n"
      "y { a = \"1\" ,b=\"2\", } -3.5e2 1700000000123\n"
      "z{} +Inf -5\n"
      "nan_value NaN\n"
      "hex 0x1.8p1\n"
      "go_float_forms 1.\n"
      "dot .5e-1\n"
      "odd_escape{a=\"C:\\d\"} 1\n"
      "no_final_lf -Inf";
  PromBody parsed;
  std::string err;
  ASSERT(prom_parse_body(body, 100, &parsed, &err));
  const auto& s = parsed.samples;
  ASSERT(s.size() == 9);
  EXPECT(parsed.type_of("x_total") == PromType::kCounter);
  EXPECT_EQ(s[0].name, "x_total");
  EXPECT_EQ(s[0].value, 12.0);
  EXPECT_EQ(s[1].name, "y");
  EXPECT_EQ(s[1].labels.size(), 2u);
  EXPECT_EQ(*s[1].label("a"), "1");
  EXPECT_EQ(*s[1].label("b"), "2");
  EXPECT_EQ(s[1].value, -350.0);
  EXPECT(s[1].has_timestamp);
  EXPECT_EQ(s[1].timestamp_ms, 1700000000123ll);
  EXPECT(s[2].labels.empty());
  EXPECT(isinf(s[2].value) && s[2].value > 0);
  EXPECT_EQ(s[2].timestamp_ms, -5ll);
  EXPECT(isnan(s[3].value));
  EXPECT_EQ(s[4].value, 3.0);
  EXPECT_EQ(s[5].value, 1.0);
  EXPECT_EQ(s[6].value, 0.05);
  EXPECT_EQ(*s[7].label("a"), "C:\\d");
  EXPECT(isinf(s[8].value) && s[8].value < 0);
  EXPECT(s[8].labels.empty());
}

TEST(prom_text_bad_lines_are_skipped_and_counted) {
  std::string body =
      "good_a 1\n"
      "bad value\n"                  // 2
      "good_b{l=\"x\"} 2\n"
      "bad{l=\"unterminated} 3\n"    // 4
      "# TYPE good_c histogramm\n"   // 5
      "good_c 3\n"
      "{l=\"x\"} 4\n"                // 7
      "bad_ts 1 12.5\n"              // 8
      "bad{1l=\"x\"} 1\n"            // 9
      "bad{l\"x\"} 1\n"              // 10
      "bad{l=x} 1\n"                 // 11
      "bad{l=\"x\" m=\"y\"} 1\n"     // 12
      "bad=1\n"                      // 13
      "bad_tail 1 2 3\n"             // 14
      "bad_empty{}\n"                // 15
      "# HELP 9bad doc\n"            // 16
      "# TYPE t gauge extra\n"       // 17
      "good_d 4\n";
  PromBody parsed;
  std::string err;
  EXPECT(!prom_parse_body(body, 100, &parsed, &err));
  EXPECT_EQ(err, "line 2: bad value (14 bad lines)");
  EXPECT_EQ(parsed.bad_lines, 14u);
  EXPECT_EQ(parsed.first_bad_line, 2u);
  EXPECT_EQ(parsed.first_error, "bad value");
  ASSERT(parsed.samples.size() == 4);
  EXPECT_EQ(parsed.samples[0].name, "good_a");
  EXPECT_EQ(parsed.samples[1].name, "good_b");
  EXPECT_EQ(parsed.samples[2].name, "good_c");
  EXPECT_EQ(parsed.samples[3].name, "good_d");
  EXPECT_EQ(parsed.samples[3].value, 4.0);

  // Each reason on its own.
  struct { const char* line; const char* err; } cases[] = {
      {"x 1\nbad{l=\"u} 3\n", "line 2: unterminated label value"},
      {"bad{l=\"x\\", "line 1: unterminated label value"},
      {"# TYPE a histogramm\n", "line 1: unknown metric type"},
      {"bad_ts 1 12.5\n", "line 1: bad timestamp"},
      {"bad_ts 1 9223372036854775808\n", "line 1: bad timestamp"},
      {"bad{1l=\"x\"} 1\n", "line 1: bad label name"},
      {"bad{l\"x\"} 1\n", "line 1: expected '=' after a label name"},
      {"bad{l=x} 1\n", "line 1: expected a quoted label value"},
      {"bad{l=\"x\" m=\"y\"} 1\n", "line 1: expected ',' or '}' after a label"},
      {"bad=1\n", "line 1: bad metric name"},
      {"1bad 1\n", "line 1: bad metric name"},
      {"bad_tail 1 2 3\n", "line 1: unexpected text after the timestamp"},
      {"bad_empty{}\n", "line 1: expected a value"},
      {"# HELP 9bad doc\n", "line 1: bad metric name"},
      {"# TYPE t gauge extra\n", "line 1: unexpected text after the type"},
      {"x 1\r\r\n", "line 1: bad value"},
  };
  for (const auto& c : cases) {
    err.clear();
    EXPECT(!prom_parse_body(c.line, 100, &parsed, &err));
    EXPECT_EQ(err, c.err);
  }
}

TEST(prom_text_sample_cap) {
  std::string body = "a 1\nb 2\nc 3\nd 4\n";
  std::vector<PromSample> samples;
  std::string err;
  EXPECT(!prom_parse(body, &samples, &err, 2));
  EXPECT_EQ(err, "more than 2 samples");
  ASSERT(samples.size() == 2);
  EXPECT_EQ(samples[1].name, "b");
  EXPECT(prom_parse(body, &samples, &err, 4));
  EXPECT_EQ(samples.size(), 4u);

  PromBody parsed;
  EXPECT(!prom_parse_body("x y\na 1\nb 2\n", 1, &parsed, &err));
  EXPECT_EQ(err, "line 1: bad value; more than 1 samples");
  EXPECT(parsed.truncated);
}

TEST(prom_text_values_follow_go_parsefloat) {
  struct { const char* text; double value; } good[] = {
      {"0", 0.0},         {"-0.5", -0.5},     {"+2", 2.0},         {"1e3", 1000.0},
      {"1E+3", 1000.0},   {"2.5e-3", 0.0025}, {"0x10p0", 16.0},    {"-0X.8P1", -1.0},
      {"007", 7.0},       {"1.7976931348623157e308", 1.7976931348623157e308},
  };
  for (const auto& g : good) {
    double v = -99;
    EXPECT(prom_parse_value(g.text, &v));
    EXPECT_EQ(v, g.value);
  }
  double v;
  EXPECT(prom_parse_value("1e999", &v) && isinf(v));  // overflow becomes +Inf
  for (const char* inf : {"Inf", "inf", "+Inf", "INFINITY", "+infinity"}) {
    EXPECT(prom_parse_value(inf, &v) && isinf(v) && v > 0);
  }
  EXPECT(prom_parse_value("-Infinity", &v) && isinf(v) && v < 0);
  EXPECT(prom_parse_value("nan", &v) && isnan(v));
  const char* bad[] = {"", "+", ".", "e5", "1e", "1e+", "0x1", "0x1.8", "0xp1", "1_000",
                       "+NaN", "-nan", "1.2.3", "12a", " 1", "1 ", "Infinit", "0x1p", "--1",
                       "1,5"};
  for (const char* b : bad) EXPECT(!prom_parse_value(b, &v));
  EXPECT(!prom_parse_value(std::string(513, '1'), &v));
}
