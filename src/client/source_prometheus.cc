#include "client/source_prometheus.h"

PrometheusSource::PrometheusSource(Loop* loop, Host* host, Url url, SourceOptions opts)
    : Source(loop, host, std::move(url), std::move(opts)) {
  host_->token = !opts_.token.empty() || url_.has_userinfo;
}

void PrometheusSource::on_connected() { send_scrape(); }

void PrometheusSource::on_tick() {
  if (!waiting_) send_scrape();
}

void PrometheusSource::send_scrape() {
  parser_.reset();
  std::string extra =
      "Accept: text/plain;version=0.0.4\r\nAccept-Encoding: gzip\r\n";
  // Credentials in the URL become basic auth (http_write_request); a token
  // is sent as a bearer token unless the URL already carries credentials.
  if (!opts_.token.empty() && !url_.has_userinfo) extra += "Authorization: Bearer " + opts_.token + "\r\n";
  std::string head;
  http_write_request(&head, "GET", url_, extra);
  waiting_ = true;
  send_request(head);
}

void PrometheusSource::on_input() {
  Conn* c = conn();
  size_t used = 0;
  HttpParse r = parser_.feed(c->input(), &used);
  c->consume(used);
  if (r == HttpParse::kIncomplete) return;
  if (r == HttpParse::kError) return fail(HostState::kDown, "bad HTTP reply: " + parser_.error());
  handle_response();
}

bool PrometheusSource::on_peer_closed() {
  // A body that runs until close (HTTP/1.0 servers) ends here.
  if (waiting_ && parser_.finish() == HttpParse::kOk) {
    handle_response();
    if (conn()) reconnect_later();
    return true;
  }
  return false;
}

void PrometheusSource::handle_response() {
  waiting_ = false;
  reply_received();
  const HttpResponse& resp = parser_.response();
  if (resp.status == 401 || resp.status == 403)
    return fail(HostState::kUnauthorized, "HTTP " + std::to_string(resp.status));
  if (resp.status != 200)
    return fail(HostState::kDown, "HTTP " + std::to_string(resp.status) + " " + resp.reason);
  std::string body, err;
  if (!http_decode_body(resp, kPromMaxBodyBytes, &body, &err)) return fail(HostState::kDown, err);
  PromBody parsed;
  prom_parse_body(body, kPromMaxSamples, &parsed, &err);  // bad lines are skipped
  PromMapped mapped;
  prom_map_body(parsed, &counters_, &mapped);
  if (!*mapped.dialect)
    return fail(HostState::kDown, "no node_* or gotop_* series at " + url_.path_and_query);
  host_->protocol = std::string("prometheus/") + mapped.dialect;
  if (mapped.has_disks) {
    host_->disks = std::move(mapped.disks);
    host_->has_disks = true;
  }
  host_->apply_sample(std::move(mapped.sample), now_ms());
  if (!resp.keep_alive) reconnect_later();
}
