// Runs every TEST registered by the *_test.cc files linked into this binary.
// Usage: unit_tests [substring]   (only cases whose name contains it)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/test.h"

namespace test {

static Case* g_first = nullptr;
static Case* g_last = nullptr;
static bool g_failed = false;
static const char* g_current = "";

Register::Register(Case* c) {
  // Keep registration order (file order within a translation unit).
  if (g_last) g_last->next = c; else g_first = c;
  g_last = c;
}

void fail(const char* file, int line, const std::string& what) {
  fprintf(stderr, "  FAIL %s (%s:%d): %s\n", g_current, file, line, what.c_str());
  g_failed = true;
}

std::string show(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (out.size() > 200) { out += "..."; break; }
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string show(long long v) { char b[32]; snprintf(b, sizeof b, "%lld", v); return b; }
std::string show(unsigned long long v) { char b[32]; snprintf(b, sizeof b, "%llu", v); return b; }
std::string show(double v) { char b[64]; snprintf(b, sizeof b, "%.17g", v); return b; }

std::string path(const char* relative) {
  const char* dir = getenv("STATD_SRCDIR");
  std::string p = dir ? dir : ".";
  return p + "/tests/" + relative;
}

std::string read_file(const char* relative) {
  std::string data;
  FILE* f = fopen(path(relative).c_str(), "rb");
  if (!f) return data;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  fclose(f);
  return data;
}

}  // namespace test

int main(int argc, char** argv) {
  const char* only = argc > 1 ? argv[1] : nullptr;
  int passed = 0, failed = 0;
  for (test::Case* c = test::g_first; c; c = c->next) {
    if (only && !strstr(c->name, only)) continue;
    test::g_current = c->name;
    test::g_failed = false;
    c->fn();
    if (test::g_failed) {
      failed++;
      printf("FAIL %s\n", c->name);
    } else {
      passed++;
    }
  }
  printf("unit: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
