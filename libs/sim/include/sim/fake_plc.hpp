// A running fake PLC: the S7 server over a Simulation, its tick loop and its fault timeline.
// Used by `s7log fakeplc` and by `s7log demo` (which runs it beside the logger in one process).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
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
  // the scheduled faults: listen(), then announce(). Errors: listen()'s.
  s7::Result<void> start();
  // Binds the listener, printing nothing (a plant binds every PLC before it says it is ready).
  // Errors: "cannot listen on HOST:PORT: <why>" (the server's bind error).
  s7::Result<void> listen();
  // Prints the ready line and the scheduled faults (after listen()).
  void announce();
  std::uint16_t port() const;
  const PlcConfig& config() const { return config_; }

  // Runs ticks (on the wall-clock phase of first_tick_delay, drift-free) and fault edges (20 ms
  // granularity) until `stop` is true, then stops the server: begin(), step() in a loop, halt().
  // `status` (optional) is called once a second with "N clients connected, R requests/s, ...".
  void run(const std::atomic<bool>& stop, const LineFn& status = {});

  // run() in pieces, so one thread can drive several fake PLCs: begin(now) once after listen(),
  // then step(now) whenever the time it returned last has come (calling it earlier is harmless).
  // step() prints the fault edges, applies them, ticks when a tick is due and returns when it
  // next has work: the next tick, at most 20 ms ahead (fault edges). halt() stops the server
  // (listener and connections). All three on one thread.
  using Clock = std::chrono::steady_clock;
  void begin(Clock::time_point now);
  Clock::time_point step(Clock::time_point now);
  void halt();

  // For status lines; on the stepping thread.
  struct Stats {
    std::size_t clients = 0;     // connected now
    std::uint64_t requests = 0;  // answered since start
    bool running = true;         // CPU in RUN
    std::uint64_t ticks = 0;     // generator ticks so far
  };
  Stats stats() const;

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
  // The schedule of begin()/step().
  Clock::time_point start_{};
  Clock::time_point next_tick_{};
  Nanos last_elapsed_{0};
  bool stop_by_fault_ = false;
};

}  // namespace sim
