// statd's config file parser (src/agent/options.cc, `statd -c FILE`): the
// input is the file, read through statd_parse_options itself. A file it
// accepts must leave every number inside its documented range. (Addresses
// are only stored here; opening the listeners checks them.)
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "agent/options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // token-file reads the file it names: a fuzzed "/dev/stdin" would block.
  if (input.find("token-file") != std::string_view::npos) return 0;
  static int fd = memfd_create("statd_config_fuzz", 0);
  if (fd < 0) abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) abort();
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  char arg0[] = "statd", arg1[] = "-c";
  char* argv[] = {arg0, arg1, &path[0], nullptr};
  StatdOptions opts;
  if (statd_parse_options(3, argv, &opts) != OptionsResult::kRun) return 0;
  if (opts.max_clients < 1 || opts.max_clients > 100000) abort();
  if (opts.max_clients_per_address > 100000 || opts.rtstat_max_clients > 100000) abort();
  return 0;
}
