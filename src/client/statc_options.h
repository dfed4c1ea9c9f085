// statc's command line.
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

enum class ColorMode { kAuto, kNever, kAlways };

struct StatcOptions {
  std::vector<std::string> sources;  ///< as given: HOST[:PORT] or URLs
  std::string gotop_config;          ///< -C FILE
  uint32_t interval_ms = 1000;
  uint32_t timeout_ms = 5000;
  std::string token;
  std::string tls_ca;                ///< --tls-ca FILE: pin by exact certificate
  std::vector<std::string> pins;     ///< --pin sha256:HEX
  bool verify_hostname = false;      ///< --verify-hostname: --tls-ca is a CA
  bool once = false, json = false, ascii = false;
  ColorMode color = ColorMode::kAuto;
};

enum class StatcParse { kRun, kExitOk, kExitError };

/// Parses argv; prints --help, --version and errors itself.
StatcParse statc_parse_options(int argc, char** argv, StatcOptions* out);
void statc_print_help(FILE* out);
