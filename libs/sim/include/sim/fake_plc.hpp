// A running fake PLC: the S7 server over a Simulation, its tick loop and its fault timeline.
// Used by `s7log fakeplc` and by `s7log demo` (which runs it beside the logger in one process).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "s7/error.hpp"
#include "s7/server.hpp"
#include "sim/config.hpp"
#include "sim/faults.hpp"
#include "sim/simulation.hpp"

namespace sim {

// How long after `wall_now` the first tick falls. Ticks fall a quarter tick after the wall
// clock's multiples of the tick (x.125 s and x.625 s for the course's 0.5 s), so a logger that
// samples on whole, half or quarter seconds (s7log run aligns its samples to multiples of the
// interval) reads between two ticks, at least an eighth of a second from either, and sees a
// settled value instead of racing the tick. Result in (0, tick].
Nanos first_tick_delay(std::chrono::system_clock::time_point wall_now, Nanos tick);

class FakePlc {
 public:
  // Receives every line the fake PLC prints (ready, WRITE, READ-ONLY, FAULT...); any thread.
  using LineFn = std::function<void(const std::string&)>;

  // `config` must have passed validate_config. With `verbose`, each connection and request is
  // logged through `line` as well.
  FakePlc(PlcConfig config, LineFn line, bool verbose = false);
  ~FakePlc();
  FakePlc(const FakePlc&) = delete;
  FakePlc& operator=(const FakePlc&) = delete;

  // Binds the listener and prints the ready line ("fake PLC listening on HOST:PORT (...)") and
  // the scheduled faults. Errors: the server's bind error.
  s7::Result<void> start();
  std::uint16_t port() const;

  // Runs ticks (on the wall-clock phase of first_tick_delay, drift-free) and fault edges (20 ms
  // granularity) until `stop` is true, then stops the server.
  // `status` (optional) is called once a second with "N clients connected, R requests/s, ...".
  void run(const std::atomic<bool>& stop, const LineFn& status = {});

  s7::Server& server() { return *server_; }
  Simulation& simulation() { return simulation_; }

 private:
  void apply_faults(Nanos elapsed);
  bool stop_fault_active(Nanos elapsed) const;

  PlcConfig config_;
  LineFn line_;
  Simulation simulation_;
  std::unique_ptr<s7::Server> server_;
  FaultTimeline timeline_;
};

}  // namespace sim
