#include "agent/prom_writer.h"

#include "base/test.h"

TEST(prom_writer_family_labels_and_values) {
  std::string out;
  PromWriter w(&out, nullptr);
  w.family("node_x_total", "counter", "Help with \\ and\nnewline.");
  w.label("device", "a\"b\\c\nd").label("mode", "idle").value_u64(18446744073709551615ull);
  w.value(0.25);
  w.value(1234.0 / 1000);
  EXPECT_EQ(out,
            "# HELP node_x_total Help with \\\\ and\\nnewline.\n"
            "# TYPE node_x_total counter\n"
            "node_x_total{device=\"a\\\"b\\\\c\\nd\",mode=\"idle\"} 18446744073709551615\n"
            "node_x_total 0.25\n"
            "node_x_total 1.234\n");
}

TEST(prom_writer_excluded_family_writes_nothing) {
  std::string out;
  std::vector<std::string> exclude = {"node_memory_"};
  PromWriter w(&out, &exclude);
  w.family("node_memory_MemTotal_bytes", "gauge", "x");
  w.label("a", "b").value_u64(1);
  w.family("node_load1", "gauge", "1m load average.");
  w.value(0.5);
  EXPECT_EQ(out, "# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.5\n");
}

TEST(prom_writer_special_values_and_names) {
  std::string out;
  PromWriter w(&out, nullptr);
  w.family("a_b", "gauge", "h");
  w.value(__builtin_nan(""));
  w.value(__builtin_inf());
  w.value(-__builtin_inf());
  EXPECT_EQ(out, "# HELP a_b h\n# TYPE a_b gauge\na_b NaN\na_b +Inf\na_b -Inf\n");
  EXPECT_EQ(prom_sanitize_name("cpu-thermal 0:x"), "cpu_thermal_0_x");
}
