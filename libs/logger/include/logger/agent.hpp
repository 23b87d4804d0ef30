// The agent: many PLCs and tag groups in one process. A source (thread) per PLC, a schedule per
// group, each output behind its own queue and thread, stats per PLC and per group.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "logger/backoff.hpp"
#include "logger/clock.hpp"
#include "logger/csv_sink.hpp"
#include "logger/network_sink.hpp"
#include "logger/plan.hpp"
#include "logger/queued_sink.hpp"
#include "logger/reader.hpp"
#include "logger/source.hpp"
#include "logger/stats.hpp"
#include "s7/client.hpp"

namespace logger {

// One PLC: its name (a label in file names, messages, /metrics), connection and reconnect policy.
struct PlcSpec {
  std::string name;
  s7::ClientOptions client;
  BackoffPolicy backoff;
};

// One group of tags of one PLC, with its interval and its CSV output.
struct GroupSpec {
  std::string name;
  std::string plc;  // a PlcSpec's name
  std::chrono::nanoseconds interval = std::chrono::seconds(1);
  std::vector<TagInfo> tags;
  std::vector<std::string> on_change;
  std::map<std::string, double> deadband;
  bool quality = false;  // quality column, and empty rows for missed slots
  // The CSV file: csv.pattern may hold {plc} and {group} besides the strftime fields; groups
  // whose patterns expand to the same name share the file (and must have the same columns).
  CsvSinkOptions csv;
  // A trigger group (see GroupOptions): `interval` is the poll interval of `trigger`.
  std::optional<s7::Address> trigger;
  std::optional<s7::Address> trigger_ack;
  // Where its samples go: "csv" (the file above) and names given to Agent::add_output().
  std::vector<std::string> outputs{"csv"};
};

struct AgentConfig {
  std::vector<PlcSpec> plcs;
  std::vector<GroupSpec> groups;
  bool align_to_wall = true;
  // Stop once every group had this many slots (taken or missed); none: until stop.
  std::optional<std::uint64_t> max_slots;
  PlanOptions plan;
  // Samples that may wait in an output's queue before the oldest are dropped (counted).
  std::size_t queue_rows = 100'000;
};

// The counters of one PLC or one group (the same Stats fields; those that do not apply stay 0).
struct NamedStats {
  std::string plc;
  std::string group;  // empty for a PLC's own
  Stats stats;
};

// How one CSV output ended a run (for the summary and the exit code).
struct OutputReport {
  std::string pattern;      // after {plc}/{group}
  std::size_t unwritten;    // rows still waiting for the file
  std::uint64_t dropped;    // rows dropped from its buffers
  std::string waiting_for;  // the file the oldest waiting row is for
  std::string last_error;
};

// Thread-safety: configure(), add_*_sink() and run() from one thread; stats() readable from any.
class Agent {
 public:
  using ReaderFactory = std::function<std::unique_ptr<Reader>(const PlcSpec&)>;
  using ClockFactory = std::function<std::unique_ptr<Clock>(const PlcSpec&)>;

  // Defaults: an s7::Client per PLC, the system clock.
  explicit Agent(Notify notify = {}, ReaderFactory readers = {}, ClockFactory clocks = {});
  ~Agent();

  // Checks and takes a configuration (also between runs, for a reload). Outputs whose expanded
  // pattern stays keep their file and the rows they hold back; others are created. Errors: a
  // group naming an unknown PLC, duplicate names, one file with two headers.
  s7::Result<void> configure(AgentConfig config);

  // Sinks that get every group's rows (the console) or every sample (the live page); each is put
  // behind its own queue. They must outlive the agent.
  void add_row_sink(Sink& sink, std::string name);
  void add_sample_sink(Sink& sink, std::string name);
  // A named output (a network sink) for the groups whose `outputs` name it, behind its own
  // queue (ticked every `tick`); before configure(). It must outlive the agent. `stats`, when
  // given, is listed by sink_stats().
  void add_output(Sink& sink, std::string name, SinkStats* stats = nullptr,
                  std::chrono::milliseconds tick = std::chrono::milliseconds(250));
  // The link state of PLC `plc` (stopped when unknown). Any thread.
  LinkState link_of(const std::string& plc) const;

  // Opens the outputs, runs one thread per PLC until `stop` (or max_slots), closes the outputs.
  s7::Result<void> run(const std::atomic<bool>& stop);

  // Totals of the whole agent (over runs), and the counters per PLC and per group.
  Stats& stats() { return total_; }
  const Stats& stats() const { return total_; }
  // The counters per PLC and per group, in configuration order (over reloads: every PLC and
  // group the agent has had; an entry, once made, lives as long as the agent). Any thread.
  std::vector<const NamedStats*> plc_stats() const;
  std::vector<const NamedStats*> group_stats() const;
  // The named outputs' counters, their queue depth brought up to date. Any thread (the list is
  // fixed once configure() ran).
  std::vector<const SinkStats*> sink_stats() const;
  // Slots of group `g` (by configuration order) in the last run.
  std::uint64_t slots(std::size_t g) const;
  // Every CSV output the agent has had, in creation order.
  std::vector<OutputReport> outputs() const;
  // The reads each PLC sent in the last run (merged slots count once).
  std::vector<std::uint64_t> reads() const;
  const AgentConfig& config() const { return config_; }

 private:
  struct Output {
    std::string pattern;
    std::string header;
    std::unique_ptr<CsvSink> csv;
    std::unique_ptr<QueuedSink> queue;
  };
  struct Extra {
    Sink* sink;
    std::string name;
    bool every_sample;
    std::unique_ptr<QueuedSink> queue;
  };
  struct Named {
    std::string name;
    SinkStats* stats;
    std::unique_ptr<QueuedSink> queue;
  };
  NamedStats& stats_for(std::vector<std::unique_ptr<NamedStats>>& list, const std::string& plc,
                        const std::string& group);

  mutable std::mutex stats_mu_;  // guards the lists (not the counters: atomics)
  Notify notify_;
  ReaderFactory readers_;
  ClockFactory clocks_;
  AgentConfig config_;
  Stats total_;
  std::vector<std::unique_ptr<NamedStats>> plc_stats_;
  std::vector<std::unique_ptr<NamedStats>> group_stats_;
  std::vector<std::unique_ptr<Output>> outputs_;
  std::vector<Output*> group_output_;  // per group of config_
  std::vector<Extra> extras_;
  std::vector<Named> named_;
  std::vector<std::uint64_t> slots_;
  std::vector<std::uint64_t> reads_;
};

}  // namespace logger
