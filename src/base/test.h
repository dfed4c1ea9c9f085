// A very small unit-test harness: TEST(name) { ... EXPECT(cond); }.
//
// Every *_test.cc is linked into one binary (build/unit_tests); each TEST
// registers itself before main() and tests/unit_main.cc runs them all and
// prints "N passed, N failed".
#pragma once

#include <stdio.h>
#include <string.h>

#include <string>
#include <string_view>

namespace test {

struct Case {
  const char* name;
  void (*fn)();
  Case* next;
};

/// Registers a case; used by the TEST macro.
struct Register {
  Register(Case* c);
};

/// Marks the running case as failed and prints where.
void fail(const char* file, int line, const std::string& what);

/// Printable form of a value for failure messages.
std::string show(std::string_view s);
std::string show(long long v);
std::string show(unsigned long long v);
std::string show(double v);
inline std::string show(int v) { return show(static_cast<long long>(v)); }
inline std::string show(long v) { return show(static_cast<long long>(v)); }
inline std::string show(unsigned v) { return show(static_cast<unsigned long long>(v)); }
inline std::string show(unsigned long v) { return show(static_cast<unsigned long long>(v)); }
inline std::string show(bool v) { return v ? "true" : "false"; }
inline std::string show(const char* s) { return show(std::string_view(s)); }
inline std::string show(const std::string& s) { return show(std::string_view(s)); }

/// Path of a file under tests/ (the harness is started from the repo root
/// unless STATD_SRCDIR says otherwise).
std::string path(const char* relative);

/// The whole file at test::path(relative) ("" when it cannot be read).
std::string read_file(const char* relative);

}  // namespace test

#define TEST_CAT2(a, b) a##b
#define TEST_CAT(a, b) TEST_CAT2(a, b)
#define TEST(name)                                                        \
  static void test_##name();                                              \
  static test::Case TEST_CAT(test_case_, name) = {#name, test_##name,     \
                                                  nullptr};               \
  static test::Register TEST_CAT(test_reg_, name)(&TEST_CAT(test_case_, name)); \
  static void test_##name()

#define EXPECT(cond)                                               \
  do {                                                             \
    if (!(cond)) test::fail(__FILE__, __LINE__, "EXPECT(" #cond ")"); \
  } while (0)

#define EXPECT_EQ(a, b)                                                      \
  do {                                                                       \
    auto&& ea_ = (a);                                                        \
    auto&& eb_ = (b);                                                        \
    if (!(ea_ == eb_))                                                       \
      test::fail(__FILE__, __LINE__,                                         \
                 std::string(#a " == " #b ": ") + test::show(ea_) + " vs " + \
                     test::show(eb_));                                       \
  } while (0)

/// Stops the current test when `cond` is false (later checks would crash).
#define ASSERT(cond)                                                  \
  do {                                                                \
    if (!(cond)) {                                                    \
      test::fail(__FILE__, __LINE__, "ASSERT(" #cond ")");           \
      return;                                                         \
    }                                                                 \
  } while (0)
