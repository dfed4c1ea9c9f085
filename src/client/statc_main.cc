// statc: the terminal client for statd, socktop agents and Prometheus
// endpoints. One thread, one epoll loop shared by every source and the
// screen.
#include <signal.h>

#include "client/app.h"
#include "client/statc_options.h"

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  StatcOptions opts;
  switch (statc_parse_options(argc, argv, &opts)) {
    case StatcParse::kExitOk: return 0;
    case StatcParse::kExitError: return 2;
    case StatcParse::kRun: break;
  }
  App app(opts);
  if (!app.setup()) return 2;
  if (opts.json) return app.run_json();
  if (opts.once) return app.run_once();
  return app.run_interactive();
}
