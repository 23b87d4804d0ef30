// The sampling loop: absolute deadlines, skip-on-overrun, reconnect with backoff, per-tag errors.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "logger/backoff.hpp"
#include "logger/change_filter.hpp"
#include "logger/clock.hpp"
#include "logger/plan.hpp"
#include "logger/reader.hpp"
#include "logger/sample.hpp"
#include "logger/sink.hpp"
#include "logger/stats.hpp"

namespace logger {

struct RunOptions {
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  // Start on a multiple of the interval of the wall clock (10:15:03.000, .500 ...), so the ts
  // column shows whole steps. Off: the first sample is taken at once.
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

// Where samples go. `rows` get the rows that pass the on-change filter (CSV, console);
// `samples` get every sample taken, unfiltered (the live page: attach it here).
struct Sinks {
  std::vector<Sink*> rows;
  std::vector<Sink*> samples;
};

// Messages for the user (stderr): outages, item errors, recoveries, file problems.
using Notify = std::function<void(const std::string&)>;

// Runs on the calling thread. Deadline k is start + k * interval on the steady clock; a slot
// whose deadline passed while the previous read was still running is skipped and counted,
// never caught up by a burst. While the PLC is unreachable the logger retries with capped
// exponential backoff (one message per outage) and keeps the same deadline grid. A tag the PLC
// refuses gets an empty cell and one message (and one when it recovers); when a merged item
// fails with an item error its tags are re-read one by one to find the culprit, which is then
// read alone from then on.
class Logger {
 public:
  Logger(Reader& reader, Clock& clock, std::vector<TagInfo> tags, RunOptions options, Sinks sinks,
         Stats& stats, Notify notify = {});

  // Opens the sinks, samples until `stop` (or max_slots), closes the sinks. Errors: a sink
  // failing to open, or bad on_change/deadband names.
  s7::Result<void> run(const std::atomic<bool>& stop);

  const ReadPlan& plan() const { return plan_; }
  // Slots of the last run(), taken or missed.
  std::uint64_t slots() const { return slots_; }

 private:
  void take_sample(Clock::wall_time ts, Clock::steady_time deadline);
  void emit(const Sample& s);
  void missed_slot(Clock::steady_time deadline);
  Clock::wall_time slot_stamp(Clock::wall_time wall) const;
  bool ensure_connected();
  void note_item_state(std::size_t tag, const std::optional<s7::Error>& err);

  Reader& reader_;
  Clock& clock_;
  std::uint64_t slots_ = 0;
  std::vector<TagInfo> tags_;
  RunOptions options_;
  Sinks sinks_;
  Stats& stats_;
  Notify notify_;
  ReadPlan plan_;
  std::set<std::size_t> alone_;
  ChangeFilter filter_;
  Backoff backoff_;
  std::optional<Clock::steady_time> next_attempt_;
  bool outage_reported_ = false;
  bool ever_connected_ = false;
  Clock::steady_time start_{};
  Clock::wall_time wall_start_{};
  std::map<std::size_t, std::string> bad_tags_;  // tag -> reason already reported
};

}  // namespace logger
