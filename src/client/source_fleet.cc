#include "client/source_fleet.h"

FleetFeedSource::FleetFeedSource(Loop* loop, Host* host, Url url, SourceOptions opts)
    : SocktopSource(loop, host, std::move(url), std::move(opts)) {
  host_->protocol = "fleet";
  host_->fleet = true;
  host_->detail_supported = false;
  host_->offers_lists = false;
}

void FleetFeedSource::send_next() {
  got_reply_ = true;  // a close after the handshake is not a refused token
  if (host_->state != HostState::kLive) host_->set_state(HostState::kLive, now_ms());
}

// A bad message is shown but keeps the connection: the next snapshot
// replaces it anyway.
void FleetFeedSource::handle_message(bool binary, std::string_view payload) {
  got_reply_ = true;
  std::string err;
  if (binary) {
    host_->fleet_error = "binary frame ignored";
  } else if (!fleet_apply_message(payload, &host_->fleet_model, &err)) {
    host_->fleet_error = "bad message: " + err;
  }
  host_->updated_ms = now_ms();
  host_->updates++;
}

bool source_is_fleet_url(const Url& url) {
  if (url.scheme != "ws" && url.scheme != "wss") return false;
  std::string_view path = url.path_and_query;
  return path.substr(0, path.find('?')) == "/fleet";
}
