// One PLC's sampling loop: its connection and reconnect, the schedules of its groups, one merged
// read per slot for the groups whose deadlines meet.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
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

// Where one group's samples go. `rows` get the samples that pass the group's on-change filter
// (CSV, console); `samples` get every sample taken, unfiltered (the live page).
struct Sinks {
  std::vector<Sink*> rows;
  std::vector<Sink*> samples;
};

// Messages for the user (stderr): outages, item errors, recoveries, file problems.
using Notify = std::function<void(const std::string&)>;

// One group of tags with its own schedule. Its samples carry `name` (and the source's PLC name).
struct GroupOptions {
  std::string name;
  std::vector<TagInfo> tags;
  // Instead of `tags`: a list the owner keeps alive and unchanged while the source exists (the
  // agent's configuration; a plant's 100,000 tags are not copied per run).
  const std::vector<TagInfo>* tag_list = nullptr;
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  // Rows with empty values for each slot missed in an outage (and by overrun), so gaps show.
  bool quality_rows = false;
  std::vector<std::string> on_change;
  std::map<std::string, double> deadband;
  Sinks sinks;
  Stats* stats = nullptr;  // the group's own counters (optional)
  // A trigger group: `interval` is how often the BOOL `trigger` is polled, and the group is
  // read once on each rising edge (its rows are stamped when the edge was seen; on_change does
  // not apply). With `trigger_ack` (a BOOL) the source writes true there once the row is in
  // every row sink for good, and false again when the PLC lowers the trigger. Across a lost
  // connection the last seen state is kept: an edge that rose during the outage is taken at the
  // first poll after it, one taken before is not taken again. At the first poll of a run, a
  // raised trigger is an edge only when the acknowledgement bit is configured and false.
  std::optional<s7::Address> trigger;
  std::optional<s7::Address> trigger_ack;
};

struct SourceOptions {
  std::string plc;  // the PLC's name (empty: the single PLC of a plain config; messages omit it)
  // Start each group on a multiple of its interval of the wall clock (10:15:03.000, .500 ...),
  // so the ts column shows whole steps and groups whose intervals divide each other meet on
  // the same deadlines. Off: the first sample of every group is taken at once.
  bool align_to_wall = true;
  BackoffPolicy backoff;
  std::uint64_t backoff_seed = std::random_device{}();
  PlanOptions plan;
  // Stop once every group has had this many slots (taken or missed); none: until stop is set.
  std::optional<std::uint64_t> max_slots;
  Stats* total = nullptr;  // counters of the whole run, besides the PLC's own (optional)
  // Set when this source alone decides the total's link state (a run with one PLC).
  bool owns_total_link = true;
  // run() opens the groups' sinks first and flushes and closes them at the end. Off: the owner
  // does (the agent, whose outputs may be shared by groups of several PLCs).
  bool manage_sinks = true;
};

// Runs on the calling thread. Each group's deadline k is start + k * interval on the steady
// clock. At each wake-up every group whose deadline has come is sampled, and their items go
// into one read plan (built once per combination of groups and kept), so groups of one PLC
// whose deadlines meet cost one request, not one per group. A group's slot whose deadline
// passed while its previous read was still running is skipped and counted, never caught up by
// a burst; a group delayed by another group's read is read late (and its lateness counted), and
// skipped only when it fell a whole interval behind. While the PLC is unreachable the source
// retries with capped exponential backoff (one message per outage) and keeps every group's
// grid. A tag the PLC refuses gets an empty cell and one message (and one when it recovers);
// when a merged item fails with an item error its tags are re-read one by one to find the
// culprit, which is then read alone from then on.
class Source {
 public:
  Source(Reader& reader, Clock& clock, SourceOptions options, std::vector<GroupOptions> groups,
         Stats& stats, Notify notify = {});
  ~Source();

  // Opens the sinks, samples until `stop` (or max_slots), flushes and closes the sinks.
  // Errors: a sink failing to open, bad on_change/deadband names, an interval <= 0.
  s7::Result<void> run(const std::atomic<bool>& stop);

  // The plan of group `g` read on its own.
  ReadPlan plan(std::size_t g) const;
  // Slots of group `g` in the last run(), taken or missed.
  std::uint64_t slots(std::size_t g) const;
  // Reads sent in the last run() (one per wake-up that sampled, plus splits after item errors).
  std::uint64_t reads() const { return reads_; }

 private:
  struct Group;
  struct Merged;
  using Due = std::vector<std::size_t>;

  using Values = std::vector<std::optional<s7::Value>>;
  using Errors = std::vector<std::optional<s7::Error>>;

  bool ensure_connected();
  void sample(const Due& due);
  // One read of the plan for `key`; values and errors by merged tag. False: the connection
  // failed (reported, disconnected).
  bool read_merged(const Due& key, Values& values, Errors& errors);
  // The row of group `g` from the merged tags starting at `first` (moves its values out).
  void fill(Group& g, Sample& s, const Merged& m, std::size_t first, Values& values,
            const Errors& errors);
  void poll_trigger(std::size_t g, const std::optional<s7::Value>& trigger,
                    const std::optional<s7::Error>& error, const std::optional<s7::Value>& ack);
  void send_acks();
  void missed_slot(Group& g, Clock::steady_time deadline);
  void comm_failure(const std::vector<s7::ItemResult>& results);
  void emit(Group& g, Sample& s);  // hands `s` to the sinks (moved out)
  void advance(Group& g, bool sampled, Clock::steady_time now);
  void note_item_state(Group& g, std::size_t tag, const std::optional<s7::Error>& err);
  const Merged& merged(const Due& due);
  Clock::wall_time slot_stamp(const Group& g, Clock::wall_time wall,
                              std::chrono::nanoseconds late) const;
  bool limit_reached(const Group& g) const;
  void set_link(LinkState s);
  std::string where() const;  // "PLC 'press1' at 10.0.0.5:102 (rack 0, slot 1)" or the address
  template <typename F>
  void each_stats(Group* g, F&& f);

  Reader& reader_;
  Clock& clock_;
  SourceOptions options_;
  std::vector<std::unique_ptr<Group>> groups_;
  Stats& stats_;
  Notify notify_;
  std::map<Due, std::unique_ptr<Merged>> plans_;  // merged plan per combination of due groups
  Backoff backoff_;
  std::optional<Clock::steady_time> next_attempt_;
  bool outage_reported_ = false;
  bool ever_connected_ = false;
  std::uint64_t reads_ = 0;
  bool replan_ = false;  // an item error found a tag to read alone: rebuild the plans
};

}  // namespace logger
