// LiveStatsView: what the live page's server reads of the logger's counters (the run's total,
// those of each PLC and group, and those of each network output), without knowing the logger's
// Agent.
#pragma once

#include <functional>
#include <vector>

#include "logger/agent.hpp"
#include "logger/network_sink.hpp"
#include "logger/stats.hpp"

namespace web {

// A read-only view, built by the program from its logger::Agent (apps/s7log/commands/run.cpp).
// The counters are atomics: every member may be read from any thread while the logger runs. The
// pointed-to objects must outlive the server.
struct LiveStatsView {
  // The run's total (link: the worst PLC's); never null once the view is in use.
  const logger::Stats* total = nullptr;
  // The counters per PLC (NamedStats::group empty) and per group, in configuration order. Each
  // call answers the current list (it may grow on a reload; entries live as long as the agent).
  // Unset: the logger has no such list (the server then shows the total only).
  std::function<std::vector<const logger::NamedStats*>()> plcs;
  std::function<std::vector<const logger::NamedStats*>()> groups;
  // The counters of each network output (PostgreSQL, MQTT), their queue depth brought up to date
  // by each call (logger::Agent::sink_stats). Unset: no network outputs.
  std::function<std::vector<const logger::SinkStats*>()> sinks;

  LiveStatsView() = default;
  // The one-PLC case of tests and tools: the total alone.
  LiveStatsView(const logger::Stats& t) : total(&t) {}  // NOLINT(google-explicit-constructor)

  std::vector<const logger::NamedStats*> plc_list() const {
    return plcs ? plcs() : std::vector<const logger::NamedStats*>{};
  }
  std::vector<const logger::NamedStats*> group_list() const {
    return groups ? groups() : std::vector<const logger::NamedStats*>{};
  }
  std::vector<const logger::SinkStats*> sink_list() const {
    return sinks ? sinks() : std::vector<const logger::SinkStats*>{};
  }
};

}  // namespace web
