// Small string helpers shared by every module.
#pragma once

#include <stdint.h>

#include <initializer_list>
#include <string>
#include <string_view>

/// Strict decimal: digits only (no sign, no spaces), no overflow past max.
bool str_to_u64(std::string_view s, uint64_t* out, uint64_t max = UINT64_MAX);
/// Strict decimal number with optional fraction ("0.5", "2"), for options.
bool str_to_double(std::string_view s, double* out);
/// Removes spaces, tabs, CR and LF at both ends.
std::string_view str_trim(std::string_view s);
bool str_equal_ci(std::string_view a, std::string_view b);
std::string str_lower(std::string_view s);
/// True when `list` (comma separated, case-insensitive, spaces allowed)
/// contains `token`; used for Connection: and Accept-Encoding: headers.
bool str_list_has(std::string_view list, std::string_view token);
/// Compares in time that depends only on the lengths, not on where the
/// first difference is (for tokens and passwords).
bool str_equal_const_time(std::string_view a, std::string_view b);
/// Decodes %XX and '+' (as a space) of a URL query component. False on a
/// malformed escape.
bool str_url_decode(std::string_view s, std::string* out);
/// The value of `name` in a query string "a=1&b=2" (decoded), or false.
bool str_query_param(std::string_view query, std::string_view name, std::string* out);
/// Appends a decimal number (much cheaper than printf on hot paths).
void str_append_u64(std::string* out, uint64_t v);
/// Joins the pieces: str_cat({"peer '", name, "' is declared twice"}). One
/// out-of-line call instead of a chain of operator+, each of which g++
/// inlines with its own allocation and copy (kilobytes over the project).
std::string str_cat(std::initializer_list<std::string_view> pieces);
/// printf into a std::string (appends).
void str_appendf(std::string* out, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/// C++17 has no string_view::starts_with.
inline bool str_starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
