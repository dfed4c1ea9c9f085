#include "agent/fleet.h"

#include "base/log.h"
#include "base/str.h"

// ---- FleetService ----

void FleetService::subscribe(FleetSink* sink) {
  subscribers_.push_back(Subscriber{sink, {has_snapshot(FleetKind::kMachine), has_snapshot(FleetKind::kUnit)}});
  // The original made a new client wait a whole period (§3): not here.
  send_pending(&subscribers_.back());
  if (subscribers_.size() == 1 && source_) source_->start();
}

void FleetService::unsubscribe(FleetSink* sink) {
  for (size_t i = 0; i < subscribers_.size(); i++) {
    if (subscribers_[i].sink == sink) {
      subscribers_[i] = subscribers_.back();
      subscribers_.pop_back();
      break;
    }
  }
  if (subscribers_.empty() && source_) source_->stop();
}

void FleetService::send_pending(Subscriber* s) {
  for (int kind = 0; kind < 2; kind++) {
    if (!s->pending[kind] || s->sink->fleet_queued_bytes() > 0) continue;
    s->pending[kind] = false;
    s->sink->fleet_send(snapshot_[kind]);
  }
}

void FleetService::on_drained(FleetSink* sink) {
  for (Subscriber& s : subscribers_)
    if (s.sink == sink) return send_pending(&s);
}

void FleetService::publish(FleetKind kind, const FleetTable& table) {
  std::string& json = snapshot_[static_cast<int>(kind)];
  size_t written = fleet_message_json(kind == FleetKind::kUnit ? "unit" : "machine", table, &json);
  if (written < table.rows.size())
    log_warn("fleet: %zu of %zu rows left out (a message is at most %zu bytes)",
             table.rows.size() - written, table.rows.size(), kFleetMaxMessageBytes);
  // Index loop: a send that fails closes the connection, which unsubscribes
  // later (deferred), never inside this call.
  for (size_t i = 0; i < subscribers_.size(); i++) {
    subscribers_[i].pending[static_cast<int>(kind)] = true;
    send_pending(&subscribers_[i]);
  }
}

// ---- FleetctlSource ----

FleetctlSource::FleetctlSource(Loop* loop, FleetService* service, Config config)
    : loop_(loop), service_(service), config_(std::move(config)) {
  const FleetKind kinds[2] = {FleetKind::kMachine, FleetKind::kUnit};
  for (int i = 0; i < 2; i++) {
    Poller& p = pollers_[i];
    p.owner = this;
    p.kind = kinds[i];
    p.interval_ms = kinds[i] == FleetKind::kUnit ? config_.unit_interval_ms : config_.machine_interval_ms;
  }
}

FleetctlSource::~FleetctlSource() { stop(); }

std::vector<std::string> FleetctlSource::argv_for(const Config& config, FleetKind kind) {
  std::vector<std::string> argv{config.command};
  argv.insert(argv.end(), config.global_args.begin(), config.global_args.end());
  if (kind == FleetKind::kUnit) argv.insert(argv.end(), {"list-units", "-l", "-no-legend", "-fields", "unit,load,active,sub,machine"});
  else argv.insert(argv.end(), {"list-machines", "-l", "-no-legend", "-fields", "machine,ip,metadata"});
  return argv;
}

void FleetctlSource::start() {
  if (running_) return;
  running_ = true;
  // Both pollers start at once (§3); a run still going from before the
  // last stop just finishes and re-arms its timer.
  for (Poller& p : pollers_) {
    if (!p.runner) {
      p.runner = std::make_unique<PluginRunner>(loop_, p.kind == FleetKind::kUnit ? "list-units" : "list-machines",
                                                argv_for(config_, p.kind), config_.timeout_ms,
                                                config_.max_output_bytes);
      p.runner->set_on_done(on_done, &p);
    }
    if (!p.runner->running()) p.runner->request(loop_->now_ms(), 0);
  }
}

void FleetctlSource::stop() {
  running_ = false;
  for (Poller& p : pollers_) loop_->cancel_timer(&p.timer);
}

void FleetctlSource::on_timer(void* poller) {
  Poller* p = static_cast<Poller*>(poller);
  p->timer = TimerId();
  p->runner->request(p->owner->loop_->now_ms(), 0);
}

void FleetctlSource::on_done(void* poller) {
  Poller* p = static_cast<Poller*>(poller);
  FleetctlSource* self = p->owner;
  const PluginRunner& r = *p->runner;
  const char* const* fields = p->kind == FleetKind::kUnit ? kFleetUnitFields : kFleetMachineFields;
  size_t field_count = p->kind == FleetKind::kUnit ? 5 : 3;
  FleetTable table;
  if (r.result_ok()) {
    if (!p->last_error.empty()) log_info("fleetctl %s works again", r.name().c_str());
    p->last_error.clear();
    fleet_parse_output(r.output(), fields, field_count, &table);
    self->service_->publish(p->kind, table);
    p->published = true;
  } else {
    // Logged once per distinct error, not every couple of seconds.
    if (r.error() != p->last_error) log_warn("fleetctl %s failed: %s", r.name().c_str(), r.error().c_str());
    p->last_error = r.error();
    // The last good table stays; before the first one, an empty table.
    if (!p->published) {
      table.fields.assign(fields, fields + field_count);
      self->service_->publish(p->kind, table);
      p->published = true;
    }
  }
  // Run, publish, then sleep (§3): the period is interval + run time.
  if (self->running_) p->timer = self->loop_->add_timer(p->interval_ms, on_timer, p);
}
