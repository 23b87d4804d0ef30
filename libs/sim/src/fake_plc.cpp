// The fake PLC's run loop: generator ticks, WRITE lines, and fault edges applied to the server.
#include "sim/fake_plc.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "util/duration.hpp"

namespace sim {

FakePlc::FakePlc(PlcConfig config, LineFn line, bool verbose)
    : config_(std::move(config)),
      line_(std::move(line)),
      simulation_(config_),
      timeline_(config_.faults) {
  s7::ServerHooks hooks;
  hooks.on_write = [this](const s7::WriteEvent& e) {
    // Access denied: a read-only range was touched.
    if (e.result == s7::kItemAccessDenied) line_(describe_refused_write(e));
  };
  if (verbose) hooks.on_log = [this](const std::string& text) { line_(text); };
  // Always said, -v or not: a client stopping the CPU changes what every other client reads.
  hooks.on_state_change = [this](const std::string& peer, s7::CpuState state) {
    line_(state == s7::CpuState::stop
              ? "STOP: " + peer + " put the CPU into STOP (PLC stop request); generators frozen"
              : "RUN: " + peer + " put the CPU into RUN (PLC start request)");
  };
  server_ = std::make_unique<s7::Server>(simulation_.memory(), server_options(config_), hooks);
  server_->control().cpu_state.store(config_.run ? s7::CpuState::run : s7::CpuState::stop);
  server_->control().first_item_writes.store(config_.first_item_writes);
  apply_faults(Nanos(0));  // windows starting at 0 s are active from the first connection
}

FakePlc::~FakePlc() {
  server_->stop();
}

std::uint16_t FakePlc::port() const {
  return server_->port();
}

s7::Result<void> FakePlc::start() {
  if (auto r = listen(); !r) return r;
  announce();
  return {};
}

s7::Result<void> FakePlc::listen() {
  if (auto started = server_->start(); !started) {
    // The server's bind errors name the address already; say it once.
    if (started.error().what().rfind("cannot listen on ", 0) == 0) return started.error();
    return s7::Error(started.error().code, fmt::format("cannot listen on {}:{}: {}", config_.host,
                                                       config_.port, started.error().what()));
  }
  return {};
}

void FakePlc::announce() {
  std::string rack_slot = fmt::format("rack {}, slot {}", config_.rack, config_.slot);
  if (!config_.enforce_rack_slot) rack_slot += "; any rack/slot accepted";
  line_(fmt::format("fake PLC listening on {}:{} ({}) - Ctrl+C to stop", config_.host,
                    server_->port(), rack_slot));
  if (!config_.run) line_("CPU is in STOP (state = \"stop\"): values stay frozen");
  for (const auto& f : config_.faults)
    line_(fmt::format("fault scheduled at {}: {}", util::format_duration(f.start), describe(f)));
}

void FakePlc::apply_faults(Nanos elapsed) {
  bool refuse = false;
  long long delay_ms = 0;
  std::vector<s7::ServerControl::ItemFault> items;
  for (std::size_t i : timeline_.active_at(elapsed)) {
    const Fault& f = timeline_.faults()[i];
    if (f.kind == FaultKind::refuse) refuse = true;
    if (f.kind == FaultKind::delay)
      delay_ms = std::max<long long>(
          delay_ms, std::chrono::duration_cast<std::chrono::milliseconds>(f.delay).count());
    if (f.kind == FaultKind::item_error)
      if (auto it = simulation_.item_fault(f.field, f.code)) items.push_back(*it);
  }
  s7::ServerControl& control = server_->control();
  control.refuse_connections.store(refuse);
  control.delay_ms.store(static_cast<int>(std::min<long long>(delay_ms, 3'600'000)));
  control.set_item_faults(std::move(items));
}

bool FakePlc::stop_fault_active(Nanos elapsed) const {
  for (std::size_t i : timeline_.active_at(elapsed))
    if (timeline_.faults()[i].kind == FaultKind::stop) return true;
  return false;
}

Nanos first_tick_delay(std::chrono::system_clock::time_point wall_now, Nanos tick) {
  if (tick <= Nanos::zero()) return Nanos::zero();
  const Nanos phase = std::chrono::duration_cast<Nanos>(wall_now.time_since_epoch()) % tick;
  Nanos delay = tick / 4 - phase;
  while (delay <= Nanos::zero()) delay += tick;
  return delay;
}

void FakePlc::begin(Clock::time_point now) {
  start_ = now;
  // Steady clock for the schedule; the wall clock only picks the phase (first_tick_delay).
  next_tick_ = now + first_tick_delay(std::chrono::system_clock::now(), config_.tick);
  last_elapsed_ = Nanos(0);
  stop_by_fault_ = false;
}

FakePlc::Clock::time_point FakePlc::step(Clock::time_point now) {
  s7::ServerControl& control = server_->control();
  const Nanos elapsed = std::chrono::duration_cast<Nanos>(now - start_);

  // Fault events since the last pass: one line each, then the new state.
  if (elapsed + Nanos(1) > last_elapsed_) {
    auto events = timeline_.events(last_elapsed_, elapsed + Nanos(1));
    last_elapsed_ = elapsed + Nanos(1);
    for (const auto& ev : events) {
      const Fault& f = timeline_.faults()[ev.index];
      if (f.kind == FaultKind::drop) {
        std::size_t n = server_->connection_count();
        server_->drop_connections();
        line_(fmt::format("FAULT: {} (closed {} connection{})", describe(f), n, n == 1 ? "" : "s"));
      } else {
        line_(fmt::format("FAULT {}: {}", ev.begin ? "start" : "end", describe(f)));
      }
    }
    if (!events.empty()) {
      apply_faults(elapsed);
      bool stop_now = stop_fault_active(elapsed);
      if (stop_now != stop_by_fault_) {
        // A stop fault forces STOP; when it ends the CPU returns to the configured state.
        control.cpu_state.store(stop_now || !config_.run ? s7::CpuState::stop : s7::CpuState::run);
        stop_by_fault_ = stop_now;
      }
    }
  }

  if (now >= next_tick_) {
    // A client may also have stopped/started the CPU (PLC control): follow the server's state.
    simulation_.set_running(control.cpu_state.load() == s7::CpuState::run);
    simulation_.tick();
    if (auto text = simulation_.poll_writes()) line_(*text);
    next_tick_ += config_.tick;
    if (next_tick_ < now) next_tick_ = now + config_.tick;  // fell behind: skip, don't queue
  }
  // Wake for the tick itself (not up to 20 ms after it), and at least every 20 ms for faults.
  return std::min(next_tick_, now + std::chrono::milliseconds(20));
}

void FakePlc::halt() {
  server_->stop();
}

FakePlc::Stats FakePlc::stats() const {
  Stats s;
  s.clients = server_->connection_count();
  s.requests = server_->request_count();
  s.running = server_->control().cpu_state.load() == s7::CpuState::run;
  s.ticks = simulation_.ticks();
  return s;
}

void FakePlc::run(const std::atomic<bool>& stop, const LineFn& status) {
  auto now = Clock::now();
  begin(now);
  auto wake = step(now);
  auto next_status = now + std::chrono::seconds(1);
  std::uint64_t last_requests = 0;
  while (!stop.load()) {
    std::this_thread::sleep_until(wake);
    now = Clock::now();
    wake = step(now);
    if (status && now >= next_status) {
      const Stats s = stats();
      status(fmt::format("{} client{} connected, {} requests/s, {}, tick {}", s.clients,
                         s.clients == 1 ? "" : "s", s.requests - last_requests,
                         s.running ? "RUN" : "STOP", s.ticks));
      last_requests = s.requests;
      next_status += std::chrono::seconds(1);
      if (next_status < now) next_status = now + std::chrono::seconds(1);
    }
  }
  halt();
}

}  // namespace sim
