// The single-PLC, single-group logger of a plain config: a Source with one group, on the
// calling thread (tests, `s7log run --once`, embedders that want no threads).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "logger/source.hpp"

namespace logger {

struct RunOptions {
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  // See SourceOptions::align_to_wall.
  bool align_to_wall = true;
  // Rows with empty values for each slot missed in an outage (and by overrun), so gaps show.
  bool quality_rows = false;
  std::vector<std::string> on_change;
  std::map<std::string, double> deadband;
  BackoffPolicy backoff;
  std::uint64_t backoff_seed = std::random_device{}();
  PlanOptions plan;
  // Stop after this many slots (taken or missed); none: until stop is set.
  std::optional<std::uint64_t> max_slots;
};

// Samples `tags` from `reader` every `options.interval` into `sinks` (see Source for the timing
// and error rules); `stats` gets every counter.
class Logger {
 public:
  Logger(Reader& reader, Clock& clock, std::vector<TagInfo> tags, RunOptions options, Sinks sinks,
         Stats& stats, Notify notify = {});

  // Opens the sinks, samples until `stop` (or max_slots), closes the sinks. Errors: a sink
  // failing to open, or bad on_change/deadband names.
  s7::Result<void> run(const std::atomic<bool>& stop) { return source_.run(stop); }

  ReadPlan plan() const { return source_.plan(0); }
  // Slots of the last run(), taken or missed.
  std::uint64_t slots() const { return source_.slots(0); }

 private:
  Source source_;
};

}  // namespace logger
