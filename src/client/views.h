// What statc draws: the one-host view, the many-host overview and the key
// help, as pure functions of the host model onto a Screen. Both views fit
// 80x24 and give extra rows to the graph and the process table.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "client/host.h"
#include "client/screen.h"

enum class ProcessSort { kCpu, kMemory, kPid, kName };
const char* process_sort_name(ProcessSort sort);

struct ViewState {
  bool multi_host = false;      ///< more than one host (Esc goes back to the overview)
  bool overview = false;        ///< showing the overview (else one host)
  size_t selected = 0;          ///< host index (overview cursor / shown host)
  ProcessSort sort = ProcessSort::kCpu;
  std::string filter;           ///< process name filter ("/" to edit)
  bool editing_filter = false;
  size_t scroll = 0;            ///< first process row shown
  size_t process_cursor = 0;    ///< selected process row (Enter: details)
  bool help = false;
  bool detail = false;          ///< the selected process's detail panel
  bool utf8 = true;
  bool color = true;
};

/// The rows of the process table after filter and sort (what the keys move over).
std::vector<const ProcRow*> visible_processes(const Host& host, const ViewState& view);

/// Also keeps view->process_cursor within the table and scrolls to it.
void draw_host_view(Screen& screen, const Host& host, ViewState* view, uint64_t now_ms);
void draw_overview(Screen& screen, const std::vector<const Host*>& hosts, const ViewState& view,
                   uint64_t now_ms);
void draw_help(Screen& screen, const ViewState& view);
/// A fleet-monitor host: its machine and unit tables (src/client/fleet_model.h).
void draw_fleet_view(Screen& screen, const Host& host, const ViewState& view, uint64_t now_ms);
/// A panel over the host view with host.detail (or why there is none).
void draw_process_detail(Screen& screen, const Host& host, const ViewState& view);
